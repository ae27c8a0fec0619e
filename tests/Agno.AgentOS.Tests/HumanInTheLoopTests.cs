using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class HumanInTheLoopTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task Agent_confirmation_pause_is_confirmed_and_continued()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082", "083");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("tool-agent");

        var paused = await agent.RunAsync(new RunRequest("delete rec-42") { SessionId = "fixture-hitl-session" });
        RequestAssert.Matches(Fixtures.Get("082"), server.Last);
        Assert.True(paused.IsPaused);
        var tool = Assert.Single(paused.Tools!);
        Assert.True(tool.RequiresConfirmation);
        Assert.True(tool.NeedsHumanAction);
        Assert.Equal("rec-42", (string?)tool.ToolArgs!["record_id"]);
        Assert.Equal(tool.ToolCallId, Assert.Single(paused.Requirements!).ToolExecution!.ToolCallId);

        tool.Confirm();
        Assert.False(tool.NeedsHumanAction);
        var done = await agent.ContinueAsync(paused);
        RequestAssert.Matches(Fixtures.Get("083"), server.Last);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(paused.RunId, done.RunId);
        Assert.Contains("rec-42", done.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_streamed_pause_is_rejected_with_a_note_then_another_is_confirmed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("084", "085", "086", "087");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("tool-agent");

        var events = new List<AgentOSEvent>();
        var paused = await agent.RunStreamingAsync(new RunRequest("delete rec-77") { SessionId = "fixture-hitl-session" }).CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("084"), server.Last);
        Assert.IsType<RunPausedEvent>(events[^1]);
        Assert.True(paused.IsPaused);
        Assert.Single(paused.Requirements);

        Assert.Single(paused.Tools).Reject("not allowed in fixtures");
        var continued = new List<AgentOSEvent>();
        var rejected = await agent.ContinueStreamingAsync(paused).CollectAsync(continued.Add);
        RequestAssert.Matches(Fixtures.Get("085"), server.Last);
        Assert.IsType<RunContinuedEvent>(continued[0]);
        Assert.Equal(RunStatus.Completed, rejected.Status);
        Assert.Empty(rejected.ToolCalls);

        var pausedAgain = await agent.RunAsync(new RunRequest("delete rec-99") { SessionId = "fixture-hitl-session" });
        RequestAssert.Matches(Fixtures.Get("086"), server.Last);
        pausedAgain.Tools![0].Confirm();
        var confirmed = await agent.ContinueStreamingAsync(pausedAgain.RunId!, ContinueRunRequest.From(pausedAgain)).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("087"), server.Last);
        Assert.Equal(RunStatus.Completed, confirmed.Status);
        Assert.Equal("delete_record", Assert.Single(confirmed.ToolCalls).ToolName);
    }

    [Fact]
    public async Task User_input_pause_is_answered_non_streaming_and_streaming()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("160", "161", "162", "163");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("hitl-agent");

        var paused = await agent.RunAsync(new RunRequest("open ticket printer is broken") { SessionId = "fixture-hitl2-session" });
        RequestAssert.Matches(Fixtures.Get("160"), server.Last);
        var tool = Assert.Single(paused.Tools!);
        Assert.True(tool.RequiresUserInput);
        Assert.Null(tool.UserInputSchema!.Single(f => f.Name == "priority").Value);
        Assert.True(tool.NeedsHumanAction);
        Assert.Throws<ArgumentException>(() => tool.SetUserInput("no-such-field", "x"));

        tool.SetUserInput("priority", "high");
        var done = await agent.ContinueAsync(paused);
        RequestAssert.Matches(Fixtures.Get("161"), server.Last);
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Contains("high", done.Content, StringComparison.Ordinal);

        var pausedStream = await agent.RunStreamingAsync(new RunRequest("open ticket wifi down") { SessionId = "fixture-hitl2-session" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("162"), server.Last);
        pausedStream.Tools[0].SetUserInput("priority", "high");
        var doneStream = await agent.ContinueStreamingAsync(pausedStream).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("163"), server.Last);
        Assert.Equal(RunStatus.Completed, doneStream.Status);
        Assert.Contains("high", doneStream.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_execution_pause_is_answered_with_the_callers_result()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("164", "165", "166", "167");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("hitl-agent");
        const string Result = "total 0\n-rw-r--r-- 1 user user 0 notes.txt";

        var paused = await agent.RunAsync(new RunRequest("please run ls -la /tmp") { SessionId = "fixture-hitl2-session" });
        RequestAssert.Matches(Fixtures.Get("164"), server.Last);
        Assert.True(paused.Tools![0].ExternalExecutionRequired);
        paused.Tools[0].SetResult(Result);
        var done = await agent.ContinueAsync(paused);
        RequestAssert.Matches(Fixtures.Get("165"), server.Last);
        Assert.Equal($"Tool result: {Result}", done.Content);

        var pausedStream = await agent.RunStreamingAsync(new RunRequest("please run uname -a") { SessionId = "fixture-hitl2-session" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("166"), server.Last);
        pausedStream.Tools[0].SetResult(Result);
        var doneStream = await agent.ContinueStreamingAsync(pausedStream).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("167"), server.Last);
        Assert.Equal(RunStatus.Completed, doneStream.Status);
    }

    [Fact]
    public async Task Continuing_a_completed_run_forks_it_and_a_cancelled_one_conflicts()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("168", "169");
        using var client = TestSupport.Client(server);

        string completedRunId = TestSupport.RecordedPathSegment("168", 3);
        var forked = await client.ContinueAgentRunAsync("hitl-agent", completedRunId, new ContinueRunRequest("fixture-hitl2-session"));
        RequestAssert.Matches(Fixtures.Get("168"), server.Last);
        Assert.Equal(completedRunId, forked.ForkedFromRunId);
        Assert.NotEqual(forked.ForkedFromRunId, forked.RunId);
        Assert.True(forked.IsPaused);

        string cancelledRunId = TestSupport.RecordedPathSegment("169", 3);
        var ex = await Assert.ThrowsAsync<AgentOSConflictException>(() =>
            client.ContinueAgentRunAsync("echo-agent", cancelledRunId, new ContinueRunRequest("fixture-409-session")));
        RequestAssert.Matches(Fixtures.Get("169"), server.Last);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal($"Cannot continue run {cancelledRunId}: run is cancelled", ex.Detail);
    }

    [Fact]
    public async Task Team_member_pause_is_continued_with_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("170", "171");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("hitl-team");

        var paused = await team.RunAsync(new RunRequest("delete rec-5") { SessionId = "fixture-hitl-team" });
        RequestAssert.Matches(Fixtures.Get("170"), server.Last);
        Assert.True(paused.IsPaused);
        var requirement = Assert.Single(paused.Requirements!);
        Assert.Equal("confirm-member", requirement.MemberAgentId);
        Assert.NotNull(requirement.MemberRunId);

        requirement.Confirm();
        Assert.True(requirement.ToolExecution!.Confirmed);
        var done = await team.ContinueAsync(paused);
        RequestAssert.Matches(Fixtures.Get("171"), server.Last);
        Assert.Equal(RunStatus.Completed, done.Status);
    }

    [Fact]
    public async Task Team_leader_pause_is_rejected_in_a_stream_and_member_pause_streams_nested()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("172", "173", "174");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("hitl-team");

        var paused = await team.RunStreamingAsync(new RunRequest("purge sessions") { SessionId = "fixture-hitl-team" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("172"), server.Last);
        Assert.True(paused.IsPaused);
        var requirement = Assert.Single(paused.Requirements);
        Assert.Null(requirement.MemberAgentId);
        requirement.Reject("not today");
        var rejected = await team.ContinueStreamingAsync(paused).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("173"), server.Last);
        Assert.Equal("Team: not today", rejected.Content);

        var events = new List<AgentOSEvent>();
        var memberPaused = await team.RunStreamingAsync(new RunRequest("delete rec-9") { SessionId = "fixture-hitl-team" }).CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("174"), server.Last);
        var memberPause = events.OfType<RunPausedEvent>().Single(e => e.Scope == EventScope.Agent);
        Assert.True(memberPause.IsNested);
        Assert.IsType<RunPausedEvent>(events[^1]);
        Assert.Equal(EventScope.Team, events[^1].Scope);
        Assert.True(memberPaused.IsPaused);
        Assert.Equal("confirm-member", Assert.Single(memberPaused.Requirements).MemberAgentId);
    }

    [Fact]
    public async Task Workflow_step_pauses_twice_and_is_continued_with_step_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("175", "176", "177", "179");
        using var client = TestSupport.Client(server);
        var workflow = client.GetRemoteWorkflow("hitl-workflow");

        var paused = await workflow.RunAsync(new RunRequest("workflow hitl") { SessionId = "fixture-hitl-wf" });
        RequestAssert.Matches(Fixtures.Get("175"), server.Last);
        Assert.True(paused.IsPaused);
        Assert.Equal("step", paused.PauseKind);
        var confirm = Assert.Single(paused.StepRequirements!);
        Assert.Equal("confirm-echo", confirm.StepName);
        Assert.True(confirm.RequiresConfirmation);

        confirm.Confirm();
        var pausedAgain = await workflow.ContinueAsync(paused);
        RequestAssert.Matches(Fixtures.Get("176"), server.Last);
        Assert.True(pausedAgain.IsPaused);
        Assert.Equal("annotate", pausedAgain.PausedStepName);
        Assert.Equal(2, pausedAgain.StepRequirements!.Count);

        pausedAgain.StepRequirements.Single(s => s.StepName == "annotate").SetUserInput("note", "looks good");
        var events = new List<AgentOSEvent>();
        var done = await workflow.ContinueStreamingAsync(pausedAgain.RunId!, ContinueRunRequest.From(pausedAgain)).CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("177"), server.Last);
        Assert.IsType<StepContinuedEvent>(events[0]);
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Contains("looks good", done.Content, StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<AgentOSConflictException>(() => workflow.ContinueAsync(pausedAgain.RunId!, new ContinueRunRequest("fixture-hitl-wf")));
        RequestAssert.Matches(Fixtures.Get("179"), server.Last);
        Assert.Equal("run is already completed", ex.Detail);
    }

    [Fact]
    public async Task Workflow_streamed_pause_ends_with_the_legacy_run_output_event()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("178");
        using var client = TestSupport.Client(server);

        var events = new List<AgentOSEvent>();
        var paused = await client.RunWorkflowStreamingAsync("hitl-workflow", new RunRequest("workflow hitl stream") { SessionId = "fixture-hitl-wf" })
            .CollectAsync(events.Add);

        RequestAssert.Matches(Fixtures.Get("178"), server.Last);
        Assert.Equal(["WorkflowStarted", "StepPaused", "WorkflowPaused", "WorkflowRunOutput"], events.Select(e => e.Event));
        var stepPaused = Assert.IsType<StepPausedEvent>(events[1]);
        Assert.True(stepPaused.RequiresConfirmation);
        var legacy = Assert.IsType<WorkflowRunOutputEvent>(events[3]);
        Assert.Equal(RunStatus.Paused, legacy.Output.Status);
        Assert.Equal(legacy.Output.RunId, paused.RunId);
        Assert.True(paused.IsPaused);
        Assert.Equal("confirm-echo", Assert.Single(paused.StepRequirements).StepName);
    }
}

public sealed class HumanInTheLoopTests_Agno29() : HumanInTheLoopTests(FixtureSet.Agno29);

public sealed class HumanInTheLoopTests_Agno30() : HumanInTheLoopTests(FixtureSet.Agno30);
