using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Agno.Testing;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>What the host answered to a recorded request.</summary>
internal sealed record HostAnswer(RecordedExchange Fixture, int StatusCode, string? ContentType, byte[] Body)
{
    public bool IsEventStream => ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true;

    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public IReadOnlyList<SseFrame> Frames => Shape.ParseSse(Body);
}

/// <summary>
/// Sends recorded requests to a host, rewriting the ids the recording server generated (run ids, session ids,
/// tool call ids, ...) into the ones this host generated for the same requests, and compares the answers'
/// structure with the recorded ones.
/// </summary>
internal sealed class FixtureReplayer : IDisposable
{
    private static readonly HashSet<string> IdKeys = new(StringComparer.Ordinal)
    {
        "run_id", "session_id", "parent_run_id", "id", "tool_call_id", "member_run_id", "child_run_id", "step_id",
        "step_run_id", "workflow_run_id", "agent_session_id", "executor_run_id", "current_run_id", "current_session_id",
    };

    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    public FixtureReplayer(Uri baseAddress)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public IReadOnlyDictionary<string, string> Ids => _ids;

    /// <summary>Sends a fixture's request; <paramref name="onEvent"/> sees each SSE event as it arrives.</summary>
    public async Task<HostAnswer> SendAsync(RecordedExchange fixture, Func<SseFrame, Task>? onEvent = null)
    {
        using var request = BuildRequest(fixture);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        string? contentType = response.Content.Headers.ContentType?.ToString();
        byte[] body;
        if (onEvent is not null && contentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
        {
            var buffer = new MemoryStream();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var chunk = new byte[8192];
            int parsed = 0;
            int read;
            while ((read = await stream.ReadAsync(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                var all = buffer.ToArray();
                int end = LastFrameEnd(all);
                if (end > parsed)
                {
                    foreach (var frame in Shape.ParseSse(all[parsed..end]))
                    {
                        await onEvent(frame);
                    }

                    parsed = end;
                }
            }

            body = buffer.ToArray();
        }
        else
        {
            body = await response.Content.ReadAsByteArrayAsync();
        }

        var answer = new HostAnswer(fixture, (int)response.StatusCode, contentType, body);
        Learn(fixture, answer);
        return answer;
    }

    /// <summary>Learns ids from a host answer that is not a fixture's (e.g. a request made by the test itself).</summary>
    public void Map(string recorded, string actual) => _ids.TryAdd(recorded, actual);

    public string Rewrite(string text)
    {
        foreach (var (recorded, actual) in _ids.OrderByDescending(kv => kv.Key.Length))
        {
            text = text.Replace(recorded, actual, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The structural differences between the recorded answer and the host's.</summary>
    public static List<string> Differences(HostAnswer answer)
    {
        var fixture = answer.Fixture;
        var diffs = new List<string>();
        if (fixture.StatusCode != answer.StatusCode)
        {
            diffs.Add($"status: expected {fixture.StatusCode}, got {answer.StatusCode} ({Excerpt(answer.Text)})");
            return diffs;
        }

        string? expectedType = fixture.ResponseHeader("content-type");
        if (!string.Equals(expectedType, answer.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            diffs.Add($"content-type: expected '{expectedType}', got '{answer.ContentType}'");
        }

        if (fixture.IsEventStream)
        {
            diffs.AddRange(Shape.CheckFraming(answer.Body));
            diffs.AddRange(Shape.CompareStreams(Shape.ParseSse(fixture.ResponseBody), answer.Frames));
        }
        else if (fixture.ResponseBody.Length == 0)
        {
            if (answer.Body.Length != 0)
            {
                diffs.Add($"body: expected empty, got {Excerpt(answer.Text)}");
            }
        }
        else
        {
            diffs.AddRange(Shape.Compare(JsonNode.Parse(fixture.ResponseBody), answer.Json));
        }

        return diffs;
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage BuildRequest(RecordedExchange fixture)
    {
        var request = new HttpRequestMessage(new HttpMethod(fixture.Method), Rewrite(fixture.Target).TrimStart('/'));
        if (fixture.RequestHeader("Authorization") is { } auth)
        {
            request.Headers.TryAddWithoutValidation("Authorization", auth);
        }

        if (fixture.RequestBody.Length > 0 || fixture.RequestHeader("Content-Type") is not null)
        {
            byte[] body = fixture.RequestBody;
            string? type = fixture.RequestHeader("Content-Type");
            if (type?.StartsWith("multipart/", StringComparison.Ordinal) != true)
            {
                body = Encoding.UTF8.GetBytes(Rewrite(Encoding.UTF8.GetString(body)));
            }

            var content = new ByteArrayContent(body);
            if (type is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }

            request.Content = content;
        }

        return request;
    }

    private void Learn(RecordedExchange fixture, HostAnswer answer)
    {
        if (fixture.StatusCode != answer.StatusCode)
        {
            return;
        }

        if (fixture.IsEventStream && answer.IsEventStream)
        {
            var expected = Shape.ParseSse(fixture.ResponseBody);
            var actual = answer.Frames;
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var e in expected)
            {
                int n = counts.GetValueOrDefault(e.Name);
                counts[e.Name] = n + 1;
                var a = actual.Where(f => f.Name == e.Name).ElementAtOrDefault(n);
                if (a is not null)
                {
                    Walk(e.Data, a.Data, null);
                }
            }
        }
        else if (fixture.ResponseBody.Length > 0 && answer.Body.Length > 0 && !answer.IsEventStream)
        {
            try
            {
                Walk(JsonNode.Parse(fixture.ResponseBody), answer.Json, null);
            }
            catch (System.Text.Json.JsonException)
            {
                // not JSON
            }
        }
    }

    private void Walk(JsonNode? expected, JsonNode? actual, string? key)
    {
        switch (expected)
        {
            case JsonObject eo when actual is JsonObject ao:
                foreach (var (k, v) in eo)
                {
                    if (k != "data")
                    {
                        // List pages may order equal timestamps differently: no pairing by position there.
                        Walk(v, ao[k], k);
                    }
                }

                break;
            case JsonArray ea when actual is JsonArray aa:
                for (int i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                {
                    Walk(ea[i], aa[i], key);
                }

                break;
            case JsonValue ev when key is not null && IdKeys.Contains(key) && actual is JsonValue av
                && ev.TryGetValue(out string? recorded) && av.TryGetValue(out string? mine)
                && IsGenerated(recorded) && recorded != mine:
                _ids.TryAdd(recorded, mine);
                break;
        }
    }

    /// <summary>Ids the recording server generated (UUIDs, tool call ids); ids the client chose are the same here.</summary>
    private static bool IsGenerated(string id) => Guid.TryParse(id, out _) || id.StartsWith("call_", StringComparison.Ordinal);

    private static int LastFrameEnd(byte[] data)
    {
        for (int i = data.Length - 2; i >= 0; i--)
        {
            if (data[i] == '\n' && data[i + 1] == '\n')
            {
                return i + 2;
            }
        }

        return 0;
    }

    private static string Excerpt(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
