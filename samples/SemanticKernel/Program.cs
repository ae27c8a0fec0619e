// SemanticKernel: AgentOS components inside Semantic Kernel. A remote agent talks with a local ChatCompletionAgent
// in an AgentGroupChat, and a model calls a remote team through SK function calling (FunctionChoiceBehavior.Auto).
// The local models are scripted IChatClients (no LLM, no API key). Offline by default (the embedded demo AgentOS);
// set AGNO_BASE_URL (and AGNO_API_KEY, AGNO_AGENT_ID) to use a real one.
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.SemanticKernel;
using Agno.Samples;
using Microsoft.Extensions.AI;
using AI = Microsoft.Extensions.AI;   // TextContent and the function contents exist in both namespaces
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
Agent remote = await client.GetRemoteAgent(os.AgentId).AsSemanticKernelAgentAsync();
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

// 2. Function calling: the remote team as a kernel function ----------------------------------------------------------
Section("2. Function calling: a remote team as a kernel function");

// The model: calls the research team's function once, then answers from its result.
IChatClient plannerModel = new ScriptedChatClient(turn =>
{
    var result = turn.Messages.SelectMany(m => m.Contents).OfType<AI.FunctionResultContent>().FirstOrDefault();
    if (result is not null)
    {
        return [new AI.TextContent($"According to the research team: {result.Result}")];
    }

    var tools = turn.Options?.Tools?.OfType<AIFunction>().ToList() ?? [];
    if (tools.Count == 0)
    {
        return [new AI.TextContent("The server offers no team or workflow to ask.")];
    }

    var team = tools.FirstOrDefault(t => t.Name.EndsWith("research_team", StringComparison.Ordinal)) ?? tools[0];
    return [new AI.FunctionCallContent("call-1", team.Name, new Dictionary<string, object?> { ["input"] = "AgentOS" })];
}) { SplitWords = false };

var builder = Kernel.CreateBuilder();
// SK's function invocation (what an SK connector does with FunctionChoiceBehavior.Auto) over the scripted model
builder.Services.AddSingleton(new ChatClientBuilder(plannerModel).UseKernelFunctionInvocation().Build().AsChatCompletionService());
builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(new PrintCalls());
Kernel kernel = builder.Build();

KernelPlugin plugin = await kernel.ImportPluginFromAgentOSAsync(client);   // the server's teams and workflows
foreach (KernelFunction function in plugin)
{
    Console.WriteLine($"function {plugin.Name}.{function.Name}: {function.Description}");
}

var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
FunctionResult answer = await kernel.InvokePromptAsync("What do we know about AgentOS? Ask the research team.", new KernelArguments(settings));
Console.WriteLine($"model: {answer}");

Section("Done");
return 0;

static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}

/// <summary>Prints each function the model calls, with the AgentOS run it started.</summary>
internal sealed class PrintCalls : IAutoFunctionInvocationFilter
{
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        Console.WriteLine($"model calls {context.Function.PluginName}.{context.Function.Name}(input: \"{context.Arguments?["input"]}\")");
        await next(context);
        var metadata = context.Result.Metadata;
        Console.WriteLine($"  -> {context.Result} (run {Short(metadata?[AgentOSMetadataKeys.RunId] as string)}, session {Short(metadata?[AgentOSMetadataKeys.SessionId] as string)})");
    }

    private static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";
}
