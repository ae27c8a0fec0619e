using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Converts between AgentOS message dicts (what runs store) and Microsoft.Extensions.AI chat messages.</summary>
internal static class MessageMapper
{
    public static JsonObject System(string text, long now) => Base(text, "system", now);

    public static JsonObject User(string text, long now, JsonObject input)
    {
        var m = new JsonObject
        {
            ["id"] = Wire.NewId(),
            ["content"] = text,
            ["from_history"] = false,
            ["stop_after_tool_call"] = false,
            ["role"] = "user",
        };
        foreach (var key in MediaInputs.Keys)
        {
            if (input.GetArray(key) is { Count: > 0 } media)
            {
                m[key] = media.DeepClone();
            }
        }

        m["created_at"] = now;
        return m;
    }

    public static JsonObject Assistant(string? text, string? reasoning, JsonArray? toolCalls, JsonObject metrics, long now)
    {
        var m = new JsonObject { ["id"] = Wire.NewId() };
        if (!string.IsNullOrEmpty(text))
        {
            m["content"] = text;
        }

        m["from_history"] = false;
        m["stop_after_tool_call"] = false;
        m["role"] = "assistant";
        if (!string.IsNullOrEmpty(reasoning))
        {
            m["reasoning_content"] = reasoning;
        }

        if (toolCalls is { Count: > 0 })
        {
            m["tool_calls"] = toolCalls;
        }

        m["metrics"] = metrics;
        m["created_at"] = now;
        return m;
    }

    public static JsonObject ToolCall(string callId, string name, JsonObject args) => new()
    {
        ["id"] = callId,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = name, ["arguments"] = args.ToJsonString(Wire.NodeOptions) },
    };

    public static JsonObject Tool(string callId, string name, JsonObject args, string result, bool? error, long now)
    {
        var m = new JsonObject
        {
            ["id"] = Wire.NewId(),
            ["content"] = result,
            ["from_history"] = false,
            ["stop_after_tool_call"] = false,
            ["role"] = "tool",
            ["tool_call_id"] = callId,
            ["tool_name"] = name,
            ["tool_args"] = args.DeepClone(),
        };
        if (error is not null)
        {
            m["tool_call_error"] = error;
        }

        m["created_at"] = now;
        return m;
    }

    public static JsonObject AsHistory(JsonObject message)
    {
        var copy = (JsonObject)message.DeepClone();
        copy["from_history"] = true;
        return copy;
    }

    /// <summary>
    /// Chat messages from stored message dicts. Tool calls that a paused run waits on come back as the request
    /// contents the chat client raised (<see cref="ToolApprovalRequestContent"/>, <see cref="AgnoInputRequestContent"/>).
    /// </summary>
    public static List<ChatMessage> ToChat(IEnumerable<JsonObject> messages, IReadOnlyList<PendingCall>? pending = null, bool skipSystem = true)
    {
        var result = new List<ChatMessage>();
        foreach (var m in messages)
        {
            string role = m.GetString("role") ?? "user";
            string? text = m.GetString("content") ?? (m["content"] is JsonNode n && n is not JsonValue ? n.ToJsonString(Wire.NodeOptions) : null);
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

                    contents.AddRange(MediaInputs.ToContents(m));
                    result.Add(new ChatMessage(ChatRole.User, contents));
                    break;
                }

                case "assistant":
                {
                    var contents = new List<AIContent>();
                    if (m.GetString("reasoning_content") is { Length: > 0 } reasoning)
                    {
                        contents.Add(new TextReasoningContent(reasoning));
                    }

                    if (!string.IsNullOrEmpty(text))
                    {
                        contents.Add(new TextContent(text));
                    }

                    foreach (var call in m.GetArray("tool_calls")?.OfType<JsonObject>() ?? [])
                    {
                        string callId = call.GetString("id") ?? string.Empty;
                        var function = call.GetObject("function");
                        string name = function.GetString("name") ?? string.Empty;
                        var args = ParseArguments(function.GetString("arguments"));
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
                    string resultCallId = m.GetString("tool_call_id") ?? string.Empty;
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
        foreach (var f in fields?.OfType<JsonObject>() ?? [])
        {
            yield return new UserInputField
            {
                Name = f.GetString("name") ?? "value",
                FieldType = f.GetString("field_type") ?? "str",
                Description = f.GetString("description"),
                Value = f["value"]?.DeepClone(),
            };
        }
    }

    /// <summary>The <c>user_input_schema</c> of a chat client's input request (a field without a name is called <c>value</c>).</summary>
    public static JsonArray FieldsJson(IEnumerable<UserInputField> fields)
        => FieldsJson(fields.Select(f => new UserInputFieldDefinition(string.IsNullOrWhiteSpace(f.Name) ? "value" : f.Name, string.IsNullOrWhiteSpace(f.FieldType) ? "str" : f.FieldType, f.Description) { Value = f.Value }));

    public static JsonArray FieldsJson(IEnumerable<UserInputFieldDefinition> fields, bool withRequired = false)
    {
        var array = new JsonArray();
        foreach (var f in fields)
        {
            var o = new JsonObject
            {
                ["name"] = f.Name,
                ["field_type"] = f.FieldType,
                ["description"] = f.Description,
                ["value"] = f.Value?.DeepClone(),
            };
            if (withRequired)
            {
                o["required"] = f.Required;
            }

            array.Add(o);
        }

        return array;
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

    private static JsonObject Base(string text, string role, long now) => new()
    {
        ["id"] = Wire.NewId(),
        ["content"] = text,
        ["from_history"] = false,
        ["stop_after_tool_call"] = false,
        ["role"] = role,
        ["created_at"] = now,
    };
}

/// <summary>Media of a run input (<c>images</c>, <c>audio</c>, <c>videos</c>, <c>files</c>) and their chat contents.</summary>
internal static class MediaInputs
{
    public static readonly string[] Keys = ["images", "audio", "videos", "files"];

    public static IEnumerable<AIContent> ToContents(JsonObject holder)
    {
        foreach (var key in Keys)
        {
            foreach (var item in holder.GetArray(key)?.OfType<JsonObject>() ?? [])
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
        string mime = item.GetString("mime_type") ?? (key == "images" ? "image/png" : "application/octet-stream");
        string? content = item.GetString("content");
        string? name = item.GetString("filename") ?? item.GetString("name");
        if (item.GetString("url") is { } url && content is null && Uri.TryCreate(url, UriKind.Absolute, out var uri))
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

    public static bool IsText(string mime)
        => mime.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
           || mime is "application/json" or "application/xml" or "application/x-yaml" or "application/yaml";
}
