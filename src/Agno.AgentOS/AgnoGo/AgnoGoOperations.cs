using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Agno.AgentOS.Internal.AgnoGo;

/// <summary>
/// The operations of the agno-go dialect, behind the client's public members: agents (from the list), a synthesised
/// <c>/config</c>, runs (JSON and SSE), sessions. Requests go through the client's pipeline (timeouts, retries of reads,
/// the exception family); answers are mapped onto the library's models and typed events.
/// </summary>
internal sealed class AgnoGoOperations(AgentOSPipeline pipeline)
{
    private string Api(string route) => pipeline.Dialect.ApiPath + "/" + route;

    // ---------------------------------------------------------------- discovery

    public async Task<IReadOnlyList<AgentDetails>> ListAgentsAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        var list = await pipeline.SendJsonAsync(HttpMethod.Get, Api("agents"), null, AgnoGoJsonContext.Default.GoAgentList, options, cancellationToken).ConfigureAwait(false);
        return [.. (list.Agents ?? []).OfType<GoAgent>().Where(a => !string.IsNullOrEmpty(a.Id)).OrderBy(a => a.Id, StringComparer.Ordinal).Select(AgnoGoMapping.Agent)];
    }

    /// <summary>agno-go has no get-agent route: the agent's details are its entry of the list.</summary>
    public async Task<AgentDetails> GetAgentAsync(string agentId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        var agents = await ListAgentsAsync(options, cancellationToken).ConfigureAwait(false);
        return agents.FirstOrDefault(a => a.Id == agentId)
            ?? throw new AgentOSNotFoundException($"agno-go's AgentOS lists no agent '{agentId}' (GET /{Api("agents")}).")
            {
                StatusCode = HttpStatusCode.NotFound,
                Method = "GET",
                RequestPath = Api("agents"),
                Detail = $"agent with ID '{agentId}' not found",
                ErrorType = "AGENT_NOT_FOUND",
            };
    }

    /// <summary>A configuration made from the agent list: agno-go has no <c>/config</c>, no teams or workflows.</summary>
    public async Task<OSConfig> GetConfigAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        var agents = await ListAgentsAsync(options, cancellationToken).ConfigureAwait(false);
        return new OSConfig
        {
            Name = "agno-go AgentOS",
            Agents = [.. agents.Select(a => new ComponentSummary { Id = a.Id, Name = a.Name })],
            Teams = [],
            Workflows = [],
        };
    }

    // ---------------------------------------------------------------- runs

    public async Task<AgentRunOutput> RunAsync(string agentId, RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        string path = Api($"agents/{Paths.Segment(agentId, nameof(agentId))}/run");
        using var content = RunContent(request);
        using var telemetry = Telemetry.StartRun(ComponentKind.Agent, agentId, request.SessionId, pipeline, streaming: false);
        GoRunResponse response;
        try
        {
            response = await pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgnoGoJsonContext.Default.GoRunResponse, options, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentOSException ex) when (ex is AgentOSServerException { ErrorType: "EXECUTION_ERROR" } || ex.StatusCode == HttpStatusCode.RequestTimeout)
        {
            // the agent's run failed (500 EXECUTION_ERROR) or was cancelled by the server's request timeout (408 RUN_CANCELLED)
            var failed = new AgentOSRunFailedException($"The run failed: {ex.Detail ?? ex.Message}", ex)
            {
                SessionId = request.SessionId,
                Detail = ex.Detail,
                ErrorType = ex.ErrorType,
                StatusCode = ex.StatusCode,
                Method = ex.Method,
                RequestPath = ex.RequestPath,
                ResponseBodyExcerpt = ex.ResponseBodyExcerpt,
            };
            telemetry?.Fail(failed);
            throw failed;
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Fail(ex);
            throw;
        }

        var output = AgnoGoMapping.RunOutput(response, agentId);
        telemetry?.Observe(output);
        return output;
    }

    public async IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(string agentId, RunRequest request, AgentOSRequestOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var types = request.AgnoGo?.EventTypes;
        string path = Api($"agents/{Paths.Segment(agentId, nameof(agentId))}/run/stream");
        string target = types is { Count: > 0 } ? Paths.WithQuery(path, ("types", string.Join(',', types))) : path;
        bool requireTerminal = types is not { Count: > 0 } || types.Contains("complete");
        using var content = RunContent(request);
        using var telemetry = Telemetry.StartRun(ComponentKind.Agent, agentId, request.SessionId, pipeline, streaming: true);
        var response = await pipeline.SendForResponseAsync(HttpMethod.Post, target, content, streaming: true, options, cancellationToken).ConfigureAwait(false);
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            using (response)
            {
                string excerpt = await pipeline.ReadUnexpectedBodyAsync(response, cancellationToken).ConfigureAwait(false);
                throw new AgentOSProtocolException($"POST {path} answered {(int)response.StatusCode} with content type '{mediaType}' instead of an event stream. Body starts with: {excerpt}")
                {
                    StatusCode = response.StatusCode,
                    Method = "POST",
                    RequestPath = path,
                    ResponseBodyExcerpt = excerpt,
                };
            }
        }

        var context = new StreamContext(EventScope.Agent, requireTerminal, "POST", path, pipeline.Options.StreamIdleTimeout, pipeline.Time, pipeline.Options.MaxStreamEventSize);
        var decoder = new AgnoGoEventDecoder("POST", path);
        bool finished = false;
        try
        {
            await foreach (var e in EventStreamReader.ReadAsync(response, context, pipeline.Logger, cancellationToken, decoder.Parse).ConfigureAwait(false))
            {
                telemetry?.Observe(e, EventScope.Agent);

                yield return e;
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                telemetry?.Incomplete();
            }
        }
    }

    private static ByteArrayContent RunContent(RunRequest request)
    {
        var body = AgnoGoMapping.RunRequest(request);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AgnoGoJsonContext.Default.GoRunRequest));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    // ---------------------------------------------------------------- sessions

    private string SessionPath(string sessionId) => Api("sessions/" + Paths.Segment(sessionId, nameof(sessionId)));

    public async Task<SessionDetails> CreateSessionAsync(CreateSessionRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (request.SessionId is not null)
        {
            throw DialectState.NotSupported("choosing a session's id (CreateSessionRequest.SessionId: agno-go always makes the id)");
        }

        if (request.SessionState is not null)
        {
            throw DialectState.NotSupported("session state at creation (CreateSessionRequest.SessionState: set it with UpdateSessionAsync)");
        }

        var body = new GoCreateSession
        {
            AgentId = request.AgentId,
            TeamId = request.TeamId,
            WorkflowId = request.WorkflowId,
            UserId = request.UserId,
            Name = request.SessionName,
            Metadata = request.Metadata,
        };
        using var content = JsonContent.Create(body, AgnoGoJsonContext.Default.GoCreateSession);
        var session = await pipeline.SendJsonAsync(HttpMethod.Post, Api("sessions"), content, AgnoGoJsonContext.Default.GoSession, options, cancellationToken).ConfigureAwait(false);
        return AgnoGoMapping.Session(session);
    }

    public async Task<SessionDetails> GetSessionAsync(string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => AgnoGoMapping.Session(await pipeline.SendJsonAsync(HttpMethod.Get, SessionPath(sessionId), null, AgnoGoJsonContext.Default.GoSession, options, cancellationToken).ConfigureAwait(false));

    /// <summary><c>PUT</c>: a given name replaces the name; given metadata or state replace the whole map (no merge).</summary>
    public async Task<SessionDetails> UpdateSessionAsync(string sessionId, UpdateSessionRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (request.Summary is not null)
        {
            throw DialectState.NotSupported("setting a session's summary (UpdateSessionRequest.Summary)");
        }

        var body = new GoUpdateSession { Name = request.SessionName, Metadata = request.Metadata, State = request.SessionState };
        using var content = JsonContent.Create(body, AgnoGoJsonContext.Default.GoUpdateSession);
        var session = await pipeline.SendJsonAsync(HttpMethod.Put, SessionPath(sessionId), content, AgnoGoJsonContext.Default.GoSession, options, cancellationToken).ConfigureAwait(false);
        return AgnoGoMapping.Session(session);
    }

    public async Task DeleteSessionAsync(string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await pipeline.SendJsonAsync(HttpMethod.Delete, SessionPath(sessionId), null, AgnoGoJsonContext.Default.GoDeleted, options, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <c>GET /sessions</c> filters by agent, team, workflow and user on the server; agno-go neither pages nor sorts (its
    /// order is random), so the name filter, the sort (created_at, newest first, by default) and the paging are applied here.
    /// </summary>
    public async Task<Page<SessionInfo>> ListSessionsAsync(SessionQuery query, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (query.Database is not null)
        {
            throw DialectState.NotSupported("choosing a database (SessionQuery.Database)");
        }

        string? component = query.ComponentId;
        string path = Paths.WithQuery(Api("sessions"),
            ("agent_id", query.Type is null or SessionType.Agent ? component : null),
            ("team_id", query.Type == SessionType.Team ? component : null),
            ("workflow_id", query.Type == SessionType.Workflow ? component : null),
            ("user_id", query.UserId));
        var list = await pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgnoGoJsonContext.Default.GoSessionList, options, cancellationToken).ConfigureAwait(false);
        IEnumerable<SessionInfo> sessions = (list.Sessions ?? []).OfType<GoSession>().Select(AgnoGoMapping.SessionInfo);
        if (query.Type is { } type && component is null)
        {
            string name = type switch { SessionType.Team => "team", SessionType.Workflow => "workflow", _ => "agent" };
            sessions = sessions.Where(s => s.SessionType == name);
        }

        if (query.SessionName is { Length: > 0 } wanted)
        {
            sessions = sessions.Where(s => s.SessionName?.Contains(wanted, StringComparison.OrdinalIgnoreCase) == true);
        }

        Func<SessionInfo, DateTimeOffset?> key = query.SortBy switch
        {
            null or "created_at" => s => s.CreatedAt,
            "updated_at" => s => s.UpdatedAt,
            _ => throw new ArgumentException($"The agno-go dialect sorts sessions by created_at or updated_at, not '{query.SortBy}'.", nameof(query)),
        };
        var sorted = (query.SortOrder == SortOrder.Ascending
            ? sessions.OrderBy(key).ThenBy(s => s.SessionId, StringComparer.Ordinal)
            : sessions.OrderByDescending(key).ThenBy(s => s.SessionId, StringComparer.Ordinal)).ToList();

        int limit = query.Limit ?? 20;
        int page = query.Page ?? 1;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1, nameof(query));
        return new Page<SessionInfo>
        {
            Data = [.. sorted.Skip((int)Math.Min((long)(page - 1) * limit, int.MaxValue)).Take(limit)],
            Meta = new PageInfo { Page = page, Limit = limit, TotalCount = sorted.Count, TotalPages = (sorted.Count + limit - 1) / limit },
        };
    }

    public async Task<AgnoGoSessionHistory> GetHistoryAsync(string sessionId, int? numMessages, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (numMessages is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numMessages), "At least one message.");
        }

        string path = Paths.WithQuery(SessionPath(sessionId) + "/history", ("num_messages", numMessages?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var history = await pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgnoGoJsonContext.Default.GoHistory, options, cancellationToken).ConfigureAwait(false);
        return new AgnoGoSessionHistory
        {
            SessionId = history.SessionId ?? sessionId,
            Messages = [.. (history.Messages ?? []).OfType<GoMessage>().Select(AgnoGoMapping.Message)],
            Runs = [.. (history.Runs ?? []).OfType<GoRunSummary>().Select(r => AgnoGoMapping.Run(r, null))],
            Summary = history.Summary,
        };
    }
}
