using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A session store in a SQLite database (Microsoft.Data.Sqlite): sessions, their runs and paused runs survive a
/// restart. Sessions' own fields are rows of <see cref="TableName"/>; every run is its own row of
/// <see cref="RunsTableName"/> (indexed by session), written on its own, so a save never rewrites the session and
/// lists read the sessions' fields and the runs' small summaries only. The database runs in WAL mode with
/// <c>synchronous=NORMAL</c> (a commit does not wait for a disk sync; a power loss can lose the last commits, never
/// corrupt the file), and the log a large run's commit adds is checkpointed in the background, off the request's path; readers never wait for the writer, writers wait for each other up to the connection string's
/// <c>Default Timeout</c> (busy timeout). No lock is held in the process: each operation takes an open connection
/// from a small pool. Several stores (or processes) may share one file. Created, or migrated from the
/// one-table schema of earlier versions, on first use.
/// </summary>
public sealed class SqliteAgentOSSessionStore : IAgentOSSessionStore, IDisposable
{
    /// <summary>The sessions table's name (one row per session: its own fields).</summary>
    public const string TableName = "agentos_sessions";

    /// <summary>The runs table's name (one row per run).</summary>
    public const string RunsTableName = "agentos_runs";

    /// <summary>
    /// The schema version this store creates or migrates to (SQLite's <c>user_version</c>). Version 3 keeps every run's
    /// output and resume state as UTF-8 BLOBs (values an earlier version stored as TEXT are converted once).
    /// </summary>
    public const int SchemaVersion = 3;

    private const int MaxIdleConnections = 8;
    private const string HeaderColumns = "session_id, session_type, component_id, user_id, session_name, created_at, updated_at, session_state, metadata, summary";
    private readonly SqliteDatabase _db;
    private readonly ConcurrentQueue<SqliteConnection> _idle = new();
    private const int LargeRunBytes = 1024 * 1024;
    private int _idleCount;
    private volatile bool _disposed;
    private int _checkpointState; // 0: none under way, 1: one under way, 2: under way and another asked for

    /// <summary>Creates a store.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c>.</param>
    public SqliteAgentOSSessionStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _db = new SqliteDatabase(connectionString, InitializeAsync);
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, bool includeRuns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = includeRuns ? connection.BeginTransaction(deferred: true) : null; // one snapshot for both reads
            AgentOSSession? session;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT {HeaderColumns} FROM {TableName} WHERE session_id = $id";
                command.Parameters.AddWithValue("$id", sessionId);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                session = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadHeader(reader) : null;
            }

            if (session is not null && includeRuns)
            {
                session.Runs = await ReadRunsAsync(connection, transaction, sessionId, null, cancellationToken).ConfigureAwait(false);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return session;
        }
        finally
        {
            Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSStoredRun?> GetRunAsync(string sessionId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(runId);
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $id AND run_id = $run";
            command.Parameters.AddWithValue("$id", sessionId);
            command.Parameters.AddWithValue("$run", runId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRun(reader) : null;
        }
        finally
        {
            Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AgentOSStoredRun>> GetRunsAsync(string sessionId, AgentOSRunQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadRunsAsync(connection, null, sessionId, query, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await UpsertHeaderAsync(connection, null, session, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(run);
        byte[] output = Blob(run.OutputUtf8);
        byte[]? resume = run.ResumeStateUtf8.IsEmpty ? null : Blob(run.ResumeStateUtf8);
        byte[] summary = Utf8(run.ToSummary());
        bool large = output.Length + (resume?.Length ?? 0) >= LargeRunBytes;
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (large)
            {
                await PragmaAsync(connection, "PRAGMA wal_autocheckpoint = 0;").ConfigureAwait(false); // this commit does not checkpoint
            }

            try
            {
                using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: waits (busy timeout) for another writer
                await UpsertHeaderAsync(connection, transaction, session, cancellationToken).ConfigureAwait(false);
                await UpsertRunAsync(connection, transaction, session.SessionId, run, output, resume, summary, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (large)
                {
                    await PragmaAsync(connection, "PRAGMA wal_autocheckpoint = 1000;").ConfigureAwait(false); // SQLite's default
                }
            }
        }
        finally
        {
            Return(connection);
        }

        if (large)
        {
            CheckpointInBackground();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var runs = connection.CreateCommand();
            runs.Transaction = transaction;
            runs.CommandText = $"DELETE FROM {RunsTableName} WHERE session_id = $id";
            runs.Parameters.AddWithValue("$id", sessionId);
            await runs.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            using var header = connection.CreateCommand();
            header.Transaction = transaction;
            header.CommandText = $"DELETE FROM {TableName} WHERE session_id = $id";
            header.Parameters.AddWithValue("$id", sessionId);
            bool existed = await header.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return existed;
        }
        finally
        {
            Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: true); // one snapshot for the count, the page and its summaries
            var where = new List<string>(4);
            using var count = connection.CreateCommand();
            using var select = connection.CreateCommand();
            count.Transaction = transaction;
            select.Transaction = transaction;
            void Filter(string column, string parameter, string? value, bool contains = false)
            {
                if (value is null)
                {
                    return;
                }

                where.Add(contains ? $"{column} LIKE '%' || {parameter} || '%'" : $"{column} = {parameter}");
                count.Parameters.AddWithValue(parameter, value);
                select.Parameters.AddWithValue(parameter, value);
            }

            Filter("session_type", "$type", query.SessionType);
            Filter("component_id", "$component", query.ComponentId);
            Filter("user_id", "$user", query.UserId);
            Filter("session_name", "$name", query.SessionName, contains: true);
            string whereSql = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
            // Whole seconds (as AgentOS stores times); ties keep the order the sessions were created in.
            string column = query.SortBy switch
            {
                "session_name" => "COALESCE(session_name, '')",
                "updated_at" => "(updated_at / 10000000)",
                _ => "(created_at / 10000000)",
            };
            string direction = query.SortDescending ? "DESC" : "ASC";
            int limit = Math.Max(1, query.Limit);
            int page = Math.Max(1, query.Page);

            count.CommandText = $"SELECT COUNT(*) FROM {TableName}{whereSql}";
            int total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

            select.CommandText = $"SELECT {HeaderColumns} FROM {TableName}{whereSql} ORDER BY {column} {direction}, rowid ASC LIMIT $limit OFFSET $offset";
            select.Parameters.AddWithValue("$limit", limit);
            select.Parameters.AddWithValue("$offset", (long)(page - 1) * limit);
            var sessions = new List<AgentOSSession>();
            using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sessions.Add(ReadHeader(reader));
                }
            }

            var summaries = sessions.ToDictionary(s => s.SessionId, _ => new List<AgentOSRunSummary>(), StringComparer.Ordinal);
            if (sessions.Count > 0)
            {
                using var runs = connection.CreateCommand();
                runs.Transaction = transaction;
                runs.CommandText = $"SELECT session_id, summary FROM {RunsTableName} WHERE session_id IN (SELECT value FROM json_each($ids)) ORDER BY session_id, seq";
                runs.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(sessions.ConvertAll(s => s.SessionId), SqliteJsonContext.Default.ListString));
                using var reader = await runs.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (summaries.TryGetValue(reader.GetString(0), out var list) && Summary(reader, 1) is { } summary)
                    {
                        list.Add(summary);
                    }
                }
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return new AgentOSSessionPage(sessions.ConvertAll(s => new AgentOSSessionSummary { Session = s, Runs = summaries[s.SessionId] }), total);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>Closes the pooled connections (a checkpoint under way closes its own when it ends).</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }

    private static async Task UpsertHeaderAsync(SqliteConnection connection, SqliteTransaction? transaction, AgentOSSession session, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {TableName} ({HeaderColumns})
            VALUES ($id, $type, $component, $user, $name, $created, $updated, $state, $metadata, $summary)
            ON CONFLICT(session_id) DO UPDATE SET session_type = excluded.session_type, component_id = excluded.component_id,
              user_id = excluded.user_id, session_name = excluded.session_name, created_at = excluded.created_at,
              updated_at = excluded.updated_at, session_state = excluded.session_state, metadata = excluded.metadata, summary = excluded.summary
            """;
        command.Parameters.AddWithValue("$id", session.SessionId);
        command.Parameters.AddWithValue("$type", session.SessionType);
        command.Parameters.AddWithValue("$component", (object?)session.ComponentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)session.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)session.SessionName ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", session.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$updated", session.UpdatedAt.UtcTicks);
        command.Parameters.AddWithValue("$state", (object?)session.SessionState?.ToJsonString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$metadata", (object?)session.Metadata?.ToJsonString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$summary", (object?)session.Summary?.ToJsonString() ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpsertRunAsync(SqliteConnection connection, SqliteTransaction transaction, string sessionId, AgentOSStoredRun run, byte[] output, byte[]? resume, byte[] summary, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {RunsTableName} (session_id, run_id, component_id, status, output, resume_state, summary)
            VALUES ($id, $run, $component, $status, $output, $resume, $summary)
            ON CONFLICT(session_id, run_id) DO UPDATE SET component_id = excluded.component_id, status = excluded.status,
              output = excluded.output, resume_state = excluded.resume_state, summary = excluded.summary
            """;
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$run", run.RunId);
        command.Parameters.AddWithValue("$component", (object?)run.ComponentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", (object?)StatusColumn(run.Status) ?? DBNull.Value);
        command.Parameters.AddWithValue("$output", output);
        command.Parameters.AddWithValue("$resume", (object?)resume ?? DBNull.Value);
        command.Parameters.AddWithValue("$summary", summary);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<AgentOSStoredRun>> ReadRunsAsync(SqliteConnection connection, SqliteTransaction? transaction, string sessionId, AgentOSRunQuery? query, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        string filter = string.Empty;
        if (query?.ComponentId is { } component)
        {
            filter += " AND component_id = $component";
            command.Parameters.AddWithValue("$component", component);
        }

        if (query?.Status is { } status)
        {
            // upper-cased when written; upper() also matches a status an earlier version stored in another case
            filter += " AND upper(status) = $status";
            command.Parameters.AddWithValue("$status", StatusColumn(status));
        }

        command.Parameters.AddWithValue("$id", sessionId);
        if (query?.Last is { } last)
        {
            // the newest N, returned oldest first
            command.CommandText = $"SELECT run_id, output, resume_state FROM (SELECT seq, run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $id{filter} ORDER BY seq DESC LIMIT $last) ORDER BY seq";
            command.Parameters.AddWithValue("$last", Math.Max(0, last));
        }
        else
        {
            command.CommandText = $"SELECT run_id, output, resume_state FROM {RunsTableName} WHERE session_id = $id{filter} ORDER BY seq";
        }

        var runs = new List<AgentOSStoredRun>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    private static AgentOSStoredRun ReadRun(SqliteDataReader reader) => new()
    {
        RunId = reader.GetString(0),
        OutputUtf8 = Bytes(reader, 1) is { Length: > 0 } output ? output : throw new InvalidDataException("A stored run has no output."),
        ResumeStateUtf8 = Bytes(reader, 2),
    };

    /// <summary>
    /// The array behind a run's bytes, to bind as a BLOB without a copy (the host hands over arrays of the exact size);
    /// a copy only for a slice of a larger array.
    /// </summary>
    private static byte[] Blob(ReadOnlyMemory<byte> utf8)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(utf8, out var segment) && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : utf8.ToArray();

    /// <summary>A JSON column as UTF-8: a BLOB as it is, TEXT (an earlier version's value) encoded; empty for SQL NULL.</summary>
    private static byte[] Bytes(SqliteDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        byte[] utf8 => utf8,
        string text => System.Text.Encoding.UTF8.GetBytes(text),
        _ => [],
    };

    /// <summary>A run's status as its column keeps it: upper-cased, as AgentOS writes it (queries compare with <c>upper(status)</c>).</summary>
    private static string? StatusColumn(RunStatus? status) => status?.Value.ToUpperInvariant();

    /// <summary>A JSON value of an earlier version's session as UTF-8 (the migration from version 1).</summary>
    private static byte[] Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, SqliteJsonContext.Default.JsonNode);

    /// <summary>A JSON column: UTF-8 bytes (as this store writes runs) or text; null for SQL NULL.</summary>
    private static byte[] Utf8(AgentOSRunSummary summary) => JsonSerializer.SerializeToUtf8Bytes(summary, SqliteJsonContext.Default.AgentOSRunSummary);

    /// <summary>A run's summary column: UTF-8 bytes (as this store writes them) or text; null for SQL NULL.</summary>
    private static AgentOSRunSummary? Summary(SqliteDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        byte[] utf8 => JsonSerializer.Deserialize(utf8, SqliteJsonContext.Default.AgentOSRunSummary),
        string text => JsonSerializer.Deserialize(text, SqliteJsonContext.Default.AgentOSRunSummary),
        _ => null,
    };

    private static AgentOSSession ReadHeader(SqliteDataReader reader) => new()
    {
        SessionId = reader.GetString(0),
        SessionType = reader.GetString(1),
        ComponentId = reader.IsDBNull(2) ? null : reader.GetString(2),
        UserId = reader.IsDBNull(3) ? null : reader.GetString(3),
        SessionName = reader.IsDBNull(4) ? null : reader.GetString(4),
        CreatedAt = new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
        SessionState = reader.IsDBNull(7) ? null : JsonNode.Parse(reader.GetString(7)) as JsonObject,
        Metadata = reader.IsDBNull(8) ? null : JsonNode.Parse(reader.GetString(8)) as JsonObject,
        Summary = reader.IsDBNull(9) ? null : JsonNode.Parse(reader.GetString(9)),
    };

    private async Task<SqliteConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _db.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        if (_idle.TryDequeue(out var pooled))
        {
            Interlocked.Decrement(ref _idleCount);
            return pooled;
        }

        return await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Return(SqliteConnection connection)
    {
        if (!_disposed && Interlocked.Increment(ref _idleCount) <= MaxIdleConnections)
        {
            _idle.Enqueue(connection);
            return;
        }

        Interlocked.Decrement(ref _idleCount);
        connection.Dispose();
    }

    /// <summary>
    /// After the commit of a large run (<see cref="LargeRunBytes"/> or more), which skipped SQLite's automatic checkpoint:
    /// the log is copied into the database file (and synced) in the background instead of inside that commit, on the
    /// request's path. Small commits checkpoint as SQLite does by default (past 1,000 pages of log, in the commit), which
    /// keeps the log short for readers.
    /// </summary>
    private void CheckpointInBackground()
    {
        while (true)
        {
            int state = Volatile.Read(ref _checkpointState);
            if (state == 2 || _disposed)
            {
                return; // one is under way and another is already asked for
            }

            if (Interlocked.CompareExchange(ref _checkpointState, state + 1, state) == state)
            {
                if (state == 0)
                {
                    _ = Task.Run(CheckpointAsync);
                }

                return;
            }
        }
    }

    private static async Task PragmaAsync(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Checkpoints (PASSIVE: never waits for readers or writers) until no new one is asked for.</summary>
    private async Task CheckpointAsync()
    {
        while (true)
        {
            Interlocked.Exchange(ref _checkpointState, 1);
            if (!_disposed)
            {
                try
                {
                    var connection = await RentAsync(CancellationToken.None).ConfigureAwait(false);
                    try
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }
                    finally
                    {
                        Return(connection);
                    }
                }
                catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or IOException)
                {
                    // busy or closing: the next one (or the last connection's close) copies the log
                }
            }

            if (Interlocked.CompareExchange(ref _checkpointState, 0, 1) == 1)
            {
                return;
            }
        }
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _db.ConnectAsync(synchronousNormal: true, cancellationToken);

    /// <summary>
    /// Creates the tables, or migrates the one-table schema of earlier versions (each session one JSON document in a
    /// <c>data</c> column) to one row per run, in one immediate transaction: several stores starting at once on one
    /// file migrate once.
    /// </summary>
    private async Task InitializeAsync()
    {
        var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;"; // persistent in the file; an in-memory database keeps its own mode
                await wal.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            bool old;
            using (var probe = connection.CreateCommand())
            {
                probe.Transaction = transaction;
                probe.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{TableName}') WHERE name = 'data'";
                old = Convert.ToInt64(await probe.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
            }

            if (old)
            {
                await ExecuteAsync(connection, transaction, $"""
                    DROP INDEX IF EXISTS ix_{TableName}_type_created;
                    ALTER TABLE {TableName} RENAME TO {TableName}_v1;
                    """).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, $"""
                CREATE TABLE IF NOT EXISTS {TableName} (
                  session_id TEXT NOT NULL PRIMARY KEY,
                  session_type TEXT NOT NULL,
                  component_id TEXT NULL,
                  user_id TEXT NULL,
                  session_name TEXT NULL,
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NOT NULL,
                  session_state TEXT NULL,
                  metadata TEXT NULL,
                  summary TEXT NULL);
                CREATE INDEX IF NOT EXISTS ix_{TableName}_type_created ON {TableName} (session_type, created_at);
                CREATE INDEX IF NOT EXISTS ix_{TableName}_user ON {TableName} (user_id);
                CREATE TABLE IF NOT EXISTS {RunsTableName} (
                  seq INTEGER PRIMARY KEY,
                  session_id TEXT NOT NULL,
                  run_id TEXT NOT NULL,
                  component_id TEXT NULL,
                  status TEXT NULL,
                  summary BLOB NOT NULL, -- before the large output: a list reads it without walking the output's overflow pages
                  resume_state BLOB NULL,
                  output BLOB NOT NULL,
                  UNIQUE (session_id, run_id));
                CREATE INDEX IF NOT EXISTS ix_{RunsTableName}_session ON {RunsTableName} (session_id, seq);
                CREATE INDEX IF NOT EXISTS ix_{RunsTableName}_history ON {RunsTableName} (session_id, component_id, status, seq);
                """).ConfigureAwait(false);

            if (old)
            {
                await MigrateVersion1Async(connection, transaction).ConfigureAwait(false);
            }

            long version;
            using (var probe = connection.CreateCommand())
            {
                probe.Transaction = transaction;
                probe.CommandText = "PRAGMA user_version;";
                version = Convert.ToInt64(await probe.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            if (version < 3)
            {
                // version 3: outputs and resume states are UTF-8 BLOBs, read and written as they are (an earlier
                // version may have stored TEXT: SQLite keeps the value's own type whatever the column's)
                await ExecuteAsync(connection, transaction, $"""
                    UPDATE {RunsTableName} SET output = CAST(output AS BLOB) WHERE typeof(output) = 'text';
                    UPDATE {RunsTableName} SET resume_state = CAST(resume_state AS BLOB) WHERE typeof(resume_state) = 'text';
                    """).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)};").ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Moves every session of the version-1 table (oldest first, so the list order is kept) to the new tables, then drops it.</summary>
    private static async Task MigrateVersion1Async(SqliteConnection connection, SqliteTransaction transaction)
    {
        var sessions = new List<(AgentOSSession Session, List<AgentOSStoredRun> Runs)>();
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT data FROM {TableName}_v1 ORDER BY rowid";
            using var reader = await read.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                sessions.Add(Version1Session(reader.GetString(0)));
            }
        }

        foreach (var (session, runs) in sessions)
        {
            await UpsertHeaderAsync(connection, transaction, session, CancellationToken.None).ConfigureAwait(false);
            foreach (var run in runs)
            {
                await UpsertRunAsync(connection, transaction, session.SessionId, run, Blob(run.OutputUtf8), run.ResumeStateUtf8.IsEmpty ? null : Blob(run.ResumeStateUtf8), Utf8(run.ToSummary()), CancellationToken.None).ConfigureAwait(false);
            }
        }

        await ExecuteAsync(connection, transaction, $"DROP TABLE {TableName}_v1;").ConfigureAwait(false);
    }

    /// <summary>A session of the version-1 table (<see cref="Stores.Version1Sessions.Read"/>) with this store's contracts.</summary>
    private static (AgentOSSession Session, List<AgentOSStoredRun> Runs) Version1Session(string data)
        => Stores.Version1Sessions.Read(data, SqliteJsonContext.Default.AgentOSSession, SqliteJsonContext.Default.JsonNode);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
