using Npgsql;
using Xunit;

namespace Agno.AgentOS.Hosting.PostgreSql.Tests;

/// <summary>
/// A test that needs the PostgreSQL server eng/test.sh starts (<c>AGNO_TEST_POSTGRES</c>, a connection string). Skipped,
/// saying so, only when no server could be started.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(PostgresServer.ConnectionString))
        {
            Skip = "No PostgreSQL server: eng/test.sh starts one (eng/postgres.sh) and sets AGNO_TEST_POSTGRES; none could be started here.";
        }
    }
}

/// <summary>A fresh database per test on the test server.</summary>
internal static class PostgresServer
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("AGNO_TEST_POSTGRES");

    public static async Task<string> CreateDatabaseAsync()
    {
        string name = "agno_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, MaxPoolSize = 50 }.ConnectionString;
    }
}
