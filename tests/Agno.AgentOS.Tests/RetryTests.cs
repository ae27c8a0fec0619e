using System.Net;
using System.Threading.Channels;
using Agno.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Retries of idempotent calls on a fake clock: the server (a raw loopback socket) answers transient failures first;
/// the test moves the clock exactly when, and exactly as far as, the client has armed a timer (its back-off), and
/// records when, on the client's clock, each attempt arrived. No real-time windows: a slow machine only waits longer.
/// </summary>
public sealed class RetryTests
{
    /// <summary>A fake clock that tells when a timer is armed with a finite due time, and with which.</summary>
    private sealed class WatchedClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => new Watched(base.CreateTimer(callback, state, dueTime, period), this, dueTime);

        /// <summary>Waits for the call to end, or moves the clock by the due time of the next timer the client arms.</summary>
        public async Task<T> DriveAsync<T>(Task<T> call)
        {
            while (!call.IsCompleted)
            {
                var armed = _armed.Reader.ReadAsync().AsTask();
                if (await Task.WhenAny(call, armed) == armed)
                {
                    Advance(await armed);
                }
            }

            return await call;
        }

        private void Armed(TimeSpan dueTime)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                _armed.Writer.TryWrite(dueTime);
            }
        }

        private sealed class Watched : ITimer
        {
            private readonly ITimer _inner;
            private readonly WatchedClock _clock;

            public Watched(ITimer inner, WatchedClock clock, TimeSpan dueTime)
            {
                _inner = inner;
                _clock = clock;
                clock.Armed(dueTime);
            }

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                bool changed = _inner.Change(dueTime, period);
                _clock.Armed(dueTime);
                return changed;
            }

            public void Dispose() => _inner.Dispose();

            public ValueTask DisposeAsync() => _inner.DisposeAsync();
        }
    }

    private sealed class Script
    {
        private readonly Queue<(int Status, string? RetryAfter)> _answers;

        public Script(WatchedClock clock, params (int, string?)[] answers)
        {
            Clock = clock;
            _answers = new(answers);
        }

        public WatchedClock Clock { get; }

        public List<DateTimeOffset> ArrivedAt { get; } = [];

        public async Task<bool> AnswerAsync(RawRequest r)
        {
            var (status, retryAfter) = _answers.Count > 0 ? _answers.Dequeue() : (200, null);
            lock (ArrivedAt)
            {
                ArrivedAt.Add(Clock.GetUtcNow());
            }

            string body = status == 200 ? "{\"status\":\"ok\"}" : "{\"detail\":\"busy\"}";
            string header = retryAfter is null ? string.Empty : $"Retry-After: {retryAfter}\r\n";
            await r.WriteAsync($"HTTP/1.1 {status} X\r\n{header}Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
            return true;
        }

        public Task<T> DriveAsync<T>(Task<T> call) => Clock.DriveAsync(call);
    }

    private static AgentOSClient Client(RawHttpServer server, WatchedClock clock, Action<AgentOSRetryOptions>? retry = null)
    {
        var options = new AgentOSClientOptions { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        options.Retry.UseJitter = false;
        retry?.Invoke(options.Retry);
        return new AgentOSClient(options, timeProvider: clock);
    }

    [Fact]
    public async Task Idempotent_reads_retry_transient_answers_with_backoff_and_honour_retry_after()
    {
        var clock = new WatchedClock();
        var script = new Script(clock, (503, "5"), (429, null), (502, null));
        await using var server = RawHttpServer.Start(script.AnswerAsync);
        using var client = Client(server, clock);

        var health = await script.DriveAsync(client.GetHealthAsync());

        Assert.Equal("ok", health.Status);
        Assert.Equal(4, server.Received.Count);
        var gaps = script.ArrivedAt.Zip(script.ArrivedAt.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal(TimeSpan.FromSeconds(5), gaps[0]);  // the server's Retry-After
        Assert.Equal(TimeSpan.FromSeconds(2), gaps[1]);  // exponential: 1 s, 2 s, 4 s
        Assert.Equal(TimeSpan.FromSeconds(4), gaps[2]);
    }

    [Fact]
    public async Task Retries_give_up_after_the_configured_attempts_with_the_last_answer_typed()
    {
        var clock = new WatchedClock();
        var script = new Script(clock, (503, null), (503, null), (503, null));
        await using var server = RawHttpServer.Start(script.AnswerAsync);
        using var client = Client(server, clock, r => r.MaxRetryAttempts = 2);

        var ex = await Assert.ThrowsAsync<AgentOSServerException>(() => script.DriveAsync(client.GetHealthAsync()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task Runs_are_never_retried_and_a_500_is_not_transient()
    {
        var clock = new WatchedClock();
        var script = new Script(clock, (503, "1"), (500, null));
        await using var server = RawHttpServer.Start(script.AnswerAsync);
        using var client = Client(server, clock);

        await Assert.ThrowsAsync<AgentOSServerException>(() => script.DriveAsync(client.RunAgentAsync("echo-agent", new RunRequest("x"))));
        Assert.Single(server.Received);

        await Assert.ThrowsAsync<AgentOSServerException>(() => script.DriveAsync(client.GetInfoAsync()));
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task Retries_can_be_turned_off()
    {
        var clock = new WatchedClock();
        var script = new Script(clock, (503, null));
        await using var server = RawHttpServer.Start(script.AnswerAsync);
        using var client = Client(server, clock, r => r.Enabled = false);

        await Assert.ThrowsAsync<AgentOSServerException>(() => script.DriveAsync(client.GetHealthAsync()));

        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_then_reported_unavailable()
    {
        var clock = new WatchedClock();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new AgentOSClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Timeout.InfiniteTimeSpan };
        options.Retry.UseJitter = false;
        options.Retry.MaxRetryAttempts = 2;
        using var client = new AgentOSClient(options, timeProvider: clock);
        var ex = await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => clock.DriveAsync(client.GetHealthAsync()));

        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.GetUtcNow() - new FakeTimeProvider().GetUtcNow()); // two retries waited 1 s and 2 s on the client's clock
    }
}
