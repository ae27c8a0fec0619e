using System.ComponentModel;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.Testing;
using Microsoft.Extensions.AI;

namespace Agno.Samples;

/// <summary>
/// The server every sample talks to: the one named by AGNO_BASE_URL (with AGNO_API_KEY) when set, otherwise an
/// embedded AgentOS on a free loopback port serving <see cref="Configure"/>'s deterministic demo.
/// </summary>
public sealed partial class DemoAgentOS : IAsyncDisposable
{
    private readonly EmbeddedAgentOS? _embedded;

    private DemoAgentOS(AgentOSClient client, EmbeddedAgentOS? embedded)
    {
        Client = client;
        _embedded = embedded;
    }

    /// <summary>The client of the server in use.</summary>
    public AgentOSClient Client { get; }

    /// <summary>Whether the server is the embedded demo (false: a real AgentOS from AGNO_BASE_URL).</summary>
    public bool IsEmbedded => _embedded is not null;

    /// <summary>The agent to use for the generic parts: AGNO_AGENT_ID, or the demo's assistant.</summary>
    public string AgentId => Environment.GetEnvironmentVariable("AGNO_AGENT_ID") is { Length: > 0 } id ? id : "assistant";

    /// <summary>Connects to AGNO_BASE_URL, or starts the embedded demo server.</summary>
    public static async Task<DemoAgentOS> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("AGNO_BASE_URL") is { Length: > 0 } url)
        {
            var options = new AgentOSClientOptions { BaseAddress = new Uri(url), ApiKey = Environment.GetEnvironmentVariable("AGNO_API_KEY") };
            return new DemoAgentOS(new AgentOSClient(options), null);
        }

        var embedded = await EmbeddedAgentOS.StartAsync(Configure, o =>
        {
            o.OsId = "demo-os";
            o.Name = "Demo AgentOS";
            o.Description = "The embedded, deterministic AgentOS of the Agno.SemanticKernel samples.";
        });
        return new DemoAgentOS(embedded.CreateClient(), embedded);
    }

    /// <summary>A line saying which server the sample uses.</summary>
    public string Describe() => IsEmbedded
        ? $"embedded AgentOS at {Client.BaseAddress} (offline demo; set AGNO_BASE_URL to use a real one)"
        : $"AgentOS at {Client.BaseAddress} (from AGNO_BASE_URL)";

    /// <summary>Adds the demo's agents, team and workflow.</summary>
    public static void Configure(AgentOSHostBuilder os)
    {
        ArgumentNullException.ThrowIfNull(os);
        os.AddAgent(new HostedAgent("assistant", new ScriptedChatClient(Assistant, "demo-model", "Demo") { SplitWords = true })
        {
            Name = "Assistant",
            Description = "Answers questions and remembers what you told it in the session.",
        });

        var ops = new HostedAgent("ops-agent", new ScriptedChatClient(Ops, "demo-model", "Demo"))
        {
            Name = "Ops Agent",
            Description = "Deletes records; every deletion needs a human's approval.",
        };
        ops.Tools.Add(new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
            ([Description("The id of the record to delete")] string record_id) => $"Record {record_id} deleted",
            "delete_record",
            "Deletes a record by id.")));
        os.AddAgent(ops);

        os.AddAgent(new HostedAgent("slow-agent", new TickingChatClient())
        {
            Name = "Slow Agent",
            Description = "Works on a long task, one tick at a time, until it is cancelled.",
        });

        os.AddTeam(new HostedTeam(
            "research-team",
            new ScriptedChatClient(Leader, "demo-model", "Demo"),
            new HostedAgent("researcher", new ScriptedChatClient(Researcher, "demo-model", "Demo") { SplitWords = true })
            {
                Name = "Researcher",
                Role = "Finds facts about a topic",
            })
        {
            Name = "Research Team",
            Description = "A leader that hands research questions to its researcher and reports the findings.",
        });

        var draft = WorkflowStep.ForAgent("draft", new HostedAgent("writer", new ScriptedChatClient(Writer, "demo-model", "Demo") { SplitWords = true }) { Name = "Writer" });
        draft.Description = "Drafts a short report";
        var polish = WorkflowStep.ForFunction("polish", step => $"REPORT: {step.PreviousStepContent}", "polish_report");
        polish.Description = "Formats the draft as a report";
        os.AddWorkflow(new HostedWorkflow("report-workflow", draft, polish)
        {
            Name = "Report Workflow",
            Description = "Drafts a short report on a topic, then formats it.",
        });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }

    private static IEnumerable<AIContent> Assistant(ScriptedChatContext turn)
    {
        string text = turn.LastUserText;
        if (NameIntro().Match(text) is { Success: true } intro)
        {
            return [new TextContent($"Nice to meet you, {intro.Groups[1].Value}.")];
        }

        if (text.Contains("my name", StringComparison.OrdinalIgnoreCase))
        {
            // the history of the session reaches the chat client on every turn
            var earlier = turn.Messages.Where(m => m.Role == ChatRole.User).Select(m => NameIntro().Match(m.Text)).LastOrDefault(m => m.Success);
            return [new TextContent(earlier is null ? "You have not told me your name yet." : $"Your name is {earlier.Groups[1].Value}.")];
        }

        return [new TextContent($"You asked: \"{text}\". AgentOS is the server that runs Agno agents, teams and workflows behind an HTTP API.")];
    }

    private static IEnumerable<AIContent> Ops(ScriptedChatContext turn)
    {
        if (turn.FunctionResults.Count > 0)
        {
            return [new TextContent($"Done: {Text(turn.FunctionResults[^1].Result)}.")];
        }

        if (turn.ApprovalResponses.Count > 0 && !turn.ApprovalResponses[^1].Approved)
        {
            return [new TextContent("Understood, nothing was deleted.")];
        }

        return DeleteRequest().Match(turn.LastUserText) is { Success: true } m
            ? [new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..12], "delete_record", new Dictionary<string, object?> { ["record_id"] = m.Groups[1].Value })]
            : [new TextContent("Tell me which record to delete, e.g. \"delete rec-42\".")];
    }

    private static IEnumerable<AIContent> Leader(ScriptedChatContext turn)
        => turn.FunctionResults.Count > 0
            ? [new TextContent($"Team findings: {Text(turn.FunctionResults[^1].Result)}")]
            : [new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..12], HostedTeam.DelegateToolName, new Dictionary<string, object?> { ["member_id"] = "researcher", ["task"] = turn.LastUserText })];

    private static IEnumerable<AIContent> Researcher(ScriptedChatContext turn)
        => [new TextContent($"On \"{turn.LastUserText}\": agents are served over HTTP, stream events over SSE and keep sessions server-side.")];

    private static IEnumerable<AIContent> Writer(ScriptedChatContext turn)
        => [new TextContent($"{turn.LastUserText} in three points: typed client, streaming, sessions.")];

    private static string Text(object? result) => result switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        _ => result?.ToString() ?? string.Empty,
    };

    [GeneratedRegex(@"my name is (\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex NameIntro();

    [GeneratedRegex(@"delete (\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex DeleteRequest();
}

/// <summary>A chat client that streams "tick N" every 100 ms until its run is cancelled (at most 600 ticks).</summary>
internal sealed class TickingChatClient : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; i <= 600; i++)
        {
            await Task.Delay(100, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"tick {i} ") { ModelId = "demo-model" };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("Demo", null, "demo-model") : null;

    public void Dispose()
    {
    }
}
