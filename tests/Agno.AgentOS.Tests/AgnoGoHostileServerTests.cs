using System.Text;
using System.Text.RegularExpressions;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>The agno-go decoder against a server that breaks the protocol: every case ends in a typed outcome.</summary>
public sealed partial class AgnoGoHostileServerTests
{
    private const string Envelope = "\"timestamp\":\"2026-08-06T12:00:30Z\",\"agent_id\":\"echo-agent\",\"run_context_id\":\"run-h\"";

    private static string Frame(string type, string data) => $"event: {type}\ndata: {{\"type\":\"{type}\",{Envelope},\"data\":{data}}}\n\n";

    private static readonly string Start = Frame("run_start", "{\"input\":\"hi\"}");
    private static readonly string Token = Frame("token", "{\"token\":\"Hi\",\"index\":0}");
    private static readonly string Complete = Frame("complete", "{\"output\":\"Hi\",\"duration\":0.1,\"usage\":{},\"status\":\"completed\",\"run_id\":\"run-h\"}");

    private static async Task<(List<AgentOSEvent> Events, Exception? Error)> StreamAsync(string body)
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("030", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes(body) });
        using var client = AgnoGo.Client(server);
        var events = new List<AgentOSEvent>();
        try
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")))
            {
                events.Add(e);
            }

            return (events, null);
        }
        catch (AgentOSException ex)
        {
            return (events, ex);
        }
    }

    [Fact]
    public async Task AgnoGo_truncated_stream_is_interrupted_with_the_run_id()
    {
        string partial = Start + Token + Complete[..(Complete.Length / 2)];

        var (events, error) = await StreamAsync(partial);

        var interrupted = Assert.IsType<AgentOSStreamInterruptedException>(error);
        Assert.Equal("run-h", interrupted.RunId);
        Assert.Equal(["RunStarted", "RunContent"], events.Take(2).Select(e => e.Event));
        Assert.DoesNotContain(events, e => e is RunCompletedEvent);
    }

    [Fact]
    public async Task AgnoGo_unknown_event_type_is_handed_over_and_the_stream_goes_on()
    {
        var (events, error) = await StreamAsync(Start + Frame("tool_call", "{\"name\":\"add\"}") + Token + Complete);

        Assert.Null(error);
        var unknown = Assert.IsType<UnknownEvent>(events[1]);
        Assert.Equal(("tool_call", EventScope.Unknown), (unknown.Event, unknown.Scope));
        Assert.Contains("\"name\":\"add\"", unknown.RawJson, StringComparison.Ordinal);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Theory]
    [InlineData("{\"type\":\"token\",")] // not JSON
    [InlineData("{\"type\":\"token\",\"data\":{\"token\":5,\"index\":1}}")] // the token a number
    [InlineData("{\"type\":\"token\",\"data\":\"Hi\"}")] // data not an object
    [InlineData("{\"type\":\"token\",\"data\":{\"index\":1}}")] // no token
    [InlineData("{\"type\":\"token\",\"timestamp\":true,\"data\":{\"token\":\"x\"}}")] // a boolean for the time
    [InlineData("[1,2]")]
    public async Task AgnoGo_unreadable_token_is_a_malformed_event_and_the_stream_goes_on(string data)
    {
        var (events, error) = await StreamAsync(Start + "event: token\ndata: " + data + "\n\n" + Complete);

        Assert.Null(error);
        var malformed = Assert.IsType<MalformedEvent>(events[1]);
        Assert.Equal(("token", EventScope.Unknown, data), (malformed.Event, malformed.Scope, malformed.RawData));
        Assert.False(string.IsNullOrEmpty(malformed.Error));
        Assert.Equal("Hi", Assert.IsType<RunCompletedEvent>(events[^1]).Content);
    }

    [Theory]
    [InlineData("complete", "{\"type\":\"complete\",\"data\":{\"output\":")]
    [InlineData("complete", "{\"type\":\"complete\",\"data\":{\"output\":5}}")]
    [InlineData("complete", "{\"type\":\"complete\",\"data\":{\"output\":\"x\",\"usage\":{\"total_tokens\":\"many\"}}}")]
    [InlineData("complete", "{\"type\":\"complete\",\"data\":null}")]
    [InlineData("error", "{\"type\":\"error\",\"data\":{\"error\":[\"x\"],\"code\":1}}")]
    [InlineData("error", "not json")]
    public async Task AgnoGo_unreadable_complete_or_error_is_a_protocol_error(string type, string data)
    {
        var (events, error) = await StreamAsync(Start + Token + $"event: {type}\ndata: {data}\n\n");

        var protocol = Assert.IsType<AgentOSProtocolException>(error);
        Assert.Contains($"'{type}'", protocol.Message, StringComparison.Ordinal);
        Assert.Equal("api/v1/agents/echo-agent/run/stream", protocol.RequestPath);
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public async Task AgnoGo_marshal_failure_frame_is_a_run_failure()
    {
        // agno-go writes this frame when an event cannot be marshalled (events.go:220-223)
        var (_, error) = await StreamAsync(Start + "event: error\ndata: {\"error\":\"failed to marshal event\"}\n\n");

        var failed = Assert.IsType<AgentOSRunFailedException>(error);
        Assert.Equal("failed to marshal event", failed.Detail);
    }

    [Fact]
    public async Task AgnoGo_cancelled_complete_is_a_cancelled_run()
    {
        string cancelled = Frame("complete", "{\"output\":\"Hi\",\"duration\":30,\"status\":\"cancelled\",\"cancellation_reason\":\"deadline\",\"run_id\":\"run-h\"}");

        var (events, error) = await StreamAsync(Start + Token + cancelled);

        Assert.Null(error);
        var e = Assert.IsType<RunCancelledEvent>(events[^1]);
        Assert.Equal(("deadline", "run-h"), (e.Reason, e.RunId));
    }

    [Fact]
    public async Task AgnoGo_json_answer_to_a_stream_is_a_protocol_error()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve(AgnoGo.At("020", "/api/v1/agents/echo-agent/run/stream"), new ServeOptions());
        using var client = AgnoGo.Client(server);

        var error = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest("hi")).ToListAsync());

        Assert.Contains("instead of an event stream", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"run_id\":\"r\",\"status\":\"completed\",\"content\":\"x\"")] // truncated
    [InlineData("[]")]
    [InlineData("null")]
    public async Task AgnoGo_malformed_run_answer_is_a_protocol_error(string body)
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("020", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes(body) });
        using var client = AgnoGo.Client(server);

        var error = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello world")));

        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgnoGo_null_items_of_lists_are_skipped()
    {
        // found by AgnoGoFuzzTests (seeds 131527, 132052, 100373): a list item replaced by null
        await using var server = await AgnoGo.StartAsync();
        server.Serve("003", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes("{\"agents\":[null,{\"id\":\"echo-agent\",\"name\":\"Echo Agent\"}],\"count\":2}") });
        server.Serve("040", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes("{\"count\":1,\"sessions\":[null]}") });
        server.Serve("038", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes("{\"messages\":[null,{\"id\":\"m\",\"role\":\"user\",\"content\":\"hi\"}],\"runs\":[null],\"session_id\":\"s\"}") });
        using var client = AgnoGo.Client(server);

        var agents = await client.ListAgentsAsync();
        var sessions = await client.ListSessionsAsync();
        var history = await client.GetAgnoGoSessionHistoryAsync(AgnoGo.Get("038").Path.Split('/')[4]);

        Assert.Equal("echo-agent", Assert.Single(agents).Id);
        Assert.Empty(sessions.Data);
        Assert.Equal("hi", Assert.Single(history.Messages).Content);
        Assert.Empty(history.Runs);
    }

    [Fact]
    public async Task AgnoGo_lone_surrogate_in_run_metadata_is_kept_as_received()
    {
        // found by AgnoGoFuzzTests (seeds 1471, 2348): the metadata object was encoded again, which a lone surrogate breaks
        string body = AgnoGo.Get("029").ResponseText.Replace("\"user-7\"", "\"\\udfff\"", StringComparison.Ordinal);
        await using var server = await AgnoGo.StartAsync();
        server.Serve("029", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes(body) });
        using var client = AgnoGo.Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("correlate me"));

        Assert.Equal("Echo: correlate me", output.Content);
        Assert.Null(output.UserId); // not readable as text
        Assert.Equal("run-parent-1", output.ParentRunId);
        Assert.NotNull(output.Metadata!["run_context"]);
    }

    [Fact]
    public void AgnoGo_every_fixture_is_exercised_by_a_test()
    {
        // the fixtures named in the AgnoGo test files, and those no client operation can send, with the reason
        var pending = new Dictionary<string, string>
        {
            ["002"] = "a CORS preflight (OPTIONS) is a browser's request, never the client's",
            ["062"] = "agno-go's ops routes have no client API",
        };
        string folder = Path.GetDirectoryName(ThisFile())!;
        var referenced = Directory.GetFiles(folder, "AgnoGo*.cs")
            .Where(f => Path.GetFileName(f) != Path.GetFileName(ThisFile()))
            .SelectMany(f => FixtureName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        referenced.UnionWith(FixtureName().Matches(File.ReadAllText(ThisFile())).Select(m => m.Groups[1].Value).Where(n => !pending.ContainsKey(n) && n != "000"));
        var unused = AgnoGo.Set.Names.Select(n => n[..3]).Where(n => !referenced.Contains(n) && !pending.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(47, AgnoGo.Set.Names.Count);
        Assert.True(unused.Count == 0, "agno-go fixtures no test uses: " + string.Join(", ", unused));
        Assert.All(pending.Keys, p => Assert.DoesNotContain(p, referenced));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [GeneratedRegex("\"(\\d{3})(-[a-z0-9-]+)?\"")]
    private static partial Regex FixtureName();
}
