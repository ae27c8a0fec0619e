using System.Diagnostics.CodeAnalysis;
using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.Extensions.AI.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Agno.SemanticKernel.Internal;

/// <summary>The factories behind the container registrations (synchronous, as container factories are).</summary>
internal static class ServiceFactories
{
    public static AgentOSAgent CreateAgent(IServiceProvider services, AgentOSClient client, string componentId, AgnoComponentKind kind, Action<AgentOSAgentOptions>? configure)
    {
        var options = new AgentOSAgentOptions();
        configure?.Invoke(options);
        options.LoggerFactory ??= services.GetService<ILoggerFactory>();
        var target = ComponentRunner.For(client, kind, componentId);
        var details = options is { Name: not null, Description: not null }
            ? null
            : Blocking(() => target.GetDetailsAsync(CancellationToken.None).AsTask());
        return new AgentOSAgent(target, details, options);
    }

    public static KernelPlugin CreatePlugin(AgentOSClient client, string pluginName, Action<AgentOSPluginOptions>? configure)
    {
        var options = new AgentOSPluginOptions();
        configure?.Invoke(options);
        return Blocking(() => client.CreatePluginFromAgentOSAsync(pluginName, options));
    }

    [SuppressMessage("Usage", "VSTHRD002:Avoid problematic synchronous waits", Justification = "Container factories are synchronous; the call runs on the thread pool (no captured context), once per registration.")]
    private static T Blocking<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
}
