// ExtensionsAI: AgentOS through Microsoft.Extensions.AI. A remote agent is an IChatClient (the AgentOS session is
// the ConversationId); a remote team and workflow are AIFunction tools that a model calls.
// Offline by default (the embedded demo AgentOS); set AGNO_BASE_URL (and AGNO_API_KEY, AGNO_AGENT_ID) for a real one.
using System.Text.Json;
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.Testing;
using Agno.Extensions.AI;
using Agno.Samples;
using Microsoft.Extensions.AI;

await using var os = await DemoAgentOS.StartAsync();
AgentOSClient client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

// 1. A remote agent as an IChatClient ------------------------------------------------------------------------
Section("1. A remote agent as IChatClient");
IChatClient chat = client.GetRemoteAgent(os.AgentId).AsIChatClient();
var metadata = chat.GetService<ChatClientMetadata>();
Console.WriteLine($"provider {metadata?.ProviderName}, {metadata?.ProviderUri}");

ChatResponse response = await chat.GetResponseAsync("What is AgentOS?");
Console.WriteLine($"GetResponseAsync:          {response.Text}");
Console.WriteLine($"                           model {response.ModelId}, {response.Usage?.TotalTokenCount ?? 0} tokens, finish {response.FinishReason}");

Console.Write("GetStreamingResponseAsync: ");
var updates = new List<ChatResponseUpdate>();
await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Tell me about streaming."))
{
    updates.Add(update);
    Console.Write(update.Text);
}

Console.WriteLine();
ChatResponse joined = updates.ToChatResponse();
Console.WriteLine($"                           {updates.Count(u => u.Text.Length > 0)} text updates, joined: {joined.Usage?.TotalTokenCount ?? 0} tokens, finish {joined.FinishReason}");

// 2. A conversation: the AgentOS session is the ConversationId ------------------------------------------------
Section("2. Two turns in one conversation");
var turn1 = await chat.GetResponseAsync("Hi, my name is Ada.");
Console.WriteLine($"you: Hi, my name is Ada.   agent: {turn1.Text}");
// only the new message is sent: the server keeps the history of the session
var options = new ChatOptions { ConversationId = turn1.ConversationId };
var turn2 = await chat.GetResponseAsync("What is my name?", options);
Console.WriteLine($"you: What is my name?      agent: {turn2.Text}");
Console.WriteLine($"(ConversationId {Short(turn1.ConversationId)} both times: {turn1.ConversationId == turn2.ConversationId})");

// 3. The team and the workflow as tools of a model --------------------------------------------------------------
Section("3. A team and a workflow as AIFunction tools");
IList<AIFunction> tools = await client.GetAIFunctionsAsync((kind, _) => kind != AgentOSComponentKind.Agent);
foreach (AIFunction tool in tools)
{
    Console.WriteLine($"tool {tool.Name}: {tool.Description}");
}

// The model: a scripted IChatClient standing in for an LLM (deterministic, no API key). It calls each offered tool
// once (at most two), then answers from what the tools returned.
using IChatClient model = new ScriptedChatClient(turn =>
{
    var results = turn.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
    var offered = turn.Options?.Tools?.OfType<AIFunction>().Take(2).ToList() ?? [];
    if (results.Count < offered.Count)
    {
        var next = offered[results.Count];
        return [new FunctionCallContent($"call-{results.Count + 1}", next.Name, new Dictionary<string, object?> { ["input"] = "AgentOS" })];
    }

    return [new TextContent("Here is what I found. " + string.Join(" ", results.Select(r => Text(r.Result))))];
}, "scripted-llm", "Scripted") { SplitWords = false };

// The tool-calling loop is Microsoft.Extensions.AI's FunctionInvokingChatClient: it asks the model, runs the tools
// it calls (the team and the workflow on AgentOS) and hands the results back until the model answers.
using IChatClient withTools = model.AsBuilder().UseFunctionInvocation().Build();
ChatResponse reply = await withTools.GetResponseAsync("What do we know about AgentOS? Write it up as a report.", new ChatOptions { Tools = [.. tools] });
foreach (var (call, result) in reply.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
    .Join(reply.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), c => c.CallId, r => r.CallId, (c, r) => (c, r)))
{
    Console.WriteLine($"model calls {call.Name}(input: \"{call.Arguments?["input"]}\") -> {Text(result.Result)}");
}

Console.WriteLine($"model: {reply.Text}");

Section("Done");
return 0;

// A tool's result: the component's answer (a string, or a JSON string / object with "content").
static string Text(object? result) => result switch
{
    JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
    JsonElement { ValueKind: JsonValueKind.Object } e when e.TryGetProperty("content", out var content) => content.ToString(),
    _ => result?.ToString() ?? string.Empty,
};

static string Short(string? id) => id is { Length: > 8 } ? id[..8] : id ?? "?";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
