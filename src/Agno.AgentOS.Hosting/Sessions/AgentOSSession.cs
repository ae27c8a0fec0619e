using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting;

/// <summary>The session types of AgentOS.</summary>
public static class AgentOSSessionTypes
{
    /// <summary>A session of an agent.</summary>
    public const string Agent = "agent";

    /// <summary>A session of a team.</summary>
    public const string Team = "team";

    /// <summary>A session of a workflow.</summary>
    public const string Workflow = "workflow";

    internal static bool IsValid(string? type) => type is Agent or Team or Workflow;
}

/// <summary>
/// A stored session: its own fields (identity, state, metadata) and, when read with them, its runs (with their
/// messages, the history given to the model). A store keeps the two apart: <see cref="IAgentOSSessionStore.SaveSessionAsync"/>
/// writes the session's own fields only, <see cref="IAgentOSSessionStore.SaveRunAsync"/> one run.
/// </summary>
public sealed class AgentOSSession
{
    /// <summary>The session id.</summary>
    public required string SessionId { get; set; }

    /// <summary><c>agent</c>, <c>team</c> or <c>workflow</c> (<see cref="AgentOSSessionTypes"/>).</summary>
    public required string SessionType { get; set; }

    /// <summary>The agent, team or workflow the session belongs to.</summary>
    public string? ComponentId { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The session's name (AgentOS names a session after its first message).</summary>
    public string? SessionName { get; set; }

    /// <summary>The session state (merged from the runs' <c>session_state</c>).</summary>
    public JsonObject? SessionState { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>A summary, when one was set.</summary>
    public JsonNode? Summary { get; set; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the session last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// The session's runs, oldest first, when the session was read with its runs
    /// (<see cref="IAgentOSSessionStore.GetSessionAsync"/> with <c>includeRuns</c>); empty otherwise. Stores ignore it
    /// when saving: runs are saved one by one with <see cref="IAgentOSSessionStore.SaveRunAsync"/>.
    /// </summary>
    public List<AgentOSStoredRun> Runs { get; set; } = [];

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public AgentOSSession Clone()
    {
        var copy = CloneWithoutRuns();
        copy.Runs = Runs.ConvertAll(r => r.Clone());
        return copy;
    }

    /// <summary>A deep copy of the session's own fields, without its runs.</summary>
    /// <returns>The copy (its <see cref="Runs"/> empty).</returns>
    public AgentOSSession CloneWithoutRuns() => new()
    {
        SessionId = SessionId,
        SessionType = SessionType,
        ComponentId = ComponentId,
        UserId = UserId,
        SessionName = SessionName,
        SessionState = (JsonObject?)SessionState?.DeepClone(),
        Metadata = (JsonObject?)Metadata?.DeepClone(),
        Summary = Summary?.DeepClone(),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };

    /// <summary>Finds a run among <see cref="Runs"/>.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The run, or null.</returns>
    public AgentOSStoredRun? FindRun(string runId) => Runs.Find(r => r.RunId == runId);
}

/// <summary>
/// A stored run: its AgentOS JSON as UTF-8 (what <c>GET /agents/{id}/runs/{run_id}</c>, and the team and workflow
/// equivalents, return) and what the host needs to continue it. The bytes are immutable: a store keeps them as they
/// are, and copies of the run (<see cref="Clone"/>) share them.
/// </summary>
public sealed class AgentOSStoredRun
{
    private TopLevelFields? _fields;

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>
    /// The run in AgentOS's JSON form (<c>RunOutput</c>, <c>TeamRunOutput</c> or <c>WorkflowRunOutput</c>), one JSON object
    /// as UTF-8: exactly what <c>GET /agents/{id}/runs/{run_id}</c> (or the team's, the workflow's) sends. Not to be
    /// changed once given: the run, its copies and the store may share the bytes.
    /// </summary>
    public required ReadOnlyMemory<byte> OutputUtf8 { get; init; }

    /// <summary>
    /// Host-private state of the run as a UTF-8 JSON object (what a paused run needs to continue, the sessions of the
    /// agents it ran); empty when there is nothing to keep. Opaque to stores, never shown by the API.
    /// </summary>
    public ReadOnlyMemory<byte> ResumeStateUtf8 { get; init; }

    /// <summary>
    /// The run's status (the output's <c>status</c>: <see cref="RunStatus.Completed"/>, <see cref="RunStatus.Paused"/>, ...),
    /// or null when the output has none. <see cref="RunStatus"/> compares case-insensitively, so a status stored as
    /// <c>completed</c> equals <see cref="RunStatus.Completed"/>. Read from the output's top-level fields once.
    /// </summary>
    [JsonIgnore]
    public RunStatus? Status => Fields.Status is { } status && !string.IsNullOrWhiteSpace(status) ? new RunStatus(status) : (RunStatus?)null;

    /// <summary>The agent, team or workflow that ran it (the output's <c>agent_id</c>, <c>team_id</c> or <c>workflow_id</c>, in that order).</summary>
    [JsonIgnore]
    public string? ComponentId => Fields.AgentId ?? Fields.TeamId ?? Fields.WorkflowId;

    /// <summary>The output's own <c>agent_id</c>, <c>team_id</c> or <c>workflow_id</c>, by that name.</summary>
    internal string? IdOf(string componentKey) => componentKey switch
    {
        "agent_id" => Fields.AgentId,
        "team_id" => Fields.TeamId,
        "workflow_id" => Fields.WorkflowId,
        _ => null,
    };

    private TopLevelFields Fields => _fields ??= TopLevelFields.Read(OutputUtf8.Span);

    /// <summary>
    /// The run's summary, what a session list shows of it (<see cref="AgentOSSessionSummary.Runs"/>): the output's
    /// <c>run_id</c>, <c>status</c>, <c>created_at</c>, component id, <c>model</c>, <c>model_provider</c> and
    /// <c>metrics</c>, never its messages. A store keeps it beside the run when saving it.
    /// </summary>
    /// <returns>A new summary (the fields read from the output's top level once, then copied).</returns>
    public AgentOSRunSummary ToSummary()
    {
        var f = Fields;
        return new AgentOSRunSummary
        {
            RunId = f.RunId ?? RunId,
            Status = f.Status is { Length: > 0 } status ? new RunStatus(status) : (RunStatus?)null, // an empty status, as Status reads it
            CreatedAt = f.CreatedAt,
            AgentId = f.AgentId,
            TeamId = f.TeamId,
            WorkflowId = f.WorkflowId,
            Model = f.Model,
            ModelProvider = f.ModelProvider,
            Metrics = f.Metrics.IsEmpty ? null : JsonSerializer.Deserialize(f.Metrics.Span, Internal.HostWireContext.Default.RunMetrics),
        };
    }

    /// <summary>A copy that shares the (immutable) bytes of the output and the resume state.</summary>
    /// <returns>The copy.</returns>
    public AgentOSStoredRun Clone() => new()
    {
        RunId = RunId,
        OutputUtf8 = OutputUtf8,
        ResumeStateUtf8 = ResumeStateUtf8,
        _fields = _fields,
    };

    /// <summary>The top-level fields of a run's output that the run's own properties read, read once.</summary>
    private sealed class TopLevelFields
    {
        public string? RunId;
        public string? Status;
        public long? CreatedAt;
        public string? AgentId;
        public string? TeamId;
        public string? WorkflowId;
        public string? Model;
        public string? ModelProvider;
        public ReadOnlyMemory<byte> Metrics;

        /// <summary>Reads the top level of one JSON object, skipping every value it does not keep (messages, content, ...).</summary>
        public static TopLevelFields Read(ReadOnlySpan<byte> json)
        {
            var fields = new TopLevelFields();
            if (json.IsEmpty)
            {
                return fields;
            }

            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDataException("A stored run is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int field = Field(ref reader);
                if (!reader.Read())
                {
                    break;
                }

                switch (field)
                {
                    case 0: fields.RunId = Text(ref reader); break;
                    case 1: fields.Status = Text(ref reader); break;
                    case 2: fields.AgentId = Text(ref reader); break;
                    case 3: fields.TeamId = Text(ref reader); break;
                    case 4: fields.WorkflowId = Text(ref reader); break;
                    case 5: fields.Model = Text(ref reader); break;
                    case 6: fields.ModelProvider = Text(ref reader); break;
                    case 7:
                        fields.CreatedAt = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long seconds) ? seconds
                            : reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double d) ? (long)d : null;
                        break;
                    case 8:
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            int start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            fields.Metrics = json[start..((int)reader.BytesConsumed)].ToArray();
                        }
                        else
                        {
                            reader.Skip();
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return fields;
        }

        /// <summary>Which kept field the current property name is (-1: none), compared as UTF-8 without a string.</summary>
        private static int Field(ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals("run_id"u8)) { return 0; }
            if (reader.ValueTextEquals("status"u8)) { return 1; }
            if (reader.ValueTextEquals("agent_id"u8)) { return 2; }
            if (reader.ValueTextEquals("team_id"u8)) { return 3; }
            if (reader.ValueTextEquals("workflow_id"u8)) { return 4; }
            if (reader.ValueTextEquals("model"u8)) { return 5; }
            if (reader.ValueTextEquals("model_provider"u8)) { return 6; }
            if (reader.ValueTextEquals("created_at"u8)) { return 7; }
            return reader.ValueTextEquals("metrics"u8) ? 8 : -1;
        }

        private static string? Text(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            reader.Skip();
            return null;
        }
    }
}

/// <summary>Which runs of a session to read (<see cref="IAgentOSSessionStore.GetRunsAsync"/>); every filter is optional.</summary>
public sealed class AgentOSRunQuery
{
    /// <summary>Only runs of this agent, team or workflow (<see cref="AgentOSStoredRun.ComponentId"/>).</summary>
    public string? ComponentId { get; set; }

    /// <summary>
    /// Only runs with this status (<see cref="AgentOSStoredRun.Status"/>), compared case-insensitively: a run stored
    /// with <c>completed</c> matches <see cref="RunStatus.Completed"/>. Stores that keep the status in a column write it
    /// upper-cased (as AgentOS does) and compare it case-insensitively.
    /// </summary>
    public RunStatus? Status { get; set; }

    /// <summary>Only the newest this many of the matching runs (at least 0); all of them when null.</summary>
    public int? Last { get; set; }
}

/// <summary>A query over sessions (<c>GET /sessions</c>).</summary>
public sealed class AgentOSSessionQuery
{
    /// <summary>Only sessions of this type.</summary>
    public string? SessionType { get; set; }

    /// <summary>Only sessions of this agent, team or workflow.</summary>
    public string? ComponentId { get; set; }

    /// <summary>Only sessions of this user.</summary>
    public string? UserId { get; set; }

    /// <summary>Only sessions whose name contains this text (case-insensitive).</summary>
    public string? SessionName { get; set; }

    /// <summary>Page size (at least 1).</summary>
    public int Limit { get; set; } = 20;

    /// <summary>1-based page number.</summary>
    public int Page { get; set; } = 1;

    /// <summary><c>created_at</c>, <c>updated_at</c> or <c>session_name</c>.</summary>
    public string SortBy { get; set; } = "created_at";

    /// <summary>Whether to sort descending (the default).</summary>
    public bool SortDescending { get; set; } = true;
}

/// <summary>A session as a list shows it: its own fields and its runs' summaries, never their messages.</summary>
public sealed class AgentOSSessionSummary
{
    /// <summary>The session's own fields (its <see cref="AgentOSSession.Runs"/> empty).</summary>
    public required AgentOSSession Session { get; init; }

    /// <summary>The summaries of the session's runs (<see cref="AgentOSStoredRun.ToSummary"/>), oldest first.</summary>
    public IReadOnlyList<AgentOSRunSummary> Runs { get; init; } = [];
}

/// <summary>
/// A run as a session list shows it (<see cref="AgentOSStoredRun.ToSummary"/>): its identity, status, component,
/// model and metrics, never its messages. Its JSON form has the names of the run's own fields (<c>run_id</c>,
/// <c>status</c>, <c>created_at</c>, <c>agent_id</c>, <c>team_id</c>, <c>workflow_id</c>, <c>model</c>,
/// <c>model_provider</c>, <c>metrics</c>, the metrics' own fields in snake_case as AgentOS writes them), so a store
/// keeps it as JSON and reads back summaries it wrote in earlier versions.
/// </summary>
public sealed class AgentOSRunSummary
{
    /// <summary>The run id.</summary>
    [JsonPropertyName("run_id")]
    public string? RunId { get; set; }

    /// <summary>The run's status (compared case-insensitively), or null when the run had none.</summary>
    [JsonPropertyName("status")]
    public RunStatus? Status { get; set; }

    /// <summary>When the run was created (Unix seconds), when known.</summary>
    [JsonPropertyName("created_at")]
    public long? CreatedAt { get; set; }

    /// <summary>The agent that ran it (an agent run, or a workflow step's agent run).</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; set; }

    /// <summary>The team that ran it.</summary>
    [JsonPropertyName("team_id")]
    public string? TeamId { get; set; }

    /// <summary>The workflow that ran it.</summary>
    [JsonPropertyName("workflow_id")]
    public string? WorkflowId { get; set; }

    /// <summary>The model's id.</summary>
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>The model's provider.</summary>
    [JsonPropertyName("model_provider")]
    public string? ModelProvider { get; set; }

    /// <summary>The run's metrics (a workflow run's per-step metrics in <see cref="RunMetrics.AdditionalProperties"/> under <c>steps</c>).</summary>
    [JsonPropertyName("metrics")]
    public RunMetrics? Metrics { get; set; }

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public AgentOSRunSummary Clone() => new()
    {
        RunId = RunId,
        Status = Status,
        CreatedAt = CreatedAt,
        AgentId = AgentId,
        TeamId = TeamId,
        WorkflowId = WorkflowId,
        Model = Model,
        ModelProvider = ModelProvider,
        Metrics = Metrics is null ? null : JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(Metrics, Internal.HostWireContext.Default.RunMetrics), Internal.HostWireContext.Default.RunMetrics),
    };
}

/// <summary>A page of sessions.</summary>
/// <param name="Sessions">The sessions of the page.</param>
/// <param name="TotalCount">How many sessions match in all.</param>
public sealed record AgentOSSessionPage(IReadOnlyList<AgentOSSessionSummary> Sessions, int TotalCount);

/// <summary>
/// Where an AgentOS host keeps sessions and their runs. A session's own fields and each of its runs are stored apart:
/// saving a run writes that run (and the session's fields), never the session's other runs, so the work of a save
/// does not grow with the session, and runs saved concurrently on one session all land. Lists read summaries only.
/// Implementations must be thread-safe; the host serializes its own read-modify-write cycles of a session's fields
/// per session (across processes when the store implements <see cref="IAgentOSSessionLocks"/>). The built-in stores
/// are <see cref="InMemoryAgentOSSessionStore"/> (the default), <c>SqliteAgentOSSessionStore</c> (package
/// Agno.AgentOS.Hosting.Sqlite) and <c>PostgreSqlAgentOSSessionStore</c> (package Agno.AgentOS.Hosting.PostgreSql).
/// </summary>
public interface IAgentOSSessionStore
{
    /// <summary>Gets a session (a copy the caller may change), with or without its runs.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="includeRuns">Whether to read its runs too (<see cref="AgentOSSession.Runs"/>, oldest first); without, only the session's own fields are read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or null when there is none.</returns>
    ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, bool includeRuns, CancellationToken cancellationToken = default);

    /// <summary>Gets one run of a session (a copy the caller may change).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run, or null when the session has no such run.</returns>
    ValueTask<AgentOSStoredRun?> GetRunAsync(string sessionId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Gets runs of a session (copies), oldest first.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="query">Which runs (null: all).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs; empty when there are none or no such session.</returns>
    ValueTask<IReadOnlyList<AgentOSStoredRun>> GetRunsAsync(string sessionId, AgentOSRunQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a session or updates its own fields; its stored runs are kept (<see cref="AgentOSSession.Runs"/> is ignored).</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a run and the session's own fields in one step: creates the session when there is none, appends the run,
    /// or replaces the stored run with the same id (which keeps its place among the runs). The session's other runs are
    /// not touched (<see cref="AgentOSSession.Runs"/> is ignored).
    /// </summary>
    /// <param name="session">The session's own fields.</param>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask SaveRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default);

    /// <summary>Deletes a session and its runs.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Lists sessions: their own fields and their runs' summaries (<see cref="AgentOSSessionSummary"/>), never the runs themselves.</summary>
    /// <param name="query">Filters, sort and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default);
}
