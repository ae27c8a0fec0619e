using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.Agents;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Adds a server's kernel plugin and its agents, teams and workflows (as keyed singleton SK <see cref="Agent"/>s)
/// to a kernel builder. Resolving them fetches the server's configuration once with a blocking call (see
/// <see cref="AgentOSSemanticKernelBuilderExtensions"/>).
/// </summary>
/// <example>
/// <code>
/// var builder = Kernel.CreateBuilder();
/// builder.Plugins.AddFromAgentOS(client);
/// builder.AddAgentOSAgent(client, "research-agent");
/// var kernel = builder.Build();
/// </code>
/// </example>
public static class AgentOSKernelBuilderExtensions
{
    /// <summary>Adds the plugin of a server's teams and workflows (see <see cref="AgentOSPluginOptions"/>).</summary>
    /// <param name="plugins">The kernel builder's plugins.</param>
    /// <param name="client">The AgentOS client.</param>
    /// <param name="pluginName">The plugin name.</param>
    /// <param name="configure">Configures which components, and how they run.</param>
    /// <returns>The plugins builder.</returns>
    public static IKernelBuilderPlugins AddFromAgentOS(this IKernelBuilderPlugins plugins, AgentOSClient client, string pluginName = AgentOSKernelExtensions.DefaultPluginName, Action<AgentOSPluginOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginName);
        plugins.Services.AddSingleton(_ => ServiceFactories.CreatePlugin(client, pluginName, configure));
        return plugins;
    }

    /// <summary>Adds a remote agent, team or workflow as a keyed singleton SK <see cref="Agent"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="client">The AgentOS client.</param>
    /// <param name="componentId">The component id.</param>
    /// <param name="kind">The component kind.</param>
    /// <param name="serviceKey">The service key; default: <paramref name="componentId"/>.</param>
    /// <param name="configure">Configures the agent's options.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddAgentOSAgent(this IKernelBuilder builder, AgentOSClient client, string componentId, AgnoComponentKind kind = AgnoComponentKind.Agent, object? serviceKey = null, Action<AgentOSAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        builder.Services.AddKeyedSingleton<Agent>(serviceKey ?? componentId, (sp, _) => ServiceFactories.CreateAgent(sp, client, componentId, kind, configure));
        return builder;
    }
}
