using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.BackgroundRuns;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// Background runs served by the host itself, through the core client over loopback: 202 and polling, resumable
/// streams with event indexes, <c>/resume</c> (replay, catch-up and subscribe), the client's transparent resume after a
/// cut, cancel, user isolation and the retention of the events. Models are gated by the test (no clock).
/// </summary>
public sealed class BackgroundRunTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task A_background_run_answers_202_pending_runs_detached_is_polled_running_and_waited_for_until_completed()
    {
        var gate = new GatedChatClient();
        await using var host = await StartGatedHostAsync(gate);
        using var client = host.CreateClient();

        var (handle, running, finished) = await PollAsync(client, gate, new RunRequest("work") { SessionId = "bg-1" });
        var stored = await client.GetSessionRunsAsync("bg-1");

        Assert.Equal(("bg-1", RunStatus.Pending), (handle.SessionId, handle.Status));
        Assert.Equal(RunStatus.Running, running.Status);
        Assert.Equal((RunStatus.Completed, "done"), (finished.Status, finished.Content));
        Assert.Equal(handle.RunId, Assert.Single(stored).RunId); // the result is in the session store
        Assert.False(gate.Cancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task Teams_and_workflows_run_in_the_background_too()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var team = client.GetRemoteTeam("echo-team");
        var workflow = client.GetRemoteWorkflow("echo-workflow");

        var teamHandle = await team.StartInBackgroundAsync(new RunRequest("team job") { SessionId = "bg-team" });
        var workflowHandle = await workflow.StartInBackgroundAsync(new RunRequest("workflow job") { SessionId = "bg-wf" });
        var teamRun = await team.WaitForRunAsync(teamHandle.RunId!, "bg-team", Poll);
        var workflowRun = await workflow.WaitForRunAsync(workflowHandle.RunId!, "bg-wf", Poll);
        var streamed = await workflow.RunInBackgroundStreamingAsync(new RunRequest("workflow stream") { SessionId = "bg-wf" }).ToListAsync();

        Assert.Equal((RunStatus.Pending, RunStatus.Pending), (teamHandle.Status, workflowHandle.Status));
        Assert.Equal(RunStatus.Completed, teamRun.Status);
        Assert.Contains("team job", teamRun.Content, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, workflowRun.Status);
        Assert.Contains("WORKFLOW JOB", workflowRun.Content, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, streamed.Count), streamed.Select(e => e.EventIndex ?? -1));
        Assert.Equal("WorkflowCompleted", streamed[^1].Event);
    }

    [Fact]
    public async Task A_background_stream_numbers_its_events_and_a_resume_after_completion_replays_them_from_the_index()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();

        var run = await StreamThenResumeAsync(client, "bg-s");

        run.AssertNumberedAndReplayed();
        Assert.All(run.Events, e => Assert.Equal(run.RunId, e.RunId));
        var replayAll = Assert.IsType<ResumeReplayEvent>(run.All[0]);
        Assert.Equal((run.Events.Count, -1), (replayAll.TotalEvents, replayAll.LastEventIndexRequested));
    }

    [Fact]
    public async Task A_resume_while_the_run_goes_on_catches_up_then_subscribes_to_the_live_events()
    {
        var gate = new GatedChatClient();
        await using var host = await StartGatedHostAsync(gate);
        using var client = host.CreateClient();

        var resume = await ResumeWhileRunningAsync(host, client, gate, "bg-live");
        var (_, last, resumed) = resume;

        resume.AssertCaughtUpThenLive();
        Assert.Equal(last + 2, Assert.IsType<ResumeCatchUpEvent>(resumed[0]).CurrentEventCount);
        Assert.Equal(("running", last + 2), (Assert.IsType<ResumeSubscribedEvent>(resumed[2]).Status, ((ResumeSubscribedEvent)resumed[2]).CurrentEventCount));
        Assert.Equal(("c ", last + 2), (Assert.IsType<RunContentEvent>(resumed[3]).Content, resumed[3].EventIndex));
        Assert.False(gate.Cancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task The_client_resumes_a_background_stream_cut_by_the_server_transparently_with_no_event_lost_or_twice()
    {
        var gate = new GatedChatClient();
        await using var host = await CuttableHost.StartAsync(b => b.AddAgent("gated", gate));
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = host.BaseAddress, ResumeInterruptedBackgroundStreams = true, Retry = { Enabled = false } });

        var events = new List<AgentOSEvent>();
        gate.Send("a ");
        await foreach (var e in client.RunAgentInBackgroundStreamingAsync("gated", new RunRequest("go") { SessionId = "bg-cut" }))
        {
            events.Add(e);
            if (e is RunContentEvent { Content: "a " })
            {
                (await host.RunRequests.Reader.ReadAsync()).Abort(); // the connection drops mid-run
                gate.Send("b ");
                gate.Finish();
            }
        }

        var indexed = events.Where(e => e.EventIndex is not null).ToList();
        Assert.Equal(Enumerable.Range(0, indexed.Count), indexed.Select(e => e.EventIndex!.Value));
        Assert.Equal(["a ", "b "], events.OfType<RunContentEvent>().Select(e => e.Content));
        Assert.Equal("a b ", Assert.IsType<RunCompletedEvent>(events[^1]).Content);
        Assert.Contains(events, e => e is ResumeCatchUpEvent or ResumeSubscribedEvent or ResumeReplayEvent); // it went through /resume
        Assert.Equal(1, host.ResumeRequests);
    }

    [Fact]
    public async Task A_background_run_is_cancelled_by_a_cancel_request_and_stored_cancelled()
    {
        var gate = new GatedChatClient();
        await using var host = await StartGatedHostAsync(gate);
        using var client = host.CreateClient();
        var agent = client.GetRemoteAgent("gated");

        var handle = await agent.StartInBackgroundAsync(new RunRequest("long") { SessionId = "bg-c" });
        await gate.Started.Task;
        await client.CancelAgentRunAsync("gated", handle.RunId!, "bg-c");
        var cancelled = await agent.WaitForRunAsync(handle.RunId!, "bg-c", Poll);

        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.True(gate.Cancelled.Task.IsCompletedSuccessfully); // the model saw the cancellation
    }

    [Fact]
    public async Task A_cancelled_background_stream_ends_with_RunCancelled_and_its_replay_says_so()
    {
        var gate = new GatedChatClient();
        await using var host = await StartGatedHostAsync(gate);
        using var client = host.CreateClient();

        var events = new List<AgentOSEvent>();
        gate.Send("partial ");
        await foreach (var e in client.RunAgentInBackgroundStreamingAsync("gated", new RunRequest("long") { SessionId = "bg-cs" }))
        {
            events.Add(e);
            if (e is RunContentEvent)
            {
                await client.CancelAgentRunAsync("gated", e.RunId!, "bg-cs");
            }
        }

        var replay = await client.ResumeAgentRunStreamingAsync("gated", events[0].RunId!, "bg-cs").ToListAsync();

        Assert.Contains(events, e => e is RunCancelledEvent);
        Assert.Equal("CANCELLED", Assert.IsType<ResumeReplayEvent>(replay[0]).Status);
        Assert.Equal(Signature(events), Signature(replay.Skip(1)));
    }

    [Fact]
    public async Task Another_users_background_run_is_not_found_by_polling_nor_by_resume()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        using var http = host.CreateHttpClient();
        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("alice's secret") { SessionId = "alice-bg", UserId = "alice" }).ToListAsync();
        string runId = events[0].RunId!;

        var bobPoll = await http.GetAsync($"agents/echo-agent/runs/{runId}?session_id=alice-bg&user_id=bob");
        using var alicePoll = await http.GetAsync($"agents/echo-agent/runs/{runId}?session_id=alice-bg&user_id=alice");
        var bobResume = Shape.ParseSse(await Resume(http, runId, ("session_id", "alice-bg"), ("user_id", "bob")));
        var aliceResume = Shape.ParseSse(await Resume(http, runId, ("session_id", "alice-bg"), ("user_id", "alice")));

        Assert.Equal("Run not found", await NotFoundAsync(bobPoll));
        Assert.Equal(HttpStatusCode.OK, alicePoll.StatusCode);
        var error = Assert.Single(bobResume);
        Assert.Equal(("error", $"Run {runId} not found in buffer or database"), (error.Name, error.Data!["error"]!.GetValue<string>()));
        Assert.DoesNotContain("secret", error.RawData, StringComparison.Ordinal);
        Assert.Equal("replay", aliceResume[0].Name);
        Assert.Equal(events.Count + 1, aliceResume.Count);
    }

    [Fact]
    public async Task Events_stay_resumable_for_the_retention_then_a_resume_replays_the_stored_run_from_the_session_store()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await EmbeddedAgentOS.StartAsync(
            b => { b.Services.AddSingleton<TimeProvider>(time); FixtureComponents.AddBasic(b); },
            o => o.RunEventRetention = TimeSpan.FromMinutes(30));
        using var client = host.CreateClient();
        var store = Assert.IsType<InMemoryAgentOSRunEventStore>(host.Services.GetRequiredService<IAgentOSRunEventStore>());

        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("keep me") { SessionId = "bg-ttl" }).ToListAsync();
        string runId = events[0].RunId!;
        time.Advance(TimeSpan.FromMinutes(29)); // idle for less than the retention: kept
        var kept = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, "bg-ttl").ToListAsync();
        int keptCount = store.Count;
        time.Advance(TimeSpan.FromMinutes(2)); // idle for longer: the sweep removes it
        int expiredCount = store.Count;
        var fromDatabase = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, "bg-ttl").ToListAsync();
        var storedRun = await client.GetAgentRunAsync("echo-agent", runId, "bg-ttl");

        Assert.Equal((1, 0), (keptCount, expiredCount));
        Assert.Equal(Signature(events), Signature(kept.Skip(1)));
        var replay = Assert.IsType<ResumeReplayEvent>(fromDatabase[0]);
        Assert.Contains("from the database", replay.Message, StringComparison.Ordinal);
        var replayed = fromDatabase.Skip(1).ToList();
        Assert.Equal(storedRun.Events!.Value.EnumerateArray().Select(e => e.GetProperty("event").GetString()), replayed.Select(e => e.Event)); // the stored events (no content deltas)
        Assert.DoesNotContain(replayed, e => e is RunContentEvent);
        Assert.Equal(Enumerable.Range(0, replayed.Count), replayed.Select(e => e.EventIndex ?? -1));
        Assert.IsType<RunCompletedEvent>(replayed[^1]);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_events_is_kept_per_run_the_oldest_dropped()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.UseRunEventStore(_ => new InMemoryAgentOSRunEventStore(maxEventsPerRun: 3)));
        using var client = host.CreateClient();

        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("many events here") { SessionId = "bg-cap" }).ToListAsync();
        var all = await client.ResumeAgentRunStreamingAsync("echo-agent", events[0].RunId!, "bg-cap").ToListAsync();

        var replay = Assert.IsType<ResumeReplayEvent>(all[0]);
        Assert.True(events.Count > 3);
        Assert.Equal((3, 3), (replay.TotalEvents, replay.TotalBuffered));
        Assert.Equal(Signature(events.TakeLast(3)), Signature(all.Skip(1)));
    }

    [Fact]
    public async Task A_resume_of_an_unknown_run_answers_the_error_frame_and_the_client_throws_not_found()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        using var http = host.CreateHttpClient();

        var frames = Shape.ParseSse(await Resume(http, "no-such-run", ("last_event_index", "2"), ("session_id", "nowhere")));
        using var badIndex = await http.PostAsync("agents/echo-agent/runs/r/resume", new FormUrlEncodedContent([new("last_event_index", "two")]));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(async () => await client.ResumeAgentRunStreamingAsync("echo-agent", "no-such-run", "nowhere").ToListAsync());

        Assert.Equal("{\"event\": \"error\", \"error\": \"Run no-such-run not found in buffer or database\"}", Assert.Single(frames).RawData);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badIndex.StatusCode);
    }

    [Fact]
    public async Task With_agno_3_the_stored_run_keeps_the_event_index_of_each_event_sent_before_it_was_stored()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic, o => o.AgnoVersion = "3.0.0");
        using var client = host.CreateClient();
        using var http = host.CreateHttpClient();

        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("three") { SessionId = "bg-3x" }).ToListAsync();
        var stored = JsonNode.Parse(await http.GetStringAsync($"agents/echo-agent/runs/{events[0].RunId}?session_id=bg-3x"))!["events"]!.AsArray();

        var sent = events.Where(e => e is not RunContentEvent).ToDictionary(e => e.Event + "@" + e.EventIndex, e => e.EventIndex);
        Assert.Equal(0, stored[0]!["event_index"]!.GetValue<int>());
        Assert.All(stored.Where(e => e!["event_index"] is not null), e => Assert.Contains(e!["event"]!.GetValue<string>() + "@" + e["event_index"]!.GetValue<int>(), sent.Keys));
        Assert.Null(stored[^1]!["event_index"]); // RunCompleted is stored before it is sent (as agno 3.x stores it)
    }

    [Fact]
    public async Task With_the_SQLite_stores_a_restarted_host_replays_a_background_stream_from_its_event_store()
    {
        using var database = new TempSqliteFile("agno-bg-");
        List<AgentOSEvent> events;
        await using (var first = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.UseSqliteSessionStore(database.ConnectionString)))
        {
            using var firstClient = first.CreateClient();
            events = await firstClient.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("survive a restart") { SessionId = "bg-sqlite" }).ToListAsync();
        }

        await using var second = await FixtureHost.StartAsync(FixtureComponents.AddBasic, extra: b => b.UseSqliteSessionStore(database.ConnectionString));
        using var client = second.CreateClient();
        var replay = await client.ResumeAgentRunStreamingAsync("echo-agent", events[0].RunId!, "bg-sqlite", 1).ToListAsync();

        Assert.IsType<SqliteAgentOSRunEventStore>(second.Services.GetRequiredService<IAgentOSRunEventStore>());
        var head = Assert.IsType<ResumeReplayEvent>(replay[0]);
        Assert.Equal(($"Run COMPLETED. Replaying {events.Count - 2} missed events (of {events.Count} total).", events.Count), (head.Message, head.TotalBuffered));
        Assert.Equal(Signature(events.Skip(2)), Signature(replay.Skip(1))); // content deltas included: from the event store, not the session
    }

    [Fact]
    public async Task A_resume_stream_waiting_for_live_events_sends_a_heartbeat_comment_every_30_seconds_of_host_time()
    {
        var time = new HeartbeatSignallingTime();
        var gate = new GatedChatClient();
        await using var host = await StartGatedHostAsync(gate, b => b.Services.AddSingleton<TimeProvider>(time));
        using var client = host.CreateClient();
        gate.Send("x ");
        string runId;
        int last;
        await using (var stream = client.RunAgentInBackgroundStreamingAsync("gated", new RunRequest("wait") { SessionId = "bg-hb" }).GetAsyncEnumerator())
        {
            while (await stream.MoveNextAsync() && stream.Current is not RunContentEvent)
            {
            }

            (runId, last) = (stream.Current.RunId!, stream.Current.EventIndex!.Value); // nothing missed: the resume subscribes at once
        }

        using var http = host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"agents/gated/runs/{runId}/resume") { Content = new FormUrlEncodedContent([new("session_id", "bg-hb"), new("last_event_index", last.ToString(System.Globalization.CultureInfo.InvariantCulture))]) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string subscribed = await ReadFrameAsync(reader);
        await time.HeartbeatArmed.WaitAsync(); // the resume stream waits for events
        time.Advance(TimeSpan.FromSeconds(30));
        string heartbeat = await ReadFrameAsync(reader);
        await time.HeartbeatArmed.WaitAsync();
        gate.Finish();
        string next = await ReadFrameAsync(reader);

        Assert.StartsWith("event: subscribed\ndata: {\"event\": \"subscribed\"", subscribed, StringComparison.Ordinal);
        Assert.Equal(": heartbeat", heartbeat);
        Assert.StartsWith("event: ", next, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await client.GetRemoteAgent("gated").WaitForRunAsync(runId, "bg-hb", Poll)).Status);
    }

    private static async Task<string> ReadFrameAsync(StreamReader reader)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    break;
                }

                continue;
            }

            lines.Add(line);
        }

        return string.Join('\n', lines);
    }

    /// <summary>Fake time that says when a resume stream starts waiting for its next heartbeat (a 30 s delay is armed).</summary>
    private sealed class HeartbeatSignallingTime : FakeTimeProvider
    {
        public SemaphoreSlim HeartbeatArmed { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == TimeSpan.FromSeconds(30) && period == Timeout.InfiniteTimeSpan)
            {
                HeartbeatArmed.Release();
            }

            return timer;
        }
    }

    private static async Task<byte[]> Resume(HttpClient http, string runId, params (string Name, string Value)[] fields)
    {
        using var response = await http.PostAsync($"agents/echo-agent/runs/{runId}/resume", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>A host whose run requests the test can cut (it aborts their connection), counting the resumes it serves.</summary>
    private sealed class CuttableHost : IAsyncDisposable
    {
        private int _resumes;

        private CuttableHost(WebApplication app, Uri baseAddress)
        {
            App = app;
            BaseAddress = baseAddress;
        }

        public WebApplication App { get; }

        public Uri BaseAddress { get; }

        public Channel<HttpContext> RunRequests { get; } = Channel.CreateUnbounded<HttpContext>();

        public int ResumeRequests => Volatile.Read(ref _resumes);

        public static async Task<CuttableHost> StartAsync(Action<AgentOSHostBuilder> configure)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            configure(builder.Services.AddAgentOS());
            var app = builder.Build();
            CuttableHost? host = null;
            app.Use(async (context, next) =>
            {
                string path = context.Request.Path.Value ?? string.Empty;
                if (HttpMethods.IsPost(context.Request.Method) && path.EndsWith("/runs", StringComparison.Ordinal))
                {
                    host!.RunRequests.Writer.TryWrite(context);
                }
                else if (path.EndsWith("/resume", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref host!._resumes);
                }

                await next(context);
            });
            app.MapAgentOS();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            host = new CuttableHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
            return host;
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
