using Microsoft.Extensions.Time.Testing;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class BackgroundRunTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task A_background_run_answers_202_and_is_polled_until_completed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("180", "181", "182");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");

        var handle = await agent.StartInBackgroundAsync(new RunRequest("background slow job") { SessionId = "fixture-bg-session" });
        RequestAssert.Matches(Fixtures.Get("180"), server.Last);
        var done = await agent.WaitForRunAsync(handle.RunId!, handle.SessionId!, TimeSpan.Zero);

        Assert.Equal(RunStatus.Pending, handle.Status);
        Assert.Equal("fixture-bg-session", handle.SessionId);
        Assert.Equal(3, server.Received.Count); // one poll saw RUNNING (181), the next COMPLETED (182)
        RequestAssert.Matches(Fixtures.Get("181"), server.Received[1]);
        RequestAssert.Matches(Fixtures.Get("182"), server.Received[2]);
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Contains("background slow job", done.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_durable_runs_ticket_shaped_poll_answers_are_polled_through()
    {
        // agno 3.x's durable queue answers a poll with the ticket {run_id, session_id, status} while the run row
        // does not exist yet (queued: PENDING); the recorded polls, the first two in that shape
        string runId = TestSupport.RecordedString("180", "run_id")!;
        byte[] Ticket(string status) => System.Text.Encoding.UTF8.GetBytes($$"""{"run_id":"{{runId}}","session_id":"fixture-bg-session","status":"{{status}}"}""");
        await using var server = await ReplayServer.StartAsync();
        server.Serve("181", new ServeOptions { BodyOverride = Ticket("PENDING") });
        server.Serve("181", new ServeOptions { BodyOverride = Ticket("RUNNING") });
        server.Serve("182");
        using var client = TestSupport.Client(server);

        var done = await client.GetRemoteAgent("echo-agent").WaitForRunAsync(runId, "fixture-bg-session", TimeSpan.Zero);

        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => RequestAssert.Matches(Fixtures.Get("181"), r));
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(runId, done.RunId);
        Assert.Contains("background slow job", done.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_background_run_answers_202()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("189");
        using var client = TestSupport.Client(server);

        var handle = await client.StartWorkflowRunInBackgroundAsync("echo-workflow", new RunRequest("background workflow") { SessionId = "fixture-bg-wf" });

        RequestAssert.Matches(Fixtures.Get("189"), server.Last);
        Assert.Equal(RunStatus.Pending, handle.Status);
        Assert.NotNull(handle.RunId);
    }

    [Fact]
    public async Task A_background_stream_carries_event_indexes_and_can_be_replayed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", "184", "185");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");

        var live = await agent.RunInBackgroundStreamingAsync(new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("183"), server.Last);
        var runId = live[0].RunId!;
        var fromThree = await agent.ResumeStreamingAsync(runId, "fixture-bg-session", lastEventIndex: 3).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("184"), server.Last);
        var all = await agent.ResumeStreamingAsync(runId, "fixture-bg-session").ToListAsync();
        RequestAssert.Matches(Fixtures.Get("185"), server.Last);

        Assert.Equal(Enumerable.Range(0, live.Count), live.Select(e => e.EventIndex!.Value));
        var replay = Assert.IsType<ResumeReplayEvent>(fromThree[0]);
        Assert.Equal(EventScope.Resume, replay.Scope);
        Assert.Equal("COMPLETED", replay.Status);
        Assert.Equal(3, replay.LastEventIndexRequested);
        Assert.Equal(Enumerable.Range(4, live.Count - 4), fromThree.Skip(1).Select(e => e.EventIndex!.Value));
        Assert.IsType<ResumeReplayEvent>(all[0]);
        Assert.Equal(live.Select(e => e.Event), all.Skip(1).Select(e => e.Event));
        server.Serve("184");
        var result = await agent.ResumeStreamingAsync(runId, "fixture-bg-session", 3).CollectAsync();
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(live.Count - 1, result.LastEventIndex);
    }

    [Fact]
    public async Task A_dropped_background_stream_is_resumed_explicitly_with_catch_up_then_live_events()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("186", "187", "188");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");
        var received = new List<AgentOSEvent>();

        // 186 is what the client received before it disconnected: the stream ends early
        var ex = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in agent.RunInBackgroundStreamingAsync(new RunRequest("background slow stream") { SessionId = "fixture-bg-session" }))
            {
                received.Add(e);
            }
        });
        RequestAssert.Matches(Fixtures.Get("186"), server.Last);
        Assert.Equal(5, ex.LastEventIndex);

        var resumed = await agent.ResumeStreamingAsync(ex.RunId!, ex.SessionId, ex.LastEventIndex).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("187"), server.Last);
        var run = await agent.GetRunAsync(ex.RunId!, "fixture-bg-session");
        RequestAssert.Matches(Fixtures.Get("188"), server.Last);

        var catchUp = Assert.IsType<ResumeCatchUpEvent>(resumed[0]);
        Assert.Equal(2, catchUp.MissedEvents);
        Assert.Contains(resumed, e => e is ResumeSubscribedEvent);
        var indexes = received.Concat(resumed).Where(e => e.EventIndex is not null).Select(e => e.EventIndex!.Value).ToList();
        Assert.Equal(Enumerable.Range(0, indexes.Count), indexes);
        Assert.IsType<RunCompletedEvent>(resumed[^1]);
        Assert.Equal(RunStatus.Completed, run.Status);
    }

    [Fact]
    public async Task A_cut_background_stream_is_resumed_transparently_when_enabled()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { AbortAfterEvents = 4 }); // connection reset after event_index 3
        server.Serve("184");                                            // resume last_event_index=3
        using var client = TestSupport.Client(server, configure: o => o.ResumeInterruptedBackgroundStreams = true);
        var agent = client.GetRemoteAgent("echo-agent");

        var events = await agent.RunInBackgroundStreamingAsync(new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("183"), server.Received[0]);
        RequestAssert.Matches(Fixtures.Get("184"), server.Received[1]);
        var runEvents = events.Where(e => e.Scope != EventScope.Resume).ToList();
        Assert.Equal(TestSupport.RecordedEventNames("183"), runEvents.Select(e => e.Event));
        Assert.Equal(Enumerable.Range(0, runEvents.Count), runEvents.Select(e => e.EventIndex!.Value));
        Assert.IsType<ResumeReplayEvent>(events[4]);
        var accumulator = new RunStreamAccumulator();
        events.ForEach(accumulator.Add);
        var result = accumulator.Result;
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("Echo: background stream hello (turn 2)", result.Content);
    }

    [Fact]
    public async Task Replayed_events_already_delivered_are_skipped_when_resuming_transparently()
    {
        // The resume answer replays from event 0 (185), but events 0..3 were delivered before the cut.
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { AbortAfterEvents = 4 });
        server.Serve(Fixtures.Get("184"), new ServeOptions { BodyOverride = Fixtures.Get("185").ResponseBody });
        using var client = TestSupport.Client(server, configure: o => o.ResumeInterruptedBackgroundStreams = true);

        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }).ToListAsync();

        var indexes = events.Where(e => e.EventIndex is not null).Select(e => e.EventIndex!.Value).ToList();
        Assert.Equal(Enumerable.Range(0, indexes.Count), indexes);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task Without_opting_in_a_cut_background_stream_throws_with_the_index_to_resume_from()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { AbortAfterEvents = 4 });
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
            await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }).ToListAsync());

        Assert.Equal(3, ex.LastEventIndex);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_resume_of_an_unknown_run_is_not_found()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(ctx.Response, "event: error\ndata: {\"event\":\"error\",\"error\":\"Run r-1 not found in buffer or database\"}\n\n");
        };
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSNotFoundException>(async () => await client.ResumeAgentRunStreamingAsync("echo-agent", "r-1", "s-1", 2).ToListAsync());

        Assert.Equal("Run r-1 not found in buffer or database", ex.Detail);
        Assert.Equal("last_event_index=2&session_id=s-1", System.Text.Encoding.UTF8.GetString(server.Last.Body));
    }
}

public abstract class StalledBackgroundStreamTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    // The idle timeout runs on a fake clock that moves only when the test moves it, and only once the reader is
    // waiting on the silent server: MoveNextAsync runs the reader synchronously up to its wait for the next byte, so
    // when the returned ValueTask is still pending after event_index 3, the reader is waiting for event 4.
    private static async Task<List<AgentOSEvent>> ReadUntilStallThenAdvanceAsync(IAsyncEnumerable<AgentOSEvent> stream, FakeTimeProvider clock, TimeSpan idle)
    {
        var events = new List<AgentOSEvent>();
        await using var enumerator = stream.GetAsyncEnumerator();
        bool advanced = false;
        while (true)
        {
            var next = enumerator.MoveNextAsync();
            if (!advanced && events.Count > 0 && events[^1].EventIndex == 3)
            {
                Assert.False(next.IsCompleted, "the server is silent after event_index 3");
                clock.Advance(idle);
                advanced = true;
            }

            if (!await next)
            {
                return events;
            }

            events.Add(enumerator.Current);
        }
    }

    [Fact]
    public async Task A_stalled_background_stream_is_resumed_when_enabled_and_reports_where_to_resume_otherwise()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { StallAfterEvents = 4 }); // silent after event_index 3
        server.Serve("184");                                            // resume last_event_index=3
        var clock = new FakeTimeProvider();
        var idle = TimeSpan.FromSeconds(30);
        using var client = TestSupport.Client(server, configure: o =>
        {
            o.ResumeInterruptedBackgroundStreams = true;
            o.StreamIdleTimeout = idle;
        }, time: clock);

        var events = await ReadUntilStallThenAdvanceAsync(
            client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }), clock, idle);

        RequestAssert.Matches(Fixtures.Get("184"), server.Received[1]);
        var indexes = events.Where(e => e.EventIndex is not null).Select(e => e.EventIndex!.Value).ToList();
        Assert.Equal(Enumerable.Range(0, indexes.Count), indexes);
        Assert.True(indexes.Count > 4);
        Assert.IsType<RunCompletedEvent>(events[^1]);

        server.Serve("183", new ServeOptions { StallAfterEvents = 4 });
        var plainClock = new FakeTimeProvider();
        using var plain = TestSupport.Client(server, configure: o => o.StreamIdleTimeout = idle, time: plainClock);
        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(() => ReadUntilStallThenAdvanceAsync(
            plain.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }), plainClock, idle));
        Assert.Equal((3, "fixture-bg-session"), (ex.LastEventIndex, ex.SessionId));
        Assert.Equal(idle, ex.Timeout);
        Assert.NotNull(ex.RunId);
    }
}

public sealed class BackgroundRunTests_Agno29() : BackgroundRunTests(FixtureSet.Agno29);

public sealed class BackgroundRunTests_Agno30() : BackgroundRunTests(FixtureSet.Agno30);

public sealed class StalledBackgroundStreamTests_Agno29() : StalledBackgroundStreamTests(FixtureSet.Agno29);

public sealed class StalledBackgroundStreamTests_Agno30() : StalledBackgroundStreamTests(FixtureSet.Agno30);
