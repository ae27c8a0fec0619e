// SemanticKernel.Agents: remote AgentOS agents as Semantic Kernel agents (Agno.SemanticKernel.Agents). A remote agent
// talks with a local ChatCompletionAgent in an AgentGroupChat, then runs on a thread that is an AgentOS session. The
// local model is a scripted IChatClient (no LLM, no API key). Needs the Microsoft.SemanticKernel.Agents packages (see
// the root README, "Semantic Kernel packages"). Offline by default (the embedded demo AgentOS); set AGNO_BASE_URL (and
// AGNO_API_KEY, AGNO_AGENT_ID) to use a real one.
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.Testing;
using Agno.SemanticKernel;
using Agno.Samples;
using Microsoft.Extensions.AI;
using AI = Microsoft.Extensions.AI;   // TextContent exists in both namespaces
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.Agents.Chat;
using Microsoft.SemanticKernel.ChatCompletion;

await using var os = await DemoAgentOS.StartAsync();
AgentOSClient client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

// 1. A group chat: a local agent and a remote one ------------------------------------------------------------------
Section("1. AgentGroupChat: a local ChatCompletionAgent and a remote AgentOS agent");

// The local agent's model: introduces itself, then checks that the other agent remembers it.
IChatClient adaModel = new ScriptedChatClient(turn => turn.Messages.Any(m => m.Role == ChatRole.Assistant)
    ? [new AI.TextContent("Do you remember my name?")]
    : [new AI.TextContent("Hi, my name is Ada.")]) { SplitWords = false };
var adaKernel = Kernel.CreateBuilder();
adaKernel.Services.AddSingleton(adaModel.AsChatCompletionService());
var ada = new ChatCompletionAgent
{
    Name = "Ada",
    Description = "A local agent.",
    Instructions = "Introduce yourself, then ask whether the other agent remembers your name.",
    Kernel = adaKernel.Build(),
};

// The remote agent: name and description come from the server; its thread is an AgentOS session.
AgentOSAgent remote = await client.GetRemoteAgent(os.AgentId).AsSemanticKernelAgentAsync();
Console.WriteLine($"remote agent: {remote.Name} ({remote.Description})");

var chat = new AgentGroupChat(ada, remote)
{
    ExecutionSettings = new AgentGroupChatSettings
    {
        SelectionStrategy = new SequentialSelectionStrategy(),
        TerminationStrategy = new RegexTerminationStrategy("Your name is") { Agents = [remote], MaximumIterations = 6 },
    },
};
chat.AddChatMessage(new ChatMessageContent(AuthorRole.User, "Introduce yourselves."));
Console.WriteLine("user: Introduce yourselves.");
await foreach (ChatMessageContent message in chat.InvokeAsync())
{
    Console.WriteLine($"{message.AuthorName}: {message.Content}");
}

Console.WriteLine($"(complete: {chat.IsComplete}; the remote agent got only the new messages of each turn, its session kept the rest)");

// The same remote agent, invoked directly on a thread that is an AgentOS session.
var thread = new AgentOSAgentThread(client);
await foreach (AgentResponseItem<ChatMessageContent> item in remote.InvokeAsync("Hi, my name is Grace.", thread))
{
    Console.WriteLine($"thread turn 1: {item.Message.Content}");
}

await foreach (AgentResponseItem<ChatMessageContent> item in remote.InvokeAsync("What is my name?", thread))
{
    Console.WriteLine($"thread turn 2: {item.Message.Content}  (session {Short(thread.Id)})");
}

await thread.DeleteAsync();                                          // deletes the AgentOS session

Section("Done");
return 0;

static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}

