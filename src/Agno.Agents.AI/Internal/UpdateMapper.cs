using Agno.Extensions.AI;
using System.Text.Json;
using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Internal;

/// <summary>
/// Maps the events of one run stream to <see cref="AgentResponseUpdate"/>s, one event at a time.
/// <para>
/// The answer is the run's own content: the agent's <c>RunContent</c> deltas, the team leader's
/// <c>TeamRunContent</c> deltas, a workflow's <c>WorkflowCompleted</c> content. Every update of the run carries the
/// run id as <c>ResponseId</c> and <c>MessageId</c> and the agent's chat-safe name as <c>AuthorName</c>, so that
/// aggregated they make one assistant message. Team member and workflow step milestones (a member run or a step
/// started or completed, a member's tool call) become updates without contents whose <c>AdditionalProperties</c> name
/// the member or step (<see cref="AgentOSPropertyNames"/>) and whose <c>RawRepresentation</c> is the event: they
/// never add text to the answer, nor a message of their own.
/// </para>
/// </summary>
internal sealed class UpdateMapper
{
    public static readonly ChatFinishReason Cancelled = new("cancelled");

    private readonly RemoteComponent _runner;
    private readonly string _agentId;
    private readonly string? _authorName;
    private bool _answerStreamed;
    private bool _reasoningStreamed;
    private bool _cancelled;
    private bool _requestsEmitted;
    private long _inputTokens;
    private long _outputTokens;
    private long _reasoningTokens;
    private bool _sawModelRequest;

    public UpdateMapper(RemoteComponent runner, string agentId, string? authorName, string? runId, string? sessionId, bool answerAlreadyStreamed = false)
    {
        _answerStreamed = answerAlreadyStreamed;
        _reasoningStreamed = answerAlreadyStreamed;
        _runner = runner;
        _agentId = agentId;
        _authorName = authorName;
        RunId = runId;
        SessionId = sessionId;
    }

    /// <summary>The top-level run id, once known.</summary>
    public string? RunId { get; private set; }

    /// <summary>The session id, once known.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The index of the last event of a resumable (background) stream.</summary>
    public int? LastEventIndex { get; private set; }

    /// <summary>Whether the run has ended (completed, paused or cancelled).</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Maps an event; null when it maps to nothing.</summary>
    public AgentResponseUpdate? Map(AgentOSEvent e)
    {
        if (e.EventIndex is { } index)
        {
            LastEventIndex = index;
        }

        List<AIContent>? contents = null;
        ChatFinishReason? finish = null;
        AdditionalPropertiesDictionary? props = null;
        bool own = !e.IsNested && e is not WorkflowRunOutputEvent && e.Scope == _runner.Scope;
        if (own)
        {
            RunId ??= e.RunId;
            SessionId ??= e.SessionId;
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
                case ModelRequestCompletedEvent request:
                    _sawModelRequest = true;
                    _inputTokens += request.InputTokens ?? 0;
                    _outputTokens += request.OutputTokens ?? 0;
                    _reasoningTokens += request.ReasoningTokens ?? 0;
                    break;
                case ToolCallStartedEvent { Tool: { ToolCallId.Length: > 0 } tool }:
                    contents = [AgnoContentMapper.ToServerFunctionCall(tool, e)];
                    break;
                case ToolCallCompletedEvent { Tool: { ToolCallId: { Length: > 0 } callId } tool } completedTool:
                    contents = [new FunctionResultContent(callId, tool.Result ?? completedTool.Content) { RawRepresentation = e }];
                    break;
                case ToolCallErrorEvent { Tool: { ToolCallId: { Length: > 0 } callId } } failedTool:
                    contents = [new FunctionResultContent(callId, failedTool.Error) { RawRepresentation = e }];
                    break;
                case RunCompletedEvent completed:
                    contents = Completed(completed);
                    finish = _cancelled ? Cancelled : ChatFinishReason.Stop;
                    IsFinished = true;
                    break;
                case RunCancelledEvent:
                    _cancelled = true;
                    finish = Cancelled;
                    IsFinished = true;
                    break;
                case RunPausedEvent paused:
                    finish = ChatFinishReason.ToolCalls;
                    IsFinished = true;
                    contents = Requests(AgnoContentMapper.CreateRequests(_runner.Kind, paused, RunId, SessionId));
                    break;
                case StepStartedEvent or StepCompletedEvent:
                    props = Activity(e);
                    break;
                default:
                    return null;
            }

            if (contents is null && finish is null && props is null)
            {
                return null;
            }
        }
        else if (e is WorkflowRunOutputEvent { Output: { } output } && _runner.Kind == AgentOSComponentKind.Workflow && output.Status.IsPaused && !_requestsEmitted)
        {
            // A paused workflow stream may carry its step requirements only on the trailing WorkflowRunOutput event.
            contents = Requests(AgnoContentMapper.CreateRequests(_runner.Kind, output));
            if (contents is null)
            {
                return null;
            }

            finish = ChatFinishReason.ToolCalls;
        }
        else
        {
            props = Activity(e);
            if (props is null)
            {
                return null;
            }
        }

        var update = new AgentResponseUpdate(ChatRole.Assistant, contents ?? [])
        {
            AgentId = _agentId,
            ResponseId = RunId,
            MessageId = RunId,
            AuthorName = _authorName,
            CreatedAt = e.CreatedAt,
            FinishReason = finish,
            RawRepresentation = e,
            AdditionalProperties = props,
        };
        return update;
    }

    /// <summary>The metadata of a member or step milestone, or null for events that are not one (deltas, internal events).</summary>
    private static AdditionalPropertiesDictionary? Activity(AgentOSEvent e)
    {
        string? content = null;
        switch (e)
        {
            case RunStartedEvent:
            case StepStartedEvent:
            case ToolCallStartedEvent:
                break;
            case RunCompletedEvent completed:
                content = completed.Content;
                break;
            case StepCompletedEvent step:
                content = step.Content ?? step.StepResponse?.Content;
                break;
            case ToolCallCompletedEvent tool:
                content = tool.Tool?.Result ?? tool.Content;
                break;
            default:
                return null;
        }

        var props = new AdditionalPropertiesDictionary { [AgentOSPropertyNames.Event] = e.Event };
        if (e is StepStartedEvent or StepCompletedEvent)
        {
            props[AgentOSPropertyNames.Step] = e.StepName;
        }
        else if ((e.AgentName ?? e.TeamName) is { } member)
        {
            props[AgentOSPropertyNames.Member] = member;
        }

        if (e.StepName is { } stepName)
        {
            props[AgentOSPropertyNames.Step] = stepName;
        }

        if (content is { Length: > 0 })
        {
            props[AgentOSPropertyNames.Content] = content;
        }

        return props;
    }

    private List<AIContent>? Requests(IReadOnlyList<AIContent> requests)
    {
        if (requests.Count == 0)
        {
            return null;
        }

        _requestsEmitted = true;
        return [.. requests];
    }

    private List<AIContent>? Completed(RunCompletedEvent completed)
    {
        List<AIContent>? contents = null;
        if (!_reasoningStreamed && completed.ReasoningContent is { Length: > 0 } reasoning)
        {
            (contents ??= new(3)).Add(new TextReasoningContent(reasoning) { RawRepresentation = completed });
        }

        // Teams and agents streamed their answer as deltas; a workflow's answer (and a run that sent no deltas) arrives here whole.
        if (!_answerStreamed && completed.Content is { Length: > 0 } text)
        {
            (contents ??= new(2)).Add(new TextContent(text) { RawRepresentation = completed });
        }

        var usage = Usage(completed.Metrics);
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

        return contents;
    }

    public static UsageDetails? Usage(RunMetrics? metrics)
    {
        if (metrics is null)
        {
            return null;
        }

        var usage = new UsageDetails
        {
            InputTokenCount = metrics.InputTokens,
            OutputTokenCount = metrics.OutputTokens,
            TotalTokenCount = metrics.TotalTokens,
        };

        if (metrics.InputTokens == 0 && metrics.OutputTokens == 0 && metrics.TotalTokens == 0
            && metrics.AdditionalProperties is { } extra && extra.TryGetValue("steps", out var steps) && steps.ValueKind == JsonValueKind.Object)
        {
            // A workflow reports its tokens per step only: the usage is their sum.
            long input = 0, output = 0, total = 0;
            foreach (var step in steps.EnumerateObject())
            {
                if (step.Value.ValueKind == JsonValueKind.Object && step.Value.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
                {
                    input += Count(m, "input_tokens");
                    output += Count(m, "output_tokens");
                    total += Count(m, "total_tokens");
                }
            }

            usage.InputTokenCount = input;
            usage.OutputTokenCount = output;
            usage.TotalTokenCount = total;
        }

        if (metrics.ReasoningTokens > 0)
        {
            usage.ReasoningTokenCount = metrics.ReasoningTokens;
        }

        if (metrics.CacheReadTokens > 0)
        {
            usage.CachedInputTokenCount = metrics.CacheReadTokens;
        }

        return usage;
    }

    private static long Count(JsonElement metrics, string name)
        => metrics.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : 0;
}
