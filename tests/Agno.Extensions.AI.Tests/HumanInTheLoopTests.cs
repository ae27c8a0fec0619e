using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Extensions.AI.Tests;

public sealed class HumanInTheLoopTests
{
    [Fact]
    public async Task Paused_run_becomes_an_approval_request_and_the_approval_continues_it()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082", "083");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();

        var paused = await chat.GetResponseAsync("delete rec-42", new ChatOptions { ConversationId = "fixture-hitl-session" });

        RequestAssert.Matches(Fixtures.Get("082"), server.Last);
        Assert.Equal(ChatFinishReason.ToolCalls, paused.FinishReason);
        Assert.Equal(string.Empty, paused.Text);
        var request = Assert.Single(paused.Messages[0].Contents.OfType<ToolApprovalRequestContent>());
        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.True(call.InformationalOnly);
        Assert.Equal("delete_record", call.Name);
        Assert.Equal("call_3dcc58c8ec76ad0e", call.CallId);
        Assert.Equal("rec-42", ((JsonElement)call.Arguments!["record_id"]!).GetString());
        Assert.DoesNotContain(paused.Messages[0].Contents, c => c is FunctionCallContent);

        var done = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), new ChatOptions { ConversationId = paused.ConversationId });

        RequestAssert.Matches(Fixtures.Get("083"), server.Last);
        Assert.Equal("Tool result: Record rec-42 deleted", done.Text);
        Assert.Equal(ChatFinishReason.Stop, done.FinishReason);
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task Answering_leaves_the_paused_response_the_caller_holds_unchanged_and_a_retry_starts_from_the_pause()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl-session" };
        var paused = await chat.GetResponseAsync("delete rec-42", options);
        var request = Assert.Single(paused.Messages[0].Contents.OfType<ToolApprovalRequestContent>());
        var rawTool = Assert.IsType<ToolExecution>(request.RawRepresentation);
        var outputTool = Assert.Single(Assert.IsType<AgentRunOutput>(paused.RawRepresentation).Tools!);

        // The first answer (an approval with a note) fails on the server.
        server.AnswerWith(400, "application/json", "{\"detail\":\"try again\"}");
        await Assert.ThrowsAnyAsync<AgentOSException>(() => chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true, "first try")]), options));

        Assert.Null(rawTool.Confirmed);
        Assert.Null(rawTool.ConfirmationNote);
        Assert.Null(outputTool.Confirmed);
        Assert.True(rawTool.NeedsHumanAction);

        // The retry, a plain approval, sends the paused run as it was plus this answer only (no note of the first try).
        server.Handler = null;
        server.Serve("083");
        var done = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), options);

        RequestAssert.Matches(Fixtures.Get("083"), server.Last);
        Assert.Equal("Tool result: Record rec-42 deleted", done.Text);
        Assert.Null(rawTool.Confirmed);
    }

    [Fact]
    public async Task Streamed_pause_and_a_rejection_with_a_note_round_trip_through_the_history()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("084", "085");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();
        List<ChatMessage> history = [new(ChatRole.User, "delete rec-77")];
        var options = new ChatOptions { ConversationId = "fixture-hitl-session" };

        var updates = await chat.GetStreamingResponseAsync(history, options).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("084"), server.Last);
        var pausedUpdate = updates[^1];
        Assert.IsType<RunPausedEvent>(pausedUpdate.RawRepresentation);
        Assert.Equal(ChatFinishReason.ToolCalls, pausedUpdate.FinishReason);
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(pausedUpdate.Contents));
        Assert.Equal("delete_record", ((FunctionCallContent)request.ToolCall).Name);

        history.AddRange(updates.ToChatResponse().Messages);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: false, reason: "not allowed in fixtures")]));
        var continued = await chat.GetStreamingResponseAsync(history, new ChatOptions { ConversationId = updates[^1].ConversationId }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("085"), server.Last);
        Assert.Equal(ChatFinishReason.Stop, continued[^1].FinishReason);
        Assert.False(string.IsNullOrEmpty(continued.Text()));
        Assert.All(continued, u => Assert.Equal("efa09113-6cde-429f-8cc2-4093c6d2dd01", u.ResponseId));
    }

    [Fact]
    public async Task A_client_that_did_not_see_the_pause_fetches_the_paused_run_from_the_server()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("086");
        using var client = TestSupport.Client(server);
        var paused = await client.GetRemoteAgent("tool-agent").AsIChatClient().GetResponseAsync("delete rec-99", new ChatOptions { ConversationId = "fixture-hitl-session" });
        RequestAssert.Matches(Fixtures.Get("086"), server.Last);
        var request = Assert.Single(paused.Messages[0].Contents.OfType<ToolApprovalRequestContent>());

        // The history is serialized and read back by another process: no raw objects, a new chat client.
        var json = JsonSerializer.Serialize(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), AIJsonUtilities.DefaultOptions);
        var answer = JsonSerializer.Deserialize<ChatMessage>(json, AIJsonUtilities.DefaultOptions)!;
        string runId = "7c20ab34-477d-452e-8ed2-6b4c911751de";
        server.Serve(TestSupport.StoredRun("agents", "tool-agent", runId, "fixture-hitl-session", "086"), new ServeOptions());
        server.Serve("087");
        using var otherChat = client.GetRemoteAgent("tool-agent").AsIChatClient();

        var updates = await otherChat.GetStreamingResponseAsync([answer]).ToListAsync();

        var get = server.Received[^2];
        Assert.Equal("GET", get.Method);
        Assert.Equal($"/agents/tool-agent/runs/{runId}", get.Path);
        Assert.Equal("?session_id=fixture-hitl-session", get.Query);
        RequestAssert.Matches(Fixtures.Get("087"), server.Last);
        Assert.Contains(updates.SelectMany(u => u.Contents), c => c is FunctionResultContent { Result: not null });
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public async Task User_input_request_lists_the_fields_and_its_answer_fills_them()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("160", "161");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("hitl-agent").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl2-session" };

        var paused = await chat.GetResponseAsync("open ticket printer is broken", options);

        RequestAssert.Matches(Fixtures.Get("160"), server.Last);
        var request = Assert.Single(paused.Messages[0].Contents.OfType<AgnoInputRequestContent>());
        Assert.Equal(["title", "priority"], request.Fields.Select(f => f.Name));
        Assert.Equal("printer is broken", request.Fields[0].Value!.GetValue<string>());
        Assert.Null(request.Fields[1].Value);
        Assert.Equal("create_ticket", request.ToolCall!.Name);
        Assert.True(request.ToolCall.InformationalOnly);
        Assert.IsAssignableFrom<InputRequestContent>(request);

        var done = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse("priority", "high")]), options);

        RequestAssert.Matches(Fixtures.Get("161"), server.Last);
        Assert.Equal("Tool result: Ticket 'printer is broken' created with priority high", done.Text);
    }

    [Fact]
    public async Task Input_requests_and_answers_survive_json_and_continue_from_another_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("160");
        using var client = TestSupport.Client(server);
        var options = new ChatOptions { ConversationId = "fixture-hitl2-session" };
        var paused = await client.GetRemoteAgent("hitl-agent").AsIChatClient().GetResponseAsync("open ticket printer is broken", options);

        // A web app stores the history as JSON and answers later in another process.
        var stored = JsonSerializer.Serialize(paused.Messages, AgnoJsonUtilities.DefaultOptions);
        var history = JsonSerializer.Deserialize<List<ChatMessage>>(stored, AgnoJsonUtilities.DefaultOptions)!;
        var request = Assert.IsType<AgnoInputRequestContent>(Assert.Single(history[0].Contents));
        Assert.Equal("priority", request.Fields[1].Name);
        Assert.Equal("create_ticket", request.ToolCall!.Name);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse("priority", "high")]));
        var answer = JsonSerializer.Deserialize<List<ChatMessage>>(JsonSerializer.Serialize(history, AgnoJsonUtilities.DefaultOptions), AgnoJsonUtilities.DefaultOptions)!;
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(history, AIJsonUtilities.DefaultOptions));

        server.Serve(TestSupport.StoredRun("agents", "hitl-agent", "4bd38c85-ef71-43c9-8f9a-186d491a19a8", "fixture-hitl2-session", "160"), new ServeOptions());
        server.Serve("161");
        var done = await client.GetRemoteAgent("hitl-agent").AsIChatClient().GetResponseAsync(answer, options);

        RequestAssert.Matches(Fixtures.Get("161"), server.Last);
        Assert.Equal("Tool result: Ticket 'printer is broken' created with priority high", done.Text);
    }

    [Fact]
    public async Task Streamed_user_input_round_trip()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("162", "163");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("hitl-agent").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl2-session" };

        var updates = await chat.GetStreamingResponseAsync("open ticket wifi down", options).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("162"), server.Last);
        var request = Assert.Single(updates.SelectMany(u => u.Contents).OfType<AgnoInputRequestContent>());

        var continued = await chat.GetStreamingResponseAsync(
            new ChatMessage(ChatRole.User, [request.CreateResponse(new Dictionary<string, JsonNode?> { ["priority"] = "high" })]), options).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("163"), server.Last);
        Assert.Contains("priority high", continued.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_execution_is_a_call_the_caller_runs_and_its_result_continues_the_run()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("164", "165");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("hitl-agent").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl2-session" };

        var paused = await chat.GetResponseAsync("please run ls -la /tmp", options);

        RequestAssert.Matches(Fixtures.Get("164"), server.Last);
        var call = Assert.Single(paused.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.False(call.InformationalOnly);
        Assert.Equal("run_shell_command", call.Name);

        var done = await chat.GetResponseAsync(
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "total 0\n-rw-r--r-- 1 user user 0 notes.txt")]), options);

        RequestAssert.Matches(Fixtures.Get("165"), server.Last);
        Assert.Equal("Tool result: total 0\n-rw-r--r-- 1 user user 0 notes.txt", done.Text);
    }

    [Fact]
    public async Task Team_member_pause_is_answered_through_the_team_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("170", "171");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteTeam("hitl-team").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl-team" };

        var paused = await chat.GetResponseAsync("delete rec-5", options);

        RequestAssert.Matches(Fixtures.Get("170"), server.Last);
        var request = Assert.Single(paused.Messages[0].Contents.OfType<ToolApprovalRequestContent>());
        Assert.Equal("delete_record", ((FunctionCallContent)request.ToolCall).Name);
        Assert.Equal("confirm-member", Assert.IsType<RunRequirement>(request.RawRepresentation).MemberAgentId);

        var done = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), options);

        RequestAssert.Matches(Fixtures.Get("171"), server.Last);
        Assert.Contains("Record rec-5 deleted", done.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Team_leader_pause_streamed_and_rejected_with_a_note()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("172", "173");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteTeam("hitl-team").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl-team" };

        var updates = await chat.GetStreamingResponseAsync("purge sessions", options).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("172"), server.Last);
        var request = Assert.Single(updates.SelectMany(u => u.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("purge_cache", ((FunctionCallContent)request.ToolCall).Name);

        var continued = await chat.GetStreamingResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(false, "not today")]), options).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("173"), server.Last);
        Assert.Equal("Team: not today", continued.ToChatResponse().Text);
    }

    [Fact]
    public async Task Another_adapter_reports_a_streamed_pause_with_the_public_factory_and_continues_from_its_output()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("172", "173");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteComponent(AgentOSComponentKind.Team, "hitl-team");

        var result = await team.RunStreamingAsync(new RunRequest("purge sessions") { SessionId = "fixture-hitl-team" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("172"), server.Last);
        var paused = AgnoRunPausedException.FromPausedRun(team, team.ToRunOutput(result));

        Assert.Contains("team 'hitl-team'", paused.Message, StringComparison.Ordinal);
        Assert.Contains("approval of 'purge_cache'", paused.Message, StringComparison.Ordinal);
        Assert.Equal(result.RunId, paused.RunId);
        Assert.Equal("fixture-hitl-team", paused.SessionId);
        var output = Assert.IsType<TeamRunOutput>(paused.Output);
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(paused.Requests));
        Assert.Equal("purge_cache", ((FunctionCallContent)request.ToolCall).Name);
        var requirement = Assert.Single(output.Requirements!);
        Assert.Same(requirement, request.RawRepresentation);

        requirement.Reject("not today");
        var continued = await team.ContinueStreamingAsync(output.RunId!, ContinueRunRequest.From(output)).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("173"), server.Last);
        Assert.Equal("Team: not today", continued.Content);
    }

    [Fact]
    public async Task Streamed_member_pause_yields_one_request_from_the_team_pause()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("174");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteTeam("hitl-team").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("delete rec-9", new ChatOptions { ConversationId = "fixture-hitl-team" }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("174"), server.Last);
        var withRequest = Assert.Single(updates, u => u.Contents.OfType<ToolApprovalRequestContent>().Any());
        Assert.Equal("TeamRunPaused", ((AgentOSEvent)withRequest.RawRepresentation!).Event);
        Assert.Single(withRequest.Contents);
    }

    [Fact]
    public async Task Workflow_step_confirmation_then_step_input_continue_the_workflow()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("175", "176", "177");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteWorkflow("hitl-workflow").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl-wf" };

        var first = await chat.GetResponseAsync("workflow hitl", options);
        RequestAssert.Matches(Fixtures.Get("175"), server.Last);
        var approval = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(first.Messages[0].Contents));
        Assert.Equal("confirm-echo", ((FunctionCallContent)approval.ToolCall).Name);
        Assert.Equal("Run the echo step?", approval.AdditionalProperties![AgnoPropertyNames.Message]);

        var second = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [approval.CreateResponse(true)]), options);
        RequestAssert.Matches(Fixtures.Get("176"), server.Last);
        Assert.Equal(ChatFinishReason.ToolCalls, second.FinishReason);
        var input = Assert.IsType<AgnoInputRequestContent>(Assert.Single(second.Messages[0].Contents));
        Assert.Equal("Add a note to the result", input.Message);
        Assert.Equal("note", Assert.Single(input.Fields).Name);

        var updates = await chat.GetStreamingResponseAsync(new ChatMessage(ChatRole.User, [input.CreateResponse("note", "looks good")]), options).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("177"), server.Last);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Contains("looks good", updates.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streamed_workflow_pause_yields_its_step_request_once()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("178");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteWorkflow("hitl-workflow").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("workflow hitl stream", new ChatOptions { ConversationId = "fixture-hitl-wf" }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("178"), server.Last);
        var request = Assert.Single(updates.SelectMany(u => u.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("confirm-echo", ((FunctionCallContent)request.ToolCall).Name);
        Assert.IsType<WorkflowRunOutputEvent>(updates[^1].RawRepresentation);
    }

    [Fact]
    public async Task An_answer_that_matches_nothing_is_refused_before_anything_is_continued()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();
        var paused = await chat.GetResponseAsync("delete rec-42", new ChatOptions { ConversationId = "fixture-hitl-session" });
        var request = Assert.Single(paused.Messages[0].Contents.OfType<ToolApprovalRequestContent>());
        var forged = new ToolApprovalResponseContent(request.RequestId.Replace("call_3dcc58c8ec76ad0e", "call_other", StringComparison.Ordinal), true, request.ToolCall);

        await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync(new ChatMessage(ChatRole.User, [forged])));

        Assert.Single(server.Received);
    }
}

public sealed class AdminApprovalTests
{
    [Fact]
    public async Task A_tool_waiting_for_an_admin_approval_says_so_on_its_approval_request()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.More29);
        server.Serve("300", "319");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("approval-agent").AsIChatClient();

        var admin = await chat.GetResponseAsync("delete rec-7", new ChatOptions { ConversationId = "appr-s1", AdditionalProperties = new() { [AgnoPropertyNames.UserId] = "appr-user" } });
        RequestAssert.Matches(FixtureSet.More29.Get("300"), server.Last);
        var audit = await chat.GetResponseAsync("purge cache-a", new ChatOptions { ConversationId = "appr-s4", AdditionalProperties = new() { [AgnoPropertyNames.UserId] = "appr-user" } });
        RequestAssert.Matches(FixtureSet.More29.Get("319"), server.Last);

        var request = Assert.Single(admin.Messages[0].Contents.OfType<ToolApprovalRequestContent>());
        var tool = Assert.Single(Assert.IsType<AgentRunOutput>(admin.RawRepresentation).Tools!);
        Assert.Equal("required", request.AdditionalProperties![AgnoPropertyNames.ApprovalType]);
        Assert.Equal(tool.ApprovalId, request.AdditionalProperties[AgnoPropertyNames.ApprovalId]);
        var auditRequest = Assert.Single(audit.Messages[0].Contents.OfType<ToolApprovalRequestContent>());
        Assert.Equal("audit", auditRequest.AdditionalProperties![AgnoPropertyNames.ApprovalType]);
        Assert.False(auditRequest.AdditionalProperties.ContainsKey(AgnoPropertyNames.ApprovalId));
    }

    [Fact]
    public async Task A_pause_reported_as_an_exception_names_an_admin_approval_as_one_the_caller_cannot_give()
    {
        // what Semantic Kernel's AgentOSAgent and the kernel functions throw for a paused run
        await using var server = await ReplayServer.StartAsync(FixtureSet.More29);
        server.Serve("300", "319");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("approval-agent");

        var admin = await agent.RunAsync(new RunRequest("delete rec-7") { SessionId = "appr-s1", UserId = "appr-user" });
        var audit = await agent.RunAsync(new RunRequest("purge cache-a") { SessionId = "appr-s4", UserId = "appr-user" });
        var adminPause = AgnoRunPausedException.FromPausedRun(agent, admin);
        var auditPause = AgnoRunPausedException.FromPausedRun(agent, audit);

        string approvalId = admin.Tools!.Single().ApprovalId!;
        Assert.Contains($"an admin's approval of '{admin.Tools!.Single().ToolName}' (central approval '{approvalId}'", adminPause.Message, StringComparison.Ordinal);
        Assert.Contains("ResolveApprovalAsync", adminPause.Message, StringComparison.Ordinal);
        Assert.Contains($"approval of '{audit.Tools!.Single().ToolName}'", auditPause.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", auditPause.Message, StringComparison.Ordinal);
    }
}
