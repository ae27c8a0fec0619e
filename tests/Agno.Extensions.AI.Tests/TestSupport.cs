using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Agno.Extensions.AI.Tests;

internal static class TestSupport
{
    public static AgentOSClient Client(ReplayServer server)
        => new(new AgentOSClientOptions { BaseAddress = server.BaseAddress });

    /// <summary>The form fields of a received request.</summary>
    public static Dictionary<string, string?> Form(ReceivedRequest request)
        => RequestAssert.ParseBody(request.ContentType, request.Body)
            .Where(p => p.FileName is null)
            .ToDictionary(p => p.Name, p => p.Value);

    /// <summary>The form fields of a recorded request.</summary>
    public static Dictionary<string, string?> Form(string fixture)
    {
        var f = Fixtures.Get(fixture);
        return RequestAssert.ParseBody(f.RequestHeader("Content-Type"), f.RequestBody)
            .Where(p => p.FileName is null)
            .ToDictionary(p => p.Name, p => p.Value);
    }

    /// <summary>A JSON field of a recorded response body (non-streaming fixtures).</summary>
    public static JsonNode ResponseJson(string fixture) => JsonNode.Parse(Fixtures.Get(fixture).ResponseText)!;

    /// <summary>The recorded SSE data objects of a streaming fixture.</summary>
    public static List<JsonObject> RecordedEvents(string fixture)
        => Fixtures.Get(fixture).SseFrames()
            .Select(f => System.Text.Encoding.UTF8.GetString(f).Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal)))
            .Where(l => l is not null)
            .Select(l => JsonNode.Parse(l!["data: ".Length..])!.AsObject())
            .ToList();

    /// <summary>A GET of a stored run that answers with a recorded run output (for the paused-run fetch).</summary>
    public static RecordedExchange StoredRun(string kindSegment, string componentId, string runId, string sessionId, string outputFixture)
    {
        var source = Fixtures.Get(outputFixture);
        return new RecordedExchange
        {
            Name = "stored-" + outputFixture,
            Method = "GET",
            Target = $"/{kindSegment}/{componentId}/runs/{runId}?session_id={Uri.EscapeDataString(sessionId)}",
            RequestHeaders = [],
            RequestBody = [],
            StatusCode = 200,
            ResponseHeaders = source.ResponseHeaders,
            ResponseBody = source.ResponseBody,
        };
    }

    public static async Task<List<ChatResponseUpdate>> ToListAsync(this IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken = default)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var u in updates.WithCancellation(cancellationToken))
        {
            list.Add(u);
        }

        return list;
    }

    public static string Text(this IEnumerable<ChatResponseUpdate> updates)
        => string.Concat(updates.Select(u => u.Text));

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>A logger factory that records what is logged (message and level).</summary>
internal sealed class TestLoggerFactory : ILoggerFactory
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
