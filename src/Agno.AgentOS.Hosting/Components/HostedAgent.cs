using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// An agent served over the AgentOS protocol, backed by any <see cref="IChatClient"/>. Each run sends the
/// chat client the instructions (as a system message), the session's history (when
/// <see cref="HostedChatComponent.AddHistoryToContext"/> is on) and the new user message; the streamed answer becomes
/// <c>RunContent</c> events.
/// </summary>
/// <remarks>
/// <para>Tools: <see cref="FunctionCallContent"/> / <see cref="FunctionResultContent"/> pairs that the chat client
/// reports (a function-invoking client ran the tool) are shown as <c>ToolCallStarted</c> / <c>ToolCallCompleted</c>.
/// A call the chat client leaves unanswered is run by the host when <see cref="HostedChatComponent.Tools"/> holds an
/// <see cref="AIFunction"/> of that name (an <see cref="ApprovalRequiredAIFunction"/> pauses the run for a
/// confirmation first); otherwise the run pauses for external execution, and the caller's result is handed back
/// as a <see cref="FunctionResultContent"/>.</para>
/// <para>Human in the loop: a <see cref="ToolApprovalRequestContent"/> or an <see cref="InputRequestContent"/>
/// (e.g. <see cref="Agno.Extensions.AI.AgnoInputRequestContent"/>) from the chat client pauses the run (status <c>PAUSED</c>,
/// <c>RunPaused</c>); continuing it hands the answers back as <see cref="ToolApprovalResponseContent"/> /
/// <see cref="Agno.Extensions.AI.AgnoInputResponseContent"/>.</para>
/// </remarks>
public sealed class HostedAgent : HostedChatComponent
{
    /// <summary>Creates an agent.</summary>
    /// <param name="id">The agent id (a URL segment: <c>/agents/{id}</c>).</param>
    /// <param name="chatClient">The model.</param>
    public HostedAgent(string id, IChatClient chatClient)
        : base(id, chatClient, nameof(chatClient))
    {
    }

    /// <summary>The model.</summary>
    public IChatClient ChatClient => Model;

    /// <summary>The agent's role when it is a team member (shown to the team leader).</summary>
    public string? Role { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"HostedAgent({Id})";
}
