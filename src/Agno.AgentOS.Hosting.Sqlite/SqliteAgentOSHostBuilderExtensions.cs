namespace Agno.AgentOS.Hosting;

/// <summary>Keeps an AgentOS host's sessions in SQLite.</summary>
public static class SqliteAgentOSHostBuilderExtensions
{
    /// <summary>
    /// Keeps sessions in a SQLite database (<see cref="SqliteAgentOSSessionStore"/>), so they survive a restart, with
    /// background runs' events (<see cref="SqliteAgentOSRunEventStore"/>) and admin approvals
    /// (<see cref="SqliteAgentOSApprovalStore"/>) in the same file.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c>.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UseSqliteSessionStore(this AgentOSHostBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseSessionStore(new SqliteAgentOSSessionStore(connectionString)).UseSqliteRunEventStore(connectionString).UseSqliteApprovalStore(connectionString);
    }
}
