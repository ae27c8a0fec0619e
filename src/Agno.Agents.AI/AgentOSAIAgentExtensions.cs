using Agno.Agents.AI;
using Agno.AgentOS;

namespace Microsoft.Agents.AI;

/// <summary>Remote AgentOS agents, teams and workflows as Microsoft Agent Framework <see cref="AIAgent"/>s.</summary>
public static class AgentOSAIAgentExtensions
{
    /// <summary>
    /// Gets an <see cref="AIAgent"/> over a remote agent, team (the answer is the leader's) or workflow (the answer is
    /// its final content): a <see cref="RemoteAgent"/>, <see cref="RemoteTeam"/>, <see cref="RemoteWorkflow"/>, or the
    /// component of <see cref="AgentOSClient.GetRemoteComponent"/>. No call is made.
    /// </summary>
    /// <param name="component">The remote component.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The agent.</returns>
    /// <example>
    /// <code>
    /// AIAgent agent = client.GetRemoteAgent("assistant").AsAIAgent();
    /// var session = await agent.CreateSessionAsync();
    /// var response = await agent.RunAsync("My name is Ada.", session);
    /// </code>
    /// </example>
    public static AgentOSAIAgent AsAIAgent(this RemoteComponent component, AgentOSAIAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new AgentOSAIAgent(component, options);
    }
}
