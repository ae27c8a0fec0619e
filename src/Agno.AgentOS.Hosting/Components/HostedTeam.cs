using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A team served over the AgentOS protocol: a leader <see cref="IChatClient"/> and member agents. The leader is
/// offered AgentOS's <c>delegate_task_to_member(member_id, task)</c> tool (and the members' ids and roles in its
/// system message); each call runs that member, whose events interleave in the team's stream (with
/// <c>parent_run_id</c> = the team run), and the member's answer goes back to the leader as the tool result.
/// The leader's final answer is the team's answer ("coordinate" mode).
/// </summary>
public sealed class HostedTeam
{
    /// <summary>The name of the delegation tool offered to the leader (as in AgentOS).</summary>
    public const string DelegateToolName = "delegate_task_to_member";

    /// <summary>Creates a team.</summary>
    /// <param name="id">The team id (a URL segment: <c>/teams/{id}</c>).</param>
    /// <param name="leader">The leader's model.</param>
    /// <param name="members">The members.</param>
    public HostedTeam(string id, IChatClient leader, params IEnumerable<HostedAgent> members)
    {
        ComponentIds.Validate(id, nameof(id));
        ArgumentNullException.ThrowIfNull(leader);
        ArgumentNullException.ThrowIfNull(members);
        Id = id;
        Leader = leader;
        foreach (var m in members)
        {
            Members.Add(m ?? throw new ArgumentException("A team member is null.", nameof(members)));
        }
    }

    /// <summary>The team id.</summary>
    public string Id { get; }

    /// <summary>The leader's model.</summary>
    public IChatClient Leader { get; }

    /// <summary>The members.</summary>
    public IList<HostedAgent> Members { get; } = [];

    /// <summary>The display name (defaults to the id).</summary>
    public string? Name { get; set; }

    /// <summary>What the team does.</summary>
    public string? Description { get; set; }

    /// <summary>Instructions added to the leader's system message.</summary>
    public string? Instructions { get; set; }

    /// <summary>The leader's model id (defaults to the chat client's metadata).</summary>
    public string? ModelId { get; set; }

    /// <summary>The leader's model provider (defaults to the chat client's metadata).</summary>
    public string? ModelProvider { get; set; }

    /// <summary>The leader's own tools (besides the delegation tool).</summary>
    public IList<AITool> Tools { get; } = [];

    /// <summary>Options copied into every leader request.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Whether the session's earlier team messages are sent to the leader. On by default.</summary>
    public bool AddHistoryToContext { get; set; } = true;

    /// <summary>How many earlier team runs of the session to send to the leader: 3 by default, as in AgentOS; all when null.</summary>
    public int? NumHistoryRuns { get; set; } = 3;

    /// <summary>Metadata shown by discovery.</summary>
    public JsonObject? Metadata { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"HostedTeam({Id})";
}
