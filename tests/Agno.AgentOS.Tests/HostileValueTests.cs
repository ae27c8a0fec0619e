using System.Text;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Values a broken or hostile server sends inside otherwise well-formed answers: out-of-range timestamps and numbers,
/// a null event name, invalid UTF-8 and lone surrogates. In a stream the event arrives as a <see cref="MalformedEvent"/>
/// and the stream goes on; in a JSON answer the call throws <see cref="AgentOSProtocolException"/>; in an error body the
/// status's own exception is thrown.
/// </summary>
public sealed class HostileValueTests
{
    private const string RunId = "37c25b58-f49e-44be-8aa0-7cd15514d865";

    /// <summary>The recorded agent stream with one content event inserted after the first, with the given data bytes.</summary>
    private static byte[] StreamWith(byte[] data)
    {
        var frames = Fixtures.Get("021").SseFrames();
        byte[] frame = [.. "event: RunContent\ndata: "u8, .. data, .. "\n\n"u8];
        return [.. frames[0], .. frame, .. frames.Skip(1).SelectMany(f => f)];
    }

    private static async Task<List<AgentOSEvent>> StreamAsync(byte[] body)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve(Fixtures.Get("021"), new ServeOptions { BodyOverride = body });
        using var client = TestSupport.Client(server);
        return await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync();
    }

    public static TheoryData<string> OutOfRangeValues => new()
    {
        "99999999999999", "1e20", "253402300800", "-62135596801", "-99999999999999", "1e400", "\"99999999999999\"",
    };

    [Theory]
    [MemberData(nameof(OutOfRangeValues))]
    public async Task An_out_of_range_timestamp_in_a_stream_is_a_malformed_event_and_the_stream_goes_on(string value)
    {
        var events = await StreamAsync(StreamWith(Encoding.UTF8.GetBytes($"{{\"created_at\":{value},\"event\":\"RunContent\",\"run_id\":\"{RunId}\",\"content\":\"x\"}}")));

        var malformed = Assert.IsType<MalformedEvent>(events[1]);
        Assert.Equal("RunContent", malformed.Event);
        Assert.Contains(value.Trim('"'), malformed.RawData, StringComparison.Ordinal);
        Assert.Contains("range", malformed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Theory]
    [MemberData(nameof(OutOfRangeValues))]
    public async Task An_out_of_range_timestamp_in_a_json_answer_is_a_protocol_error(string value)
    {
        var fixture = Fixtures.Get("020");
        string body = Encoding.UTF8.GetString(fixture.ResponseBody);
        int at = body.IndexOf("\"created_at\":", StringComparison.Ordinal);
        Assert.True(at >= 0);
        int end = body.IndexOfAny([',', '}'], at);
        body = body[..(at + "\"created_at\":".Length)] + value + body[end..];
        await using var server = await ReplayServer.StartAsync();
        server.Serve(fixture, new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes(body) });
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("x")));

        Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, ex.StatusCode);
    }

    [Fact]
    public async Task Numbers_beyond_their_type_in_a_stream_are_malformed_events()
    {
        var events = await StreamAsync(StreamWith(Encoding.UTF8.GetBytes($"{{\"event\":\"RunContent\",\"run_id\":\"{RunId}\",\"nested_depth\":99999999999999999999,\"content\":\"x\"}}")));

        Assert.IsType<MalformedEvent>(events[1]);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task A_null_event_name_in_the_data_takes_the_sse_name()
    {
        var events = await StreamAsync(StreamWith(Encoding.UTF8.GetBytes($"{{\"event\":null,\"run_id\":\"{RunId}\",\"content\":\"null name\"}}")));

        var content = Assert.IsType<RunContentEvent>(events[1]);
        Assert.Equal("RunContent", content.Event);
        Assert.Equal("null name", content.Content);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task A_null_event_name_without_an_sse_name_is_an_unknown_message()
    {
        var frames = Fixtures.Get("021").SseFrames();
        byte[] body = [.. frames[0], .. "data: {\"event\":null,\"run_id\":\"r\"}\n\n"u8, .. frames.Skip(1).SelectMany(f => f)];

        var events = await StreamAsync(body);

        var unknown = Assert.IsType<UnknownEvent>(events[1]);
        Assert.Equal("message", unknown.Event);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    public static TheoryData<string, byte[]> InvalidUtf8 => new()
    {
        { "content", [0xFF] },
        { "run_id", [0xC3, 0x28] },
        { "session_id", [0xED, 0xA0, 0x80] },
        { "agent_name", [0xE2, 0x82] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Invalid_utf8_inside_a_string_of_an_event_is_a_malformed_event(string field, byte[] bad)
    {
        byte[] data = [.. Encoding.UTF8.GetBytes($"{{\"event\":\"RunContent\",\"run_id\":\"{RunId}\",\"content\":\"x\",\"{field}2\":1,\"{field}\":\"a"), .. bad, .. "b\"}"u8];

        var events = await StreamAsync(StreamWith(data));

        Assert.IsType<MalformedEvent>(events[1]);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_event_name_of_the_data_is_a_malformed_event()
    {
        var frames = Fixtures.Get("021").SseFrames();
        byte[] body = [.. frames[0], .. "data: {\"event\":\"Run"u8, 0xFF, .. "Content\",\"run_id\":\"r\"}\n\n"u8, .. frames.Skip(1).SelectMany(f => f)];

        var events = await StreamAsync(body);

        Assert.Equal(frames.Count + 1, events.Count);
        Assert.True(events[1] is MalformedEvent or UnknownEvent, events[1].GetType().Name);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task Invalid_utf8_in_tool_arguments_is_a_malformed_event()
    {
        var frames = Fixtures.Get("021").SseFrames();
        byte[] data = [.. Encoding.UTF8.GetBytes($"{{\"event\":\"ToolCallStarted\",\"run_id\":\"{RunId}\",\"tool\":{{\"tool_call_id\":\"c1\",\"tool_name\":\"add\",\"tool_args\":{{\"a\":\""), 0xFF, .. "\"}}}"u8];
        byte[] body = [.. frames[0], .. "event: ToolCallStarted\ndata: "u8, .. data, .. "\n\n"u8, .. frames.Skip(1).SelectMany(f => f)];

        var events = await StreamAsync(body);

        var malformed = Assert.IsType<MalformedEvent>(events[1]);
        Assert.Equal("ToolCallStarted", malformed.Event);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00 then \\ud800")]
    public async Task A_lone_surrogate_in_an_error_detail_still_throws_the_status_exception(string detail)
    {
        var fixture = Fixtures.Get("101");
        await using var server = await ReplayServer.StartAsync();
        server.Serve(fixture, new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes($"{{\"detail\":\"{detail}\"}}") });
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentAsync("no-such-agent", new RunRequest("x")));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("ud800", ex.ResponseBodyExcerpt, StringComparison.Ordinal);
    }
}
