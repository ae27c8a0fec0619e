using System.Collections.Concurrent;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Runs in flight (to cancel them) and cancel requests for runs not started yet.</summary>
internal sealed class RunRegistry
{
    private const int MaxIntents = 4096;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _intents = new(StringComparer.Ordinal);

    public int ActiveCount => _active.Count;

    /// <summary>
    /// Registers a run; the returned source is cancelled by <see cref="Cancel"/> (or already, if a cancel came first).
    /// Returns null when a run with that id is already in flight.
    /// </summary>
    public CancellationTokenSource? TryRegister(string runId, CancellationToken linked)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(linked);
        if (!_active.TryAdd(runId, cts))
        {
            cts.Dispose();
            return null;
        }

        if (_intents.TryRemove(runId, out _))
        {
            cts.Cancel();
        }

        return cts;
    }

    public void Unregister(string runId, CancellationTokenSource cts)
    {
        _active.TryRemove(new KeyValuePair<string, CancellationTokenSource>(runId, cts));
        cts.Dispose();
    }

    /// <summary>Cancels a run in flight, or remembers the request. Returns whether the run was in flight.</summary>
    public bool Cancel(string runId)
    {
        if (_active.TryGetValue(runId, out var cts))
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // finished meanwhile
            }

            return true;
        }

        if (_intents.Count >= MaxIntents)
        {
            _intents.Clear();
        }

        _intents[runId] = 0;
        return false;
    }

    public bool IsActive(string runId) => _active.ContainsKey(runId);
}

/// <summary>
/// Serializes read-modify-write cycles per session (striped, bounded), and across processes when the store takes
/// session locks (<see cref="IAgentOSSessionLocks"/>).
/// </summary>
internal sealed class SessionGate(IAgentOSSessionLocks? locks = null) : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<Releaser> EnterAsync(string sessionId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(StringComparer.Ordinal.GetHashCode(sessionId) & int.MaxValue) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (locks is null)
        {
            return new Releaser(stripe, null);
        }

        try
        {
            return new Releaser(stripe, await locks.LockSessionAsync(sessionId, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            stripe.Release();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var s in _stripes)
        {
            s.Dispose();
        }
    }

    internal readonly struct Releaser(SemaphoreSlim stripe, IAsyncDisposable? shared) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (shared is not null)
                {
                    await shared.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                stripe.Release();
            }
        }
    }
}
