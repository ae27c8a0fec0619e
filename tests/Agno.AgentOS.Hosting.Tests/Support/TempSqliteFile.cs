namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>A fresh SQLite database file in the temp folder, deleted (with its WAL and shared-memory files) on dispose.</summary>
internal sealed class TempSqliteFile(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N") + ".db");

    /// <summary>A connection string to the file, unpooled (so that nothing holds it open after the test).</summary>
    public string ConnectionString => $"Data Source={Path};Pooling=False";

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
