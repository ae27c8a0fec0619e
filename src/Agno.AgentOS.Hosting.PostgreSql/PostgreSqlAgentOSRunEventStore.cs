using System.Collections.Concurrent;
using Npgsql;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>
/// Keeps background runs' events in PostgreSQL, shared by every host instance on the database: a background run on
/// one instance is resumed from any other, which replays the stored events and follows the live ones, woken by
/// LISTEN/NOTIFY on <see cref="EventChannel"/> (one notification per appended event, sent with its commit). Tables
/// <see cref="StreamsTable"/> and <see cref="EventsTable"/>, created at first use (idempotent, safe when instances start at
/// once). At most <see cref="MaxEventsPerRun"/> events per run (the oldest dropped first).
/// </summary>
public sealed class PostgreSqlAgentOSRunEventStore : IAgentOSRunEventStore, IAsyncDisposable, IDisposable
{
    /// <summary>The table of run event streams (one row per run).</summary>
    public const string StreamsTable = "agentos_run_event_streams";

    /// <summary>The table of events.</summary>
    public const string EventsTable = "agentos_run_events";

    /// <summary>The LISTEN/NOTIFY channel of appended events (the payload is the run id).</summary>
    public const string EventChannel = "agentos_run_events";

    private const long SchemaLockKey = 0x6167_6e6f_7363_6802; // "agnosch" + 2: this store's migration lock
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listeningNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly SchemaGate _schema;
    private Task? _listener;
    private int _disposed;

    /// <summary>Creates a store on a connection string (a pooled data source is created and owned by the store).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="maxEventsPerRun">How many events are kept per run.</param>
    /// <param name="timeProvider">The clock of the streams' last change (the system clock by default).</param>
    public PostgreSqlAgentOSRunEventStore(string connectionString, int maxEventsPerRun = InMemoryAgentOSRunEventStore.DefaultMaxEventsPerRun, TimeProvider? timeProvider = null)
        : this(NpgsqlDataSource.Create(connectionString ?? throw new ArgumentNullException(nameof(connectionString))), maxEventsPerRun, timeProvider)
    {
        _ownsDataSource = true;
    }

    /// <summary>Creates a store on a data source the caller owns.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="maxEventsPerRun">How many events are kept per run.</param>
    /// <param name="timeProvider">The clock of the streams' last change (the system clock by default).</param>
    public PostgreSqlAgentOSRunEventStore(NpgsqlDataSource dataSource, int maxEventsPerRun = InMemoryAgentOSRunEventStore.DefaultMaxEventsPerRun, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventsPerRun, 1);
        _dataSource = dataSource;
        MaxEventsPerRun = maxEventsPerRun;
        _time = timeProvider ?? TimeProvider.System;
        _schema = new SchemaGate(MigrateAsync);
    }

    /// <summary>How many events are kept per run.</summary>
    public int MaxEventsPerRun { get; }

    /// <summary>Waits until this store receives the notifications of other instances (for tests and start-up checks).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the store listens.</returns>
    public Task WhenListeningAsync(CancellationToken cancellationToken = default)
    {
        EnsureListening();
        return _listeningNow.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask OpenAsync(AgentOSRunEventStream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            cancellationToken,
            Command($"DELETE FROM {EventsTable} WHERE run_id = $1", stream.RunId),
            Command(
            $"""
            INSERT INTO {StreamsTable} (run_id, session_id, user_id, component_kind, component_id, status, updated_at)
            VALUES ($1, $2, $3, $4, $5, NULL, $6)
            ON CONFLICT (run_id) DO UPDATE SET session_id = excluded.session_id, user_id = excluded.user_id,
              component_kind = excluded.component_kind, component_id = excluded.component_id, status = NULL, updated_at = excluded.updated_at
            """,
            stream.RunId, stream.SessionId, stream.UserId, stream.ComponentKind, stream.ComponentId, _time.GetUtcNow().UtcTicks),
            Command($"SELECT pg_notify('{EventChannel}', $1)", stream.RunId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(string runId, AgentOSRunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(runEvent);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var commands = new List<NpgsqlBatchCommand>(4);
        commands.Add(Command(
            $"INSERT INTO {EventsTable} (run_id, event_index, name, data) SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM {StreamsTable} WHERE run_id = $1) ON CONFLICT DO NOTHING",
            runId, runEvent.Index, runEvent.Name, runEvent.Data));
        commands.Add(Command($"UPDATE {StreamsTable} SET updated_at = $2 WHERE run_id = $1", runId, _time.GetUtcNow().UtcTicks));
        if (runEvent.Index >= MaxEventsPerRun)
        {
            commands.Add(Command($"DELETE FROM {EventsTable} WHERE run_id = $1 AND event_index <= $2", runId, runEvent.Index - MaxEventsPerRun));
        }

        commands.Add(Command($"SELECT pg_notify('{EventChannel}', $1)", runId));
        await ExecuteAsync(cancellationToken, [.. commands]).ConfigureAwait(false);
        Wake(runId); // this instance's readers need not wait for the round trip of the notification
    }

    /// <inheritdoc />
    public async ValueTask FinishAsync(string runId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(status);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            cancellationToken,
            Command($"UPDATE {StreamsTable} SET status = $2, updated_at = $3 WHERE run_id = $1", runId, status, _time.GetUtcNow().UtcTicks),
            Command($"SELECT pg_notify('{EventChannel}', $1)", runId)).ConfigureAwait(false);
        Wake(runId);
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSRunEventSlice?> ReadAsync(string runId, int afterIndex, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // one snapshot: the stream's status and its events agree
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                AgentOSRunEventStream stream;
                int total;
                int last;
                using (var head = new NpgsqlCommand(
                    $"""
                    SELECT s.session_id, s.user_id, s.component_kind, s.component_id, s.status, s.updated_at,
                      (SELECT COUNT(*) FROM {EventsTable} e WHERE e.run_id = s.run_id),
                      (SELECT COALESCE(MAX(event_index), -1) FROM {EventsTable} e WHERE e.run_id = s.run_id)
                    FROM {StreamsTable} s WHERE s.run_id = $1
                    """, connection, transaction))
                {
                    head.Parameters.Add(new NpgsqlParameter { Value = runId });
                    var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            return null;
                        }

                        stream = AgentOSRunEventColumns.ReadStream(reader, runId);
                        total = (int)reader.GetInt64(6);
                        last = reader.GetInt32(7);
                    }
                }

                List<AgentOSRunEvent> events;
                using (var select = new NpgsqlCommand($"SELECT event_index, name, data FROM {EventsTable} WHERE run_id = $1 AND event_index > $2 ORDER BY event_index", connection, transaction))
                {
                    select.Parameters.Add(new NpgsqlParameter { Value = runId });
                    select.Parameters.Add(new NpgsqlParameter { Value = afterIndex });
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
        EnsureListening();
        await _listeningNow.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // the waiter is registered before the check, so an append between the two wakes it
            var signal = _waiters.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            using (var check = _dataSource.CreateCommand(
                $"SELECT s.status, (SELECT COALESCE(MAX(event_index), -1) FROM {EventsTable} e WHERE e.run_id = s.run_id) FROM {StreamsTable} s WHERE s.run_id = $1"))
            {
                check.Parameters.Add(new NpgsqlParameter { Value = runId });
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
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"DELETE FROM {StreamsTable} WHERE updated_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = idleSince.UtcTicks });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false); // events go with their stream (ON DELETE CASCADE)
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? listener;
        lock (_gate)
        {
            listener = _listener;
        }

        if (listener is not null)
        {
            try
            {
                await listener.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }

        _stopping.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel(); // the listener ends on its own; its connection closes with the data source
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private void Wake(string runId)
    {
        if (_waiters.TryRemove(runId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private void WakeAll()
    {
        foreach (var runId in _waiters.Keys)
        {
            Wake(runId);
        }
    }

    private void EnsureListening()
    {
        lock (_gate)
        {
            if (_listener is null && _disposed == 0)
            {
                var token = _stopping.Token;
                _listener = Task.Run(() => ListenAsync(token));
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) => Wake(e.Payload);
                    using (var listen = new NpgsqlCommand($"LISTEN {EventChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    _listeningNow.TrySetResult();
                    WakeAll(); // notifications may have been lost while not listening: every reader checks again
                    delay = TimeSpan.FromMilliseconds(200);
                    while (true)
                    {
                        await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task ExecuteAsync(CancellationToken cancellationToken, params NpgsqlBatchCommand[] commands)
    {
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            foreach (var command in commands)
            {
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false); // one round trip, one transaction
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private Task EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    private async Task MigrateAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", connection, transaction))
                {
                    await lockCommand.ExecuteNonQueryAsync().ConfigureAwait(false); // two instances starting at once: one creates, the other waits
                }

                using (var create = new NpgsqlCommand($"""
                    CREATE TABLE IF NOT EXISTS {StreamsTable} (
                      run_id TEXT NOT NULL PRIMARY KEY,
                      session_id TEXT NOT NULL,
                      user_id TEXT NULL,
                      component_kind TEXT NOT NULL,
                      component_id TEXT NOT NULL,
                      status TEXT NULL,
                      updated_at BIGINT NOT NULL);
                    CREATE INDEX IF NOT EXISTS ix_{StreamsTable}_updated ON {StreamsTable} (updated_at);
                    CREATE TABLE IF NOT EXISTS {EventsTable} (
                      run_id TEXT NOT NULL REFERENCES {StreamsTable} (run_id) ON DELETE CASCADE,
                      event_index INTEGER NOT NULL,
                      name TEXT NOT NULL,
                      data TEXT NOT NULL,
                      PRIMARY KEY (run_id, event_index));
                    """, connection, transaction))
                {
                    await create.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
    }
}
