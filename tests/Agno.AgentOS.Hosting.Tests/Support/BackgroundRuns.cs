using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>
/// Background runs on a host with a gated model: the host, the run polled while it executes, the resume while it goes
/// on, and the signature of a stream of events to compare a replay with.
/// </summary>
internal static class BackgroundRuns
{
    /// <summary>A host serving <c>gated</c> (the test's gated model) and <c>echo-agent</c> (an echo model), configured further by <paramref name="configure"/> (a store, a clock).</summary>
    public static Task<EmbeddedAgentOS> StartGatedHostAsync(GatedChatClient gate, Action<AgentOSHostBuilder>? configure = null)
        => EmbeddedAgentOS.StartAsync(b =>
        {
            b.AddAgent("echo-agent", new EchoChatClient());
            b.AddAgent("gated", gate);
            configure?.Invoke(b);
        });

    /// <summary>
    /// Starts the request in the background on <c>gated</c>, polls the run once its model executes, then lets the model
    /// answer "done" and waits for the run to end.
    /// </summary>
    public static async Task<PolledRun> PollAsync(AgentOSClient client, GatedChatClient gate, RunRequest request)
    {
        var agent = client.GetRemoteAgent("gated");
        var handle = await agent.StartInBackgroundAsync(request);
        await gate.Started.Task; // the run executes although the request that started it has been answered
        var running = await agent.GetRunAsync(handle.RunId!, request.SessionId!);
        gate.Send("done");
        gate.Finish();
        var finished = await agent.WaitForRunAsync(handle.RunId!, request.SessionId!, TimeSpan.FromMilliseconds(20));
        return new PolledRun(handle, running, finished);
    }

    /// <summary>
    /// A background stream on <c>gated</c> that its client leaves after the model's "a "; the model then sends "b ",
    /// stored while nobody listens, and a resume from the last event the client saw gets "c " and the end once it has
    /// subscribed.
    /// </summary>
    public static async Task<LiveResume> ResumeWhileRunningAsync(EmbeddedAgentOS host, AgentOSClient client, GatedChatClient gate, string sessionId)
    {
        var store = host.Services.GetRequiredService<IAgentOSRunEventStore>();
        var first = new List<AgentOSEvent>();
        await using (var stream = client.RunAgentInBackgroundStreamingAsync("gated", new RunRequest("go") { SessionId = sessionId }).GetAsyncEnumerator())
        {
            gate.Send("a ");
            while (await stream.MoveNextAsync())
            {
                first.Add(stream.Current);
                if (stream.Current is RunContentEvent { Content: "a " })
                {
                    break; // the client goes away: the run goes on
                }
            }
        }

        string runId = first[0].RunId!;
        int last = first[^1].EventIndex!.Value;
        gate.Send("b ");
        await store.WaitForEventsAsync(runId, last); // "b " is stored while nobody listens
        var resumed = new List<AgentOSEvent>();
        await foreach (var e in client.ResumeAgentRunStreamingAsync("gated", runId, sessionId, last))
        {
            resumed.Add(e);
            if (e is ResumeSubscribedEvent)
            {
                gate.Send("c ");
                gate.Finish();
            }
        }

        return new LiveResume(runId, last, resumed);
    }

    /// <summary>
    /// A background stream on <c>echo-agent</c> read to its end, then two resumes of the completed run: after event 3,
    /// and from the start.
    /// </summary>
    public static async Task<ReplayedRun> StreamThenResumeAsync(AgentOSClient client, string sessionId)
    {
        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = sessionId }).ToListAsync();
        string runId = events[0].RunId!;
        var fromThree = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, sessionId, 3).ToListAsync();
        var all = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, sessionId).ToListAsync();
        return new ReplayedRun(runId, events, fromThree, all);
    }

    /// <summary>What a replay must repeat of each event: its index, its name and its content.</summary>
    public static List<(int?, string, string?)> Signature(IEnumerable<AgentOSEvent> events)
        => events.Select(e => (e.EventIndex, e.Event, (e as RunContentEvent)?.Content ?? (e as RunCompletedEvent)?.Content)).ToList();
}

/// <summary>A background run's handle, the run polled while it executed, and the run it ended as.</summary>
internal sealed record PolledRun(BackgroundRunHandle Handle, AgentRunOutput Running, AgentRunOutput Finished);

/// <summary>A completed background stream (its events) and its replays after event 3 and from the start.</summary>
internal sealed record ReplayedRun(string RunId, IReadOnlyList<AgentOSEvent> Events, IReadOnlyList<AgentOSEvent> FromThree, IReadOnlyList<AgentOSEvent> All)
{
    /// <summary>
    /// Asserts the stream's events are numbered from 0 to its completion, and that each replay opens with its replay
    /// event and repeats the events after the index it was asked for.
    /// </summary>
    public void AssertNumberedAndReplayed()
    {
        Assert.Equal(Enumerable.Range(0, Events.Count), Events.Select(e => e.EventIndex ?? -1));
        Assert.IsType<RunCompletedEvent>(Events[^1]);
        var replay = Assert.IsType<ResumeReplayEvent>(FromThree[0]);
        Assert.Equal(("COMPLETED", Events.Count - 4, Events.Count, 3), (replay.Status, replay.TotalEvents, replay.TotalBuffered, replay.LastEventIndexRequested));
        Assert.Equal(BackgroundRuns.Signature(Events.Skip(4)), BackgroundRuns.Signature(FromThree.Skip(1)));
        Assert.Equal(BackgroundRuns.Signature(Events), BackgroundRuns.Signature(All.Skip(1)));
    }
}

/// <summary>A resume during a run: the run, the index of the last event its client saw, and the events of the resume.</summary>
internal sealed record LiveResume(string RunId, int Last, IReadOnlyList<AgentOSEvent> Resumed)
{
    /// <summary>
    /// Asserts the resume caught up with the one event it missed ("b "), then subscribed and got the live events
    /// numbered on from it (nothing lost, nothing twice) to the completed run.
    /// </summary>
    public void AssertCaughtUpThenLive()
    {
        var catchUp = Assert.IsType<ResumeCatchUpEvent>(Resumed[0]);
        Assert.Equal(("running", 1), (catchUp.Status, catchUp.MissedEvents));
        Assert.Equal(("b ", Last + 1), (Assert.IsType<RunContentEvent>(Resumed[1]).Content, Resumed[1].EventIndex));
        Assert.IsType<ResumeSubscribedEvent>(Resumed[2]);
        var live = Resumed.Skip(1).Where(e => e.EventIndex is not null).ToList();
        Assert.Equal(Enumerable.Range(Last + 1, live.Count), live.Select(e => e.EventIndex!.Value));
        Assert.Equal("a b c ", Assert.IsType<RunCompletedEvent>(Resumed[^1]).Content);
    }
}
