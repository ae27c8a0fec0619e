using System.Text.Json.Nodes;

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

/// <summary>A stored session: its identity, state and runs (with their messages, the history given to the model).</summary>
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

    /// <summary>The session's runs, oldest first.</summary>
    public List<AgentOSStoredRun> Runs { get; set; } = [];

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public AgentOSSession Clone() => new()
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
        Runs = Runs.ConvertAll(r => r.Clone()),
    };

    /// <summary>Finds a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The run, or null.</returns>
    public AgentOSStoredRun? FindRun(string runId) => Runs.Find(r => r.RunId == runId);
}

/// <summary>A stored run: its AgentOS JSON (as <c>GET .../runs/{run_id}</c> returns it) and what the host needs to continue it.</summary>
public sealed class AgentOSStoredRun
{
    /// <summary>The run id.</summary>
    public required string RunId { get; set; }

    /// <summary>The run in AgentOS's JSON form (<c>RunOutput</c>, <c>TeamRunOutput</c> or <c>WorkflowRunOutput</c>).</summary>
    public required JsonObject Output { get; set; }

    /// <summary>Host-private state of a paused run (opaque; null when the run cannot be continued).</summary>
    public JsonObject? ResumeState { get; set; }

    /// <summary>The run's status (<c>COMPLETED</c>, <c>PAUSED</c>, ...).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Status => Output["status"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? Output["status"]!.GetValue<string>() : null;

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public AgentOSStoredRun Clone() => new()
    {
        RunId = RunId,
        Output = (JsonObject)Output.DeepClone(),
        ResumeState = (JsonObject?)ResumeState?.DeepClone(),
    };
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

/// <summary>A page of sessions.</summary>
/// <param name="Sessions">The sessions of the page.</param>
/// <param name="TotalCount">How many sessions match in all.</param>
public sealed record AgentOSSessionPage(IReadOnlyList<AgentOSSession> Sessions, int TotalCount);

/// <summary>
/// Where an AgentOS host keeps sessions and their runs. Implementations must be thread-safe; the host serializes
/// its own read-modify-write cycles per session. The built-in stores are <see cref="InMemoryAgentOSSessionStore"/>
/// (the default) and <c>SqliteAgentOSSessionStore</c> (survives a restart; package Agno.AgentOS.Hosting.Sqlite).
/// </summary>
public interface IAgentOSSessionStore
{
    /// <summary>Gets a session (a copy the caller may change).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or null when there is none.</returns>
    ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a session.</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default);

    /// <summary>Deletes a session.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Lists sessions.</summary>
    /// <param name="query">Filters, sort and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default);
}
