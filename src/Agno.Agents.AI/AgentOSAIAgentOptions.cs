using Agno.AgentOS;

namespace Agno.Agents.AI;

/// <summary>Options of an <see cref="AgentOSAIAgent"/>.</summary>
public sealed class AgentOSAIAgentOptions
{
    /// <summary>The agent's id in MAF (<see cref="Microsoft.Agents.AI.AIAgent.Id"/>); default: the remote component's id.</summary>
    public string? Id { get; set; }

    /// <summary>The agent's name; default: the name in the cached server configuration, else the component id. The author name of its messages is its chat-safe form (no spaces).</summary>
    public string? Name { get; set; }

    /// <summary>The agent's description; default: the one in the cached server configuration.</summary>
    public string? Description { get; set; }

    /// <summary>The user new sessions run for (<c>user_id</c>), unless the session or the run says otherwise.</summary>
    public string? UserId { get; set; }

    /// <summary>Per-request options of every call (e.g. the end user's token, extra headers).</summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public AgentOSAIAgentOptions Clone() => (AgentOSAIAgentOptions)MemberwiseClone();
}
