using System.Text.Json;
using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

public sealed class AgentTests
{
    [Fact]
    public async Task A_run_answers_with_one_assistant_message_with_ids_usage_and_a_chat_safe_author_name()
    {
        await using var host = await TestHost.StartAsync();
        var remote = host.Client.GetRemoteAgent("echo-agent");
        await remote.GetDetailsAsync();
        var agent = remote.AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();

        var response = await agent.RunAsync("hello", session);

        Assert.Equal("Echo Agent", agent.Name);
        Assert.Equal("Echoes the last message.", agent.Description);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("Echo: hello", response.Text);
        Assert.Equal("Echo_Agent", message.AuthorName);
        Assert.Matches("^[A-Za-z0-9_-]+$", message.AuthorName);
        Assert.NotNull(session.SessionId);
        Assert.Equal(session.LastRunId, response.ResponseId);
        Assert.Equal(response.ResponseId, message.MessageId);
        Assert.Equal("echo-agent", response.AgentId);
        Assert.NotNull(response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(10, response.Usage?.InputTokenCount);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
        var raw = Assert.IsType<StreamedRunResult>(response.RawRepresentation);
        Assert.Equal(session.LastRunId, raw.RunId);

        // What the server stored: the run in that session, with the message as sent.
        var stored = await host.Client.GetSessionAsync(session.SessionId!, SessionType.Agent);
        Assert.Equal(["hello", "Echo: hello"], stored.ChatHistory!.Where(m => m.Role is "user" or "assistant").Select(m => m.Content));
    }

    [Fact]
    public async Task The_next_turn_sends_only_the_new_message_and_the_server_supplies_the_history()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();

        await agent.RunAsync("My name is Ada.", session);
        string first = session.SessionId!;
        var second = await agent.RunAsync("What is my name?", session);

        Assert.Equal(first, session.SessionId);
        Assert.Equal("Echo: What is my name?", second.Text);
        Assert.Equal(2, host.Echo.Calls.Count);
        Assert.Equal(["My name is Ada.", "What is my name?"], TestHost.UserTexts(host.Echo, 1));
        var runs = await host.Client.ListAgentRunsAsync("echo-agent", first);
        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public async Task A_fresh_session_handed_earlier_messages_seeds_them_as_a_plain_text_transcript_never_json()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();

        await agent.RunAsync(
            [
                new ChatMessage(ChatRole.System, "Be brief."),
                new ChatMessage(ChatRole.User, "My name is Ada."),
                new ChatMessage(ChatRole.Assistant, "Hello Ada.") { AuthorName = "Greeter" },
                new ChatMessage(ChatRole.User, "What is my name?"),
            ],
            await agent.CreateSessionAsync());

        string sent = host.Echo.Calls[0].Last(m => m.Role == ChatRole.User).Text;
        Assert.Equal("system: Be brief.\n\nuser: My name is Ada.\n\nGreeter: Hello Ada.\n\nuser: What is my name?", sent);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(sent));
    }

    [Fact]
    public async Task A_workflow_takes_the_seeded_transcript_as_text_input_and_answers_with_its_final_content()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteWorkflow("report-workflow").AsAIAgent();

        var response = await agent.RunAsync([new ChatMessage(ChatRole.User, "Topic: bread."), new ChatMessage(ChatRole.User, "Keep it short.") { AuthorName = "editor" }]);

        Assert.Equal("user: Topic: bread.\n\neditor: Keep it short.", host.Writer.Calls[0].Last(m => m.Role == ChatRole.User).Text);
        Assert.Equal("REPORT: Draft on user: Topic: bread.\n\neditor: Keep it short.", response.Text);
        Assert.Single(response.Messages);
    }

    [Fact]
    public async Task A_serialized_session_restores_in_a_new_agent_and_client_and_continues_the_same_server_session()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { UserId = "ada" });
        var session = await agent.CreateSessionAsync();
        await agent.RunAsync("remember: tea", session);
        JsonElement saved = await agent.SerializeSessionAsync(session);
        string json = saved.GetRawText();

        // Another "process": a new client and agent; only the JSON survives.
        using var otherClient = host.Os.CreateClient();
        var restoredAgent = otherClient.GetRemoteAgent("echo-agent").AsAIAgent();
        var restored = Assert.IsType<AgentOSAgentSession>(await restoredAgent.DeserializeSessionAsync(JsonDocument.Parse(json).RootElement));
        await restoredAgent.RunAsync("what did I ask you to remember?", restored);

        var original = (AgentOSAgentSession)session;
        Assert.Equal(original.SessionId, restored.SessionId);
        Assert.Equal("ada", restored.UserId);
        Assert.NotEqual(original.LastRunId, restored.LastRunId);
        Assert.Equal(["remember: tea", "what did I ask you to remember?"], TestHost.UserTexts(host.Echo, 1));
        var stored = await host.Client.GetSessionAsync(restored.SessionId!, SessionType.Agent);
        Assert.Equal("ada", stored.UserId);
    }

    [Fact]
    public async Task Sessions_of_another_component_or_kind_or_agent_type_are_refused_with_a_clear_error()
    {
        await using var host = await TestHost.StartAsync();
        var echo = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();
        var team = host.Client.GetRemoteTeam("research-team").AsAIAgent();
        var teamSession = await team.CreateSessionAsync();
        var saved = await team.SerializeSessionAsync(teamSession);

        var wrongKind = await Assert.ThrowsAsync<ArgumentException>(() => echo.RunAsync("hi", teamSession));
        Assert.Contains("research-team", wrongKind.Message, StringComparison.Ordinal);
        var wrongJson = await Assert.ThrowsAsync<ArgumentException>(async () => await echo.DeserializeSessionAsync(saved));
        Assert.Contains("team 'research-team'", wrongJson.Message, StringComparison.Ordinal);
        var notOurs = await Assert.ThrowsAsync<ArgumentException>(async () => await echo.DeserializeSessionAsync(JsonDocument.Parse("""{"messages":[]}""").RootElement));
        Assert.Contains("not an AgentOS session", notOurs.Message, StringComparison.Ordinal);
        Assert.Empty(host.Echo.Calls);
    }

    [Fact]
    public async Task OpenSession_resumes_a_session_by_id_and_DeleteSessionAsync_deletes_it_on_the_server()
    {
        await using var host = await TestHost.StartAsync();
        await host.Client.RunAgentAsync("echo-agent", new RunRequest("started elsewhere") { SessionId = "s-resume" });
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();

        var session = agent.OpenSession("s-resume");
        await agent.RunAsync("and continued here", session);

        Assert.Equal(["started elsewhere", "and continued here"], TestHost.UserTexts(host.Echo, 1));
        await agent.DeleteSessionAsync(session);
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => host.Client.GetSessionAsync("s-resume", SessionType.Agent));
    }

    [Fact]
    public async Task Streaming_updates_carry_the_run_id_author_and_usage_and_aggregate_into_one_message()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo (remote)" });
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();

        var updates = await agent.RunStreamingAsync("stream these words", session).ToListAsync();

        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "the answer arrives in several deltas");
        Assert.Equal("Echo: stream these words", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u =>
        {
            Assert.Equal(session.LastRunId, u.ResponseId);
            Assert.Equal(session.LastRunId, u.MessageId);
            Assert.Equal("Echo_remote", u.AuthorName);
            Assert.IsAssignableFrom<AgentOSEvent>(u.RawRepresentation);
        });
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Contains(updates[^1].Contents, c => c is UsageContent { Details.InputTokenCount: 10 });
        var response = updates.ToAgentResponse();
        Assert.Equal("Echo: stream these words", Assert.Single(response.Messages).Text);
    }

    [Fact]
    public async Task Tools_that_ran_on_the_server_arrive_as_informational_calls_with_their_results()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();

        var response = await agent.RunAsync("time");

        var message = Assert.Single(response.Messages);
        var call = Assert.Single(message.Contents.OfType<FunctionCallContent>());
        Assert.Equal("get_time", call.Name);
        Assert.True(call.InformationalOnly);
        var result = Assert.Single(message.Contents.OfType<FunctionResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal("12:00", TestHost.Text(result.Result));
        Assert.Equal("Done: 12:00", response.Text);
    }

    [Fact]
    public async Task Bad_input_fails_at_the_call_with_typed_errors_and_reaches_no_server()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();

        await Assert.ThrowsAsync<ArgumentException>(() => agent.RunAsync([new ChatMessage(ChatRole.User, "   ")]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => agent.RunAsync((IEnumerable<ChatMessage>)null!));
        var otherAgentsToken = ResponseContinuationToken.FromBytes("""{"kind":"team","id":"research-team","run_id":"r","session_id":"s"}"""u8.ToArray());
        await Assert.ThrowsAsync<ArgumentException>(() => agent.RunAsync([], options: new AgentRunOptions { ContinuationToken = otherAgentsToken }));
        await Assert.ThrowsAsync<ArgumentException>(() => agent.RunAsync([], options: new AgentRunOptions { ContinuationToken = ResponseContinuationToken.FromBytes("not json"u8.ToArray()) }));
        Assert.Throws<ArgumentException>(() => agent.OpenSession(" "));
        Assert.Empty(host.Echo.Calls);
    }

    [Fact]
    public async Task Images_and_documents_in_the_messages_reach_the_remote_model_as_media()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

        var response = await agent.RunAsync(new ChatMessage(ChatRole.User, [new TextContent("what is this?"), new DataContent(png, "image/png"), new UriContent(new Uri("https://example.com/doc.pdf"), "application/pdf")]));

        Assert.Equal("Echo: what is this?", response.Text);
        var received = host.Echo.Calls.Single().Last(m => m.Role == ChatRole.User);
        var image = Assert.Single(received.Contents.OfType<DataContent>(), c => c.MediaType == "image/png");
        Assert.Equal(png, image.Data.ToArray());
        Assert.Contains(received.Contents, c => c is UriContent { Uri.AbsoluteUri: "https://example.com/doc.pdf" } || c is DataContent { MediaType: "application/pdf" });
    }
}
