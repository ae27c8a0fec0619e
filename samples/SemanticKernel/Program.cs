// SemanticKernel: AgentOS components inside Semantic Kernel, with Agno.SemanticKernel (SK Core only). A model calls a
// remote team through SK function calling (FunctionChoiceBehavior.Auto); the plugin is also registered in a container,
// where it is discovered on first use. The local model is a scripted IChatClient (no LLM, no API key). Offline by
// default (the embedded demo AgentOS); set AGNO_BASE_URL (and AGNO_API_KEY) to use a real one. The SK agents (group
// chat, threads) are in samples/SemanticKernel.Agents.
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.Testing;
using Agno.SemanticKernel;
using Agno.Samples;
using Microsoft.Extensions.AI;
using AI = Microsoft.Extensions.AI;   // TextContent and the function contents exist in both namespaces
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

await using var os = await DemoAgentOS.StartAsync();
AgentOSClient client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

// 1. Function calling: the remote team as a kernel function ----------------------------------------------------------
Section("1. Function calling: a remote team as a kernel function");

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

// 2. The plugin in a container: resolving makes no call, the functions are discovered on first use ------------------
Section("2. Dependency injection: the plugin is discovered on first use");

var services = new ServiceCollection();
services.AddKernel().Plugins.AddFromAgentOS(client);
await using (var provider = services.BuildServiceProvider())
{
    var registered = (AgentOSKernelPlugin)provider.GetRequiredService<Kernel>().Plugins[AgentOSKernelExtensions.DefaultPluginName];
    Console.WriteLine($"resolved plugin {registered.Name}: loaded = {registered.IsLoaded}");
    await registered.LoadAsync();                                    // or let the first use fetch it
    Console.WriteLine($"after LoadAsync: loaded = {registered.IsLoaded}, functions: {string.Join(", ", registered.Select(f => f.Name))}");
}

Section("Done");
return 0;

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
