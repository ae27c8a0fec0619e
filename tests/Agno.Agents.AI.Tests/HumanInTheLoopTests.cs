using Agno.Extensions.AI;
using System.Text.Json;
using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

public sealed class HumanInTheLoopTests
{
    [Fact]
    public async Task A_tool_that_needs_approval_pauses_the_run_and_the_approval_continues_it_on_the_server()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();

        var paused = await agent.RunAsync("delete rec-1", session);

        Assert.Equal(ChatFinishReason.ToolCalls, paused.FinishReason);
        var request = Assert.Single(paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.Equal("delete_record", call.Name);
        Assert.True(call.InformationalOnly);
        Assert.Equal("rec-1", call.Arguments!["record_id"]!.ToString());
        Assert.Equal(string.Empty, paused.Text);
        string runId = session.LastRunId!;
        Assert.True((await host.Client.GetAgentRunAsync("ops-agent", runId, session.SessionId!)).Status.IsPaused);

        var done = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), session);

        Assert.Equal("Done: Record rec-1 deleted", done.Text);
        Assert.Equal(runId, done.ResponseId);
        var stored = await host.Client.GetAgentRunAsync("ops-agent", runId, session.SessionId!);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.True(Assert.Single(stored.Tools!, t => t.ToolName == "delete_record").Confirmed);
    }

    [Fact]
    public async Task A_rejection_with_a_note_continues_the_streamed_run_and_the_tool_does_not_run()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = await agent.CreateSessionAsync();

        var paused = await agent.RunStreamingAsync("delete rec-2", session).ToListAsync();
        Assert.Equal(ChatFinishReason.ToolCalls, paused[^1].FinishReason);
        var request = Assert.Single(paused.SelectMany(u => u.Contents).OfType<ToolApprovalRequestContent>());

        var done = await agent.RunStreamingAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(false, "not today")]), session).ToListAsync();

        // The host hands the model the rejection note as the tool's result: the tool itself never ran.
        Assert.Equal("Done: not today", string.Concat(done.Select(u => u.Text)));
        var stored = await host.Client.GetAgentRunAsync("ops-agent", done[^1].ResponseId!, ((AgentOSAgentSession)session).SessionId!);
        var tool = Assert.Single(stored.Tools!, t => t.ToolName == "delete_record");
        Assert.False(tool.Confirmed);
        Assert.Equal("not today", tool.ConfirmationNote);
    }

    [Fact]
    public async Task User_input_is_asked_with_its_fields_and_the_values_continue_the_run()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = await agent.CreateSessionAsync();

        var paused = await agent.RunAsync("file printer is on fire", session);
        var request = Assert.Single(paused.Messages.SelectMany(m => m.Contents).OfType<AgnoInputRequestContent>());
        Assert.Equal("priority", Assert.Single(request.Fields).Name);
        Assert.Equal("file_ticket", request.ToolCall?.Name);

        var done = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse("priority", "high")]), session);

        Assert.Equal("Filed with priority high", done.Text);
    }

    [Fact]
    public async Task A_tool_the_caller_runs_is_asked_as_a_function_call_and_its_result_continues_the_run()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = await agent.CreateSessionAsync();

        var paused = await agent.RunAsync("lookup k1", session);
        var call = Assert.Single(paused.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>(), c => !c.InformationalOnly);
        Assert.Equal("lookup", call.Name);

        var done = await agent.RunAsync(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "value-1")]), session);

        Assert.Equal("Done: value-1", done.Text);
    }

    [Fact]
    public async Task A_pause_is_answered_from_a_session_restored_in_another_process()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = await agent.CreateSessionAsync();
        var paused = await agent.RunAsync("delete rec-3", session);
        string savedSession = (await agent.SerializeSessionAsync(session)).GetRawText();
        string savedRequestId = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single().RequestId;

        using var otherClient = host.Os.CreateClient();
        var otherAgent = otherClient.GetRemoteAgent("ops-agent").AsAIAgent();
        var restored = await otherAgent.DeserializeSessionAsync(JsonDocument.Parse(savedSession).RootElement);
        var approval = new ToolApprovalResponseContent(savedRequestId, approved: true, new FunctionCallContent("call_del", "delete_record"));
        var done = await otherAgent.RunAsync(new ChatMessage(ChatRole.User, [approval]), restored);

        Assert.Equal("Done: Record rec-3 deleted", done.Text);
    }

    [Fact]
    public async Task A_team_members_approval_is_a_requirement_of_the_team_run_answered_through_the_team()
    {
        await using var host = await TestHost.StartAsync();
        var team = host.Client.GetRemoteTeam("ops-team").AsAIAgent();
        var session = (AgentOSAgentSession)await team.CreateSessionAsync();

        var paused = await team.RunStreamingAsync("delete rec-9", session).ToListAsync();
        var request = Assert.Single(paused.SelectMany(u => u.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("delete_record", ((FunctionCallContent)request.ToolCall).Name);
        Assert.IsType<RunRequirement>(request.RawRepresentation);

        var done = await team.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), session);

        Assert.Equal("Team: Done: Record rec-9 deleted", done.Text);
        Assert.Single(done.Messages);
    }

    [Fact]
    public async Task A_workflow_step_to_confirm_is_an_approval_request_and_confirming_runs_the_step()
    {
        await using var host = await TestHost.StartAsync();
        var workflow = host.Client.GetRemoteWorkflow("publish-workflow").AsAIAgent();
        var session = await workflow.CreateSessionAsync();

        var paused = await workflow.RunAsync("bread", session);
        var request = Assert.Single(paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("publish", ((FunctionCallContent)request.ToolCall).Name);
        Assert.Equal("Publish the report?", request.AdditionalProperties?[AgentOSPropertyNames.Message]);

        var done = await workflow.RunStreamingAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), session).ToListAsync();

        Assert.Equal("PUBLISHED: Draft on bread", string.Concat(done.Select(u => u.Text)));
    }

    [Fact]
    public async Task A_workflow_step_input_is_asked_and_the_value_reaches_the_step()
    {
        await using var host = await TestHost.StartAsync();
        var workflow = host.Client.GetRemoteWorkflow("note-workflow").AsAIAgent();
        var session = await workflow.CreateSessionAsync();

        var paused = await workflow.RunStreamingAsync("review this", session).ToListAsync();
        var request = Assert.Single(paused.SelectMany(u => u.Contents).OfType<AgnoInputRequestContent>());
        Assert.Equal("Add a note", request.Message);
        Assert.Equal("note", Assert.Single(request.Fields).Name);

        var done = await workflow.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse("note", "ok")]), session);

        Assert.Equal("NOTE[ok]: review this", done.Text);
    }

    [Fact]
    public async Task Answering_a_run_twice_or_from_another_session_fails_with_a_clear_error()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = await agent.CreateSessionAsync();
        var paused = await agent.RunAsync("delete rec-4", session);
        var request = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), session);

        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), session));
        Assert.Contains("not paused", twice.Message, StringComparison.Ordinal);
        var other = await agent.CreateSessionAsync();
        await agent.RunAsync("hello", other);
        await Assert.ThrowsAsync<ArgumentException>(() => agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), other));
    }
}

public sealed class AdminApprovalTests
{
    [Fact]
    public async Task A_tool_waiting_for_an_admin_approval_says_so_on_its_approval_request()
    {
        await using var server = await Agno.Testing.ReplayServer.StartAsync(Agno.Testing.FixtureSet.More29);
        server.Serve("313"); // a streamed run (what the agent sends) that pauses at an @approval tool
        using var client = new AgentOSClient(server.BaseAddress);
        var agent = client.GetRemoteAgent("approval-agent").AsAIAgent();

        var paused = await agent.RunAsync("delete rec-8", await agent.CreateSessionAsync());

        Assert.Equal("delete rec-8", Agno.Testing.RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body).Single(p => p.Name == "message").Value);
        var request = Assert.Single(paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        string recorded = System.Text.RegularExpressions.Regex.Match(Agno.Testing.FixtureSet.More29.Get("313").ResponseText, "\"approval_id\":\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(recorded);
        Assert.Equal("required", request.AdditionalProperties![AgnoPropertyNames.ApprovalType]);
        Assert.Equal(recorded, request.AdditionalProperties[AgnoPropertyNames.ApprovalId]);
    }
}
