using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// How chat and workflow runs send their events: a stored event is also recorded in the run (when the run records
/// events), and a run's last events are recorded and persisted before they are sent, so a client that sees the
/// terminal event can read the stored run.
/// </summary>
internal static class RunEventLog
{
    public static ValueTask EmitAsync(IEventSink sink, bool record, List<JsonObject> log, HostEvent e)
    {
        if (record && e.IsStored)
        {
            log.Add(e.ToJsonObject());
        }

        return sink.EmitAsync(e);
    }

    public static async Task FinishAsync(IEventSink sink, bool record, List<JsonObject> log, Func<ValueTask>? persist, HostEvent?[] events)
    {
        foreach (var e in events)
        {
            if (e is not null && record && e.IsStored)
            {
                log.Add(e.ToJsonObject());
            }
        }

        if (persist is not null)
        {
            await persist().ConfigureAwait(false);
        }

        foreach (var e in events)
        {
            if (e is not null)
            {
                await sink.EmitAsync(e).ConfigureAwait(false);
            }
        }
    }
}
