using Agno.AgentOS.Hosting.PostgreSql;

namespace Agno.AgentOS.Hosting.Tests.Stores;

/// <summary>A fact that needs the PostgreSQL server eng/test.sh starts (skipped, saying so, only when none could be started).</summary>
public sealed class StoreFactAttribute : Xunit.FactAttribute
{
    public StoreFactAttribute()
    {
        if (string.IsNullOrEmpty(PostgreSql.Tests.PostgresServer.ConnectionString))
        {
            Skip = "No PostgreSQL server: eng/test.sh starts one (eng/postgres.sh) and sets AGNO_TEST_POSTGRES; none could be started here.";
        }
    }
}

/// <summary>The host scenarios (user isolation, background runs) on the PostgreSQL stores, a fresh database per test.</summary>
public sealed class PostgreSqlHostStoreScenarios : HostStoreScenarios
{
    protected override async Task<Action<AgentOSHostBuilder>> StoreAsync()
    {
        string connectionString = await PostgreSql.Tests.PostgresServer.CreateDatabaseAsync();
        return b => b.UsePostgreSqlSessionStore(connectionString);
    }
}
