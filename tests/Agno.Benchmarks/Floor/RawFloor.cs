using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Agno.Benchmarks.Floor;

/// <summary>The floor's minimal event: what any client must at least produce for a streamed event.</summary>
public sealed class RawEvent
{
    public string Event { get; set; } = string.Empty;

    public long CreatedAt { get; set; }

    public string? RunId { get; set; }

    public string? SessionId { get; set; }

    public string? Content { get; set; }
}

/// <summary>The floor's minimal run output.</summary>
public sealed class RawRunOutput
{
    public string? RunId { get; set; }

    public string? SessionId { get; set; }

    public string? Content { get; set; }

    public string? Status { get; set; }

    public long CreatedAt { get; set; }
}

/// <summary>Utf8JsonReader straight into the minimal objects: no serializer, no converters, no dispatch.</summary>
internal static class RawDecoder
{
    public static readonly SseItemParser<RawEvent> Parser = static (type, data) => Decode(type, data);

    public static RawEvent Decode(string eventType, ReadOnlySpan<byte> data)
    {
        var e = new RawEvent { Event = eventType };
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An event's data is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                e.Content = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("run_id"u8))
            {
                reader.Read();
                e.RunId = reader.GetString();
            }
            else if (reader.ValueTextEquals("session_id"u8))
            {
                reader.Read();
                e.SessionId = reader.GetString();
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                reader.Read();
                e.CreatedAt = reader.GetInt64();
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return e;
    }

    public static RawRunOutput DecodeRunOutput(ReadOnlySpan<byte> json)
    {
        var o = new RawRunOutput();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The run output is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                o.Content = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("run_id"u8))
            {
                reader.Read();
                o.RunId = reader.GetString();
            }
            else if (reader.ValueTextEquals("session_id"u8))
            {
                reader.Read();
                o.SessionId = reader.GetString();
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                o.Status = reader.GetString();
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                reader.Read();
                o.CreatedAt = reader.GetInt64();
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return o;
    }
}

/// <summary>
/// The raw .NET floor: HttpClient + SseParser + Utf8JsonReader with no abstraction, no typed events, no
/// error mapping, no timeouts. What any .NET client of the protocol costs at least.
/// </summary>
internal sealed class RawFloorClient(HttpClient http, Uri baseAddress)
{
    private readonly Uri _runs = new(baseAddress, $"agents/{Workloads.AgentId}/runs");

    public async Task<RawRunOutput> RunAsync(string message, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _runs)
        {
            Content = new FormUrlEncodedContent([new("message", message), new("stream", "false")]),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return RawDecoder.DecodeRunOutput(body);
    }

    public async IAsyncEnumerable<RawEvent> StreamAsync(string message, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _runs)
        {
            Content = new FormUrlEncodedContent([new("message", message), new("stream", "true")]),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body, RawDecoder.Parser).EnumerateAsync(cancellationToken))
        {
            yield return item.Data;
        }
    }
}
