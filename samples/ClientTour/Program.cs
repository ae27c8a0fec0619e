// ClientTour: the AgentOS client beyond a run: discovery, configuration (options and DI), sessions, and how
// errors and cancellation surface. Offline by default (the embedded demo AgentOS); set AGNO_BASE_URL (and
// AGNO_API_KEY, AGNO_AGENT_ID) to tour a real AgentOS.
using System.Net;
using System.Net.Sockets;
using Agno.AgentOS;
using Agno.Samples;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

await using var os = await DemoAgentOS.StartAsync();
AgentOSClient client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

// 1. Discovery ----------------------------------------------------------------------------------------------
Section("1. Discovery");
HealthStatus health = await client.GetHealthAsync();
Console.WriteLine($"health:    {health.Status}");
OSInfo info = await client.GetInfoAsync();
Console.WriteLine($"info:      {info.Name} ({info.OsId}): agents {info.AgentCount}, teams {info.TeamCount}, workflows {info.WorkflowCount}, auth {info.AuthMode ?? "none"}");
OSConfig config = await client.GetConfigAsync();
Console.WriteLine($"config:    {config.OsId}: {config.Description}");

foreach (AgentDetails agentDetails in await client.ListAgentsAsync())
{
    Console.WriteLine($"agent:     {agentDetails.Id,-16} {agentDetails.Name} (model {agentDetails.Model?.EffectiveId ?? "?"}, {agentDetails.Tools?.Tools?.Count ?? 0} tools)");
}

foreach (TeamDetails team in await client.ListTeamsAsync())
{
    Console.WriteLine($"team:      {team.Id,-16} {team.Name} (members: {string.Join(", ", (team.Members ?? []).Select(m => m.Id))})");
}

foreach (WorkflowSummary workflow in await client.ListWorkflowsAsync())
{
    Console.WriteLine($"workflow:  {workflow.Id,-16} {workflow.Name}");
}

foreach (ModelInfo model in await client.GetModelsAsync())
{
    Console.WriteLine($"model:     {model.EffectiveId} ({model.Provider})");
}

// 2. Configuration --------------------------------------------------------------------------------------------
Section("2. Configuration");

// options in code: the API key never shows in ToString(), logs or exception messages
var options = new AgentOSClientOptions
{
    BaseAddress = client.BaseAddress,
    ApiKey = client.Options.ApiKey ?? "not-a-real-key",   // sent as "Authorization: Bearer ..."
    Timeout = TimeSpan.FromSeconds(60),                     // per request (default 300 s)
    StreamIdleTimeout = TimeSpan.FromSeconds(30),           // longest silence between two stream events
};
using (var configured = new AgentOSClient(options))
{
    Console.WriteLine($"in code:   {configured.Options}");
}

// dependency injection, bound from configuration (appsettings.json, environment, ...; in memory here)
IConfiguration configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Agno:AgentOS:BaseAddress"] = client.BaseAddress.ToString(),
        ["Agno:AgentOS:ApiKey"] = client.Options.ApiKey,
        ["Agno:AgentOS:Timeout"] = "00:01:00",
    })
    .Build();
var services = new ServiceCollection();
services.AddAgnoAgentOS(configuration.GetSection(AgentOSServiceCollectionExtensions.DefaultConfigurationSection)); // "Agno:AgentOS"
await using (var provider = services.BuildServiceProvider())
{
    var fromDi = provider.GetRequiredService<AgentOSClient>();
    Console.WriteLine($"from DI:   {fromDi.Options}");
    Console.WriteLine($"           health through it: {(await fromDi.GetHealthAsync()).Status}");
}

// a configuration without a base address fails when the client is first resolved, saying what is wrong
var broken = new ServiceCollection();
broken.AddAgnoAgentOS(new ConfigurationBuilder().Build().GetSection("Agno:AgentOS"));
await using (var provider = broken.BuildServiceProvider())
{
    try
    {
        provider.GetRequiredService<AgentOSClient>();
    }
    catch (OptionsValidationException ex)
    {
        Console.WriteLine($"invalid:   {ex.Message}");
    }
}

// 3. Sessions -------------------------------------------------------------------------------------------------
Section("3. Sessions");
var agent = client.GetRemoteAgent(os.AgentId);
string userId = "tour-" + Guid.NewGuid().ToString("N")[..8];     // keeps this tour's sessions apart on a shared server
var first = await agent.RunAsync(new RunRequest("Hi, my name is Ada.") { UserId = userId });
await agent.RunAsync(new RunRequest("What is my name?") { UserId = userId, SessionId = first.SessionId });
string sessionId = first.SessionId!;

var page = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = userId });
Console.WriteLine($"list:      {page.Meta?.TotalCount ?? page.Data?.Count ?? 0} session(s) of user {userId}");
foreach (SessionInfo s in page.Data ?? [])
{
    Console.WriteLine($"           {Short(s.SessionId)} agent {s.AgentId}, name \"{s.SessionName}\"");
}

SessionDetails session = await client.GetSessionAsync(sessionId, SessionType.Agent);
Console.WriteLine($"get:       {Short(session.SessionId)} with {session.ChatHistory?.Count ?? 0} messages:");
foreach (RunMessage message in session.ChatHistory ?? [])
{
    Console.WriteLine($"           {message.Role,-9} {message.Content}");
}

var runs = await client.GetSessionRunsAsync(sessionId, SessionType.Agent);
Console.WriteLine($"runs:      {runs.Count} ({string.Join(", ", runs.Select(r => $"\"{r.RunInput}\" {r.Status}"))})");

var renamed = await client.RenameSessionAsync(sessionId, "Ada's chat", SessionType.Agent);
Console.WriteLine($"rename:    \"{renamed.SessionName}\"");

await client.DeleteSessionAsync(sessionId);
try
{
    await client.GetSessionAsync(sessionId, SessionType.Agent);
}
catch (AgentOSNotFoundException)
{
    Console.WriteLine($"delete:    {Short(sessionId)} is gone (404 on the next get)");
}

// 4. Errors and cancellation ---------------------------------------------------------------------------------
Section("4. Errors and cancellation");

// every error is an AgentOSException carrying the status, the server's detail, the method and the path
try
{
    await client.GetRemoteAgent("no-such-agent").RunAsync("hello");
}
catch (AgentOSNotFoundException ex)
{
    Console.WriteLine($"not found:   {ex.GetType().Name}: {(int?)ex.StatusCode} {ex.Method} {ex.RequestPath}, detail \"{ex.Detail}\"");
}

// nothing listens on this port: the connection is refused
using (var nowhere = new AgentOSClient(new Uri($"http://127.0.0.1:{FreePort()}/")))
{
    try
    {
        await nowhere.GetHealthAsync();
    }
    catch (AgentOSServerUnavailableException ex)
    {
        Console.WriteLine($"unreachable: {ex.GetType().Name}: {ex.BaseAddress} cannot be reached");
    }
}

// cancelling the token closes the stream (which stops the run on the server); OperationCanceledException passes through untouched
var slow = client.GetRemoteAgent(os.IsEmbedded ? "slow-agent" : os.AgentId);
using (var cts = new CancellationTokenSource())
{
    int chunks = 0;
    try
    {
        await foreach (var e in slow.RunStreamingAsync("Count for a long time.", cancellationToken: cts.Token))
        {
            if (e is RunContentEvent { IsNested: false } && ++chunks == (os.IsEmbedded ? 3 : 1))
            {
                await cts.CancelAsync();
            }
        }

        Console.WriteLine($"cancelled:   the run finished before it could be cancelled ({chunks} chunks)");
    }
    catch (OperationCanceledException ex)
    {
        Console.WriteLine($"cancelled:   {ex.GetType().Name} (an OperationCanceledException) after {chunks} chunks of '{slow.Id}'");
    }
}

Section("Done");
return 0;

static int FreePort()
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    int port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}

static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
