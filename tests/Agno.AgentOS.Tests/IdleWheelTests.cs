using Agno.AgentOS.Internal;
using Agno.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The stream idle timeout on the client's own handler: every open stream of a clock is an entry of that clock's one
/// <see cref="IdleWheel"/> (no timer or token source per stream), and a silent stream's connection is aborted.
/// </summary>
public sealed class IdleWheelTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task On_one_clock_only_the_silent_stream_times_out_and_a_held_one_goes_on()
    {
        await using var silentServer = await StallingServerAsync();
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        var clock = new FakeTimeProvider();
        var wheel = IdleWheel.For(clock);
        using var silentClient = IdleClient(silentServer, clock);
        using var client = IdleClient(server, clock);

        await using var held = Stream(client);
        Assert.True(await held.MoveNextAsync()); // the caller holds this event: its stream's clock is stopped

        await using var silent = Stream(silentClient);
        var third = await StallAsync(silent); // waits for the third event of a silent server
        Assert.Equal(2, wheel.Count); // both streams of the clock on its one wheel

        clock.Advance(Idle - TimeSpan.FromTicks(1));
        Assert.False(third.IsCompleted);
        Assert.Equal(2, wheel.Count);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, wheel.Count); // fired in the call that advanced the clock
        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(async () => await third);
        Assert.Equal(Idle, ex.Timeout);
        Assert.Contains("after 2 event(s)", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
        await silentServer.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // the held stream was not silent while its caller held the event: it reads to its end
        int count = 1;
        while (await held.MoveNextAsync())
        {
            count++;
        }

        Assert.Equal(TestSupport.RecordedEventNames("021").Count, count);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public async Task Each_clock_has_its_own_wheel()
    {
        await using var server = await StallingServerAsync(streams: 2);
        var clock1 = new FakeTimeProvider();
        var clock2 = new FakeTimeProvider();
        using var client1 = IdleClient(server, clock1);
        using var client2 = IdleClient(server, clock2);

        await using var stream1 = Stream(client1);
        await using var stream2 = Stream(client2);
        var next1 = await StallAsync(stream1);
        var next2 = await StallAsync(stream2);
        Assert.Equal(1, IdleWheel.For(clock1).Count);
        Assert.Equal(1, IdleWheel.For(clock2).Count);

        clock1.Advance(Idle);
        await Assert.ThrowsAsync<AgentOSTimeoutException>(async () => await next1);
        Assert.Equal(0, IdleWheel.For(clock1).Count);
        Assert.Equal(1, IdleWheel.For(clock2).Count); // the other clock has not moved: its stream is still timed
        Assert.False(next2.IsCompleted);

        clock2.Advance(Idle);
        await Assert.ThrowsAsync<AgentOSTimeoutException>(async () => await next2);
        Assert.Equal(0, IdleWheel.For(clock2).Count);
    }

    [Fact]
    public async Task The_callers_token_cancels_a_stream_on_the_wheel_as_a_cancellation_not_a_timeout()
    {
        await using var server = await StallingServerAsync();
        var clock = new FakeTimeProvider();
        using var client = IdleClient(server, clock);
        using var cts = new CancellationTokenSource();

        await using var stream = Stream(client, cts.Token);
        var next = await StallAsync(stream);
        Assert.Equal(1, IdleWheel.For(clock).Count);

        await cts.CancelAsync();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        Assert.IsNotType<AgentOSTimeoutException>(ex);
        Assert.Equal(0, IdleWheel.For(clock).Count);
        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // the clock moving afterwards has nothing left to fire
        clock.Advance(Idle * 10);
        Assert.Equal(0, IdleWheel.For(clock).Count);
    }

    [Fact]
    public async Task A_stream_the_caller_stops_reading_leaves_the_wheel()
    {
        await using var server = await StallingServerAsync();
        var clock = new FakeTimeProvider();
        using var client = IdleClient(server, clock);

        var stream = Stream(client);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal(1, IdleWheel.For(clock).Count);
        await stream.DisposeAsync();
        Assert.Equal(0, IdleWheel.For(clock).Count);
        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task On_a_callers_HttpClient_the_idle_timeout_is_the_streams_own_timer()
    {
        // not the client's own handler: no connection to abort, so the reads take the stream's token, cancelled by its timer
        await using var server = await StallingServerAsync();
        var clock = new FakeTimeProvider();
        using var http = new HttpClient();
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress, StreamIdleTimeout = Idle }, http, timeProvider: clock);

        await using var stream = Stream(client);
        var next = await StallAsync(stream);
        Assert.Equal(0, IdleWheel.For(clock).Count);

        clock.Advance(Idle);
        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(async () => await next);
        Assert.Equal(Idle, ex.Timeout);
        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A server whose next <paramref name="streams"/> runs stream two events of fixture 021, then fall silent.</summary>
    private static async Task<ReplayServer> StallingServerAsync(int streams = 1)
    {
        var server = await ReplayServer.StartAsync();
        for (int i = 0; i < streams; i++)
        {
            server.Serve("021", new ServeOptions { StallAfterEvents = 2 });
        }

        return server;
    }

    /// <summary>A client of the server (on its own handler) with the stream idle timeout on that clock.</summary>
    private static AgentOSClient IdleClient(ReplayServer server, TimeProvider clock)
        => TestSupport.Client(server, configure: o => o.StreamIdleTimeout = Idle, time: clock);

    private static IAsyncEnumerator<AgentOSEvent> Stream(AgentOSClient client, CancellationToken cancellationToken = default)
        => client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world"), cancellationToken: cancellationToken).GetAsyncEnumerator();

    /// <summary>Reads the two events a stalling server sends and returns the read of the next one, which waits.</summary>
    private static async Task<ValueTask<bool>> StallAsync(IAsyncEnumerator<AgentOSEvent> stream)
    {
        Assert.True(await stream.MoveNextAsync());
        Assert.True(await stream.MoveNextAsync());
        var next = stream.MoveNextAsync();
        Assert.False(next.IsCompleted);
        return next;
    }
}
