using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests.Stores;

/// <summary>
/// The host's user isolation and background runs, end to end over loopback, on one session store: each derived class
/// runs every scenario on its store (in memory, SQLite, PostgreSQL; this file is compiled into the PostgreSQL test
/// project too). <see cref="StoreFactAttribute"/> is each project's own: a plain fact here, one that needs the test
/// server in the PostgreSQL project.
/// </summary>
public abstract class HostStoreScenarios
{
    /// <summary>Plugs the store under test into a host (a fresh database per test).</summary>
    protected abstract Task<Action<AgentOSHostBuilder>> StoreAsync();

    private async Task<EmbeddedAgentOS> StartAsync(IChatClient? gated = null)
    {
        var store = await StoreAsync();
        return await EmbeddedAgentOS.StartAsync(b =>
        {
            b.AddAgent("echo-agent", new EchoChatClient());
            b.AddAgent("gated", gated ?? new EchoChatClient());
            store(b);
        });
    }

    [StoreFact]
    public async Task Another_users_session_is_not_found_on_any_single_session_route_and_nothing_of_it_changes()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var run = await client.RunAgentAsync("echo-agent", new RunRequest("alice's secret") { SessionId = "alice-s", UserId = "alice" });

        Assert.Equal("Agent Session with id 'alice-s' not found", await NotFoundAsync(await http.GetAsync("sessions/alice-s?type=agent&user_id=bob")));
        Assert.Equal("Session with id 'alice-s' not found", await NotFoundAsync(await http.GetAsync("sessions/alice-s?user_id=bob")));
        Assert.Equal("Session with ID alice-s not found", await NotFoundAsync(await http.GetAsync("sessions/alice-s/runs?user_id=bob")));
        Assert.Equal("Session with ID alice-s not found", await NotFoundAsync(await http.GetAsync($"sessions/alice-s/runs/{run.RunId}?user_id=bob")));
        Assert.Equal("Session with id 'alice-s' not found", await NotFoundAsync(await http.PostAsync("sessions/alice-s/rename?user_id=bob", Json(new JsonObject { ["session_name"] = "pwned" }))));
        Assert.Equal("Session with id 'alice-s' not found", await NotFoundAsync(await http.PatchAsync("sessions/alice-s?user_id=bob", Json(new JsonObject { ["session_name"] = "pwned", ["session_state"] = new JsonObject { ["x"] = 1 } }))));
        Assert.Equal("Run not found", await NotFoundAsync(await http.GetAsync($"agents/echo-agent/runs/{run.RunId}?session_id=alice-s&user_id=bob")));
        using var deleted = await http.DeleteAsync("sessions/alice-s?user_id=bob");
        using var bulk = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "sessions?user_id=bob") { Content = Json(new JsonObject { ["session_ids"] = new JsonArray("alice-s"), ["session_types"] = new JsonArray("agent") }) });
        var bobsList = JsonNode.Parse(await http.GetStringAsync("sessions?type=agent&user_id=bob"))!;
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (deleted.StatusCode, bulk.StatusCode));
        Assert.Equal(0, bobsList["meta"]!["total_count"]!.GetValue<int>());

        // alice's session is untouched; alice and an unscoped caller (as in AgentOS) still find it
        var own = await client.GetSessionAsync("alice-s", SessionType.Agent, userId: "alice");
        Assert.Equal(("alice's secret", "alice"), (own.SessionName, own.UserId));
        Assert.False(own.SessionState?.ContainsKey("x") ?? false);
        Assert.Equal(run.RunId, Assert.Single(await client.GetSessionRunsAsync("alice-s")).RunId);
        Assert.Equal(run.RunId, (await client.GetAgentRunAsync("echo-agent", run.RunId!, "alice-s")).RunId);
        using var deletedByOwner = await http.DeleteAsync("sessions/alice-s?user_id=alice");
        using var gone = await http.GetAsync("sessions/alice-s");
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deletedByOwner.StatusCode, gone.StatusCode));
    }

    [StoreFact]
    public async Task A_run_of_another_user_in_a_session_sees_none_of_its_history_or_state_and_changes_nothing_of_it()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        await client.RunAgentAsync("echo-agent", new RunRequest("alice one") { SessionId = "shared-id", UserId = "alice", SessionState = new JsonObject { ["alice_secret"] = 42 } });

        var bob = await client.RunAgentAsync("echo-agent", new RunRequest("bob here") { SessionId = "shared-id", UserId = "bob" });
        var bobStreamed = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("bob again") { SessionId = "shared-id", UserId = "bob" }).ToListAsync();
        var alice = await client.RunAgentAsync("echo-agent", new RunRequest("alice two") { SessionId = "shared-id", UserId = "alice" });
        var session = await client.GetSessionAsync("shared-id", SessionType.Agent);
        var runs = await client.GetSessionRunsAsync("shared-id", SessionType.Agent, userId: "alice");

        Assert.Equal("Echo: bob here (turn 1)", bob.Content);                                  // none of alice's history
        Assert.False(bob.SessionState?.ContainsKey("alice_secret") ?? false);
        Assert.Equal("Echo: bob again (turn 1)", Assert.IsType<RunCompletedEvent>(bobStreamed[^1]).Content);
        Assert.Equal("Echo: alice two (turn 2)", alice.Content);                             // alice's history intact
        Assert.Equal(("alice", 42), (session.UserId, session.SessionState!["alice_secret"]!.GetValue<int>()));
        Assert.Equal(["alice one", "alice two"], runs.Select(r => r.RunInput));
    }

    [StoreFact]
    public async Task A_background_run_answers_202_is_polled_running_then_completed_and_another_user_cannot_poll_it()
    {
        var gate = new Gate();
        await using var host = await StartAsync(gate);
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var agent = client.GetRemoteAgent("gated");

        var handle = await agent.StartInBackgroundAsync(new RunRequest("work") { SessionId = "bg-poll", UserId = "alice" });
        await gate.Started.Task; // the run executes although the request that started it has been answered
        var running = await agent.GetRunAsync(handle.RunId!, "bg-poll");
        gate.Send("done");
        gate.Finish();
        var finished = await agent.WaitForRunAsync(handle.RunId!, "bg-poll", TimeSpan.FromMilliseconds(20));
        using var bobs = await http.GetAsync($"agents/gated/runs/{handle.RunId}?session_id=bg-poll&user_id=bob");

        Assert.Equal(("bg-poll", RunStatus.Pending), (handle.SessionId, handle.Status));
        Assert.Equal(RunStatus.Running, running.Status);
        Assert.Equal((RunStatus.Completed, "done"), (finished.Status, finished.Content));
        Assert.Equal(handle.RunId, Assert.Single(await client.GetSessionRunsAsync("bg-poll")).RunId);
        Assert.Equal("Run not found", await NotFoundAsync(bobs));
    }

    [StoreFact]
    public async Task A_background_stream_numbers_its_events_and_a_resume_after_it_replays_them_from_the_index()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();

        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "bg-s" }).ToListAsync();
        string runId = events[0].RunId!;
        var fromThree = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, "bg-s", 3).ToListAsync();
        var all = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, "bg-s").ToListAsync();

        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.EventIndex ?? -1));
        Assert.IsType<RunCompletedEvent>(events[^1]);
        var replay = Assert.IsType<ResumeReplayEvent>(fromThree[0]);
        Assert.Equal(("COMPLETED", events.Count - 4, events.Count, 3), (replay.Status, replay.TotalEvents, replay.TotalBuffered, replay.LastEventIndexRequested));
        Assert.Equal(Signature(events.Skip(4)), Signature(fromThree.Skip(1)));
        Assert.Equal(Signature(events), Signature(all.Skip(1)));
        Assert.Equal(RunStatus.Completed, (await client.GetAgentRunAsync("echo-agent", runId, "bg-s")).Status);
    }

    [StoreFact]
    public async Task A_resume_while_the_background_run_goes_on_catches_up_then_subscribes_to_its_live_events()
    {
        var gate = new Gate();
        await using var host = await StartAsync(gate);
        using var client = host.CreateClient();
        var events = host.Services.GetRequiredService<IAgentOSRunEventStore>();

        var first = new List<AgentOSEvent>();
        await using (var stream = client.RunAgentInBackgroundStreamingAsync("gated", new RunRequest("go") { SessionId = "bg-live" }).GetAsyncEnumerator())
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
        await events.WaitForEventsAsync(runId, last); // "b " is stored while nobody listens
        var resumed = new List<AgentOSEvent>();
        await foreach (var e in client.ResumeAgentRunStreamingAsync("gated", runId, "bg-live", last))
        {
            resumed.Add(e);
            if (e is ResumeSubscribedEvent)
            {
                gate.Send("c ");
                gate.Finish();
            }
        }

        var catchUp = Assert.IsType<ResumeCatchUpEvent>(resumed[0]);
        Assert.Equal(("running", 1), (catchUp.Status, catchUp.MissedEvents));
        Assert.Equal(("b ", last + 1), (Assert.IsType<RunContentEvent>(resumed[1]).Content, resumed[1].EventIndex));
        Assert.IsType<ResumeSubscribedEvent>(resumed[2]);
        var live = resumed.Skip(1).Where(e => e.EventIndex is not null).ToList();
        Assert.Equal(Enumerable.Range(last + 1, live.Count), live.Select(e => e.EventIndex!.Value)); // nothing lost, nothing twice
        Assert.Equal("a b c ", Assert.IsType<RunCompletedEvent>(resumed[^1]).Content);
        Assert.Equal(RunStatus.Completed, (await client.GetAgentRunAsync("gated", runId, "bg-live")).Status);
    }

    private static List<(int?, string, string?)> Signature(IEnumerable<AgentOSEvent> events)
        => events.Select(e => (e.EventIndex, e.Event, (e as RunContentEvent)?.Content ?? (e as RunCompletedEvent)?.Content)).ToList();

    private static async Task<string> NotFoundAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A model driven by the test (a server-side gate, no clock): it streams what the test sends until it finishes.</summary>
    private sealed class Gate : IChatClient
    {
        private readonly Channel<string> _chunks = Channel.CreateUnbounded<string>();

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Send(string chunk) => _chunks.Writer.TryWrite(chunk);

        public void Finish() => _chunks.Writer.TryComplete();

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var text = new StringBuilder();
            await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                text.Append(update.Text);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            while (await _chunks.Reader.WaitToReadAsync(cancellationToken))
            {
                while (_chunks.Reader.TryRead(out var chunk))
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { MessageId = "gated" };
                }
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
