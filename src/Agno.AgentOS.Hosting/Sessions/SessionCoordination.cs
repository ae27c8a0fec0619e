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

/// <summary>
/// A session store implements this to store a run's first version and update its session in one atomic step of its
/// own (one statement, one round trip), instead of the host's read-modify-write cycle under the session's lock: the
/// host then neither reads the session before the save nor takes an <see cref="IAgentOSSessionLocks"/> lock for it
/// (continuations, which replace an earlier version, still go through the cycle). The step must serialize with the
/// store's session locks, so that it never interleaves with another instance's cycle on the same session.
/// </summary>
public interface IAgentOSAtomicRunSaves
{
    /// <summary>
    /// Stores <paramref name="run"/>, a run not stored before (or stored only by this same call's earlier version, which
    /// it replaces), in session <paramref name="session"/>.<see cref="AgentOSSession.SessionId"/>, atomically:
    /// <list type="bullet">
    /// <item>a session that does not exist is created from <paramref name="session"/>'s own fields (its
    /// <see cref="AgentOSSession.SessionState"/> null meaning an empty object);</item>
    /// <item>an existing session keeps its type, creation time, metadata, summary and the component, user and name it
    /// has (those of <paramref name="session"/> fill the ones it lacks), takes <paramref name="session"/>'s
    /// <see cref="AgentOSSession.UpdatedAt"/>, and its state is replaced by <paramref name="session"/>'s when that is
    /// not null (kept otherwise, an empty object when it had none);</item>
    /// <item>nothing is stored when the session belongs to another user than <paramref name="session"/>'s
    /// <see cref="AgentOSSession.UserId"/> (both set and different).</item>
    /// </list>
    /// </summary>
    /// <param name="session">The session's fields as the run would create it; <see cref="AgentOSSession.Runs"/> is ignored.</param>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the run was stored (false: the session is another user's).</returns>
    ValueTask<bool> SaveNewRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default);
}
