namespace Agno.AgentOS.Hosting;

/// <summary>Registers <see cref="SqliteAgentOSApprovalStore"/> on an AgentOS host (<c>UseSqliteSessionStore</c> does it too).</summary>
public static class SqliteApprovalStoreExtensions
{
    /// <summary>
    /// Keeps admin approvals (<c>/approvals</c>) in a SQLite database, so they survive a restart and every host on the
    /// file lists and resolves the same approvals.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c>.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UseSqliteApprovalStore(this AgentOSHostBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseApprovalStore(new SqliteAgentOSApprovalStore(connectionString));
    }
}
