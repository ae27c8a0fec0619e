using Agno.Testing;

namespace Agno.AgentOS.Tests;

internal static class TestSupport
{
    public static AgentOSClient Client(ReplayServer server, string? apiKey = null, Action<AgentOSClientOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new AgentOSClientOptions { BaseAddress = server.BaseAddress, ApiKey = apiKey };
        configure?.Invoke(options);
        return new AgentOSClient(options, timeProvider: time);
    }

    /// <summary>The form fields of a recorded request.</summary>
    public static Dictionary<string, string?> Form(string fixture)
    {
        var f = Fixtures.Get(fixture);
        return RequestAssert.ParseBody(f.RequestHeader("Content-Type"), f.RequestBody)
            .Where(p => p.FileName is null)
            .ToDictionary(p => p.Name, p => p.Value);
    }

    /// <summary>The uploaded files of a recorded multipart request.</summary>
    public static List<FileUpload> Files(string fixture)
    {
        var f = Fixtures.Get(fixture);
        return RequestAssert.ParseBody(f.RequestHeader("Content-Type"), f.RequestBody)
            .Where(p => p.FileName is not null)
            .Select(p => new FileUpload(p.FileName!, p.ContentType!, p.Bytes!))
            .ToList();
    }

    public static async Task<List<AgentOSEvent>> ToListAsync(this IAsyncEnumerable<AgentOSEvent> events)
    {
        var list = new List<AgentOSEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>The event names of a recorded SSE body, in order.</summary>
    public static List<string> RecordedEventNames(string fixture)
        => Fixtures.Get(fixture).SseFrames()
            .Select(f => System.Text.Encoding.UTF8.GetString(f).Split('\n')[0])
            .Where(l => l.StartsWith("event: ", StringComparison.Ordinal))
            .Select(l => l["event: ".Length..])
            .ToList();

    /// <summary>The JSON body of a recorded answer (the oracle for ids and times, which differ per recording).</summary>
    public static System.Text.Json.JsonElement RecordedJson(string fixture)
        => System.Text.Json.JsonDocument.Parse(Fixtures.Get(fixture).ResponseBody).RootElement;

    /// <summary>The JSON data of the recorded SSE event with this index.</summary>
    public static System.Text.Json.JsonElement RecordedEventJson(string fixture, int index)
    {
        string frame = System.Text.Encoding.UTF8.GetString(Fixtures.Get(fixture).SseFrames()[index]);
        string data = string.Concat(frame.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]));
        return System.Text.Json.JsonDocument.Parse(data).RootElement;
    }

    /// <summary>A segment of a recorded request's path (e.g. the run id of <c>/agents/x/runs/{id}/continue</c>).</summary>
    public static string RecordedPathSegment(string fixture, int index)
        => Uri.UnescapeDataString(Fixtures.Get(fixture).Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[index]);

    /// <summary>A string property of a recorded JSON answer.</summary>
    public static string? RecordedString(string fixture, string property) => RecordedJson(fixture).GetProperty(property).GetString();
}
