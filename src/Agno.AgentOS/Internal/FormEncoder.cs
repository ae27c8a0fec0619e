using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Internal;

/// <summary>Encodes run, continue and resume requests as AgentOS reads them: form fields, JSON values as JSON text.</summary>
internal static class FormEncoder
{
    public static HttpContent EncodeRun(RunRequest request, bool stream, bool background)
    {
        if (request.IsPlain)
        {
            // the common run (a message, maybe a session and a user): the fields in the same order, in an array of their size
            var plain = new KeyValuePair<string, string>[2 + (background ? 1 : 0) + (request.SessionId is null ? 0 : 1) + (request.UserId is null ? 0 : 1)];
            int n = 0;
            plain[n++] = new("message", request.Message);
            plain[n++] = new("stream", stream ? "true" : "false");
            if (background) { plain[n++] = new("background", "true"); }
            if (request.SessionId is { } session) { plain[n++] = new("session_id", session); }
            if (request.UserId is { } user) { plain[n] = new("user_id", user); }
            return new FormUrlEncodedContent(plain);
        }

        var fields = new List<KeyValuePair<string, string>>(8)
        {
            new("message", request.Message),
            new("stream", stream ? "true" : "false"),
        };
        if (background) { fields.Add(new("background", "true")); }
        Add(fields, "session_id", request.SessionId);
        Add(fields, "user_id", request.UserId);
        Add(fields, "version", request.Version?.ToString(CultureInfo.InvariantCulture));
        AddJson(fields, "session_state", request.SessionState);
        AddJson(fields, "dependencies", request.Dependencies);
        AddJson(fields, "metadata", request.Metadata);
        AddJson(fields, "knowledge_filters", request.KnowledgeFilters);
        AddJson(fields, "output_schema", request.OutputSchema);
        AddBool(fields, "use_json_schema", request.UseJsonSchema);
        AddBool(fields, "stream_events", request.StreamEvents);
        AddBool(fields, "add_history_to_context", request.AddHistoryToContext);
        AddBool(fields, "add_dependencies_to_context", request.AddDependenciesToContext);
        AddBool(fields, "add_session_state_to_context", request.AddSessionStateToContext);
        AddJson(fields, "factory_input", request.FactoryInput);
        AddJson(fields, "additional_data", request.AdditionalData);
        AddMedia(fields, "images", request.ImagesOrEmpty);
        AddMedia(fields, "audio", request.AudioOrEmpty);
        AddMedia(fields, "videos", request.VideosOrEmpty);
        AddMedia(fields, "input_files", request.InputFilesOrEmpty);
        AddFilesMetadata(fields, request.FilesOrEmpty);
        AddExtras(fields, request.AdditionalFieldsOrEmpty);

        return request.FilesOrEmpty.Count == 0 ? new FormUrlEncodedContent(fields) : Multipart(fields, request.FilesOrEmpty);
    }

    public static HttpContent EncodeContinue(ContinueRunRequest request, ComponentKind kind, bool stream, bool background)
    {
        var fields = new List<KeyValuePair<string, string>>(6);
        switch (kind)
        {
            case ComponentKind.Agent when request.Mode == ContinueMode.AfterApproval:
                fields.Add(new("tools", string.Empty)); // agno applies the resolved approval when tools is empty
                break;
            case ComponentKind.Agent or ComponentKind.Team or ComponentKind.Workflow when request.Mode != ContinueMode.Answers:
                break; // after an approval (teams, workflows) or from a checkpoint: no answers
            case ComponentKind.Agent:
                fields.Add(new("tools", WithoutMediaReferences(JsonSerializer.Serialize(request.Tools as List<ToolExecution> ?? [.. request.Tools], AgentOSJsonContext.Default.ListToolExecution))));
                break;
            case ComponentKind.Team:
                fields.Add(new("requirements", WithoutMediaReferences(JsonSerializer.Serialize(request.Requirements as List<RunRequirement> ?? [.. request.Requirements], AgentOSJsonContext.Default.ListRunRequirement))));
                break;
            default:
                fields.Add(new("step_requirements", WithoutMediaReferences(JsonSerializer.Serialize(request.StepRequirements as List<StepRequirement> ?? [.. request.StepRequirements], AgentOSJsonContext.Default.ListStepRequirement))));
                break;
        }

        fields.Add(new("session_id", request.SessionId));
        Add(fields, "user_id", request.UserId);
        fields.Add(new("stream", stream ? "true" : "false"));
        if (background) { fields.Add(new("background", "true")); }
        AddExtras(fields, request.AdditionalFields);
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>
    /// What a paused run sent back (tools, requirements) may carry agno 3.x's <c>media_reference</c>s of
    /// offloaded media; the client never sends one (3.x strips them server-side too): they are removed.
    /// </summary>
    internal static string WithoutMediaReferences(string json)
    {
        if (!json.Contains("\"media_reference\"", StringComparison.Ordinal))
        {
            return json;
        }

        var node = JsonNode.Parse(json);
        Strip(node);
        return node?.ToJsonString() ?? json;

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    o.Remove("media_reference");
                    foreach (var (_, child) in o)
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    public static HttpContent EncodeResume(int? lastEventIndex, string? sessionId)
    {
        var fields = new List<KeyValuePair<string, string>>(2);
        if (lastEventIndex is { } i) { fields.Add(new("last_event_index", i.ToString(CultureInfo.InvariantCulture))); }
        Add(fields, "session_id", sessionId);
        return new FormUrlEncodedContent(fields);
    }

    private static MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> fields, IReadOnlyList<FileUpload> files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new StringContent(value);
            part.Headers.ContentType = null;
            content.Add(part, name);
        }

        foreach (var file in files)
        {
            if (file is null) { throw new ArgumentException("RunRequest.Files contains a null entry."); }
            var part = new ReadOnlyMemoryContent(file.Content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType);
            content.Add(part, "files", file.FileName);
        }

        return content;
    }

    private static void Add(List<KeyValuePair<string, string>> fields, string name, string? value)
    {
        if (value is not null) { fields.Add(new(name, value)); }
    }

    private static void AddBool(List<KeyValuePair<string, string>> fields, string name, bool? value)
    {
        if (value is { } b) { fields.Add(new(name, b ? "true" : "false")); }
    }

    private static void AddJson(List<KeyValuePair<string, string>> fields, string name, JsonNode? value)
    {
        if (value is not null) { fields.Add(new(name, value.ToJsonString())); }
    }

    private static void AddMedia(List<KeyValuePair<string, string>> fields, string name, IReadOnlyList<MediaItem> items)
    {
        if (items.Count == 0) { return; }
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add((JsonNode)(item?.ToJson() ?? throw new ArgumentException($"The {name} list contains a null entry.")));
        }

        fields.Add(new(name, array.ToJsonString()));
    }

    /// <summary><c>files_metadata</c>: the uploads' metadata by position (null for a file without), when any file has some.</summary>
    private static void AddFilesMetadata(List<KeyValuePair<string, string>> fields, IReadOnlyList<FileUpload> files)
    {
        if (!files.Any(f => f?.Metadata is not null)) { return; }
        var array = new JsonArray();
        foreach (var file in files)
        {
            array.Add(file?.Metadata?.DeepClone());
        }

        fields.Add(new("files_metadata", array.ToJsonString()));
    }

    private static void AddExtras(List<KeyValuePair<string, string>> fields, IEnumerable<KeyValuePair<string, object?>> extras)
    {
        if (extras is IReadOnlyCollection<KeyValuePair<string, object?>> { Count: 0 })
        {
            return;
        }

        foreach (var (name, value) in extras)
        {
            if (value is null) { continue; }
            if (fields.Exists(f => f.Key == name))
            {
                throw new ArgumentException($"The additional field '{name}' is already set by a typed property of the request; set it there.");
            }

            fields.Add(new(name, Format(name, value)));
        }
    }

    internal static string Format(string name, object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        JsonNode n => n.ToJsonString(),
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        Uri u => u.ToString(),
        Enum en => en.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"The additional field '{name}' has a value of type {value.GetType().Name}; use a string, a bool, a number or a JsonNode."),
    };
}

/// <summary>The three kinds of runnable components and their route segments.</summary>
internal enum ComponentKind
{
    Agent,
    Team,
    Workflow,
}

internal static class ComponentKindExtensions
{
    public static string Segment(this ComponentKind kind) => kind switch
    {
        ComponentKind.Agent => "agents",
        ComponentKind.Team => "teams",
        _ => "workflows",
    };

    public static EventScope Scope(this ComponentKind kind) => kind switch
    {
        ComponentKind.Agent => EventScope.Agent,
        ComponentKind.Team => EventScope.Team,
        _ => EventScope.Workflow,
    };
}
