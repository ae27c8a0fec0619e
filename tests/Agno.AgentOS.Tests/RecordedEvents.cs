using System.Net.ServerSentEvents;
using System.Text.Json;
using Agno.Testing;

namespace Agno.AgentOS.Tests;

/// <summary>The recorded event streams of a fixture set, as the decoder tests walk them.</summary>
internal static class RecordedEvents
{
    /// <summary>Every event-stream exchange of <paramref name="set"/> (in name order) with its events as the SSE parser gives them.</summary>
    public static IEnumerable<(string Exchange, List<(string Type, byte[] Data)> Events)> Streams(FixtureSet set)
    {
        foreach (string name in set.Names.Order(StringComparer.Ordinal))
        {
            var exchange = set.Get(name);
            if (exchange.IsEventStream)
            {
                yield return (name, Items(exchange.ResponseBody));
            }
        }
    }

    /// <summary>The events of an SSE body: each one's SSE event type and data bytes.</summary>
    public static List<(string Type, byte[] Data)> Items(byte[] body)
    {
        var items = new List<(string, byte[])>();
        foreach (var item in SseParser.Create(new MemoryStream(body), static (type, data) => data.ToArray()).Enumerate())
        {
            items.Add((item.EventType, item.Data));
        }

        return items;
    }

    /// <summary>The event's name: its SSE type, or for an unnamed one the data's <c>event</c> field (<c>message</c> without one).</summary>
    public static string NameOf(string type, byte[] data) => type.Length == 0 || type == "message" ? EventFieldOf(data) : type;

    private static string EventFieldOf(byte[] data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "message";
        }
        catch (JsonException)
        {
            return "message";
        }
    }
}
