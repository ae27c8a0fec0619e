using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Internal;

/// <summary>Conversions between MEAI content values and the JSON the protocol carries.</summary>
internal static class JsonValues
{
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
