using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Internal;

/// <summary>What decoding untrusted JSON can throw besides <see cref="JsonException"/>.</summary>
internal static class JsonFailure
{
    /// <summary>
    /// True for the exceptions the serializer and the converters throw on bad data rather than on a bug of the caller:
    /// a malformed document (<see cref="JsonException"/>), invalid UTF-8 or a lone surrogate inside a string
    /// (<see cref="InvalidOperationException"/> from <see cref="Utf8JsonReader.GetString"/>), a value out of a type's
    /// range (<see cref="ArgumentOutOfRangeException"/>, <see cref="OverflowException"/>), a malformed number or guid
    /// (<see cref="FormatException"/>), a shape the type cannot hold (<see cref="NotSupportedException"/>).
    /// </summary>
    public static bool IsBadData(Exception ex)
        => ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException or NotSupportedException;

    /// <summary>
    /// True for a value the model cannot hold (a timestamp out of the range of dates): bad data, not a changed shape, so
    /// it is not decoded around (the tolerant decoding of <see cref="TolerantJson"/> leaves only fields of a changed shape out).
    /// </summary>
    public static bool IsValueError(Exception ex) => ex is JsonValueOutOfRangeException || ex.InnerException is JsonValueOutOfRangeException;
}

/// <summary>
/// Reads a content value: a JSON string becomes that string; any other JSON value (the object of a
/// structured output, a number, a list) becomes its raw JSON text. Writes the string back as a JSON string.
/// </summary>
internal sealed class ContentTextConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Reads a content value (the options are not used: the hand readers call this without any).</summary>
    internal static string? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // a large text: the same string as an identical one earlier in the answer (SharedTexts)
                return !reader.HasValueSequence && reader.ValueSpan.Length >= SharedTexts.MinBytes && SharedTexts.Current is { } shared
                    ? shared.GetString(ref reader)
                    : reader.GetString();
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                using (var doc = JsonDocument.ParseValue(ref reader))
                {
                    return doc.RootElement.GetRawText();
                }
            default:
                // numbers and booleans: their JSON text
                return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>
/// Timestamps: AgentOS sends run and event times as unix seconds (int or float) and session and memory
/// times as ISO-8601 strings. Both are read; written back as unix seconds.
/// </summary>
internal sealed class UnixOrIsoDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ReadValue(ref reader);

    internal static DateTimeOffset ReadValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out long seconds))
            {
                return seconds is >= MinUnixSeconds and <= MaxUnixSeconds
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : throw OutOfRange(seconds.ToString(CultureInfo.InvariantCulture));
            }

            return FromSeconds(reader.GetDouble());
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            string s = reader.GetString()!;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
            {
                return dto;
            }

            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double secs))
            {
                return FromSeconds(secs);
            }
        }

        throw new JsonException($"Expected a unix timestamp or an ISO-8601 date, got {reader.TokenType}.");
    }

    // DateTimeOffset's range in unix seconds (0001-01-01 to 9999-12-31)
    private const long MinUnixSeconds = -62135596800;
    private const long MaxUnixSeconds = 253402300799;

    private static DateTimeOffset FromSeconds(double seconds)
        => double.IsFinite(seconds) && seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000d))
            : throw OutOfRange(seconds.ToString("R", CultureInfo.InvariantCulture));

    private static JsonValueOutOfRangeException OutOfRange(string value)
        => new($"The timestamp {value} is outside the range of dates (unix seconds {MinUnixSeconds} to {MaxUnixSeconds}).");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.ToUnixTimeSeconds());
}

/// <summary>A value of the right JSON type outside the range the model can hold.</summary>
internal sealed class JsonValueOutOfRangeException(string message) : JsonException(message)
{
}

/// <summary>Reads like <see cref="UnixOrIsoDateTimeOffsetConverter"/>, writes ISO-8601 with microseconds (as agno does).</summary>
internal sealed class IsoDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => UnixOrIsoDateTimeOffsetConverter.ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
}

/// <summary>
/// <see cref="JsonObject"/> values as the serializer's own converter reads and writes them, except that an empty object
/// (<c>{}</c>: the <c>session_state</c> of most runs) becomes an empty <see cref="JsonObject"/> at once instead of being
/// parsed into a <see cref="JsonDocument"/> first.
/// </summary>
internal sealed class EmptyFastJsonObjectConverter : JsonConverter<JsonObject?>
{
    public override JsonObject? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => TryReadEmpty(ref reader, options.PropertyNameCaseInsensitive)
            ?? System.Text.Json.Serialization.Metadata.JsonMetadataServices.JsonObjectConverter.Read(ref reader, typeToConvert, options);

    /// <summary>
    /// An empty object (<c>{}</c>, the reader on its start) as the converter reads it with options of that case
    /// sensitivity, without the options themselves (the hand readers need no serializer options for it); null, the
    /// reader unmoved, for anything else.
    /// </summary>
    internal static JsonObject? TryReadEmpty(ref Utf8JsonReader reader, bool propertyNameCaseInsensitive)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var peek = reader;
            if (peek.Read() && peek.TokenType == JsonTokenType.EndObject)
            {
                reader.Read();
                return new JsonObject(propertyNameCaseInsensitive ? new JsonNodeOptions { PropertyNameCaseInsensitive = true } : null);
            }
        }

        return null;
    }

    public override void Write(Utf8JsonWriter writer, JsonObject? value, JsonSerializerOptions options)
        => System.Text.Json.Serialization.Metadata.JsonMetadataServices.JsonObjectConverter.Write(writer, value, options);
}
