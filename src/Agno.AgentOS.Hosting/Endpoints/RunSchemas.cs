using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>AgentOS's <c>RunSchema</c> / <c>TeamRunSchema</c> / <c>WorkflowRunSchema</c>: a stored run as run lists and session endpoints show it.</summary>
internal static class RunSchemas
{
    public static JsonObject From(StoredRunFields run, bool keepNulls)
    {
        var input = run.InputFields;
        var media = new InputMediaBody(Array(input?.Images), Array(input?.Videos), Array(input?.Audio), Array(input?.Files));
        JsonNode? runInput = input is not null ? input.InputContent?.DeepClone() : run.Input?.DeepClone();
        string? created = run.CreatedAt is { } seconds ? Wire.IsoSeconds(DateTimeOffset.FromUnixTimeSeconds(seconds)) : null;
        string format = run.Content is JsonObject or JsonArray ? "json" : "text";
        JsonObject o = run.IsWorkflow
            ? Node(new WorkflowRunSchemaBody
            {
                RunId = run.RunId,
                ParentRunId = run.ParentRunId ?? string.Empty,
                WorkflowId = run.WorkflowId,
                UserId = run.UserId,
                Status = run.Status,
                RunInput = runInput,
                Content = run.Content?.DeepClone(),
                ContentType = run.ContentType ?? "str",
                RunResponseFormat = format,
                ReasoningContent = run.ReasoningContent ?? string.Empty,
                Metrics = (JsonObject?)run.Metrics?.DeepClone(),
                Events = run.Events is { Count: > 0 } ? (JsonArray)run.Events.DeepClone() : null,
                CreatedAt = created,
                StepResults = run.StepResults?.DeepClone(),
                StepExecutorRuns = run.StepExecutorRuns?.DeepClone(),
                StepRequirements = run.StepRequirements?.DeepClone(),
                PauseKind = run.PauseKind?.DeepClone(),
                PausedStepName = run.PausedStepName?.DeepClone(),
                PausedStepIndex = run.PausedStepIndex?.DeepClone(),
                SessionState = run.SessionState?.DeepClone() ?? new JsonObject(),
                InputMedia = media,
            }, HostWireContext.Default.WorkflowRunSchemaBody)
            : Node(new RunSchemaBody
            {
                RunId = run.RunId,
                ParentRunId = run.ParentRunId ?? string.Empty,
                AgentId = run.AgentId,
                TeamId = run.TeamId,
                UserId = run.UserId,
                Status = run.Status,
                RunInput = runInput,
                Content = run.Content?.DeepClone(),
                RunResponseFormat = format,
                ReasoningContent = run.ReasoningContent ?? string.Empty,
                Metrics = (JsonObject?)run.Metrics?.DeepClone(),
                Messages = run.Messages ?? [],
                Tools = run.Tools is { Count: > 0 } tools ? (JsonArray)tools.DeepClone() : null,
                Events = run.Events is { Count: > 0 } ? (JsonArray)run.Events.DeepClone() : null,
                CreatedAt = created,
                SessionState = run.SessionState?.DeepClone() ?? new JsonObject(),
                InputMedia = media,
            }, HostWireContext.Default.RunSchemaBody);
        return keepNulls ? o : WithoutNulls(o);
    }

    /// <summary>The object without its null-valued fields (the views of AgentOS that leave nulls out).</summary>
    public static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            o.Remove(key);
        }

        return o;
    }

    private static JsonArray Array(JsonArray? items) => (JsonArray?)items?.DeepClone() ?? [];

    private static JsonObject Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
        => JsonSerializer.SerializeToNode(value, info)!.AsObject();
}

/// <summary>
/// The fields of a stored run's JSON (an agent's, team's or workflow's output, or a run summary) the host reads back:
/// identity, status, content and the parts a run list shows as they were stored.
/// </summary>
internal sealed class StoredRunFields
{
    public string? RunId { get; set; }

    public string? ParentRunId { get; set; }

    public string? AgentId { get; set; }

    public string? AgentName { get; set; }

    public string? TeamId { get; set; }

    public string? TeamName { get; set; }

    public string? WorkflowId { get; set; }

    public string? UserId { get; set; }

    public RunStatus? Status { get; set; }

    public JsonNode? Input { get; set; }

    public JsonNode? Content { get; set; }

    public string? ContentType { get; set; }

    public string? ReasoningContent { get; set; }

    public string? Model { get; set; }

    public string? ModelProvider { get; set; }

    public JsonObject? Metrics { get; set; }

    public List<MessageBody>? Messages { get; set; }

    public JsonArray? Tools { get; set; }

    public JsonArray? Events { get; set; }

    public long? CreatedAt { get; set; }

    public JsonObject? SessionState { get; set; }

    public JsonObject? Metadata { get; set; }

    public List<JsonObject>? Requirements { get; set; }

    public List<StoredRunFields>? MemberResponses { get; set; }

    public JsonNode? StepResults { get; set; }

    public JsonNode? StepExecutorRuns { get; set; }

    public JsonNode? StepRequirements { get; set; }

    public JsonNode? PauseKind { get; set; }

    public JsonNode? PausedStepName { get; set; }

    public JsonNode? PausedStepIndex { get; set; }

    /// <summary>A workflow run (a <c>workflow_id</c> and no <c>agent_id</c>: an agent run of a workflow step has both).</summary>
    [JsonIgnore]
    public bool IsWorkflow => WorkflowId is not null && AgentId is null;

    /// <summary>The run's input, when it is an object (<c>input_content</c> and media).</summary>
    [JsonIgnore]
    public RunInputFields? InputFields => Input is JsonObject o ? o.Deserialize(HostWireContext.Default.RunInputFields) : null;

    /// <summary>Reads a stored run's UTF-8 JSON (<see cref="AgentOSStoredRun.OutputUtf8"/>).</summary>
    public static StoredRunFields Of(ReadOnlyMemory<byte> output)
        => output.IsEmpty ? new StoredRunFields() : JsonSerializer.Deserialize(output.Span, HostWireContext.Default.StoredRunFields) ?? new StoredRunFields();

    /// <summary>Reads a stored run kept as an element (a paused team run's member run in its resume state).</summary>
    public static StoredRunFields Of(JsonElement output)
        => output.ValueKind == JsonValueKind.Object ? output.Deserialize(HostWireContext.Default.StoredRunFields) ?? new StoredRunFields() : new StoredRunFields();

    /// <summary>The output's own <c>agent_id</c>, <c>team_id</c> or <c>workflow_id</c>, by that name.</summary>
    public string? IdOf(string componentKey) => componentKey switch
    {
        "agent_id" => AgentId,
        "team_id" => TeamId,
        "workflow_id" => WorkflowId,
        _ => null,
    };
}

/// <summary>The messages of a stored run (the history a later run gives the model); the rest of the output is skipped.</summary>
internal sealed class StoredRunMessages
{
    public List<MessageBody>? Messages { get; init; }
}

/// <summary>A run's <c>input</c>: its text and media.</summary>
internal sealed record RunInputFields(JsonNode? InputContent, JsonArray? Images, JsonArray? Videos, JsonArray? Audio, JsonArray? Files);

/// <summary>The <c>input_media</c> of a run schema.</summary>
internal sealed record InputMediaBody(JsonArray Images, JsonArray Videos, JsonArray Audios, JsonArray Files);

/// <summary>An agent or team run as run lists show it (agno's <c>RunSchema</c> / <c>TeamRunSchema</c>), in agno's order.</summary>
internal sealed record RunSchemaBody
{
    public string? RunId { get; init; }

    public required string ParentRunId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AgentId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TeamId { get; init; }

    public string? UserId { get; init; }

    public RunStatus? Status { get; init; }

    public JsonNode? RunInput { get; init; }

    public JsonNode? Content { get; init; }

    public required string RunResponseFormat { get; init; }

    public required string ReasoningContent { get; init; }

    public JsonArray ReasoningSteps { get; init; } = [];

    public JsonObject? Metrics { get; init; }

    public required List<MessageBody> Messages { get; init; }

    public JsonArray? Tools { get; init; }

    public JsonArray? Events { get; init; }

    public string? CreatedAt { get; init; }

    public JsonArray References { get; init; } = [];

    public JsonNode? Citations { get; init; }

    public JsonArray ReasoningMessages { get; init; } = [];

    public required JsonNode SessionState { get; init; }

    public JsonArray Images { get; init; } = [];

    public JsonArray Videos { get; init; } = [];

    public JsonArray Audio { get; init; } = [];

    public JsonArray Files { get; init; } = [];

    public JsonNode? ResponseAudio { get; init; }

    public required InputMediaBody InputMedia { get; init; }

    public JsonNode? Followups { get; init; }

    public string? ForkedFromRunId { get; init; }

    public int? ForkedFromMessageIndex { get; init; }

    public string? ForkedFromSessionId { get; init; }

    public string? RegeneratedFrom { get; init; }

    public int? LastCheckpointAtMessageIndex { get; init; }
}

/// <summary>A workflow run as run lists show it (agno's <c>WorkflowRunSchema</c>), in agno's order.</summary>
internal sealed record WorkflowRunSchemaBody
{
    public string? RunId { get; init; }

    public required string ParentRunId { get; init; }

    public string? WorkflowId { get; init; }

    public string? UserId { get; init; }

    public RunStatus? Status { get; init; }

    public JsonNode? RunInput { get; init; }

    public JsonNode? Content { get; init; }

    public required string ContentType { get; init; }

    public required string RunResponseFormat { get; init; }

    public required string ReasoningContent { get; init; }

    public JsonArray ReasoningSteps { get; init; } = [];

    public JsonObject? Metrics { get; init; }

    public JsonArray? Events { get; init; }

    public string? CreatedAt { get; init; }

    public JsonNode? StepResults { get; init; }

    public JsonNode? StepExecutorRuns { get; init; }

    public JsonNode? StepRequirements { get; init; }

    public JsonNode? PauseKind { get; init; }

    public JsonNode? PausedStepName { get; init; }

    public JsonNode? PausedStepIndex { get; init; }

    public JsonArray References { get; init; } = [];

    public JsonNode? Citations { get; init; }

    public JsonArray ReasoningMessages { get; init; } = [];

    public required JsonNode SessionState { get; init; }

    public JsonArray Images { get; init; } = [];

    public JsonArray Videos { get; init; } = [];

    public JsonArray Audio { get; init; } = [];

    public JsonArray Files { get; init; } = [];

    public JsonNode? ResponseAudio { get; init; }

    public required InputMediaBody InputMedia { get; init; }

    public JsonNode? Followups { get; init; }

    public string? ForkedFromRunId { get; init; }

    public int? ForkedFromMessageIndex { get; init; }

    public string? ForkedFromSessionId { get; init; }

    public string? RegeneratedFrom { get; init; }

    public int? LastCheckpointAtMessageIndex { get; init; }
}
