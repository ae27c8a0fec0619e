using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Keeps background runs' events in a SQLite database (tables <see cref="StreamsTable"/> and <see cref="EventsTable"/>,
/// WAL journal), so a background run's stream can be replayed after the host restarts. Live readers are woken by this
/// process's appends; a reader in another process sharing the file sees new events when it checks again (a resume stream
/// does at each heartbeat). At most <see cref="MaxEventsPerRun"/> events per run (the oldest dropped first).
/// </summary>
public sealed class SqliteAgentOSRunEventStore : IAgentOSRunEventStore
{
    /// <summary>The table of run event streams (one row per run).</summary>
    public const string StreamsTable = "agentos_run_event_streams";

    /// <summary>The table of events.</summary>
    public const string EventsTable = "agentos_run_events";

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>Creates a store.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c>.</param>
    /// <param name="maxEventsPerRun">How many events are kept per run.</param>
    /// <param name="timeProvider">The clock of the streams' last change (the system clock by default).</param>
    public SqliteAgentOSRunEventStore(string connectionString, int maxEventsPerRun = InMemoryAgentOSRunEventStore.DefaultMaxEventsPerRun, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventsPerRun, 1);
        _db = new SqliteDatabase(connectionString, InitializeAsync);
        MaxEventsPerRun = maxEventsPerRun;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many events are kept per run.</summary>
    public int MaxEventsPerRun { get; }

    /// <inheritdoc />
    public async ValueTask OpenAsync(AgentOSRunEventStream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await WriteAsync(
            $"""
            DELETE FROM {EventsTable} WHERE run_id = $run;
            INSERT INTO {StreamsTable} (run_id, session_id, user_id, component_kind, component_id, status, updated_at)
            VALUES ($run, $session, $user, $kind, $component, NULL, $now)
            ON CONFLICT (run_id) DO UPDATE SET session_id = excluded.session_id, user_id = excluded.user_id,
              component_kind = excluded.component_kind, component_id = excluded.component_id, status = NULL, updated_at = excluded.updated_at;
            """,
            c =>
            {
                c.Parameters.AddWithValue("$run", stream.RunId);
                c.Parameters.AddWithValue("$session", stream.SessionId);
                c.Parameters.AddWithValue("$user", (object?)stream.UserId ?? DBNull.Value);
                c.Parameters.AddWithValue("$kind", stream.ComponentKind);
                c.Parameters.AddWithValue("$component", stream.ComponentId);
            },
            cancellationToken).ConfigureAwait(false);
        Wake(stream.RunId);
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(string runId, AgentOSRunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(runEvent);
        await WriteAsync(
            $"""
            INSERT OR IGNORE INTO {EventsTable} (run_id, event_index, name, data)
              SELECT $run, $index, $name, $data WHERE EXISTS (SELECT 1 FROM {StreamsTable} WHERE run_id = $run);
            UPDATE {StreamsTable} SET updated_at = $now WHERE run_id = $run;
            DELETE FROM {EventsTable} WHERE run_id = $run AND event_index <= $index - $max;
            """,
            c =>
            {
                c.Parameters.AddWithValue("$run", runId);
                c.Parameters.AddWithValue("$index", runEvent.Index);
                c.Parameters.AddWithValue("$name", runEvent.Name);
                c.Parameters.AddWithValue("$data", runEvent.Data);
                c.Parameters.AddWithValue("$max", MaxEventsPerRun);
            },
            cancellationToken).ConfigureAwait(false);
        Wake(runId);
    }

    /// <inheritdoc />
    public async ValueTask FinishAsync(string runId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(status);
        await WriteAsync(
            $"UPDATE {StreamsTable} SET status = $status, updated_at = $now WHERE run_id = $run",
            c =>
            {
                c.Parameters.AddWithValue("$run", runId);
                c.Parameters.AddWithValue("$status", status);
            },
            cancellationToken).ConfigureAwait(false);
        Wake(runId);
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSRunEventSlice?> ReadAsync(string runId, int afterIndex, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // one read transaction: the stream's status and its events come from the same snapshot
#pragma warning disable VSTHRD103 // a deferred (read) transaction has no async overload; beginning it does no I/O
            var transaction = connection.BeginTransaction(deferred: true);
#pragma warning restore VSTHRD103
            await using (transaction.ConfigureAwait(false))
            {
                AgentOSRunEventStream stream;
                int total;
                int last;
                using (var head = connection.CreateCommand())
                {
                    head.Transaction = transaction;
                    head.CommandText = $"""
                        SELECT s.session_id, s.user_id, s.component_kind, s.component_id, s.status, s.updated_at,
                          (SELECT COUNT(*) FROM {EventsTable} e WHERE e.run_id = s.run_id),
                          (SELECT COALESCE(MAX(event_index), -1) FROM {EventsTable} e WHERE e.run_id = s.run_id)
                        FROM {StreamsTable} s WHERE s.run_id = $run
                        """;
                    head.Parameters.AddWithValue("$run", runId);
                    var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            return null;
                        }

                        stream = AgentOSRunEventColumns.ReadStream(reader, runId);
                        total = reader.GetInt32(6);
                        last = reader.GetInt32(7);
                    }
                }

                List<AgentOSRunEvent> events;
                using (var select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = $"SELECT event_index, name, data FROM {EventsTable} WHERE run_id = $run AND event_index > $after ORDER BY event_index";
                    select.Parameters.AddWithValue("$run", runId);
                    select.Parameters.AddWithValue("$after", afterIndex);
                    events = await AgentOSRunEventColumns.ReadEventsAsync(select, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new AgentOSRunEventSlice(stream, events, total, last);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask WaitForEventsAsync(string runId, int afterIndex, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        while (true)
        {
            // the waiter is registered before the check, so an append between the two wakes it
            var signal = _waiters.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var check = connection.CreateCommand();
                check.CommandText = $"SELECT s.status, (SELECT COALESCE(MAX(event_index), -1) FROM {EventsTable} e WHERE e.run_id = s.run_id) FROM {StreamsTable} s WHERE s.run_id = $run";
                check.Parameters.AddWithValue("$run", runId);
                var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || !await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false) || reader.GetInt32(1) > afterIndex)
                    {
                        return; // gone, finished, or news
                    }
                }
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeAsync(DateTimeOffset idleSince, CancellationToken cancellationToken = default)
    {
        int removed = 0;
        await WriteAsync(
            $"""
            DELETE FROM {EventsTable} WHERE run_id IN (SELECT run_id FROM {StreamsTable} WHERE updated_at < $cutoff);
            DELETE FROM {StreamsTable} WHERE updated_at < $cutoff;
            """,
            c => c.Parameters.AddWithValue("$cutoff", idleSince.UtcTicks),
            cancellationToken,
            count => removed = count).ConfigureAwait(false);
        return removed;
    }

    private void Wake(string runId)
    {
        if (_waiters.TryRemove(runId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private async Task WriteAsync(string sql, Action<SqliteCommand> parameters, CancellationToken cancellationToken, Action<int>? removedStreams = null)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("$now", _time.GetUtcNow().UtcTicks);
                    parameters(command);
                    int changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    if (removedStreams is not null)
                    {
                        using var count = connection.CreateCommand();
                        count.Transaction = transaction;
                        count.CommandText = "SELECT changes()"; // the rows of the last statement: the streams removed
                        removedStreams(Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture));
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        await _db.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        return await _db.ConnectAsync(synchronousNormal: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task InitializeAsync()
    {
        var connection = await _db.ConnectAsync(synchronousNormal: false, CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS {StreamsTable} (
                  run_id TEXT NOT NULL PRIMARY KEY,
                  session_id TEXT NOT NULL,
                  user_id TEXT NULL,
                  component_kind TEXT NOT NULL,
                  component_id TEXT NOT NULL,
                  status TEXT NULL,
                  updated_at INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_{StreamsTable}_updated ON {StreamsTable} (updated_at);
                CREATE TABLE IF NOT EXISTS {EventsTable} (
                  run_id TEXT NOT NULL,
                  event_index INTEGER NOT NULL,
                  name TEXT NOT NULL,
                  data TEXT NOT NULL,
                  PRIMARY KEY (run_id, event_index)) WITHOUT ROWID;
                """;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
