using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// What a <see cref="HostedAgent"/> and a <see cref="HostedTeam"/> share: an id, a model (a chat client), the
/// instructions, tools and options sent with every run, the session history policy and what discovery shows.
/// </summary>
public abstract class HostedChatComponent
{
    private protected HostedChatComponent(string id, IChatClient chatClient, string chatClientName)
    {
        ComponentIds.Validate(id, nameof(id));
        ArgumentNullException.ThrowIfNull(chatClient, chatClientName);
        Id = id;
        Model = chatClient;
    }

    /// <summary>The id (a URL segment: <c>/agents/{id}</c>, <c>/teams/{id}</c>).</summary>
    public string Id { get; }

    /// <summary>The display name (defaults to the id).</summary>
    public string? Name { get; set; }

    /// <summary>What the component does: shown by discovery and, as AgentOS does, put in the system message.</summary>
    public string? Description { get; set; }

    /// <summary>The instructions sent to the chat client at the start of every run (after the <see cref="Description"/>).</summary>
    public string? Instructions { get; set; }

    /// <summary>The model id reported by discovery and run outputs (defaults to the chat client's metadata, then <c>unknown</c>).</summary>
    public string? ModelId { get; set; }

    /// <summary>The model provider reported (defaults to the chat client's metadata, then <c>dotnet</c>).</summary>
    public string? ModelProvider { get; set; }

    /// <summary>Tools offered to the chat client; unanswered calls to these <see cref="AIFunction"/>s are run by the host.</summary>
    public IList<AITool> Tools { get; } = [];

    /// <summary>Options copied into every chat request (tools and the response format are added by the host).</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Whether the session's earlier messages are sent with each run (AgentOS's <c>add_history_to_context</c>). On by default.</summary>
    public bool AddHistoryToContext { get; set; } = true;

    /// <summary>How many earlier runs of the session to send: 3 by default, as in AgentOS; all when null.</summary>
    public int? NumHistoryRuns { get; set; } = 3;

    /// <summary>Metadata shown by discovery.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The chat client the component's runs talk to (an agent's <c>ChatClient</c>, a team's <c>Leader</c>).</summary>
    internal IChatClient Model { get; }
}
