// AgentFramework: AgentOS through Microsoft Agent Framework (MAF). A remote agent, team or workflow is an AIAgent whose
// AgentSession is the AgentOS session; it runs alone or in MAF workflows next to local ChatClientAgents, pauses for a
// human, and cancelling it cancels the run on the server. The reverse direction too: a local MAF agent served over AgentOS.
// Offline by default (the embedded demo AgentOS); set AGNO_BASE_URL (and AGNO_API_KEY, AGNO_AGENT_ID) for a real one.
using System.Text.Json;
using Agno.Agents.AI;
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.Testing;
using Agno.Samples;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;

await using var os = await DemoAgentOS.StartAsync();
AgentOSClient client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

// 1. A remote agent as an AIAgent, two turns in one AgentOS session ------------------------------------------
Section("1. A remote agent as AIAgent");
var remoteAssistant = client.GetRemoteAgent(os.AgentId);
await remoteAssistant.GetDetailsAsync();   // optional: the name and description come from the server
AgentOSAIAgent assistant = remoteAssistant.AsAIAgent();
Console.WriteLine($"agent {assistant.Name} (author name {assistant.AuthorName})");
AgentSession session = await assistant.CreateSessionAsync();
AgentResponse turn1 = await assistant.RunAsync("Hi, my name is Ada.", session);
Console.WriteLine($"you: Hi, my name is Ada.   {turn1.Messages[0].AuthorName}: {turn1.Text}");

// The session serializes (as MAF checkpoints do) and restores anywhere; only the new message is sent.
JsonElement saved = await assistant.SerializeSessionAsync(session);
Console.WriteLine($"serialized session: {saved.GetRawText().Length} bytes, session id {Short(((AgentOSAgentSession)session).SessionId)}");
AgentSession restored = await assistant.DeserializeSessionAsync(saved);
AgentResponse turn2 = await assistant.RunAsync("What is my name?", restored);
Console.WriteLine($"you: What is my name?      {turn2.Messages[0].AuthorName}: {turn2.Text}");
Console.WriteLine($"usage {turn2.Usage?.TotalTokenCount ?? 0} tokens, finish {turn2.FinishReason}");

// 2. A remote team, streamed: the leader's answer, member activity as metadata ----------------------------------
Section("2. A remote team, streamed");
AIAgent team = client.GetRemoteTeam("research-team").AsAIAgent(new AgentOSAIAgentOptions { Name = "Research Team" });
Console.Write("team: ");
var members = new HashSet<string>();
await foreach (AgentResponseUpdate update in team.RunStreamingAsync("AgentOS"))
{
    Console.Write(update.Text);
    if (update.AdditionalProperties?.TryGetValue(AgentOSPropertyNames.Member, out var member) == true && member is string name)
    {
        members.Add(name);
    }
}

Console.WriteLine();
Console.WriteLine($"member activity seen from: {string.Join(", ", members)}");

// 3. A MAF sequential workflow: a local agent, then the remote one ---------------------------------------------
Section("3. A MAF workflow: local writer, then the remote assistant");
// The local agent's model: a scripted IChatClient standing in for an LLM (deterministic, no API key).
var writer = new ChatClientAgent(new ScriptedChatClient(_ => [new TextContent("Fresh bread, every morning.")]), name: "writer");
Workflow workflow = AgentWorkflowBuilder.BuildSequential(writer, client.GetRemoteAgent(os.AgentId).AsAIAgent());
await using (StreamingRun run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, "Write a slogan for a bakery.") }))
{
    await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
    await foreach (WorkflowEvent e in run.WatchStreamAsync())
    {
        if (e is WorkflowOutputEvent output && output.Is<List<ChatMessage>>(out var conversation))
        {
            foreach (ChatMessage m in conversation)
            {
                Console.WriteLine($"{m.AuthorName ?? m.Role.Value}: {m.Text.ReplaceLineEndings(" ")}");
            }
        }
    }
}

// 4. Human in the loop: a paused run asks for approval; the answer continues it on the server -------------------
Section("4. A tool that needs approval");
AIAgent ops = client.GetRemoteAgent("ops-agent").AsAIAgent();
AgentSession opsSession = await ops.CreateSessionAsync();
AgentResponse paused = await ops.RunAsync("delete rec-42", opsSession);
var approval = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
Console.WriteLine($"finish {paused.FinishReason}: {((FunctionCallContent)approval.ToolCall).Name}({JsonSerializer.Serialize(((FunctionCallContent)approval.ToolCall).Arguments)}) needs approval");
AgentResponse done = await ops.RunAsync(new ChatMessage(ChatRole.User, [approval.CreateResponse(approved: true)]), opsSession);
Console.WriteLine($"approved -> {done.Text}");

// 5. Cancellation: cancelling the token cancels the run on the server --------------------------------------------
Section("5. Cancelling a run");
var slow = client.GetRemoteAgent("slow-agent");
AIAgent slowAgent = slow.AsAIAgent();
var slowSession = (AgentOSAgentSession)await slowAgent.CreateSessionAsync();
using var cts = new CancellationTokenSource();
int ticks = 0;
try
{
    await foreach (AgentResponseUpdate update in slowAgent.RunStreamingAsync("work", slowSession, cancellationToken: cts.Token))
    {
        if (update.Text.Length > 0)
        {
            Console.Write(update.Text);
            if (++ticks == 3)
            {
                await cts.CancelAsync();
            }
        }
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("[cancelled]");
}

Console.WriteLine($"on the server: status {(await StoredRunAsync(slow, slowSession)).Status} after {ticks} ticks");

// 6. The reverse direction: a local MAF agent served over AgentOS ---------------------------------------------
Section("6. A local MAF agent served over AgentOS");
// Any AIAgent is served next to chat-client agents: agno's clients and ours call it; it keeps its own session.
var helper = new ChatClientAgent(new ScriptedChatClient(t => [new TextContent($"MAF helper heard \"{t.LastUserText}\" (turn {t.Turn})")]), "Be helpful.", "MAF Helper");
await using (var served = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("maf-helper", helper)))
{
    using var servedClient = served.CreateClient();
    var servedAgent = servedClient.GetRemoteAgent("maf-helper");
    var first = await servedAgent.RunAsync("hello", sessionId: "served-session");
    var second = await servedAgent.RunStreamingAsync("again", "served-session").CollectAsync();
    Console.WriteLine($"over AgentOS: {first.Content}");
    Console.WriteLine($"same session: {second.Content}");
}

Section("Done");
return 0;

// The server stores a run once it has ended: ask until it is there and finished.
static async Task<RunOutput> StoredRunAsync(RemoteAgent agent, AgentOSAgentSession session)
{
    for (int attempt = 0; ; attempt++)
    {
        try
        {
            var run = await agent.GetRunAsync(session.LastRunId!, session.SessionId!);
            if (run.Status.IsFinished || attempt >= 600)
            {
                return run;
            }
        }
        catch (AgentOSNotFoundException) when (attempt < 600)
        {
        }

        await Task.Delay(50);
    }
}

static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
