using System.Text.Json;
using System.Text.Json.Nodes;

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
    public JsonObject Cleared { get; set; } = [];

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

    /// <summary>The run's output as AgentOS renders it in that view.</summary>
    public JsonObject ToOutput(OutputView view)
    {
        var s = Source;
        bool paused = Status == RunStatus.Paused;
        return JsonSerializer.SerializeToNode(new WorkflowRunBody
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
        }, HostWireContext.Default.WorkflowRunBody)!.AsObject();
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

    public JsonObject ToResumeState() => new()
    {
        ["scope"] = "Workflow",
        ["step_ids"] = Wire.ToArray(StepIds.Select(id => (JsonNode?)id)),
        ["next_step"] = NextStep,
        ["outputs"] = Wire.ToArray(Outputs.Select(kv => (JsonNode?)new JsonObject { ["name"] = kv.Key, ["content"] = kv.Value })),
        ["previous_content"] = PreviousContent,
        ["previous_error"] = PreviousError,
        ["cleared"] = Cleared.DeepClone(),
        ["step_metrics"] = StepMetrics.DeepClone(),
    };

    public static WorkflowRun FromStored(JsonObject output, JsonObject resume, EventSource source)
    {
        var run = new WorkflowRun
        {
            Source = source,
            UserId = output.GetString("user_id"),
            CreatedAt = output.GetLong("created_at") ?? 0,
            Input = output.GetString("input") ?? string.Empty,
            Status = output.GetString("status") is { Length: > 0 } status ? new RunStatus(status) : RunStatus.Paused,
            Content = output.GetString("content"),
            StepResults = Objects(output.GetArray("step_results")),
            ExecutorRuns = Objects(output.GetArray("step_executor_runs")),
            StepMetrics = (JsonObject?)resume.GetObject("step_metrics")?.DeepClone() ?? (JsonObject?)output.GetObject("metrics")?.GetObject("steps")?.DeepClone() ?? [],
            StepRequirements = Objects(output.GetArray("step_requirements")),
            PausedStepIndex = (int?)output.GetLong("paused_step_index"),
            PausedStepName = output.GetString("paused_step_name"),
            Events = Objects(output.GetArray("events")),
            SessionState = (JsonObject?)output.GetObject("session_state")?.DeepClone(),
            Metadata = (JsonObject?)output.GetObject("metadata")?.DeepClone(),
            StepIds = resume.GetArray("step_ids")?.Select(n => n?.GetValue<string>() ?? Wire.NewId()).ToList() ?? [],
            NextStep = (int)(resume.GetLong("next_step") ?? 0),
            PreviousContent = resume.GetString("previous_content"),
            PreviousError = resume.GetString("previous_error"),
            Cleared = (JsonObject?)resume.GetObject("cleared")?.DeepClone() ?? [],
        };
        foreach (var entry in resume.GetArray("outputs")?.OfType<JsonObject>() ?? [])
        {
            if (entry.GetString("name") is { } name)
            {
                run.Outputs[name] = entry.GetString("content") ?? string.Empty;
            }
        }

        return run;
    }

    private static List<JsonObject> Objects(JsonArray? array)
        => array is null ? [] : array.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()).ToList();
}
