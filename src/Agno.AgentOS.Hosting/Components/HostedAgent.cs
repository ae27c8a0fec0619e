using System.Text.Json.Nodes;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// An agent served over the AgentOS protocol, backed by any <see cref="IChatClient"/>. Each run sends the
/// chat client the instructions (as a system message), the session's history (when
/// <see cref="AddHistoryToContext"/> is on) and the new user message; the streamed answer becomes
/// <c>RunContent</c> events.
/// </summary>
/// <remarks>
/// <para>Tools: <see cref="FunctionCallContent"/> / <see cref="FunctionResultContent"/> pairs that the chat client
/// reports (a function-invoking client ran the tool) are shown as <c>ToolCallStarted</c> / <c>ToolCallCompleted</c>.
/// A call the chat client leaves unanswered is run by the host when <see cref="Tools"/> holds an
/// <see cref="AIFunction"/> of that name (an <see cref="ApprovalRequiredAIFunction"/> pauses the run for a
/// confirmation first); otherwise the run pauses for external execution, and the caller's result is handed back
/// as a <see cref="FunctionResultContent"/>.</para>
/// <para>Human in the loop: a <see cref="ToolApprovalRequestContent"/> or an <see cref="InputRequestContent"/>
/// (e.g. <see cref="AgnoInputRequestContent"/>) from the chat client pauses the run (status <c>PAUSED</c>,
/// <c>RunPaused</c>); continuing it hands the answers back as <see cref="ToolApprovalResponseContent"/> /
/// <see cref="AgnoInputResponseContent"/>.</para>
/// </remarks>
public sealed class HostedAgent
{
    /// <summary>Creates an agent.</summary>
    /// <param name="id">The agent id (a URL segment: <c>/agents/{id}</c>).</param>
    /// <param name="chatClient">The model.</param>
    public HostedAgent(string id, IChatClient chatClient)
    {
        ComponentIds.Validate(id, nameof(id));
        ArgumentNullException.ThrowIfNull(chatClient);
        Id = id;
        ChatClient = chatClient;
    }

    /// <summary>The agent id.</summary>
    public string Id { get; }

    /// <summary>The model.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>The display name (defaults to the id).</summary>
    public string? Name { get; set; }

    /// <summary>What the agent does: shown by discovery and, as AgentOS does, put at the start of the system message.</summary>
    public string? Description { get; set; }

    /// <summary>The system prompt sent to the chat client at the start of every run (after the <see cref="Description"/>).</summary>
    public string? Instructions { get; set; }

    /// <summary>The agent's role when it is a team member (shown to the team leader).</summary>
    public string? Role { get; set; }

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

    /// <inheritdoc />
    public override string ToString() => $"HostedAgent({Id})";
}
