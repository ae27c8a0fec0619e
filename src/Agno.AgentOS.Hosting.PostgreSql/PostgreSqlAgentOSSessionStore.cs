using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>
/// A session store in PostgreSQL (Npgsql) for one or several host instances on one database: sessions' own fields in
/// <see cref="TableName"/>, every run (and paused run) its own row of <see cref="RunsTableName"/>, written on its own
/// (a save never rewrites the session; runs saved at once by several instances all land; lists read the runs'
/// small summaries only); the hosts' read-modify-write cycles on a session serialized across processes with advisory locks
/// (<see cref="IAgentOSSessionLocks"/>), so concurrent runs on one session through different instances all land; and
/// cancels carried between instances with LISTEN/NOTIFY (<see cref="IAgentOSRunSignals"/>).
/// </summary>
/// <remarks>
/// The schema is created and migrated on first use, idempotently, under a transaction-scoped advisory lock, so two
/// instances that start at once do not race. Connections come from one pooled <see cref="NpgsqlDataSource"/>; a session
/// lock holds one pooled connection while the host writes the session, the cancel listener one more per store.
/// </remarks>
public sealed class PostgreSqlAgentOSSessionStore : IAgentOSSessionStore, IAgentOSSessionLocks, IAgentOSAtomicRunSaves, IAgentOSRunSignals, IAsyncDisposable, IDisposable
{
    /// <summary>The sessions table's name (one row per session: its own fields).</summary>
    public const string TableName = "agentos_sessions";

    /// <summary>The runs table's name (one row per run; deleted with their session).</summary>
    public const string RunsTableName = "agentos_runs";

    /// <summary>The LISTEN/NOTIFY channel of cancel signals.</summary>
    public const string CancelChannel = "agentos_cancel";

    /// <summary>
    /// The schema version this store migrates to: 3 keeps a run's output as UTF-8 JSON in a <c>bytea</c> column (version
    /// 2 had a <c>json</c> column, which the server validates on every write).
    /// </summary>
    public const int SchemaVersion = 3;

    private const long SchemaLockKey = 0x6167_6e6f_7363_6801; // "agnosch" + 1: the migration's advisory lock
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly object _listenerGate = new();
    private readonly List<Action<string>> _subscribers = [];
    private readonly SchemaGate _schema;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunQueue> _newRuns = new(StringComparer.Ordinal);
    private CancellationTokenSource? _listening;
    private Task? _listener;

    /// <summary>Creates a store on a connection string (a pooled data source is created and owned by the store).</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Username=agentos;Password=...;Database=agentos</c>.</param>
    public PostgreSqlAgentOSSessionStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _ownsDataSource = true;
        _schema = new SchemaGate(MigrateAsync);
    }

    /// <summary>Creates a store on a data source the caller owns (e.g. one registered with <c>AddNpgsqlDataSource</c>).</summary>
    /// <param name="dataSource">The data source.</param>
    public PostgreSqlAgentOSSessionStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _schema = new SchemaGate(MigrateAsync);
    }

    /// <summary>Creates or migrates the schema now (otherwise it happens on first use).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => EnsureSchemaAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, bool includeRuns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var batch = _dataSource.CreateBatch(); // one round trip for the session and its runs
        batch.BatchCommands.Add(Command($"SELECT {HeaderColumns} FROM {TableName} WHERE session_id = $1", sessionId));
        if (includeRuns)
        {
            batch.BatchCommands.Add(Command($"SELECT run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $1 ORDER BY seq", sessionId));
        }

        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var session = ReadHeader(reader);
            if (includeRuns && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    session.Runs.Add(ReadRun(reader));
                }
            }

            return session;
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSStoredRun?> GetRunAsync(string sessionId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"SELECT run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $1 AND run_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRun(reader) : null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AgentOSStoredRun>> GetRunsAsync(string sessionId, AgentOSRunQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new List<NpgsqlParameter> { new() { Value = sessionId } };
        string filter = string.Empty;
        if (query?.ComponentId is { } component)
        {
            parameters.Add(new NpgsqlParameter { Value = component });
            filter += $" AND component_id = ${parameters.Count}";
        }

        if (query?.Status is { } status)
        {
            // upper-cased when written; upper() also matches a status an earlier version stored in another case
            parameters.Add(new NpgsqlParameter { Value = StatusColumn(status) });
            filter += $" AND upper(status) = ${parameters.Count}";
        }

        string sql;
        if (query?.Last is { } last)
        {
            parameters.Add(new NpgsqlParameter { Value = Math.Max(0, last) });
            sql = $"SELECT run_id, output, resume_state FROM (SELECT seq, run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $1{filter} ORDER BY seq DESC LIMIT ${parameters.Count}) newest ORDER BY seq";
        }
        else
        {
            sql = $"SELECT run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $1{filter} ORDER BY seq";
        }

        using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        var runs = new List<AgentOSStoredRun>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(ReadRun(reader));
            }
        }

        return runs;
    }

    /// <inheritdoc />
    public async ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand();
        command.CommandText = UpsertHeaderSql;
        command.Parameters.AddRange(HeaderParameters(session));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SaveRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(run);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var batch = _dataSource.CreateBatch(); // one round trip, one implicit transaction
        batch.BatchCommands.Add(new NpgsqlBatchCommand(GenericPlanSql));
        batch.BatchCommands.Add(HeaderCommand(session));
        batch.BatchCommands.Add(RunCommand(session.SessionId, run));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction per round trip: the session's advisory lock for the transaction (so the step never interleaves
    /// with another instance's cycle under <see cref="LockSessionAsync"/>), then one statement per run that upserts the
    /// session (filling, never overwriting, its component, user and name) and, when the session is not another user's,
    /// the run. Saves of one session that arrive while one is on its way are sent together in the next round trip
    /// (group commit), so a busy session costs one round trip per batch, not per run. The call is not cancelled once
    /// queued (the host does not cancel it).
    /// </remarks>
    public async ValueTask<bool> SaveNewRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(run);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingRun(session, run);
        while (true)
        {
            var queue = _newRuns.GetOrAdd(session.SessionId, _ => new RunQueue());
            bool leader;
            lock (queue)
            {
                if (queue.Retired)
                {
                    continue; // emptied and removed meanwhile: take the session's new queue
                }

                queue.Waiting.Add(pending);
                leader = !queue.Flushing;
                queue.Flushing = true;
            }

            if (leader)
            {
                await FlushAsync(session.SessionId, queue).ConfigureAwait(false);
            }

            return await pending.Done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Sends the runs waiting in a session's queue in one transaction, then hands on to the next batch.</summary>
    private async Task FlushAsync(string sessionId, RunQueue queue)
    {
        List<PendingRun> batchRuns;
        lock (queue)
        {
            if (queue.Waiting.Count == 0)
            {
                queue.Flushing = false;
                queue.Retired = true;
                _newRuns.TryRemove(new KeyValuePair<string, RunQueue>(sessionId, queue));
                return;
            }

            batchRuns = queue.Waiting;
            queue.Waiting = [];
        }

        try
        {
            var stored = await SaveNewRunsAsync(sessionId, batchRuns).ConfigureAwait(false);
            for (int i = 0; i < batchRuns.Count; i++)
            {
                batchRuns[i].Done.TrySetResult(stored[i]);
            }
        }
        catch (Exception) when (batchRuns.Count > 1)
        {
            // one run the database refuses must not fail the others: each on its own
            foreach (var one in batchRuns)
            {
                try
                {
                    one.Done.TrySetResult((await SaveNewRunsAsync(sessionId, [one]).ConfigureAwait(false))[0]);
                }
                catch (Exception ex)
                {
                    one.Done.TrySetException(ex);
                }
            }
        }
        catch (Exception ex)
        {
            batchRuns[0].Done.TrySetException(ex);
        }

        _ = Task.Run(() => FlushAsync(sessionId, queue)); // the next batch, or the queue's end; this caller returns
    }

    private async Task<bool[]> SaveNewRunsAsync(string sessionId, List<PendingRun> runs)
    {
        using var batch = _dataSource.CreateBatch(); // one round trip, one implicit transaction
        batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", sessionId));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(GenericPlanSql));
        foreach (var (session, run) in runs.Select(p => (p.Session, p.Run)))
        {
            var save = new NpgsqlBatchCommand(SaveNewRunSql);
            save.Parameters.Add(new NpgsqlParameter { Value = session.SessionId });
            save.Parameters.Add(new NpgsqlParameter { Value = session.SessionType });
            save.Parameters.Add(Text(session.ComponentId));
            save.Parameters.Add(Text(session.UserId));
            save.Parameters.Add(Text(session.SessionName));
            save.Parameters.Add(new NpgsqlParameter { Value = session.CreatedAt.ToUnixTimeMilliseconds() });
            save.Parameters.Add(new NpgsqlParameter { Value = session.UpdatedAt.ToUnixTimeMilliseconds() });
            save.Parameters.Add(Json(session.SessionState?.ToJsonString()));
            AddRunParameters(save, run);
            batch.BatchCommands.Add(save);
        }

        await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        var stored = new bool[runs.Count];
        for (int i = 0; i < stored.Length; i++)
        {
            stored[i] = batch.BatchCommands[i + 2].RecordsAffected > 0;
        }

        return stored;
    }

    /// <summary>A session's new runs waiting for the next round trip.</summary>
    private sealed class RunQueue
    {
        public List<PendingRun> Waiting { get; set; } = [];

        public bool Flushing { get; set; }

        public bool Retired { get; set; }
    }

    private sealed record PendingRun(AgentOSSession Session, AgentOSStoredRun Run)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"DELETE FROM {TableName} WHERE session_id = $1"); // its runs go with it (ON DELETE CASCADE)
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var where = new List<string>(4);
        var parameters = new List<NpgsqlParameter>(6);
        void Filter(string column, string? value, bool contains = false)
        {
            if (value is null)
            {
                return;
            }

            parameters.Add(new NpgsqlParameter { Value = value });
            where.Add(contains ? $"strpos(lower({column}), lower(${parameters.Count})) > 0" : $"{column} = ${parameters.Count}");
        }

        Filter("session_type", query.SessionType);
        Filter("component_id", query.ComponentId);
        Filter("user_id", query.UserId);
        Filter("session_name", query.SessionName, contains: true);
        string whereSql = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
        // whole seconds (as AgentOS stores times); ties keep the order the sessions were created in
        string column = query.SortBy switch
        {
            "session_name" => "COALESCE(session_name, '')",
            "updated_at" => "(updated_at / 1000)",
            _ => "(created_at / 1000)",
        };
        string direction = query.SortDescending ? "DESC" : "ASC";
        int limit = Math.Max(1, query.Limit);
        long offset = (long)(Math.Max(1, query.Page) - 1) * limit;
        parameters.Add(new NpgsqlParameter { Value = limit });
        parameters.Add(new NpgsqlParameter { Value = offset });
        // the page's sessions with their runs' summaries (never the runs), and the count, in one query
        using var command = _dataSource.CreateCommand($"""
            SELECT {HeaderColumns}, COUNT(*) OVER (),
              (SELECT json_agg(r.summary ORDER BY r.seq) FROM {RunsTableName} r WHERE r.session_id = s.session_id)
            FROM {TableName} s{whereSql} ORDER BY {column} {direction}, seq ASC LIMIT ${parameters.Count - 1} OFFSET ${parameters.Count}
            """);
        command.Parameters.AddRange(parameters.ToArray());
        var sessions = new List<AgentOSSessionSummary>();
        long total = -1;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var runs = reader[HeaderColumnCount + 1] is string text ? JsonSerializer.Deserialize(text, PostgreSqlJsonContext.Default.ListAgentOSRunSummary) : null; // null: no runs
                sessions.Add(new AgentOSSessionSummary { Session = ReadHeader(reader), Runs = runs ?? [] });
                total = reader.GetInt64(HeaderColumnCount);
            }
        }

        if (total < 0)
        {
            // a page past the end: count on its own
            parameters.RemoveRange(parameters.Count - 2, 2);
            using var count = _dataSource.CreateCommand($"SELECT COUNT(*) FROM {TableName}{whereSql}");
            count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
        }

        return new AgentOSSessionPage(sessions, checked((int)total));
    }

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable> LockSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new SessionLock(connection, sessionId);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask PublishCancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        using var command = _dataSource.CreateCommand($"SELECT pg_notify('{CancelChannel}', $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IDisposable SubscribeCancellations(Action<string> onCancel)
    {
        ArgumentNullException.ThrowIfNull(onCancel);
        lock (_listenerGate)
        {
            _subscribers.Add(onCancel);
            if (_listener is null)
            {
                _listening = new CancellationTokenSource();
                var token = _listening.Token;
                _listener = Task.Run(() => ListenAsync(token));
            }
        }

        return new Subscription(this, onCancel);
    }

    /// <summary>Waits until the cancel listener listens (for tests and start-up checks).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when cancel signals are received.</returns>
    public Task WhenListeningAsync(CancellationToken cancellationToken = default) => _listeningNow.Task.WaitAsync(cancellationToken);

    private readonly TaskCompletionSource _listeningNow = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task? listener;
        lock (_listenerGate)
        {
            listener = _listener;
            _listening?.Cancel();
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

        _listening?.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_listenerGate)
        {
            _listening?.Cancel(); // the listener ends on its own; its connection closes with the data source
        }

        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) =>
                    {
                        Action<string>[] targets;
                        lock (_listenerGate)
                        {
                            targets = [.. _subscribers];
                        }

                        foreach (var target in targets)
                        {
                            target(e.Payload);
                        }
                    };
                    using (var listen = new NpgsqlCommand($"LISTEN {CancelChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    _listeningNow.TrySetResult();
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
                // the database went away: listen again (signals sent meanwhile are lost; a cancel is retried by its caller)
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private Task EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    /// <summary>
    /// Creates the schema, or migrates it from version 1 (each session one JSON document in a <c>data</c> column) to one
    /// row per run, and from version 2 (a run's output in a <c>json</c> column) to <c>bytea</c> holding the same UTF-8
    /// text, in one transaction under a transaction-scoped advisory lock: idempotent, and two instances that start at
    /// once migrate once (the second waits, then finds nothing to do).
    /// </summary>
    private async Task MigrateAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})").ConfigureAwait(false); // one migrates, the other waits
                await ExecuteAsync(connection, transaction, $"""
                    CREATE TABLE IF NOT EXISTS agentos_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS {TableName} (
                      session_id TEXT NOT NULL PRIMARY KEY,
                      seq BIGSERIAL NOT NULL,
                      session_type TEXT NOT NULL,
                      component_id TEXT NULL,
                      user_id TEXT NULL,
                      session_name TEXT NULL,
                      created_at BIGINT NOT NULL,
                      updated_at BIGINT NOT NULL,
                      revision BIGINT NOT NULL DEFAULT 1,
                      session_state JSON NULL,
                      metadata JSON NULL,
                      summary JSON NULL);
                    ALTER TABLE {TableName} ADD COLUMN IF NOT EXISTS session_state JSON NULL,
                      ADD COLUMN IF NOT EXISTS metadata JSON NULL, ADD COLUMN IF NOT EXISTS summary JSON NULL;
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_type_created ON {TableName} (session_type, created_at);
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_user ON {TableName} (user_id);
                    CREATE TABLE IF NOT EXISTS {RunsTableName} (
                      seq BIGSERIAL PRIMARY KEY,
                      session_id TEXT NOT NULL REFERENCES {TableName} (session_id) ON DELETE CASCADE,
                      run_id TEXT NOT NULL,
                      component_id TEXT NULL,
                      status TEXT NULL,
                      output BYTEA NOT NULL, -- UTF-8 JSON: not validated by the server on every write
                      resume_state JSON NULL,
                      summary JSON NOT NULL,
                      UNIQUE (session_id, run_id));
                    CREATE INDEX IF NOT EXISTS ix_{RunsTableName}_session ON {RunsTableName} (session_id, seq);
                    CREATE INDEX IF NOT EXISTS ix_{RunsTableName}_history ON {RunsTableName} (session_id, component_id, status, seq);
                    """).ConfigureAwait(false);

                // version 2 kept a run's output in a json column: its rows become their UTF-8 text, in this transaction
                await ExecuteAsync(connection, transaction, $"""
                    DO $$ BEGIN
                      IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '{RunsTableName}'::regclass AND attname = 'output' AND atttypid = 'json'::regtype) THEN
                        ALTER TABLE {RunsTableName} ALTER COLUMN output TYPE BYTEA USING convert_to(output::text, 'UTF8');
                      END IF;
                    END $$;
                    -- a run's output is stored out of line uncompressed: pglz spends seconds on an output of tens of
                    -- megabytes (and gives up on text that does not compress); a change of the column's metadata only
                    DO $$ BEGIN
                      IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '{RunsTableName}'::regclass AND attname = 'output' AND attstorage <> 'e') THEN
                        ALTER TABLE {RunsTableName} ALTER COLUMN output SET STORAGE EXTERNAL;
                      END IF;
                    END $$;
                    -- likewise a session's name, which is its first message until renamed (as in AgentOS): the same
                    -- metadata-only change, readable by every version of this store
                    DO $$ BEGIN
                      IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '{TableName}'::regclass AND attname = 'session_name' AND attstorage <> 'e') THEN
                        ALTER TABLE {TableName} ALTER COLUMN session_name SET STORAGE EXTERNAL;
                      END IF;
                    END $$;
                    """).ConfigureAwait(false);

                bool version1;
                using (var probe = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{TableName}' AND column_name = 'data')", connection, transaction))
                {
                    version1 = (bool)(await probe.ExecuteScalarAsync().ConfigureAwait(false))!;
                }

                if (version1)
                {
                    await MigrateVersion1Async(connection, transaction).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, $"""
                    INSERT INTO agentos_schema (component, version) VALUES ('sessions', {SchemaVersion})
                      ON CONFLICT (component) DO UPDATE SET version = GREATEST(agentos_schema.version, excluded.version);
                    """).ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Splits every version-1 session document into the session's columns and one row per run (in their order), then drops the document column.</summary>
    private static async Task MigrateVersion1Async(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var sessions = new List<(AgentOSSession Session, List<AgentOSStoredRun> Runs)>();
        using (var read = new NpgsqlCommand($"SELECT data::text FROM {TableName} ORDER BY seq", connection, transaction))
        {
            var reader = await read.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    sessions.Add(Version1Session(reader.GetString(0)));
                }
            }
        }

        await ExecuteAsync(connection, transaction, $"ALTER TABLE {TableName} ALTER COLUMN data DROP NOT NULL").ConfigureAwait(false); // the upserts leave it out
        foreach (var (session, runs) in sessions)
        {
            using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(HeaderCommand(session));
            foreach (var run in runs)
            {
                batch.BatchCommands.Add(RunCommand(session.SessionId, run));
            }

            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"ALTER TABLE {TableName} DROP COLUMN data").ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private const string HeaderColumns = "session_id, session_type, component_id, user_id, session_name, created_at, updated_at, session_state, metadata, summary";

    private const int HeaderColumnCount = 10;

    private static readonly string UpsertHeaderSql = $"""
        INSERT INTO {TableName} ({HeaderColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (session_id) DO UPDATE SET session_type = excluded.session_type, component_id = excluded.component_id,
          user_id = excluded.user_id, session_name = excluded.session_name, created_at = excluded.created_at,
          updated_at = excluded.updated_at, session_state = excluded.session_state, metadata = excluded.metadata,
          summary = excluded.summary, revision = {TableName}.revision + 1
        """;

    private static readonly string UpsertRunSql = $"""
        INSERT INTO {RunsTableName} (session_id, run_id, component_id, status, output, resume_state, summary)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (session_id, run_id) DO UPDATE SET component_id = excluded.component_id, status = excluded.status,
          output = excluded.output, resume_state = excluded.resume_state, summary = excluded.summary
        """;

    /// <summary>
    /// A new run with its session, in one statement: the session upserted (an existing one keeps its type, creation
    /// time, metadata and summary and the component, user and name it has; its state replaced by $8 when given), the
    /// run written only when the session is not another user's ($4 and the owner both set and different).
    /// </summary>
    private static readonly string SaveNewRunSql = $"""
        WITH header AS (
          INSERT INTO {TableName} AS s (session_id, session_type, component_id, user_id, session_name, created_at, updated_at, session_state)
          VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, json_build_object()))
          ON CONFLICT (session_id) DO UPDATE SET component_id = COALESCE(s.component_id, excluded.component_id),
            user_id = COALESCE(s.user_id, excluded.user_id), session_name = COALESCE(s.session_name, excluded.session_name),
            updated_at = excluded.updated_at, session_state = COALESCE($8, s.session_state, json_build_object()), revision = s.revision + 1
          WHERE s.user_id IS NULL OR excluded.user_id IS NULL OR s.user_id = excluded.user_id
          RETURNING 1)
        INSERT INTO {RunsTableName} (session_id, run_id, component_id, status, output, resume_state, summary)
        SELECT $1, $9, $10, $11, $12, $13, $14 FROM header
        ON CONFLICT (session_id, run_id) DO UPDATE SET component_id = excluded.component_id, status = excluded.status,
          output = excluded.output, resume_state = excluded.resume_state, summary = excluded.summary
        """;

    /// <summary>
    /// Plans this transaction's statements without their parameters' values: an unnamed statement is otherwise planned
    /// anew with its values at bind, which for a run of tens of megabytes costs the server hundreds of milliseconds
    /// (the plan is the same whatever the values).
    /// </summary>
    private const string GenericPlanSql = "SET LOCAL plan_cache_mode = force_generic_plan";

    private static NpgsqlBatchCommand Command(string sql, string sessionId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return command;
    }

    private static NpgsqlBatchCommand HeaderCommand(AgentOSSession session)
    {
        var command = new NpgsqlBatchCommand(UpsertHeaderSql);
        command.Parameters.AddRange(HeaderParameters(session));
        return command;
    }

    private static NpgsqlParameter[] HeaderParameters(AgentOSSession session) =>
    [
        new() { Value = session.SessionId },
        new() { Value = session.SessionType },
        Text(session.ComponentId),
        Text(session.UserId),
        Text(session.SessionName),
        new() { Value = session.CreatedAt.ToUnixTimeMilliseconds() },
        new() { Value = session.UpdatedAt.ToUnixTimeMilliseconds() },
        Json(session.SessionState?.ToJsonString()),
        Json(session.Metadata?.ToJsonString()),
        Json(session.Summary?.ToJsonString()),
    ];

    private static NpgsqlBatchCommand RunCommand(string sessionId, AgentOSStoredRun run)
    {
        var command = new NpgsqlBatchCommand(UpsertRunSql);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        AddRunParameters(command, run);
        return command;
    }

    /// <summary>The run's id, component, status, output, resume state and summary, in that order.</summary>
    private static void AddRunParameters(NpgsqlBatchCommand command, AgentOSStoredRun run)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = run.RunId });
        command.Parameters.Add(Text(run.ComponentId));
        command.Parameters.Add(Text(StatusColumn(run.Status)));
        command.Parameters.Add(Bytes(run.OutputUtf8)); // the run's bytes as they are
        command.Parameters.Add(Json(run.ResumeStateUtf8.IsEmpty ? null : Array(run.ResumeStateUtf8)));
        command.Parameters.Add(Json(JsonSerializer.SerializeToUtf8Bytes(run.ToSummary(), PostgreSqlJsonContext.Default.AgentOSRunSummary)));
    }

    /// <summary>
    /// A <c>bytea</c> parameter: the array itself when the bytes are a whole array (a stored run's output is), which
    /// Npgsql writes as it is; other memory as <see cref="ReadOnlyMemory{T}"/>.
    /// </summary>
    private static NpgsqlParameter Bytes(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? new NpgsqlParameter<byte[]> { TypedValue = segment.Array, NpgsqlDbType = NpgsqlDbType.Bytea }
            : new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = bytes, NpgsqlDbType = NpgsqlDbType.Bytea };

    /// <summary>A JSON value of a version-1 session document as UTF-8 (the migration).</summary>
    private static byte[] RunJson(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, PostgreSqlJsonContext.Default.JsonNode);

    /// <summary>The array behind bytes the host handed over (arrays of their exact size), a copy only for a slice.</summary>
    private static byte[] Array(ReadOnlyMemory<byte> utf8)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(utf8, out var segment) && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : utf8.ToArray();

    /// <summary>A session of the version-1 table (<see cref="Stores.Version1Sessions.Read"/>) with this store's contracts.</summary>
    private static (AgentOSSession Session, List<AgentOSStoredRun> Runs) Version1Session(string data)
        => Stores.Version1Sessions.Read(data, PostgreSqlJsonContext.Default.AgentOSSession, PostgreSqlJsonContext.Default.JsonNode);

    /// <summary>A run's status as its column keeps it: upper-cased, as AgentOS writes it (queries compare with <c>upper(status)</c>).</summary>
    private static string? StatusColumn(RunStatus? status) => status?.Value.ToUpperInvariant();

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Json(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json };

    private static NpgsqlParameter Json(byte[]? utf8) => new() { Value = (object?)utf8 ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json };

    private static AgentOSStoredRun ReadRun(NpgsqlDataReader reader) => new()
    {
        RunId = reader.GetString(0),
        OutputUtf8 = reader.GetFieldValue<byte[]>(1),
        ResumeStateUtf8 = reader.IsDBNull(2) ? default : System.Text.Encoding.UTF8.GetBytes(reader.GetString(2)),
    };

    private static AgentOSSession ReadHeader(NpgsqlDataReader reader) => new()
    {
        SessionId = reader.GetString(0),
        SessionType = reader.GetString(1),
        ComponentId = reader.IsDBNull(2) ? null : reader.GetString(2),
        UserId = reader.IsDBNull(3) ? null : reader.GetString(3),
        SessionName = reader.IsDBNull(4) ? null : reader.GetString(4),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        SessionState = reader.IsDBNull(7) ? null : JsonNode.Parse(reader.GetString(7)) as JsonObject,
        Metadata = reader.IsDBNull(8) ? null : JsonNode.Parse(reader.GetString(8)) as JsonObject,
        Summary = reader.IsDBNull(9) ? null : JsonNode.Parse(reader.GetString(9)),
    };

    private sealed class SessionLock(NpgsqlConnection connection, string sessionId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false); // a broken connection releases the lock on the server
            }
        }
    }

    private sealed class Subscription(PostgreSqlAgentOSSessionStore store, Action<string> target) : IDisposable
    {
        public void Dispose()
        {
            lock (store._listenerGate)
            {
                store._subscribers.Remove(target);
            }
        }
    }
}

/// <summary>How version 1 of the schema stored sessions (the <c>data</c> column), read by the migration.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentOSSession))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(List<AgentOSRunSummary>))]
internal sealed partial class PostgreSqlJsonContext : JsonSerializerContext
{
}
