using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>
/// The aggregated result of a run stream: the final content, status, metrics and what a paused run
/// needs. Built by <see cref="RunStreamAccumulator"/> or <see cref="AgentOSStreamExtensions.CollectAsync"/>.
/// </summary>
public sealed class StreamedRunResult
{
    private string? _content;
    private string? _reasoning;

    /// <summary>The run id.</summary>
    public string? RunId { get; internal set; }

    /// <summary>The session id (pass it to the next run to continue the conversation).</summary>
    public string? SessionId { get; internal set; }

    /// <summary>
    /// The status: <c>COMPLETED</c>, <c>PAUSED</c> or <c>CANCELLED</c> once the run ended;
    /// <c>RUNNING</c> while it has not (or when the stream carried no lifecycle events).
    /// </summary>
    public RunStatus Status { get; internal set; } = RunStatus.Running;

    /// <summary>
    /// The answer: the final content of the run's completed event when it has one, otherwise the
    /// run's own content deltas joined. Member and step content is not mixed in.
    /// </summary>
    public string Content
    {
        get => _content ?? ContentBuilder?.ToString() ?? string.Empty;
        internal set => _content = value;
    }

    /// <summary>The content type (<c>str</c> or the output schema's name).</summary>
    public string? ContentType { get; internal set; }

    /// <summary>The reasoning: the final one when the run completed, otherwise the reasoning deltas joined.</summary>
    public string? ReasoningContent
    {
        get => _reasoning ?? (ReasoningBuilder is { Length: > 0 } b ? b.ToString() : null);
        internal set => _reasoning = value;
    }

    internal StringBuilder? ContentBuilder { get; set; }

    internal StringBuilder? ReasoningBuilder { get; set; }

    /// <summary>Metrics from the completed event (null when the stream carried none).</summary>
    public RunMetrics? Metrics { get; internal set; }

    /// <summary>The session state after the run, when the completed event carries it.</summary>
    public JsonObject? SessionState { get; internal set; }

    /// <summary>The model of the run, from its started event.</summary>
    public string? Model { get; internal set; }

    /// <summary>The completed event of the run itself, if any.</summary>
    public RunCompletedEvent? CompletedEvent { get; internal set; }

    /// <summary>The paused event of the run itself, if any.</summary>
    public RunPausedEvent? PausedEvent { get; internal set; }

    /// <summary>The cancelled event of the run itself, if any.</summary>
    public RunCancelledEvent? CancelledEvent { get; internal set; }

    /// <summary>A paused agent run's tools (send them back to continue).</summary>
    public IList<ToolExecution> Tools { get; internal set; } = [];

    /// <summary>A paused team run's requirements.</summary>
    public IList<RunRequirement> Requirements { get; internal set; } = [];

    /// <summary>A paused workflow run's step requirements.</summary>
    public IList<StepRequirement> StepRequirements { get; internal set; } = [];

    /// <summary>Tool calls the run made (their completed events), in order.</summary>
    public IList<ToolExecution> ToolCalls { get; } = [];

    /// <summary>Number of events seen.</summary>
    public int EventCount { get; internal set; }

    /// <summary>The index of the last event of a resumable (background) stream, to resume from.</summary>
    public int? LastEventIndex { get; internal set; }

    /// <summary>Whether the run is paused.</summary>
    public bool IsPaused => Status.IsPaused;

    /// <summary>Whether the run was cancelled.</summary>
    public bool IsCancelled => Status.IsCancelled;

    /// <summary>The structured output as JSON, when the content is structured; otherwise null.</summary>
    /// <returns>The parsed content or null.</returns>
    public JsonElement? GetStructuredContent() => StructuredContent.TryParse(Content, ContentType);
}

/// <summary>
/// Folds the events of a run stream into a <see cref="StreamedRunResult"/>. Events of nested runs (team
/// members, workflow steps' agents) are recognised and kept out of the answer.
/// </summary>
public sealed class RunStreamAccumulator
{
    private EventScope? _scope;

    /// <summary>Creates an accumulator that infers the run's kind from the first top-level event.</summary>
    public RunStreamAccumulator()
    {
    }

    /// <summary>Creates an accumulator for a run of a known kind.</summary>
    /// <param name="scope">The kind of the run: <see cref="EventScope.Agent"/>, <see cref="EventScope.Team"/> or <see cref="EventScope.Workflow"/>.</param>
    public RunStreamAccumulator(EventScope scope) => _scope = scope;

    /// <summary>The result so far.</summary>
    public StreamedRunResult Result { get; } = new();

    /// <summary>Whether an event belongs to the run itself rather than to a nested run.</summary>
    /// <param name="e">The event.</param>
    /// <returns>True for the run's own events.</returns>
    public bool IsOwnEvent(AgentOSEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var scope = e.Scope;
        if (scope is EventScope.Resume or EventScope.Unknown || e is WorkflowRunOutputEvent)
        {
            return false;
        }

        if (e.IsNested)
        {
            return false;
        }

        _scope ??= scope;
        return scope == _scope;
    }

    /// <summary>Adds an event.</summary>
    /// <param name="e">The event.</param>
    public void Add(AgentOSEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var r = Result;
        r.EventCount++;
        if (e.EventIndex is { } index)
        {
            r.LastEventIndex = index;
        }

        if (e is WorkflowRunOutputEvent wro)
        {
            if (wro.Output.StepRequirements is { Count: > 0 } sr && r.StepRequirements.Count == 0)
            {
                r.StepRequirements = sr;
            }

            return;
        }

        if (!IsOwnEvent(e))
        {
            return;
        }

        r.RunId ??= e.RunId;
        r.SessionId ??= e.SessionId;
        switch (e)
        {
            case RunStartedEvent started:
                r.Model ??= started.Model;
                break;
            case RunContentEvent content:
                if (content.Content is { } delta)
                {
                    (r.ContentBuilder ??= new StringBuilder()).Append(delta);
                }

                if (!string.IsNullOrEmpty(content.ReasoningContent))
                {
                    (r.ReasoningBuilder ??= new StringBuilder()).Append(content.ReasoningContent);
                }

                r.ContentType ??= content.ContentType;
                break;
            case ReasoningContentDeltaEvent reasoningDelta when reasoningDelta.ReasoningContent is { } rd:
                (r.ReasoningBuilder ??= new StringBuilder()).Append(rd);
                break;
            case ToolCallCompletedEvent toolDone when toolDone.Tool is { } tool:
                r.ToolCalls.Add(tool);
                break;
            case RunCompletedEvent completed:
                r.CompletedEvent = completed;
                if (completed.Content is not null)
                {
                    r.Content = completed.Content;
                }

                r.ContentType = completed.ContentType ?? r.ContentType;
                r.ReasoningContent = completed.ReasoningContent ?? r.ReasoningContent;
                r.Metrics = completed.Metrics ?? r.Metrics;
                r.SessionState = completed.SessionState ?? r.SessionState;
                if (!r.Status.IsCancelled)
                {
                    r.Status = RunStatus.Completed;
                }

                break;
            case RunPausedEvent paused:
                r.PausedEvent = paused;
                r.Status = RunStatus.Paused;
                r.Tools = paused.Tools ?? [];
                r.Requirements = paused.Requirements ?? [];
                if (paused.StepRequirements is { Count: > 0 } steps)
                {
                    r.StepRequirements = steps;
                }

                break;
            case RunCancelledEvent cancelled:
                r.CancelledEvent = cancelled;
                r.Status = RunStatus.Cancelled;
                break;
            case RunErrorEvent:
                r.Status = RunStatus.Error;
                break;
        }
    }
}

/// <summary>Helpers over run event streams.</summary>
public static class AgentOSStreamExtensions
{
    /// <summary>
    /// Reads a run stream to its end and returns the aggregated result, calling <paramref name="onEvent"/>
    /// for every event on the way (e.g. to print content as it arrives).
    /// </summary>
    /// <param name="events">The stream.</param>
    /// <param name="onEvent">Called for each event, before it is aggregated.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The aggregated result.</returns>
    public static async Task<StreamedRunResult> CollectAsync(this IAsyncEnumerable<AgentOSEvent> events, Action<AgentOSEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var accumulator = new RunStreamAccumulator();
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            onEvent?.Invoke(e);
            accumulator.Add(e);
        }

        return accumulator.Result;
    }
}
