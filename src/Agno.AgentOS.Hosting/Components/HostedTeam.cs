using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A team served over the AgentOS protocol: a leader <see cref="IChatClient"/> and member agents. The leader is
/// offered AgentOS's <c>delegate_task_to_member(member_id, task)</c> tool (and the members' ids and roles in its
/// system message); each call runs that member, whose events interleave in the team's stream (with
/// <c>parent_run_id</c> = the team run), and the member's answer goes back to the leader as the tool result.
/// The leader's final answer is the team's answer ("coordinate" mode).
/// </summary>
public sealed class HostedTeam : HostedChatComponent
{
    /// <summary>The name of the delegation tool offered to the leader (as in AgentOS).</summary>
    public const string DelegateToolName = "delegate_task_to_member";

    /// <summary>Creates a team.</summary>
    /// <param name="id">The team id (a URL segment: <c>/teams/{id}</c>).</param>
    /// <param name="leader">The leader's model.</param>
    /// <param name="members">The members.</param>
    public HostedTeam(string id, IChatClient leader, params IEnumerable<HostedAgent> members)
        : base(id, leader, nameof(leader))
    {
        ArgumentNullException.ThrowIfNull(members);
        foreach (var m in members)
        {
            Members.Add(m ?? throw new ArgumentException("A team member is null.", nameof(members)));
        }
    }

    /// <summary>The leader's model.</summary>
    public IChatClient Leader => Model;

    /// <summary>The members.</summary>
    public IList<HostedAgent> Members { get; } = [];

    /// <inheritdoc />
    public override string ToString() => $"HostedTeam({Id})";
}
