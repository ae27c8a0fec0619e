using Agno.AgentOS;
using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.Agents;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Adds a server's agents, teams and workflows to a kernel builder as keyed singleton SK <see cref="Agent"/>s
/// (<see cref="AgentOSAgent"/>). Resolving one makes no call to the server.
/// </summary>
/// <example>
/// <code>
/// var builder = Kernel.CreateBuilder();
/// builder.AddAgentOSAgent(client, "research-agent", configure: o => o.Description = "Researches.");
/// var kernel = builder.Build();
/// var researcher = kernel.Services.GetRequiredKeyedService&lt;Agent&gt;("research-agent");
/// </code>
/// </example>
public static class AgentOSKernelBuilderAgentExtensions
{
    /// <summary>
    /// Adds a remote agent, team or workflow as a keyed singleton SK <see cref="Agent"/> (an <see cref="AgentOSAgent"/>,
    /// also registered under that type). Resolving it makes no call: its name and description are those of
    /// <paramref name="configure"/>, else made from the component id (see
    /// <see cref="AgentOSAgent(RemoteComponent, AgentOSAgentOptions?)"/>); a server that is down fails its first run, not
    /// the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="client">The AgentOS client.</param>
    /// <param name="componentId">The component id.</param>
    /// <param name="kind">The component kind.</param>
    /// <param name="serviceKey">The service key; default: <paramref name="componentId"/>.</param>
    /// <param name="configure">Configures the agent's options.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddAgentOSAgent(this IKernelBuilder builder, AgentOSClient client, string componentId, AgentOSComponentKind kind = AgentOSComponentKind.Agent, object? serviceKey = null, Action<AgentOSAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        AgentServiceFactories.Register(builder.Services, serviceKey ?? componentId, sp => AgentServiceFactories.CreateAgent(sp, client, componentId, kind, configure));
        return builder;
    }
}
