using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// An embedded AgentOS (loopback, ephemeral port) with the components the tests use, scripted and deterministic.
/// Each scripted chat client records the conversations it received: what the server handed its model.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private EmbeddedAgentOS? _os;
    private AgentOSClient? _client;

    private TestHost()
    {
    }

    public EmbeddedAgentOS Os => _os!;

    public AgentOSClient Client => _client!;

    /// <summary>"echo-agent" ("Echo Agent"): answers "Echo: {last user text}".</summary>
    public ScriptedChatClient Echo { get; } = new(turn => [new TextContent($"Echo: {turn.LastUserText}")]);

    /// <summary>"ops-agent": "delete X" needs approval, "file X" needs user input, "lookup X" runs on the caller.</summary>
    public ScriptedChatClient Ops { get; } = new(OpsScript);

    /// <summary>The leader of "research-team" ("Research Team"), which delegates to "researcher".</summary>
    public ScriptedChatClient Leader { get; } = new(LeaderScript);

    public ScriptedChatClient Researcher { get; } = new(turn => [new TextContent($"Facts about {turn.LastUserText}")]);

    /// <summary>The agent of the "draft" step of "report-workflow" (then "polish" prefixes "REPORT: ").</summary>
    public ScriptedChatClient Writer { get; } = new(turn => [new TextContent($"Draft on {turn.LastUserText}")]);

    /// <summary>The member of "ops-team": "delete X" calls delete_record, which needs approval.</summary>
    public ScriptedChatClient OpsMember { get; } = new(turn => turn.FunctionResults.Count > 0
        ? [new TextContent($"Done: {Text(turn.FunctionResults[^1].Result)}")]
        : turn.ApprovalResponses.Count > 0 && !turn.ApprovalResponses[^1].Approved
            ? [new TextContent("Nothing was deleted.")]
            : [new FunctionCallContent("call_member_del", "delete_record", new Dictionary<string, object?> { ["record_id"] = turn.LastUserText.Replace("delete ", string.Empty, StringComparison.Ordinal) })]);

    /// <summary>The leader of "ops-team": delegates to "deleter", then reports.</summary>
    public ScriptedChatClient OpsLeader { get; } = new(turn => turn.FunctionResults.Count > 0
        ? [new TextContent($"Team: {Text(turn.FunctionResults[^1].Result)}")]
        : [new FunctionCallContent("call_lead_" + turn.Turn, HostedTeam.DelegateToolName, new Dictionary<string, object?> { ["member_id"] = "deleter", ["task"] = turn.LastUserText })]);

    /// <summary>The server's session store, which tells when a run was saved with a status (a server-side gate).</summary>
    public ObservedSessionStore Store { get; } = new();

    /// <summary>"gated-agent": streams "tick0 " then waits until its run is cancelled.</summary>
    public GatedChatClient Gated { get; } = new();

    public static async Task<TestHost> StartAsync(Action<AgentOSHostBuilder>? extra = null)
    {
        var host = new TestHost();
        host._os = await EmbeddedAgentOS.StartAsync(b =>
        {
            host.Configure(b);
            extra?.Invoke(b);
        });
        host._client = host._os.CreateClient();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_os is not null)
        {
            await _os.DisposeAsync();
        }
    }

    /// <summary>The texts of the user messages the chat client received in its call <paramref name="call"/>.</summary>
    public static List<string> UserTexts(ScriptedChatClient client, int call)
        => [.. client.Calls[call].Where(m => m.Role == ChatRole.User).Select(m => m.Text)];

    public static string Text(object? result) => result switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        _ => result?.ToString() ?? string.Empty,
    };

    private void Configure(AgentOSHostBuilder b)
    {
        b.UseSessionStore(Store);
        b.AddAgent(new HostedAgent("echo-agent", Echo) { Name = "Echo Agent", Description = "Echoes the last message." });
        var ops = new HostedAgent("ops-agent", Ops) { Name = "Ops Agent" };
        ops.Tools.Add(new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
            ([Description("The record")] string record_id) => $"Record {record_id} deleted", "delete_record", "Deletes a record.")));
        ops.Tools.Add(AIFunctionFactory.CreateDeclaration("lookup", "Looks a key up on the caller's side.", JsonDocument.Parse("""{"type":"object","properties":{"key":{"type":"string"}}}""").RootElement));
        ops.Tools.Add(AIFunctionFactory.Create(() => "12:00", "get_time", "Tells the time."));
        b.AddAgent(ops);
        b.AddAgent(new HostedAgent("gated-agent", Gated) { Name = "Gated Agent" });
        b.AddTeam(new HostedTeam("research-team", Leader, new HostedAgent("researcher", Researcher) { Name = "Researcher", Role = "Finds facts" })
        {
            Name = "Research Team",
        });
        var draft = WorkflowStep.ForAgent("draft", new HostedAgent("writer", Writer) { Name = "Writer" });
        var polish = WorkflowStep.ForFunction("polish", s => $"REPORT: {s.PreviousStepContent}");
        b.AddWorkflow(new HostedWorkflow("report-workflow", draft, polish) { Name = "Report Workflow" });

        // Human in the loop in a team (a member's tool needs approval) and in a workflow (a step to confirm, a step's input).
        var member = new HostedAgent("deleter", OpsMember) { Name = "Deleter", Role = "Deletes records" };
        member.Tools.Add(new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
            ([Description("The record")] string record_id) => $"Record {record_id} deleted", "delete_record", "Deletes a record.")));
        b.AddTeam(new HostedTeam("ops-team", OpsLeader, member) { Name = "Ops Team" });
        var publish = WorkflowStep.ForFunction("publish", s => $"PUBLISHED: {s.Message}");
        publish.RequiresConfirmation = true;
        publish.ConfirmationMessage = "Publish the report?";
        var note = WorkflowStep.ForFunction("note", s => $"NOTE[{s.UserInput["note"]}]: {s.Message}");
        note.UserInputFields.Add(new UserInputFieldDefinition("note", "str", "A note for the report"));
        note.UserInputMessage = "Add a note";
        b.AddWorkflow(new HostedWorkflow("publish-workflow", WorkflowStep.ForAgent("draft", new HostedAgent("writer2", Writer) { Name = "Writer" }), publish) { Name = "Publish Workflow" });
        b.AddWorkflow(new HostedWorkflow("note-workflow", note) { Name = "Note Workflow" });
    }

    private static IEnumerable<AIContent> OpsScript(ScriptedChatContext turn)
    {
        if (turn.FunctionResults.Count > 0)
        {
            return [new TextContent($"Done: {Text(turn.FunctionResults[^1].Result)}")];
        }

        if (turn.ApprovalResponses.Count > 0 && !turn.ApprovalResponses[^1].Approved)
        {
            return [new TextContent("Nothing was deleted.")];
        }

        if (turn.InputResponses.Count > 0)
        {
            return [new TextContent($"Filed with priority {turn.InputResponses[^1].Values["priority"]}")];
        }

        string text = turn.LastUserText;
        if (text.StartsWith("delete ", StringComparison.Ordinal))
        {
            return [new FunctionCallContent("call_del", "delete_record", new Dictionary<string, object?> { ["record_id"] = text["delete ".Length..] })];
        }

        if (text == "time")
        {
            return [new FunctionCallContent("call_time", "get_time", new Dictionary<string, object?>())];
        }

        if (text.StartsWith("lookup ", StringComparison.Ordinal))
        {
            return [new FunctionCallContent("call_lookup", "lookup", new Dictionary<string, object?> { ["key"] = text["lookup ".Length..] })];
        }

        if (text.StartsWith("file ", StringComparison.Ordinal))
        {
            var call = new FunctionCallContent("call_file", "file_ticket", new Dictionary<string, object?> { ["title"] = text["file ".Length..] });
            return [new AgnoInputRequestContent("input-1") { ToolCall = call, Fields = [new UserInputField { Name = "priority", FieldType = "str", Description = "The ticket's priority" }] }];
        }

        return [new TextContent("Say delete, lookup or file.")];
    }

    private static IEnumerable<AIContent> LeaderScript(ScriptedChatContext turn)
        => turn.FunctionResults.Count > 0
            ? [new TextContent($"Team says: {Text(turn.FunctionResults[^1].Result)}")]
            : [new FunctionCallContent("call_" + turn.Turn, HostedTeam.DelegateToolName, new Dictionary<string, object?> { ["member_id"] = "researcher", ["task"] = turn.LastUserText })];
}

/// <summary>
/// A chat client that streams "tick0 " and then waits at a gate: <see cref="Started"/> completes when the first
/// update was handed to the server, <see cref="Cancelled"/> when the run's token is cancelled (by the server, after
/// the client closed the connection or called cancel). No sleeps, no clocks.
/// </summary>
internal sealed class GatedChatClient : IChatClient
{
    public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
        yield return new ChatResponseUpdate(ChatRole.Assistant, "tick0 ");
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "never");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal static class AsyncEnumerableTestExtensions
{
    public static async Task<List<AgentResponseUpdate>> ToListAsync(this IAsyncEnumerable<AgentResponseUpdate> updates)
    {
        var list = new List<AgentResponseUpdate>();
        await foreach (var u in updates)
        {
            list.Add(u);
        }

        return list;
    }
}

/// <summary>An HTTP handler that records the method and path of every request the client sends.</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<string> _requests = [];

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static ObservedClient Client(TestHost host, out RecordingHandler handler)
    {
        handler = new RecordingHandler();
        return new ObservedClient(new AgentOSClientOptions { BaseAddress = host.Os.BaseAddress }, new HttpClient(handler));
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// A client whose agent streams report when the consumer (the adapter) has processed the first content event: it
/// asked for the next event, so it has seen the run id. A client-side gate for the non-streaming cancellation test.
/// </summary>
internal sealed class ObservedClient(AgentOSClientOptions options, HttpClient http) : AgentOSClient(options, http)
{
    public TaskCompletionSource FirstContentConsumed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async IAsyncEnumerable<AgentOSEvent> RunAgentStreamingAsync(string agentId, RunRequest request, AgentOSRequestOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in base.RunAgentStreamingAsync(agentId, request, options, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
            if (e is RunContentEvent)
            {
                FirstContentConsumed.TrySetResult();
            }
        }
    }
}

/// <summary>The in-memory session store, observed: <see cref="RunSavedAsync"/> completes once a run is saved with a status.</summary>
internal sealed class ObservedSessionStore : IAgentOSSessionStore
{
    private readonly InMemoryAgentOSSessionStore _inner = new();
    private readonly List<(string RunId, RunStatus Status, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Completes when the server has saved run <paramref name="runId"/> with <paramref name="status"/>.</summary>
    public async Task RunSavedAsync(string runId, RunStatus status)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((runId, status, done));
        }

        // It may have been saved already.
        foreach (var listed in (await _inner.ListSessionsAsync(new AgentOSSessionQuery { Limit = 1000 })).Sessions)
        {
            foreach (var run in await _inner.GetRunsAsync(listed.Session.SessionId))
            {
                Check(run);
            }
        }

        await done.Task;
    }

    public ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, bool includeRuns, CancellationToken cancellationToken = default) => _inner.GetSessionAsync(sessionId, includeRuns, cancellationToken);

    public ValueTask<AgentOSStoredRun?> GetRunAsync(string sessionId, string runId, CancellationToken cancellationToken = default) => _inner.GetRunAsync(sessionId, runId, cancellationToken);

    public ValueTask<IReadOnlyList<AgentOSStoredRun>> GetRunsAsync(string sessionId, AgentOSRunQuery? query = null, CancellationToken cancellationToken = default) => _inner.GetRunsAsync(sessionId, query, cancellationToken);

    public ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default) => _inner.SaveSessionAsync(session, cancellationToken);

    public async ValueTask SaveRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default)
    {
        await _inner.SaveRunAsync(session, run, cancellationToken);
        Check(run);
    }

    public ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default) => _inner.DeleteSessionAsync(sessionId, cancellationToken);

    public ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default) => _inner.ListSessionsAsync(query, cancellationToken);

    private void Check(AgentOSStoredRun run)
    {
        lock (_waiters)
        {
            foreach (var (runId, status, done) in _waiters)
            {
                if (run.RunId == runId && run.Status == status)
                {
                    done.TrySetResult();
                }
            }
        }
    }
}
