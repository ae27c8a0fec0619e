using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>A gateway host re-exposing the components of another AgentOS server.</summary>
public sealed class GatewayTests
{
    [Fact]
    public async Task The_gateway_lists_and_describes_remote_components()
    {
        await using var hosts = await FixtureGateway.StartAsync((b, upstream) => b
            .AddAgent("local-agent", new EchoChatClient())
            .AddRemoteAgent(upstream.GetRemoteAgent("tool-agent"))
            .AddRemoteTeam(upstream.GetRemoteTeam("echo-team"))
            .AddRemoteWorkflow(upstream.GetRemoteWorkflow("echo-workflow")));
        var (_, _, gateway) = hosts;
        using var client = gateway.CreateClient();

        var agents = await client.ListAgentsAsync();
        var toolAgent = await client.GetAgentAsync("tool-agent");
        var team = await client.GetTeamAsync("echo-team");
        var workflows = await client.ListWorkflowsAsync();
        var config = await client.GetConfigAsync();
        var info = await client.GetInfoAsync();

        Assert.Equal(["local-agent", "tool-agent"], agents.Select(a => a.Id!));
        Assert.Equal("Tool Agent", toolAgent.Name);
        Assert.True(toolAgent.Tools!.Tools![1].RequiresConfirmation);
        Assert.Equal(2, team.Members!.Count);
        Assert.Equal("echo-workflow", workflows.Single().Id);
        Assert.Equal(["local-agent", "tool-agent"], config.Agents!.Select(a => a.Id!));
        Assert.Equal(("echo-model", "coordinate"), (config.Teams!.Single().Model!.EffectiveId, config.Teams!.Single().Mode));
        Assert.Equal((2, 1, 1), (info.AgentCount, info.TeamCount, info.WorkflowCount));
    }

    [Fact]
    public async Task A_remote_stream_passes_through_event_by_event()
    {
        await using var hosts = await FixtureGateway.OfServerAsync();
        var (remote, _, gateway) = hosts;
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        var direct = await RawStreamAsync(new HttpClient { BaseAddress = remote.BaseAddress }, "teams/echo-team/runs", "hello gateway");
        var through = await RawStreamAsync(http, "teams/echo-team/runs", "hello gateway");

        Assert.Equal(direct.Select(f => f.Name), through.Select(f => f.Name));
        var diffs = Shape.CompareStreams(direct, through).Where(d => !d.Contains("time_to_first_token", StringComparison.Ordinal)).ToList();
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        Assert.Equal("Team: Member: hello gateway (turn 1)", through[^1].Data!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Runs_continues_and_stored_runs_are_forwarded()
    {
        await using var hosts = await FixtureGateway.OfServerAsync();
        var (_, remoteClient, gateway) = hosts;
        using var client = gateway.CreateClient();
        var agent = client.GetRemoteAgent("tool-agent");

        var added = await agent.RunAsync("please add 2 and 3", "gw-session");
        var paused = await agent.RunStreamingAsync("delete rec-3", "gw-session").CollectAsync();
        paused.Tools.Single().Confirm();
        var continued = await agent.ContinueAsync(paused.RunId!, ContinueRunRequest.From(paused));
        var stored = await agent.GetRunAsync(continued.RunId!, "gw-session");
        var atRemote = await remoteClient.GetAgentRunAsync("tool-agent", continued.RunId!, "gw-session");
        var workflow = await client.RunWorkflowAsync("echo-workflow", new RunRequest("via gateway"));

        Assert.Equal("Tool result: 5", added.Content);
        Assert.True(paused.IsPaused);
        Assert.Equal("Tool result: Record rec-3 deleted", continued.Content);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal(RunStatus.Completed, atRemote.Status);
        Assert.Equal("UPPER: WF: VIA GATEWAY (TURN 1)", workflow.Content);
    }

    [Fact]
    public async Task Cancel_is_forwarded_to_the_remote_run()
    {
        await using var hosts = await FixtureGateway.StartAsync((b, upstream) => b.AddRemoteAgent(upstream.GetRemoteAgent("echo-agent")));
        var (_, remoteClient, gateway) = hosts;
        using var client = gateway.CreateClient();
        var events = new List<AgentOSEvent>();

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("slow please") { SessionId = "gw-cancel" }))
        {
            events.Add(e);
            if (e is RunContentEvent && events.OfType<RunContentEvent>().Count() == 1)
            {
                await client.CancelAgentRunAsync("echo-agent", e.RunId!);
            }
        }

        var atRemote = await remoteClient.GetAgentRunAsync("echo-agent", events[0].RunId!, "gw-cancel");
        Assert.Equal(["RunCancelled", "RunCompleted"], events.TakeLast(2).Select(e => e.Event));
        Assert.Equal(RunStatus.Cancelled, atRemote.Status);
    }

    [Fact]
    public async Task Remote_errors_keep_their_status_and_detail()
    {
        await using var hosts = await FixtureGateway.OfServerAsync(FixtureComponents.AddExtended);
        var (_, _, gateway) = hosts;
        using var client = gateway.CreateClient();

        var notFound = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetAgentRunAsync("echo-agent", "no-such-run", "no-such-session"));
        var failed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentAsync("fail-agent", new RunRequest("hi")));
        var streamFailed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentStreamingAsync("fail-agent", new RunRequest("hi")).CollectAsync());

        Assert.Equal("Run not found", notFound.Detail);
        Assert.Equal(FailingChatClient.Message, failed.Detail);
        Assert.Equal(FailingChatClient.Message, streamFailed.Detail);
    }

    [Fact]
    public async Task The_callers_key_is_forwarded_when_configured()
    {
        await using var remote = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "shared-key");
        using var remoteClient = new AgentOSClient(remote.BaseAddress);
        await using var gateway = await EmbeddedAgentOS.StartAsync(
            b => b.AddRemoteAgent(remoteClient.GetRemoteAgent("echo-agent")),
            o =>
            {
                o.SecurityKey = "shared-key";
                o.ForwardAuthorization = true;
            });
        using var client = gateway.CreateClient("shared-key");

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("forwarded"));

        Assert.Equal("Echo: forwarded (turn 1)", output.Content);
    }

    [Fact]
    public async Task By_default_remote_calls_use_the_remote_clients_own_key()
    {
        await using var remote = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "remote-key");
        using var remoteClient = remote.CreateClient("remote-key");
        await using var gateway = await EmbeddedAgentOS.StartAsync(b => b.AddRemoteAgent(remoteClient.GetRemoteAgent("echo-agent")), o => o.SecurityKey = "gateway-key");
        using var client = gateway.CreateClient("gateway-key");

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("own key"));
        var refused = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => remote.CreateClient("gateway-key").RunAgentAsync("echo-agent", new RunRequest("x")));

        Assert.Equal("Echo: own key (turn 1)", output.Content);
        Assert.Equal("Invalid authentication token", refused.Detail);
    }

    [Fact]
    public async Task Background_runs_and_resumed_streams_of_a_remote_server_are_forwarded()
    {
        await using var replay = await ReplayServer.StartAsync();
        replay.Serve("180", "184");
        using var remoteClient = new AgentOSClient(replay.BaseAddress);
        await using var gateway = await EmbeddedAgentOS.StartAsync(b => b.AddRemoteAgent(remoteClient.GetRemoteAgent("echo-agent")));
        using var client = gateway.CreateClient();
        var resume = Fixtures.Get("184");
        string runId = resume.Path.Split('/')[4];

        var handle = await client.StartAgentRunInBackgroundAsync("echo-agent", new RunRequest("slow background please"));
        var replayed = await client.ResumeAgentRunStreamingAsync("echo-agent", runId, "fixture-bg-session", lastEventIndex: 3).CollectAsync();

        Assert.Equal(RunStatus.Pending, handle.Status);
        Assert.Equal("true", System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(replay.Received[0].Body))["background"]);
        Assert.Equal("/agents/echo-agent/runs/" + runId + "/resume", replay.Received[1].Path);
        Assert.Equal(RunStatus.Completed, replayed.Status);
        Assert.Empty(replay.Unmatched);
    }

    private static async Task<IReadOnlyList<SseFrame>> RawStreamAsync(HttpClient http, string path, string message)
    {
        using (http)
        {
            using var response = await http.PostAsync(path, new FormUrlEncodedContent([new("message", message), new("stream", "true")]));
            Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Empty(Shape.CheckFraming(body));
            return Shape.ParseSse(body);
        }
    }

    [Fact]
    public async Task An_upstream_that_dies_mid_stream_interrupts_the_callers_stream()
    {
        const string started = "event: RunStarted\ndata: {\"created_at\":1795305470,\"event\":\"RunStarted\",\"agent_id\":\"echo-agent\",\"agent_name\":\"Echo Agent\",\"run_id\":\"r1\",\"session_id\":\"s1\",\"model\":\"echo-model\",\"model_provider\":\"Echo\"}\n\n";
        const string content = "event: RunContent\ndata: {\"created_at\":1795305470,\"event\":\"RunContent\",\"agent_id\":\"echo-agent\",\"run_id\":\"r1\",\"session_id\":\"s1\",\"content\":\"Echo: \",\"content_type\":\"str\"}\n\n";
        // the upstream resets its connection once the caller has the events it sent (a server-side gate, no timing)
        using var callerHasEvents = new SemaphoreSlim(0);
        await using var upstream = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n");
            await r.WriteChunkAsync(started);
            await r.WriteChunkAsync(content);
            await callerHasEvents.WaitAsync();
            r.Reset();
            return false;
        });
        using var upstreamClient = new AgentOSClient(upstream.BaseAddress);
        await using var gateway = await EmbeddedAgentOS.StartAsync(b => b.AddRemoteAgent(upstreamClient.GetRemoteAgent("echo-agent")));
        using var client = gateway.CreateClient();
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        // what any AgentOS client (agno's Python ones too) reads: the body breaks off, it does not end cleanly
        using var request = new HttpRequestMessage(HttpMethod.Post, "agents/echo-agent/runs")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "hello", ["stream"] = "true" }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var broken = await Record.ExceptionAsync(async () =>
        {
            var buffer = new byte[4096];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Encoding.UTF8.GetString(received.ToArray()).Contains("event: RunContent", StringComparison.Ordinal))
                {
                    callerHasEvents.Release();
                }
            }
        });
        var seen = new List<string>();
        var interrupted = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello")))
            {
                seen.Add(e.Event);
                if (e.Event == "RunContent")
                {
                    callerHasEvents.Release();
                }
            }
        });

        Assert.IsAssignableFrom<IOException>(broken is HttpRequestException { InnerException: { } inner } ? inner : broken);
        Assert.Contains("event: RunContent", Encoding.UTF8.GetString(received.ToArray()), StringComparison.Ordinal);
        Assert.Equal(["RunStarted", "RunContent"], seen);
        Assert.NotNull(interrupted);
    }
}
