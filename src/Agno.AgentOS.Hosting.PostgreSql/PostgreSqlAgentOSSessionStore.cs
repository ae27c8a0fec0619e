using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>
/// A session store in PostgreSQL (Npgsql) for one or several host instances on one database: sessions with their runs
/// and paused runs; the hosts' read-modify-write cycles on a session serialized across processes with advisory locks
/// (<see cref="IAgentOSSessionLocks"/>), so concurrent runs on one session through different instances all land; and
/// cancels carried between instances with LISTEN/NOTIFY (<see cref="IAgentOSRunSignals"/>).
/// </summary>
/// <remarks>
/// The schema is created and migrated on first use, idempotently, under a transaction-scoped advisory lock, so two
/// instances that start at once do not race. Connections come from one pooled <see cref="NpgsqlDataSource"/>; a session
/// lock holds one pooled connection while the host writes the session, the cancel listener one more per store.
/// </remarks>
public sealed class PostgreSqlAgentOSSessionStore : IAgentOSSessionStore, IAgentOSSessionLocks, IAgentOSRunSignals, IAsyncDisposable, IDisposable
{
    /// <summary>The sessions table's name.</summary>
    public const string TableName = "agentos_sessions";

    /// <summary>The LISTEN/NOTIFY channel of cancel signals.</summary>
    public const string CancelChannel = "agentos_cancel";

    /// <summary>The schema version this store migrates to.</summary>
    public const int SchemaVersion = 1;

    private const long SchemaLockKey = 0x6167_6e6f_7363_6801; // "agnosch" + 1: the migration's advisory lock
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly object _listenerGate = new();
    private readonly List<Action<string>> _subscribers = [];
    private Task? _initialized;
    private CancellationTokenSource? _listening;
    private Task? _listener;

    /// <summary>Creates a store on a connection string (a pooled data source is created and owned by the store).</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Username=agentos;Password=...;Database=agentos</c>.</param>
    public PostgreSqlAgentOSSessionStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _ownsDataSource = true;
    }

    /// <summary>Creates a store on a data source the caller owns (e.g. one registered with <c>AddNpgsqlDataSource</c>).</summary>
    /// <param name="dataSource">The data source.</param>
    public PostgreSqlAgentOSSessionStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Creates or migrates the schema now (otherwise it happens on first use).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => EnsureSchemaAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"SELECT data FROM {TableName} WHERE session_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        var data = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return data is null ? null : Deserialize(data);
    }

    /// <inheritdoc />
    public async ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        string data = JsonSerializer.Serialize(session, PostgreSqlJsonContext.Default.AgentOSSession);
        using var command = _dataSource.CreateCommand($"""
            INSERT INTO {TableName} (session_id, session_type, component_id, user_id, session_name, created_at, updated_at, data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (session_id) DO UPDATE SET session_type = excluded.session_type, component_id = excluded.component_id,
              user_id = excluded.user_id, session_name = excluded.session_name, created_at = excluded.created_at,
              updated_at = excluded.updated_at, data = excluded.data, revision = {TableName}.revision + 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = session.SessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = session.SessionType });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)session.ComponentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)session.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)session.SessionName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = session.CreatedAt.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = session.UpdatedAt.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = data, NpgsqlDbType = NpgsqlDbType.Json });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"DELETE FROM {TableName} WHERE session_id = $1");
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
            where.Add(contains ? $"strpos({column}, ${parameters.Count}) > 0" : $"{column} = ${parameters.Count}");
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
        using var command = _dataSource.CreateCommand(
            $"SELECT data, COUNT(*) OVER () FROM {TableName}{whereSql} ORDER BY {column} {direction}, seq ASC LIMIT ${parameters.Count - 1} OFFSET ${parameters.Count}");
        command.Parameters.AddRange(parameters.ToArray());
        var sessions = new List<AgentOSSession>();
        long total = -1;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sessions.Add(Deserialize(reader.GetString(0)));
                total = reader.GetInt64(1);
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

    private Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var init = _initialized;
        if (init is null)
        {
            var created = MigrateAsync();
            init = Interlocked.CompareExchange(ref _initialized, created, null) ?? created;
        }

        if (init.IsFaulted)
        {
            _ = Interlocked.CompareExchange(ref _initialized, null, init); // the next call tries again
        }

        return init.WaitAsync(cancellationToken);
    }

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
                    await lockCommand.ExecuteNonQueryAsync().ConfigureAwait(false); // two instances starting at once: one migrates, the other waits
                }

                using (var create = new NpgsqlCommand($"""
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
                      data JSON NOT NULL);
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_type_created ON {TableName} (session_type, created_at);
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_user ON {TableName} (user_id);
                    INSERT INTO agentos_schema (component, version) VALUES ('sessions', {SchemaVersion})
                      ON CONFLICT (component) DO UPDATE SET version = GREATEST(agentos_schema.version, excluded.version);
                    """, connection, transaction))
                {
                    await create.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
    }

    private static AgentOSSession Deserialize(string data)
        => JsonSerializer.Deserialize(data, PostgreSqlJsonContext.Default.AgentOSSession)
           ?? throw new InvalidDataException("A stored session is null.");

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

/// <summary>How sessions are stored in the <c>data</c> column.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentOSSession))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
internal sealed partial class PostgreSqlJsonContext : JsonSerializerContext
{
}
