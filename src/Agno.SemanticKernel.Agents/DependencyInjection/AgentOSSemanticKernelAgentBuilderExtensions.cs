using Agno.AgentOS;
using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.SemanticKernel.Agents;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a server's agents, teams and workflows as keyed singleton SK <see cref="Agent"/>s
/// (<see cref="AgentOSAgent"/>) on the AgentOS registration made by <c>services.AddAgnoAgentOS(...)</c>. Resolving one
/// makes no call to the server.
/// </summary>
/// <example>
/// <code>
/// services.AddAgnoAgentOS(o =&gt; o.BaseAddress = new Uri("http://localhost:7777"))
///     .AddSemanticKernelAgent("research-agent", configure: o => (o.Name, o.Description) = ("Researcher", "Researches."));
/// var researcher = provider.GetRequiredKeyedService&lt;Agent&gt;("research-agent");
/// </code>
/// </example>
public static class AgentOSSemanticKernelAgentBuilderExtensions
{
    /// <summary>
    /// Registers a remote agent, team or workflow of this server as a keyed singleton SK <see cref="Agent"/> (an
    /// <see cref="AgentOSAgent"/>, also registered under that type). Resolving it makes no call: its name and
    /// description are those of <paramref name="configure"/>, else made from the component id; a server that is down
    /// fails its first run, not the container.
    /// </summary>
    /// <param name="builder">The AgentOS registration.</param>
    /// <param name="componentId">The component id.</param>
    /// <param name="kind">The component kind.</param>
    /// <param name="serviceKey">The service key; default: <paramref name="componentId"/>.</param>
    /// <param name="configure">Configures the agent's options.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddSemanticKernelAgent(this AgentOSBuilder builder, string componentId, AgentOSComponentKind kind = AgentOSComponentKind.Agent, object? serviceKey = null, Action<AgentOSAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        AgentServiceFactories.Register(builder.Services, serviceKey ?? componentId, sp => AgentServiceFactories.CreateAgent(sp, builder.GetClient(sp), componentId, kind, configure));
        return builder;
    }
}
