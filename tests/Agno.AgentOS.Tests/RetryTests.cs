using System.Net;
using Agno.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Retries of idempotent calls on a fake clock: the server (a raw loopback socket) answers transient failures first;
/// the test moves the clock until the next attempt arrives and records when, on the client's clock, it arrived.
/// </summary>
public sealed class RetryTests
{
    private sealed class Script
    {
        private readonly Queue<(int Status, string? RetryAfter)> _answers;
        private readonly SemaphoreSlim _arrived = new(0);

        public Script(FakeTimeProvider clock, params (int, string?)[] answers)
        {
            Clock = clock;
            _answers = new(answers);
        }

        public FakeTimeProvider Clock { get; }

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
            _arrived.Release();
            return true;
        }

        /// <summary>Moves the clock a second at a time until the call ends (each retry waits on the clock).</summary>
        public async Task<T> DriveAsync<T>(Task<T> call)
        {
            while (!call.IsCompleted)
            {
                if (await _arrived.WaitAsync(20))
                {
                    continue;
                }

                Clock.Advance(TimeSpan.FromSeconds(1));
            }

            return await call;
        }
    }

    private static AgentOSClient Client(RawHttpServer server, FakeTimeProvider clock, Action<AgentOSRetryOptions>? retry = null)
    {
        var options = new AgentOSClientOptions { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        options.Retry.UseJitter = false;
        retry?.Invoke(options.Retry);
        return new AgentOSClient(options, timeProvider: clock);
    }

    [Fact]
    public async Task Idempotent_reads_retry_transient_answers_with_backoff_and_honour_retry_after()
    {
        var clock = new FakeTimeProvider();
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
        var clock = new FakeTimeProvider();
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
        var clock = new FakeTimeProvider();
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
        var clock = new FakeTimeProvider();
        var script = new Script(clock, (503, null));
        await using var server = RawHttpServer.Start(script.AnswerAsync);
        using var client = Client(server, clock, r => r.Enabled = false);

        await Assert.ThrowsAsync<AgentOSServerException>(() => script.DriveAsync(client.GetHealthAsync()));

        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_then_reported_unavailable()
    {
        var clock = new FakeTimeProvider();
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
        var call = client.GetHealthAsync();
        while (!call.IsCompleted)
        {
            await Task.WhenAny(call, Task.Delay(20));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var ex = await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => call);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.True(clock.GetUtcNow() - new FakeTimeProvider().GetUtcNow() >= TimeSpan.FromSeconds(3), "two retries waited 1 s and 2 s on the client's clock");
    }
}
