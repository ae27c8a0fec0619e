using Agno.AgentOS;

namespace Agno.Agents.AI.Internal;

/// <summary>Names of <see cref="AgentOSComponentKind"/> in messages and serialized state.</summary>
internal static class ComponentKinds
{
    public static string Name(AgentOSComponentKind kind) => kind switch
    {
        AgentOSComponentKind.Agent => "agent",
        AgentOSComponentKind.Team => "team",
        _ => "workflow",
    };

    public static AgentOSComponentKind? Parse(string? name) => name switch
    {
        "agent" => AgentOSComponentKind.Agent,
        "team" => AgentOSComponentKind.Team,
        "workflow" => AgentOSComponentKind.Workflow,
        _ => null,
    };
}
