using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>The contract of <see cref="IAgentOSRunEventStore"/>, for each store of this repository that runs without a server.</summary>
public abstract class RunEventStoreContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    protected abstract IAgentOSRunEventStore Create(TimeProvider time, int maxEventsPerRun);

    private static AgentOSRunEventStream Stream(string runId, string? user = "u") => new()
    {
        RunId = runId,
        SessionId = "s-" + runId,
        UserId = user,
        ComponentKind = "agent",
        ComponentId = "a",
    };

    private static AgentOSRunEvent Event(int index) => new(index, "RunContent", $"{{\"event\":\"RunContent\",\"content\":\"c{index}\",\"event_index\":{index}}}");

    [Fact]
    public async Task Events_are_read_after_an_index_with_the_stream_and_its_final_status()
    {
        var store = Create(_time, 100);
        await store.OpenAsync(Stream("r1"));
        for (int i = 0; i < 5; i++)
        {
            await store.AppendAsync("r1", Event(i));
        }

        var running = await store.ReadAsync("r1", 1);
        await store.FinishAsync("r1", "COMPLETED");
        var finished = await store.ReadAsync("r1", -1);

        Assert.NotNull(running);
        Assert.Equal([2, 3, 4], running.Events.Select(e => e.Index));
        Assert.Equal((5, 4, false), (running.TotalEvents, running.LastIndex, running.Stream.IsFinished));
        Assert.Equal(("s-r1", "u", "agent", "a"), (running.Stream.SessionId, running.Stream.UserId, running.Stream.ComponentKind, running.Stream.ComponentId));
        Assert.Equal(Event(3), running.Events[1]);
        Assert.Equal("COMPLETED", finished!.Stream.Status);
        Assert.Equal(5, finished.Events.Count);
        Assert.Null(await store.ReadAsync("unknown", -1));
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_an_append_and_by_the_finish_and_not_before()
    {
        var store = Create(_time, 100);
        await store.OpenAsync(Stream("r2"));
        await store.AppendAsync("r2", Event(0));

        var already = store.WaitForEventsAsync("r2", -1).AsTask();
        var waiting = store.WaitForEventsAsync("r2", 0).AsTask();
        await already;
        bool wokeEarly = waiting.IsCompleted;
        await store.AppendAsync("r2", Event(1));
        await waiting;
        var untilFinish = store.WaitForEventsAsync("r2", 1).AsTask();
        bool finishWokeEarly = untilFinish.IsCompleted;
        await store.FinishAsync("r2", "CANCELLED");
        await untilFinish;

        Assert.False(wokeEarly);
        Assert.False(finishWokeEarly);
    }

    [Fact]
    public async Task Following_yields_the_stored_then_the_live_events_once_each_until_the_finish()
    {
        var store = Create(_time, 100);
        await store.OpenAsync(Stream("r3"));
        await store.AppendAsync("r3", Event(0));
        await store.AppendAsync("r3", Event(1));

        var seen = new List<int>();
        await foreach (var e in store.FollowAsync("r3", 0))
        {
            seen.Add(e.Index);
            if (e.Index == 1)
            {
                await store.AppendAsync("r3", Event(2));
                await store.AppendAsync("r3", Event(3));
            }
            else if (e.Index == 3)
            {
                await store.FinishAsync("r3", "COMPLETED");
            }
        }

        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_events_is_kept_the_oldest_dropped()
    {
        var store = Create(_time, 3);
        await store.OpenAsync(Stream("r4"));
        for (int i = 0; i < 6; i++)
        {
            await store.AppendAsync("r4", Event(i));
        }

        var slice = await store.ReadAsync("r4", -1);

        Assert.Equal([3, 4, 5], slice!.Events.Select(e => e.Index));
        Assert.Equal((3, 5), (slice.TotalEvents, slice.LastIndex));
    }

    [Fact]
    public async Task Streams_idle_since_the_cutoff_are_purged_and_a_reader_of_a_purged_stream_is_not_left_waiting()
    {
        var store = Create(_time, 100);
        await store.OpenAsync(Stream("old"));
        await store.AppendAsync("old", Event(0));
        _time.Advance(TimeSpan.FromMinutes(10));
        await store.OpenAsync(Stream("new"));
        await store.AppendAsync("old", Event(1)); // an append keeps a stream alive

        int none = await store.PurgeAsync(_time.GetUtcNow() - TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(10));
        await store.AppendAsync("new", Event(0));
        int one = await store.PurgeAsync(_time.GetUtcNow() - TimeSpan.FromMinutes(5));

        Assert.Equal((0, 1), (none, one));
        Assert.Null(await store.ReadAsync("old", -1));
        Assert.NotNull(await store.ReadAsync("new", -1));
        await store.WaitForEventsAsync("old", 5); // gone: returns at once
    }

    [Fact]
    public async Task Opening_a_stream_again_starts_it_afresh()
    {
        var store = Create(_time, 100);
        await store.OpenAsync(Stream("r5"));
        await store.AppendAsync("r5", Event(0));
        await store.FinishAsync("r5", "PAUSED");
        await store.OpenAsync(Stream("r5", user: null));

        var slice = await store.ReadAsync("r5", -1);

        Assert.Equal((0, false, (string?)null), (slice!.Events.Count, slice.Stream.IsFinished, slice.Stream.UserId));
    }
}

public sealed class InMemoryRunEventStoreTests : RunEventStoreContract
{
    protected override IAgentOSRunEventStore Create(TimeProvider time, int maxEventsPerRun) => new InMemoryAgentOSRunEventStore(maxEventsPerRun, time);
}

public sealed class SqliteRunEventStoreTests : RunEventStoreContract, IDisposable
{
    private readonly TempSqliteFile _database = new("agno-events-");

    protected override IAgentOSRunEventStore Create(TimeProvider time, int maxEventsPerRun) => new SqliteAgentOSRunEventStore(_database.ConnectionString, maxEventsPerRun, time);

    [Fact]
    public async Task The_events_survive_a_new_store_on_the_same_file()
    {
        var first = Create(TimeProvider.System, 100);
        await first.OpenAsync(new AgentOSRunEventStream { RunId = "r", SessionId = "s", ComponentKind = "team", ComponentId = "t" });
        await first.AppendAsync("r", new AgentOSRunEvent(0, "TeamRunStarted", "{}"));
        await first.FinishAsync("r", "COMPLETED");

        var second = await Create(TimeProvider.System, 100).ReadAsync("r", -1);

        Assert.Equal(("COMPLETED", "TeamRunStarted"), (second!.Stream.Status, Assert.Single(second.Events).Name));
    }

    public void Dispose() => _database.Dispose();
}
