using Microsoft.Extensions.DependencyInjection;

namespace Agno.AgentOS.Hosting;

/// <summary>Registers <see cref="SqliteAgentOSRunEventStore"/> on an AgentOS host (<c>UseSqliteSessionStore</c> does it too).</summary>
public static class SqliteRunEventStoreExtensions
{
    /// <summary>Keeps background runs' events in a SQLite database, so <c>/resume</c> can replay them after a restart.</summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=agentos.db</c>.</param>
    /// <returns>The builder.</returns>
    public static AgentOSHostBuilder UseSqliteRunEventStore(this AgentOSHostBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseRunEventStore(services => new SqliteAgentOSRunEventStore(connectionString, timeProvider: services.GetService<TimeProvider>()));
    }
}
