using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

// The bodies of /, /health, /info, /config, /models and of the agent, team and workflow descriptions, in agno's
// field order. Serialized with HostWireContext: every property is written (null included) unless marked
// WhenWritingNull (a field agno leaves out when unset).

/// <summary><c>GET /health</c>.</summary>
internal sealed record HealthBody(string Status, string InstantiatedAt);

/// <summary><c>GET /info</c>.</summary>
internal sealed record InfoBody
{
    public required string OsId { get; init; }

    public required string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; init; }

    public required string AgnoVersion { get; init; }

    public required int AgentCount { get; init; }

    public required int TeamCount { get; init; }

    public required int WorkflowCount { get; init; }

    public McpInfo Mcp { get; init; } = new(false, null, null);

    public required string AuthMode { get; init; }
}

/// <summary>The MCP server of <c>/info</c> (the host serves none).</summary>
internal sealed record McpInfo(bool Enabled, string? Path, JsonNode? Oauth);

/// <summary><c>GET /config</c>.</summary>
internal sealed record ConfigBody
{
    public required string OsId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    public required List<ModelRef> AvailableModels { get; init; }

    public required string OsDatabase { get; init; }

    public required List<string> Databases { get; init; }

    public required SessionDomain Session { get; init; }

    public required List<ComponentSummaryBody> Agents { get; init; }

    public required List<ComponentSummaryBody> Teams { get; init; }

    public required List<ComponentSummaryBody> Workflows { get; init; }

    public JsonArray Interfaces { get; init; } = [];
}

/// <summary>A model as <c>/models</c> and agno 3.x's <c>available_models</c> list it.</summary>
internal sealed record ModelRef(string? Id, string? Provider);

/// <summary>The session databases of <c>/config</c>.</summary>
internal sealed record SessionDomain(List<DatabaseRef> Dbs);

internal sealed record DatabaseRef(string DbId, DomainDisplay DomainConfig, List<string> Tables);

internal sealed record DomainDisplay(string DisplayName);

/// <summary>A component as <c>/config</c> lists it.</summary>
internal sealed record ComponentSummaryBody
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DbId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelRef? Model { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsFactory { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsComponent { get; init; }
}

/// <summary>The model of an agent or team description: its client class, model id and provider.</summary>
internal sealed record ModelBody(string Name, string Model, string Provider);

/// <summary>The <c>tools</c> of a description.</summary>
internal sealed record ToolsBody(List<ToolDefinitionBody> Tools);

internal sealed record ToolDefinitionBody
{
    public required string Name { get; init; }

    public required string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Parameters { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? RequiresConfirmation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApprovalType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ExternalExecution { get; init; }
}

internal sealed record SessionsBody(string SessionTable)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AddHistoryToContext { get; init; }
}

internal sealed record SystemMessageBody
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instructions { get; init; }
}

/// <summary><c>GET /agents/{id}</c> (and a team's members).</summary>
internal sealed record AgentBody
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string DbId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Role { get; init; }

    public bool IsFactory { get; init; }

    public required ModelBody Model { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ToolsBody? Tools { get; init; }

    public required SessionsBody Sessions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SystemMessageBody? SystemMessage { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public bool IsComponent { get; init; }
}

/// <summary><c>GET /teams/{id}</c>.</summary>
internal sealed record TeamBody
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string DbId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    public string Mode { get; init; } = "coordinate";

    public required ModelBody Model { get; init; }

    public required ToolsBody Tools { get; init; }

    public required SessionsBody Sessions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SystemMessageBody? SystemMessage { get; init; }

    public StreamingBody Streaming { get; init; } = new(true);

    public required List<AgentBody> Members { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public bool IsFactory { get; init; }

    public bool IsComponent { get; init; }
}

internal sealed record StreamingBody(bool StreamMemberEvents);

/// <summary><c>GET /workflows/{id}</c>.</summary>
internal sealed record WorkflowBody
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string DbId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    public required List<StepBody> Steps { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public bool WorkflowAgent { get; init; }

    public bool IsFactory { get; init; }

    public bool IsComponent { get; init; }
}

internal sealed record StepBody
{
    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    public string Type { get; init; } = "Step";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepAgentBody? Agent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepTeamBody? Team { get; init; }
}

internal sealed record StepAgentBody(string Id, string Name, bool IsFactory, ModelBody Model, bool IsComponent);

internal sealed record StepTeamBody(string Id, string Name, bool IsFactory, bool IsComponent);
