using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>Registers <see cref="PostgreSqlAgentOSRunEventStore"/> on an AgentOS host (the PostgreSQL session store registrations do it too).</summary>
public static class PostgreSqlRunEventStoreExtensions
{
    /// <summary>
    /// Keeps background runs' events in PostgreSQL: <c>/resume</c> of a background run works on every host instance on
    /// the database, replaying the stored events and following the live ones (LISTEN/NOTIFY).
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UsePostgreSqlRunEventStore(this AgentOSHostBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseRunEventStore(services => new PostgreSqlAgentOSRunEventStore(connectionString, timeProvider: services.GetService<TimeProvider>()));
    }

    /// <summary>Keeps background runs' events in PostgreSQL with the connection string of the configuration (<c>ConnectionStrings:{name}</c>).</summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="name">The connection string's name.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UsePostgreSqlRunEventStoreFromConfiguration(this AgentOSHostBuilder builder, string name = PostgreSqlHostBuilderExtensions.DefaultConnectionStringName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.UseRunEventStore(services =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(name);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"No connection string 'ConnectionStrings:{name}' for the AgentOS PostgreSQL run event store.");
            }

            return new PostgreSqlAgentOSRunEventStore(connectionString, timeProvider: services.GetService<TimeProvider>());
        });
    }
}
