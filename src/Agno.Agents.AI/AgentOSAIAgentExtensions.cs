using Agno.Agents.AI;
using Agno.Agents.AI.Internal;
using Agno.AgentOS;

namespace Microsoft.Agents.AI;

/// <summary>Remote AgentOS agents, teams and workflows as Microsoft Agent Framework <see cref="AIAgent"/>s.</summary>
public static class AgentOSAIAgentExtensions
{
    /// <summary>Gets an <see cref="AIAgent"/> over a remote agent.</summary>
    /// <param name="agent">The remote agent.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The agent.</returns>
    /// <example>
    /// <code>
    /// AIAgent agent = client.GetRemoteAgent("assistant").AsAIAgent();
    /// var session = await agent.CreateSessionAsync();
    /// var response = await agent.RunAsync("My name is Ada.", session);
    /// </code>
    /// </example>
    public static AgentOSAIAgent AsAIAgent(this RemoteAgent agent, AgentOSAIAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new AgentOSAIAgent(RemoteRunner.For(agent), options);
    }

    /// <summary>Gets an <see cref="AIAgent"/> over a remote team (the answer is the leader's).</summary>
    /// <param name="team">The remote team.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The agent.</returns>
    public static AgentOSAIAgent AsAIAgent(this RemoteTeam team, AgentOSAIAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        return new AgentOSAIAgent(RemoteRunner.For(team), options);
    }

    /// <summary>Gets an <see cref="AIAgent"/> over a remote workflow (the answer is its final content).</summary>
    /// <param name="workflow">The remote workflow.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The agent.</returns>
    public static AgentOSAIAgent AsAIAgent(this RemoteWorkflow workflow, AgentOSAIAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return new AgentOSAIAgent(RemoteRunner.For(workflow), options);
    }
}
