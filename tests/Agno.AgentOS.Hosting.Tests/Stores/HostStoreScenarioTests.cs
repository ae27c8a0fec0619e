using Agno.AgentOS.Hosting.Tests.Support;

namespace Agno.AgentOS.Hosting.Tests.Stores;

/// <summary>A plain fact in this project (the PostgreSQL test project has its own, which needs its test server).</summary>
public sealed class StoreFactAttribute : Xunit.FactAttribute
{
}

/// <summary>The host scenarios on the default in-memory stores.</summary>
public sealed class InMemoryHostStoreScenarios : HostStoreScenarios
{
    protected override Task<Action<AgentOSHostBuilder>> StoreAsync() => Task.FromResult<Action<AgentOSHostBuilder>>(_ => { });
}

/// <summary>The host scenarios on the SQLite stores (sessions and background runs' events), a fresh file per test.</summary>
public sealed class SqliteHostStoreScenarios : HostStoreScenarios, IDisposable
{
    private readonly TempSqliteFile _database = new("agno-scenarios-");

    protected override Task<Action<AgentOSHostBuilder>> StoreAsync()
        => Task.FromResult<Action<AgentOSHostBuilder>>(b => b.UseSqliteSessionStore(_database.ConnectionString));

    public void Dispose() => _database.Dispose();
}
