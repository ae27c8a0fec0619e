using System.Data.Common;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// The relational reads of a background run's event log, shared by the SQLite and PostgreSQL event stores and usable
/// by a store for another SQL database: a stream's header row and its event rows.
/// </summary>
public static class AgentOSRunEventColumns
{
    /// <summary>The columns of a stream's header, in the order <see cref="ReadStream"/> reads them.</summary>
    public const string StreamNames = "session_id, user_id, component_kind, component_id, status, updated_at";

    /// <summary>The columns of an event row, in the order <see cref="ReadEventsAsync"/> reads them.</summary>
    public const string EventNames = "event_index, name, data";

    /// <summary>Reads the stream header of the reader's current row (its first columns are <see cref="StreamNames"/>, <c>updated_at</c> in UTC ticks).</summary>
    /// <param name="reader">A reader positioned on a row.</param>
    /// <param name="runId">The run the stream is of.</param>
    /// <returns>The stream.</returns>
    public static AgentOSRunEventStream ReadStream(DbDataReader reader, string runId)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return new AgentOSRunEventStream
        {
            RunId = runId,
            SessionId = reader.GetString(0),
            UserId = reader.IsDBNull(1) ? null : reader.GetString(1),
            ComponentKind = reader.GetString(2),
            ComponentId = reader.GetString(3),
            Status = reader.IsDBNull(4) ? null : reader.GetString(4),
            UpdatedAt = new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
        };
    }

    /// <summary>Runs a query whose columns are <see cref="EventNames"/> and reads its rows in order.</summary>
    /// <param name="select">The query (its connection open, its transaction set where one is used).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events.</returns>
    public static async Task<List<AgentOSRunEvent>> ReadEventsAsync(DbCommand select, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(select);
        var events = new List<AgentOSRunEvent>();
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new AgentOSRunEvent(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        return events;
    }
}
