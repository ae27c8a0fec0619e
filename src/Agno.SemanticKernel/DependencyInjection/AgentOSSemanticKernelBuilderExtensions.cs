using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a server's kernel plugin (a <see cref="KernelPlugin"/> singleton, which every <see cref="Kernel"/> built from
/// the container picks up) on the AgentOS registration made by <c>services.AddAgnoAgentOS(...)</c>. (The SK agents of the
/// server are registered by <c>AddSemanticKernelAgent</c> of <c>Agno.SemanticKernel.Agents</c>.)
/// </summary>
/// <remarks>
/// Resolving the plugin (or a kernel) makes no call: it is an <see cref="AgentOSKernelPlugin"/>, whose functions are
/// discovered on first use (or by <see cref="AgentOSKernelPlugin.LoadAsync"/>). A server that is down fails that first
/// use, not the container.
/// </remarks>
/// <example>
/// <code>
/// services.AddAgnoAgentOS(o =&gt; o.BaseAddress = new Uri("http://localhost:7777"))
///     .AddKernelPlugin();
/// services.AddKernel();
/// </code>
/// </example>
public static class AgentOSSemanticKernelBuilderExtensions
{
    /// <summary>Registers the plugin of this server's teams and workflows (see <see cref="AgentOSPluginOptions"/>) as a <see cref="KernelPlugin"/> singleton, discovered on first use.</summary>
    /// <param name="builder">The AgentOS registration.</param>
    /// <param name="pluginName">The plugin name.</param>
    /// <param name="configure">Configures which components, and how they run.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddKernelPlugin(this AgentOSBuilder builder, string pluginName = AgentOSKernelExtensions.DefaultPluginName, Action<AgentOSPluginOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginName);
        builder.Services.AddSingleton<KernelPlugin>(sp => ServiceFactories.CreatePlugin(builder.GetClient(sp), pluginName, configure));
        return builder;
    }
}
