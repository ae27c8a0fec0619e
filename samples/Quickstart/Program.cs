// Quickstart: the whole library against an AgentOS, offline by default.
// An embedded AgentOS starts on a free loopback port with a small deterministic demo (scripted models, no LLM);
// set AGNO_BASE_URL (and AGNO_API_KEY, AGNO_AGENT_ID) to run the parts that apply against a real one.
using Agno.AgentOS;
using Agno.Samples;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

await using var os = await DemoAgentOS.StartAsync();
var client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

// 1. Discovery ------------------------------------------------------------------------------------------
Section("1. Discovery");
var config = await client.GetConfigAsync();
Console.WriteLine($"{"kind",-9} {"id",-16} description");
foreach (var (kind, items) in new[] { ("agent", config.Agents), ("team", config.Teams), ("workflow", config.Workflows) })
{
    foreach (var c in items ?? [])
    {
        Console.WriteLine($"{kind,-9} {c.Id,-16} {c.Description}");
    }
}

// 2. A run ----------------------------------------------------------------------------------------------
Section("2. A run");
var agent = client.GetRemoteAgent(os.AgentId);
var output = await agent.RunAsync("What is AgentOS?");
Console.WriteLine($"{output.Content}");
Console.WriteLine($"(run {Short(output.RunId)}, {output.Metrics?.TotalTokens ?? 0} tokens, status {output.Status})");

// 3. A streamed run, token by token ----------------------------------------------------------------------
Section("3. A streamed run");
var streamed = await agent.RunStreamingAsync("Tell me about streaming.").CollectAsync(e =>
{
    if (e is RunContentEvent { IsNested: false, Content: { } delta })
    {
        Console.Write(delta);
    }
});
Console.WriteLine();
Console.WriteLine($"({streamed.EventCount} events, status {streamed.Status})");

// 4. A conversation the server remembers -----------------------------------------------------------------
Section("4. A two-turn conversation in one session");
var turn1 = await agent.RunAsync("Hi, my name is Ada.");
Console.WriteLine($"you: Hi, my name is Ada.   agent: {turn1.Content}");
var turn2 = await agent.RunAsync("What is my name?", sessionId: turn1.SessionId);
Console.WriteLine($"you: What is my name?      agent: {turn2.Content}");
var session = await client.GetSessionAsync(turn1.SessionId!, SessionType.Agent);
Console.WriteLine($"(session {Short(session.SessionId)} holds {session.ChatHistory?.Count ?? 0} messages on the server)");

// 5. The team and the workflow as AIFunction tools --------------------------------------------------------
Section("5. A team and a workflow as AIFunction tools");
var tools = await client.GetAIFunctionsAsync((kind, _) => kind != AgentOSComponentKind.Agent);
foreach (var tool in tools)
{
    Console.WriteLine($"tool {tool.Name}: {tool.Description}");
}

if (os.IsEmbedded)
{
    // what a model's tool-calling loop does when it picks these tools
    foreach (var name in new[] { "research-team", "report-workflow" })
    {
        var tool = tools.First(t => t.Name == name);
        var answer = await tool.InvokeAsync(new AIFunctionArguments { ["input"] = "AgentOS" });
        string text = answer is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } json && json.TryGetProperty("content", out var content)
            ? content.ToString()
            : answer?.ToString() ?? string.Empty;
        Console.WriteLine($"{name}(\"AgentOS\") -> {text}");
    }
}

// 6. A paused run, approved and continued -----------------------------------------------------------------
if (os.IsEmbedded)
{
    Section("6. Human in the loop: a paused run approved");
    var ops = client.GetRemoteAgent("ops-agent");
    var paused = await ops.RunAsync("please delete rec-42");
    var pending = paused.Tools!.Single(t => t.RequiresConfirmation == true);
    Console.WriteLine($"status {paused.Status}: {pending.ToolName}({pending.ToolArgs?.ToJsonString()}) needs approval");
    pending.Confirm("approved by the quickstart");
    var done = await ops.ContinueAsync(paused);
    Console.WriteLine($"approved -> status {done.Status}: {done.Content}");

    // 7. A long run, cancelled ---------------------------------------------------------------------------
    Section("7. A long run cancelled");
    var slow = client.GetRemoteAgent("slow-agent");
    var accumulator = new RunStreamAccumulator();
    int ticks = 0;
    await foreach (var e in slow.RunStreamingAsync("Count for a long time."))
    {
        accumulator.Add(e);
        if (e is RunContentEvent { IsNested: false, Content: { } tick })
        {
            Console.Write(tick);
            if (++ticks == 3)
            {
                await slow.CancelAsync(e.RunId!, e.SessionId);
                Console.Write("[cancel sent] ");
            }
        }
    }

    Console.WriteLine();
    Console.WriteLine($"status {accumulator.Result.Status} after {ticks} ticks");
}

Section("Done");
Console.WriteLine("Next: samples/ClientTour, samples/ExtensionsAI, samples/SemanticKernel, samples/Gateway, samples/StandaloneRunner.");
return 0;

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}

static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";
