using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// The gateway is transparent: what a remote component's server answers reaches the caller unchanged (shapes,
/// nulls, ISO times, error events), and the sessions of remote runs are found through the gateway.
/// </summary>
public sealed class GatewayTransparencyTests
{
    [Fact]
    public async Task Stored_runs_read_through_the_gateway_are_the_remotes_bytes()
    {
        await using var hosts = await FixtureGateway.OfServerAsync();
        var (remote, _, gateway) = hosts;
        using var direct = remote.CreateHttpClient();
        using var through = gateway.CreateHttpClient();

        using var run = await through.PostAsync("agents/tool-agent/runs", Form(("message", "please add 2 and 3"), ("stream", "false"), ("session_id", "gw-s"), ("user_id", "u1")));
        string output = await run.Content.ReadAsStringAsync();
        string runId = JsonNode.Parse(output)!["run_id"]!.GetValue<string>();
        using var team = await through.PostAsync("teams/echo-team/runs", Form(("message", "team"), ("stream", "false"), ("session_id", "gw-t")));

        foreach (var path in new[] { "agents/tool-agent/runs?session_id=gw-s", $"agents/tool-agent/runs/{runId}?session_id=gw-s", "sessions/gw-s/runs", $"sessions/gw-s/runs/{runId}", "sessions/gw-s?type=agent", "sessions/gw-t/runs?type=team" })
        {
            Assert.Equal(await direct.GetStringAsync(path), await through.GetStringAsync(path));
        }

        var runs = JsonNode.Parse(await through.GetStringAsync("agents/tool-agent/runs?session_id=gw-s"))!.AsArray();
        var stored = runs.Single()!.AsObject();
        Assert.Equal(System.Text.Json.JsonValueKind.String, stored["created_at"]!.GetValueKind());   // ISO, as AgentOS writes it here
        Assert.True(stored.ContainsKey("tools") && stored.ContainsKey("user_id"));
        Assert.True(stored.ContainsKey("citations") && stored["citations"] is null);                // null-valued keys kept
        Assert.Equal("u1", JsonNode.Parse(output)!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_remote_workflow_stream_reaches_the_caller_unchanged_with_its_two_WorkflowErrors()
    {
        await using var hosts = await FixtureGateway.StartAsync((b, upstream) => b.AddRemoteWorkflow(upstream.GetRemoteWorkflow("fail-workflow")), FixtureComponents.AddExtended);
        var (remote, _, gateway) = hosts;
        using var direct = remote.CreateHttpClient();
        using var through = gateway.CreateHttpClient();

        var viaGateway = await StreamAsync(through, "workflows/fail-workflow/runs");
        var atRemote = await StreamAsync(direct, "workflows/fail-workflow/runs");

        Assert.Equal(2, viaGateway.Count(f => f.Name == "WorkflowError"));
        Assert.Equal(atRemote.Select(f => f.Name), viaGateway.Select(f => f.Name));
        Assert.Equal(atRemote.Select(f => Keys(f.Data)), viaGateway.Select(f => Keys(f.Data)));
    }

    [Fact]
    public async Task Sessions_of_remote_runs_are_found_renamed_updated_and_deleted_through_the_gateway()
    {
        await using var hosts = await StartLocalAndRemoteEchoAsync();
        var (remote, remoteClient, gateway) = hosts;
        using var client = gateway.CreateClient();
        using var through = gateway.CreateHttpClient();

        await client.RunAgentAsync("echo-agent", new RunRequest("remote one") { SessionId = "remote-s", UserId = "u" });
        await client.RunAgentAsync("local-agent", new RunRequest("local one") { SessionId = "local-s", UserId = "u" });

        var session = await client.GetSessionAsync("remote-s", SessionType.Agent);
        var runs = await client.GetSessionRunsAsync("remote-s", SessionType.Agent);
        var listed = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, ComponentId = "echo-agent" });
        var local = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent });
        var renamed = await client.RenameSessionAsync("remote-s", "renamed", SessionType.Agent);
        using var patched = await through.PatchAsync("sessions/remote-s?type=agent", new StringContent("{\"metadata\": {\"k\": 1}}", Encoding.UTF8, "application/json"));
        var atRemote = await remoteClient.GetSessionAsync("remote-s", SessionType.Agent);
        using var bobs = await through.GetAsync("sessions/remote-s?type=agent&user_id=bob");
        using var unknown = await through.GetAsync("sessions/nowhere?type=agent");
        using var deleted = await through.DeleteAsync("sessions/remote-s");
        using var direct = remote.CreateHttpClient();
        using var gone = await direct.GetAsync("sessions/remote-s");

        Assert.Equal(("remote one", "echo-agent"), (session.SessionName, session.AgentId));
        Assert.Equal("Echo: remote one (turn 1)", runs.Single().Content);
        Assert.Equal(["remote-s"], listed.Data.Select(s => s.SessionId!));
        Assert.Equal(["local-s"], local.Data.Select(s => s.SessionId!));                            // this host's own sessions
        Assert.Equal("renamed", renamed.SessionName);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("renamed", 1), (atRemote.SessionName, atRemote.Metadata!["k"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, bobs.StatusCode);                                     // the remote's user isolation
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Agent Session with id 'nowhere' not found", await DetailAsync(unknown));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Remote_sessions_are_deleted_in_bulk_through_the_gateway_by_their_database_or_by_their_ids()
    {
        await using var hosts = await StartLocalAndRemoteEchoAsync();
        var (_, remoteClient, gateway) = hosts;
        using var client = gateway.CreateClient();
        using var through = gateway.CreateHttpClient();
        foreach (var id in new[] { "r-1", "r-2", "r-3" })
        {
            await client.RunAgentAsync("echo-agent", new RunRequest("remote " + id) { SessionId = id, UserId = "u" });
        }

        await client.RunAgentAsync("local-agent", new RunRequest("local one") { SessionId = "l-1", UserId = "u" });

        // by the remote's database (agno's RemoteDb.delete_sessions with db_id), by ids mixed with a local one, and by
        // another user (the remote keeps its user's session)
        using var byDatabase = await through.DeleteSessionsAsync("sessions?db_id=agno-db", "r-1");
        using var byOthers = await through.DeleteSessionsAsync("sessions?user_id=someone-else", "r-2");
        using var mixed = await through.DeleteSessionsAsync("sessions", "r-2", "l-1");
        using var keeps = await through.DeleteSessionsAsync("sessions", "nowhere");

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent], new[] { byDatabase.StatusCode, byOthers.StatusCode, mixed.StatusCode, keeps.StatusCode });
        var left = await remoteClient.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent });
        Assert.Equal(["r-3"], left.Data.Select(s => s.SessionId!));
        Assert.Empty((await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent })).Data);  // l-1 deleted here
    }

    [Fact]
    public async Task A_gateway_of_one_servers_components_only_lists_and_creates_sessions_on_that_server()
    {
        await using var hosts = await FixtureGateway.OfServerAsync();
        var (remote, remoteClient, gateway) = hosts;
        using var client = gateway.CreateClient();
        using var direct = remote.CreateHttpClient();
        using var through = gateway.CreateHttpClient();
        await client.RunAgentAsync("echo-agent", new RunRequest("one") { SessionId = "only-remote" });

        var created = await client.CreateSessionAsync(new CreateSessionRequest { SessionId = "made-through", SessionName = "made", AgentId = "echo-agent" });
        var listed = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent });

        Assert.Equal("made", created.SessionName);
        Assert.Equal(["made-through", "only-remote"], listed.Data.Select(s => s.SessionId!).Order());
        Assert.Equal("made", (await remoteClient.GetSessionAsync("made-through", SessionType.Agent)).SessionName); // stored at the remote
        Assert.Equal(Stable(await direct.GetStringAsync("sessions?type=agent")), Stable(await through.GetStringAsync("sessions?type=agent")));
    }

    [Fact]
    public async Task A_database_id_that_is_neither_the_hosts_nor_a_remotes_is_AgentOS_404_on_every_session_route()
    {
        await using var hosts = await FixtureGateway.StartAsync((b, upstream) => b.AddRemoteAgent(upstream.GetRemoteAgent("echo-agent")));
        var (remote, remoteClient, gateway) = hosts;
        await remoteClient.RunAgentAsync("echo-agent", new RunRequest("kept") { SessionId = "kept-s" });

        foreach (var host in new[] { remote.BaseAddress, gateway.BaseAddress })
        {
            using var http = new HttpClient { BaseAddress = host };
            var answers = new List<HttpResponseMessage>
            {
                await http.GetAsync("sessions?db_id=other-db"),
                await http.PostAsync("sessions?db_id=other-db", new StringContent("{}", Encoding.UTF8, "application/json")),
                await http.GetAsync("sessions/kept-s?db_id=other-db"),
                await http.GetAsync("sessions/kept-s/runs?db_id=other-db"),
                await http.PostAsync("sessions/kept-s/rename?db_id=other-db", new StringContent("{\"session_name\": \"x\"}", Encoding.UTF8, "application/json")),
                await http.PatchAsync("sessions/kept-s?db_id=other-db", new StringContent("{\"session_name\": \"x\"}", Encoding.UTF8, "application/json")),
                await http.DeleteAsync("sessions/kept-s?db_id=other-db"),
                await http.DeleteSessionsAsync("sessions?db_id=other-db", "kept-s"),
            };

            foreach (var answer in answers)
            {
                using (answer)
                {
                    Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
                    Assert.Equal("{\"detail\":\"No database found with id 'other-db'\"}", await answer.Content.ReadAsStringAsync());
                }
            }
        }

        Assert.Equal("kept", (await remoteClient.GetSessionAsync("kept-s", SessionType.Agent)).SessionName);        // nothing renamed or deleted
        Assert.Equal("kept", (await remoteClient.GetSessionAsync("kept-s", SessionType.Agent, database: new DatabaseSelector("agno-db"))).SessionName); // its own id still works
    }

    [Fact]
    public async Task A_cancelled_remote_run_can_be_read_back_through_the_gateway()
    {
        await using var hosts = await FixtureGateway.StartAsync((b, upstream) => b.AddRemoteAgent(upstream.GetRemoteAgent("echo-agent")));
        var (_, _, gateway) = hosts;
        using var client = gateway.CreateClient();
        string? runId = null;

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("slow please") { SessionId = "gw-cancelled" }))
        {
            if (e is RunContentEvent && runId is null)
            {
                runId = e.RunId;
                await client.CancelAgentRunAsync("echo-agent", runId!);
            }
        }

        var runs = await client.GetSessionRunsAsync("gw-cancelled", SessionType.Agent);
        var run = await client.GetSessionRunAsync("gw-cancelled", runId!, SessionType.Agent);

        Assert.Equal(RunStatus.Cancelled, runs.Single().Status);
        Assert.Equal(RunStatus.Cancelled, run.Status);
    }

    [Fact]
    public async Task Models_and_databases_of_remote_components_are_listed()
    {
        await using var hosts = await FixtureGateway.StartAsync((b, upstream) => b
            .AddAgent("local-agent", new EchoChatClient(modelId: "local-model", providerName: "Local"))
            .AddRemoteServer(upstream));
        var (_, _, gateway) = hosts;
        using var client = gateway.CreateClient();
        using var through = gateway.CreateHttpClient();

        var models = await client.GetModelsAsync();
        var config = JsonNode.Parse(await through.GetStringAsync("config"))!;
        var sessions = JsonNode.Parse(await through.GetStringAsync("sessions?type=agent&db_id=agno-db"))!;
        await client.RunAgentAsync("echo-agent", new RunRequest("in the remote db") { SessionId = "in-remote-db" });
        var afterRun = JsonNode.Parse(await through.GetStringAsync("sessions?type=agent&db_id=agno-db"))!;

        Assert.Equal([("local-model", "Local"), ("echo-model", "Echo")], models.Select(m => (m.Id!, m.Provider!)));
        Assert.Equal(["agentos-db", "agno-db"], config["databases"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["agentos-db", "agno-db"], config["session"]!["dbs"]!.AsArray().Select(d => d!["db_id"]!.GetValue<string>()));
        Assert.Equal(0, sessions["meta"]!["total_count"]!.GetValue<int>());
        Assert.Equal(["in-remote-db"], afterRun["data"]!.AsArray().Select(s => s!["session_id"]!.GetValue<string>()));
    }

    /// <summary>A gateway serving an agent of its own (<c>local-agent</c>) and the remote's <c>echo-agent</c>.</summary>
    private static Task<FixtureGateway> StartLocalAndRemoteEchoAsync() => FixtureGateway.StartAsync((b, upstream) => b
        .AddAgent("local-agent", new EchoChatClient("Local: "))
        .AddRemoteAgent(upstream.GetRemoteAgent("echo-agent")));

    /// <summary>A session page without its timing (<c>meta.search_time_ms</c> differs between two reads).</summary>
    private static string Stable(string page)
    {
        var node = JsonNode.Parse(page)!;
        node["meta"]!.AsObject().Remove("search_time_ms");
        return node.ToJsonString();
    }

    private static async Task<IReadOnlyList<SseFrame>> StreamAsync(HttpClient http, string path)
    {
        using var response = await http.PostAsync(path, Form(("message", "boom"), ("stream", "true")));
        return Shape.ParseSse(await response.Content.ReadAsByteArrayAsync());
    }

    private static string Keys(JsonNode? data) => data is JsonObject o ? string.Join(",", o.Select(kv => kv.Key)) : string.Empty;
}
