using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A session store in a SQLite database (Microsoft.Data.Sqlite): sessions, their runs and paused runs survive a
/// restart. One table (<see cref="TableName"/>) with the filterable columns and the session as JSON; created on
/// first use.
/// </summary>
public sealed class SqliteAgentOSSessionStore : IAgentOSSessionStore
{
    /// <summary>The table's name.</summary>
    public const string TableName = "agentos_sessions";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private Task? _initialized;

    /// <summary>Creates a store.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c>.</param>
    public SqliteAgentOSSessionStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT data FROM {TableName} WHERE session_id = $id";
            command.Parameters.AddWithValue("$id", sessionId);
            var data = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            return data is null ? null : Deserialize(data);
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        string data = JsonSerializer.Serialize(session, SqliteJsonContext.Default.AgentOSSession);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"""
                    INSERT INTO {TableName} (session_id, session_type, component_id, user_id, session_name, created_at, updated_at, data)
                    VALUES ($id, $type, $component, $user, $name, $created, $updated, $data)
                    ON CONFLICT(session_id) DO UPDATE SET session_type = excluded.session_type, component_id = excluded.component_id,
                      user_id = excluded.user_id, session_name = excluded.session_name, created_at = excluded.created_at,
                      updated_at = excluded.updated_at, data = excluded.data
                    """;
                command.Parameters.AddWithValue("$id", session.SessionId);
                command.Parameters.AddWithValue("$type", session.SessionType);
                command.Parameters.AddWithValue("$component", (object?)session.ComponentId ?? DBNull.Value);
                command.Parameters.AddWithValue("$user", (object?)session.UserId ?? DBNull.Value);
                command.Parameters.AddWithValue("$name", (object?)session.SessionName ?? DBNull.Value);
                command.Parameters.AddWithValue("$created", session.CreatedAt.UtcTicks);
                command.Parameters.AddWithValue("$updated", session.UpdatedAt.UtcTicks);
                command.Parameters.AddWithValue("$data", data);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"DELETE FROM {TableName} WHERE session_id = $id";
                command.Parameters.AddWithValue("$id", sessionId);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var where = new List<string>(4);
            using var count = connection.CreateCommand();
            using var select = connection.CreateCommand();
            void Filter(string column, string parameter, string? value, string op = "=")
            {
                if (value is null)
                {
                    return;
                }

                where.Add(op == "LIKE" ? $"{column} LIKE '%' || {parameter} || '%'" : $"{column} = {parameter}");
                count.Parameters.AddWithValue(parameter, value);
                select.Parameters.AddWithValue(parameter, value);
            }

            Filter("session_type", "$type", query.SessionType);
            Filter("component_id", "$component", query.ComponentId);
            Filter("user_id", "$user", query.UserId);
            Filter("session_name", "$name", query.SessionName, "LIKE");
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

            select.CommandText = $"SELECT data FROM {TableName}{whereSql} ORDER BY {column} {direction}, rowid ASC LIMIT $limit OFFSET $offset";
            select.Parameters.AddWithValue("$limit", limit);
            select.Parameters.AddWithValue("$offset", (long)(page - 1) * limit);
            var sessions = new List<AgentOSSession>();
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sessions.Add(Deserialize(reader.GetString(0)));
                }
            }

            return new AgentOSSessionPage(sessions, total);
        }
    }

    private static AgentOSSession Deserialize(string data)
        => JsonSerializer.Deserialize(data, SqliteJsonContext.Default.AgentOSSession)
           ?? throw new InvalidDataException("A stored session is null.");

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var init = _initialized;
        if (init is null)
        {
            var created = InitializeAsync();
            init = Interlocked.CompareExchange(ref _initialized, created, null) ?? created;
        }

        try
        {
            await init.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (init.IsFaulted)
        {
            // Let the next call try again (e.g. the folder was created meanwhile).
            _ = Interlocked.CompareExchange(ref _initialized, null, init);
            throw;
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task InitializeAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE IF NOT EXISTS {TableName} (
                  session_id TEXT NOT NULL PRIMARY KEY,
                  session_type TEXT NOT NULL,
                  component_id TEXT NULL,
                  user_id TEXT NULL,
                  session_name TEXT NULL,
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NOT NULL,
                  data TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_{TableName}_type_created ON {TableName} (session_type, created_at);
                """;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
