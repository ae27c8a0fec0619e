using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Internal.AgnoGo;

// The wire shapes of agno-go's AgentOS (pkg/agentos), as its Go structs and gin.H maps write them.

/// <summary>The source-generated JSON context of the agno-go dialect (snake_case names, nulls omitted when writing).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UnixOrIsoDateTimeOffsetConverter)])]
[JsonSerializable(typeof(GoAgentList))]
[JsonSerializable(typeof(GoRunRequest))]
[JsonSerializable(typeof(GoRunResponse))]
[JsonSerializable(typeof(GoSession))]
[JsonSerializable(typeof(GoSessionList))]
[JsonSerializable(typeof(GoCreateSession))]
[JsonSerializable(typeof(GoUpdateSession))]
[JsonSerializable(typeof(GoHistory))]
[JsonSerializable(typeof(GoEnvelope))]
[JsonSerializable(typeof(GoStartData))]
[JsonSerializable(typeof(GoTokenData))]
[JsonSerializable(typeof(GoReasoningData))]
[JsonSerializable(typeof(GoCompleteData))]
[JsonSerializable(typeof(GoErrorData))]
[JsonSerializable(typeof(GoErrorBody))]
[JsonSerializable(typeof(GoDeleted))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(List<GoRunSummary>))]
[JsonSerializable(typeof(GoRunMetadata))]
internal sealed partial class AgnoGoJsonContext : JsonSerializerContext;

internal sealed class GoAgentList
{
    public List<GoAgent>? Agents { get; set; }

    public int? Count { get; set; }
}

internal sealed class GoAgent
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class GoRunRequest
{
    public string? Input { get; set; }

    public string? SessionId { get; set; }

    public JsonArray? Media { get; set; }

    public JsonObject? RunContext { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

internal sealed class GoRunResponse
{
    public string? RunId { get; set; }

    public string? Status { get; set; }

    public string? Content { get; set; }

    public string? SessionId { get; set; }

    public GoRunMetadata? Metadata { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class GoRunMetadata
{
    public string? AgentId { get; set; }

    public bool? CacheHit { get; set; }

    public int? Loops { get; set; }

    public GoUsage? Usage { get; set; }

    public JsonObject? RunContext { get; set; }

    public JsonArray? Media { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class GoUsage
{
    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public long? TotalTokens { get; set; }

    public long? ReasoningTokens { get; set; }
}

internal sealed class GoSession
{
    public string? SessionId { get; set; }

    public string? AgentId { get; set; }

    public string? UserId { get; set; }

    public string? TeamId { get; set; }

    public string? WorkflowId { get; set; }

    public string? Name { get; set; }

    public JsonObject? Metadata { get; set; }

    public JsonObject? State { get; set; }

    public int? RunCount { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public JsonElement? Summary { get; set; }

    public List<GoRunSummary>? Runs { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class GoRunSummary
{
    public string? RunId { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class GoSessionList
{
    public int? Count { get; set; }

    public List<GoSession>? Sessions { get; set; }
}

internal sealed class GoCreateSession
{
    public string? AgentId { get; set; }

    public string? UserId { get; set; }

    public string? TeamId { get; set; }

    public string? WorkflowId { get; set; }

    public string? Name { get; set; }

    public JsonObject? Metadata { get; set; }
}

internal sealed class GoUpdateSession
{
    public string? Name { get; set; }

    public JsonObject? Metadata { get; set; }

    public JsonObject? State { get; set; }
}

internal sealed class GoHistory
{
    public List<GoMessage>? Messages { get; set; }

    public List<GoRunSummary>? Runs { get; set; }

    public string? SessionId { get; set; }

    public JsonElement? Summary { get; set; }
}

internal sealed class GoMessage
{
    public string? Id { get; set; }

    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? Name { get; set; }

    public string? ToolCallId { get; set; }

    public JsonElement? ToolCalls { get; set; }

    public GoReasoning? ReasoningContent { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class GoReasoning
{
    public string? Content { get; set; }

    public string? RedactedContent { get; set; }

    public long? TokenCount { get; set; }

    public string? Model { get; set; }

    public string? Provider { get; set; }
}

internal sealed class GoDeleted
{
    public string? Message { get; set; }
}

/// <summary>The JSON of one SSE event: <c>{"type","timestamp","data","session_id"?,"agent_id","run_context_id"}</c>.</summary>
internal sealed class GoEnvelope
{
    public string? Type { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public JsonElement? Data { get; set; }

    public string? SessionId { get; set; }

    public string? AgentId { get; set; }

    public string? RunContextId { get; set; }

    /// <summary>Only in the frame agno-go writes when an event cannot be marshalled: <c>{"error":"failed to marshal event"}</c>.</summary>
    public JsonElement? Error { get; set; }
}

internal sealed class GoStartData
{
    public string? Input { get; set; }

    public string? SessionId { get; set; }

    public JsonElement? Media { get; set; }
}

internal sealed class GoTokenData
{
    public string? Token { get; set; }

    public int? Index { get; set; }
}

internal sealed class GoReasoningData
{
    public string? Content { get; set; }

    public long? TokenCount { get; set; }

    public string? RedactedContent { get; set; }

    public int? MessageIndex { get; set; }

    public string? Model { get; set; }

    public string? Provider { get; set; }
}

internal sealed class GoCompleteData
{
    public string? Output { get; set; }

    public double? Duration { get; set; }

    public long? TokenCount { get; set; }

    public GoReasoning? Reasoning { get; set; }

    public GoUsage? Usage { get; set; }

    public string? Status { get; set; }

    public bool? CacheHit { get; set; }

    public string? RunId { get; set; }

    public string? CancellationReason { get; set; }
}

internal sealed class GoErrorData
{
    public string? Error { get; set; }

    public string? Code { get; set; }

    public JsonElement? Details { get; set; }
}

/// <summary>An error answer: <c>{"status"?, "error", "message"?, "code"?}</c> (or <c>/run/stream</c>'s <c>{"error","message"}</c>).</summary>
internal sealed class GoErrorBody
{
    public JsonElement? Error { get; set; }

    public JsonElement? Code { get; set; }
}
