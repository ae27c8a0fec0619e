using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>Registers <see cref="PostgreSqlAgentOSSessionStore"/> on an AgentOS host.</summary>
public static class PostgreSqlHostBuilderExtensions
{
    /// <summary>The connection string name read by <see cref="UsePostgreSqlSessionStoreFromConfiguration"/> by default (<c>ConnectionStrings:AgentOS</c>).</summary>
    public const string DefaultConnectionStringName = "AgentOS";

    /// <summary>
    /// Keeps sessions in PostgreSQL, shared by every host instance on the same database: session writes serialized
    /// across instances, cancels carried between them; background runs' events and admin approvals on the same database
    /// (<see cref="PostgreSqlAgentOSRunEventStore"/>, <see cref="PostgreSqlAgentOSApprovalStore"/>). The stores (and their
    /// pooled connections) are singletons of the host.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UsePostgreSqlSessionStore(this AgentOSHostBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseSessionStore(_ => new PostgreSqlAgentOSSessionStore(connectionString)).UsePostgreSqlRunEventStore(connectionString).UsePostgreSqlApprovalStore(connectionString);
    }

    /// <summary>
    /// Keeps sessions in PostgreSQL with the connection string of the configuration (<c>ConnectionStrings:{name}</c>),
    /// read when the store is first resolved; a missing one fails then with a clear message.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="name">The connection string's name.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UsePostgreSqlSessionStoreFromConfiguration(this AgentOSHostBuilder builder, string name = DefaultConnectionStringName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.UsePostgreSqlRunEventStoreFromConfiguration(name).UsePostgreSqlApprovalStoreFromConfiguration(name);
        return builder.UseSessionStore(services =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(name);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"No connection string 'ConnectionStrings:{name}' for the AgentOS PostgreSQL session store.");
            }

            return new PostgreSqlAgentOSSessionStore(connectionString);
        });
    }
}
