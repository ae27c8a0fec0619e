using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// JSON for the gateway: writes the Agno.AgentOS client's public models and events back in AgentOS's wire form
/// (snake_case, nulls and zero token counts omitted, times as unix seconds), and reads continue payloads into them.
/// </summary>
internal static class RemoteJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static JsonNode? ToNode(object value) => JsonSerializer.SerializeToNode(value, Options.GetTypeInfo(value.GetType()));

    public static T? Deserialize<T>(string json) => (T?)JsonSerializer.Deserialize(json, Options.GetTypeInfo(typeof(T)));

    private static JsonSerializerOptions Create()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(OmitZeroTokenCounts);
        resolver.Modifiers.Add(KeepToolNulls);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new UnixSecondsConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>AgentOS writes every field of a tool execution and of a step output, nulls included.</summary>
    private static void KeepToolNulls(JsonTypeInfo info)
    {
        if (info.Type != typeof(ToolExecution) && info.Type != typeof(StepOutput))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            // A step output's nested "steps" is written only in StepOutput events (see WriteEvent).
            if (!property.IsExtensionData && property.Name != "steps")
            {
                property.ShouldSerialize = static (_, _) => true;
            }
        }
    }

    private static void OmitZeroTokenCounts(JsonTypeInfo info)
    {
        if (info.Type != typeof(RunMetrics))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.PropertyType == typeof(long))
            {
                property.ShouldSerialize = static (_, value) => value is long l && l != 0;
            }
        }
    }

    /// <summary>Reads unix seconds or ISO-8601; writes unix seconds (AgentOS's run and event times).</summary>
    private sealed class UnixSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetInt64(out long seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000d));
            }

            return DateTimeOffset.Parse(reader.GetString() ?? string.Empty, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
            => writer.WriteNumberValue(value.ToUnixTimeSeconds());
    }
}
