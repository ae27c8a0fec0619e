using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

// The outputs of agent and team runs (a non-streaming answer, the stored run, a member run, a workflow step's run), in
// agno's field order. Serialized with HostWireContext: every property is written (null included) unless marked
// WhenWritingNull (a field agno leaves out in that view). The content is a JSON node: text, or a structured object.

/// <summary>An agent run's output (agno's <c>RunOutput.to_dict()</c>).</summary>
internal sealed record AgentRunBody
{
    public required string RunId { get; init; }

    public required string AgentId { get; init; }

    public required string AgentName { get; init; }

    public required string SessionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ParentRunId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserId { get; init; }

    public required JsonNode? Content { get; init; }

    public required string ContentType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningContent { get; init; }

    public required string Model { get; init; }

    public required string ModelProvider { get; init; }

    public required JsonObject SessionState { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public required long CreatedAt { get; init; }

    public required RunStatus Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkflowStepId { get; init; }

    public required RunMetrics Metrics { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? Events { get; init; }

    public required List<MessageBody> Messages { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Tools { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? Requirements { get; init; }

    public required JsonObject Input { get; init; }
}

/// <summary>A team run's output (agno's <c>TeamRunOutput.to_dict()</c>).</summary>
internal sealed record TeamRunBody
{
    public required string RunId { get; init; }

    public required string TeamId { get; init; }

    public required string TeamName { get; init; }

    public required string SessionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ParentRunId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserId { get; init; }

    public required JsonObject Input { get; init; }

    public required JsonNode? Content { get; init; }

    public required string ContentType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningContent { get; init; }

    public required string Model { get; init; }

    public required string ModelProvider { get; init; }

    public required List<AgentRunBody> MemberResponses { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? SessionState { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public required long CreatedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? Events { get; init; }

    public required RunMetrics Metrics { get; init; }

    public required RunStatus Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkflowStepId { get; init; }

    public required List<MessageBody> Messages { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<JsonObject>? Requirements { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Tools { get; init; }
}
