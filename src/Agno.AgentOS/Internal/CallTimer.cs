namespace Agno.AgentOS.Internal;

/// <summary>
/// The one timer and token of a call: cancelled by the caller's token, or by the client's clock (the injected
/// <see cref="TimeProvider"/>) in one of two phases: a deadline (the request timeout, until the answer's headers) and
/// then, for a stream, an idle timeout (silence while the reader waits for the server, see
/// <see cref="EventStreamReader"/>). On the system clock the timers are pooled: a call that ends without cancellation
/// hands its token source and timer to the next call, so a request allocates neither (a linked
/// <see cref="CancellationTokenSource"/> with its own timer per request before). A late timer callback of an earlier
/// call can never cancel a later one: every lease has its own generation, and a callback cancels only the lease it
/// found armed.
/// </summary>
internal sealed class CallTimer
{
    private const long Armed = 1;
    private const long Fired = 2;
    private const long GenerationStep = 4;

    private static readonly CallTimer?[] SystemPool = new CallTimer?[Math.Clamp(Environment.ProcessorCount * 4, 8, 64)];

    private readonly CancellationTokenSource _cts = new();
    private readonly TimeProvider _time;
    private readonly bool _coarse;
    private readonly ITimer _timer;
    private CancellationTokenRegistration _link;

    // generation | Armed | Fired (changed under the object's own lock): a callback cancels only the phase it finds armed
    private long _state;
    private bool _idle;
    private long _start;
    private long _timeoutTicks;
    private long _lastActivity;
    private int _waiting;

    private CallTimer(TimeProvider time)
    {
        _time = time;
        _coarse = ReferenceEquals(time, TimeProvider.System);
        _timer = time.CreateTimer(static s => ((CallTimer)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The call's token: the caller's cancellation, or the timeout.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>
    /// For a stream on the client's own handler: the connection its answer is read from (set by the pipeline with the
    /// answer). The stream's reader then hands this timer back at once and watches its silence on the shared
    /// <see cref="IdleWheel"/>, which ends a silent stream by aborting this connection.
    /// </summary>
    public TrackedConnectionStream? Connection { get; set; }

    /// <summary>Whether the token is cancelled (by the caller or by the timeout).</summary>
    public bool IsCancellationRequested => _cts.IsCancellationRequested;

    /// <summary>A timer linked to the caller's token, not armed yet.</summary>
    public static CallTimer Rent(TimeProvider time, CancellationToken cancellationToken)
    {
        CallTimer? timer = null;
        if (ReferenceEquals(time, TimeProvider.System))
        {
            var pool = SystemPool;
            int start = Environment.CurrentManagedThreadId;
            for (int i = 0; i < pool.Length && timer is null; i++)
            {
                timer = Interlocked.Exchange(ref pool[(start + i) % pool.Length], null);
            }
        }

        timer ??= new CallTimer(time);
        if (cancellationToken.CanBeCanceled)
        {
            timer._link = cancellationToken.UnsafeRegister(static s => ((CallTimer)s!).CancelByCaller(), timer);
        }

        return timer;
    }

    /// <summary>Arms the deadline phase: the token is cancelled once <paramref name="timeout"/> has passed (infinite: never).</summary>
    public void StartDeadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        _idle = false;
        _timeoutTicks = Ticks(timeout);
        _start = Now();
        Arm(timeout);
    }

    /// <summary>
    /// Moves to the idle phase (the deadline no longer applies): the token is cancelled once the server has been silent
    /// for <paramref name="timeout"/> while the reader waits (see <see cref="Waiting"/>, <see cref="Activity"/>,
    /// <see cref="Arrived"/>); infinite: no timeout any more.
    /// </summary>
    public void StartIdle(TimeSpan timeout)
    {
        Disarm();
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        _idle = true;
        _timeoutTicks = Ticks(timeout);
        _lastActivity = Now();
        _waiting = 1;
        Arm(timeout);
    }

    /// <summary>Whether a phase is armed (an idle phase records activity only then).</summary>
    public bool IsIdleArmed => _idle && (Volatile.Read(ref _state) & Armed) != 0;

    /// <summary>Whether the current or last phase's timeout cancelled the token.</summary>
    public bool TimedOut => (Volatile.Read(ref _state) & Fired) != 0;

    /// <summary>The reader starts waiting for the server: the silence is counted from now.</summary>
    public void Waiting()
    {
        Volatile.Write(ref _lastActivity, Now());
        Volatile.Write(ref _waiting, 1);
    }

    /// <summary>Bytes arrived.</summary>
    public void Activity() => Volatile.Write(ref _lastActivity, Now());

    /// <summary>An event arrived: the caller holds it, and the clock stops until the next <see cref="Waiting"/>.</summary>
    public void Arrived() => Volatile.Write(ref _waiting, 0);

    /// <summary>Ends the call: the timer is stopped and, when nothing was cancelled, the timer goes back to the pool.</summary>
    public void Return()
    {
        bool fired = Disarm();
        _link.Dispose(); // waits for a caller's cancellation that is running
        _link = default;
        Connection = null;
        if (fired || _cts.IsCancellationRequested || !ReferenceEquals(_time, TimeProvider.System) || !_cts.TryReset())
        {
            _timer.Dispose();
            _cts.Dispose();
            return;
        }

        _idle = false;
        var pool = SystemPool;
        int start = Environment.CurrentManagedThreadId;
        for (int i = 0; i < pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref pool[(start + i) % pool.Length], this, null) is null)
            {
                return;
            }
        }

        _timer.Dispose();
        _cts.Dispose();
    }

    private void Arm(TimeSpan timeout)
    {
        lock (this)
        {
            _state = ((_state & ~(Armed | Fired)) + GenerationStep) | Armed;
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the current phase; true when its timeout had fired.</summary>
    private bool Disarm()
    {
        lock (this)
        {
            if ((_state & Armed) == 0)
            {
                return (_state & Fired) != 0;
            }

            _state &= ~Armed;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return false;
        }
    }

    private void OnTimer()
    {
        lock (this)
        {
            if ((_state & Armed) == 0)
            {
                return; // a late callback of a phase that ended
            }

            long elapsed = !_idle ? Now() - _start
                : Volatile.Read(ref _waiting) == 1 ? Now() - Volatile.Read(ref _lastActivity)
                : 0;
            if (elapsed < _timeoutTicks)
            {
                _timer.Change(Span(Math.Max(_timeoutTicks - elapsed, 1)), Timeout.InfiniteTimeSpan);
                return;
            }

            _state = (_state & ~Armed) | Fired;
        }

        // outside the lock: the token's callbacks may end the call on this thread (Return takes the lock)
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the call ended meanwhile
        }
    }

    private void CancelByCaller()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private long Now() => _coarse ? Environment.TickCount64 : _time.GetTimestamp();

    private long Ticks(TimeSpan timeout)
    {
        if (_coarse)
        {
            return (long)Math.Ceiling(timeout.TotalMilliseconds);
        }

        long frequency = _time.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond ? timeout.Ticks : (long)(timeout.TotalSeconds * frequency);
    }

    private TimeSpan Span(long ticks)
    {
        if (_coarse)
        {
            return TimeSpan.FromMilliseconds(ticks);
        }

        long frequency = _time.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond ? TimeSpan.FromTicks(ticks) : TimeSpan.FromSeconds(ticks / (double)frequency);
    }
}
