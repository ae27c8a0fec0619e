using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>The Agno.AgentOS client against this host over loopback.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Discovery_shows_the_served_components()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();

        var health = await client.GetHealthAsync();
        var home = await client.GetApiHomeAsync();
        var info = await client.GetInfoAsync();
        var config = await client.GetConfigAsync();
        var agents = await client.ListAgentsAsync();
        var toolAgent = await client.GetAgentAsync("tool-agent");
        var team = await client.GetTeamAsync("echo-team");
        var workflow = await client.GetWorkflowAsync("echo-workflow");
        var models = await client.GetModelsAsync();

        Assert.Equal("ok", health.Status);
        Assert.Equal("echo-os", home.Id);
        Assert.Equal(("echo-os", 2, 1, 1, "none"), (info.OsId, info.AgentCount, info.TeamCount, info.WorkflowCount, info.AuthMode));
        Assert.Equal(["echo-agent", "tool-agent"], config.Agents!.Select(a => a.Id!));
        Assert.Equal("coordinate", config.Teams!.Single().Mode);
        Assert.Equal(["echo-agent", "tool-agent"], agents.Select(a => a.Id!));
        Assert.Equal(["add", "delete_record"], toolAgent.Tools!.Tools!.Select(t => t.Name!));
        Assert.True(toolAgent.Tools.Tools![1].RequiresConfirmation);
        Assert.Equal(["echo-member", "shout-member"], team.Members!.Select(m => m.Id!));
        Assert.Equal(["echo", "upper"], workflow.Steps!.Select(s => s["name"]!.GetValue<string>()));
        Assert.Equal(("echo-model", "Echo"), (models.Single().EffectiveId, models.Single().Provider));
    }

    [Fact]
    public async Task A_run_answers_with_the_chat_clients_text_and_a_new_session()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));

        Assert.Equal("Echo: hello world (turn 1)", output.Content);
        Assert.True(output.Status.IsCompleted);
        Assert.True(Guid.TryParse(output.SessionId, out _));
        Assert.Equal(15, output.Metrics!.TotalTokens);
        Assert.Equal(["system", "user", "assistant"], output.Messages!.Select(m => m.Role!));
    }

    [Fact]
    public async Task A_streamed_run_yields_deltas_that_add_up_to_the_completed_content()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var deltas = new List<string>();

        var result = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world"))
            .CollectAsync(e => { if (e is RunContentEvent c) { deltas.Add(c.Content!); } });

        Assert.Equal("Echo: hello streaming world (turn 1)", result.Content);
        Assert.Equal(result.Content, string.Concat(deltas));
        Assert.True(deltas.Count > 1, "the echo model streams word by word");
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("Echo: hello streaming world (turn 1)", result.CompletedEvent!.Content);
    }

    [Fact]
    public async Task A_session_keeps_its_history_across_turns()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("echo-agent");

        var first = await agent.RunAsync("first", "e2e-session");
        var second = await agent.RunAsync("second", "e2e-session");
        var third = await agent.RunStreamingAsync("third", "e2e-session").CollectAsync();
        var runs = await agent.ListRunsAsync("e2e-session");
        var stored = await agent.GetRunAsync(second.RunId!, "e2e-session");

        Assert.Equal("Echo: first (turn 1)", first.Content);
        Assert.Equal("Echo: second (turn 2)", second.Content);
        Assert.Equal("Echo: third (turn 3)", third.Content);
        Assert.Equal(3, runs.Count);
        Assert.Equal(["first", "second", "third"], runs.Select(r => r.RunInput!));
        Assert.Equal("Echo: second (turn 2)", stored.Content);
    }

    [Fact]
    public async Task A_team_run_streams_the_members_events_inside_the_teams()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var events = new List<AgentOSEvent>();

        var result = await client.RunTeamStreamingAsync("echo-team", new RunRequest("team hello")).CollectAsync(events.Add);
        var nonStreamed = await client.RunTeamAsync("echo-team", new RunRequest("team again"));

        Assert.Equal("Team: Member: team hello (turn 1)", result.Content);
        string teamRunId = events[0].RunId!;
        var memberStarted = Assert.Single(events, e => e is RunStartedEvent && e.Scope == EventScope.Agent);
        Assert.Equal(teamRunId, memberStarted.ParentRunId);
        Assert.Equal("echo-member", memberStarted.AgentId);
        int delegation = events.FindIndex(e => e.Event == "TeamToolCallStarted");
        int memberDone = events.FindIndex(e => e.Event == "RunCompleted");
        int delegationDone = events.FindIndex(e => e.Event == "TeamToolCallCompleted");
        Assert.True(delegation < memberDone && memberDone < delegationDone, "member events come between the delegation's start and end");
        Assert.Equal("TeamRunCompleted", events[^1].Event);
        Assert.Equal("Member: team again (turn 1)", Assert.Single(nonStreamed.MemberResponses!).Content);
    }

    [Fact]
    public async Task A_workflow_feeds_each_steps_output_to_the_next()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var events = new List<AgentOSEvent>();

        var output = await client.RunWorkflowAsync("echo-workflow", new RunRequest("workflow hello"));
        var streamed = await client.RunWorkflowStreamingAsync("echo-workflow", new RunRequest("streamed")).CollectAsync(events.Add);

        Assert.Equal("UPPER: WF: WORKFLOW HELLO (TURN 1)", output.Content);
        Assert.Equal(["echo", "upper"], output.StepResults!.Select(s => s.StepName!));
        Assert.Equal("WF: workflow hello (turn 1)", output.StepResults![0].Content);
        Assert.Equal("UPPER: WF: STREAMED (TURN 1)", streamed.Content);
        Assert.Equal(2, events.OfType<StepStartedEvent>().Count());
        Assert.Equal(2, events.OfType<StepCompletedEvent>().Count());
        Assert.Contains(events, e => e is RunContentEvent { StepName: "echo" });
    }

    [Fact]
    public async Task A_paused_run_is_continued_with_the_humans_confirmation()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("tool-agent");

        var paused = await agent.RunAsync("delete rec-1", "hitl-e2e");
        var tool = Assert.Single(paused.Tools!);
        tool.Confirm();
        var done = await agent.ContinueAsync(paused);

        Assert.True(paused.IsPaused);
        Assert.True(tool.RequiresConfirmation);
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal("Tool result: Record rec-1 deleted", done.Content);
        Assert.Equal(paused.RunId, done.RunId);
    }

    [Fact]
    public async Task A_rejected_tool_is_not_run_and_the_model_is_told()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("tool-agent");

        var paused = await agent.RunStreamingAsync("delete rec-2", "reject-e2e").CollectAsync();
        paused.Tools.Single().Reject("not today");
        var done = await agent.ContinueStreamingAsync(paused).CollectAsync();

        Assert.True(paused.IsPaused);
        Assert.Equal("Tool result: not today", done.Content);
        Assert.Empty(done.ToolCalls);
    }

    [Fact]
    public async Task Approval_and_input_requests_of_the_chat_client_come_back_to_it_as_responses()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddExtended);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("hitl-agent");
        var scripted = (ScriptedChatClient)host.Services.GetAgent("hitl-agent").ChatClient;

        var approval = await agent.RunStreamingAsync("delete rec-7", "meai-hitl").CollectAsync();
        approval.Tools.Single().Confirm("fine");
        var approved = await agent.ContinueStreamingAsync(approval).CollectAsync();
        var approvalResponse = scripted.Calls[^1].SelectMany(m => m.Contents).OfType<ToolApprovalResponseContent>().Single();

        var input = await agent.RunAsync("open ticket printer down", "meai-hitl");
        input.Tools!.Single().SetUserInput("priority", JsonValue.Create("high"));
        var answered = await agent.ContinueAsync(input);
        var inputResponse = scripted.Calls[^1].SelectMany(m => m.Contents).OfType<AgnoInputResponseContent>().Single();

        Assert.True(approval.IsPaused);
        Assert.True(approvalResponse.Approved);
        Assert.Equal("fine", approvalResponse.Reason);
        Assert.Equal("delete_record", ((FunctionCallContent)approvalResponse.ToolCall).Name);
        Assert.Equal("Tool result: Record rec-7 deleted", approved.Content);
        Assert.Single(approved.ToolCalls, t => t.ToolName == "delete_record");

        Assert.True(input.Tools!.Single().RequiresUserInput);
        Assert.Equal("high", inputResponse.Values["priority"]!.GetValue<string>());
        Assert.Equal("Tool result: Ticket 'printer down' created with priority high", answered.Content);
    }

    [Fact]
    public async Task An_input_request_without_a_tool_call_pauses_with_its_fields_and_gets_the_values_back()
    {
        var asker = new ScriptedChatClient(turn => turn.InputResponses.Count > 0
            ? [new TextContent($"Noted: {turn.InputResponses[0].Values["note"]} ({turn.InputResponses[0].RequestId})")]
            : [new AgnoInputRequestContent("ask-1") { Message = "A note?", Fields = [new UserInputField { Name = "note", FieldType = "str", Description = "A note to keep" }] }]);
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.AddAgent("asker", asker));
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("asker");

        var paused = await agent.RunAsync("start", "ask-session");
        var tool = paused.Tools!.Single();
        var field = tool.UserInputSchema!.Single();
        tool.SetUserInput("note", JsonValue.Create("keep it short"));
        var done = await agent.ContinueAsync(paused);

        Assert.True(paused.IsPaused);
        Assert.True(tool.RequiresUserInput);
        Assert.Equal(("note", "str", "A note to keep"), (field.Name, field.FieldType, field.Description));
        Assert.Equal("Noted: keep it short (ask-1)", done.Content);
    }

    [Fact]
    public async Task An_externally_executed_tool_gets_its_result_from_the_caller()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddExtended);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("hitl-agent");

        var paused = await agent.RunAsync("please run uname -a", "external-e2e");
        var tool = paused.Tools!.Single();
        tool.SetResult("Linux");
        var done = await agent.ContinueAsync(paused);

        Assert.True(tool.ExternalExecutionRequired);
        Assert.Equal("Tool result: Linux", done.Content);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_the_chat_client_and_ends_the_stream_as_AgentOS_does()
    {
        var probe = new CancellationProbe();
        await using var host = await FixtureHost.StartAsync(_ => { }, extra: b => b.AddAgent("slow-agent", probe));
        using var client = host.CreateClient();
        var events = new List<AgentOSEvent>();

        await foreach (var e in client.RunAgentStreamingAsync("slow-agent", new RunRequest("go") { SessionId = "cancel-e2e" }))
        {
            events.Add(e);
            if (e is RunContentEvent && events.OfType<RunContentEvent>().Count() == 2)
            {
                await client.CancelAgentRunAsync("slow-agent", e.RunId!);
            }
        }

        var stored = await client.GetAgentRunAsync("slow-agent", events[0].RunId!, "cancel-e2e");
        Assert.True(probe.Cancelled.Task.IsCompletedSuccessfully, "the chat client's token was cancelled");
        Assert.Equal(["RunCancelled", "RunCompleted"], events.TakeLast(2).Select(e => e.Event));
        Assert.Equal(RunStatus.Cancelled, stored.Status);
        Assert.StartsWith("tick0 tick1 ", stored.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_run_nobody_knows_is_accepted()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();

        await client.CancelAgentRunAsync("echo-agent", Guid.NewGuid().ToString());
        var error = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.CancelAgentRunAsync("no-such-agent", "x"));

        Assert.Equal("Agent not found", error.Detail);
    }

    [Fact]
    public async Task A_wrong_or_missing_key_is_refused_with_AgentOS_messages()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "s3cret");
        using var anonymous = host.CreateClient();
        using var wrong = host.CreateClient("nope");
        using var right = host.CreateClient("s3cret");

        var missing = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => anonymous.ListAgentsAsync());
        var invalid = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => wrong.RunAgentAsync("echo-agent", new RunRequest("hi")));
        var health = await anonymous.GetHealthAsync();
        var info = await anonymous.GetInfoAsync();
        var output = await right.RunAgentAsync("echo-agent", new RunRequest("hi"));

        Assert.Equal("Authorization header required", missing.Detail);
        Assert.Equal("Invalid authentication token", invalid.Detail);
        Assert.Equal("ok", health.Status);
        Assert.Equal("security_key", info.AuthMode);
        Assert.Equal("Echo: hi (turn 1)", output.Content);
    }

    [Fact]
    public async Task A_sqlite_database_of_schema_version_2_is_read_back_and_its_runs_are_sent_as_the_host_writes_json()
    {
        string file = Path.Combine(Path.GetTempPath(), $"agentos-v2-{Guid.NewGuid():N}.db");
        string connection = $"Data Source={file};Pooling=False";
        try
        {
            using (var db = new Microsoft.Data.Sqlite.SqliteConnection(connection))
            {
                db.Open();
                using var create = db.CreateCommand();
                // the tables and a row as version 2 of the store wrote them; the run's output as TEXT with the escapes
                // of the serializer's default encoder (\u00e9 for é), which the host does not write
                create.CommandText = """
                    CREATE TABLE agentos_sessions (session_id TEXT NOT NULL PRIMARY KEY, session_type TEXT NOT NULL, component_id TEXT NULL,
                      user_id TEXT NULL, session_name TEXT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                      session_state TEXT NULL, metadata TEXT NULL, summary TEXT NULL);
                    CREATE TABLE agentos_runs (seq INTEGER PRIMARY KEY, session_id TEXT NOT NULL, run_id TEXT NOT NULL, component_id TEXT NULL,
                      status TEXT NULL, summary BLOB NOT NULL, resume_state BLOB NULL, output BLOB NOT NULL, UNIQUE (session_id, run_id));
                    INSERT INTO agentos_sessions VALUES ('old', 'agent', 'echo-agent', NULL, 'café', 638000000000000000, 638000000000000000, '{}', NULL, NULL);
                    INSERT INTO agentos_runs (session_id, run_id, component_id, status, summary, resume_state, output) VALUES ('old', 'r-old', 'echo-agent', 'COMPLETED',
                      '{"run_id":"r-old","status":"COMPLETED","agent_id":"echo-agent"}', NULL,
                      '{"run_id":"r-old","agent_id":"echo-agent","session_id":"old","content":"Echo: caf\u00e9 (turn 1)","status":"COMPLETED","created_at":1700000000,"messages":[{"role":"user","content":"caf\u00e9","from_history":false,"stop_after_tool_call":false,"created_at":1700000000},{"role":"assistant","content":"Echo: caf\u00e9 (turn 1)","from_history":false,"stop_after_tool_call":false,"created_at":1700000000}]}');
                    PRAGMA user_version = 2;
                    """;
                create.ExecuteNonQuery();
            }

            await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.UseSqliteSessionStore(connection));
            using var client = host.CreateClient();
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            var next = await client.RunAgentAsync("echo-agent", new RunRequest("again") { SessionId = "old" });
            using var raw = await http.GetAsync(new Uri("agents/echo-agent/runs/r-old?session_id=old", UriKind.Relative));
            byte[] body = await raw.Content.ReadAsByteArrayAsync();
            string text = System.Text.Encoding.UTF8.GetString(body);
            using (var db = new Microsoft.Data.Sqlite.SqliteConnection(connection))
            {
                db.Open();
                using var type = db.CreateCommand();
                type.CommandText = "SELECT typeof(output) || ' ' || (SELECT user_version FROM pragma_user_version) FROM agentos_runs WHERE run_id = 'r-old'";
                Assert.Equal("blob 3", (string?)type.ExecuteScalar()); // migrated once to a UTF-8 BLOB
            }

            Assert.Equal("Echo: again (turn 2)", next.Content); // the old run is the history of the new one
            Assert.Equal(body.Length, raw.Content.Headers.ContentLength);
            Assert.Contains("\"content\":\"Echo: café (turn 1)\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u00e9", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_sqlite_session_survives_a_restart_of_the_host()
    {
        string file = Path.Combine(Path.GetTempPath(), $"agentos-e2e-{Guid.NewGuid():N}.db");
        string connection = $"Data Source={file};Pooling=False";
        try
        {
            string pausedRunId;
            await using (var first = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.UseSqliteSessionStore(connection)))
            {
                using var client = first.CreateClient();
                await client.RunAgentAsync("echo-agent", new RunRequest("one") { SessionId = "durable" });
                await client.RunAgentAsync("echo-agent", new RunRequest("two") { SessionId = "durable" });
                pausedRunId = (await client.RunAgentAsync("tool-agent", new RunRequest("delete rec-9") { SessionId = "durable-hitl" })).RunId!;
            }

            await using var second = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.UseSqliteSessionStore(connection));
            using var again = second.CreateClient();
            var third = await again.RunAgentAsync("echo-agent", new RunRequest("three") { SessionId = "durable" });
            var runs = await again.ListAgentRunsAsync("echo-agent", "durable");
            var paused = await again.GetAgentRunAsync("tool-agent", pausedRunId, "durable-hitl");
            paused.Tools!.Single().Confirm();
            var continued = await again.ContinueAgentRunAsync("tool-agent", pausedRunId, ContinueRunRequest.From(paused));

            Assert.Equal("Echo: three (turn 3)", third.Content);
            Assert.Equal(3, runs.Count);
            Assert.Equal("Tool result: Record rec-9 deleted", continued.Content);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_failing_chat_client_fails_the_run_as_AgentOS_does()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddExtended);
        using var client = host.CreateClient();

        var failed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentAsync("fail-agent", new RunRequest("hi")));
        var streamed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentStreamingAsync("fail-agent", new RunRequest("hi")).CollectAsync());

        Assert.Equal(FailingChatClient.Message, failed.Detail);
        Assert.Equal(RunStatus.Error, failed.Output!.Status);
        Assert.Equal("model_provider_error", streamed.ErrorType);
    }

    [Fact]
    public async Task A_workflow_step_is_confirmed_and_given_input_before_it_runs()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddExtended);
        using var client = host.CreateClient();
        var workflow = client.GetRemoteWorkflow("hitl-workflow");

        var first = await workflow.RunAsync("review this", "wf-hitl-e2e");
        first.StepRequirements!.Single().Confirm();
        var second = await workflow.ContinueAsync(first);
        second.StepRequirements!.Last().SetUserInput("note", JsonValue.Create("ok"));
        var done = await workflow.ContinueStreamingAsync(second.RunId!, ContinueRunRequest.From(second)).CollectAsync();

        Assert.Equal(("confirm-echo", "annotate"), (first.PausedStepName, second.PausedStepName));
        Assert.Equal("NOTE[ok]: WF-HITL: review this (turn 1)", done.Content);
    }
}

/// <summary>A chat client that streams "tickN " slowly and reports when its token is cancelled.</summary>
internal sealed class CancellationProbe : IChatClient
{
    public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Two ticks, then the model waits until the run is cancelled (no clock: the test cancels after the second
        // tick); a cancel that never arrives ends the wait after a generous bound, so the test fails instead of hanging.
        using var registration = cancellationToken.Register(() => Cancelled.TrySetResult(true));
        yield return new ChatResponseUpdate(ChatRole.Assistant, "tick0 ");
        yield return new ChatResponseUpdate(ChatRole.Assistant, "tick1 ");
        await Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "tick2 (not cancelled) ");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
