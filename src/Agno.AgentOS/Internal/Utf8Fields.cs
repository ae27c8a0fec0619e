using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Internal;

/// <summary>
/// The field readers the hand readers share (<see cref="FastEventReader"/> for the events of a stream,
/// <see cref="RunOutputReader"/> for the answer of a non-streaming run): each kind of field is read here, in one place,
/// exactly as the serializer's contract reads it, or the reader gives up (false or null, the reader then anywhere in the
/// value) and its caller leaves the whole value to the serializer.
/// </summary>
/// <remarks>
/// <para>The value readers take the reader on the value's first token. Those that keep bytes as JSON take the data the
/// reader reads as <c>unchecked</c>: the event's bytes, which no one has checked as UTF-8 yet (<see cref="Utf8JsonReader"/>
/// does not look inside strings it does not decode), so the kept bytes are checked here as the serializer's caller checks
/// them; or an empty span when the whole body was checked first (a run output).</para>
/// <para>The names of an object are walked by <see cref="Next"/>, and a property seen twice is found by
/// <see cref="FirstTime"/>: the hand readers give up on both an escaped name and a duplicate (the serializer's rules).</para>
/// </remarks>
internal static class Utf8Fields
{
    private static readonly EmptyFastJsonObjectConverter ObjectConverter = new();

    /// <summary>What <see cref="Next"/> found.</summary>
    public enum Step : byte
    {
        /// <summary>A property name (not escaped): the reader is on it, its bytes are <see cref="Utf8JsonReader.ValueSpan"/>.</summary>
        Name,

        /// <summary>The object's end.</summary>
        End,

        /// <summary>An escaped name or the data's end: the hand reader gives up.</summary>
        GiveUp,
    }

    /// <summary>The fields of <see cref="RunMetrics"/> (read by <see cref="Metrics"/>).</summary>
    private enum MetricField : byte
    {
        Other,
        InputTokens,
        OutputTokens,
        TotalTokens,
        AudioInputTokens,
        AudioOutputTokens,
        AudioTotalTokens,
        CacheReadTokens,
        CacheWriteTokens,
        ReasoningTokens,
        Cost,
        TimeToFirstToken,
        Duration,
        Details,
        AdditionalMetrics,
    }

    /// <summary>Moves to the next property of the object being read (the reader on its start or after a value).</summary>
    public static Step Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return Step.GiveUp;
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return Step.End;
        }

        return reader.ValueIsEscaped ? Step.GiveUp : Step.Name; // the serializer unescapes names: left to it
    }

    /// <summary>Marks field <paramref name="index"/> (below 64) as seen; false when it was already (a duplicate, left to the serializer).</summary>
    public static bool FirstTime(ref ulong seen, int index)
    {
        ulong bit = 1UL << index;
        if ((seen & bit) != 0)
        {
            return false;
        }

        seen |= bit;
        return true;
    }

    /// <summary>A <see cref="string"/>? member: a string or null (any other token gives up: the serializer's error).</summary>
    public static bool StringOrNull(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = reader.GetString();
        return true;
    }

    /// <summary>A <see cref="bool"/>? member: true, false or null.</summary>
    public static bool BoolOrNull(ref Utf8JsonReader reader, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>An <see cref="int"/> member: a number in range (null, a fraction or a number in a string gives up).</summary>
    public static bool Int32(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    /// <summary>An <see cref="int"/>? member: null or a number in range.</summary>
    public static bool Int32OrNull(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (!Int32(ref reader, out int v))
        {
            return false;
        }

        value = v;
        return true;
    }

    /// <summary>A <see cref="long"/> member: a number in range (null, a fraction or a number in a string gives up).</summary>
    public static bool Int64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    /// <summary>A <see cref="long"/>? member: null or a number in range.</summary>
    public static bool Int64OrNull(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (!Int64(ref reader, out long v))
        {
            return false;
        }

        value = v;
        return true;
    }

    /// <summary>A <see cref="double"/>? member: null or a number.</summary>
    public static bool DoubleOrNull(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double v))
        {
            return false;
        }

        value = v;
        return true;
    }

    /// <summary>
    /// A <see cref="DateTimeOffset"/>? member through the options' converter (<see cref="UnixOrIsoDateTimeOffsetConverter"/>):
    /// null, unix seconds or a text; any other token gives up (the converter's error).
    /// </summary>
    public static bool TimeOrNull(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number or JsonTokenType.String:
                value = UnixOrIsoDateTimeOffsetConverter.ReadValue(ref reader);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A <see cref="JsonElement"/>? member: null for a JSON null, else the value as sent (its bytes checked as UTF-8 when
    /// <paramref name="unchecked"/> holds them).
    /// </summary>
    /// <exception cref="JsonException">The value's bytes are not valid UTF-8.</exception>
    public static JsonElement? ElementOrNull(ref Utf8JsonReader reader, ReadOnlySpan<byte> @unchecked)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        int start = (int)reader.TokenStartIndex;
        var element = JsonElement.ParseValue(ref reader);
        Check(@unchecked, start, ref reader);
        return element;
    }

    /// <summary>
    /// A <see cref="JsonObject"/>? member through the options' converter, as the serializer calls it: null or an object
    /// (any other token gives up: the converter's error); its bytes checked as UTF-8 when <paramref name="unchecked"/> holds them.
    /// </summary>
    /// <exception cref="JsonException">The value's bytes are not valid UTF-8.</exception>
    public static bool ObjectOrNull(ref Utf8JsonReader reader, ReadOnlySpan<byte> @unchecked, out JsonObject? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        // An empty object without the context's options (AgentOSJsonContext's names are case-sensitive): the usual
        // empty session state of a process's first run creates no serializer options.
        if (EmptyFastJsonObjectConverter.TryReadEmpty(ref reader, propertyNameCaseInsensitive: false) is { } empty)
        {
            value = empty;
            return true;
        }

        int start = (int)reader.TokenStartIndex;
        value = ObjectConverter.Read(ref reader, typeof(JsonObject), AgentOSJsonContext.Default.Options);
        Check(@unchecked, start, ref reader);
        return true;
    }

    /// <summary>
    /// A field the type does not model (the reader on its name): its value into the extension data, created on first use;
    /// false for a name already there (a duplicate, left to the serializer). The value's bytes are checked as UTF-8 when
    /// <paramref name="unchecked"/> holds them (the name is, as it is decoded).
    /// </summary>
    /// <exception cref="JsonException">The value's bytes are not valid UTF-8.</exception>
    public static bool Extension(ref Utf8JsonReader reader, ReadOnlySpan<byte> @unchecked, ref Dictionary<string, JsonElement>? extension)
    {
        string name = reader.GetString()!;
        if (!reader.Read())
        {
            return false;
        }

        extension ??= new Dictionary<string, JsonElement>();
        int start = (int)reader.TokenStartIndex;
        var value = JsonElement.ParseValue(ref reader);
        Check(@unchecked, start, ref reader);
        return extension.TryAdd(name, value);
    }

    /// <summary>
    /// Reads metrics (the reader on the object's start) as <see cref="RunMetrics"/>'s contract does, unknown fields into
    /// its extension data; null on a count that is null, not an integer or in a string, a duplicate, an escaped name.
    /// </summary>
    /// <exception cref="JsonException">A JSON value's bytes are not valid UTF-8 (checked when <paramref name="unchecked"/> holds them).</exception>
    public static RunMetrics? Metrics(ref Utf8JsonReader reader, ReadOnlySpan<byte> @unchecked)
    {
        var metrics = new RunMetrics();
        ulong seen = 0;
        while (true)
        {
            switch (Next(ref reader))
            {
                case Step.End:
                    return metrics;
                case Step.GiveUp:
                    return null;
            }

            var field = MetricOf(reader.ValueSpan);
            if (field == MetricField.Other)
            {
                var extension = metrics.AdditionalProperties;
                if (!Extension(ref reader, @unchecked, ref extension))
                {
                    return null;
                }

                metrics.AdditionalProperties = extension;
                continue;
            }

            if (!FirstTime(ref seen, (int)field) || !reader.Read())
            {
                return null;
            }

            switch (field)
            {
                case MetricField.Details:
                    metrics.Details = ElementOrNull(ref reader, @unchecked);
                    continue;
                case MetricField.AdditionalMetrics:
                    metrics.AdditionalMetrics = ElementOrNull(ref reader, @unchecked);
                    continue;
                case MetricField.Cost or MetricField.TimeToFirstToken or MetricField.Duration:
                    if (!DoubleOrNull(ref reader, out double? seconds))
                    {
                        return null;
                    }

                    switch (field)
                    {
                        case MetricField.Cost: metrics.Cost = seconds; break;
                        case MetricField.TimeToFirstToken: metrics.TimeToFirstToken = seconds; break;
                        default: metrics.Duration = seconds; break;
                    }

                    continue;
            }

            if (!Int64(ref reader, out long count))
            {
                return null; // null for a count (not nullable), a fraction, a number in a string: the serializer's
            }

            switch (field)
            {
                case MetricField.InputTokens: metrics.InputTokens = count; break;
                case MetricField.OutputTokens: metrics.OutputTokens = count; break;
                case MetricField.TotalTokens: metrics.TotalTokens = count; break;
                case MetricField.AudioInputTokens: metrics.AudioInputTokens = count; break;
                case MetricField.AudioOutputTokens: metrics.AudioOutputTokens = count; break;
                case MetricField.AudioTotalTokens: metrics.AudioTotalTokens = count; break;
                case MetricField.CacheReadTokens: metrics.CacheReadTokens = count; break;
                case MetricField.CacheWriteTokens: metrics.CacheWriteTokens = count; break;
                default: metrics.ReasoningTokens = count; break;
            }
        }
    }

    /// <summary>Checks bytes the serializer's caller would have checked as UTF-8.</summary>
    /// <exception cref="JsonException">They are not valid UTF-8.</exception>
    public static void CheckUtf8(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new JsonException("The data is not valid UTF-8.");
        }
    }

    /// <summary>Checks the bytes of the value just read (from <paramref name="start"/>) when the data is not checked yet.</summary>
    private static void Check(ReadOnlySpan<byte> @unchecked, int start, ref Utf8JsonReader reader)
    {
        if (!@unchecked.IsEmpty)
        {
            CheckUtf8(@unchecked[start..(int)reader.BytesConsumed]);
        }
    }

    private static MetricField MetricOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("cost"u8) => MetricField.Cost,
        7 when name.SequenceEqual("details"u8) => MetricField.Details,
        8 when name.SequenceEqual("duration"u8) => MetricField.Duration,
        12 when name.SequenceEqual("input_tokens"u8) => MetricField.InputTokens,
        12 when name.SequenceEqual("total_tokens"u8) => MetricField.TotalTokens,
        13 when name.SequenceEqual("output_tokens"u8) => MetricField.OutputTokens,
        16 when name.SequenceEqual("reasoning_tokens"u8) => MetricField.ReasoningTokens,
        17 when name.SequenceEqual("cache_read_tokens"u8) => MetricField.CacheReadTokens,
        18 when name.SequenceEqual("cache_write_tokens"u8) => MetricField.CacheWriteTokens,
        18 when name.SequenceEqual("audio_input_tokens"u8) => MetricField.AudioInputTokens,
        18 when name.SequenceEqual("audio_total_tokens"u8) => MetricField.AudioTotalTokens,
        18 when name.SequenceEqual("additional_metrics"u8) => MetricField.AdditionalMetrics,
        19 when name.SequenceEqual("audio_output_tokens"u8) => MetricField.AudioOutputTokens,
        19 when name.SequenceEqual("time_to_first_token"u8) => MetricField.TimeToFirstToken,
        _ => MetricField.Other,
    };
}
