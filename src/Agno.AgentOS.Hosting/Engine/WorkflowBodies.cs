using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

// The step records and event payloads of workflow runs, in agno's field order. Serialized with HostWireContext: every
// property is written (null included) unless marked WhenWritingNull.

/// <summary>A step's output (agno's <c>StepOutput</c>) of an agent or team step: the content comes first.</summary>
internal sealed record ExecutorStepResultBody(
    string Content, string StepName, string StepId, string StepType, string ExecutorType, string ExecutorName,
    string? StepRunId, JsonNode? Images, JsonNode? Videos, JsonNode? Audio, JsonNode? Files, RunMetrics? Metrics,
    bool Success, string? Error, bool Stop, bool IsPaused);

/// <summary>A function step's output: the content comes after the executor.</summary>
internal sealed record FunctionStepResultBody(
    string StepName, string StepId, string StepType, string ExecutorType, string ExecutorName, string Content,
    string? StepRunId, JsonNode? Images, JsonNode? Videos, JsonNode? Audio, JsonNode? Files, RunMetrics? Metrics,
    bool Success, string? Error, bool Stop, bool IsPaused)
{
    /// <summary>The nested steps: in the <c>StepOutput</c> event only, as a present null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Steps { get; init; }

    /// <summary>In the <c>StepOutput</c> event only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? RequiresIterationReviewPause { get; init; }
}

/// <summary>One step's entry in the workflow's <c>metrics.steps</c>.</summary>
internal sealed record StepMetricsBody(string StepName, string ExecutorType, string ExecutorName, RunMetrics Metrics);

/// <summary>What a paused step needs (agno's <c>StepRequirement</c>).</summary>
internal sealed record StepRequirementBody
{
    public required string StepId { get; init; }

    public required string StepName { get; init; }

    public required int StepIndex { get; init; }

    public string StepType { get; init; } = "Step";

    public required bool RequiresConfirmation { get; init; }

    public required string? ConfirmationMessage { get; init; }

    public bool? Confirmed { get; init; }

    public required string OnReject { get; init; }

    public required bool RequiresUserInput { get; init; }

    public required string? UserInputMessage { get; init; }

    public JsonNode? UserInput { get; init; }

    public bool RequiresRouteSelection { get; init; }

    public JsonNode? AvailableChoices { get; init; }

    public bool AllowMultipleSelections { get; init; }

    public JsonNode? SelectedChoices { get; init; }

    public bool RequiresOutputReview { get; init; }

    public string? OutputReviewMessage { get; init; }

    public bool IsPostExecution { get; init; }

    public string? RejectionFeedback { get; init; }

    public int RetryCount { get; init; }

    public int MaxRetries { get; init; } = 3;

    public string? TimeoutAt { get; init; }

    public string OnTimeout { get; init; } = "cancel";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? UserInputSchema { get; init; }

    public required StepInputBody StepInput { get; init; }
}

/// <summary>The input a paused step would run with.</summary>
internal sealed record StepInputBody(string Input, JsonObject PreviousStepOutputs, string? PreviousStepContent)
{
    public JsonNode? AdditionalData { get; init; }

    public JsonNode? Images { get; init; }

    public JsonNode? Videos { get; init; }

    public JsonNode? Audio { get; init; }

    public JsonNode? Files { get; init; }
}

/// <summary>
/// <c>StepPaused</c>. The messages are present (possibly null) only for what the step asks: a
/// <see cref="JsonElement"/> of kind <c>Null</c> is a present null, a missing one is left out.
/// </summary>
internal sealed record StepPausedPayload
{
    public required bool RequiresConfirmation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? ConfirmationMessage { get; init; }

    public required bool RequiresUserInput { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? UserInputMessage { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? UserInputSchema { get; init; }
}

/// <summary><c>WorkflowPaused</c>.</summary>
internal sealed record WorkflowPausedPayload(
    RunStatus Status, int PausedStepIndex, string PausedStepName, string PauseKind,
    List<JsonObject> StepRequirements, List<JsonObject> StepResults, List<JsonObject> StepExecutorRuns);

/// <summary><c>StepOutput</c> (a function step).</summary>
internal sealed record StepOutputPayload(JsonObject StepOutput);

/// <summary><c>StepCompleted</c>.</summary>
internal sealed record StepCompletedPayload(string Content, string ContentType, JsonObject StepResponse);

/// <summary><c>WorkflowCompleted</c> (also after a cancellation, when no step executor ran: no <c>step_executor_runs</c>).</summary>
internal sealed record WorkflowCompletedPayload
{
    public required string? Content { get; init; }

    public string ContentType { get; init; } = "str";

    public required List<JsonObject> StepResults { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? StepExecutorRuns { get; init; }

    public required JsonObject Metrics { get; init; }
}

/// <summary><c>WorkflowCancelled</c>.</summary>
internal sealed record WorkflowCancelledPayload(string Reason, string Content);

/// <summary>A workflow run's output (agno's <c>WorkflowRunOutput.to_dict()</c>).</summary>
internal sealed record WorkflowRunBody
{
    public required string Input { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; init; }

    public string ContentType { get; init; } = "str";

    public required string WorkflowId { get; init; }

    public required string WorkflowName { get; init; }

    public required string RunId { get; init; }

    public required string SessionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserId { get; init; }

    public required long CreatedAt { get; init; }

    public required RunStatus Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PausedStepIndex { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PausedStepName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PauseKind { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Images { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Videos { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Audio { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Files { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? StepResults { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? StepExecutorRuns { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? SessionState { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public required JsonObject Metrics { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? Events { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? StepRequirements { get; init; }
}

/// <summary>A workflow run's <c>metrics</c> (the duration is null while paused).</summary>
internal sealed record WorkflowMetricsBody(JsonObject Steps, double? Duration);

/// <summary>Builds a workflow's step records and event payloads.</summary>
internal static class WorkflowBodies
{
    public static JsonObject StepResult(WorkflowStep step, string stepId, string content, string? stepRunId, RunMetrics? metrics, bool success, string? error)
        => step.Function is not null
            ? Node(new FunctionStepResultBody(step.Name, stepId, "Step", step.ExecutorType, step.ExecutorName, content, stepRunId, null, null, null, null, metrics, success, error, false, false), HostWireContext.Default.FunctionStepResultBody)
            : Node(new ExecutorStepResultBody(content, step.Name, stepId, "Step", step.ExecutorType, step.ExecutorName, stepRunId, null, null, null, null, metrics, success, error, false, false), HostWireContext.Default.ExecutorStepResultBody);

    /// <summary>A function step's output as its <c>StepOutput</c> event shows it.</summary>
    public static EventPayload FunctionStepOutput(WorkflowStep step, string stepId, string content)
        => EventPayload.Of(
            new StepOutputPayload(Node(
                new FunctionStepResultBody(step.Name, stepId, "Step", step.ExecutorType, step.ExecutorName, content, null, null, null, null, null, null, true, null, false, false)
                {
                    Steps = Present(null),
                    RequiresIterationReviewPause = false,
                },
                HostWireContext.Default.FunctionStepResultBody)),
            HostWireContext.Default.StepOutputPayload);

    public static JsonObject StepMetrics(WorkflowStep step, RunMetrics metrics)
        => Node(new StepMetricsBody(step.Name, step.ExecutorType, step.ExecutorName, metrics), HostWireContext.Default.StepMetricsBody);

    public static JsonObject StepRequirement(WorkflowRun run, int index, WorkflowStep step)
    {
        var previous = new JsonObject();
        foreach (var result in run.StepResults)
        {
            if (result.GetString("step_name") is { } name)
            {
                previous[name] = result.DeepClone();
            }
        }

        return Node(new StepRequirementBody
        {
            StepId = run.StepIds[index],
            StepName = step.Name,
            StepIndex = index,
            RequiresConfirmation = step.RequiresConfirmation,
            ConfirmationMessage = step.ConfirmationMessage,
            OnReject = step.OnReject == StepRejectionBehavior.Cancel ? "cancel" : "skip",
            RequiresUserInput = step.UserInputFields.Count > 0,
            UserInputMessage = step.UserInputMessage,
            UserInputSchema = step.UserInputFields.Count > 0 ? MessageMapper.FieldsJson(step.UserInputFields, withRequired: true) : null,
            StepInput = new StepInputBody(run.Input, previous, run.PreviousContent),
        }, HostWireContext.Default.StepRequirementBody);
    }

    public static EventPayload StepPaused(WorkflowStep step) => EventPayload.Of(
        new StepPausedPayload
        {
            RequiresConfirmation = step.RequiresConfirmation,
            ConfirmationMessage = step.RequiresConfirmation ? Present(step.ConfirmationMessage) : null,
            RequiresUserInput = step.UserInputFields.Count > 0,
            UserInputMessage = step.UserInputFields.Count > 0 ? Present(step.UserInputMessage) : null,
            UserInputSchema = step.UserInputFields.Count > 0 ? MessageMapper.FieldsJson(step.UserInputFields, withRequired: true) : null,
        },
        HostWireContext.Default.StepPausedPayload);

    public static EventPayload WorkflowPaused(WorkflowRun run, int index, string stepName) => EventPayload.Of(
        new WorkflowPausedPayload(RunStatus.Paused, index, stepName, "step", Copies(run.StepRequirements), Copies(run.StepResults), Copies(run.ExecutorRuns)),
        HostWireContext.Default.WorkflowPausedPayload);

    public static EventPayload StepCompleted(string content, JsonObject result)
        => EventPayload.Of(new StepCompletedPayload(content, "str", (JsonObject)result.DeepClone()), HostWireContext.Default.StepCompletedPayload);

    public static EventPayload Completed(WorkflowRun run, bool executorRunsAlways) => EventPayload.Of(
        new WorkflowCompletedPayload
        {
            Content = run.Content,
            StepResults = Copies(run.StepResults),
            StepExecutorRuns = executorRunsAlways || run.ExecutorRuns.Count > 0 ? Copies(run.ExecutorRuns) : null,
            Metrics = run.MetricsJson(),
        },
        HostWireContext.Default.WorkflowCompletedPayload);

    public static EventPayload Cancelled(string reason)
        => EventPayload.Of(new WorkflowCancelledPayload(reason, reason), HostWireContext.Default.WorkflowCancelledPayload);

    /// <summary>A field that is written even when its value is null.</summary>
    private static JsonElement Present(string? value) => JsonSerializer.SerializeToElement(value, HostWireContext.Default.String);

    private static List<JsonObject> Copies(List<JsonObject> items) => items.ConvertAll(i => (JsonObject)i.DeepClone());

    private static JsonObject Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        => JsonSerializer.SerializeToNode(value, typeInfo)!.AsObject();
}
