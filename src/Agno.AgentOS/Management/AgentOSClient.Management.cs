using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Sessions, memories, metrics, evals and knowledge (agno's AgentOSClient data APIs).
public partial class AgentOSClient
{
    // ---------------------------------------------------------------- sessions

    /// <summary>Lists sessions, one page (<c>GET /sessions</c>).</summary>
    /// <param name="query">Filters, sorting and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<SessionInfo>> ListSessionsAsync(SessionQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new SessionQuery();
        return MayBeAgnoGo ? ListSessionsInDialectAsync(query, options, cancellationToken) : ListSessionsPythonAsync(query, options, cancellationToken);
    }

    private Task<Page<SessionInfo>> ListSessionsPythonAsync(SessionQuery query, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        string path = Paths.WithQuery("sessions",
            ("type", Name(query.Type)), ("component_id", query.ComponentId), ("user_id", query.UserId), ("session_name", query.SessionName),
            ("limit", Num(query.Limit)), ("page", Num(query.Page)), ("sort_by", query.SortBy), ("sort_order", Name(query.SortOrder)),
            ("db_id", query.Database?.DbId), ("table", query.Database?.Table));
        return Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.PageSessionInfo, options, cancellationToken);
    }

    /// <summary>Enumerates sessions across pages, fetching the next page as the caller reaches it.</summary>
    /// <param name="query">Filters and sorting; <see cref="SessionQuery.Page"/> is the first page read.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The sessions.</returns>
    public virtual IAsyncEnumerable<SessionInfo> EnumerateSessionsAsync(SessionQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var q = (SessionQuery)CopyOf(query ?? new SessionQuery());
        return EnumeratePagesAsync(FirstPage(q.Page), (page, token) =>
        {
            q.Page = page;
            return ListSessionsAsync(q, options, token);
        }, cancellationToken);
    }

    /// <summary>Gets a session with its history (<c>GET /sessions/{id}</c>).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="type">The session type (the server assumes agent when absent).</param>
    /// <param name="userId">The user (servers with user isolation).</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session.</returns>
    /// <exception cref="AgentOSNotFoundException">No such session.</exception>
    public virtual Task<SessionDetails> GetSessionAsync(string sessionId, SessionType? type = null, string? userId = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery(SessionPath(sessionId), ("type", Name(type)), ("user_id", userId), ("db_id", database?.DbId), ("table", database?.Table));
        return MayBeAgnoGo
            ? GetSessionInDialectAsync(sessionId, path, options, cancellationToken)
            : Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.SessionDetails, options, cancellationToken);
    }

    /// <summary>Creates a session (<c>POST /sessions</c>, 201).</summary>
    /// <param name="request">The session's fields.</param>
    /// <param name="type">The session type.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created session.</returns>
    public virtual async Task<SessionDetails> CreateSessionAsync(CreateSessionRequest request, SessionType type = SessionType.Agent, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MayBeAgnoGo && await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            return await go.CreateSessionAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        string path = Paths.WithQuery("sessions", ("type", Name(type)), ("db_id", database?.DbId), ("table", database?.Table));
        using var content = JsonContent.Create(request, AgentOSJsonContext.Default.CreateSessionRequest);
        return await Pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgentOSJsonContext.Default.SessionDetails, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames a session (<c>POST /sessions/{id}/rename</c>).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="name">The new name.</param>
    /// <param name="type">The session type.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renamed session.</returns>
    public virtual async Task<SessionDetails> RenameSessionAsync(string sessionId, string name, SessionType? type = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (MayBeAgnoGo && await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            return await go.UpdateSessionAsync(sessionId, new UpdateSessionRequest { SessionName = name }, options, cancellationToken).ConfigureAwait(false);
        }

        string path = Paths.WithQuery(SessionPath(sessionId) + "/rename", ("type", Name(type)), ("db_id", database?.DbId), ("table", database?.Table));
        using var content = JsonBody(new JsonObject { ["session_name"] = name });
        return await Pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgentOSJsonContext.Default.SessionDetails, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Updates a session's name, state, metadata or summary (<c>PATCH /sessions/{id}</c>).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="type">The session type.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated session.</returns>
    public virtual async Task<SessionDetails> UpdateSessionAsync(string sessionId, UpdateSessionRequest request, SessionType? type = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MayBeAgnoGo && await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            return await go.UpdateSessionAsync(sessionId, request, options, cancellationToken).ConfigureAwait(false);
        }

        string path = Paths.WithQuery(SessionPath(sessionId), ("type", Name(type)), ("db_id", database?.DbId), ("table", database?.Table));
        using var content = JsonContent.Create(request, AgentOSJsonContext.Default.UpdateSessionRequest);
        return await Pipeline.SendJsonAsync(HttpMethod.Patch, path, content, AgentOSJsonContext.Default.SessionDetails, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a session (<c>DELETE /sessions/{id}</c>, 204).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the session is deleted.</returns>
    public virtual Task DeleteSessionAsync(string sessionId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => DeleteSessionAsync(sessionId, new SessionDeleteOptions { Database = database }, options, cancellationToken);

    /// <summary>
    /// Deletes a session (<c>DELETE /sessions/{id}</c>, 204) scoped to a user, optionally with its media offloaded to
    /// agno 3.x's media storage (<c>delete_media</c>; a server without media storage answers 503).
    /// </summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="delete">The user, the database, and whether offloaded media goes too.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the session is deleted.</returns>
    public virtual Task DeleteSessionAsync(string sessionId, SessionDeleteOptions delete, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delete);
        string path = Paths.WithQuery(SessionPath(sessionId), ("user_id", delete.UserId), ("db_id", delete.Database?.DbId), ("table", delete.Database?.Table), ("delete_media", delete.DeleteMedia ? "true" : null));
        return MayBeAgnoGo
            ? DeleteSessionInDialectAsync(sessionId, path, options, cancellationToken)
            : Pipeline.SendNoContentAsync(HttpMethod.Delete, path, null, options, cancellationToken);
    }

    /// <summary>Deletes several sessions of one type (<c>DELETE /sessions</c>, 204).</summary>
    /// <param name="sessionIds">The session ids.</param>
    /// <param name="type">Their type.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sessions are deleted.</returns>
    public virtual Task DeleteSessionsAsync(IEnumerable<string> sessionIds, SessionType type = SessionType.Agent, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        return DeleteSessionsAsync(sessionIds.Select(id => (id, type)), database, options, cancellationToken);
    }

    /// <summary>Deletes several sessions of any types (<c>DELETE /sessions</c>, 204).</summary>
    /// <param name="sessions">The session ids with their types.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sessions are deleted.</returns>
    public virtual Task DeleteSessionsAsync(IEnumerable<(string SessionId, SessionType Type)> sessions, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => DeleteSessionsAsync(sessions, new SessionDeleteOptions { Database = database }, options, cancellationToken);

    /// <summary>Deletes several sessions of any types (<c>DELETE /sessions</c>, 204) scoped to a user, optionally with their offloaded media.</summary>
    /// <param name="sessions">The session ids with their types.</param>
    /// <param name="delete">The user, the database, and whether offloaded media goes too.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sessions are deleted.</returns>
    public virtual async Task DeleteSessionsAsync(IEnumerable<(string SessionId, SessionType Type)> sessions, SessionDeleteOptions delete, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(delete);
        var database = delete.Database;
        var ids = new JsonArray();
        var types = new JsonArray();
        foreach (var (id, type) in sessions)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id, nameof(sessions));
            ids.Add((JsonNode)id);
            types.Add((JsonNode)Name(type)!);
        }

        using var content = JsonBody(new JsonObject { ["session_ids"] = ids, ["session_types"] = types });
        await Pipeline.SendNoContentAsync(HttpMethod.Delete, Paths.WithQuery("sessions", ("user_id", delete.UserId), ("db_id", database?.DbId), ("table", database?.Table), ("delete_media", delete.DeleteMedia ? "true" : null)), content, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the runs of a session (<c>GET /sessions/{id}/runs</c>).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="type">The session type.</param>
    /// <param name="userId">The user.</param>
    /// <param name="createdAfter">Only runs created after this time.</param>
    /// <param name="createdBefore">Only runs created before this time.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    public virtual async Task<IReadOnlyList<RunRecord>> GetSessionRunsAsync(string sessionId, SessionType? type = null, string? userId = null, DateTimeOffset? createdAfter = null, DateTimeOffset? createdBefore = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery(SessionPath(sessionId) + "/runs", ("type", Name(type)), ("user_id", userId),
            ("created_after", createdAfter?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ("created_before", createdBefore?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ("db_id", database?.DbId), ("table", database?.Table));
        if (MayBeAgnoGo && await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            var history = await go.GetHistoryAsync(sessionId, null, options, cancellationToken).ConfigureAwait(false);
            return [.. history.Runs.Where(r => (createdAfter is null || r.CreatedAt > createdAfter) && (createdBefore is null || r.CreatedAt < createdBefore))];
        }

        return await Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.ListRunRecord, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets one run of a session (<c>GET /sessions/{id}/runs/{runId}</c>).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="type">The session type.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    public virtual Task<RunRecord> GetSessionRunAsync(string sessionId, string runId, SessionType? type = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery($"{SessionPath(sessionId)}/runs/{Paths.Segment(runId, nameof(runId))}", ("type", Name(type)), ("db_id", database?.DbId), ("table", database?.Table));
        return Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.RunRecord, options, cancellationToken);
    }

    /// <summary>
    /// The bytes of media agno 3.x offloaded to its media storage (<c>GET /sessions/{id}/media/{storage_key}</c>):
    /// an output item's <see cref="OutputMedia.MediaReference"/> names them. Redirects to a signed URL are followed.
    /// </summary>
    /// <param name="sessionId">The session the media belongs to.</param>
    /// <param name="storageKey">The reference's <see cref="MediaReference.StorageKey"/> (may contain <c>/</c>).</param>
    /// <param name="type">The session type.</param>
    /// <param name="userId">The user.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bytes and their content type.</returns>
    public virtual async Task<SessionMedia> GetSessionMediaAsync(string sessionId, string storageKey, SessionType? type = null, string? userId = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storageKey);
        string key = string.Join('/', storageKey.Split('/').Select(part => Paths.Segment(part, nameof(storageKey))));
        string path = Paths.WithQuery($"{SessionPath(sessionId)}/media/{key}", ("type", Name(type)), ("user_id", userId), ("db_id", database?.DbId), ("table", database?.Table));
        using var response = await Pipeline.SendForResponseAsync(HttpMethod.Get, path, null, streaming: false, options, cancellationToken).ConfigureAwait(false);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new SessionMedia(bytes, response.Content.Headers.ContentType?.MediaType);
    }

    // ---------------------------------------------------------------- memories

    /// <summary>Creates a user memory (<c>POST /memories</c>).</summary>
    /// <param name="memory">The memory.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored memory.</returns>
    public virtual async Task<UserMemory> CreateMemoryAsync(MemoryContent memory, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var content = MemoryBody(memory);
        return await Pipeline.SendJsonAsync(HttpMethod.Post, Paths.WithQuery("memories", ("db_id", database?.DbId), ("table", database?.Table)), content, AgentOSJsonContext.Default.UserMemory, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a memory (<c>GET /memories/{id}</c>).</summary>
    /// <param name="memoryId">The memory id.</param>
    /// <param name="userId">The user (servers with user isolation).</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The memory.</returns>
    public virtual Task<UserMemory> GetMemoryAsync(string memoryId, string? userId = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("memories/" + Paths.Segment(memoryId, nameof(memoryId)), ("user_id", userId), ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSJsonContext.Default.UserMemory, options, cancellationToken);

    /// <summary>Lists memories, one page (<c>GET /memories</c>).</summary>
    /// <param name="query">Filters, sorting and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<UserMemory>> ListMemoriesAsync(MemoryQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new MemoryQuery();
        string path = Paths.WithQuery("memories",
            ("user_id", query.UserId), ("agent_id", query.AgentId), ("team_id", query.TeamId),
            ("topics", query.Topics is { Count: > 0 } t ? string.Join(',', t) : null), ("search_content", query.SearchContent),
            ("limit", Num(query.Limit)), ("page", Num(query.Page)), ("sort_by", query.SortBy), ("sort_order", Name(query.SortOrder)),
            ("db_id", query.Database?.DbId), ("table", query.Database?.Table));
        return Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.PageUserMemory, options, cancellationToken);
    }

    /// <summary>Enumerates memories across pages.</summary>
    /// <param name="query">Filters and sorting; <see cref="MemoryQuery.Page"/> is the first page read.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The memories.</returns>
    public virtual IAsyncEnumerable<UserMemory> EnumerateMemoriesAsync(MemoryQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var q = (MemoryQuery)CopyOf(query ?? new MemoryQuery());
        return EnumeratePagesAsync(FirstPage(q.Page), (page, token) =>
        {
            q.Page = page;
            return ListMemoriesAsync(q, options, token);
        }, cancellationToken);
    }

    /// <summary>Replaces a memory's text, user and topics (<c>PATCH /memories/{id}</c>).</summary>
    /// <param name="memoryId">The memory id.</param>
    /// <param name="memory">The new content.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated memory.</returns>
    public virtual async Task<UserMemory> UpdateMemoryAsync(string memoryId, MemoryContent memory, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery("memories/" + Paths.Segment(memoryId, nameof(memoryId)), ("db_id", database?.DbId), ("table", database?.Table));
        using var content = MemoryBody(memory);
        return await Pipeline.SendJsonAsync(HttpMethod.Patch, path, content, AgentOSJsonContext.Default.UserMemory, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a memory (<c>DELETE /memories/{id}</c>, 204).</summary>
    /// <param name="memoryId">The memory id.</param>
    /// <param name="userId">The user.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the memory is deleted.</returns>
    public virtual Task DeleteMemoryAsync(string memoryId, string? userId = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendNoContentAsync(HttpMethod.Delete, Paths.WithQuery("memories/" + Paths.Segment(memoryId, nameof(memoryId)), ("user_id", userId), ("db_id", database?.DbId), ("table", database?.Table)), null, options, cancellationToken);

    /// <summary>Deletes several memories (<c>DELETE /memories</c>, 204).</summary>
    /// <param name="memoryIds">The memory ids.</param>
    /// <param name="userId">The user.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the memories are deleted.</returns>
    public virtual async Task DeleteMemoriesAsync(IEnumerable<string> memoryIds, string? userId = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryIds);
        var body = new JsonObject { ["memory_ids"] = new JsonArray([.. memoryIds.Select(id => (JsonNode)id)]) };
        if (userId is not null) { body["user_id"] = userId; }
        using var content = JsonBody(body);
        await Pipeline.SendNoContentAsync(HttpMethod.Delete, Paths.WithQuery("memories", ("db_id", database?.DbId), ("table", database?.Table)), content, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the topics of all memories (<c>GET /memory_topics</c>).</summary>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The topics.</returns>
    public virtual async Task<IReadOnlyList<string>> GetMemoryTopicsAsync(DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => await Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("memory_topics", ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSJsonContext.Default.ListString, options, cancellationToken).ConfigureAwait(false);

    /// <summary>Memory counts per user (<c>GET /user_memory_stats</c>).</summary>
    /// <param name="limit">Page size.</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<UserMemoryStats>> GetUserMemoryStatsAsync(int? limit = null, int? page = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("user_memory_stats", ("limit", Num(limit)), ("page", Num(page)), ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSJsonContext.Default.PageUserMemoryStats, options, cancellationToken);

    // ---------------------------------------------------------------- metrics and evals

    /// <summary>Usage metrics per day (<c>GET /metrics</c>).</summary>
    /// <param name="startingDate">First day.</param>
    /// <param name="endingDate">Last day.</param>
    /// <param name="database">The database.</param>
    /// <param name="userId">Only this user's metrics (agno 3.x; a scoped token gets its own user's regardless).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The metrics.</returns>
    public virtual Task<MetricsReport> GetMetricsAsync(DateOnly? startingDate = null, DateOnly? endingDate = null, DatabaseSelector? database = null, string? userId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("metrics", ("starting_date", Date(startingDate)), ("ending_date", Date(endingDate)), ("user_id", userId), ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSJsonContext.Default.MetricsReport, options, cancellationToken);

    /// <summary>Recomputes the metrics now (<c>POST /metrics/refresh</c>) and returns the day rows.</summary>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recomputed rows.</returns>
    public virtual async Task<IReadOnlyList<DayMetrics>> RefreshMetricsAsync(DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => await Pipeline.SendJsonAsync(HttpMethod.Post, Paths.WithQuery("metrics/refresh", ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSJsonContext.Default.ListDayMetrics, options, cancellationToken).ConfigureAwait(false);

    /// <summary>The state of a metrics refresh (<c>GET /metrics/refresh/status</c>).</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    public virtual Task<MetricsRefreshStatus> GetMetricsRefreshStatusAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, "metrics/refresh/status", null, AgentOSJsonContext.Default.MetricsRefreshStatus, options, cancellationToken);

    /// <summary>Lists evaluation runs, one page (<c>GET /eval-runs</c>).</summary>
    /// <param name="query">Filters, sorting and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<EvalRun>> ListEvalRunsAsync(EvalRunQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new EvalRunQuery();
        string path = Paths.WithQuery("eval-runs",
            ("agent_id", query.AgentId), ("team_id", query.TeamId), ("workflow_id", query.WorkflowId), ("model_id", query.ModelId), ("type", Name(query.Type)),
            ("eval_types", query.EvalTypes is { Count: > 0 } t ? string.Join(',', t) : null),
            ("limit", Num(query.Limit)), ("page", Num(query.Page)), ("sort_by", query.SortBy), ("sort_order", Name(query.SortOrder)),
            ("db_id", query.Database?.DbId), ("table", query.Database?.Table));
        return Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.PageEvalRun, options, cancellationToken);
    }

    /// <summary>Gets an evaluation run (<c>GET /eval-runs/{id}</c>).</summary>
    /// <param name="evalRunId">The id.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The evaluation run.</returns>
    public virtual Task<EvalRun> GetEvalRunAsync(string evalRunId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("eval-runs/" + Paths.Segment(evalRunId, nameof(evalRunId)), ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSJsonContext.Default.EvalRun, options, cancellationToken);

    /// <summary>Renames an evaluation run (<c>PATCH /eval-runs/{id}</c>).</summary>
    /// <param name="evalRunId">The id.</param>
    /// <param name="name">The new name.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated evaluation run.</returns>
    public virtual async Task<EvalRun> UpdateEvalRunAsync(string evalRunId, string name, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var content = JsonBody(new JsonObject { ["name"] = name });
        return await Pipeline.SendJsonAsync(HttpMethod.Patch, Paths.WithQuery("eval-runs/" + Paths.Segment(evalRunId, nameof(evalRunId)), ("db_id", database?.DbId), ("table", database?.Table)), content, AgentOSJsonContext.Default.EvalRun, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes evaluation runs (<c>DELETE /eval-runs</c>, 204).</summary>
    /// <param name="evalRunIds">The ids.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are deleted.</returns>
    public virtual async Task DeleteEvalRunsAsync(IEnumerable<string> evalRunIds, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evalRunIds);
        using var content = JsonBody(new JsonObject { ["eval_run_ids"] = new JsonArray([.. evalRunIds.Select(id => (JsonNode)id)]) });
        await Pipeline.SendNoContentAsync(HttpMethod.Delete, Paths.WithQuery("eval-runs", ("db_id", database?.DbId), ("table", database?.Table)), content, options, cancellationToken).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- knowledge

    /// <summary>
    /// Adds content to a knowledge base (<c>POST /knowledge/content</c>, multipart). The server answers 202
    /// and processes the content in the background: poll <see cref="GetKnowledgeContentStatusAsync"/> or use
    /// <see cref="WaitForKnowledgeContentAsync"/>.
    /// </summary>
    /// <param name="upload">The content.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The content record, status <c>processing</c>.</returns>
    public virtual async Task<KnowledgeContent> UploadKnowledgeContentAsync(KnowledgeUpload upload, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.File is null && upload.Url is null && upload.TextContent is null)
        {
            throw new ArgumentException("A knowledge upload needs a file, a URL or text content.", nameof(upload));
        }

        using var content = new MultipartFormDataContent();
        void Field(string name, string? value)
        {
            if (value is null) { return; }
            var part = new StringContent(value);
            part.Headers.ContentType = null;
            content.Add(part, name);
        }

        Field("name", upload.Name);
        Field("description", upload.Description);
        Field("url", upload.Url?.ToString());
        Field("metadata", upload.Metadata?.ToJsonString());
        Field("text_content", upload.TextContent);
        Field("reader_id", upload.ReaderId);
        Field("chunker", upload.Chunker);
        Field("chunk_size", Num(upload.ChunkSize));
        Field("chunk_overlap", Num(upload.ChunkOverlap));
        if (upload.File is { } file)
        {
            var part = new ReadOnlyMemoryContent(file.Content);
            part.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(file.ContentType);
            content.Add(part, "file", file.FileName);
        }

        return await Pipeline.SendJsonAsync(HttpMethod.Post, KnowledgePath("knowledge/content", knowledge), content, AgentOSJsonContext.Default.KnowledgeContent, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The processing status of knowledge content (<c>GET /knowledge/content/{id}/status</c>).</summary>
    /// <param name="contentId">The content id.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    public virtual Task<KnowledgeContentStatus> GetKnowledgeContentStatusAsync(string contentId, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, KnowledgePath($"knowledge/content/{Paths.Segment(contentId, nameof(contentId))}/status", knowledge), null, AgentOSJsonContext.Default.KnowledgeContentStatus, options, cancellationToken);

    /// <summary>Polls the status of uploaded content until it is completed or failed.</summary>
    /// <param name="contentId">The content id.</param>
    /// <param name="pollInterval">Time between polls (default 500 ms).</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="cancellationToken">Stops polling.</param>
    /// <returns>The final status.</returns>
    public virtual async Task<KnowledgeContentStatus> WaitForKnowledgeContentAsync(string contentId, TimeSpan? pollInterval = null, KnowledgeSelector? knowledge = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(500);
        while (true)
        {
            var status = await GetKnowledgeContentStatusAsync(contentId, knowledge, null, cancellationToken).ConfigureAwait(false);
            if (status.IsFinished)
            {
                return status;
            }

            await Task.Delay(interval, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists knowledge content, one page (<c>GET /knowledge/content</c>).</summary>
    /// <param name="limit">Page size.</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="sortBy">Sort field.</param>
    /// <param name="sortOrder">Sort direction.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<KnowledgeContent>> ListKnowledgeContentAsync(int? limit = null, int? page = null, string? sortBy = null, SortOrder? sortOrder = null, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, KnowledgePath(Paths.WithQuery("knowledge/content", ("limit", Num(limit)), ("page", Num(page)), ("sort_by", sortBy), ("sort_order", Name(sortOrder))), knowledge), null, AgentOSJsonContext.Default.PageKnowledgeContent, options, cancellationToken);

    /// <summary>Gets knowledge content (<c>GET /knowledge/content/{id}</c>).</summary>
    /// <param name="contentId">The content id.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The content record.</returns>
    public virtual Task<KnowledgeContent> GetKnowledgeContentAsync(string contentId, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, KnowledgePath("knowledge/content/" + Paths.Segment(contentId, nameof(contentId)), knowledge), null, AgentOSJsonContext.Default.KnowledgeContent, options, cancellationToken);

    /// <summary>Updates knowledge content's name, description, metadata or reader (<c>PATCH /knowledge/content/{id}</c>, form).</summary>
    /// <param name="contentId">The content id.</param>
    /// <param name="name">A new name.</param>
    /// <param name="description">A new description.</param>
    /// <param name="metadata">New metadata.</param>
    /// <param name="readerId">A new reader.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated record.</returns>
    public virtual async Task<KnowledgeContent> UpdateKnowledgeContentAsync(string contentId, string? name = null, string? description = null, JsonObject? metadata = null, string? readerId = null, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (name is not null) { fields.Add(new("name", name)); }
        if (description is not null) { fields.Add(new("description", description)); }
        if (metadata is not null) { fields.Add(new("metadata", metadata.ToJsonString())); }
        if (readerId is not null) { fields.Add(new("reader_id", readerId)); }
        using var content = new FormUrlEncodedContent(fields);
        return await Pipeline.SendJsonAsync(HttpMethod.Patch, KnowledgePath("knowledge/content/" + Paths.Segment(contentId, nameof(contentId)), knowledge), content, AgentOSJsonContext.Default.KnowledgeContent, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes knowledge content (<c>DELETE /knowledge/content/{id}</c>).</summary>
    /// <param name="contentId">The content id.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    public virtual Task DeleteKnowledgeContentAsync(string contentId, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendNoContentAsync(HttpMethod.Delete, KnowledgePath("knowledge/content/" + Paths.Segment(contentId, nameof(contentId)), knowledge), null, options, cancellationToken);

    /// <summary>Deletes all content of a knowledge base (<c>DELETE /knowledge/content</c>).</summary>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    public virtual Task DeleteAllKnowledgeContentAsync(KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendNoContentAsync(HttpMethod.Delete, KnowledgePath("knowledge/content", knowledge), null, options, cancellationToken);

    /// <summary>Searches a knowledge base (<c>POST /knowledge/search</c>).</summary>
    /// <param name="request">The query.</param>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A page of hits.</returns>
    public virtual async Task<Page<KnowledgeSearchResult>> SearchKnowledgeAsync(KnowledgeSearchRequest request, KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Query, nameof(request));
        var body = new JsonObject { ["query"] = request.Query };
        if (knowledge?.DbId is { } db) { body["db_id"] = db; }
        if (knowledge?.KnowledgeId is { } kid) { body["knowledge_id"] = kid; }
        if (request.SearchType is not null) { body["search_type"] = request.SearchType; }
        if (request.MaxResults is { } max) { body["max_results"] = max; }
        if (request.Filters is not null) { body["filters"] = request.Filters.DeepClone(); }
        if (request.VectorDbIds is { Count: > 0 } v) { body["vector_db_ids"] = new JsonArray([.. v.Select(x => (JsonNode)x)]); }
        if (request.Limit is not null || request.Page is not null)
        {
            var meta = new JsonObject();
            if (request.Limit is { } l) { meta["limit"] = l; }
            if (request.Page is { } p) { meta["page"] = p; }
            body["meta"] = meta;
        }

        using var content = JsonBody(body);
        return await Pipeline.SendJsonAsync(HttpMethod.Post, "knowledge/search", content, AgentOSJsonContext.Default.PageKnowledgeSearchResult, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The knowledge configuration: readers, chunkers, filters, vector databases (<c>GET /knowledge/config</c>).</summary>
    /// <param name="knowledge">The knowledge base.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The configuration.</returns>
    public virtual Task<KnowledgeConfig> GetKnowledgeConfigAsync(KnowledgeSelector? knowledge = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, KnowledgePath("knowledge/config", knowledge), null, AgentOSJsonContext.Default.KnowledgeConfig, options, cancellationToken);

    // ---------------------------------------------------------------- helpers

    private static string SessionPath(string sessionId) => "sessions/" + Paths.Segment(sessionId, nameof(sessionId));

    private static string KnowledgePath(string path, KnowledgeSelector? knowledge)
        => Paths.WithQuery(path, ("db_id", knowledge?.DbId), ("knowledge_id", knowledge?.KnowledgeId));

    private static string? Name(SessionType? type) => type switch
    {
        SessionType.Agent => "agent",
        SessionType.Team => "team",
        SessionType.Workflow => "workflow",
        _ => null,
    };

    private static string? Name(SortOrder? order) => order switch
    {
        SortOrder.Ascending => "asc",
        SortOrder.Descending => "desc",
        _ => null,
    };

    private static string? Num(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ByteArrayContent JsonBody(JsonObject body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AgentOSJsonContext.Default.JsonObject));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static ByteArrayContent MemoryBody(MemoryContent memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentException.ThrowIfNullOrWhiteSpace(memory.Memory, nameof(memory));
        var body = new JsonObject { ["memory"] = memory.Memory };
        if (memory.UserId is not null) { body["user_id"] = memory.UserId; }
        if (memory.Topics is not null) { body["topics"] = new JsonArray([.. memory.Topics.Select(t => (JsonNode)t)]); }
        return JsonBody(body);
    }

    private static object CopyOf(object query) => query switch
    {
        SessionQuery s => new SessionQuery { Type = s.Type, ComponentId = s.ComponentId, UserId = s.UserId, SessionName = s.SessionName, Limit = s.Limit, Page = s.Page, SortBy = s.SortBy, SortOrder = s.SortOrder, Database = s.Database },
        MemoryQuery m => new MemoryQuery { UserId = m.UserId, AgentId = m.AgentId, TeamId = m.TeamId, Topics = m.Topics, SearchContent = m.SearchContent, Limit = m.Limit, Page = m.Page, SortBy = m.SortBy, SortOrder = m.SortOrder, Database = m.Database },
        _ => throw new ArgumentException("Unknown query type.", nameof(query)),
    };

    private static int FirstPage(int? page) => page switch
    {
        null => 1,
        < 1 => throw new ArgumentOutOfRangeException(nameof(page), "Pages start at 1."),
        _ => page.Value,
    };

    /// <summary>Reads pages one after the other as the caller consumes them; the token (also from <c>WithCancellation</c>) reaches each page request.</summary>
    private static async IAsyncEnumerable<T> EnumeratePagesAsync<T>(int firstPage, Func<int, CancellationToken, Task<Page<T>>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int page = firstPage;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await fetch(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in result.Data)
            {
                yield return item;
            }

            if (result.Data.Count == 0 || !result.HasNextPage)
            {
                yield break;
            }

            page++;
        }
    }
}
