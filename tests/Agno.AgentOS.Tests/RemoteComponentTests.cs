using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>The non-generic view of a remote handle: the same calls as the typed handles, with kind-neutral types.</summary>
public sealed class RemoteComponentTests
{
    [Theory]
    [InlineData(AgentOSComponentKind.Agent, typeof(RemoteAgent), EventScope.Agent)]
    [InlineData(AgentOSComponentKind.Team, typeof(RemoteTeam), EventScope.Team)]
    [InlineData(AgentOSComponentKind.Workflow, typeof(RemoteWorkflow), EventScope.Workflow)]
    public void The_client_gives_the_typed_handle_of_each_kind(AgentOSComponentKind kind, Type handleType, EventScope scope)
    {
        using var client = new AgentOSClient(new Uri("http://127.0.0.1:9"));

        var component = client.GetRemoteComponent(kind, "c-1");

        Assert.IsType(handleType, component);
        Assert.Equal(kind, component.Kind);
        Assert.Equal(scope, component.Scope);
        Assert.Equal("c-1", component.Id);
        Assert.Same(client, component.Client);
        Assert.Null(component.CachedDetails);
    }

    [Fact]
    public void An_undefined_kind_is_refused()
    {
        using var client = new AgentOSClient(new Uri("http://127.0.0.1:9"));

        Assert.Throws<ArgumentOutOfRangeException>(() => client.GetRemoteComponent((AgentOSComponentKind)7, "c-1"));
    }

    [Fact]
    public async Task An_agent_runs_and_describes_itself_through_the_view_with_its_own_output_type()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006", "020");
        using var client = TestSupport.Client(server);
        RemoteComponent component = client.GetRemoteAgent("echo-agent");

        var details = await component.GetDetailsAsync();
        RequestAssert.Matches(Fixtures.Get("006"), server.Last);
        var output = await component.RunAsync(new RunRequest("hello world"));
        RequestAssert.Matches(Fixtures.Get("020"), server.Last);

        var agentDetails = Assert.IsType<AgentDetails>(details);
        Assert.Equal("echo-agent", agentDetails.Id);
        Assert.Same(details, component.CachedDetails);
        Assert.Same(details, ((RemoteAgent)component).CachedDetails);
        var agentOutput = Assert.IsType<AgentRunOutput>(output);
        Assert.Equal("echo-agent", agentOutput.AgentId);
        Assert.Equal("Echo: hello world (turn 1)", output.Content);
    }

    [Fact]
    public async Task A_paused_team_stream_becomes_a_team_output_that_continues_with_its_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("172", "173");
        using var client = TestSupport.Client(server);
        var component = client.GetRemoteComponent(AgentOSComponentKind.Team, "hitl-team");

        var paused = await component.RunStreamingAsync(new RunRequest("purge sessions") { SessionId = "fixture-hitl-team" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("172"), server.Last);
        var output = Assert.IsType<TeamRunOutput>(component.ToRunOutput(paused));

        Assert.Equal("hitl-team", output.TeamId);
        Assert.Equal(paused.RunId, output.RunId);
        Assert.Equal("fixture-hitl-team", output.SessionId);
        Assert.True(output.IsPaused);
        var requirement = Assert.Single(output.Requirements!);
        Assert.Same(Assert.Single(paused.Requirements), requirement);

        requirement.Reject("not today");
        var rejected = await component.ContinueStreamingAsync(output.RunId!, ContinueRunRequest.From(output)).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("173"), server.Last);
        Assert.Equal("Team: not today", rejected.Content);
    }

    [Fact]
    public async Task A_paused_workflow_stream_becomes_a_workflow_output_with_its_step_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("178");
        using var client = TestSupport.Client(server);
        var component = client.GetRemoteComponent(AgentOSComponentKind.Workflow, "hitl-workflow");

        var paused = await component.RunStreamingAsync(new RunRequest("workflow hitl stream") { SessionId = "fixture-hitl-wf" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("178"), server.Last);
        var output = Assert.IsType<WorkflowRunOutput>(component.ToRunOutput(paused));

        Assert.Equal("hitl-workflow", output.WorkflowId);
        Assert.Equal(RunStatus.Paused, output.Status);
        Assert.Equal(paused.RunId, output.RunId);
        Assert.Equal("confirm-echo", Assert.Single(output.StepRequirements!).StepName);
    }

    [Fact]
    public async Task A_workflow_continues_through_the_view_and_answers_its_own_output_type()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("175", "176");
        using var client = TestSupport.Client(server);
        var component = client.GetRemoteComponent(AgentOSComponentKind.Workflow, "hitl-workflow");

        var paused = Assert.IsType<WorkflowRunOutput>(await component.RunAsync(new RunRequest("workflow hitl") { SessionId = "fixture-hitl-wf" }));
        RequestAssert.Matches(Fixtures.Get("175"), server.Last);
        Assert.Single(paused.StepRequirements!).Confirm();
        var again = await component.ContinueAsync(paused.RunId!, ContinueRunRequest.From(paused));
        RequestAssert.Matches(Fixtures.Get("176"), server.Last);

        var workflowOutput = Assert.IsType<WorkflowRunOutput>(again);
        Assert.True(workflowOutput.IsPaused);
        Assert.Equal("annotate", workflowOutput.PausedStepName);
    }

    [Fact]
    public async Task A_run_is_cancelled_on_the_server_through_the_view()
    {
        await using var server = await ReplayServer.StartAsync();
        int cancelledAt = TestSupport.RecordedEventNames("094").FindIndex(n => n.EndsWith("Cancelled", StringComparison.Ordinal));
        server.Serve("094", new ServeOptions { GateBeforeEvent = cancelledAt, Gate = server.WhenServed("095") });
        server.Serve("095");
        using var client = TestSupport.Client(server);
        var component = client.GetRemoteComponent(AgentOSComponentKind.Team, "echo-team");

        var accumulator = new RunStreamAccumulator(component.Scope);
        bool cancelSent = false;
        await foreach (var e in component.RunStreamingAsync(new RunRequest("slow team please") { SessionId = "fixture-cancel-teams" }))
        {
            accumulator.Add(e);
            if (!cancelSent && accumulator.Result.RunId is { } runId)
            {
                cancelSent = true;
                await component.CancelAsync(runId);
                RequestAssert.Matches(Fixtures.Get("095"), server.Last);
            }
        }

        Assert.True(cancelSent);
        Assert.True(accumulator.Result.IsCancelled);
        Assert.Empty(server.Unmatched);
    }
}
