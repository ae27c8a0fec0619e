using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Converts between AgentOS message dicts (what runs store) and Microsoft.Extensions.AI chat messages.</summary>
internal static class MessageMapper
{
    public static MessageBody System(string text, long now) => Base(text, "system", now);

    public static MessageBody User(string text, long now, JsonObject input)
    {
        var m = Base(text, "user", now);
        m.Images = Media(input, "images");
        m.Audio = Media(input, "audio");
        m.Videos = Media(input, "videos");
        m.Files = Media(input, "files");
        return m;
    }

    public static MessageBody Assistant(string? text, string? reasoning, List<ToolCallBody>? toolCalls, RunMetrics metrics, long now) => new()
    {
        Id = Wire.NewId(),
        Content = string.IsNullOrEmpty(text) ? null : JsonValue.Create(text),
        Role = "assistant",
        ReasoningContent = string.IsNullOrEmpty(reasoning) ? null : reasoning,
        ToolCalls = toolCalls is { Count: > 0 } ? toolCalls : null,
        Metrics = metrics,
        CreatedAt = now,
    };

    /// <summary>The partial answer of a cancelled run.</summary>
    public static MessageBody CancelledAssistant(string content, long now) => Base(content, "assistant", now);

    public static ToolCallBody ToolCall(string callId, string name, JsonObject args)
        => new(callId, "function", new ToolCallFunctionBody(name, args.ToJsonString(Wire.NodeOptions)));

    public static MessageBody Tool(string callId, string name, JsonObject args, string result, bool? error, long now)
    {
        var m = Base(result, "tool", now);
        m.ToolCallId = callId;
        m.ToolName = name;
        m.ToolArgs = (JsonObject)args.DeepClone();
        m.ToolCallError = error;
        return m;
    }

    /// <summary>
    /// Chat messages from stored message dicts. Tool calls that a paused run waits on come back as the request
    /// contents the chat client raised (<see cref="ToolApprovalRequestContent"/>, <see cref="AgnoInputRequestContent"/>).
    /// </summary>
    public static List<ChatMessage> ToChat(IEnumerable<MessageBody> messages, IReadOnlyList<PendingCall>? pending = null, bool skipSystem = true)
    {
        var result = new List<ChatMessage>();
        foreach (var m in messages)
        {
            string role = m.Role ?? "user";
            string? text = m.ContentText;
            switch (role)
            {
                case "system":
                    if (!skipSystem && text is not null)
                    {
                        result.Add(new ChatMessage(ChatRole.System, text));
                    }

                    break;
                case "user":
                {
                    var contents = new List<AIContent>();
                    if (text is not null)
                    {
                        contents.Add(new TextContent(text));
                    }

                    contents.AddRange(MediaInputs.ToContents(m.Images, m.Audio, m.Videos, m.Files));
                    result.Add(new ChatMessage(ChatRole.User, contents));
                    break;
                }

                case "assistant":
                {
                    var contents = new List<AIContent>();
                    if (m.ReasoningContent is { Length: > 0 } reasoning)
                    {
                        contents.Add(new TextReasoningContent(reasoning));
                    }

                    if (!string.IsNullOrEmpty(text))
                    {
                        contents.Add(new TextContent(text));
                    }

                    foreach (var call in m.ToolCalls ?? [])
                    {
                        string callId = call.Id ?? string.Empty;
                        string name = call.Function?.Name ?? string.Empty;
                        var args = ParseArguments(call.Function?.Arguments);
                        var fcc = new FunctionCallContent(callId, name, ArgumentsFromJson(args));
                        var wait = pending?.FirstOrDefault(p => p.CallId == callId);
                        contents.Add(wait switch
                        {
                            { Kind: PendingKind.Approval, RequestId: { } id } => new ToolApprovalRequestContent(id, fcc),
                            { Kind: PendingKind.Input, RequestId: { } id } => new AgnoInputRequestContent(id) { ToolCall = fcc, Fields = [.. Fields(wait.Fields)] },
                            _ => fcc,
                        });
                    }

                    if (contents.Count > 0)
                    {
                        result.Add(new ChatMessage(ChatRole.Assistant, contents));
                    }

                    break;
                }

                case "tool":
                    string resultCallId = m.ToolCallId ?? string.Empty;
                    if (pending?.Any(p => p.Kind == PendingKind.Member && p.CallId == resultCallId) != true)
                    {
                        result.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(resultCallId, text ?? string.Empty)]));
                    }

                    break;
                default:
                    if (text is not null)
                    {
                        result.Add(new ChatMessage(new ChatRole(role), text));
                    }

                    break;
            }
        }

        return result;
    }

    public static IEnumerable<UserInputField> Fields(JsonArray? fields)
    {
        foreach (var f in fields?.Deserialize(HostWireContext.Default.ListUserInputFieldBody) ?? [])
        {
            yield return new UserInputField
            {
                Name = f.Name ?? "value",
                FieldType = f.FieldType ?? "str",
                Description = f.Description,
                Value = f.Value,
            };
        }
    }

    /// <summary>The <c>user_input_schema</c> of a chat client's input request (a field without a name is called <c>value</c>).</summary>
    public static JsonArray FieldsJson(IEnumerable<UserInputField> fields)
        => FieldsJson(fields.Select(f => new UserInputFieldDefinition(string.IsNullOrWhiteSpace(f.Name) ? "value" : f.Name, string.IsNullOrWhiteSpace(f.FieldType) ? "str" : f.FieldType, f.Description) { Value = f.Value }));

    public static JsonArray FieldsJson(IEnumerable<UserInputFieldDefinition> fields, bool withRequired = false)
    {
        List<UserInputFieldBody> list = [.. fields.Select(f => new UserInputFieldBody(f.Name, f.FieldType, f.Description, f.Value?.DeepClone()) { Required = withRequired ? f.Required : null })];
        return JsonSerializer.SerializeToNode(list, HostWireContext.Default.ListUserInputFieldBody)!.AsArray();
    }

    public static JsonObject ParseArguments(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static JsonObject ArgumentsToJson(IDictionary<string, object?>? arguments)
    {
        var o = new JsonObject();
        if (arguments is null)
        {
            return o;
        }

        foreach (var (key, value) in arguments)
        {
            o[key] = value switch
            {
                null => null,
                JsonNode node => node.DeepClone(),
                JsonElement element => JsonNode.Parse(element.GetRawText()),
                string s => s,
                bool b => b,
                int i => i,
                long l => l,
                double d => d,
                _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
            };
        }

        return o;
    }

    public static Dictionary<string, object?> ArgumentsFromJson(JsonObject arguments)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in arguments)
        {
            d[key] = value is null ? null : JsonSerializer.SerializeToElement(value, HostJsonContext.Default.JsonNode);
        }

        return d;
    }

    /// <summary>A tool result as text (what AgentOS stores in <c>result</c> and the tool message).</summary>
    public static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        JsonElement e => e.GetRawText(),
        JsonNode n => Wire.AsText(n) ?? string.Empty,
        AIContent c => c.ToString() ?? string.Empty,
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };

    private static MessageBody Base(string text, string role, long now) => new()
    {
        Id = Wire.NewId(),
        Content = JsonValue.Create(text),
        Role = role,
        CreatedAt = now,
    };

    private static JsonArray? Media(JsonObject input, string key)
        => input.TryGetPropertyValue(key, out var node) && node is JsonArray { Count: > 0 } media ? (JsonArray)media.DeepClone() : null;
}

/// <summary>
/// A message of a run as AgentOS writes it (agno's <c>Message.to_dict()</c>, the fields the host sets, in agno's
/// order; unset ones left out). Fields the host does not model are kept as they were stored.
/// </summary>
internal sealed class MessageBody
{
    public string? Id { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Content { get; set; }

    public bool FromHistory { get; set; }

    public bool StopAfterToolCall { get; set; }

    public string? Role { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Images { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Audio { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Videos { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Files { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningContent { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ToolCallBody>? ToolCalls { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolCallId { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolName { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? ToolArgs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ToolCallError { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunMetrics? Metrics { get; set; }

    public long CreatedAt { get; set; }

    [JsonExtensionData]
    public JsonObject? AdditionalProperties { get; set; }

    /// <summary>The content as text: the string, or the JSON text of structured content.</summary>
    [JsonIgnore]
    public string? ContentText => Content switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue => null,
        _ => Content.ToJsonString(Wire.NodeOptions),
    };

    /// <summary>A message read back from a stored run.</summary>
    public static MessageBody From(JsonObject message) => message.Deserialize(HostWireContext.Default.MessageBody) ?? new MessageBody();
}

/// <summary>A tool call of an assistant message (<c>{"id", "type": "function", "function": {...}}</c>).</summary>
internal sealed record ToolCallBody(string? Id, string? Type, ToolCallFunctionBody? Function);

/// <summary>The function of a tool call: its name and its arguments as JSON text.</summary>
internal sealed record ToolCallFunctionBody(string? Name, string? Arguments);

/// <summary>A field of a <c>user_input_schema</c> as the host writes it.</summary>
internal sealed record UserInputFieldBody(string? Name, string? FieldType, string? Description, JsonNode? Value)
{
    /// <summary>Whether the field is required (workflow steps only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Required { get; init; }
}

/// <summary>Media of a run input (<c>images</c>, <c>audio</c>, <c>videos</c>, <c>files</c>) and their chat contents.</summary>
internal static class MediaInputs
{
    public static readonly string[] Keys = ["images", "audio", "videos", "files"];

    public static IEnumerable<AIContent> ToContents(JsonObject holder)
        => ToContents(holder.GetArray("images"), holder.GetArray("audio"), holder.GetArray("videos"), holder.GetArray("files"));

    public static IEnumerable<AIContent> ToContents(JsonArray? images, JsonArray? audio, JsonArray? videos, JsonArray? files)
    {
        JsonArray?[] arrays = [images, audio, videos, files];
        for (int i = 0; i < Keys.Length; i++)
        {
            string key = Keys[i];
            foreach (var item in arrays[i]?.OfType<JsonObject>() ?? [])
            {
                if (ToContent(key, item) is { } content)
                {
                    yield return content;
                }
            }
        }
    }

    private static AIContent? ToContent(string key, JsonObject item)
    {
        var media = item.Deserialize(HostWireContext.Default.MediaItemFields) ?? new(null, null, null, null, null);
        string mime = Text(media.MimeType) ?? (key == "images" ? "image/png" : "application/octet-stream");
        string? content = Text(media.Content);
        string? name = Text(media.Filename) ?? Text(media.Name);
        if (Text(media.Url) is { } url && content is null && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return new UriContent(uri, mime);
        }

        if (content is null)
        {
            return null;
        }

        byte[] bytes;
        if (key == "files" && IsText(mime))
        {
            bytes = Encoding.UTF8.GetBytes(content);
        }
        else
        {
            try
            {
                bytes = Convert.FromBase64String(content);
            }
            catch (FormatException)
            {
                bytes = Encoding.UTF8.GetBytes(content);
            }
        }

        return new DataContent(bytes, mime) { Name = name };
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static bool IsText(string mime)
        => mime.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
           || mime is "application/json" or "application/xml" or "application/x-yaml" or "application/yaml";
}

/// <summary>The fields of an input media item the host reads (read leniently: a field of another JSON type reads as absent).</summary>
internal sealed record MediaItemFields(JsonNode? MimeType, JsonNode? Content, JsonNode? Filename, JsonNode? Name, JsonNode? Url);
