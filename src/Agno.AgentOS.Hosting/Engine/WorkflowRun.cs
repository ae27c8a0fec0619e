using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The state of one workflow run: what its output and stored form are built from.</summary>
internal sealed class WorkflowRun
{
    public required EventSource Source { get; init; }

    public string? UserId { get; set; }

    public long CreatedAt { get; set; }

    public string Input { get; set; } = string.Empty;

    public RunStatus Status { get; set; } = RunStatus.Running;

    public string? Content { get; set; }

    /// <summary>Step ids, one per step, fixed for the run (kept across a pause).</summary>
    public List<string> StepIds { get; set; } = [];

    public List<JsonObject> StepResults { get; set; } = [];

    public List<JsonObject> ExecutorRuns { get; set; } = [];

    public JsonObject StepMetrics { get; set; } = [];

    public Dictionary<string, string> Outputs { get; set; } = new(StringComparer.Ordinal);

    public string? PreviousContent { get; set; }

    public int NextStep { get; set; }

    public List<JsonObject> StepRequirements { get; set; } = [];

    public int? PausedStepIndex { get; set; }

    public string? PausedStepName { get; set; }

    /// <summary>Steps whose confirmation or input was given (by index), with the user's values.</summary>
    public Dictionary<string, ClearedStep> Cleared { get; set; } = new(StringComparer.Ordinal);

    public List<JsonObject> Events { get; set; } = [];

    public bool RecordEvents { get; set; }

    public bool StreamEvents { get; set; } = true;

    public bool Streaming { get; set; }

    /// <summary>The error of the last step, when it failed (given to the next step).</summary>
    public string? PreviousError { get; set; }

    public JsonObject? SessionState { get; set; }

    public JsonObject? Metadata { get; set; }

    public RunMetricsAccumulator Metrics { get; set; } = new();

    public string? Error { get; set; }

    /// <summary>The run's output as AgentOS renders it in that view, as a JSON tree (an event's payload).</summary>
    public JsonObject ToOutput(OutputView view)
        => JsonSerializer.SerializeToNode(Body(view), HostWireContext.Default.WorkflowRunBody)!.AsObject();

    /// <summary>Writes the run's output in that view as the response: serialized once from the typed body, sent with its length.</summary>
    public Task WriteOutputAsync(Microsoft.AspNetCore.Http.HttpContext context, OutputView view)
        => Wire.WriteSizedJsonAsync(context, Body(view), HostWireContext.Default.WorkflowRunBody);

    /// <summary>
    /// The run as its session keeps it: the stored view written from the typed body straight to UTF-8, and a paused
    /// run's resume state. <paramref name="stampEvents"/> may change the stored events (copies of the run's) first.
    /// </summary>
    public AgentOSStoredRun ToStoredRun(Action<List<JsonObject>>? stampEvents = null)
    {
        var body = Body(OutputView.Stored);
        if (stampEvents is not null && body.Events is { } events)
        {
            stampEvents(events);
        }

        return new AgentOSStoredRun
        {
            RunId = Source.RunId,
            OutputUtf8 = Wire.ToUtf8(body, HostWireContext.Default.WorkflowRunBody),
            ResumeStateUtf8 = Status == RunStatus.Paused ? Wire.ToUtf8(ResumeState(), HostWireContext.Default.WorkflowResumeState) : default,
        };
    }

    private WorkflowRunBody Body(OutputView view)
    {
        var s = Source;
        bool paused = Status == RunStatus.Paused;
        return new WorkflowRunBody
        {
            Input = Input,
            Content = paused ? null : Content,
            WorkflowId = s.ComponentId,
            WorkflowName = s.ComponentName,
            RunId = s.RunId,
            SessionId = s.SessionId,
            UserId = UserId,
            CreatedAt = CreatedAt,
            Status = Status,
            PausedStepIndex = paused ? PausedStepIndex : null,
            PausedStepName = paused ? PausedStepName : null,
            PauseKind = paused ? "step" : null,
            Images = paused ? null : [],
            Videos = paused ? null : [],
            Audio = paused ? null : [],
            Files = paused ? null : [],
            StepResults = StepResults.Count > 0 ? Copies(StepResults) : null,
            StepExecutorRuns = ExecutorRuns.Count > 0 ? Copies(ExecutorRuns) : null,
            SessionState = SessionState is { Count: > 0 } ? (JsonObject)SessionState.DeepClone() : null,
            Metadata = (JsonObject?)Metadata?.DeepClone(),
            Metrics = MetricsJson(),
            Events = view == OutputView.Stored || (view == OutputView.Response && Events.Count > 0 && paused) ? Copies(Events) : null,
            StepRequirements = StepRequirements.Count > 0 ? Copies(StepRequirements) : null,
        };
    }

    /// <summary>The run's <c>metrics</c>: per-step metrics and the duration (a paused run shows neither).</summary>
    public JsonObject MetricsJson()
    {
        bool paused = Status == RunStatus.Paused;
        return JsonSerializer.SerializeToNode(
            new WorkflowMetricsBody(paused ? [] : (JsonObject)StepMetrics.DeepClone(), paused ? null : Metrics.Duration),
            HostWireContext.Default.WorkflowMetricsBody)!.AsObject();
    }

    private static List<JsonObject> Copies(List<JsonObject> items) => items.ConvertAll(i => (JsonObject)i.DeepClone());

    private WorkflowResumeState ResumeState() => new()
    {
        StepIds = [.. StepIds],
        NextStep = NextStep,
        Outputs = [.. Outputs.Select(kv => new WorkflowStepOutputState(kv.Key, kv.Value))],
        PreviousContent = PreviousContent,
        PreviousError = PreviousError,
        Cleared = new Dictionary<string, ClearedStep>(Cleared, StringComparer.Ordinal),
        StepMetrics = (JsonObject)StepMetrics.DeepClone(),
    };

    /// <summary>Rebuilds a paused run from its stored output (read as <paramref name="stored"/>) and resume state (UTF-8) to continue it.</summary>
    public static WorkflowRun FromStored(StoredRunFields stored, ReadOnlyMemory<byte> resumeState, EventSource source)
    {
        var resume = (resumeState.IsEmpty ? null : JsonSerializer.Deserialize(resumeState.Span, HostWireContext.Default.WorkflowResumeState)) ?? new WorkflowResumeState();
        var run = new WorkflowRun
        {
            Source = source,
            UserId = stored.UserId,
            CreatedAt = stored.CreatedAt ?? 0,
            Input = Text(stored.Input) ?? string.Empty,
            Status = stored.Status is { Value.Length: > 0 } status ? status : RunStatus.Paused,
            Content = Text(stored.Content),
            StepResults = Objects(stored.StepResults),
            ExecutorRuns = Objects(stored.StepExecutorRuns),
            StepMetrics = resume.StepMetrics ?? StepMetricsOf(stored.Metrics) ?? [],
            StepRequirements = Objects(stored.StepRequirements),
            PausedStepIndex = stored.PausedStepIndex is JsonValue index && index.TryGetValue(out int i) ? i : null,
            PausedStepName = Text(stored.PausedStepName),
            Events = Objects(stored.Events),
            SessionState = stored.SessionState,
            Metadata = stored.Metadata,
            StepIds = resume.StepIds ?? [],
            NextStep = resume.NextStep,
            PreviousContent = resume.PreviousContent,
            PreviousError = resume.PreviousError,
            Cleared = resume.Cleared ?? new(StringComparer.Ordinal),
        };
        foreach (var entry in resume.Outputs ?? [])
        {
            if (entry.Name is { } name)
            {
                run.Outputs[name] = entry.Content ?? string.Empty;
            }
        }

        return run;
    }

    /// <summary>The per-step metrics of a stored run's <c>metrics</c> (<see cref="WorkflowMetricsBody"/>).</summary>
    private static JsonObject? StepMetricsOf(JsonObject? metrics)
        => metrics?.Deserialize(HostWireContext.Default.WorkflowMetricsFields)?.Steps;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static List<JsonObject> Objects(JsonNode? array)
        => array is JsonArray items ? items.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()).ToList() : [];
}

/// <summary>A step whose confirmation or input was given: skipped (rejected), or run with the user's values.</summary>
internal sealed record ClearedStep
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Skipped { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? UserInput { get; init; }
}

/// <summary>What the host needs to continue a paused workflow run, kept beside its stored output.</summary>
internal sealed record WorkflowResumeState
{
    public string Scope { get; init; } = "Workflow";

    public List<string>? StepIds { get; init; }

    public int NextStep { get; init; }

    public List<WorkflowStepOutputState>? Outputs { get; init; }

    public string? PreviousContent { get; init; }

    public string? PreviousError { get; init; }

    public Dictionary<string, ClearedStep>? Cleared { get; init; }

    public JsonObject? StepMetrics { get; init; }
}

/// <summary>The content a step produced, by step name (what later steps read).</summary>
internal sealed record WorkflowStepOutputState(string? Name, string? Content);

/// <summary>The per-step part of a stored workflow run's <c>metrics</c>.</summary>
internal sealed record WorkflowMetricsFields(JsonObject? Steps);
