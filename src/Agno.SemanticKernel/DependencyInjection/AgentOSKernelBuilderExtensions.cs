using Agno.AgentOS;
using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Adds a server's kernel plugin to a kernel builder: an <see cref="AgentOSKernelPlugin"/>, whose functions are
/// discovered on first use, so building the kernel makes no call. (The SK agents of the server are added by
/// <c>AddAgentOSAgent</c> of <c>Agno.SemanticKernel.Agents</c>.)
/// </summary>
/// <example>
/// <code>
/// var builder = Kernel.CreateBuilder();
/// builder.Plugins.AddFromAgentOS(client);
/// var kernel = builder.Build();
/// </code>
/// </example>
public static class AgentOSKernelBuilderExtensions
{
    /// <summary>Adds the plugin of a server's teams and workflows (see <see cref="AgentOSPluginOptions"/>), discovered on first use.</summary>
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
        plugins.Services.AddSingleton<KernelPlugin>(_ => ServiceFactories.CreatePlugin(client, pluginName, configure));
        return plugins;
    }
}
