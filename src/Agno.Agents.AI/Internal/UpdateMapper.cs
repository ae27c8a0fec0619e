using Agno.AgentOS;
using Agno.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Internal;

/// <summary>
/// Maps the events of one run stream to <see cref="AgentResponseUpdate"/>s, one event at a time, on Agno.Extensions.AI's
/// shared <see cref="AgnoStreamingMapper"/> (the answer, reasoning, server-side tool calls and results, usage, pause
/// requests), adding MAF's fields.
/// <para>
/// Every update of the run carries the run id as <c>ResponseId</c> and <c>MessageId</c> and the agent's chat-safe
/// name as <c>AuthorName</c>, so that aggregated they make one assistant message. Team member and workflow step
/// milestones (a member run or a step started or completed, a member's tool call) become updates without contents
/// whose <c>AdditionalProperties</c> name the member or step (<see cref="AgentOSPropertyNames"/>) and whose
/// <c>RawRepresentation</c> is the event: they never add text to the answer, nor a message of their own.
/// </para>
/// </summary>
internal sealed class UpdateMapper
{
    private readonly AgnoStreamingMapper _inner;
    private readonly EventScope _scope;
    private readonly string _agentId;
    private readonly string? _authorName;

    public UpdateMapper(RemoteComponent runner, string agentId, string? authorName, string? runId, string? sessionId, bool answerAlreadyStreamed = false)
    {
        _inner = new AgnoStreamingMapper(runner.Kind, runner.Scope, runId, sessionId, includeActivity: true, answerAlreadyStreamed);
        _scope = runner.Scope;
        _agentId = agentId;
        _authorName = authorName;
    }

    /// <summary>The top-level run id, once known.</summary>
    public string? RunId => _inner.RunId;

    /// <summary>The session id, once known.</summary>
    public string? SessionId => _inner.SessionId;

    /// <summary>The index of the last event of a resumable (background) stream.</summary>
    public int? LastEventIndex => _inner.LastEventIndex;

    /// <summary>Whether the run has ended (completed, paused or cancelled).</summary>
    public bool IsFinished => _inner.IsFinished;

    /// <summary>Maps an event; null when it maps to nothing.</summary>
    public AgentResponseUpdate? Map(AgentOSEvent e)
    {
        var chat = _inner.Map(e);
        if (chat is null)
        {
            return null;
        }

        var props = chat.AdditionalProperties;
        if (chat.Contents.Count == 0 && chat.FinishReason is null)
        {
            // Nothing for the answer: a member or step milestone becomes metadata; anything else maps to nothing.
            bool own = !e.IsNested && e is not WorkflowRunOutputEvent && e.Scope == _scope;
            props = own && e is not (StepStartedEvent or StepCompletedEvent) ? null : Activity(e);
            if (props is null)
            {
                return null;
            }
        }

        return new AgentResponseUpdate(ChatRole.Assistant, chat.Contents)
        {
            AgentId = _agentId,
            ResponseId = chat.ResponseId,
            MessageId = chat.MessageId,
            AuthorName = _authorName,
            CreatedAt = chat.CreatedAt,
            FinishReason = chat.FinishReason,
            RawRepresentation = e,
            AdditionalProperties = props,
        };
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
}
