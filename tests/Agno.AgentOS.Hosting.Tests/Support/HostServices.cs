using Agno.AgentOS.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Agno.AgentOS.Hosting.Tests.Support;

internal static class HostServices
{
    /// <summary>The served agent with that id (to inspect its chat client).</summary>
    public static HostedAgent GetAgent(this IServiceProvider services, string id)
    {
        var runtime = services.GetRequiredService<AgentOSRuntime>();
        runtime.EnsureReadyAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return runtime.Registry.Find(ComponentKind.Agent, id)?.Agent ?? throw new InvalidOperationException($"No agent '{id}'.");
    }
}
