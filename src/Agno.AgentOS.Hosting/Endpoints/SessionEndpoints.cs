using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The session routes: list, get, create, rename, update, delete, and a session's runs.</summary>
internal static class SessionEndpoints
{
    private const string TypeExpected = "'agent', 'team' or 'workflow'";

    /// <summary>AgentOS's <c>CreateSessionRequest</c>.</summary>
    private static readonly (string, BodyFieldKind)[] CreateFields =
    [
        ("session_id", BodyFieldKind.String), ("session_name", BodyFieldKind.String), ("session_state", BodyFieldKind.Object),
        ("metadata", BodyFieldKind.Object), ("user_id", BodyFieldKind.String), ("agent_id", BodyFieldKind.String),
        ("team_id", BodyFieldKind.String), ("workflow_id", BodyFieldKind.String),
    ];

    /// <summary>AgentOS's <c>UpdateSessionRequest</c>.</summary>
    private static readonly (string, BodyFieldKind)[] PatchFields =
    [
        ("session_name", BodyFieldKind.String), ("session_state", BodyFieldKind.Object), ("metadata", BodyFieldKind.Object), ("summary", BodyFieldKind.Object),
    ];

    public static async Task ListAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Collection).ConfigureAwait(false))
        {
            return;
        }

        var errors = new List<ValidationError>();
        string? type = SessionType(context, errors) ?? AgentOSSessionTypes.Agent;
        long limit = IntegerQuery(context, "limit", 20, minimum: 1, errors);
        long page = IntegerQuery(context, "page", 1, minimum: 0, errors);
        string sortBy = context.Query("sort_by") ?? "created_at";
        string sortOrder = context.Query("sort_order") ?? "desc";
        if (sortOrder is not ("asc" or "desc"))
        {
            errors.Add(Wire.BadEnum("query", "sort_order", sortOrder, "'asc' or 'desc'"));
        }

        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var query = new AgentOSSessionQuery
        {
            SessionType = type,
            ComponentId = context.Query("component_id"),
            UserId = context.Query("user_id"),
            SessionName = context.Query("session_name"),
            Limit = (int)Math.Min(limit, int.MaxValue),
            Page = (int)Math.Clamp(page, 1, int.MaxValue),
            SortBy = sortBy,
            SortDescending = sortOrder == "desc",
        };
        var result = await runtime.Store.ListSessionsAsync(query, context.RequestAborted).ConfigureAwait(false);
        double elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var body = new SessionPageBody(
            [.. result.Sessions.Select(SessionSchema)],
            new PageMetaBody(page, limit, (result.TotalCount + limit - 1) / limit, result.TotalCount, Math.Round(elapsed, 2)));
        await Wire.WriteJsonAsync(context, Node(body, HostWireContext.Default.SessionPageBody)).ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Single).ConfigureAwait(false))
        {
            return;
        }

        var session = await FindAsync(context, runtime, NotFoundText.Detail).ConfigureAwait(false);
        if (session is not null)
        {
            await Wire.WriteJsonAsync(context, Detail(session, runtime, keepNulls: false)).ConfigureAwait(false);
        }
    }

    public static async Task CreateAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Collection).ConfigureAwait(false))
        {
            return;
        }

        var errors = new List<ValidationError>();
        string type = SessionType(context, errors) ?? AgentOSSessionTypes.Agent;
        var read = await JsonBody.ReadModelAsync(context, CreateFields).ConfigureAwait(false);
        errors.AddRange(read.Errors);
        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return;
        }

        var body = (read.Body ?? []).Deserialize(HostWireContext.Default.CreateSessionRequestBody)!;
        string sessionId = body.SessionId ?? Wire.NewId();
        string? component = body.ComponentId(type);
        var held = await runtime.Gate.EnterAsync(sessionId, context.RequestAborted).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (await runtime.Store.GetSessionAsync(sessionId, includeRuns: false, context.RequestAborted).ConfigureAwait(false) is not null)
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, $"Session with id '{sessionId}' already exists").ConfigureAwait(false);
                return;
            }

            var now = runtime.Time.GetUtcNow();
            var session = new AgentOSSession
            {
                SessionId = sessionId,
                SessionType = type,
                ComponentId = component,
                UserId = AgentOSCaller.Of(context)?.ScopedUserId ?? body.UserId,
                SessionName = body.SessionName,
                SessionState = body.SessionState,
                Metadata = body.Metadata,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await runtime.Store.SaveSessionAsync(session, context.RequestAborted).ConfigureAwait(false);
            await Wire.WriteJsonAsync(context, Detail(session, runtime, keepNulls: false), StatusCodes.Status201Created).ConfigureAwait(false);
        }
    }

    public static async Task RenameAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Single).ConfigureAwait(false))
        {
            return;
        }

        var read = await JsonBody.ReadModelAsync(context).ConfigureAwait(false);
        var errors = read.Errors.ToList();
        if (errors is [{ Type: "model_attributes_type" }])
        {
            errors.Clear(); // an embedded body field: FastAPI looks for it in whatever body came (a form, an array) and finds none
        }

        string name = string.Empty;
        if (errors.Count == 0)
        {
            const string field = "session_name";
            if (read.Body is null || !read.Body.TryGetPropertyValue(field, out var given))
            {
                errors.Add(Wire.MissingField("body", field));
            }
            else if (given is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                name = value.GetValue<string>();
            }
            else
            {
                errors.Add(JsonBody.NotAString(field, given));
            }
        }

        await UpdateAsync(context, runtime, errors, session => session.SessionName = name).ConfigureAwait(false);
    }

    public static async Task PatchAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Single).ConfigureAwait(false))
        {
            return;
        }

        var read = await JsonBody.ReadModelAsync(context, PatchFields).ConfigureAwait(false);
        var errors = read.Errors.ToList();
        if (!read.Present)
        {
            errors.Add(JsonBody.MissingBody());
        }

        var body = errors.Count == 0 ? (read.Body ?? []).Deserialize(HostWireContext.Default.UpdateSessionRequestBody)! : new UpdateSessionRequestBody(null, null, null, null);
        await UpdateAsync(context, runtime, errors, session =>
        {
            if (body.SessionName is { } name)
            {
                session.SessionName = name;
            }

            if (body.SessionState is { } state)
            {
                session.SessionState = state;
            }

            if (body.Metadata is { } metadata)
            {
                session.Metadata = metadata;
            }

            if (body.Summary is { } summary)
            {
                session.Summary = summary;
            }
        }).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Delete).ConfigureAwait(false))
        {
            return;
        }

        await DeleteOneAsync(runtime, context.Route("session_id"), context.Query("user_id"), context.RequestAborted).ConfigureAwait(false);
        NoContent(context);
    }

    public static async Task DeleteManyAsync(HttpContext context, AgentOSRuntime runtime)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.DeleteMany, bytes).ConfigureAwait(false))
        {
            return;
        }

        // AgentOS's DeleteSessionRequest: session_ids (strings) and session_types (session types), one item at least each
        var read = JsonBody.ReadModel(bytes, context.Request.ContentType);
        var errors = read.Errors.ToList();
        if (!read.Present)
        {
            errors.Add(JsonBody.MissingBody());
        }

        List<string> ids = [], types = [];
        if (errors.Count == 0)
        {
            ids = JsonBody.RequiredList(read.Body!, "session_ids", (item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? null
                : new ValidationError("string_type", Wire.Loc("body", "session_ids", i), "Input should be a valid string", item?.DeepClone()), errors);
            types = JsonBody.RequiredList(read.Body!, "session_types", (item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String && AgentOSSessionTypes.IsValid(v.GetValue<string>())
                ? null
                : new ValidationError("enum", Wire.Loc("body", "session_types", i), $"Input should be {TypeExpected}", item?.DeepClone()) { Ctx = new ValidationContext { Expected = TypeExpected } }, errors);
        }

        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return;
        }

        if (types.Count != ids.Count)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "Session IDs and session types must have the same length").ConfigureAwait(false);
            return;
        }

        string? userId = context.Query("user_id");
        bool elsewhere = false;
        foreach (var id in ids)
        {
            elsewhere |= !await DeleteOneAsync(runtime, id, userId, context.RequestAborted).ConfigureAwait(false);
        }

        // a gateway: the sessions it does not have may be remote components' sessions
        if (elsewhere && await GatewaySessions.DeleteElsewhereAsync(context, runtime, bytes).ConfigureAwait(false))
        {
            return;
        }

        NoContent(context);
    }

    /// <summary>Deletes a session, only the user's own when a user is given (AgentOS answers 204 either way).</summary>
    /// <returns>Whether the session is in this host's store (deleted, or another user's and kept).</returns>
    private static async Task<bool> DeleteOneAsync(AgentOSRuntime runtime, string sessionId, string? userId, CancellationToken cancellationToken)
    {
        var held = await runtime.Gate.EnterAsync(sessionId, cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (userId is not null)
            {
                var session = await runtime.Store.GetSessionAsync(sessionId, includeRuns: false, cancellationToken).ConfigureAwait(false);
                if (session is null || !AgentOSRuntime.VisibleTo(session, userId))
                {
                    return session is not null;
                }
            }

            return await runtime.Store.DeleteSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task RunsAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Single).ConfigureAwait(false))
        {
            return;
        }

        var session = await FindAsync(context, runtime, NotFoundText.Runs).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        long? after = LongQuery(context, "created_after");
        long? before = LongQuery(context, "created_before");
        var list = new JsonArray();
        foreach (var output in StoredRuns(session))
        {
            long created = output.CreatedAt ?? 0;
            if ((after is null || created >= after) && (before is null || created <= before))
            {
                list.Add(RunSchemas.From(output, keepNulls: false));
            }
        }

        await Wire.WriteJsonAsync(context, list).ConfigureAwait(false);
    }

    public static async Task RunAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await GatewaySessions.TryForwardAsync(context, runtime, GatewaySessions.Route.Single).ConfigureAwait(false))
        {
            return;
        }

        var session = await FindAsync(context, runtime, NotFoundText.Runs).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        string sessionId = session.SessionId;
        if (session.Runs.Count == 0)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, $"Session with ID {sessionId} has no runs").ConfigureAwait(false);
            return;
        }

        string runId = context.Route("run_id");
        var run = StoredRuns(session).FirstOrDefault(r => r.RunId == runId);
        if (run is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, $"Run with ID {runId} not found in session {sessionId}").ConfigureAwait(false);
            return;
        }

        await Wire.WriteJsonAsync(context, RunSchemas.From(run, keepNulls: true)).ConfigureAwait(false);
    }

    /// <summary>
    /// The session's runs as AgentOS stores them: a team run's member runs (their <c>parent_run_id</c> is the team run)
    /// are runs of the team session too, stored when the member finished, so before the team run. A workflow
    /// session holds only its workflow runs (the step agents' runs are inside them, <c>step_executor_runs</c>).
    /// </summary>
    internal static IEnumerable<StoredRunFields> StoredRuns(AgentOSSession session)
    {
        foreach (var run in session.Runs)
        {
            var output = StoredRunFields.Of(run.OutputUtf8);
            if (session.SessionType == AgentOSSessionTypes.Team)
            {
                foreach (var member in MemberRuns(output))
                {
                    yield return member;
                }
            }

            yield return output;
        }
    }

    private static IEnumerable<StoredRunFields> MemberRuns(StoredRunFields output)
    {
        foreach (var member in output.MemberResponses ?? [])
        {
            foreach (var nested in MemberRuns(member))
            {
                yield return nested;
            }

            yield return member;
        }
    }

    private static async Task UpdateAsync(HttpContext context, AgentOSRuntime runtime, List<ValidationError> bodyErrors, Action<AgentOSSession> change)
    {
        var errors = new List<ValidationError>();
        string? type = SessionType(context, errors);
        errors.AddRange(bodyErrors);
        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return;
        }

        string sessionId = context.Route("session_id");
        var held = await runtime.Gate.EnterAsync(sessionId, context.RequestAborted).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            var session = await runtime.Store.GetSessionAsync(sessionId, includeRuns: false, context.RequestAborted).ConfigureAwait(false);
            if (session is null || (type is not null && session.SessionType != type) || !AgentOSRuntime.VisibleTo(session, context.Query("user_id")))
            {
                await NotFoundAsync(context, NotFoundText.Update, type, sessionId).ConfigureAwait(false);
                return;
            }

            change(session);
            session.UpdatedAt = runtime.Time.GetUtcNow();
            await runtime.Store.SaveSessionAsync(session, context.RequestAborted).ConfigureAwait(false); // its own fields only
            session.Runs = [.. await runtime.Store.GetRunsAsync(sessionId, query: null, context.RequestAborted).ConfigureAwait(false)];
            await Wire.WriteJsonAsync(context, Detail(session, runtime, keepNulls: true)).ConfigureAwait(false);
        }
    }

    private static async Task<AgentOSSession?> FindAsync(HttpContext context, AgentOSRuntime runtime, NotFoundText text)
    {
        var errors = new List<ValidationError>();
        string? type = SessionType(context, errors);
        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return null;
        }

        string sessionId = context.Route("session_id");
        var session = await runtime.Store.GetSessionAsync(sessionId, includeRuns: true, context.RequestAborted).ConfigureAwait(false);
        if (session is null || (type is not null && session.SessionType != type) || !AgentOSRuntime.VisibleTo(session, context.Query("user_id")))
        {
            await NotFoundAsync(context, text, type, sessionId).ConfigureAwait(false);
            return null;
        }

        return session;
    }

    /// <summary>Which of AgentOS's 404 texts a session route answers.</summary>
    private enum NotFoundText
    {
        /// <summary><c>GET /sessions/{id}</c>: <c>Agent Session with id '...' not found</c> with a type, <c>Session with id '...' not found</c> without.</summary>
        Detail,

        /// <summary><c>GET /sessions/{id}/runs[/{run_id}]</c>: <c>Session with ID ... not found</c>.</summary>
        Runs,

        /// <summary>Rename and PATCH: <c>Session with id '...' not found</c>.</summary>
        Update,
    }

    private static Task NotFoundAsync(HttpContext context, NotFoundText text, string? type, string sessionId)
    {
        string detail = text switch
        {
            NotFoundText.Detail when type is not null => $"{char.ToUpperInvariant(type[0])}{type[1..]} Session with id '{sessionId}' not found",
            NotFoundText.Runs => $"Session with ID {sessionId} not found",
            _ => $"Session with id '{sessionId}' not found",
        };
        return Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, detail);
    }

    private static string? SessionType(HttpContext context, List<ValidationError> errors)
    {
        string? type = context.Query("type");
        if (type is null)
        {
            return null;
        }

        if (!AgentOSSessionTypes.IsValid(type))
        {
            errors.Add(Wire.BadEnum("query", "type", type, TypeExpected));
            return null;
        }

        return type;
    }

    /// <summary>
    /// An integer query parameter as FastAPI parses one (<c>int_parsing</c>; <c>greater_than_equal</c> below its
    /// minimum). Python integers have no upper bound: larger values than a long holds are taken as the largest.
    /// </summary>
    private static long IntegerQuery(HttpContext context, string name, long defaultValue, long minimum, List<ValidationError> errors)
    {
        string? text = context.Query(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!System.Numerics.BigInteger.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(Wire.BadInt("query", name, text));
            return defaultValue;
        }

        if (value < minimum)
        {
            errors.Add(new ValidationError("greater_than_equal", Wire.Loc("query", name), $"Input should be greater than or equal to {minimum}", text)
            {
                Ctx = new ValidationContext { Ge = minimum },
            });
            return defaultValue;
        }

        return value > long.MaxValue / 2 ? long.MaxValue / 2 : (long)value;
    }

    private static long? LongQuery(HttpContext context, string name)
        => long.TryParse(context.Query(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;

    private static void NoContent(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentType = Wire.JsonContentType;
    }

    /// <summary>A session in <c>GET /sessions</c> (AgentOS's <c>SessionSchema</c>, nulls omitted), from its summary.</summary>
    private static SessionSchemaBody SessionSchema(AgentOSSessionSummary listed)
    {
        var session = listed.Session;
        var (metrics, total) = Metrics([.. listed.Runs.Select(r => (r.Metrics, r.Model, r.ModelProvider))]);
        string? component = session.ComponentId;
        return new SessionSchemaBody
        {
            SessionId = session.SessionId,
            SessionName = session.SessionName ?? string.Empty,
            SessionState = session.SessionState,
            CreatedAt = Wire.IsoSeconds(session.CreatedAt),
            UpdatedAt = Wire.IsoSeconds(session.UpdatedAt),
            SessionType = session.SessionType,
            UserId = session.UserId,
            AgentId = session.SessionType == AgentOSSessionTypes.Agent ? component : null,
            TeamId = session.SessionType == AgentOSSessionTypes.Team ? component : null,
            WorkflowId = session.SessionType == AgentOSSessionTypes.Workflow ? component : null,
            SessionSummary = session.Summary,
            Metrics = metrics,
            TotalTokens = metrics is null ? null : total,
            Metadata = session.Metadata ?? (session.SessionType == AgentOSSessionTypes.Workflow && listed.Runs.Count > 0 ? [] : null),
        };
    }

    /// <summary>A session's detail (AgentOS's agent, team or workflow session detail schema).</summary>
    private static JsonObject Detail(AgentOSSession session, AgentOSRuntime runtime, bool keepNulls)
    {
        // each stored run is read once for the metrics, the component's data and the chat history
        var runs = session.Runs.ConvertAll(r => StoredRunFields.Of(r.OutputUtf8));
        var (metrics, total) = Metrics(runs.ConvertAll(r => (r.Metrics?.Deserialize(HostWireContext.Default.RunMetrics), r.Model, r.ModelProvider)));
        string created = Wire.IsoSeconds(session.CreatedAt), updated = Wire.IsoSeconds(session.UpdatedAt);
        JsonObject o = session.SessionType switch
        {
            AgentOSSessionTypes.Team => Node(
                new TeamSessionDetailBody(
                    session.SessionId, session.SessionName, session.Summary, session.UserId, session.ComponentId, session.SessionState, metrics ?? new RunMetrics(),
                    ComponentData(session, runs, runtime), session.Metadata, ChatHistory(runs), created, updated, total),
                HostWireContext.Default.TeamSessionDetailBody),
            AgentOSSessionTypes.Workflow => Node(
                new WorkflowSessionDetailBody(
                    session.ComponentId, session.UserId, session.SessionId, session.SessionName, session.Summary,
                    new WorkflowSessionDataBody(session.SessionState ?? [], metrics ?? new RunMetrics()),
                    session.SessionState, WorkflowData(session, runtime), session.Metadata ?? (session.Runs.Count > 0 ? [] : null), created, updated),
                HostWireContext.Default.WorkflowSessionDetailBody),
            _ => Node(
                new AgentSessionDetailBody(
                    session.UserId, session.SessionId, session.SessionId, session.SessionName, session.Summary, session.SessionState, session.ComponentId, total,
                    ComponentData(session, runs, runtime), metrics ?? new RunMetrics(), session.Metadata, ChatHistory(runs), created, updated),
                HostWireContext.Default.AgentSessionDetailBody),
        };
        return keepNulls ? o : RunSchemas.WithoutNulls(o);
    }

    private static WorkflowDataBody? WorkflowData(AgentOSSession session, AgentOSRuntime runtime)
    {
        if (session.Runs.Count == 0 || session.ComponentId is null)
        {
            return null;
        }

        var workflow = runtime.Registry.Find(ComponentKind.Workflow, session.ComponentId)?.Workflow;
        return new WorkflowDataBody(
            session.ComponentId,
            workflow?.Name ?? session.ComponentId,
            [.. (workflow?.Steps ?? []).Select(s => new WorkflowStepDataBody(s.Name, s.Description, "Step"))]);
    }

    private static ComponentDataBody? ComponentData(AgentOSSession session, List<StoredRunFields> runs, AgentOSRuntime runtime)
    {
        if (runs.Count == 0 || session.ComponentId is null)
        {
            return null;
        }

        var last = runs[^1];
        bool team = session.SessionType == AgentOSSessionTypes.Team;
        var entry = runtime.Registry.Find(team ? ComponentKind.Team : ComponentKind.Agent, session.ComponentId);
        string name = (team ? last.TeamName : last.AgentName) ?? session.ComponentId;
        string modelClass = entry?.Agent?.ChatClient is { } c ? ChatSpec.ModelClassName(c) : entry?.Team?.Leader is { } l ? ChatSpec.ModelClassName(l) : "Model";
        return new ComponentDataBody
        {
            Name = name,
            AgentId = team ? null : session.ComponentId,
            TeamId = team ? session.ComponentId : null,
            Model = new ComponentModelBody(last.Model, last.ModelProvider, modelClass),
        };
    }

    private static List<MessageBody> ChatHistory(List<StoredRunFields> runs)
    {
        var history = new List<MessageBody>();
        foreach (var run in runs)
        {
            foreach (var m in run.Messages ?? [])
            {
                if (m.Role is "user" or "assistant" && !m.FromHistory)
                {
                    history.Add(m);
                }
            }
        }

        return history;
    }

    /// <summary>
    /// The session's summed metrics (<c>null</c> when it has no run) and total tokens, from its runs' metrics, model and
    /// provider (of their outputs or of their summaries, <see cref="AgentOSStoredRun.ToSummary"/>).
    /// </summary>
    private static (RunMetrics? Metrics, long? Total) Metrics(IReadOnlyList<(RunMetrics? Metrics, string? Model, string? ModelProvider)> runs)
    {
        if (runs.Count == 0)
        {
            return (null, null);
        }

        long input = 0, output = 0, total = 0;
        var perModel = new Dictionary<(string, string), (long In, long Out, long Total)>();
        void Add(RunMetrics? m, string? fallbackModel, string? fallbackProvider)
        {
            long i = m?.InputTokens ?? 0, o = m?.OutputTokens ?? 0, t = m?.TotalTokens ?? 0;
            input += i;
            output += o;
            total += t;
            if (t == 0)
            {
                return;
            }

            var detail = m?.Details is { ValueKind: JsonValueKind.Object } details
                ? details.Deserialize(HostWireContext.Default.MetricsDetails)?.Model?.FirstOrDefault()
                : null;
            var key = (detail?.Id ?? fallbackModel ?? "unknown", detail?.Provider ?? fallbackProvider ?? "unknown");
            var current = perModel.GetValueOrDefault(key);
            perModel[key] = (current.In + i, current.Out + o, current.Total + t);
        }

        foreach (var run in runs)
        {
            var m = run.Metrics;
            if (m?.AdditionalProperties?.GetValueOrDefault(WorkflowStepsKey) is { ValueKind: JsonValueKind.Object } steps)
            {
                foreach (var (_, step) in steps.Deserialize(HostWireContext.Default.DictionaryStringStepMetricsBody) ?? [])
                {
                    Add(step?.Metrics, null, null);
                }
            }
            else
            {
                Add(m, run.Model, run.ModelProvider);
            }
        }

        var metrics = new RunMetrics { InputTokens = input, OutputTokens = output, TotalTokens = total };
        if (perModel.Count > 0)
        {
            metrics.Details = JsonSerializer.SerializeToElement(
                new MetricsDetails([.. perModel.Select(kv => new ModelMetricsDetail { InputTokens = kv.Value.In, OutputTokens = kv.Value.Out, TotalTokens = kv.Value.Total, Id = kv.Key.Item1, Provider = kv.Key.Item2 })]),
                HostWireContext.Default.MetricsDetails);
        }

        return (metrics, total);
    }

    /// <summary>A workflow run's per-step metrics, in its <c>metrics</c> (<see cref="WorkflowMetricsBody"/>).</summary>
    private const string WorkflowStepsKey = "steps";

    private static JsonObject Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
        => JsonSerializer.SerializeToNode(value, info)!.AsObject();
}
