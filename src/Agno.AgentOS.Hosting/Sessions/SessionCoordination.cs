namespace Agno.AgentOS.Hosting;

/// <summary>
/// A session store shared by several host instances implements this so that the hosts serialize their
/// read-modify-write cycles on one session across processes (a run's result, a rename, a delete): no update is lost
/// when two instances write one session at once. The host takes the lock around every such cycle, after its own
/// in-process gate; a store used by one process need not implement it.
/// </summary>
public interface IAgentOSSessionLocks
{
    /// <summary>Waits for the session's lock and holds it until the returned handle is disposed.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    ValueTask<IAsyncDisposable> LockSessionAsync(string sessionId, CancellationToken cancellationToken = default);
}

/// <summary>
/// A session store shared by several host instances implements this to carry run signals between them: a cancel
/// that reaches one instance stops the run on whichever instance executes it.
/// </summary>
public interface IAgentOSRunSignals
{
    /// <summary>Tells every instance (this one included) to cancel a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the signal is sent.</returns>
    ValueTask PublishCancelAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="onCancel"/> with the run id of every cancel signal of any instance until disposed.</summary>
    /// <param name="onCancel">What to do with a cancel (called on a background thread; must not block).</param>
    /// <returns>The subscription; dispose it to stop.</returns>
    IDisposable SubscribeCancellations(Action<string> onCancel);
}
