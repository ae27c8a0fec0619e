using System.Text.Json;
using System.Text.Json.Serialization;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>Which kind of component emitted an event.</summary>
public enum EventScope
{
    /// <summary>An agent (<c>RunStarted</c>, <c>RunContent</c>, ...): the agent run itself, a team member or a workflow step's agent.</summary>
    Agent,

    /// <summary>A team (<c>TeamRunStarted</c>, <c>TeamRunContent</c>, ...).</summary>
    Team,

    /// <summary>A workflow (<c>WorkflowStarted</c>, <c>StepStarted</c>, ...).</summary>
    Workflow,

    /// <summary>A meta event of a resumed stream (<c>replay</c>, <c>catch_up</c>, <c>subscribed</c>, <c>error</c>).</summary>
    Resume,

    /// <summary>An event this library does not know.</summary>
    Unknown,
}

/// <summary>
/// An event of an AgentOS run stream. Every event of the protocol has a typed subclass; an event name
/// this library does not know arrives as <see cref="UnknownEvent"/> with its raw JSON. Team streams
/// interleave their members' agent events (whose <see cref="ParentRunId"/> is the team run), and workflow
/// streams interleave the events of their steps' agents and teams.
/// </summary>
public abstract class AgentOSEvent
{
    /// <summary>The event name as sent (e.g. <c>RunContent</c>, <c>TeamRunCompleted</c>, <c>StepStarted</c>).</summary>
    [JsonPropertyName("event")]
    public string Event { get => _event; set => _event = value ?? string.Empty; } // "event": null is no name (the SSE event line names it)

    private string _event = string.Empty;

    /// <summary>When the event was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The run that emitted the event.</summary>
    public string? RunId { get; set; }

    /// <summary>The parent run (member events in a team stream carry the team run id).</summary>
    public string? ParentRunId { get; set; }

    /// <summary>The session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The agent that emitted the event (agent events).</summary>
    public string? AgentId { get; set; }

    /// <summary>The agent's name.</summary>
    public string? AgentName { get; set; }

    /// <summary>The team that emitted the event (team events).</summary>
    public string? TeamId { get; set; }

    /// <summary>The team's name.</summary>
    public string? TeamName { get; set; }

    /// <summary>The workflow (workflow events, and events of agents running as workflow steps).</summary>
    public string? WorkflowId { get => _workflow?.WorkflowId; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).WorkflowId = value; } } }

    /// <summary>The workflow's name.</summary>
    public string? WorkflowName { get => _workflow?.WorkflowName; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).WorkflowName = value; } } }

    /// <summary>The workflow run (events of agents running as workflow steps).</summary>
    public string? WorkflowRunId { get => _workflow?.WorkflowRunId; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).WorkflowRunId = value; } } }

    /// <summary>The workflow step.</summary>
    public string? StepId { get => _workflow?.StepId; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).StepId = value; } } }

    /// <summary>The workflow step's name.</summary>
    public string? StepName { get => _workflow?.StepName; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).StepName = value; } } }

    /// <summary>The workflow step's index: a number, or a list for nested steps.</summary>
    public JsonElement? StepIndex { get => _workflow?.StepIndex; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).StepIndex = value; } } }

    /// <summary>The parent step.</summary>
    public string? ParentStepId { get => _workflow?.ParentStepId; set { if (value is not null || _workflow is not null) { (_workflow ??= new()).ParentStepId = value; } } }

    /// <summary>How deeply nested the emitter is (0 for the top level).</summary>
    public int NestedDepth { get; set; }

    /// <summary>The event's 0-based position in a resumable (background) stream; null otherwise.</summary>
    public int? EventIndex { get; set; }

    /// <summary>Fields this library does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    // The workflow and step fields are set only on the events of workflow runs: they live in a side object, allocated
    // when one is set, so the events of agent and team streams (hundreds per answer) stay small.
    private WorkflowFields? _workflow;

    private sealed class WorkflowFields
    {
        public string? WorkflowId;
        public string? WorkflowName;
        public string? WorkflowRunId;
        public string? StepId;
        public string? StepName;
        public JsonElement? StepIndex;
        public string? ParentStepId;
    }

    // The scope computed when the event was decoded, for the name it had then (a changed Event is looked up again).
    private string? _scopeOf;
    private EventScope _scope;

    /// <summary>Which kind of component emitted the event, from its name.</summary>
    [JsonIgnore]
    public EventScope Scope => ReferenceEquals(_scopeOf, Event) ? _scope : EventNames.ScopeOf(Event);

    /// <summary>Whether this event comes from a nested run (a team member, a sub-team, a workflow step's agent) rather than the run itself.</summary>
    [JsonIgnore]
    public bool IsNested => !string.IsNullOrEmpty(ParentRunId) || NestedDepth > 0;

    /// <inheritdoc />
    public override string ToString() => $"{Event} run={RunId}";

    /// <summary>Fixes <see cref="Scope"/> for the event's current name (events that belong to no component).</summary>
    /// <param name="scope">The scope.</param>
    internal void SetScope(EventScope scope)
    {
        _scope = scope;
        _scopeOf = Event;
    }

    /// <summary>Computes <see cref="Scope"/> once, when the event is decoded (before any other thread can see it).</summary>
    /// <param name="state">The stream's decoder state: the scope of its previous event's name is not looked up again.</param>
    internal void CacheScope(EventDecoderState? state)
    {
        string name = Event;
        if (state is null)
        {
            _scope = EventNames.ScopeOf(name);
        }
        else
        {
            if (!string.Equals(state.LastScopeName, name, StringComparison.Ordinal))
            {
                state.LastScope = EventNames.ScopeOf(name);
                state.LastScopeName = name;
            }

            _scope = state.LastScope;
        }

        _scopeOf = name;
    }
}

/// <summary>An event whose name this library does not know; <see cref="RawJson"/> holds its data.</summary>
public sealed class UnknownEvent : AgentOSEvent
{
    /// <summary>The event's data as sent.</summary>
    [JsonIgnore]
    public string RawJson { get; set; } = string.Empty;
}

/// <summary>
/// An event whose data the server sent as malformed JSON. The stream goes on (agno's own client skips such data);
/// nothing is lost: <see cref="RawData"/> holds the data as received and <see cref="Error"/> says what is wrong.
/// Its <see cref="AgentOSEvent.Scope"/> is <see cref="EventScope.Unknown"/>.
/// </summary>
public sealed class MalformedEvent : AgentOSEvent
{
    /// <summary>The event's data as received.</summary>
    [JsonIgnore]
    public string RawData { get; set; } = string.Empty;

    /// <summary>Why the data could not be read.</summary>
    [JsonIgnore]
    public string Error { get; set; } = string.Empty;
}

/// <summary>
/// <c>CustomEvent</c>: an event yielded by a tool or hook with arbitrary fields, found in
/// <see cref="AgentOSEvent.AdditionalProperties"/>.
/// </summary>
public sealed class CustomEvent : AgentOSEvent
{
    /// <summary>The tool call that emitted the event, if any.</summary>
    public string? ToolCallId { get; set; }
}
