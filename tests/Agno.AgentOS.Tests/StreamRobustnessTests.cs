using System.Net;
using System.Net.Sockets;
using System.Text;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class StreamRobustnessTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task Sse_written_one_byte_per_chunk_decodes_to_the_same_events()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("148", new ServeOptions { ByteByByte = true }); // multi-byte UTF-8 split across chunks too
        server.Serve("148");
        using var client = TestSupport.Client(server);
        string message = TestSupport.Form("148")["message"]!;

        var split = await client.RunAgentStreamingAsync("echo-agent", new RunRequest(message)).ToListAsync();
        var whole = await client.RunAgentStreamingAsync("echo-agent", new RunRequest(message)).ToListAsync();

        Assert.Equal(TestSupport.RecordedEventNames("148"), split.Select(e => e.Event));
        Assert.Equal(whole.OfType<RunContentEvent>().Select(c => c.Content), split.OfType<RunContentEvent>().Select(c => c.Content));
        Assert.Contains(message, string.Concat(split.OfType<RunContentEvent>().Select(c => c.Content)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sse_split_at_every_byte_boundary_of_an_event_decodes_the_same()
    {
        // Two chunks, split at each position of the first two frames (covers field names, the data line and the blank line).
        var fixture = Fixtures.Get("021");
        var frames = fixture.SseFrames();
        int limit = frames[0].Length + frames[1].Length;
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);
        var expected = TestSupport.RecordedEventNames("021");
        int split = 0;
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            await ctx.Response.Body.WriteAsync(fixture.ResponseBody.AsMemory(0, split));
            await ctx.Response.Body.FlushAsync();
            await ctx.Response.Body.WriteAsync(fixture.ResponseBody.AsMemory(split));
        };

        for (split = 1; split < limit; split++)
        {
            var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync();
            Assert.Equal(expected, events.Select(e => e.Event));
            Assert.Equal("Echo: ", ((RunContentEvent)events[2]).Content);
        }
    }

    [Fact]
    public async Task Unknown_events_and_comments_become_generic_events_with_raw_json()
    {
        var fixture = Fixtures.Get("021");
        var frames = fixture.SseFrames();
        var body = new List<byte>();
        body.AddRange(frames[0]);
        body.AddRange(": keep-alive comment\n\n"u8.ToArray());
        body.AddRange("event: BrandNewEvent\ndata: {\"event\":\"BrandNewEvent\",\"run_id\":\"r1\",\"shiny\":{\"x\":1}}\n\n"u8.ToArray());
        body.AddRange("data: {\"event\":\"RunContent\",\"run_id\":\"37c25b58-f49e-44be-8aa0-7cd15514d865\",\"content\":\"no event line \"}\n\n"u8.ToArray());
        foreach (var f in frames.Skip(1)) { body.AddRange(f); }
        await using var server = await ReplayServer.StartAsync();
        server.Serve(fixture, new ServeOptions { BodyOverride = [.. body] });
        using var client = TestSupport.Client(server);

        var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).ToListAsync();

        var unknown = Assert.IsType<UnknownEvent>(events[1]);
        Assert.Equal("BrandNewEvent", unknown.Event);
        Assert.Equal(EventScope.Unknown, unknown.Scope);
        Assert.Equal("r1", unknown.RunId);
        Assert.Equal(1, unknown.AdditionalProperties!["shiny"].GetProperty("x").GetInt32());
        Assert.Contains("\"shiny\"", unknown.RawJson, StringComparison.Ordinal);
        var noEventLine = Assert.IsType<RunContentEvent>(events[2]);
        Assert.Equal("no event line ", noEventLine.Content);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task Malformed_event_json_becomes_a_malformed_event_and_the_stream_goes_on()
    {
        var frames = Fixtures.Get("021").SseFrames();
        var bad = "event: RunContent\ndata: {\"event\":\"RunContent\",\"content\":\n\n"u8.ToArray();
        var body = frames[0].Concat(bad).Concat(frames.Skip(1).SelectMany(f => f)).ToArray();
        await using var server = await ReplayServer.StartAsync();
        server.Serve(Fixtures.Get("021"), new ServeOptions { BodyOverride = body });
        using var client = TestSupport.Client(server);

        var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync();
        var result = new RunStreamAccumulator();
        events.ForEach(result.Add);

        var malformed = Assert.IsType<MalformedEvent>(events[1]);
        Assert.Equal("RunContent", malformed.Event);
        Assert.Equal(EventScope.Unknown, malformed.Scope);
        Assert.Equal("{\"event\":\"RunContent\",\"content\":", malformed.RawData);
        Assert.False(string.IsNullOrEmpty(malformed.Error));
        Assert.Equal(frames.Count + 1, events.Count);
        Assert.Equal(RunStatus.Completed, result.Result.Status);
        Assert.Equal("Echo: hello streaming world (turn 1)", result.Result.Content);
    }

    [Fact]
    public async Task A_stream_that_ends_without_a_terminal_event_throws_after_yielding_what_came()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { EndAfterEvents = 5 });
        using var client = TestSupport.Client(server);
        var received = new List<AgentOSEvent>();

        var ex = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")))
            {
                received.Add(e);
            }
        });

        Assert.Equal(5, received.Count);
        Assert.Equal(5, ex.EventsReceived);
        Assert.Equal(TestSupport.RecordedEventJson("021", 0).GetProperty("run_id").GetString(), ex.RunId);
        Assert.Contains("before the run finished", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_dies_mid_stream_gives_an_interrupted_stream()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { AbortAfterEvents = 4 });
        using var client = TestSupport.Client(server);
        var received = new List<AgentOSEvent>();

        await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")))
            {
                received.Add(e);
            }
        });

        Assert.Equal(4, received.Count);
    }

    [Fact]
    public async Task A_stalled_stream_hits_the_idle_timeout()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { StallAfterEvents = 2 });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var client = TestSupport.Client(server, configure: o => o.StreamIdleTimeout = TimeSpan.FromSeconds(2), time: clock);
        var received = new List<AgentOSEvent>();

        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(async () =>
        {
            await using var e = client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).GetAsyncEnumerator();
            while (true)
            {
                var next = e.MoveNextAsync();
                if (received.Count == 2)
                {
                    // the reader waits for the third event of a silent server
                    Assert.False(next.IsCompleted);
                    clock.Advance(TimeSpan.FromSeconds(2));
                }

                if (!await next)
                {
                    return;
                }

                received.Add(e.Current);
            }
        });

        Assert.Equal(2, received.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.Timeout);
        Assert.IsAssignableFrom<AgentOSServerUnavailableException>(ex);
        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_overall_timeout_applies_to_non_streaming_calls()
    {
        await using var server = await ReplayServer.StartAsync();
        var arrived = new SemaphoreSlim(0);
        server.Handler = async ctx =>
        {
            arrived.Release();
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var client = TestSupport.Client(server, configure: o => o.Timeout = TimeSpan.FromSeconds(20), time: clock);

        var call = client.GetAgentAsync("echo-agent");
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(() => call);
        Assert.Equal(TimeSpan.FromSeconds(20), ex.Timeout);

        var perCall = client.GetHealthAsync(new AgentOSRequestOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(5));
        var perCallEx = await Assert.ThrowsAsync<AgentOSTimeoutException>(() => perCall);
        Assert.Equal(TimeSpan.FromSeconds(5), perCallEx.Timeout);
    }

    [Fact]
    public async Task A_proxy_html_error_page_gives_a_clear_server_error()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSServerException>(() => client.RunAgentAsync("echo-agent", new RunRequest("x")));
        var streamEx = await Assert.ThrowsAsync<AgentOSServerException>(async () => await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync());

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Null(ex.Detail);
        Assert.Contains("502 Bad Gateway", ex.ResponseBodyExcerpt, StringComparison.Ordinal);
        Assert.Contains("502", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, streamEx.StatusCode);
    }

    [Fact]
    public async Task Success_answers_that_are_not_json_or_not_a_stream_are_protocol_errors()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(200, "text/html", "<html>login page</html>");
        using var client = TestSupport.Client(server);

        var html = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.GetConfigAsync());
        Assert.Contains("login page", html.ResponseBodyExcerpt, StringComparison.Ordinal);
        var notStream = await Assert.ThrowsAsync<AgentOSProtocolException>(async () => await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync());
        Assert.Contains("instead of an event stream", notStream.Message, StringComparison.Ordinal);

        server.AnswerWith(200, "application/json", "{\"run_id\": ");
        var truncated = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("x")));
        Assert.Contains("malformed JSON", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_refused_is_server_unavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        using var client = new AgentOSClient(new Uri($"http://127.0.0.1:{port}"));

        var ex = await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => client.GetHealthAsync());
        var streamEx = await Assert.ThrowsAsync<AgentOSServerUnavailableException>(async () => await client.RunAgentStreamingAsync("a", new RunRequest("x")).ToListAsync());

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), ex.BaseAddress);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.NotNull(streamEx.InnerException);
    }

    [Fact]
    public async Task Stream_arguments_are_validated_at_the_call_not_at_the_first_read()
    {
        using var client = new AgentOSClient(new Uri("http://127.0.0.1:9"));

        Assert.Throws<ArgumentNullException>(() => client.RunAgentStreamingAsync("a", null!));
        Assert.Throws<ArgumentException>(() => client.RunTeamStreamingAsync(" ", new RunRequest("x")));
        Assert.Throws<ArgumentException>(() => client.ResumeAgentRunStreamingAsync("a", "..", "s"));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.ResumeAgentRunStreamingAsync("a", "r", "s", -1));
        Assert.Throws<ArgumentNullException>(() => client.ContinueWorkflowRunStreamingAsync("w", "r", null!));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Ids_are_escaped_as_one_path_segment()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(404, "application/json", "{\"detail\":\"Agent not found\"}");
        using var client = TestSupport.Client(server);

        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetAgentAsync("a/../../config?x=1"));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetRemoteAgent("x y#z").GetRunAsync("r/1", "s&t=u"));

        Assert.Equal("/agents/a%2F..%2F..%2Fconfig%3Fx=1", server.Received[0].Path); // Kestrel shows "=" decoded; "/" and "?" stayed escaped
        Assert.Equal(string.Empty, server.Received[0].Query);
        Assert.Equal("/agents/x%20y%23z/runs/r%2F1", server.Received[1].Path);
        Assert.Equal("?session_id=s%26t%3Du", server.Received[1].Query);
        Assert.Throws<ArgumentException>(() => client.GetRemoteAgent(".."));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAgentAsync("."));
    }

    [Fact]
    public async Task A_base_address_with_a_path_prefix_is_kept()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(200, "application/json", "{\"status\":\"ok\"}");
        using var client = new AgentOSClient(new Uri(server.BaseAddress, "os/v2"));

        var health = await client.GetHealthAsync();

        Assert.Equal("ok", health.Status);
        Assert.Equal("/os/v2/health", server.Last.Path);
    }
}

public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task A_slow_consumer_is_not_taken_for_a_silent_server()
    {
        // The server answers at once; the caller spends far longer on each event than the idle timeout allows (on the
        // client's clock, moved by the caller while it holds an event).
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var client = TestSupport.Client(server, configure: o => o.StreamIdleTimeout = TimeSpan.FromSeconds(30), time: clock);
        int count = 0;

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")))
        {
            if (++count <= 3)
            {
                clock.Advance(TimeSpan.FromSeconds(90));
            }
        }

        Assert.Equal(TestSupport.RecordedEventNames("021").Count, count);
    }
}

public sealed class StreamRobustnessTests_Agno29() : StreamRobustnessTests(FixtureSet.Agno29);

public sealed class StreamRobustnessTests_Agno30() : StreamRobustnessTests(FixtureSet.Agno30);
