using System.Net;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.BackgroundRuns;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

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

    private async Task<EmbeddedAgentOS> StartAsync(GatedChatClient? gate = null)
        => await StartGatedHostAsync(gate ?? new GatedChatClient(), await StoreAsync());

    [StoreFact]
    public async Task Another_users_session_is_not_found_on_any_single_session_route_and_nothing_of_it_changes()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        using var http = host.CreateHttpClient();
        var run = await client.RunAgentAsync("echo-agent", new RunRequest("alice's secret") { SessionId = "alice-s", UserId = "alice" });

        await SessionRoutes.AssertNotFoundForAsync(http, "alice-s", run.RunId!, "bob");
        Assert.Equal("Run not found", await NotFoundAsync(await http.GetAsync($"agents/echo-agent/runs/{run.RunId}?session_id=alice-s&user_id=bob")));
        using var deleted = await http.DeleteAsync("sessions/alice-s?user_id=bob");
        using var bulk = await http.DeleteSessionsAsync("sessions?user_id=bob", "alice-s");
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
        var gate = new GatedChatClient();
        await using var host = await StartAsync(gate);
        using var client = host.CreateClient();
        using var http = host.CreateHttpClient();

        var (handle, running, finished) = await PollAsync(client, gate, new RunRequest("work") { SessionId = "bg-poll", UserId = "alice" });
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

        var run = await StreamThenResumeAsync(client, "bg-s");

        run.AssertNumberedAndReplayed();
        Assert.Equal(RunStatus.Completed, (await client.GetAgentRunAsync("echo-agent", run.RunId, "bg-s")).Status);
    }

    [StoreFact]
    public async Task A_resume_while_the_background_run_goes_on_catches_up_then_subscribes_to_its_live_events()
    {
        var gate = new GatedChatClient();
        await using var host = await StartAsync(gate);
        using var client = host.CreateClient();

        var resume = await ResumeWhileRunningAsync(host, client, gate, "bg-live");

        resume.AssertCaughtUpThenLive();
        Assert.Equal(RunStatus.Completed, (await client.GetAgentRunAsync("gated", resume.RunId, "bg-live")).Status);
    }
}
