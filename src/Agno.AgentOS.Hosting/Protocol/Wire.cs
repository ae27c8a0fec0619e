using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Small helpers for the AgentOS wire format: timestamps, ids, JSON responses and error bodies.</summary>
internal static class Wire
{
    /// <summary>Writer options: compact, UTF-8 text kept as is (as FastAPI's <c>ensure_ascii=False</c>).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializer options for <see cref="JsonNode"/> text.</summary>
    public static readonly JsonSerializerOptions NodeOptions = new(HostJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string JsonContentType = "application/json";
    public const string EventStreamContentType = "text/event-stream; charset=utf-8";

    public static string NewId() => Guid.NewGuid().ToString();

    public static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();

    /// <summary>Session and memory times: <c>2026-11-21T23:57:50Z</c>.</summary>
    public static string IsoSeconds(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Health time: <c>2026-11-21T23:57:44.734084Z</c>.</summary>
    public static string IsoMicrosZ(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Requirement time: <c>2026-11-21T23:57:51.537055+00:00</c>.</summary>
    public static string IsoMicrosOffset(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    public static string? GetString(this JsonNode? node, string name)
        => node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue(out string? s) ? s : null;

    public static bool? GetBool(this JsonNode? node, string name)
        => node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue(out bool b) ? b : null;

    public static long? GetLong(this JsonNode? node, string name)
        => node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value ? AsLong(value) : null;

    /// <summary>A JSON number as a long, whatever CLR type the value was created from.</summary>
    public static long? AsLong(JsonValue value)
    {
        if (value.TryGetValue(out long l)) { return l; }
        if (value.TryGetValue(out int i)) { return i; }
        if (value.TryGetValue(out double d)) { return (long)d; }
        if (value.TryGetValue(out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long el)) { return el; }
        return null;
    }

    /// <summary>A JSON number as a double, whatever CLR type the value was created from.</summary>
    public static double? AsDouble(JsonNode? node)
    {
        if (node is not JsonValue value) { return null; }
        if (value.TryGetValue(out double d)) { return d; }
        if (value.TryGetValue(out long l)) { return l; }
        if (value.TryGetValue(out int i)) { return i; }
        if (value.TryGetValue(out JsonElement e) && e.ValueKind == JsonValueKind.Number) { return e.GetDouble(); }
        return null;
    }

    public static JsonObject? GetObject(this JsonNode? node, string name)
        => node is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v as JsonObject : null;

    public static JsonArray? GetArray(this JsonNode? node, string name)
        => node is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v as JsonArray : null;

    /// <summary>Text of a JSON value as a tool result or content: strings as they are, anything else as JSON.</summary>
    public static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(NodeOptions),
    };

    public static JsonArray ToArray(IEnumerable<JsonNode?> items)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add(item);
        }

        return array;
    }

    public static async Task WriteJsonAsync(HttpContext context, JsonNode? body, int statusCode = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            if (body is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                body.WriteTo(writer);
            }

            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a typed body with its source-generated metadata.</summary>
    public static async Task WriteJsonAsync<T>(HttpContext context, T body, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            JsonSerializer.Serialize(writer, body, typeInfo);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a typed body that may be large (a run's output) with its length: serialized once into pooled segments,
    /// then sent with <c>Content-Length</c>, so the client reads it into one buffer of the right size instead of growing
    /// one, and no buffer of the body's size is allocated here.
    /// </summary>
    public static async Task WriteSizedJsonAsync<T>(HttpContext context, T body, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new PooledSegments();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, body, typeInfo);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = buffer.Length;
        foreach (var segment in buffer.Segments)
        {
            await response.Body.WriteAsync(segment, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A typed body as the UTF-8 JSON the host writes (compact, UTF-8 text kept as is): serialized once into pooled
    /// segments, then copied into one array of its exact size (what a stored run keeps).
    /// </summary>
    public static byte[] ToUtf8<T>(T body, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new PooledSegments();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, body, typeInfo);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Writes JSON that is already UTF-8 (a stored run) as it is, with its length. JSON with <c>\u</c> escapes (rows
    /// written by earlier versions with the serializer's default escaping) is rewritten once as the host writes JSON.
    /// </summary>
    public static async Task WriteUtf8JsonAsync(HttpContext context, ReadOnlyMemory<byte> json)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        if (json.Span.IndexOf("\\u"u8) < 0)
        {
            response.ContentLength = json.Length;
            await response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var buffer = new PooledSegments();
        using (var document = JsonDocument.Parse(json))
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            document.RootElement.WriteTo(writer);
        }

        response.ContentLength = buffer.Length;
        foreach (var segment in buffer.Segments)
        {
            await response.Body.WriteAsync(segment, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>An AgentOS error: <c>{"detail": "..."}</c>.</summary>
    public static Task WriteDetailAsync(HttpContext context, int statusCode, string detail)
        => WriteJsonAsync(context, new DetailBody(detail), HostWireContext.Default.DetailBody, statusCode);

    /// <summary>A FastAPI validation error: 422 <c>{"detail": [...]}</c>.</summary>
    public static Task WriteValidationAsync(HttpContext context, params ValidationError[] errors)
        => WriteJsonAsync(context, new ValidationBody([.. errors]), HostWireContext.Default.ValidationBody, StatusCodes.Status422UnprocessableEntity);

    public static ValidationError MissingField(string location, string field)
        => new("missing", Loc(location, field), "Field required", null);

    public static ValidationError BadBool(string location, string field, string input)
        => new("bool_parsing", Loc(location, field), "Input should be a valid boolean, unable to interpret input", input);

    public static ValidationError BadInt(string location, string field, string input)
        => new("int_parsing", Loc(location, field), "Input should be a valid integer, unable to parse string as an integer", input);

    public static ValidationError BadEnum(string location, string field, string input, string expected)
        => new("enum", Loc(location, field), $"Input should be {expected}", input) { Ctx = new ValidationContext { Expected = expected } };

    /// <summary>A validation error's <c>loc</c>: where the bad value is (<c>body</c>, <c>query</c>, then the field or position).</summary>
    public static JsonArray Loc(params ReadOnlySpan<JsonNode?> path)
    {
        var loc = new JsonArray();
        foreach (var part in path)
        {
            loc.Add(part);
        }

        return loc;
    }

    /// <summary>Parses a boolean as pydantic does (<c>true/false, 1/0, yes/no, on/off, t/f, y/n</c>).</summary>
    public static bool TryParseBool(string? value, out bool result)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on" or "t" or "y":
                result = true;
                return true;
            case "false" or "0" or "no" or "off" or "f" or "n":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }
}

/// <summary>A buffer writer of pooled arrays (1 MB, or larger for one large value), returned when disposed.</summary>
internal sealed class PooledSegments : System.Buffers.IBufferWriter<byte>, IDisposable
{
    private const int SegmentSize = 1 << 20;
    private readonly List<(byte[] Array, int Count)> _done = [];
    private byte[]? _current;
    private int _used;

    /// <summary>The bytes written.</summary>
    public long Length { get; private set; }

    /// <summary>The written bytes, in order.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Segments
    {
        get
        {
            foreach (var (array, count) in _done)
            {
                yield return array.AsMemory(0, count);
            }

            if (_current is not null && _used > 0)
            {
                yield return _current.AsMemory(0, _used);
            }
        }
    }

    /// <summary>The written bytes in one array of their exact size.</summary>
    public byte[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        int offset = 0;
        foreach (var segment in Segments)
        {
            segment.Span.CopyTo(result.AsSpan(offset));
            offset += segment.Length;
        }

        return result;
    }

    public void Advance(int count)
    {
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_used);

    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_used);

    private byte[] Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_current is not null && _current.Length - _used >= sizeHint)
        {
            return _current;
        }

        if (_current is not null)
        {
            _done.Add((_current, _used));
        }

        _current = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, sizeHint));
        _used = 0;
        return _current;
    }

    public void Dispose()
    {
        foreach (var (array, _) in _done)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }

        _done.Clear();
        if (_current is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }
    }
}
