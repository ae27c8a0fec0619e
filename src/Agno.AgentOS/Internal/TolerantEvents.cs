using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

/// <summary>
/// Events, like answers (<see cref="TolerantJson"/>): a typed event whose data has a field of an unexpected shape
/// arrives typed without that field, unless the field is one the library relies on (then it stays a
/// <see cref="MalformedEvent"/>). A completed event with, say, changed metrics still completes the stream.
/// </summary>
internal static class TolerantEvents
{
    /// <summary>The event decoded without the fields that failed, or null (not a typed event, or a relied-on field failed).</summary>
    public static AgentOSEvent? TryRecover(string name, ReadOnlySpan<byte> data, EventDecoderState? state, JsonException failure)
    {
        JsonTypeInfo? typeInfo = EventNames.Types.GetValueOrDefault(name)
            ?? (name == "CustomEvent" ? AgentOSJsonContext.Default.CustomEvent : null);
        if (typeInfo is null)
        {
            return null;
        }

        try
        {
            if (TolerantJson.Recover(data, typeInfo, failure, null) is not AgentOSEvent ev)
            {
                return null;
            }

            if (ev.Event.Length == 0)
            {
                ev.Event = name;
            }

            ev.CacheScope(state);
            return ev;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
