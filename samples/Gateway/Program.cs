// Gateway: an AgentOS written in .NET (ASP.NET Core) that re-exposes the agents, teams and workflows of another
// AgentOS next to a local agent, the .NET counterpart of agno's cookbook 05_agent_os/20_remote/05_gateway.py.
// Clients see one AgentOS API; runs, streams, continues and cancels are forwarded to the server that owns the
// component. The upstream is the embedded demo AgentOS, or the one named by AGNO_BASE_URL (and AGNO_API_KEY).
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.Testing;
using Agno.Samples;

await using var upstream = await DemoAgentOS.StartAsync();
Console.WriteLine($"Upstream: {upstream.Describe()}");

// 1. The gateway -----------------------------------------------------------------------------------------------
const string GatewayKey = "gateway-key";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();                                   // keep the sample's output readable
builder.WebHost.UseUrls("http://127.0.0.1:0");                      // a free loopback port (e.g. http://0.0.0.0:7777 in production)
builder.Services.AddAgentOS(o =>
    {
        o.OsId = "gateway-os";
        o.Name = "Gateway";
        o.Description = "One AgentOS over local and remote components.";
        o.SecurityKey = GatewayKey;                                 // clients send "Authorization: Bearer gateway-key"
    })
    .AddRemoteServer(upstream.Client)                               // every agent, team and workflow the upstream lists in /config
    // or pick components one by one:
    //   .AddRemoteAgent(upstream.Client.GetRemoteAgent("assistant")).AddRemoteTeam(upstream.Client.GetRemoteTeam("research-team"))
    .AddAgent("gateway-agent", new EchoChatClient("Gateway agent heard: "), a =>
    {
        a.Name = "Gateway Agent";
        a.Description = "A local agent served beside the remote ones.";
    });

await using var app = builder.Build();
app.MapAgentOS();
await app.StartAsync();
var gatewayAddress = new Uri(app.Urls.First());
Console.WriteLine($"Gateway:  .NET AgentOS at {gatewayAddress}");

// 2. A client of the gateway: discovery --------------------------------------------------------------------------
using var gateway = new AgentOSClient(gatewayAddress, apiKey: GatewayKey);
var upstreamConfig = await upstream.Client.GetConfigAsync();
var upstreamIds = new[] { upstreamConfig.Agents, upstreamConfig.Teams, upstreamConfig.Workflows }
    .SelectMany(list => list ?? []).Select(c => c.Id).ToHashSet();

Section("Discovery through the gateway");
var config = await gateway.GetConfigAsync();
Console.WriteLine($"{config.OsId}: {config.Description}");
foreach (var (kind, items) in new[] { ("agent", config.Agents), ("team", config.Teams), ("workflow", config.Workflows) })
{
    foreach (var c in items ?? [])
    {
        Console.WriteLine($"  {kind,-9} {c.Id,-16} {(upstreamIds.Contains(c.Id) ? "remote" : "local "),-7} {c.Description}");
    }
}

// 3. Runs through the gateway --------------------------------------------------------------------------------------
Section("Runs through the gateway");
var local = await gateway.GetRemoteAgent("gateway-agent").RunAsync("hello");
Console.WriteLine($"local agent:  {local.Content}");

var agent = gateway.GetRemoteAgent(upstream.AgentId);
var turn1 = await agent.RunAsync("Hi, my name is Ada.");
var turn2 = await agent.RunAsync("What is my name?", sessionId: turn1.SessionId);
Console.WriteLine($"remote agent: {turn1.Content} / {turn2.Content}");

// 4. A stream passing through -----------------------------------------------------------------------------------------
if (config.Teams is [{ Id: { } teamId }, ..])
{
    Section($"A team stream passing through the gateway ('{teamId}')");
    var viaGateway = new List<AgentOSEvent>();
    bool memberSpeaking = false;
    var result = await gateway.GetRemoteTeam(teamId).RunStreamingAsync("What is AgentOS?").CollectAsync(e =>
    {
        viaGateway.Add(e);
        if (e is RunContentEvent { IsNested: true, Content: { } delta })
        {
            Console.Write(memberSpeaking ? delta : $"[{e.AgentName ?? e.AgentId}] {delta}");   // the member's tokens, as they pass
            memberSpeaking = true;
        }
        else if (memberSpeaking && !e.IsNested)
        {
            Console.WriteLine();
            memberSpeaking = false;
        }
    });
    Console.WriteLine($"leader's answer: {result.Content}");
    Console.WriteLine($"{viaGateway.Count} events: {viaGateway.Count(e => !e.IsNested)} from the team, {viaGateway.Count(e => e.IsNested)} from its members, status {result.Status}");

    if (upstream.IsEmbedded)
    {
        // the same run straight from the upstream: the gateway passes every event through, in order
        var direct = new List<string>();
        await foreach (var e in upstream.Client.GetRemoteTeam(teamId).RunStreamingAsync("What is AgentOS?"))
        {
            direct.Add(e.Event);
        }

        Console.WriteLine($"same event sequence as a direct stream from the upstream: {direct.SequenceEqual(viaGateway.Select(e => e.Event))}");
    }
}

// 5. Human in the loop through the gateway: the pause comes back, the continue is forwarded ------------------------------
if (upstream.IsEmbedded)
{
    Section("A paused run continued through the gateway");
    var ops = gateway.GetRemoteAgent("ops-agent");
    var paused = await ops.RunAsync("please delete rec-7");
    var pending = paused.Tools!.Single(t => t.RequiresConfirmation == true);
    Console.WriteLine($"status {paused.Status}: {pending.ToolName}({pending.ToolArgs?.ToJsonString()}) needs approval");
    pending.Confirm();
    var done = await ops.ContinueAsync(paused);
    Console.WriteLine($"approved -> status {done.Status}: {done.Content}");
}

// 6. The gateway's key -------------------------------------------------------------------------------------------------
Section("Without the gateway's key");
using (var anonymous = new AgentOSClient(gatewayAddress))
{
    try
    {
        await anonymous.GetConfigAsync();
    }
    catch (AgentOSAuthenticationException ex)
    {
        Console.WriteLine($"{ex.GetType().Name}: {(int?)ex.StatusCode} \"{ex.Detail}\"");
    }
}

Section("Done");
await app.StopAsync();
return 0;

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
