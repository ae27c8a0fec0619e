using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>The kind of a session: the component type that owns it.</summary>
public enum SessionType
{
    /// <summary>An agent session.</summary>
    Agent,

    /// <summary>A team session.</summary>
    Team,

    /// <summary>A workflow session.</summary>
    Workflow,
}

/// <summary>Sort direction of a list.</summary>
public enum SortOrder
{
    /// <summary>Oldest / smallest first.</summary>
    Ascending,

    /// <summary>Newest / largest first (the server's default).</summary>
    Descending,
}

/// <summary>
/// Which database (and table) serves a management call: the <c>db_id</c> and <c>table</c> query parameters.
/// Required when the server has several databases; <see cref="OSConfig"/> lists them.
/// </summary>
/// <param name="DbId">The database id.</param>
/// <param name="Table">The table (needs <paramref name="DbId"/>).</param>
public sealed record DatabaseSelector(string DbId, string? Table = null);

/// <summary>How a session delete is scoped (<c>user_id</c>, <c>db_id</c>/<c>table</c>, <c>delete_media</c>).</summary>
public sealed class SessionDeleteOptions
{
    /// <summary>Only delete when the session belongs to this user (agno's session lookups take the user).</summary>
    public string? UserId { get; init; }

    /// <summary>The database.</summary>
    public DatabaseSelector? Database { get; init; }

    /// <summary>Also delete the session's media offloaded to agno 3.x's media storage (503 when the server has none).</summary>
    public bool DeleteMedia { get; init; }
}

/// <summary>A page of a paginated list: <c>{"data": [...], "meta": {...}}</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Page<T>
{
    /// <summary>The items of this page.</summary>
    public List<T> Data { get; set; } = [];

    /// <summary>Paging information.</summary>
    public PageInfo Meta { get; set; } = new();

    /// <summary>Whether a later page exists.</summary>
    [JsonIgnore]
    public bool HasNextPage => Meta.Page < Meta.TotalPages;
}

/// <summary>Paging information (pages are 1-based).</summary>
public sealed class PageInfo
{
    /// <summary>The page number, from 1.</summary>
    public int Page { get; set; }

    /// <summary>The page size.</summary>
    public int Limit { get; set; }

    /// <summary>The number of pages.</summary>
    public int TotalPages { get; set; }

    /// <summary>The number of items in all pages.</summary>
    public int TotalCount { get; set; }

    /// <summary>Search time in milliseconds.</summary>
    public double? SearchTimeMs { get; set; }
}

/// <summary>Filters, sorting and paging of <c>GET /sessions</c>.</summary>
public sealed class SessionQuery
{
    /// <summary>Only sessions of this type.</summary>
    public SessionType? Type { get; set; }

    /// <summary>Only sessions of this agent, team or workflow.</summary>
    public string? ComponentId { get; set; }

    /// <summary>Only sessions of this user.</summary>
    public string? UserId { get; set; }

    /// <summary>Only sessions with this name.</summary>
    public string? SessionName { get; set; }

    /// <summary>Page size (server default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1 (server default 1).</summary>
    public int? Page { get; set; }

    /// <summary>Sort field (e.g. <c>created_at</c>, <c>updated_at</c>, <c>session_name</c>).</summary>
    public string? SortBy { get; set; }

    /// <summary>Sort direction.</summary>
    public SortOrder? SortOrder { get; set; }

    /// <summary>The database to read.</summary>
    public DatabaseSelector? Database { get; set; }
}

/// <summary>A session as listed by <c>GET /sessions</c>.</summary>
public sealed class SessionInfo
{
    /// <summary>The session id.</summary>
    public string? SessionId { get; set; }

    /// <summary>The name.</summary>
    public string? SessionName { get; set; }

    /// <summary>The session state.</summary>
    public JsonObject? SessionState { get; set; }

    /// <summary><c>agent</c>, <c>team</c> or <c>workflow</c>.</summary>
    public string? SessionType { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent (agent sessions).</summary>
    public string? AgentId { get; set; }

    /// <summary>The team (team sessions).</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow (workflow sessions).</summary>
    public string? WorkflowId { get; set; }

    /// <summary>The session's summary.</summary>
    public JsonElement? SessionSummary { get; set; }

    /// <summary>Accumulated metrics.</summary>
    public RunMetrics? Metrics { get; set; }

    /// <summary>Total tokens.</summary>
    public long? TotalTokens { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A session with its history: <c>GET /sessions/{id}</c> (agent, team or workflow session detail).</summary>
public sealed class SessionDetails
{
    /// <summary>The session id.</summary>
    public string? SessionId { get; set; }

    /// <summary>The name.</summary>
    public string? SessionName { get; set; }

    /// <summary>The summary.</summary>
    public JsonElement? SessionSummary { get; set; }

    /// <summary>The state.</summary>
    public JsonObject? SessionState { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent (agent sessions).</summary>
    public string? AgentId { get; set; }

    /// <summary>The team (team sessions).</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow (workflow sessions).</summary>
    public string? WorkflowId { get; set; }

    /// <summary>Total tokens.</summary>
    public long? TotalTokens { get; set; }

    /// <summary>Accumulated metrics.</summary>
    public RunMetrics? Metrics { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The conversation so far (agent and team sessions).</summary>
    public List<RunMessage>? ChatHistory { get; set; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this library does not model (agent_data, team_data, workflow_data, session_data, ...).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The body of <c>POST /sessions</c>.</summary>
public sealed class CreateSessionRequest
{
    /// <summary>The id to give the session (generated when null).</summary>
    public string? SessionId { get; set; }

    /// <summary>The name.</summary>
    public string? SessionName { get; set; }

    /// <summary>The initial state.</summary>
    public JsonObject? SessionState { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent it belongs to.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team it belongs to.</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow it belongs to.</summary>
    public string? WorkflowId { get; set; }
}

/// <summary>The body of <c>PATCH /sessions/{id}</c>: the fields to change (null ones are left alone).</summary>
public sealed class UpdateSessionRequest
{
    /// <summary>A new name.</summary>
    public string? SessionName { get; set; }

    /// <summary>A new state.</summary>
    public JsonObject? SessionState { get; set; }

    /// <summary>New metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>A new summary (<c>{"summary": "...", "topics": [...]}</c>).</summary>
    public JsonObject? Summary { get; set; }
}

/// <summary>A user memory (agno's <c>UserMemorySchema</c>).</summary>
public sealed class UserMemory
{
    /// <summary>The memory id.</summary>
    public string? MemoryId { get; set; }

    /// <summary>The memory text.</summary>
    public string? Memory { get; set; }

    /// <summary>Topics.</summary>
    public List<string>? Topics { get; set; }

    /// <summary>The agent that made it.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team that made it.</summary>
    public string? TeamId { get; set; }

    /// <summary>The user it is about.</summary>
    public string? UserId { get; set; }

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The body of <c>POST /memories</c> and <c>PATCH /memories/{id}</c>.</summary>
/// <param name="Memory">The memory text (1 to 5000 characters).</param>
public sealed record MemoryContent(string Memory)
{
    /// <summary>The user it is about.</summary>
    public string? UserId { get; init; }

    /// <summary>Topics.</summary>
    public IReadOnlyList<string>? Topics { get; init; }
}

/// <summary>Filters, sorting and paging of <c>GET /memories</c>.</summary>
public sealed class MemoryQuery
{
    /// <summary>Only memories about this user.</summary>
    public string? UserId { get; set; }

    /// <summary>Only memories made by this agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only memories made by this team.</summary>
    public string? TeamId { get; set; }

    /// <summary>Only memories with these topics.</summary>
    public IReadOnlyList<string>? Topics { get; set; }

    /// <summary>Only memories containing this text.</summary>
    public string? SearchContent { get; set; }

    /// <summary>Page size.</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }

    /// <summary>Sort field (default <c>updated_at</c>).</summary>
    public string? SortBy { get; set; }

    /// <summary>Sort direction.</summary>
    public SortOrder? SortOrder { get; set; }

    /// <summary>The database to read.</summary>
    public DatabaseSelector? Database { get; set; }
}

/// <summary>Memory counts of one user (<c>GET /user_memory_stats</c>).</summary>
public sealed class UserMemoryStats
{
    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The number of memories.</summary>
    public int TotalMemories { get; set; }

    /// <summary>When a memory was last updated.</summary>
    public DateTimeOffset? LastMemoryUpdatedAt { get; set; }
}

/// <summary>The answer of <c>GET /metrics</c>.</summary>
public sealed class MetricsReport
{
    /// <summary>One row per day.</summary>
    public List<DayMetrics> Metrics { get; set; } = [];

    /// <summary>When the metrics were last computed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>Usage of one day.</summary>
public sealed class DayMetrics
{
    /// <summary>The row id.</summary>
    public string? Id { get; set; }

    /// <summary>Agent runs.</summary>
    public int AgentRunsCount { get; set; }

    /// <summary>Agent sessions.</summary>
    public int AgentSessionsCount { get; set; }

    /// <summary>Team runs.</summary>
    public int TeamRunsCount { get; set; }

    /// <summary>Team sessions.</summary>
    public int TeamSessionsCount { get; set; }

    /// <summary>Workflow runs.</summary>
    public int WorkflowRunsCount { get; set; }

    /// <summary>Workflow sessions.</summary>
    public int WorkflowSessionsCount { get; set; }

    /// <summary>Distinct users.</summary>
    public int UsersCount { get; set; }

    /// <summary>Token counts.</summary>
    public RunMetrics? TokenMetrics { get; set; }

    /// <summary>Runs per model (<c>model_id</c>, <c>model_provider</c>, <c>count</c>).</summary>
    public JsonElement? ModelMetrics { get; set; }

    /// <summary>The day.</summary>
    public string? Date { get; set; }

    /// <summary>When the row was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the row was updated.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The state of a metrics refresh (<c>GET /metrics/refresh/status</c>).</summary>
public sealed class MetricsRefreshStatus
{
    /// <summary><c>idle</c>, <c>running</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string? Status { get; set; }

    /// <summary>A message (background refresh start).</summary>
    public string? Message { get; set; }

    /// <summary>When the refresh started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The error, if it failed.</summary>
    public string? Error { get; set; }
}

/// <summary>An evaluation run (agno's <c>EvalSchema</c>).</summary>
public sealed class EvalRun
{
    /// <summary>The id.</summary>
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary><c>accuracy</c>, <c>agent_as_judge</c>, <c>performance</c> or <c>reliability</c>.</summary>
    public string? EvalType { get; set; }

    /// <summary>The evaluated agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The evaluated team.</summary>
    public string? TeamId { get; set; }

    /// <summary>The evaluated workflow.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>The model.</summary>
    public string? ModelId { get; set; }

    /// <summary>The model provider.</summary>
    public string? ModelProvider { get; set; }

    /// <summary>The evaluated component's name.</summary>
    public string? EvaluatedComponentName { get; set; }

    /// <summary>The results.</summary>
    public JsonElement? EvalData { get; set; }

    /// <summary>The input.</summary>
    public JsonElement? EvalInput { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was updated.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Filters, sorting and paging of <c>GET /eval-runs</c>.</summary>
public sealed class EvalRunQuery
{
    /// <summary>Only evals of this agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only evals of this team.</summary>
    public string? TeamId { get; set; }

    /// <summary>Only evals of this workflow.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>Only evals of this model.</summary>
    public string? ModelId { get; set; }

    /// <summary>Only evals of this component type.</summary>
    public SessionType? Type { get; set; }

    /// <summary>Only evals of these types (<c>accuracy</c>, <c>agent_as_judge</c>, <c>performance</c>, <c>reliability</c>).</summary>
    public IReadOnlyList<string>? EvalTypes { get; set; }

    /// <summary>Page size.</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }

    /// <summary>Sort field.</summary>
    public string? SortBy { get; set; }

    /// <summary>Sort direction.</summary>
    public SortOrder? SortOrder { get; set; }

    /// <summary>The database to read.</summary>
    public DatabaseSelector? Database { get; set; }
}

/// <summary>A piece of knowledge content (agno's <c>ContentResponseSchema</c>).</summary>
public sealed class KnowledgeContent
{
    /// <summary>The content id.</summary>
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The type (file type or URL).</summary>
    public string? Type { get; set; }

    /// <summary>The size.</summary>
    public JsonElement? Size { get; set; }

    /// <summary>What it is linked to.</summary>
    public string? LinkedTo { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>How often it was read.</summary>
    public int? AccessCount { get; set; }

    /// <summary><c>processing</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string? Status { get; set; }

    /// <summary>A status message.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was updated.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The processing status of knowledge content (<c>GET /knowledge/content/{id}/status</c>).</summary>
public sealed class KnowledgeContentStatus
{
    /// <summary>The content id.</summary>
    public string? Id { get; set; }

    /// <summary><c>processing</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string? Status { get; set; }

    /// <summary>A status message.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>Whether processing has ended (completed or failed).</summary>
    [JsonIgnore]
    public bool IsFinished => Status is "completed" or "failed";
}

/// <summary>Content to add to a knowledge base (<c>POST /knowledge/content</c>, multipart).</summary>
public sealed class KnowledgeUpload
{
    /// <summary>A name.</summary>
    public string? Name { get; set; }

    /// <summary>A description.</summary>
    public string? Description { get; set; }

    /// <summary>A URL for the server to read.</summary>
    public Uri? Url { get; set; }

    /// <summary>Text to add.</summary>
    public string? TextContent { get; set; }

    /// <summary>A file to add.</summary>
    public FileUpload? File { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The reader to use.</summary>
    public string? ReaderId { get; set; }

    /// <summary>The chunker to use.</summary>
    public string? Chunker { get; set; }

    /// <summary>Chunk size.</summary>
    public int? ChunkSize { get; set; }

    /// <summary>Chunk overlap.</summary>
    public int? ChunkOverlap { get; set; }
}

/// <summary>A knowledge search (<c>POST /knowledge/search</c>).</summary>
/// <param name="Query">The query text.</param>
public sealed record KnowledgeSearchRequest(string Query)
{
    /// <summary><c>vector</c>, <c>keyword</c> or <c>hybrid</c>.</summary>
    public string? SearchType { get; init; }

    /// <summary>Maximum results.</summary>
    public int? MaxResults { get; init; }

    /// <summary>Filters.</summary>
    public JsonNode? Filters { get; init; }

    /// <summary>Vector databases to search.</summary>
    public IReadOnlyList<string>? VectorDbIds { get; init; }

    /// <summary>Page size.</summary>
    public int? Limit { get; init; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; init; }
}

/// <summary>A knowledge search hit.</summary>
public sealed class KnowledgeSearchResult
{
    /// <summary>The chunk id.</summary>
    public string? Id { get; set; }

    /// <summary>The chunk text.</summary>
    public string? Content { get; set; }

    /// <summary>The document name.</summary>
    public string? Name { get; set; }

    /// <summary>Metadata.</summary>
    public JsonElement? MetaData { get; set; }

    /// <summary>The reranking score.</summary>
    public double? RerankingScore { get; set; }

    /// <summary>The content the chunk belongs to.</summary>
    public string? ContentId { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>GET /knowledge/config</c>: readers, chunkers, filters, vector databases.</summary>
public sealed class KnowledgeConfig
{
    /// <summary>Readers.</summary>
    public JsonElement? Readers { get; set; }

    /// <summary>Chunkers.</summary>
    public JsonElement? Chunkers { get; set; }

    /// <summary>Filters.</summary>
    public JsonElement? Filters { get; set; }

    /// <summary>Vector databases.</summary>
    public JsonElement? VectorDbs { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Which knowledge base a knowledge call addresses (<c>db_id</c>, <c>knowledge_id</c>).</summary>
/// <param name="DbId">The contents database.</param>
/// <param name="KnowledgeId">The knowledge base (needed when the server has several).</param>
public sealed record KnowledgeSelector(string? DbId = null, string? KnowledgeId = null);

/// <summary>The bytes of offloaded media (<see cref="AgentOSClient.GetSessionMediaAsync"/>).</summary>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType">Their content type, as the server sent it.</param>
public sealed record SessionMedia(ReadOnlyMemory<byte> Content, string? ContentType);
