using Agno.AgentOS;

namespace Agno.Extensions.AI.Internal;

/// <summary>What the adapter says about a remote component beyond the <see cref="RemoteComponent"/> view.</summary>
internal static class ComponentKinds
{
    extension(RemoteComponent component)
    {
        /// <summary>The kind in words (<c>agent</c>, <c>team</c>, <c>workflow</c>), for descriptions and messages.</summary>
        public string KindName => component.Kind.Name();

        /// <summary>The model id from the cached configuration (agents and teams), without a call.</summary>
        public string? CachedModelId => (component.CachedDetails as AgentDetails)?.Model?.EffectiveId;
    }

    /// <summary>The kind in words (<c>agent</c>, <c>team</c>, <c>workflow</c>).</summary>
    public static string Name(this AgentOSComponentKind kind) => kind switch
    {
        AgentOSComponentKind.Agent => "agent",
        AgentOSComponentKind.Team => "team",
        _ => "workflow",
    };
}
