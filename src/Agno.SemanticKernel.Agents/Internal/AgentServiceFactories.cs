using Agno.AgentOS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Agents;

namespace Agno.SemanticKernel.Internal;

/// <summary>The factories behind the agent registrations: synchronous, as container factories are, and making no call.</summary>
internal static class AgentServiceFactories
{
    /// <summary>Registers one keyed <see cref="AgentOSAgent"/> singleton, resolvable as <see cref="Agent"/> too (the same instance).</summary>
    public static void Register(IServiceCollection services, object serviceKey, Func<IServiceProvider, AgentOSAgent> create)
    {
        services.AddKeyedSingleton(serviceKey, (sp, _) => create(sp));
        services.AddKeyedSingleton<Agent>(serviceKey, (sp, key) => sp.GetRequiredKeyedService<AgentOSAgent>(key));
    }

    public static AgentOSAgent CreateAgent(IServiceProvider services, AgentOSClient client, string componentId, AgentOSComponentKind kind, Action<AgentOSAgentOptions>? configure)
    {
        var options = new AgentOSAgentOptions();
        configure?.Invoke(options);
        options.LoggerFactory ??= services.GetService<ILoggerFactory>();
        return new AgentOSAgent(client.GetRemoteComponent(kind, componentId), options);
    }
}
