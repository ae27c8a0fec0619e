using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// What the SQLite stores share: a store's tables are created once, on first use (concurrent first calls share one
/// attempt; a failed attempt, e.g. the folder did not exist yet, is dropped so that the next call tries again), and
/// every connection is opened with the store's pragmas (closed again when they fail).
/// </summary>
internal sealed class SqliteDatabase(string connectionString, Func<Task> initialize)
{
    private Task? _initialized;

    /// <summary>The busy timeout of every connection: the connection string's <c>Default Timeout</c> (30 s unless set).</summary>
    public int BusyTimeoutMs { get; } = (int)Math.Min(int.MaxValue, Math.Max(1, new SqliteConnectionStringBuilder(connectionString).DefaultTimeout) * 1000L);

    /// <summary>Waits for the store's tables (creating them on the first call).</summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        var init = _initialized;
        if (init is null)
        {
            var created = initialize();
            init = Interlocked.CompareExchange(ref _initialized, created, null) ?? created;
        }

        try
        {
            await init.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (init.IsFaulted)
        {
            _ = Interlocked.CompareExchange(ref _initialized, null, init); // the next call tries again
            throw;
        }
    }

    /// <summary>Opens a connection with <c>busy_timeout</c> (and <c>synchronous = NORMAL</c> when asked).</summary>
    public async Task<SqliteConnection> ConnectAsync(bool synchronousNormal, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = (synchronousNormal ? "PRAGMA synchronous = NORMAL; " : string.Empty)
                + $"PRAGMA busy_timeout = {BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)};";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
