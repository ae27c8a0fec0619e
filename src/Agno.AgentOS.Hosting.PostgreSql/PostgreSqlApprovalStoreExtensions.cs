using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>Registers <see cref="PostgreSqlAgentOSApprovalStore"/> on an AgentOS host (the PostgreSQL session store registrations do it too).</summary>
public static class PostgreSqlApprovalStoreExtensions
{
    /// <summary>
    /// Keeps admin approvals (<c>/approvals</c>) in PostgreSQL: every host instance on the database lists and resolves
    /// the same approvals, and a run paused on one instance is continued on another after its approval.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UsePostgreSqlApprovalStore(this AgentOSHostBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseApprovalStore(_ => new PostgreSqlAgentOSApprovalStore(connectionString));
    }

    /// <summary>Keeps admin approvals in PostgreSQL with the connection string of the configuration (<c>ConnectionStrings:{name}</c>), read when the store is first resolved.</summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="name">The connection string's name.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UsePostgreSqlApprovalStoreFromConfiguration(this AgentOSHostBuilder builder, string name = PostgreSqlHostBuilderExtensions.DefaultConnectionStringName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.UseApprovalStore(services =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(name);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"No connection string 'ConnectionStrings:{name}' for the AgentOS PostgreSQL approval store.");
            }

            return new PostgreSqlAgentOSApprovalStore(connectionString);
        });
    }
}
