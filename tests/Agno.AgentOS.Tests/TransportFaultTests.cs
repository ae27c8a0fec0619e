using System.Net;
using System.Text;
using Agno.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Transport and HTTP faults from a raw loopback socket (what Kestrel would not let a handler send) and from a body the
/// test feeds while a fake clock moves: every failure arrives typed, and nothing waits forever.
/// </summary>
public sealed class TransportFaultTests
{
    private static readonly string Sse = Encoding.UTF8.GetString(Fixtures.Get("021").ResponseBody);

    private static AgentOSClient Client(RawHttpServer server, Action<AgentOSClientOptions>? configure = null, TimeProvider? time = null)
    {
        // the typing of each failure, not the retries of idempotent calls (RetryTests)
        var options = new AgentOSClientOptions { BaseAddress = server.BaseAddress, Retry = { Enabled = false } };
        configure?.Invoke(options);
        return new AgentOSClient(options, timeProvider: time);
    }

    private static async Task<List<AgentOSEvent>> Drain(IAsyncEnumerable<AgentOSEvent> events)
    {
        var list = new List<AgentOSEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }

    public static TheoryData<string, string> InvalidHttp => new()
    {
        { "bad status line", "HTTP/1.1 OK-ish\r\nContent-Length: 0\r\n\r\n" },
        { "not http at all", "SSH-2.0-OpenSSH_9.6\r\n\r\n" },
        { "a 1 MB header", "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 1024 * 1024) + "\r\nContent-Length: 2\r\n\r\n{}" },
        { "broken chunked framing", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(InvalidHttp))]
    public async Task An_answer_that_is_not_valid_http_is_a_protocol_error_not_an_unreachable_server(string what, string answer)
    {
        await using var server = RawHttpServer.Start(async r => { await r.WriteAsync(answer); return false; });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.GetHealthAsync());

        Assert.False(ex is AgentOSStreamInterruptedException, what);
        Assert.Equal("GET", ex.Method);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_a_json_body_is_a_protocol_error()
    {
        await using var server = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\":");
            r.Reset();
            return false;
        });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.GetHealthAsync());

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("could not be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_an_html_answer_to_a_stream_is_a_protocol_error_with_what_arrived()
    {
        await using var server = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html>proxy says hi");
            r.Reset();
            return false;
        });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => Drain(client.RunAgentStreamingAsync("echo-agent", new RunRequest("x"))));

        Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("<html>proxy says hi", ex.ResponseBodyExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_gzip_body_is_a_protocol_error_streaming_and_not()
    {
        byte[] garbage = [0x1F, 0x8B, 0x08, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07];
        await using var server = RawHttpServer.Start(async r =>
        {
            string type = r.Target.Contains("runs", StringComparison.Ordinal) ? "text/event-stream" : "application/json";
            await r.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Encoding: gzip\r\nContent-Length: {garbage.Length}\r\n\r\n");
            await r.WriteAsync(garbage);
            return true;
        });
        using var client = Client(server);

        var json = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.GetHealthAsync());
        Assert.IsType<InvalidDataException>(json.InnerException?.InnerException ?? json.InnerException);
        var stream = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(() => Drain(client.RunAgentStreamingAsync("echo-agent", new RunRequest("x"))));
        Assert.Equal(0, stream.EventsReceived);
    }

    [Fact]
    public async Task A_json_body_over_the_limit_is_refused_declared_or_chunked()
    {
        string big = "{\"status\":\"" + new string('x', 4096) + "\"}";
        await using var server = RawHttpServer.Start(async r =>
        {
            if (r.Target.Contains("health", StringComparison.Ordinal))
            {
                await r.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {big.Length}\r\n\r\n{big}");
            }
            else
            {
                await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                foreach (var part in big.Chunk(512))
                {
                    await r.WriteChunkAsync(new string(part));
                }

                await r.WriteAsync("0\r\n\r\n");
            }

            return true;
        });
        using var client = Client(server, o => o.MaxResponseBodySize = 1024);

        var declared = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.GetHealthAsync());
        Assert.Contains("declares a body of", declared.Message, StringComparison.Ordinal);
        Assert.Contains("MaxResponseBodySize", declared.Message, StringComparison.Ordinal);
        var chunked = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.GetInfoAsync());
        Assert.Contains("MaxResponseBodySize", chunked.Message, StringComparison.Ordinal);

        // within the limit the same body reads
        using var roomy = Client(server, o => o.MaxResponseBodySize = 8192);
        Assert.Equal(4096, (await roomy.GetHealthAsync()).Status!.Length);
    }

    [Fact]
    public async Task One_stream_event_over_the_limit_is_a_protocol_error()
    {
        string huge = "event: RunContent\ndata: {\"event\":\"RunContent\",\"content\":\"" + new string('x', 8192) + "\"}\n\n";
        await using var server = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            await r.WriteChunkAsync(Sse.Split("\n\n")[0] + "\n\n");
            foreach (var part in huge.Chunk(1000))
            {
                await r.WriteChunkAsync(new string(part));
            }

            await r.WriteAsync("0\r\n\r\n");
            return false;
        });
        using var client = Client(server, o => o.MaxStreamEventSize = 4096);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => Drain(client.RunAgentStreamingAsync("echo-agent", new RunRequest("x"))));

        Assert.Contains("MaxStreamEventSize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 event(s)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, typeof(AgentOSRateLimitException))]
    [InlineData(503, typeof(AgentOSServerException))]
    public async Task Rate_limits_and_unavailable_servers_are_typed_with_retry_after(int status, Type expected)
    {
        await using var server = RawHttpServer.Start(async r =>
        {
            string retryAfter = r.Target.Contains("health", StringComparison.Ordinal) ? "7" : "Wed, 02 Dec 2026 00:01:40 GMT";
            string body = "{\"detail\":\"slow down\"}";
            await r.WriteAsync($"HTTP/1.1 {status} Whatever\r\nRetry-After: {retryAfter}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
            return true;
        });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        using var client = Client(server, time: clock);

        var delta = await Assert.ThrowsAnyAsync<AgentOSException>(() => client.GetHealthAsync());
        Assert.IsType(expected, delta);
        Assert.Equal(TimeSpan.FromSeconds(7), delta.RetryAfter);
        Assert.Equal("slow down", delta.Detail);
        Assert.Equal((HttpStatusCode)status, delta.StatusCode);

        var date = await Assert.ThrowsAnyAsync<AgentOSException>(() => client.GetInfoAsync());
        Assert.IsType(expected, date);
        Assert.Equal(TimeSpan.FromSeconds(100), date.RetryAfter);
    }

    [Fact]
    public async Task A_stream_given_up_early_closes_its_connection_at_once_instead_of_draining_it()
    {
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var frames = Sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(f => f + "\n\n").ToList();
        await using var server = RawHttpServer.Start(async r =>
        {
            if (r.Index > 0 || r.Connection > 1)
            {
                await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}");
                return true;
            }

            await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            await r.WriteChunkAsync(frames[0]);
            await r.WriteChunkAsync(frames[1]);
            await disposed.Task;
            try
            {
                // the rest of the run, small enough for a draining handler to read and pool the connection
                foreach (var f in frames.Skip(2)) { await r.WriteChunkAsync(f); }
                await r.WriteAsync("0\r\n\r\n");
            }
            catch (IOException)
            {
                // already closed by the client
            }

            await r.WaitForCloseAsync();
            closed.TrySetResult();
            return false;
        });
        using var client = Client(server);

        await using (var e = client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).GetAsyncEnumerator())
        {
            Assert.True(await e.MoveNextAsync());
            Assert.True(await e.MoveNextAsync());
        }

        disposed.SetResult();
        // a draining handler would read the rest and keep the connection in its pool for the next call
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await client.GetHealthAsync();
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public void The_handler_the_client_creates_closes_unread_bodies_instead_of_draining_them()
    {
        using var handler = AgentOSClient.CreateHttpHandler();

        Assert.Equal(0, handler.MaxResponseDrainSize);
        Assert.Equal(DecompressionMethods.All, handler.AutomaticDecompression);
    }

    // ---- the idle timeout on a fake clock, the body fed by the test

    private sealed class BodyHandler(ScriptedBodyStream body, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    private static (AgentOSClient Client, HttpClient Http) FedClient(ScriptedBodyStream body, FakeTimeProvider clock, string contentType = "text/event-stream")
    {
        var http = new HttpClient(new BodyHandler(body, contentType));
        var client = new AgentOSClient(
            new AgentOSClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/"), StreamIdleTimeout = TimeSpan.FromSeconds(30), Timeout = Timeout.InfiniteTimeSpan },
            http,
            timeProvider: clock);
        return (client, http);
    }

    [Fact]
    public async Task Keepalive_comments_and_trickled_bytes_count_as_activity_and_silence_does_not()
    {
        var frames = Sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(f => f + "\n\n").ToList();
        using var body = new ScriptedBodyStream();
        var clock = new FakeTimeProvider();
        var (client, http) = FedClient(body, clock);
        using var _ = http;
        using var __ = client;
        body.Send(frames[0]);
        await using var e = client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());

        var next = e.MoveNextAsync().AsTask();
        await body.WaitForPendingReadAsync();
        for (int i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(20)); // 80 s in all, never 30 s without a byte
            body.Send(i % 2 == 0 ? ": keepalive\n\n" : frames[1][..(frames[1].Length / 2)][(i * 3)..((i * 3) + 3)]);
            var waiting = body.WaitForPendingReadAsync();
            Assert.Same(waiting, await Task.WhenAny(waiting, next)); // the stream goes on waiting: no timeout
        }

        clock.Advance(TimeSpan.FromSeconds(30)); // then 30 s of silence
        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(() => next);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.Timeout);
    }

    [Fact]
    public async Task A_stream_request_answered_with_a_stalled_html_body_ends_after_the_idle_timeout()
    {
        using var body = new ScriptedBodyStream();
        var clock = new FakeTimeProvider();
        var (client, http) = FedClient(body, clock, "text/html");
        using var _ = http;
        using var __ = client;
        body.Send("<html><body>Bad gateway");

        var run = Drain(client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")));
        await body.WaitForPendingReadAsync();
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => run);
        Assert.Equal("<html><body>Bad gateway", ex.ResponseBodyExcerpt);
        Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
    }
}
