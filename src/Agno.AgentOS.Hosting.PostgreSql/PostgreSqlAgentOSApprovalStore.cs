using System.Data;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>
/// Keeps the host's admin approvals (<c>/approvals</c>) in PostgreSQL (table <see cref="TableName"/>), shared by every
/// host instance on the database: an approval created when a run paused on one instance is listed and resolved on
/// another, and the instance that continues the run sees the resolution. Resolving is one conditional <c>UPDATE</c>:
/// of two instances resolving the same pending approval at once, one wins and the other is told it is no longer
/// pending (agno's 409). The JSON fields are stored as the text they were given (<c>TEXT</c>, not <c>JSONB</c>, which
/// would reorder their keys). Created at first use (idempotent, safe when instances start at once).
/// </summary>
public sealed class PostgreSqlAgentOSApprovalStore : IAgentOSApprovalStore, IAsyncDisposable, IDisposable
{
    /// <summary>The approvals table (one row per approval).</summary>
    public const string TableName = "agentos_approvals";

    private const string Columns = AgentOSApprovalColumns.Names;
    private const long SchemaLockKey = 0x6167_6e6f_7363_6803; // "agnosch" + 3: this store's migration lock
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SchemaGate _schema;

    /// <summary>Creates a store on a connection string (a pooled data source is created and owned by the store).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public PostgreSqlAgentOSApprovalStore(string connectionString)
        : this(NpgsqlDataSource.Create(connectionString ?? throw new ArgumentNullException(nameof(connectionString))))
    {
        _ownsDataSource = true;
    }

    /// <summary>Creates a store on a data source the caller owns.</summary>
    /// <param name="dataSource">The data source.</param>
    public PostgreSqlAgentOSApprovalStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _schema = new SchemaGate(MigrateAsync);
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(AgentOSApproval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"""
            INSERT INTO {TableName} ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
            """);
        await using (command.ConfigureAwait(false))
        {
            Add(command, AgentOSApprovalColumns.Values(approval));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new InvalidOperationException($"Approval '{approval.Id}' already exists.", ex);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSApproval?> GetAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"SELECT {Columns} FROM {TableName} WHERE id = $1");
        await using (command.ConfigureAwait(false))
        {
            Add(command, approvalId);
            return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSApprovalPage> ListAsync(AgentOSApprovalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filters = new List<string>();
        var values = new List<object?>();
        void Filter(string column, string? value)
        {
            if (value is not null)
            {
                values.Add(value);
                filters.Add($"{column} = ${values.Count}");
            }
        }

        Filter("status", query.Status);
        Filter("source_type", query.SourceType);
        Filter("approval_type", query.ApprovalType);
        Filter("pause_type", query.PauseType);
        Filter("agent_id", query.AgentId);
        Filter("team_id", query.TeamId);
        Filter("workflow_id", query.WorkflowId);
        Filter("user_id", query.UserId);
        Filter("schedule_id", query.ScheduleId);
        Filter("run_id", query.RunId);
        string where = filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters);
        int limit = Math.Max(1, query.Limit);
        long offset = (long)(Math.Max(1, query.Page) - 1) * limit;

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // one snapshot: the page and the total agree
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                int total;
                using (var count = new NpgsqlCommand($"SELECT COUNT(*) FROM {TableName}{where}", connection, transaction))
                {
                    Add(count, [.. values]);
                    total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                }

                var items = new List<AgentOSApproval>();
                // newest first; among equal times the later insert first (as the in-memory store)
                using (var page = new NpgsqlCommand($"SELECT {Columns} FROM {TableName}{where} ORDER BY created_at DESC, seq DESC LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}", connection, transaction))
                {
                    Add(page, [.. values, limit, offset]);
                    var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            items.Add(AgentOSApprovalColumns.Read(reader));
                        }
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new AgentOSApprovalPage(items, total);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> CountPendingAsync(string? userId, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"SELECT COUNT(*) FROM {TableName} WHERE status = $1 AND ($2::text IS NULL OR user_id = $2)");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ApprovalStatuses.Pending });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSApproval?> ResolveAsync(string approvalId, AgentOSApprovalResolution resolution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        ArgumentNullException.ThrowIfNull(resolution);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // one statement: a concurrent resolver waits for the row's lock, then finds it no longer pending (no row)
        var command = _dataSource.CreateCommand($"""
            UPDATE {TableName} SET status = $2, resolved_by = $3, resolved_at = $4, updated_at = $4,
              resolution_data = COALESCE($5, resolution_data)
            WHERE id = $1 AND status = $6
            RETURNING {Columns}
            """);
        await using (command.ConfigureAwait(false))
        {
            Add(command, approvalId, resolution.Status, resolution.ResolvedBy, resolution.ResolvedAt, Text(resolution.ResolutionData), ApprovalStatuses.Pending);
            return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"DELETE FROM {TableName} WHERE id = $1");
        await using (command.ConfigureAwait(false))
        {
            Add(command, approvalId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private static string? Text(JsonNode? node) => AgentOSApprovalColumns.Text(node);

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value }); // a null's type is the column's
        }
    }

    private static async Task<AgentOSApproval?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? AgentOSApprovalColumns.Read(reader) : null;
        }
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
                    await lockCommand.ExecuteNonQueryAsync().ConfigureAwait(false); // two instances starting at once: one creates, the other waits
                }

                using (var create = new NpgsqlCommand($"""
                    CREATE TABLE IF NOT EXISTS {TableName} (
                      seq BIGINT GENERATED ALWAYS AS IDENTITY,
                      id TEXT NOT NULL PRIMARY KEY,
                      run_id TEXT NOT NULL,
                      session_id TEXT NOT NULL,
                      status TEXT NOT NULL,
                      source_type TEXT NOT NULL,
                      approval_type TEXT NOT NULL,
                      pause_type TEXT NULL,
                      tool_name TEXT NULL,
                      tool_args TEXT NULL,
                      expires_at BIGINT NULL,
                      agent_id TEXT NULL,
                      team_id TEXT NULL,
                      workflow_id TEXT NULL,
                      user_id TEXT NULL,
                      schedule_id TEXT NULL,
                      schedule_run_id TEXT NULL,
                      source_name TEXT NULL,
                      requirements TEXT NULL,
                      context TEXT NULL,
                      resolution_data TEXT NULL,
                      resolved_by TEXT NULL,
                      resolved_at BIGINT NULL,
                      created_at BIGINT NOT NULL,
                      updated_at BIGINT NULL);
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_created ON {TableName} (created_at DESC, seq DESC);
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_run ON {TableName} (run_id);
                    CREATE INDEX IF NOT EXISTS ix_{TableName}_status_user ON {TableName} (status, user_id);
                    """, connection, transaction))
                {
                    await create.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
    }
}
