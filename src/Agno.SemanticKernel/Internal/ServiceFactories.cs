using Agno.AgentOS;
using Microsoft.SemanticKernel;

namespace Agno.SemanticKernel.Internal;

/// <summary>The factories behind the container registrations: synchronous, as container factories are, and making no call.</summary>
internal static class ServiceFactories
{
    public static AgentOSKernelPlugin CreatePlugin(AgentOSClient client, string pluginName, Action<AgentOSPluginOptions>? configure)
    {
        var options = new AgentOSPluginOptions();
        configure?.Invoke(options);
        return new AgentOSKernelPlugin(
            pluginName,
            AgentOSKernelExtensions.PluginDescription(client, options),
            cancellationToken => client.CreatePluginFromAgentOSAsync(pluginName, options, cancellationToken));
    }
}
