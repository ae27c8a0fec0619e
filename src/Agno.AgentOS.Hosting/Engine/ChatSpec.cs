using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>What an agent run or a team-leader run talks to: the chat client, its system message and tools.</summary>
internal sealed class ChatSpec
{
    private static readonly JsonElement DelegateSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"member_id":{"type":"string","description":"(str) The ID of the member to delegate the task to. Use only the ID of the member, not the ID of the team followed by the ID of the member."},"task":{"type":"string","description":"(str) A clear and concise description of the task the member should achieve."}},"required":["member_id","task"],"additionalProperties":false}
        """).RootElement.Clone();

    public static readonly AIFunctionDeclaration DelegateTool = AIFunctionFactory.CreateDeclaration(
        HostedTeam.DelegateToolName,
        "Use this function to delegate a task to the selected team member.\nYou must provide a clear and concise description of the task the member should achieve AND the expected output.",
        DelegateSchema);

    public required EmitterScope Scope { get; init; }

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required IChatClient Client { get; init; }

    public string? SystemMessage { get; init; }

    /// <summary>Tools the host knows (runs the <see cref="AIFunction"/>s).</summary>
    public IReadOnlyList<AITool> HostTools { get; init; } = [];

    /// <summary>Tools offered to the chat client.</summary>
    public IReadOnlyList<AITool> OfferedTools { get; init; } = [];

    public ChatOptions? Options { get; init; }

    public required string ModelId { get; init; }

    public required string ModelProvider { get; init; }

    public HostedTeam? Team { get; init; }

    public HostedAgent? Agent { get; init; }

    public bool AddHistoryToContext { get; init; }

    public int? NumHistoryRuns { get; init; }

    public AITool? FindHostTool(string name) => HostTools.FirstOrDefault(t => t.Name == name);

    public static ChatSpec ForAgent(HostedAgent agent, bool asMember)
    {
        var (model, provider) = ModelOf(agent);
        var parts = new List<string>(3);
        if (asMember && agent.Role is { Length: > 0 } role)
        {
            parts.Add($"<your_role>\n{role}\n</your_role>");
        }

        if (agent.Description is { Length: > 0 } description)
        {
            parts.Add(description);
        }

        if (agent.Instructions is { Length: > 0 } instructions)
        {
            parts.Add(instructions);
        }

        // A Microsoft Agent Framework agent has its own instructions: the host sends it no system message.
        string? system = parts.Count == 0 || agent.ChatClient is AIAgentChatClient ? null : string.Join("\n\n", parts);

        var tools = agent.Tools.ToList();
        return new ChatSpec
        {
            Scope = EmitterScope.Agent,
            Id = agent.Id,
            Name = agent.Name ?? agent.Id,
            Client = agent.ChatClient,
            SystemMessage = system,
            HostTools = tools,
            OfferedTools = tools,
            Options = agent.ChatOptions,
            ModelId = model,
            ModelProvider = provider,
            Agent = agent,
            AddHistoryToContext = agent.AddHistoryToContext && !asMember,
            NumHistoryRuns = agent.NumHistoryRuns,
        };
    }

    public static ChatSpec ForTeam(HostedTeam team)
    {
        var (model, provider) = ModelOf(team);
        var system = new StringBuilder();
        system.Append("You coordinate a team of agents to fulfil the user's request. Delegate to a member with ")
            .Append(HostedTeam.DelegateToolName)
            .Append(" when its skills are needed; answer directly otherwise.\n\n<team_members>\n");
        foreach (var m in team.Members)
        {
            system.Append("<member id=\"").Append(m.Id).Append("\" name=\"").Append(m.Name ?? m.Id).Append("\">\n");
            if (m.Role is { Length: > 0 } role)
            {
                system.Append("  Role: ").Append(role).Append('\n');
            }

            if (m.Description is { Length: > 0 } description)
            {
                system.Append("  Description: ").Append(description).Append('\n');
            }

            system.Append("</member>\n");
        }

        system.Append("</team_members>");
        if (team.Instructions is { Length: > 0 } instructions)
        {
            system.Append("\n\n<instructions>\n").Append(instructions).Append("\n</instructions>");
        }

        var hostTools = team.Tools.ToList();
        var offered = new List<AITool>(hostTools.Count + 1) { DelegateTool };
        offered.AddRange(hostTools);
        return new ChatSpec
        {
            Scope = EmitterScope.Team,
            Id = team.Id,
            Name = team.Name ?? team.Id,
            Client = team.Leader,
            SystemMessage = system.ToString(),
            HostTools = hostTools,
            OfferedTools = offered,
            Options = team.ChatOptions,
            ModelId = model,
            ModelProvider = provider,
            Team = team,
            AddHistoryToContext = team.AddHistoryToContext,
            NumHistoryRuns = team.NumHistoryRuns,
        };
    }

    /// <summary>The model id and provider an agent or team reports (its own settings, else its chat client's metadata).</summary>
    public static (string ModelId, string Provider) ModelOf(HostedChatComponent component)
        => ModelOf(component.Model, component.ModelId, component.ModelProvider);

    public static (string ModelId, string Provider) ModelOf(IChatClient client, string? modelId, string? provider)
    {
        ChatClientMetadata? metadata = null;
        if (modelId is null || provider is null)
        {
            try
            {
                metadata = client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
            }
            catch (InvalidOperationException)
            {
                metadata = null;
            }
        }

        return (modelId ?? metadata?.DefaultModelId ?? "unknown", provider ?? metadata?.ProviderName ?? "dotnet");
    }

    public static string ModelClassName(IChatClient client) => client.GetType().Name;
}
