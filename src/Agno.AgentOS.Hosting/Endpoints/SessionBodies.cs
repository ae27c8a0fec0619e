using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

// The bodies of the session routes, in agno's field order. Serialized with HostWireContext: every property is written
// (null included) unless marked WhenWritingNull; the views that leave nulls out remove them after (RunSchemas.WithoutNulls).

/// <summary>A page of <c>GET /sessions</c>.</summary>
internal sealed record SessionPageBody(List<SessionSchemaBody> Data, PageMetaBody Meta);

/// <summary>The <c>meta</c> of a page.</summary>
internal sealed record PageMetaBody(long Page, long Limit, long TotalPages, long TotalCount, double SearchTimeMs);

/// <summary>A session in <c>GET /sessions</c> (agno's <c>SessionSchema</c>, nulls omitted).</summary>
internal sealed record SessionSchemaBody
{
    public required string SessionId { get; init; }

    public required string SessionName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? SessionState { get; init; }

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    public required string SessionType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AgentId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TeamId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkflowId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? SessionSummary { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunMetrics? Metrics { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TotalTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }
}

/// <summary>An agent session's detail (agno's <c>AgentSessionDetailSchema</c>).</summary>
internal sealed record AgentSessionDetailBody(
    string? UserId, string AgentSessionId, string SessionId, string? SessionName, JsonNode? SessionSummary, JsonObject? SessionState,
    string? AgentId, long? TotalTokens, ComponentDataBody? AgentData, RunMetrics Metrics, JsonObject? Metadata, List<MessageBody> ChatHistory,
    string CreatedAt, string UpdatedAt);

/// <summary>A team session's detail (agno's <c>TeamSessionDetailSchema</c>).</summary>
internal sealed record TeamSessionDetailBody(
    string SessionId, string? SessionName, JsonNode? SessionSummary, string? UserId, string? TeamId, JsonObject? SessionState, RunMetrics Metrics,
    ComponentDataBody? TeamData, JsonObject? Metadata, List<MessageBody> ChatHistory, string CreatedAt, string UpdatedAt, long? TotalTokens);

/// <summary>A workflow session's detail (agno's <c>WorkflowSessionDetailSchema</c>).</summary>
internal sealed record WorkflowSessionDetailBody(
    string? WorkflowId, string? UserId, string SessionId, string? SessionName, JsonNode? SessionSummary, WorkflowSessionDataBody SessionData,
    JsonObject? SessionState, WorkflowDataBody? WorkflowData, JsonObject? Metadata, string CreatedAt, string UpdatedAt);

/// <summary>A workflow session's <c>session_data</c>.</summary>
internal sealed record WorkflowSessionDataBody(JsonObject SessionState, RunMetrics SessionMetrics);

/// <summary>An agent's or team's <c>agent_data</c> / <c>team_data</c>.</summary>
internal sealed record ComponentDataBody
{
    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AgentId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TeamId { get; init; }

    public required ComponentModelBody Model { get; init; }
}

/// <summary>The model of <c>agent_data</c> / <c>team_data</c>.</summary>
internal sealed record ComponentModelBody(string? Id, string? Provider, string Name);

/// <summary>A workflow session's <c>workflow_data</c>.</summary>
internal sealed record WorkflowDataBody(string WorkflowId, string Name, List<WorkflowStepDataBody> Steps);

/// <summary>A step of <c>workflow_data</c>.</summary>
internal sealed record WorkflowStepDataBody(string Name, string? Description, string Type);

/// <summary>AgentOS's <c>CreateSessionRequest</c> (its field types already checked).</summary>
internal sealed record CreateSessionRequestBody(
    string? SessionId, string? SessionName, JsonObject? SessionState, JsonObject? Metadata, string? UserId, string? AgentId, string? TeamId, string? WorkflowId)
{
    public string? ComponentId(string type) => type switch
    {
        AgentOSSessionTypes.Team => TeamId,
        AgentOSSessionTypes.Workflow => WorkflowId,
        _ => AgentId,
    };
}

/// <summary>AgentOS's <c>UpdateSessionRequest</c> (its field types already checked).</summary>
internal sealed record UpdateSessionRequestBody(string? SessionName, JsonObject? SessionState, JsonObject? Metadata, JsonNode? Summary);

