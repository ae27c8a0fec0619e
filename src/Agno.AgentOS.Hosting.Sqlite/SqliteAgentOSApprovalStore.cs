using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Keeps the host's admin approvals (<c>/approvals</c>) in a SQLite database (table <see cref="TableName"/>, WAL
/// journal), shared by every host (or process) on the file: an approval created when a run paused on one host is
/// listed and resolved on another, and the host that continues the run sees the resolution. Resolving is one
/// conditional <c>UPDATE</c>: of two hosts resolving the same pending approval at once, one wins and the other is told
/// it is no longer pending (agno's 409). The JSON fields are stored as the text they were given. Created on first use.
/// </summary>
public sealed class SqliteAgentOSApprovalStore : IAgentOSApprovalStore
{
    /// <summary>The approvals table (one row per approval).</summary>
    public const string TableName = "agentos_approvals";

    private const string Columns = AgentOSApprovalColumns.Names;
    private static readonly string InsertValues = string.Join(", ", AgentOSApprovalColumns.List.Select(c => "$" + c));
    private const int SqliteConstraint = 19;
    private readonly SqliteDatabase _db;

    /// <summary>Creates a store.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c> (its <c>Default Timeout</c> is the busy timeout).</param>
    public SqliteAgentOSApprovalStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _db = new SqliteDatabase(connectionString, InitializeAsync);
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(AgentOSApproval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO {TableName} ({Columns}) VALUES ({InsertValues})
                """;
            var values = AgentOSApprovalColumns.Values(approval);
            for (int i = 0; i < values.Length; i++)
            {
                Add(command, "$" + AgentOSApprovalColumns.List[i], values[i]);
            }

            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                throw new InvalidOperationException($"Approval '{approval.Id}' already exists.", ex);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSApproval?> GetAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM {TableName} WHERE id = $id";
            Add(command, "$id", approvalId);
            return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSApprovalPage> ListAsync(AgentOSApprovalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // one snapshot: the page and the total agree
#pragma warning disable VSTHRD103 // a deferred (read) transaction has no async overload; beginning it does no I/O
            using var transaction = connection.BeginTransaction(deferred: true);
#pragma warning restore VSTHRD103
            var filters = new List<string>();
            var values = new List<(string Name, object? Value)>();
            void Filter(string column, string? value)
            {
                if (value is not null)
                {
                    filters.Add($"{column} = ${column}");
                    values.Add(("$" + column, value));
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

            int total;
            using (var count = connection.CreateCommand())
            {
                count.Transaction = transaction;
                count.CommandText = $"SELECT COUNT(*) FROM {TableName}{where}";
                foreach (var (name, value) in values)
                {
                    Add(count, name, value);
                }

                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            int limit = Math.Max(1, query.Limit);
            var items = new List<AgentOSApproval>();
            using (var page = connection.CreateCommand())
            {
                page.Transaction = transaction;
                // newest first; among equal times the later insert first (as the in-memory store)
                page.CommandText = $"SELECT {Columns} FROM {TableName}{where} ORDER BY created_at DESC, rowid DESC LIMIT $limit OFFSET $offset";
                foreach (var (name, value) in values)
                {
                    Add(page, name, value);
                }

                Add(page, "$limit", limit);
                Add(page, "$offset", (long)(Math.Max(1, query.Page) - 1) * limit);
                var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        items.Add(AgentOSApprovalColumns.Read(reader));
                    }
                }
            }

            return new AgentOSApprovalPage(items, total);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> CountPendingAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {TableName} WHERE status = $pending AND ($user IS NULL OR user_id = $user)";
            Add(command, "$pending", ApprovalStatuses.Pending);
            Add(command, "$user", userId);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AgentOSApproval?> ResolveAsync(string approvalId, AgentOSApprovalResolution resolution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        ArgumentNullException.ThrowIfNull(resolution);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // one statement: only a still pending approval changes, so of two resolvers one wins
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                UPDATE {TableName} SET status = $status, resolved_by = $by, resolved_at = $at, updated_at = $at,
                  resolution_data = COALESCE($data, resolution_data)
                WHERE id = $id AND status = $pending
                RETURNING {Columns}
                """;
            Add(command, "$id", approvalId);
            Add(command, "$status", resolution.Status);
            Add(command, "$by", resolution.ResolvedBy);
            Add(command, "$at", resolution.ResolvedAt);
            Add(command, "$data", AgentOSApprovalColumns.Text(resolution.ResolutionData));
            Add(command, "$pending", ApprovalStatuses.Pending);
            return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {TableName} WHERE id = $id";
            Add(command, "$id", approvalId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    private static void Add(SqliteCommand command, string name, object? value) => command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static async Task<AgentOSApproval?> ReadOneAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? AgentOSApprovalColumns.Read(reader) : null;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
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
                CREATE TABLE IF NOT EXISTS {TableName} (
                  id TEXT NOT NULL PRIMARY KEY,
                  run_id TEXT NOT NULL,
                  session_id TEXT NOT NULL,
                  status TEXT NOT NULL,
                  source_type TEXT NOT NULL,
                  approval_type TEXT NOT NULL,
                  pause_type TEXT NULL,
                  tool_name TEXT NULL,
                  tool_args TEXT NULL,
                  expires_at INTEGER NULL,
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
                  resolved_at INTEGER NULL,
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NULL);
                CREATE INDEX IF NOT EXISTS ix_{TableName}_created ON {TableName} (created_at);
                CREATE INDEX IF NOT EXISTS ix_{TableName}_run ON {TableName} (run_id);
                CREATE INDEX IF NOT EXISTS ix_{TableName}_status_user ON {TableName} (status, user_id);
                """;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
