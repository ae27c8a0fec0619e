using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Internal.AgnoGo;

/// <summary>Maps agno-go's wire shapes onto the library's models, and its requests from the library's.</summary>
internal static class AgnoGoMapping
{
    /// <summary>Usage as metrics; null when agno-go sent none (streams always send <c>{}</c>), so no zero usage is reported.</summary>
    public static RunMetrics? Metrics(GoUsage? usage, double? duration)
    {
        if (usage is null || (usage.PromptTokens is null && usage.CompletionTokens is null && usage.TotalTokens is null && usage.ReasoningTokens is null))
        {
            return null;
        }

        return new RunMetrics
        {
            InputTokens = usage.PromptTokens ?? 0,
            OutputTokens = usage.CompletionTokens ?? 0,
            TotalTokens = usage.TotalTokens ?? (usage.PromptTokens ?? 0) + (usage.CompletionTokens ?? 0),
            ReasoningTokens = usage.ReasoningTokens ?? 0,
            Duration = duration,
        };
    }

    public static AgentDetails Agent(GoAgent agent) => new()
    {
        Id = agent.Id,
        Name = agent.Name,
        AdditionalProperties = agent.AdditionalProperties,
    };

    public static AgentRunOutput RunOutput(GoRunResponse response, string agentId)
    {
        var metadata = response.Metadata;
        return new AgentRunOutput
        {
            RunId = response.RunId,
            Status = response.Status is { Length: > 0 } s ? new RunStatus(s) : RunStatus.Completed,
            Content = response.Content,
            SessionId = response.SessionId,
            AgentId = metadata?.AgentId ?? agentId,
            Metrics = Metrics(metadata?.Usage, null),
            ParentRunId = Text(metadata?.RunContext, "parent_run_id"),
            UserId = Text(metadata?.RunContext, "user_id"),
            Metadata = metadata is null ? null : MetadataObject(metadata),
            AdditionalProperties = response.AdditionalProperties,
        };
    }

    /// <summary>
    /// agno-go's metadata (agent_id, cache_hit, loops, usage, run_context, media and fields this library does not know)
    /// as an object, built from the decoded parts: nothing is encoded again (a string the server sent with a lone
    /// surrogate stays as received, as in every other JSON object of the library).
    /// </summary>
    private static JsonObject MetadataObject(GoRunMetadata m)
    {
        var o = new JsonObject();
        if (m.AgentId is not null) { o["agent_id"] = m.AgentId; }
        if (m.CacheHit is { } cacheHit) { o["cache_hit"] = cacheHit; }
        if (m.Loops is { } loops) { o["loops"] = loops; }
        if (m.Usage is { } u)
        {
            var usage = new JsonObject();
            if (u.PromptTokens is { } p) { usage["prompt_tokens"] = p; }
            if (u.CompletionTokens is { } c) { usage["completion_tokens"] = c; }
            if (u.TotalTokens is { } t) { usage["total_tokens"] = t; }
            if (u.ReasoningTokens is { } r) { usage["reasoning_tokens"] = r; }
            o["usage"] = usage;
        }

        if (m.RunContext is { } runContext) { o["run_context"] = runContext; }
        if (m.Media is { } media) { o["media"] = media; }
        foreach (var (name, value) in m.AdditionalProperties ?? [])
        {
            o[name] = value.ValueKind switch
            {
                JsonValueKind.Object => JsonObject.Create(value),
                JsonValueKind.Array => JsonArray.Create(value),
                JsonValueKind.Null => null,
                _ => JsonValue.Create(value),
            };
        }

        return o;
    }

    /// <summary>A string member of a JSON object; null when absent, not a string, or not readable as text.</summary>
    private static string? Text(JsonObject? o, string name)
    {
        try
        {
            return o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return null;
        }
    }

    public static SessionDetails Session(GoSession s) => new()
    {
        SessionId = s.SessionId,
        SessionName = s.Name,
        SessionState = s.State,
        Metadata = s.Metadata,
        UserId = s.UserId,
        AgentId = s.AgentId,
        TeamId = s.TeamId,
        WorkflowId = s.WorkflowId,
        SessionSummary = s.Summary,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        AdditionalProperties = Extra(s),
    };

    public static SessionInfo SessionInfo(GoSession s) => new()
    {
        SessionId = s.SessionId,
        SessionName = s.Name,
        SessionState = s.State,
        SessionType = s.TeamId is not null ? "team" : s.WorkflowId is not null ? "workflow" : "agent",
        Metadata = s.Metadata,
        UserId = s.UserId,
        AgentId = s.AgentId,
        TeamId = s.TeamId,
        WorkflowId = s.WorkflowId,
        SessionSummary = s.Summary,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        AdditionalProperties = Extra(s),
    };

    public static RunRecord Run(GoRunSummary run, string? sessionAgentId) => new()
    {
        RunId = run.RunId,
        AgentId = sessionAgentId,
        Status = run.Status is { Length: > 0 } s ? new RunStatus(s) : default,
        CreatedAt = run.StartedAt,
        AdditionalProperties = WithCompletedAt(run),
    };

    public static RunMessage Message(GoMessage m) => new()
    {
        Id = m.Id,
        Role = m.Role,
        Content = m.Content,
        Name = m.Name,
        ToolCallId = m.ToolCallId,
        ToolCalls = m.ToolCalls,
        ReasoningContent = m.ReasoningContent?.Content,
        AdditionalProperties = m.AdditionalProperties,
    };

    private static Dictionary<string, JsonElement>? WithCompletedAt(GoRunSummary run)
    {
        var extra = run.AdditionalProperties;
        if (run.CompletedAt is { } completed)
        {
            extra ??= new(StringComparer.Ordinal);
            extra["completed_at"] = JsonSerializer.SerializeToElement(completed.ToUnixTimeSeconds(), AgnoGoJsonContext.Default.Int64);
        }

        return extra;
    }

    /// <summary>agno-go's <c>run_count</c> and <c>runs</c>, and fields this library does not know, kept as sent.</summary>
    private static Dictionary<string, JsonElement>? Extra(GoSession s)
    {
        var extra = s.AdditionalProperties;
        if (s.RunCount is { } count)
        {
            extra ??= new(StringComparer.Ordinal);
            extra["run_count"] = JsonSerializer.SerializeToElement(count, AgnoGoJsonContext.Default.Int32);
        }

        if (s.Runs is { } runs)
        {
            extra ??= new(StringComparer.Ordinal);
            extra["runs"] = JsonSerializer.SerializeToElement(runs, AgnoGoJsonContext.Default.ListGoRunSummary);
        }

        return extra;
    }

    /// <summary>
    /// The JSON body of a run. Refuses (before anything is sent) what agno-go's run cannot carry: uploads, inline media
    /// bytes, session state, dependencies, knowledge filters, output schemas, factory input.
    /// </summary>
    public static GoRunRequest RunRequest(RunRequest request)
    {
        Refuse(request.FilesOrEmpty.Count > 0, "file uploads (RunRequest.Files)");
        Refuse(request.SessionState is not null, "session state on a run (RunRequest.SessionState)");
        Refuse(request.Dependencies is not null, "dependencies (RunRequest.Dependencies)");
        Refuse(request.KnowledgeFilters is not null, "knowledge filters (RunRequest.KnowledgeFilters)");
        Refuse(request.OutputSchema is not null, "output schemas (RunRequest.OutputSchema)");
        Refuse(request.FactoryInput is not null, "factory input (RunRequest.FactoryInput)");
        Refuse(request.Version is not null, "component versions (RunRequest.Version)");

        JsonArray? media = null;
        Add(ref media, request.ImagesOrEmpty, "image");
        Add(ref media, request.AudioOrEmpty, "audio");
        Add(ref media, request.VideosOrEmpty, "video");
        Add(ref media, request.InputFilesOrEmpty, "file");

        JsonObject? context = null;
        var go = request.AgnoGo;
        Put(ref context, "run_id", go?.RunId);
        Put(ref context, "parent_run_id", go?.ParentRunId);
        Put(ref context, "user_id", request.UserId);
        Put(ref context, "team_id", go?.TeamId);
        Put(ref context, "workflow_id", go?.WorkflowId);
        if (request.Metadata is { } metadata)
        {
            (context ??= [])["metadata"] = metadata.DeepClone();
        }

        if (go?.AdditionalRunContext is { } more)
        {
            foreach (var (name, value) in more)
            {
                (context ??= [])[name] = value?.DeepClone();
            }
        }

        Dictionary<string, JsonElement>? extra = null;
        foreach (var (name, value) in request.AdditionalFieldsOrEmpty)
        {
            if (name is "input" or "session_id" or "media" or "run_context" or "stream")
            {
                throw new ArgumentException($"RunRequest.AdditionalFields['{name}'] would replace a field the agno-go dialect writes itself; use the typed members.", nameof(request));
            }

            extra ??= new(StringComparer.Ordinal);
            extra[name] = value switch
            {
                null => JsonSerializer.SerializeToElement<JsonNode?>(null, AgentOSJsonContext.Default.JsonNode),
                JsonNode node => JsonSerializer.SerializeToElement(node, AgentOSJsonContext.Default.JsonNode),
                JsonElement element => element.Clone(),
                string s => JsonSerializer.SerializeToElement(s, AgnoGoJsonContext.Default.String),
                bool b => JsonSerializer.SerializeToElement(JsonValue.Create(b), AgentOSJsonContext.Default.JsonNode),
                int or long or double or float or decimal => JsonSerializer.SerializeToElement(JsonValue.Create(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)), AgentOSJsonContext.Default.JsonNode),
                _ => throw new ArgumentException($"RunRequest.AdditionalFields['{name}'] is a {value.GetType().Name}; the agno-go dialect sends strings, numbers, booleans and JSON nodes.", nameof(request)),
            };
        }

        return new GoRunRequest
        {
            Input = request.Message.Length == 0 ? null : request.Message,
            SessionId = request.SessionId,
            Media = media,
            RunContext = context,
            AdditionalFields = extra,
        };
    }

    private static void Refuse(bool condition, string what)
    {
        if (condition)
        {
            throw DialectState.NotSupported(what);
        }
    }

    private static void Put(ref JsonObject? target, string name, string? value)
    {
        if (value is not null)
        {
            (target ??= [])[name] = value;
        }
    }

    /// <summary>Media as agno-go's references: <c>{"type", "url" | "path", "content_type"?, "name"?}</c>; bytes cannot be sent.</summary>
    private static void Add(ref JsonArray? media, IReadOnlyList<MediaItem> items, string type)
    {
        foreach (var item in items)
        {
            Refuse(item.Content is not null || item.TextContent is not null, $"inline {type} content (agno-go takes media as a URL or a server path: MediaItem.FromUrl)");
            if (item.Url is not { } url)
            {
                throw new ArgumentException($"A {type} MediaItem for agno-go needs a Url (an http(s) URL, or a file: URL for a path on the server).");
            }

            var entry = new JsonObject { ["type"] = type };
            if (url.IsAbsoluteUri && url.IsFile)
            {
                entry["path"] = url.LocalPath;
            }
            else
            {
                entry["url"] = url.OriginalString;
            }

            if (item.MimeType is { } mime && !mime.Contains('*', StringComparison.Ordinal))
            {
                // a wildcard ("image/*", the media type of a URI whose type is unknown) is no content type
                entry["content_type"] = mime;
            }

            if (item.FileName is { } name)
            {
                entry["name"] = name;
            }

            (media ??= []).Add((JsonNode)entry);
        }
    }
}
