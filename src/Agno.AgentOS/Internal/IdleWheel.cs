using System.Runtime.CompilerServices;

namespace Agno.AgentOS.Internal;

/// <summary>
/// The idle timeouts of all open streams on one clock: one timer per <see cref="TimeProvider"/> (created on its first
/// stream) instead of a timer and a cancellation source per stream. Each open stream is an entry of the wheel's list
/// (its <see cref="EventStreamReader.IdleTimer"/>, no object of its own); the stream's reads and events only record times
/// on it. The wheel's one timer is armed for the earliest time any entry can have been silent for its whole timeout;
/// when it fires, the entries that were (waiting for the server, silent since then) are taken off the list and fired
/// outside the lock (the stream's connection is aborted), and the timer is armed again for the earliest of the rest.
/// On a <see cref="TimeProvider"/> other than the system's (a <c>FakeTimeProvider</c> in tests) time is that provider's
/// timestamps and its timer, so advancing it fires exactly the timeouts that have passed, in the call that advances it.
/// </summary>
internal sealed class IdleWheel
{
    private static readonly IdleWheel SystemWheel = new(TimeProvider.System);
    private static readonly ConditionalWeakTable<TimeProvider, IdleWheel> Wheels = new();

    private readonly TimeProvider _time;
    private readonly bool _coarse;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private EventStreamReader.IdleTimer? _head;
    private long _armedAt = long.MaxValue;
    private int _count;

    private IdleWheel(TimeProvider time)
    {
        _time = time;
        _coarse = ReferenceEquals(time, TimeProvider.System);
    }

    /// <summary>The wheel of a clock (one per <see cref="TimeProvider"/> instance).</summary>
    public static IdleWheel For(TimeProvider time)
        => ReferenceEquals(time, TimeProvider.System) ? SystemWheel : Wheels.GetValue(time, static t => new IdleWheel(t));

    /// <summary>The streams on the wheel now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Now, in the wheel's units (milliseconds on the system clock, else the provider's timestamps).</summary>
    public long Now() => _coarse ? Environment.TickCount64 : _time.GetTimestamp();

    /// <summary>A timeout in the wheel's units.</summary>
    public long Ticks(TimeSpan timeout)
    {
        if (_coarse)
        {
            return (long)Math.Ceiling(timeout.TotalMilliseconds);
        }

        long frequency = _time.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond ? timeout.Ticks : (long)Math.Ceiling(timeout.TotalSeconds * frequency);
    }

    /// <summary>Puts a stream on the wheel; its silence is checked from its <see cref="EventStreamReader.IdleTimer.DueAt"/>.</summary>
    public void Add(EventStreamReader.IdleTimer entry)
    {
        lock (_lock)
        {
            entry.Prev = null;
            entry.Next = _head;
            if (_head is not null)
            {
                _head.Prev = entry;
            }

            _head = entry;
            entry.Listed = true;
            _count++;
            long due = entry.DueAt(Now());
            if (due < _armedAt)
            {
                Arm(due);
            }
        }
    }

    /// <summary>Takes a stream off the wheel (it ended); nothing when it is not on it (it fired, or was removed).</summary>
    public void Remove(EventStreamReader.IdleTimer entry)
    {
        lock (_lock)
        {
            if (entry.Listed)
            {
                Unlink(entry);
            }
        }
    }

    private void Unlink(EventStreamReader.IdleTimer entry)
    {
        if (entry.Prev is null)
        {
            _head = entry.Next;
        }
        else
        {
            entry.Prev.Next = entry.Next;
        }

        if (entry.Next is not null)
        {
            entry.Next.Prev = entry.Prev;
        }

        entry.Prev = null;
        entry.Next = null;
        entry.Listed = false;
        _count--;
    }

    // under the lock
    private void Arm(long due)
    {
        _armedAt = due;
        _timer ??= _time.CreateTimer(static s => ((IdleWheel)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        long wait = due - Now();
        _timer.Change(wait <= 0 ? TimeSpan.Zero : Span(wait), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        EventStreamReader.IdleTimer? fired = null;
        lock (_lock)
        {
            _armedAt = long.MaxValue;
            long now = Now();
            long next = long.MaxValue;
            for (var entry = _head; entry is not null;)
            {
                var following = entry.Next;
                if (entry.Expired(now, out long due))
                {
                    Unlink(entry);
                    entry.Next = fired; // off the list: the link is free for the list of fired entries
                    fired = entry;
                }
                else if (due < next)
                {
                    next = due;
                }

                entry = following;
            }

            if (next != long.MaxValue)
            {
                Arm(next);
            }
        }

        // outside the lock: firing aborts a connection, whose failing read may end its stream on this thread
        while (fired is not null)
        {
            var entry = fired;
            fired = entry.Next;
            entry.Next = null;
            entry.Fire();
        }
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
