using System.Runtime.CompilerServices;
using System.Text.Json;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Agno.Extensions.AI.Tests;

public sealed class AIFunctionTests
{
    [Fact]
    public async Task Agent_tool_has_a_provider_safe_name_an_input_schema_and_returns_the_answer()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        var tool = client.GetRemoteAgent("echo-agent").AsAIFunction();

        Assert.Equal("echo-agent", tool.Name);
        Assert.Contains("echo-agent", tool.Description, StringComparison.Ordinal);
        var schema = tool.JsonSchema;
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("session_id").GetProperty("type").GetString());
        Assert.Equal(["input"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        var result = await tool.InvokeAsync(new AIFunctionArguments { ["input"] = "hello world" });

        RequestAssert.Matches(Fixtures.Get("020"), server.Last);
        var element = Assert.IsType<JsonElement>(result); // by default the model also learns the session, to continue it
        Assert.Equal("Echo: hello world (turn 1)", element.GetProperty("content").GetString());
        Assert.Equal("cb0cc367-022a-444d-8a5c-9a2c4735d9fb", element.GetProperty("session_id").GetString());
        Assert.Same(client, tool.GetService<AgentOSClient>());
        Assert.IsType<RemoteAgent>(tool.GetService<RemoteAgent>());
    }

    [Fact]
    public async Task Async_factory_describes_the_tool_from_the_remote_configuration()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006", "009", "011");
        using var client = TestSupport.Client(server);

        var agent = await client.GetRemoteAgent("echo-agent").AsAIFunctionAsync();
        var team = await client.GetRemoteTeam("echo-team").AsAIFunctionAsync();
        var workflow = await client.GetRemoteWorkflow("echo-workflow").AsAIFunctionAsync();

        Assert.Equal("Echoes the last user message back, in chunks when streaming.", agent.Description);
        Assert.Equal("echo-team", team.Name);
        Assert.StartsWith("Leader delegates every request", team.Description, StringComparison.Ordinal);
        Assert.Equal("echo-workflow", workflow.Name);
        Assert.StartsWith("Step 1 'echo'", workflow.Description, StringComparison.Ordinal);
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task Explicit_name_and_description_win_and_names_are_made_valid_for_every_provider()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);

        var named = client.GetRemoteAgent("echo-agent").AsAIFunction("ask_echo", "Asks the echo agent.");
        var odd = client.GetRemoteAgent("my agent.v2!").AsAIFunction();
        var longId = client.GetRemoteTeam(new string('x', 80)).AsAIFunction();

        Assert.Equal("ask_echo", named.Name);
        Assert.Equal("Asks the echo agent.", named.Description);
        Assert.Equal("my_agent_v2_", odd.Name);
        Assert.Equal(64, longId.Name.Length);
        Assert.All(new[] { named, odd, longId }, t => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", t.Name));
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Session_id_argument_continues_a_conversation_and_can_be_returned()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("060", "070");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("echo-team").AsAIFunction(options: new AgnoAIFunctionOptions { IncludeSessionId = true });
        var workflow = client.GetRemoteWorkflow("echo-workflow").AsAIFunction();

        var teamResult = await team.InvokeAsync(new AIFunctionArguments { ["input"] = TestSupport.Json("\"team hello\""), ["session_id"] = "fixture-team-session" });
        RequestAssert.Matches(Fixtures.Get("060"), server.Last);
        var element = Assert.IsType<JsonElement>(teamResult);
        Assert.Equal("Team: Member: team hello (turn 1)", element.GetProperty("content").GetString());
        Assert.Equal("fixture-team-session", element.GetProperty("session_id").GetString());

        var workflowResult = await workflow.InvokeAsync(new AIFunctionArguments { ["input"] = "workflow hello", ["session_id"] = "fixture-wf-session" });
        RequestAssert.Matches(Fixtures.Get("070"), server.Last);
        Assert.Equal("UPPER: WF: WORKFLOW HELLO (TURN 1)", Assert.IsType<JsonElement>(workflowResult).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Without_session_ids_the_tool_neither_offers_nor_accepts_one()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        var logs = new TestLoggerFactory();
        var tool = client.GetRemoteAgent("echo-agent").AsAIFunction(options: new AgnoAIFunctionOptions { IncludeSessionId = false, LoggerFactory = logs });

        Assert.Equal(["input"], tool.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var result = await tool.InvokeAsync(new AIFunctionArguments { ["input"] = "hello world", ["session_id"] = "made-up-by-the-model" });

        RequestAssert.Matches(Fixtures.Get("020"), server.Last); // no session_id field: a new session
        Assert.Equal("Echo: hello world (turn 1)", result);
        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("'echo-agent'", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("made-up-by-the-model", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_input_is_refused_without_a_call()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);
        var tool = client.GetRemoteAgent("echo-agent").AsAIFunction();

        await Assert.ThrowsAsync<ArgumentException>(() => tool.InvokeAsync(new AIFunctionArguments { ["session_id"] = "s" }).AsTask());
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_scripted_model_calls_the_agent_tool_through_function_invocation()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        var tool = client.GetRemoteAgent("echo-agent").AsAIFunction(options: new AgnoAIFunctionOptions { IncludeSessionId = false });
        using var model = new ScriptedChatClient(tool.Name, "hello world");
        using IChatClient chat = model.AsBuilder().UseFunctionInvocation().Build(); // MEAI's FunctionInvokingChatClient
        var options = new ChatOptions { Tools = [tool] };

        var answer = await chat.GetResponseAsync("Ask the echo agent to say hello world.", options);

        RequestAssert.Matches(Fixtures.Get("020"), server.Last);
        Assert.Equal("The agent said: Echo: hello world (turn 1)", answer.Text);
        var result = Assert.Single(answer.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>());
        Assert.Equal("call-1", result.CallId);
        Assert.Equal("Echo: hello world (turn 1)", result.Result);
        Assert.Equal(2, model.Calls);
    }

    [Fact]
    public async Task A_paused_run_is_surfaced_with_its_requests_and_can_be_answered_through_the_chat_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082");
        using var client = TestSupport.Client(server);
        var tool = client.GetRemoteAgent("tool-agent").AsAIFunction();

        var paused = await Assert.ThrowsAsync<AgnoRunPausedException>(
            () => tool.InvokeAsync(new AIFunctionArguments { ["input"] = "delete rec-42", ["session_id"] = "fixture-hitl-session" }).AsTask());

        RequestAssert.Matches(Fixtures.Get("082"), server.Last);
        Assert.Contains("approval of 'delete_record'", paused.Message, StringComparison.Ordinal);
        Assert.Equal("fixture-hitl-session", paused.SessionId);
        Assert.Equal("fc877b43-0ed4-4522-b0b4-79abad79e9c9", paused.RunId);
        Assert.True(Assert.IsType<AgentRunOutput>(paused.Output).IsPaused);
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(paused.Requests));
        Assert.IsAssignableFrom<AgentOSException>(paused);

        server.Serve(TestSupport.StoredRun("agents", "tool-agent", paused.RunId!, paused.SessionId!, "082"), new ServeOptions());
        server.Serve("083");
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();
        var done = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), new ChatOptions { ConversationId = paused.SessionId });

        RequestAssert.Matches(Fixtures.Get("083"), server.Last);
        Assert.Equal("Tool result: Record rec-42 deleted", done.Text);
    }

    [Fact]
    public async Task Discovery_returns_every_agent_team_and_workflow_of_the_server_as_tools()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004", "004");
        using var client = TestSupport.Client(server);

        var all = await client.GetAIFunctionsAsync();
        var teamsAndWorkflows = await client.GetAIFunctionsAsync((kind, _) => kind != AgentOSComponentKind.Agent);

        Assert.Equal("/config", server.Last.Path);
        Assert.Equal(["echo-agent", "tool-agent", "echo-team", "echo-workflow"], all.Select(t => t.Name));
        Assert.Equal("Echoes the last user message back, in chunks when streaming.", all[0].Description);
        Assert.IsType<RemoteTeam>(all[2].GetService<RemoteTeam>());
        Assert.IsType<RemoteWorkflow>(all[3].GetService<RemoteWorkflow>());
        // the kind-neutral view other adapters (Agno.SemanticKernel) run the tools' components through
        Assert.Equal(
            [(AgentOSComponentKind.Agent, "echo-agent"), (AgentOSComponentKind.Agent, "tool-agent"), (AgentOSComponentKind.Team, "echo-team"), (AgentOSComponentKind.Workflow, "echo-workflow")],
            all.Select(t => t.GetService<RemoteComponent>()!).Select(c => (c.Kind, c.Id)));
        Assert.Same(all[2].GetService<RemoteTeam>(), all[2].GetService<RemoteComponent>());
        Assert.Equal(["echo-team", "echo-workflow"], teamsAndWorkflows.Select(t => t.Name));
    }

    /// <summary>A model that first asks for the tool, then answers with the tool's result.</summary>
    private sealed class ScriptedChatClient(string toolName, string input) : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            var result = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault();
            if (result is null)
            {
                Assert.Contains(options!.Tools!, t => t.Name == toolName);
                var args = new Dictionary<string, object?> { ["input"] = JsonDocument.Parse(JsonSerializer.Serialize(input)).RootElement.Clone() };
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", toolName, args)])));
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"The agent said: {result.Result}")));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
