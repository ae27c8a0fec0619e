using Agno.Extensions.AI;
using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a server's agents, teams and workflows as SK <see cref="Agent"/>s (keyed singletons) and its kernel
/// plugin (a <see cref="KernelPlugin"/> singleton, which every <see cref="Kernel"/> built from the container
/// picks up), on the AgentOS registration made by <c>services.AddAgnoAgentOS(...)</c>.
/// </summary>
/// <remarks>
/// Container registrations are resolved synchronously, so resolving one fetches the server's configuration once
/// with a blocking call (for an agent, not when its options give both a name and a description). In async code,
/// prefer <see cref="AgentOSSemanticKernelExtensions"/> and <see cref="AgentOSKernelExtensions"/>.
/// </remarks>
/// <example>
/// <code>
/// services.AddAgnoAgentOS(o =&gt; o.BaseAddress = new Uri("http://localhost:7777"))
///     .AddSemanticKernelAgent("research-agent")
///     .AddKernelPlugin();
/// services.AddKernel();
/// var researcher = provider.GetRequiredKeyedService&lt;Agent&gt;("research-agent");
/// </code>
/// </example>
public static class AgentOSSemanticKernelBuilderExtensions
{
    /// <summary>Registers a remote agent, team or workflow of this server as a keyed singleton SK <see cref="Agent"/>.</summary>
    /// <param name="builder">The AgentOS registration.</param>
    /// <param name="componentId">The component id.</param>
    /// <param name="kind">The component kind.</param>
    /// <param name="serviceKey">The service key; default: <paramref name="componentId"/>.</param>
    /// <param name="configure">Configures the agent's options.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddSemanticKernelAgent(this AgentOSBuilder builder, string componentId, AgnoComponentKind kind = AgnoComponentKind.Agent, object? serviceKey = null, Action<AgentOSAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        builder.Services.AddKeyedSingleton<Agent>(serviceKey ?? componentId, (sp, _) => ServiceFactories.CreateAgent(sp, builder.GetClient(sp), componentId, kind, configure));
        return builder;
    }

    /// <summary>Registers the plugin of this server's teams and workflows (see <see cref="AgentOSPluginOptions"/>) as a <see cref="KernelPlugin"/> singleton.</summary>
    /// <param name="builder">The AgentOS registration.</param>
    /// <param name="pluginName">The plugin name.</param>
    /// <param name="configure">Configures which components, and how they run.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddKernelPlugin(this AgentOSBuilder builder, string pluginName = AgentOSKernelExtensions.DefaultPluginName, Action<AgentOSPluginOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginName);
        builder.Services.AddSingleton(sp => ServiceFactories.CreatePlugin(builder.GetClient(sp), pluginName, configure));
        return builder;
    }
}
