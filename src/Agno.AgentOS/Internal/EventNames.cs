using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

internal static partial class EventNames
{
    private static readonly FrozenSet<string> WorkflowNames;

    private static readonly FrozenSet<string> ResumeNames;

    /// <summary>
    /// Event name to the type that decodes it. A type's contract is created when an event of one of its names is first
    /// decoded, not for all 45 types at once: a process's first stream builds only the contracts it meets.
    /// </summary>
    public static readonly LazyTypeMap Types;

#pragma warning disable CA1810 // the fields depend on a field of the other part of this class: initialise them in order
    static EventNames()
    {
        WorkflowNames = WorkflowEventNames.ToFrozenSet(StringComparer.Ordinal);
        ResumeNames = new[] { "replay", "catch_up", "subscribed", "error", "stream_expired", "queued" }.ToFrozenSet(StringComparer.Ordinal);
        Types = new LazyTypeMap(BuildTypes());
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

/// <summary>Event names to their contracts, each contract created on first use (a benign race creates it twice at most).</summary>
internal sealed class LazyTypeMap(FrozenDictionary<string, Func<AgentOSJsonContext, JsonTypeInfo>> factories) : IReadOnlyDictionary<string, JsonTypeInfo>
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonTypeInfo> _created = new(StringComparer.Ordinal);

    public JsonTypeInfo this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No event type for '{key}'.");

    public IEnumerable<string> Keys => factories.Keys;

    public IEnumerable<JsonTypeInfo> Values => Keys.Select(k => this[k]);

    public int Count => factories.Count;

    public bool ContainsKey(string key) => factories.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out JsonTypeInfo value)
    {
        if (_created.TryGetValue(key, out value))
        {
            return true;
        }

        if (!factories.TryGetValue(key, out var factory))
        {
            value = null;
            return false;
        }

        value = _created.GetOrAdd(key, factory(AgentOSJsonContext.Default));
        return true;
    }

    public IEnumerator<KeyValuePair<string, JsonTypeInfo>> GetEnumerator() => Keys.Select(k => new KeyValuePair<string, JsonTypeInfo>(k, this[k])).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
