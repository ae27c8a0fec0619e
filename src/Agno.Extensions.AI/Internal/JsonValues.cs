using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>Conversions between the values callers put in MEAI bags and the JSON the protocol carries.</summary>
internal static class JsonValues
{
    /// <summary>A JSON object from a JsonObject, a JSON object JsonElement, JSON text or any serializable value (e.g. a dictionary).</summary>
    public static JsonObject? ToJsonObject(object? value, string key)
    {
        var node = ToJsonNode(value, key);
        return node switch
        {
            null => null,
            JsonObject o => o,
            _ => throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] must be a JSON object; got {node.GetValueKind()}."),
        };
    }

    /// <summary>A JSON node from a JsonNode, a JsonElement, JSON text or any serializable value.</summary>
    public static JsonNode? ToJsonNode(object? value, string key)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonNode node:
                return node.DeepClone();
            case JsonElement element:
                return element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText());
            case string text:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException ex)
                {
                    throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] is a string that is not JSON.", ex);
                }

            default:
                var typeInfo = AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType());
                return JsonSerializer.SerializeToNode(value, typeInfo);
        }
    }

    /// <summary>Tool arguments as the dictionary <see cref="FunctionCallContent"/> carries (values as JsonElement).</summary>
    public static Dictionary<string, object?>? ToArguments(JsonObject? args)
    {
        if (args is null)
        {
            return null;
        }

        var result = new Dictionary<string, object?>(args.Count, StringComparer.Ordinal);
        foreach (var (name, value) in args)
        {
            result[name] = value is null ? null : ToElement(value);
        }

        return result;
    }

    /// <summary>
    /// A function call with the server's arguments. Arguments the server sent but that cannot be read as text (a lone
    /// surrogate in a string) do not fail the response: the call carries no arguments and the reason in
    /// <see cref="FunctionCallContent.Exception"/>, as MEAI does for arguments it cannot parse.
    /// </summary>
    public static FunctionCallContent Call(string callId, string name, JsonObject? args, object? raw, bool informational = false)
    {
        FunctionCallContent call;
        try
        {
            call = new FunctionCallContent(callId, name, ToArguments(args));
        }
        catch (InvalidOperationException ex)
        {
            call = new FunctionCallContent(callId, name)
            {
                Exception = new InvalidDataException($"The server sent arguments of the call '{callId}' to '{name}' that are not valid text: {ex.Message}", ex),
            };
        }

        call.RawRepresentation = raw;
        call.InformationalOnly = informational;
        return call;
    }

    public static JsonElement ToElement(JsonNode node)
    {
        using var doc = JsonDocument.Parse(node.ToJsonString());
        return doc.RootElement.Clone();
    }

    /// <summary>The text of a function result as the server expects it (a tool result is a string).</summary>
    public static string ResultText(FunctionResultContent result)
    {
        switch (result.Result)
        {
            case null:
                return result.Exception is { } ex ? "Error: " + ex.Message : string.Empty;
            case string s:
                return s;
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return e.GetString() ?? string.Empty;
            case JsonElement e:
                return e.GetRawText();
            case JsonNode n:
                return n is JsonValue v && v.TryGetValue<string>(out var text) ? text : n.ToJsonString();
            case IFormattable f:
                return f.ToString(null, CultureInfo.InvariantCulture);
            default:
                var value = result.Result;
                return JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
    }
}
