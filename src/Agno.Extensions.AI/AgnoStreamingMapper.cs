using Agno.AgentOS;
using Agno.Extensions.AI.Internal;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// Maps the events of one run stream to <see cref="ChatResponseUpdate"/>s, one event at a time (allocation-lean:
/// no LINQ, one update per event, contents only where there is something to say): the mapping the
/// <see cref="IChatClient"/> adapter streams with, shared with the Agent Framework adapter (which adds MAF's own
/// fields), and usable by other adapters. Create one per run stream.
/// <para>
/// The answer is the run's own content: the agent's <c>RunContent</c> deltas, the team leader's
/// <c>TeamRunContent</c> deltas, a workflow's <c>WorkflowCompleted</c> content. Events of nested runs (team members
/// and sub-teams, whose <c>parent_run_id</c> is set, and the agents and teams of workflow steps) and lifecycle events
/// become updates with no contents whose <c>RawRepresentation</c> is the event, so they never mix into the answer
/// text. Every update carries the top-level run id as <c>ResponseId</c> and <c>MessageId</c> and the session id as
/// <c>ConversationId</c>. Server-side tool calls are informational <see cref="FunctionCallContent"/>s with their
/// <see cref="FunctionResultContent"/>s; a pause ends the stream with the requests of
/// <see cref="AgnoContentMapper.CreateRequests(AgentOSComponentKind, RunPausedEvent, string?, string?)"/>
/// (finish reason <see cref="ChatFinishReason.ToolCalls"/>); the completed event adds what was not streamed (the
/// answer of a workflow, reasoning), the usage and the session state
/// (<c>AdditionalProperties[</c><see cref="AgnoPropertyNames.SessionState"/><c>]</c>).
/// </para>
/// </summary>
public sealed class AgnoStreamingMapper
{
    private readonly AgentOSComponentKind _kind;
    private readonly EventScope _scope;
    private readonly bool _includeActivity;
    private string? _authorName;
    private bool _answerStreamed;
    private bool _reasoningStreamed;
    private bool _cancelled;
    private bool _requestsEmitted;
    private long _inputTokens;
    private long _outputTokens;
    private long _reasoningTokens;
    private bool _sawModelRequest;

    /// <summary>Creates a mapper for one run stream.</summary>
    /// <param name="kind">The kind of the component that runs.</param>
    /// <param name="scope">The scope of the run's own events (<see cref="RemoteComponent.Scope"/>): the events of other scopes and nested runs are activity.</param>
    /// <param name="runId">The run id when already known (continue, resume), else taken from the first event.</param>
    /// <param name="sessionId">The session id when already known.</param>
    /// <param name="includeActivity">Whether events that carry nothing for the answer (lifecycle, members, steps) become updates without contents (their <see cref="ChatResponseUpdate.RawRepresentation"/> is the event); otherwise they map to null.</param>
    /// <param name="answerAlreadyStreamed">Whether the answer's deltas were seen already (a stream resumed after an event index): the completed event's whole text is then not repeated.</param>
    public AgnoStreamingMapper(AgentOSComponentKind kind, EventScope scope, string? runId = null, string? sessionId = null, bool includeActivity = false, bool answerAlreadyStreamed = false)
    {
        _kind = kind;
        _scope = scope;
        RunId = runId;
        SessionId = sessionId;
        _includeActivity = includeActivity;
        _answerStreamed = answerAlreadyStreamed;
        _reasoningStreamed = answerAlreadyStreamed;
    }

    /// <summary>The top-level run id, once known.</summary>
    public string? RunId { get; private set; }

    /// <summary>The session id, once known.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The model of the run, from its started event.</summary>
    public string? ModelId { get; private set; }

    /// <summary>The index of the last event of a resumable stream.</summary>
    public int? LastEventIndex { get; private set; }

    /// <summary>Whether the run has ended (completed, paused or cancelled).</summary>
    public bool IsFinished { get; private set; }

    /// <summary>The paused run, once its paused event arrived (taken by the client to remember it).</summary>
    internal PausedRun? Paused { get; private set; }

    /// <summary>Maps an event.</summary>
    /// <param name="e">The next event of the stream.</param>
    /// <returns>The update; null when the event maps to nothing and activity updates are off.</returns>
    public ChatResponseUpdate? Map(AgentOSEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.EventIndex is { } index)
        {
            LastEventIndex = index;
        }

        List<AIContent>? contents = null;
        ChatFinishReason? finish = null;
        AdditionalPropertiesDictionary? props = null;
        bool own = !e.IsNested && e is not WorkflowRunOutputEvent && e.Scope == _scope;
        if (own)
        {
            RunId ??= e.RunId;
            SessionId ??= e.SessionId;
            _authorName ??= e.AgentName ?? e.TeamName ?? e.WorkflowName;
            switch (e)
            {
                case RunContentEvent content:
                    if (content.ReasoningContent is { Length: > 0 } reasoningDelta)
                    {
                        (contents ??= new(2)).Add(new TextReasoningContent(reasoningDelta) { RawRepresentation = e });
                        _reasoningStreamed = true;
                    }

                    if (content.Content is { Length: > 0 } delta)
                    {
                        (contents ??= new(1)).Add(new TextContent(delta) { RawRepresentation = e });
                        _answerStreamed = true;
                    }

                    break;
                case ReasoningContentDeltaEvent { ReasoningContent: { Length: > 0 } reasoning }:
                    contents = [new TextReasoningContent(reasoning) { RawRepresentation = e }];
                    _reasoningStreamed = true;
                    break;
                case RunStartedEvent started:
                    ModelId ??= started.Model;
                    break;
                case ModelRequestCompletedEvent request:
                    _sawModelRequest = true;
                    _inputTokens += request.InputTokens ?? 0;
                    _outputTokens += request.OutputTokens ?? 0;
                    _reasoningTokens += request.ReasoningTokens ?? 0;
                    break;
                case ToolCallStartedEvent { Tool: { ToolCallId: { Length: > 0 } callId } tool }:
                    contents = [JsonValues.Call(callId, tool.ToolName ?? "tool", tool.ToolArgs, e, informational: true)];
                    break;
                case ToolCallCompletedEvent { Tool: { ToolCallId: { Length: > 0 } callId } tool } completedTool:
                    contents = [new FunctionResultContent(callId, tool.Result ?? completedTool.Content) { RawRepresentation = e }];
                    break;
                case ToolCallErrorEvent { Tool: { ToolCallId: { Length: > 0 } callId } } failedTool:
                    contents = [new FunctionResultContent(callId, failedTool.Error) { RawRepresentation = e }];
                    break;
                case RunCompletedEvent completed:
                    contents = Completed(completed, out props);
                    finish = _cancelled ? ResponseMapper.Cancelled : ChatFinishReason.Stop;
                    IsFinished = true;
                    break;
                case RunCancelledEvent:
                    _cancelled = true;
                    finish = ResponseMapper.Cancelled;
                    IsFinished = true;
                    break;
                case RunPausedEvent paused:
                    finish = ChatFinishReason.ToolCalls;
                    IsFinished = true;
                    Paused = PausedRun.From(_kind, paused, RunId, SessionId);
                    contents = Requests(Paused);
                    break;
            }
        }
        else if (e is WorkflowRunOutputEvent { Output: { } output } && _kind == AgentOSComponentKind.Workflow && output.Status.IsPaused && !_requestsEmitted)
        {
            // A paused workflow stream may carry its step requirements only on the trailing WorkflowRunOutput event.
            Paused = PausedRun.From(_kind, output);
            contents = Requests(Paused);
            finish = contents is null ? null : ChatFinishReason.ToolCalls;
        }

        if (contents is null && finish is null && !_includeActivity)
        {
            return null;
        }

        var update = new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = RunId,
            MessageId = RunId,
            ConversationId = SessionId ?? e.SessionId,
            CreatedAt = e.CreatedAt,
            ModelId = ModelId,
            AuthorName = own ? _authorName : null,
            FinishReason = finish,
            RawRepresentation = e,
            AdditionalProperties = props,
        };

        if (contents is not null)
        {
            update.Contents = contents;
        }

        return update;
    }

    private List<AIContent>? Requests(PausedRun? paused)
    {
        if (paused is null)
        {
            return null;
        }

        var contents = new List<AIContent>(1);
        if (HumanInTheLoop.AddRequests(contents, paused) == 0)
        {
            return null;
        }

        _requestsEmitted = true;
        return contents;
    }

    private List<AIContent>? Completed(RunCompletedEvent completed, out AdditionalPropertiesDictionary? props)
    {
        List<AIContent>? contents = null;
        props = null;
        if (!_reasoningStreamed && completed.ReasoningContent is { Length: > 0 } reasoning)
        {
            (contents ??= new(3)).Add(new TextReasoningContent(reasoning) { RawRepresentation = completed });
        }

        // Teams and agents streamed their answer as deltas; a workflow's answer (and a run that sent no deltas) arrives here whole.
        if (!_answerStreamed && completed.Content is { Length: > 0 } text)
        {
            (contents ??= new(2)).Add(new TextContent(text) { RawRepresentation = completed });
        }

        var usage = ResponseMapper.Usage(completed.Metrics);
        if (usage is null && _sawModelRequest)
        {
            usage = new UsageDetails { InputTokenCount = _inputTokens, OutputTokenCount = _outputTokens, TotalTokenCount = _inputTokens + _outputTokens };
            if (_reasoningTokens > 0)
            {
                usage.ReasoningTokenCount = _reasoningTokens;
            }
        }

        if (usage is not null)
        {
            (contents ??= new(1)).Add(new UsageContent(usage) { RawRepresentation = completed.Metrics });
        }

        if (completed.SessionState is { } state)
        {
            props = new() { [AgnoPropertyNames.SessionState] = state };
        }

        return contents;
    }
}
