using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

internal static partial class EventNames
{
    private static readonly FrozenSet<string> WorkflowNames;

    private static readonly FrozenSet<string> ResumeNames;

    /// <summary>Event name to the type that decodes it.</summary>
    public static readonly FrozenDictionary<string, JsonTypeInfo> Types;

#pragma warning disable CA1810 // the fields depend on a field of the other part of this class: initialise them in order
    static EventNames()
    {
        WorkflowNames = WorkflowEventNames.ToFrozenSet(StringComparer.Ordinal);
        ResumeNames = new[] { "replay", "catch_up", "subscribed", "error", "stream_expired", "queued" }.ToFrozenSet(StringComparer.Ordinal);
        Types = BuildTypes();
    }
#pragma warning restore CA1810

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
