using System.Collections.Concurrent;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Keeps background runs' events in this process (the default): resume works on this instance only, and the events
/// are lost on restart. At most <see cref="MaxEventsPerRun"/> events per run (the oldest dropped first).
/// </summary>
public sealed class InMemoryAgentOSRunEventStore : IAgentOSRunEventStore
{
    /// <summary>The default number of events kept per run: 10,000.</summary>
    public const int DefaultMaxEventsPerRun = 10_000;

    private readonly ConcurrentDictionary<string, Log> _logs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a store.</summary>
    /// <param name="maxEventsPerRun">How many events are kept per run.</param>
    /// <param name="timeProvider">The clock of <see cref="AgentOSRunEventStream.UpdatedAt"/> (the system clock by default).</param>
    public InMemoryAgentOSRunEventStore(int maxEventsPerRun = DefaultMaxEventsPerRun, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventsPerRun, 1);
        MaxEventsPerRun = maxEventsPerRun;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many events are kept per run.</summary>
    public int MaxEventsPerRun { get; }

    /// <summary>How many runs' streams are kept.</summary>
    public int Count => _logs.Count;

    /// <inheritdoc />
    public ValueTask OpenAsync(AgentOSRunEventStream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var log = new Log(stream with { Status = null, UpdatedAt = _time.GetUtcNow() });
        if (_logs.TryGetValue(stream.RunId, out var old))
        {
            old.Wake();
        }

        _logs[stream.RunId] = log;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(string runId, AgentOSRunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (_logs.TryGetValue(runId, out var log))
        {
            TaskCompletionSource woken;
            lock (log)
            {
                log.Events.Enqueue(runEvent);
                log.LastIndex = Math.Max(log.LastIndex, runEvent.Index);
                while (log.Events.Count > MaxEventsPerRun)
                {
                    log.Events.Dequeue();
                }

                log.Stream = log.Stream with { UpdatedAt = _time.GetUtcNow() };
                woken = log.Swap();
            }

            woken.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FinishAsync(string runId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(status);
        if (_logs.TryGetValue(runId, out var log))
        {
            TaskCompletionSource woken;
            lock (log)
            {
                log.Stream = log.Stream with { Status = status, UpdatedAt = _time.GetUtcNow() };
                woken = log.Swap();
            }

            woken.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<AgentOSRunEventSlice?> ReadAsync(string runId, int afterIndex, CancellationToken cancellationToken = default)
    {
        if (!_logs.TryGetValue(runId, out var log))
        {
            return ValueTask.FromResult<AgentOSRunEventSlice?>(null);
        }

        lock (log)
        {
            var events = log.Events.Where(e => e.Index > afterIndex).ToList();
            return ValueTask.FromResult<AgentOSRunEventSlice?>(new AgentOSRunEventSlice(log.Stream, events, log.Events.Count, log.LastIndex));
        }
    }

    /// <inheritdoc />
    public ValueTask WaitForEventsAsync(string runId, int afterIndex, CancellationToken cancellationToken = default)
    {
        if (!_logs.TryGetValue(runId, out var log))
        {
            return ValueTask.CompletedTask;
        }

        Task changed;
        lock (log)
        {
            if (log.LastIndex > afterIndex || log.Stream.IsFinished || log.Removed)
            {
                return ValueTask.CompletedTask;
            }

            changed = log.Changed.Task;
        }

        return new ValueTask(changed.WaitAsync(cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset idleSince, CancellationToken cancellationToken = default)
    {
        int removed = 0;
        foreach (var (runId, log) in _logs)
        {
            bool idle;
            lock (log)
            {
                idle = log.Stream.UpdatedAt < idleSince;
            }

            if (idle && _logs.TryRemove(new KeyValuePair<string, Log>(runId, log)))
            {
                log.Wake();
                removed++;
            }
        }

        return ValueTask.FromResult(removed);
    }

    private sealed class Log(AgentOSRunEventStream stream)
    {
        public AgentOSRunEventStream Stream { get; set; } = stream;

        public Queue<AgentOSRunEvent> Events { get; } = new();

        public int LastIndex { get; set; } = -1;

        public bool Removed { get; private set; }

        public TaskCompletionSource Changed { get; private set; } = NewSignal();

        /// <summary>Replaces the signal (under the lock) and returns the old one, to complete outside the lock.</summary>
        public TaskCompletionSource Swap()
        {
            var old = Changed;
            Changed = NewSignal();
            return old;
        }

        public void Wake()
        {
            TaskCompletionSource woken;
            lock (this)
            {
                Removed = true;
                woken = Swap();
            }

            woken.TrySetResult();
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
