using System.ComponentModel;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// Microsoft Agent Framework agents served by the host (<c>AddAgent(id, AIAgent)</c>): real <see cref="ChatClientAgent"/>s
/// on scripted chat clients, called with the Agno.AgentOS client over loopback. What the agent's model received is
/// asserted, not only the answers.
/// </summary>
public sealed class AIAgentHostingTests
{
    private const string Instructions = "You are the MAF test agent.";

    [Fact]
    public async Task A_streamed_run_becomes_content_reasoning_and_tool_events_of_the_tools_the_agent_ran()
    {
        var instructions = new List<string?>();
        var model = MafModel(instructions);
        await using var host = await StartAsync(model);
        using var client = host.CreateClient();
        var events = new List<AgentOSEvent>();

        var result = await client.RunAgentStreamingAsync("maf-agent", new RunRequest("add 2 and 3") { SessionId = "maf-stream" }).CollectAsync(events.Add);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("The sum is 5", result.Content);
        Assert.Equal("thinking about 5", string.Concat(events.OfType<RunContentEvent>().Select(e => e.ReasoningContent)));
        var started = Assert.Single(events.OfType<ToolCallStartedEvent>());
        var completed = Assert.Single(events.OfType<ToolCallCompletedEvent>());
        Assert.Equal("add", started.Tool!.ToolName);
        Assert.Equal("5", completed.Tool!.Result);
        Assert.True(events.FindIndex(e => e is ToolCallCompletedEvent) < events.FindLastIndex(e => e is RunContentEvent { Content.Length: > 0 }));

        // The agent's own function-invoking loop ran the tool: two model calls, the second with the tool's result.
        Assert.Equal(2, model.CallCount);
        Assert.Equal([Instructions, Instructions], instructions);
        Assert.DoesNotContain(model.Calls[0], m => m.Role == ChatRole.System);
        Assert.Equal("5", model.Calls[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result?.ToString());
    }

    [Fact]
    public async Task The_agent_keeps_its_own_session_per_AgentOS_session_and_gets_only_the_new_messages()
    {
        var model = MafModel();
        await using var host = await StartAsync(model);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("maf-agent");

        var first = await agent.RunAsync("first", "maf-session");
        var second = await agent.RunStreamingAsync("second", "maf-session").CollectAsync();
        var other = await agent.RunAsync("elsewhere", "maf-other");
        var runs = await agent.ListRunsAsync("maf-session");
        var stored = await agent.GetRunAsync(second.RunId!, "maf-session");

        Assert.Equal("Echo: first (turn 1)", first.Content);
        Assert.Equal("Echo: second (turn 2)", second.Content);
        Assert.Equal("Echo: elsewhere (turn 1)", other.Content);
        Assert.Equal(2, runs.Count);

        // The second call carries the agent's own history (from its AgentSession) and each user message once; the
        // host adds no system message (the agent's instructions travel in the chat options).
        Assert.Equal(["user", "assistant", "user"], model.Calls[1].Select(m => m.Role.Value));
        Assert.Equal(["first", "second"], model.Calls[1].Where(m => m.Role == ChatRole.User).Select(m => m.Text));
        Assert.Equal(["user"], model.Calls[2].Select(m => m.Role.Value));

        // The host sends no system message of its own and no history: the stored run shows what the agent got.
        Assert.Equal(["user", "assistant"], stored.Messages!.Select(m => m.Role!));
    }

    [Fact]
    public async Task An_approval_request_of_the_agent_pauses_the_run_and_the_confirmation_continues_it_on_the_agent()
    {
        var model = MafModel();
        int deleted = 0;
        await using var host = await StartAsync(model, () => deleted++);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("maf-agent");

        var paused = await agent.RunStreamingAsync("delete rec-1", "maf-hitl").CollectAsync();
        var tool = Assert.Single(paused.Tools);
        Assert.Equal(0, deleted);
        tool.Confirm();
        var done = await agent.ContinueStreamingAsync(paused).CollectAsync();

        Assert.True(paused.IsPaused);
        Assert.True(tool.RequiresConfirmation);
        Assert.Equal("delete_record", tool.ToolName);
        Assert.Equal("rec-1", tool.ToolArgs!["record_id"]!.GetValue<string>());
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(paused.RunId, done.RunId);
        Assert.Equal("Tool result: Record rec-1 deleted", done.Content);
        Assert.Equal(1, deleted);

        // Continuing sent the agent only the approval: its model got the tool's result after its own earlier call.
        var last = model.Calls[^1];
        Assert.Equal("Record rec-1 deleted", last.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result?.ToString());
        Assert.Equal(["delete rec-1"], last.Where(m => m.Role == ChatRole.User && m.Text.Length > 0).Select(m => m.Text));
    }

    [Fact]
    public async Task A_rejection_reaches_the_agent_and_the_tool_is_not_run()
    {
        var model = MafModel();
        int deleted = 0;
        await using var host = await StartAsync(model, () => deleted++);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("maf-agent");

        var paused = await agent.RunAsync("delete rec-2", "maf-reject");
        paused.Tools!.Single().Reject("not today");
        var done = await agent.ContinueAsync(paused);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(0, deleted);
        Assert.StartsWith("Tool result: ", done.Content, StringComparison.Ordinal);
        Assert.Contains("not today", done.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_the_agent_leaves_to_its_caller_pauses_for_external_execution()
    {
        var model = MafModel();
        await using var host = await StartAsync(model);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("maf-agent");

        var paused = await agent.RunAsync("run uname", "maf-external");
        var tool = paused.Tools!.Single();
        tool.SetResult("Linux");
        var done = await agent.ContinueAsync(paused);

        Assert.True(tool.ExternalExecutionRequired);
        Assert.Equal("run_shell_command", tool.ToolName);
        Assert.Equal("Tool result: Linux", done.Content);
    }

    [Fact]
    public async Task The_agents_session_survives_a_restart_of_the_host_with_a_sqlite_store()
    {
        string file = Path.Combine(Path.GetTempPath(), $"agentos-maf-{Guid.NewGuid():N}.db");
        string connection = $"Data Source={file};Pooling=False";
        try
        {
            await using (var first = await StartAsync(MafModel(), store: connection))
            {
                using var client = first.CreateClient();
                await client.RunAgentAsync("maf-agent", new RunRequest("one") { SessionId = "durable-maf" });
                await client.RunAgentAsync("maf-agent", new RunRequest("two") { SessionId = "durable-maf" });
            }

            // A new host, a new agent, a new model: the agent's history comes back from the store.
            var model = MafModel();
            await using var second = await StartAsync(model, store: connection);
            using var again = second.CreateClient();
            var third = await again.RunAgentAsync("maf-agent", new RunRequest("three") { SessionId = "durable-maf" });

            Assert.Equal("Echo: three (turn 3)", third.Content);
            Assert.Equal(["one", "two", "three"], model.Calls[0].Where(m => m.Role == ChatRole.User).Select(m => m.Text));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Discovery_shows_the_agents_name_description_and_model()
    {
        await using var host = await StartAsync(MafModel());
        using var client = host.CreateClient();

        var agent = await client.GetAgentAsync("maf-agent");

        Assert.Equal("MAF Agent", agent.Name);
        Assert.Equal("An agent of Microsoft Agent Framework.", agent.Description);
        Assert.Equal("maf-model", agent.Model!.EffectiveId);
    }

    [Fact]
    public async Task Cancelling_the_run_on_the_server_cancels_the_agents_call()
    {
        var model = new BlockingModel();
        await using var host = await StartAsync(model);
        using var client = host.CreateClient();
        var events = new List<AgentOSEvent>();

        await foreach (var e in client.RunAgentStreamingAsync("maf-agent", new RunRequest("wait") { SessionId = "maf-cancel" }))
        {
            events.Add(e);
            if (e is RunContentEvent && events.OfType<RunContentEvent>().Count() == 2)
            {
                await client.CancelAgentRunAsync("maf-agent", e.RunId!);
            }
        }

        var stored = await client.GetAgentRunAsync("maf-agent", events[0].RunId!, "maf-cancel");
        await model.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["RunCancelled", "RunCompleted"], events.TakeLast(2).Select(e => e.Event));
        Assert.Equal(RunStatus.Cancelled, stored.Status);
        Assert.Equal("tick0 tick1 ", stored.Content);
    }

    internal static ScriptedChatClient MafModel(List<string?>? instructions = null) => new(turn =>
    {
        instructions?.Add(turn.Options?.Instructions);
        if (turn.FunctionResults.Count > 0)
        {
            var last = turn.FunctionResults[^1];
            string text = FixtureComponents.MessageText(last.Result);
            return text == "5" && turn.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any(c => c.Name == "add"))
                ? [new TextReasoningContent("thinking about 5"), new TextContent("The sum is 5")]
                : [new TextContent("Tool result: " + text)];
        }

        string said = turn.LastUserText;
        if (said.StartsWith("add ", StringComparison.Ordinal))
        {
            var words = said.Split(' ');
            return [new FunctionCallContent("call-add", "add", new Dictionary<string, object?> { ["a"] = int.Parse(words[1]), ["b"] = int.Parse(words[3]) })];
        }

        if (said.StartsWith("delete ", StringComparison.Ordinal))
        {
            return [new FunctionCallContent("call-delete", "delete_record", new Dictionary<string, object?> { ["record_id"] = said[7..] })];
        }

        if (said.StartsWith("run ", StringComparison.Ordinal))
        {
            return [new FunctionCallContent("call-run", "run_shell_command", new Dictionary<string, object?> { ["command"] = said[4..] })];
        }

        return [new TextContent($"Echo: {said} (turn {turn.Turn})")];
    }, "maf-model", "Scripted");

    internal static ChatClientAgent MafAgent(IChatClient model, Action? onDelete = null)
    {
        var tools = new List<AITool>
        {
            AIFunctionFactory.Create(([Description("first")] int a, [Description("second")] int b) => a + b, "add", "Adds two integers."),
            new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
                (string record_id) =>
                {
                    onDelete?.Invoke();
                    return $"Record {record_id} deleted";
                },
                "delete_record",
                "Deletes a record (requires confirmation).")),

            // Declared only: the agent cannot run it, its caller must.
            AIFunctionFactory.CreateDeclaration("run_shell_command", "Runs a shell command on the caller's machine.", AIFunctionFactory.Create((string command) => command).JsonSchema),
        };
        return new ChatClientAgent(model, Instructions, "MAF Agent", "An agent of Microsoft Agent Framework.", tools);
    }

    private static Task<EmbeddedAgentOS> StartAsync(IChatClient model, Action? onDelete = null, string? store = null)
        => EmbeddedAgentOS.StartAsync(b =>
        {
            b.AddAgent("maf-agent", MafAgent(model, onDelete));
            if (store is not null)
            {
                b.UseSqliteSessionStore(store);
            }
        });

    /// <summary>Streams two words, then waits until its token is cancelled.</summary>
    private sealed class BlockingModel : IChatClient
    {
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "tick0 ");
            yield return new ChatResponseUpdate(ChatRole.Assistant, "tick1 ");
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
