namespace Agno.AgentOS.Hosting.PostgreSql;

/// <summary>
/// Creates or migrates a store's schema once per store, on first use: concurrent first calls share one attempt, and a
/// failed attempt (the database was down) is dropped so that the next call tries again.
/// </summary>
internal sealed class SchemaGate(Func<Task> migrate)
{
    private Task? _attempt;

    /// <summary>Waits for the schema (starting the migration on the first call).</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var attempt = _attempt;
        if (attempt is null)
        {
            var started = migrate();
            attempt = Interlocked.CompareExchange(ref _attempt, started, null) ?? started;
        }

        if (attempt.IsFaulted)
        {
            _ = Interlocked.CompareExchange(ref _attempt, null, attempt); // the next call tries again
        }

        return attempt.WaitAsync(cancellationToken);
    }
}
