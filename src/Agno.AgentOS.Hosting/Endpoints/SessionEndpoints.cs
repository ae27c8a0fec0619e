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
        var data = Wire.ToArray(result.Sessions.Select(SessionSchema));
        await Wire.WriteJsonAsync(context, new JsonObject
        {
            ["data"] = data,
            ["meta"] = new JsonObject
            {
                ["page"] = page,
                ["limit"] = limit,
                ["total_pages"] = (result.TotalCount + limit - 1) / limit,
                ["total_count"] = result.TotalCount,
                ["search_time_ms"] = Math.Round(elapsed, 2),
            },
        }).ConfigureAwait(false);
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

        var body = read.Body ?? [];
        string sessionId = body.GetString("session_id") ?? Wire.NewId();
        string? component = body.GetString(type + "_id");
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
                UserId = AgentOSCaller.Of(context)?.ScopedUserId ?? body.GetString("user_id"),
                SessionName = body.GetString("session_name"),
                SessionState = (JsonObject?)body.GetObject("session_state")?.DeepClone(),
                Metadata = (JsonObject?)body.GetObject("metadata")?.DeepClone(),
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
        string name = string.Empty;
        if (errors.Count == 0)
        {
            if (read.Body is null || !read.Body.ContainsKey("session_name"))
            {
                errors.Add(Wire.MissingField("body", "session_name"));
            }
            else if (read.Body.GetString("session_name") is { } given && read.Body["session_name"]!.GetValueKind() == JsonValueKind.String)
            {
                name = given;
            }
            else
            {
                errors.Add(JsonBody.NotAString("session_name", read.Body["session_name"]));
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

        var body = read.Body ?? [];
        await UpdateAsync(context, runtime, errors, session =>
        {
            if (body.GetString("session_name") is { } name)
            {
                session.SessionName = name;
            }

            if (body.GetObject("session_state") is { } state)
            {
                session.SessionState = (JsonObject)state.DeepClone();
            }

            if (body.GetObject("metadata") is { } metadata)
            {
                session.Metadata = (JsonObject)metadata.DeepClone();
            }

            if (body["summary"] is { } summary)
            {
                session.Summary = summary.DeepClone();
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
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var ids = body.GetArray("session_ids");
        var types = body.GetArray("session_types");
        if (ids is null)
        {
            await Wire.WriteValidationAsync(context, Wire.MissingField("body", "session_ids")).ConfigureAwait(false);
            return;
        }

        if (types is not null && types.Count != ids.Count)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "Session IDs and session types must have the same length").ConfigureAwait(false);
            return;
        }

        string? userId = context.Query("user_id");
        foreach (var id in ids.Select(Wire.AsText).OfType<string>())
        {
            await DeleteOneAsync(runtime, id, userId, context.RequestAborted).ConfigureAwait(false);
        }

        NoContent(context);
    }

    /// <summary>Deletes a session, only the user's own when a user is given (AgentOS answers 204 either way).</summary>
    private static async Task DeleteOneAsync(AgentOSRuntime runtime, string sessionId, string? userId, CancellationToken cancellationToken)
    {
        var held = await runtime.Gate.EnterAsync(sessionId, cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (userId is not null)
            {
                var session = await runtime.Store.GetSessionAsync(sessionId, includeRuns: false, cancellationToken).ConfigureAwait(false);
                if (session is null || !AgentOSRuntime.VisibleTo(session, userId))
                {
                    return;
                }
            }

            await runtime.Store.DeleteSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
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
            long created = output.GetLong("created_at") ?? 0;
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
        var run = StoredRuns(session).FirstOrDefault(r => r.GetString("run_id") == runId);
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
    internal static IEnumerable<JsonObject> StoredRuns(AgentOSSession session)
    {
        foreach (var run in session.Runs)
        {
            if (session.SessionType == AgentOSSessionTypes.Team)
            {
                foreach (var member in MemberRuns(run.Output))
                {
                    yield return member;
                }
            }

            yield return run.Output;
        }
    }

    private static IEnumerable<JsonObject> MemberRuns(JsonObject output)
    {
        foreach (var member in output.GetArray("member_responses")?.OfType<JsonObject>() ?? [])
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

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0)
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void NoContent(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentType = Wire.JsonContentType;
    }

    /// <summary>A session in <c>GET /sessions</c> (AgentOS's <c>SessionSchema</c>, nulls omitted), from its summary.</summary>
    private static JsonObject SessionSchema(AgentOSSessionSummary listed)
    {
        var session = listed.Session;
        var o = new JsonObject
        {
            ["session_id"] = session.SessionId,
            ["session_name"] = session.SessionName ?? string.Empty,
        };
        if (session.SessionState is not null) { o["session_state"] = session.SessionState.DeepClone(); }
        o["created_at"] = Wire.IsoSeconds(session.CreatedAt);
        o["updated_at"] = Wire.IsoSeconds(session.UpdatedAt);
        o["session_type"] = session.SessionType;
        if (session.UserId is not null) { o["user_id"] = session.UserId; }
        if (session.ComponentId is not null) { o[session.SessionType + "_id"] = session.ComponentId; }
        if (session.Summary is not null) { o["session_summary"] = session.Summary.DeepClone(); }
        var (metrics, total) = Metrics(listed.Runs);
        if (metrics is not null)
        {
            o["metrics"] = metrics;
            o["total_tokens"] = total;
        }

        if (session.Metadata is not null) { o["metadata"] = session.Metadata.DeepClone(); }
        else if (session.SessionType == AgentOSSessionTypes.Workflow && listed.Runs.Count > 0) { o["metadata"] = new JsonObject(); }
        return o;
    }

    /// <summary>A session's detail (AgentOS's agent, team or workflow session detail schema).</summary>
    private static JsonObject Detail(AgentOSSession session, AgentOSRuntime runtime, bool keepNulls)
    {
        var (metrics, total) = Metrics(session.Runs.ConvertAll(r => r.Output));
        JsonObject o;
        switch (session.SessionType)
        {
            case AgentOSSessionTypes.Team:
                o = new JsonObject
                {
                    ["session_id"] = session.SessionId,
                    ["session_name"] = session.SessionName,
                    ["session_summary"] = session.Summary?.DeepClone(),
                    ["user_id"] = session.UserId,
                    ["team_id"] = session.ComponentId,
                    ["session_state"] = session.SessionState?.DeepClone(),
                    ["metrics"] = metrics ?? new JsonObject(),
                    ["team_data"] = ComponentData(session, runtime),
                    ["metadata"] = session.Metadata?.DeepClone(),
                    ["chat_history"] = ChatHistory(session),
                    ["created_at"] = Wire.IsoSeconds(session.CreatedAt),
                    ["updated_at"] = Wire.IsoSeconds(session.UpdatedAt),
                    ["total_tokens"] = total,
                };
                break;
            case AgentOSSessionTypes.Workflow:
                o = new JsonObject
                {
                    ["workflow_id"] = session.ComponentId,
                    ["user_id"] = session.UserId,
                    ["session_id"] = session.SessionId,
                    ["session_name"] = session.SessionName,
                    ["session_summary"] = session.Summary?.DeepClone(),
                    ["session_data"] = new JsonObject
                    {
                        ["session_state"] = session.SessionState?.DeepClone() ?? new JsonObject(),
                        ["session_metrics"] = metrics ?? new JsonObject(),
                    },
                    ["session_state"] = session.SessionState?.DeepClone(),
                    ["workflow_data"] = ComponentData(session, runtime),
                    ["metadata"] = session.Metadata?.DeepClone() ?? (session.Runs.Count > 0 ? new JsonObject() : null),
                    ["created_at"] = Wire.IsoSeconds(session.CreatedAt),
                    ["updated_at"] = Wire.IsoSeconds(session.UpdatedAt),
                };
                break;
            default:
                o = new JsonObject
                {
                    ["user_id"] = session.UserId,
                    ["agent_session_id"] = session.SessionId,
                    ["session_id"] = session.SessionId,
                    ["session_name"] = session.SessionName,
                    ["session_summary"] = session.Summary?.DeepClone(),
                    ["session_state"] = session.SessionState?.DeepClone(),
                    ["agent_id"] = session.ComponentId,
                    ["total_tokens"] = total,
                    ["agent_data"] = ComponentData(session, runtime),
                    ["metrics"] = metrics ?? new JsonObject(),
                    ["metadata"] = session.Metadata?.DeepClone(),
                    ["chat_history"] = ChatHistory(session),
                    ["created_at"] = Wire.IsoSeconds(session.CreatedAt),
                    ["updated_at"] = Wire.IsoSeconds(session.UpdatedAt),
                };
                break;
        }

        if (!keepNulls)
        {
            foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
            {
                o.Remove(key);
            }
        }

        return o;
    }

    private static JsonObject? ComponentData(AgentOSSession session, AgentOSRuntime runtime)
    {
        if (session.Runs.Count == 0 || session.ComponentId is null)
        {
            return null;
        }

        switch (session.SessionType)
        {
            case AgentOSSessionTypes.Workflow:
                var workflow = runtime.Registry.Find(ComponentKind.Workflow, session.ComponentId)?.Workflow;
                return new JsonObject
                {
                    ["workflow_id"] = session.ComponentId,
                    ["name"] = workflow?.Name ?? session.ComponentId,
                    ["steps"] = Wire.ToArray((workflow?.Steps ?? []).Select(s => (JsonNode?)new JsonObject
                    {
                        ["name"] = s.Name,
                        ["description"] = s.Description,
                        ["type"] = "Step",
                    })),
                };
            default:
                var last = session.Runs[^1].Output;
                bool team = session.SessionType == AgentOSSessionTypes.Team;
                var entry = runtime.Registry.Find(team ? ComponentKind.Team : ComponentKind.Agent, session.ComponentId);
                string name = team ? last.GetString("team_name") ?? session.ComponentId : last.GetString("agent_name") ?? session.ComponentId;
                string modelClass = entry?.Agent?.ChatClient is { } c ? ChatSpec.ModelClassName(c) : entry?.Team?.Leader is { } l ? ChatSpec.ModelClassName(l) : "Model";
                return new JsonObject
                {
                    ["name"] = name,
                    [team ? "team_id" : "agent_id"] = session.ComponentId,
                    ["model"] = new JsonObject
                    {
                        ["id"] = last.GetString("model"),
                        ["provider"] = last.GetString("model_provider"),
                        ["name"] = modelClass,
                    },
                };
        }
    }

    private static JsonArray ChatHistory(AgentOSSession session)
    {
        var history = new JsonArray();
        foreach (var run in session.Runs)
        {
            foreach (var m in run.Output.GetArray("messages")?.OfType<JsonObject>() ?? [])
            {
                if (m.GetString("role") is "user" or "assistant" && m.GetBool("from_history") != true)
                {
                    history.Add(m.DeepClone());
                }
            }
        }

        return history;
    }

    /// <summary>
    /// The session's summed metrics (<c>null</c> when it has no run) and total tokens, from its runs' outputs or
    /// summaries (<see cref="AgentOSStoredRun.ToSummary"/>: both have the <c>metrics</c>, <c>model</c> and <c>model_provider</c>).
    /// </summary>
    private static (JsonObject? Metrics, long? Total) Metrics(IReadOnlyList<JsonObject> runs)
    {
        if (runs.Count == 0)
        {
            return (null, null);
        }

        long input = 0, output = 0, total = 0;
        var perModel = new Dictionary<(string, string), (long In, long Out, long Total)>();
        void Add(JsonObject? m, string? fallbackModel, string? fallbackProvider)
        {
            long i = m.GetLong("input_tokens") ?? 0, o = m.GetLong("output_tokens") ?? 0, t = m.GetLong("total_tokens") ?? 0;
            input += i;
            output += o;
            total += t;
            if (t == 0)
            {
                return;
            }

            var detail = m.GetObject("details")?.GetArray("model")?.OfType<JsonObject>().FirstOrDefault();
            var key = (detail.GetString("id") ?? fallbackModel ?? "unknown", detail.GetString("provider") ?? fallbackProvider ?? "unknown");
            var current = perModel.GetValueOrDefault(key);
            perModel[key] = (current.In + i, current.Out + o, current.Total + t);
        }

        foreach (var run in runs)
        {
            var m = run.GetObject("metrics");
            if (m.GetObject("steps") is { } steps)
            {
                foreach (var (_, step) in steps)
                {
                    Add(step.GetObject("metrics"), null, null);
                }
            }
            else
            {
                Add(m, run.GetString("model"), run.GetString("model_provider"));
            }
        }

        var metrics = new JsonObject();
        if (input > 0) { metrics["input_tokens"] = input; }
        if (output > 0) { metrics["output_tokens"] = output; }
        if (total > 0) { metrics["total_tokens"] = total; }
        if (perModel.Count > 0)
        {
            metrics["details"] = new JsonObject
            {
                ["model"] = Wire.ToArray(perModel.Select(kv => (JsonNode?)new JsonObject
                {
                    ["input_tokens"] = kv.Value.In,
                    ["output_tokens"] = kv.Value.Out,
                    ["total_tokens"] = kv.Value.Total,
                    ["id"] = kv.Key.Item1,
                    ["provider"] = kv.Key.Item2,
                })),
            };
        }

        return (metrics, total);
    }
}
