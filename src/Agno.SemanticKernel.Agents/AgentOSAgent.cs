using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.SemanticKernel.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.ChatCompletion;

// SKEXP0110: the channel members of Agent (GetChannelKeys, CreateChannelAsync, RestoreChannelAsync), AgentChannel
// and the reasoning contents are experimental in SK 1.80. Every Agent must implement the channel members, and
// AgentGroupChat needs them, so their use here is deliberate.
#pragma warning disable SKEXP0110

namespace Agno.SemanticKernel;

/// <summary>
/// A Semantic Kernel <see cref="Agent"/> over a remote AgentOS agent, team or workflow, like SK's own remote agents
/// (<c>A2AAgent</c>, <c>AzureAIAgent</c>). Each invocation is one streamed run in the thread's session (an
/// <see cref="AgentOSAgentThread"/>); only the run's own content is the answer (team members' and workflow steps' text
/// stays out). A run that pauses for a human is no answer: the invocation throws <see cref="AgnoRunPausedException"/>,
/// as the tools and kernel functions do. See <see cref="AgentOSSemanticKernelExtensions"/> for what a run sends.
/// </summary>
/// <example>
/// <code>
/// var reviewer = new AgentOSAgent(client.GetRemoteAgent("reviewer"), new AgentOSAgentOptions { Name = "Reviewer" });
/// await foreach (var reply in reviewer.InvokeAsync("Review this draft.")) { Console.WriteLine(reply.Message); }
/// </code>
/// </example>
public sealed partial class AgentOSAgent : Agent
{
    private const string HandoffPluginName = "HandoffPlugin";        // the plugin HandoffOrchestration gives its agents
    private const string EndTaskFunctionName = "end_task_with_summary";
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);
    private readonly AgentOSAgentOptions _options;

    /// <summary>
    /// Creates the agent without a call to the server: its <see cref="Agent.Id"/> is the component id; its name and
    /// description come from <paramref name="options"/>, else from the component's cached configuration
    /// (<see cref="RemoteComponent.CachedDetails"/>), else from the id. To take them from the server, use
    /// <c>AsSemanticKernelAgentAsync</c>, or fetch the configuration first (<c>GetDetailsAsync</c>).
    /// </summary>
    /// <param name="component">The remote agent, team or workflow (e.g. <c>client.GetRemoteAgent("id")</c>).</param>
    /// <param name="options">Options (name, description, request options, message formatting).</param>
    public AgentOSAgent(RemoteComponent component, AgentOSAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(component);
        _options = options?.Clone() ?? new AgentOSAgentOptions();
        var details = component.CachedDetails;
        Component = component;
        Id = component.Id;
        Name = _options.Name ?? SafeName(details?.Name, component.Id);
        Description = !string.IsNullOrWhiteSpace(_options.Description)
            ? _options.Description
            : !string.IsNullOrWhiteSpace(details?.Description)
                ? details.Description
                : $"Remote Agno {KindName} '{details?.Name ?? component.Id}' served by AgentOS at {component.Client.BaseAddress}.";
        LoggerFactory = _options.LoggerFactory;
        Arguments = _options.Arguments;
    }

    /// <summary>The remote agent, team or workflow this agent runs (its kind, id and client).</summary>
    public RemoteComponent Component { get; }

    private string KindName => Component.Kind switch
    {
        AgentOSComponentKind.Agent => "agent",
        AgentOSComponentKind.Team => "team",
        _ => "workflow",
    };

    internal AgentOSAgentOptions Options => _options;

    /// <inheritdoc />
    public override IAsyncEnumerable<AgentResponseItem<ChatMessageContent>> InvokeAsync(
        ICollection<ChatMessageContent> messages,
        AgentThread? thread = null,
        AgentInvokeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckThread(thread);
        return InvokeCoreAsync([.. messages], thread, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<AgentResponseItem<StreamingChatMessageContent>> InvokeStreamingAsync(
        ICollection<ChatMessageContent> messages,
        AgentThread? thread = null,
        AgentInvokeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckThread(thread);
        return InvokeStreamingCoreAsync([.. messages], thread, options, cancellationToken);
    }

    /// <summary>A new thread for this agent's server, with the agent's request options (to delete its session).</summary>
    internal AgentOSAgentThread NewThread() => new(Component.Client) { RequestOptions = _options.RequestOptions };

    /// <inheritdoc />
    protected override IEnumerable<string> GetChannelKeys()
    {
        // One channel (and so one session) per remote component and SK agent name on a server.
        yield return typeof(AgentOSAgentChannel).FullName!;
        yield return Component.Client.BaseAddress.ToString();
        yield return KindName;
        yield return Component.Id;
        yield return Name ?? Id;
    }

    /// <inheritdoc />
    protected override Task<AgentChannel> CreateChannelAsync(CancellationToken cancellationToken)
        => Task.FromResult<AgentChannel>(new AgentOSAgentChannel(NewThread(), []) { Logger = ActiveLoggerFactory.CreateLogger<AgentOSAgentChannel>() });

    /// <inheritdoc />
    protected override Task<AgentChannel> RestoreChannelAsync(string channelState, CancellationToken cancellationToken)
    {
        var channel = AgentOSAgentChannel.Restore(channelState, this);
        channel.Logger = ActiveLoggerFactory.CreateLogger<AgentOSAgentChannel>();
        return Task.FromResult<AgentChannel>(channel);
    }

    private async IAsyncEnumerable<AgentResponseItem<ChatMessageContent>> InvokeCoreAsync(
        List<ChatMessageContent> messages,
        AgentThread? thread,
        AgentInvokeOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var agentThread = await EnsureThreadExistsWithMessagesAsync(messages, thread, NewThread, cancellationToken).ConfigureAwait(false);
        ChatMessageContent? answer = null;
        await foreach (var update in RunAsync(messages, agentThread, options, streaming: false, cancellationToken).ConfigureAwait(false))
        {
            answer = update.Answer ?? answer;
        }

        await CompleteAsync(agentThread, answer!, options, cancellationToken).ConfigureAwait(false);
        yield return new AgentResponseItem<ChatMessageContent>(answer!, agentThread);
    }

    private async IAsyncEnumerable<AgentResponseItem<StreamingChatMessageContent>> InvokeStreamingCoreAsync(
        List<ChatMessageContent> messages,
        AgentThread? thread,
        AgentInvokeOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var agentThread = await EnsureThreadExistsWithMessagesAsync(messages, thread, NewThread, cancellationToken).ConfigureAwait(false);
        ChatMessageContent? answer = null;
        await foreach (var update in RunAsync(messages, agentThread, options, streaming: true, cancellationToken).ConfigureAwait(false))
        {
            if (update.Delta is { } delta)
            {
                yield return new AgentResponseItem<StreamingChatMessageContent>(delta, agentThread);
            }

            answer = update.Answer ?? answer;
        }

        await CompleteAsync(agentThread, answer!, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The thread and the caller hear of the complete answer (orchestrations take the result from the callback).</summary>
    private async Task CompleteAsync(AgentOSAgentThread thread, ChatMessageContent answer, AgentInvokeOptions? options, CancellationToken cancellationToken)
    {
        await NotifyThreadOfNewMessage(thread, answer, cancellationToken).ConfigureAwait(false);
        if (options?.OnIntermediateMessage is { } onMessage)
        {
            await onMessage(answer).ConfigureAwait(false);
        }

        if (_options.EndHandoffTaskWithAnswer
            && options?.Kernel is { } kernel
            && kernel.Plugins.TryGetFunction(HandoffPluginName, EndTaskFunctionName, out var endTask))
        {
            // What a local agent's model would do: the orchestration's own function ends the task with the answer.
            LogHandoffTaskEnded(Logger, KindName, Component.Id);
            await endTask.InvokeAsync(kernel, new KernelArguments { ["summary"] = answer.Content ?? string.Empty }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One streamed run: the run's own content deltas as they arrive (when <paramref name="streaming"/>), then the
    /// complete answer; a paused run throws <see cref="AgnoRunPausedException"/> instead of answering. Cancelling
    /// <paramref name="cancellationToken"/> stops reading and asks the server to cancel the run.
    /// </summary>
    private async IAsyncEnumerable<RunUpdate> RunAsync(
        List<ChatMessageContent> messages,
        AgentOSAgentThread thread,
        AgentInvokeOptions? options,
        bool streaming,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        thread.RequestOptions ??= _options.RequestOptions;
        // What the thread's AI context providers (memories, ...) contribute for this turn travels with it, as the
        // instructions of a local agent's model would; their functions cannot (the remote component has its own tools).
        var context = await thread.AIContextProviders.ModelInvokingAsync(messages, cancellationToken).ConfigureAwait(false);
        var request = RunRequestBuilder.Build(messages, thread, Arguments, options, _options, Logger, context.Instructions);
        LogRunStarting(Logger, KindName, Component.Id, request.SessionId ?? "(new)");

        var accumulator = new RunStreamAccumulator(Component.Scope);
        int streamedLength = 0; // the accumulator joins the deltas: only their length is kept here
        var events = Component.RunStreamingAsync(request, _options.RequestOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                bool hasNext;
                try
                {
                    hasNext = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await CancelRemoteRunAsync(accumulator.Result).ConfigureAwait(false);
                    throw;
                }

                if (!hasNext)
                {
                    break;
                }

                var e = events.Current;
                if (!accumulator.IsOwnEvent(e))
                {
                    accumulator.Add(e);
                    continue;
                }

                // Content the completed event has beyond the deltas (a workflow's output, a run that only reports its
                // final content) comes as one last chunk, so a streaming caller sees the whole answer. The deltas are
                // read back (once) only when there is such a tail.
                string? tail = null;
                if (streaming && e is RunCompletedEvent { Content: { } final } && final.Length > streamedLength)
                {
                    string sent = streamedLength == 0 ? string.Empty : accumulator.Result.Content;
                    tail = final.StartsWith(sent, StringComparison.Ordinal) ? final[sent.Length..] : null;
                }

                accumulator.Add(e);
                if (thread.OnRun(e.SessionId, e.RunId) && thread.Id is { } created)
                {
                    await thread.AIContextProviders.ConversationCreatedAsync(created, cancellationToken).ConfigureAwait(false);
                }

                if (tail is not null)
                {
                    yield return new RunUpdate(Text(tail, e, accumulator.Result.Model), null);
                }

                if (streaming && e is RunContentEvent content)
                {
                    if (!string.IsNullOrEmpty(content.ReasoningContent))
                    {
                        yield return new RunUpdate(Reasoning(content.ReasoningContent, e, accumulator.Result.Model), null);
                    }

                    if (!string.IsNullOrEmpty(content.Content))
                    {
                        streamedLength += content.Content.Length;
                        yield return new RunUpdate(Text(content.Content, e, accumulator.Result.Model), null);
                    }
                }
            }
        }

        var result = accumulator.Result;
        thread.OnRun(result.SessionId, result.RunId);
        LogRunFinished(Logger, KindName, Component.Id, result.RunId ?? "(none)", result.Status.Value);
        if (result.IsPaused)
        {
            // Not an answer (agno's "I have tools to execute, but I need confirmation."): other agents would take it for one.
            throw AgnoRunPausedException.FromPausedRun(Component, Component.ToRunOutput(result));
        }

        yield return new RunUpdate(null, Answer(result));
    }

    private async Task CancelRemoteRunAsync(StreamedRunResult result)
    {
        if (result.RunId is not { } runId)
        {
            return; // no event yet: closing the connection stops the run on the server
        }

        try
        {
            using var timeout = new CancellationTokenSource(CancelTimeout);
            await Component.CancelAsync(runId, result.SessionId, _options.RequestOptions, timeout.Token).ConfigureAwait(false);
            LogRunCancelled(Logger, KindName, Component.Id, runId);
        }
#pragma warning disable CA1031 // the caller's cancellation wins; a failed cancel request is only logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCancelFailed(Logger, ex, KindName, Component.Id, runId);
        }
    }

    private StreamingChatMessageContent Text(string text, AgentOSEvent? e, string? model)
        => new(AuthorRole.Assistant, text, innerContent: e, modelId: model) { AuthorName = Name };

    private StreamingChatMessageContent Reasoning(string text, AgentOSEvent e, string? model)
    {
        var chunk = new StreamingChatMessageContent(AuthorRole.Assistant, null, innerContent: e, modelId: model) { AuthorName = Name };
        chunk.Items.Add(new StreamingReasoningContent(text));
        return chunk;
    }

    private ChatMessageContent Answer(StreamedRunResult result)
    {
        var items = new ChatMessageContentItemCollection();
        if (!string.IsNullOrEmpty(result.ReasoningContent))
        {
            items.Add(new ReasoningContent(result.ReasoningContent));
        }

        items.Add(new TextContent(result.Content));
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [AgentOSMetadataKeys.RunId] = result.RunId,
            [AgentOSMetadataKeys.SessionId] = result.SessionId,
            [AgentOSMetadataKeys.Status] = result.Status.Value,
            [AgentOSMetadataKeys.ContentType] = result.ContentType,
        };
        if (result.Metrics is { } metrics)
        {
            metadata[AgentOSMetadataKeys.Usage] = metrics;
        }

        if (result.ToolCalls.Count > 0)
        {
            metadata[AgentOSMetadataKeys.ToolCalls] = result.ToolCalls.ToList();
        }

        return new ChatMessageContent(AuthorRole.Assistant, items, result.Model, innerContent: result, metadata: metadata)
        {
            AuthorName = Name,
        };
    }

    private static void CheckThread(AgentThread? thread)
    {
        if (thread is not null and not AgentOSAgentThread)
        {
            throw new KernelException($"An AgentOS agent runs in an {nameof(AgentOSAgentThread)} (whose id is the AgentOS session id), not in a {thread.GetType().Name}.");
        }
    }

    /// <summary>A name valid as an SK function name part and a model API author name.</summary>
    internal static string SafeName(string? name, string id)
    {
        string safe = InvalidNameChars().Replace(string.IsNullOrWhiteSpace(name) ? id : name.Trim(), "_");
        return safe.Trim('_').Length == 0 ? InvalidNameChars().Replace(id, "_") : safe;
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidNameChars();

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Running AgentOS {Kind} {Id} in session {SessionId}")]
    private static partial void LogRunStarting(ILogger logger, string kind, string id, string sessionId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "AgentOS {Kind} {Id} run {RunId} ended with status {Status}")]
    private static partial void LogRunFinished(ILogger logger, string kind, string id, string runId, string status);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Cancelled AgentOS {Kind} {Id} run {RunId} on the server")]
    private static partial void LogRunCancelled(ILogger logger, string kind, string id, string runId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Could not cancel AgentOS {Kind} {Id} run {RunId} on the server")]
    private static partial void LogCancelFailed(ILogger logger, Exception exception, string kind, string id, string runId);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "AgentOS {Kind} {Id} answered: its handoff task ends with the answer (EndHandoffTaskWithAnswer)")]
    private static partial void LogHandoffTaskEnded(ILogger logger, string kind, string id);

    /// <summary>A content delta, or the complete answer at the end.</summary>
    private readonly record struct RunUpdate(StreamingChatMessageContent? Delta, ChatMessageContent? Answer);
}
