using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

internal static partial class EventNames
{
    private static readonly FrozenSet<string> WorkflowNames = WorkflowEventNames.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> ResumeNames = new[] { "replay", "catch_up", "subscribed", "error" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Event name to the type that decodes it.</summary>
    public static readonly FrozenDictionary<string, JsonTypeInfo> Types = BuildTypes();

    public static EventScope ScopeOf(string name)
    {
        if (name.Length == 0)
        {
            return EventScope.Unknown;
        }

        if (name.StartsWith("Team", StringComparison.Ordinal))
        {
            return EventScope.Team;
        }

        if (WorkflowNames.Contains(name))
        {
            return EventScope.Workflow;
        }

        if (ResumeNames.Contains(name))
        {
            return EventScope.Resume;
        }

        return Types.ContainsKey(name) ? EventScope.Agent : EventScope.Unknown;
    }

    public static string ScopeName(EventScope scope) => scope switch
    {
        EventScope.Team => "team",
        EventScope.Workflow => "workflow",
        _ => "agent",
    };
}
