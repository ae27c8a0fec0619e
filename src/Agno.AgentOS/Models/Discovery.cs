using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary><c>GET /health</c>.</summary>
public sealed class HealthStatus
{
    /// <summary><c>ok</c> when the server is up.</summary>
    public string? Status { get; set; }

    /// <summary>When the server started.</summary>
    public DateTimeOffset? InstantiatedAt { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// <c>GET /</c>. agno 2.9 answers the API's name, the OS id and its version; agno 3.x answers the OS name
/// and the paths of the health, info and docs routes (the id and version are then on <see cref="OSInfo"/>).
/// </summary>
public sealed class ApiHome
{
    /// <summary>The API name (<c>AgentOS API</c> on 2.9; the OS's name, default <c>AgentOS</c>, on 3.x).</summary>
    public string? Name { get; set; }

    /// <summary>The OS id (agno 2.9).</summary>
    public string? Id { get; set; }

    /// <summary>The OS version (agno 2.9; on 3.x see <see cref="OSInfo.OsVersion"/>).</summary>
    public string? Version { get; set; }

    /// <summary>The path of the health route (agno 3.x: <c>/health</c>).</summary>
    public string? Health { get; set; }

    /// <summary>The path of the info route (agno 3.x: <c>/info</c>).</summary>
    public string? Info { get; set; }

    /// <summary>The path of the API docs, when the server publishes them (agno 3.x: <c>/docs</c>).</summary>
    public string? Docs { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>GET /info</c> (no authentication needed): what the server is and how it authenticates.</summary>
public sealed class OSInfo
{
    /// <summary>The OS id.</summary>
    public string? OsId { get; set; }

    /// <summary>The OS name.</summary>
    public string? Name { get; set; }

    /// <summary>The agno version of the server.</summary>
    public string? AgnoVersion { get; set; }

    /// <summary>The OS's own version (agno 3.x: <c>AgentOS(version=...)</c>, default <c>1.0.0</c>).</summary>
    public string? OsVersion { get; set; }

    /// <summary>Number of agents.</summary>
    public int AgentCount { get; set; }

    /// <summary>Number of teams.</summary>
    public int TeamCount { get; set; }

    /// <summary>Number of workflows.</summary>
    public int WorkflowCount { get; set; }

    /// <summary>MCP settings.</summary>
    public JsonElement? Mcp { get; set; }

    /// <summary><c>none</c>, <c>security_key</c> or <c>jwt</c>.</summary>
    public string? AuthMode { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>GET /config</c>: the OS's components, databases and interfaces.</summary>
public sealed class OSConfig
{
    /// <summary>The OS id.</summary>
    public string? OsId { get; set; }

    /// <summary>The OS name.</summary>
    public string? Name { get; set; }

    /// <summary>The OS description.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// Models offered by the OS: agno 2.9 lists model ids (each becomes a <see cref="ModelInfo"/> with only
    /// <see cref="ModelInfo.Id"/>), agno 3.x lists <c>{id, provider}</c> objects.
    /// </summary>
    [JsonConverter(typeof(Internal.ModelListConverter))]
    public List<ModelInfo>? AvailableModels { get; set; }

    /// <summary>The OS's own database.</summary>
    public string? OsDatabase { get; set; }

    /// <summary>All database ids.</summary>
    public List<string>? Databases { get; set; }

    /// <summary>Session domain configuration (databases and tables).</summary>
    public DomainConfig? Session { get; set; }

    /// <summary>Memory domain configuration.</summary>
    public DomainConfig? Memory { get; set; }

    /// <summary>Knowledge domain configuration.</summary>
    public DomainConfig? Knowledge { get; set; }

    /// <summary>Metrics domain configuration.</summary>
    public DomainConfig? Metrics { get; set; }

    /// <summary>Evals domain configuration.</summary>
    public DomainConfig? Evals { get; set; }

    /// <summary>Traces domain configuration.</summary>
    public DomainConfig? Traces { get; set; }

    /// <summary>Agents.</summary>
    public List<ComponentSummary>? Agents { get; set; }

    /// <summary>Teams.</summary>
    public List<ComponentSummary>? Teams { get; set; }

    /// <summary>Workflows.</summary>
    public List<ComponentSummary>? Workflows { get; set; }

    /// <summary>Interfaces (A2A, AG-UI, ...).</summary>
    public JsonElement? Interfaces { get; set; }

    /// <summary>Fields this library does not model (chat, manifest, learning, ...).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The databases that serve a domain (sessions, memories, ...).</summary>
public sealed class DomainConfig
{
    /// <summary>Display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Databases and their tables.</summary>
    public List<DatabaseConfig>? Dbs { get; set; }

    /// <summary>Knowledge bases (knowledge domain).</summary>
    public JsonElement? KnowledgeInstances { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A database serving a domain.</summary>
public sealed class DatabaseConfig
{
    /// <summary>The database id (the <c>db_id</c> query parameter).</summary>
    public string? DbId { get; set; }

    /// <summary>Display settings.</summary>
    public JsonElement? DomainConfig { get; set; }

    /// <summary>Table names (the <c>table</c> query parameter).</summary>
    public List<string>? Tables { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A component (agent, team or workflow) as summarised by <c>/config</c>.</summary>
public sealed class ComponentSummary
{
    /// <summary>The id.</summary>
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The database id.</summary>
    public string? DbId { get; set; }

    /// <summary>The model (<c>id</c>, <c>provider</c>).</summary>
    public ModelInfo? Model { get; set; }

    /// <summary>For teams: <c>coordinate</c>, <c>route</c>, <c>broadcast</c> or <c>tasks</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A model: <c>GET /models</c> and <c>/config</c> <c>available_models</c> entries, and the model of a component.</summary>
public sealed class ModelInfo
{
    /// <summary>The model id.</summary>
    public string? Id { get; set; }

    /// <summary>The model class name (component details).</summary>
    public string? Name { get; set; }

    /// <summary>The model id as given in component details (<c>model.model</c>).</summary>
    [JsonPropertyName("model")]
    public string? ModelId { get; set; }

    /// <summary>The provider.</summary>
    public string? Provider { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The model id, whichever field carried it.</summary>
    [JsonIgnore]
    public string? EffectiveId => Id ?? ModelId;
}

/// <summary>The tools of a component (<c>tools</c> of <c>GET /agents/{id}</c>).</summary>
public sealed class ComponentTools
{
    /// <summary>The tool functions (name, description, parameters JSON schema, requires_confirmation, ...).</summary>
    public List<ToolDefinition>? Tools { get; set; }

    /// <summary>The tool call limit.</summary>
    public int? ToolCallLimit { get; set; }

    /// <summary>The tool choice.</summary>
    public JsonElement? ToolChoice { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A tool function of a component.</summary>
public sealed class ToolDefinition
{
    /// <summary>The tool's name.</summary>
    public string? Name { get; set; }

    /// <summary>The tool's description.</summary>
    public string? Description { get; set; }

    /// <summary>The JSON schema of the parameters.</summary>
    public JsonElement? Parameters { get; set; }

    /// <summary>Whether a call needs a human's confirmation.</summary>
    public bool? RequiresConfirmation { get; set; }

    /// <summary>Whether the caller runs the tool.</summary>
    public bool? ExternalExecution { get; set; }

    /// <summary>The approval the tool needs (agno's <c>@approval</c>): <c>required</c> (an admin resolves it) or <c>audit</c>.</summary>
    public string? ApprovalType { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>What agents, teams and workflows share in their details.</summary>
public abstract class ComponentDetails
{
    /// <summary>The id.</summary>
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The database id.</summary>
    public string? DbId { get; set; }

    /// <summary>Whether the component is built by a factory per request.</summary>
    public bool? IsFactory { get; set; }

    /// <summary>The JSON schema of the factory input.</summary>
    public JsonElement? FactoryInputSchema { get; set; }

    /// <summary>The JSON schema of structured input, if the component takes one.</summary>
    public JsonElement? InputSchema { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Whether the component is stored in the database.</summary>
    public bool? IsComponent { get; set; }

    /// <summary>The current version (database-backed components).</summary>
    public JsonElement? CurrentVersion { get; set; }

    /// <summary>The stage.</summary>
    public string? Stage { get; set; }

    /// <summary>Fields this library does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>GET /agents/{id}</c> (agno's <c>AgentResponse</c>).</summary>
public class AgentDetails : ComponentDetails
{
    /// <summary>The agent's role (as a team member).</summary>
    public string? Role { get; set; }

    /// <summary>The model.</summary>
    public ModelInfo? Model { get; set; }

    /// <summary>The tools.</summary>
    public ComponentTools? Tools { get; set; }

    /// <summary>Session settings (table, history).</summary>
    public JsonObject? Sessions { get; set; }

    /// <summary>Knowledge settings (database, table, ...).</summary>
    public JsonObject? Knowledge { get; set; }

    /// <summary>Memory settings.</summary>
    public JsonObject? Memory { get; set; }

    /// <summary>Reasoning settings.</summary>
    public JsonObject? Reasoning { get; set; }

    /// <summary>Default tools.</summary>
    public JsonObject? DefaultTools { get; set; }

    /// <summary>System message settings (instructions, description, markdown, ...).</summary>
    public JsonObject? SystemMessage { get; set; }

    /// <summary>Response settings (output schema name, ...).</summary>
    public JsonObject? ResponseSettings { get; set; }

    /// <summary>Streaming settings.</summary>
    public JsonObject? Streaming { get; set; }

    /// <summary>An introduction message.</summary>
    public string? Introduction { get; set; }
}

/// <summary><c>GET /teams/{id}</c> (agno's <c>TeamResponse</c>).</summary>
public sealed class TeamDetails : AgentDetails
{
    /// <summary><c>coordinate</c>, <c>route</c>, <c>broadcast</c> or <c>tasks</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>The members (agents; nested teams have their <c>members</c> in <see cref="ComponentDetails.AdditionalProperties"/>).</summary>
    public List<AgentDetails>? Members { get; set; }
}

/// <summary><c>GET /workflows</c> entries.</summary>
public sealed class WorkflowSummary
{
    /// <summary>The id.</summary>
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The database id.</summary>
    public string? DbId { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>GET /workflows/{id}</c> (agno's <c>WorkflowResponse</c>).</summary>
public sealed class WorkflowDetails : ComponentDetails
{
    /// <summary>The steps (name, description, type, agent / team).</summary>
    public List<JsonObject>? Steps { get; set; }

    /// <summary>The workflow's agent, if any.</summary>
    public JsonObject? Agent { get; set; }

    /// <summary>The workflow's team, if any.</summary>
    public JsonObject? Team { get; set; }

    /// <summary>Whether the workflow has a workflow agent.</summary>
    public bool? WorkflowAgent { get; set; }
}
