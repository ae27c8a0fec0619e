namespace Agno.Extensions.AI.Internal;

/// <summary>
/// The paused runs this client returned, by run id, so answering them needs no extra call: a bounded LRU (the least
/// recently used run goes first); a run not found here is fetched from the server. It keeps its own deep copies:
/// <see cref="Set"/> copies the run (whose objects the caller got as <c>RawRepresentation</c>) and <see cref="Get"/>
/// returns a copy to apply answers to, so concurrent answers never share, and never change, the stored run.
/// </summary>
internal sealed class PausedRunCache
{
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<PausedRun>> _runs = new(StringComparer.Ordinal);
    private readonly LinkedList<PausedRun> _order = new(); // most recently used first
    private readonly Lock _gate = new();

    public PausedRunCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>The number of runs kept.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _runs.Count;
            }
        }
    }

    /// <summary>The entries of the eviction order: always <see cref="Count"/>, as removing a run removes it there too.</summary>
    public int OrderCount
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>Keeps a copy of <paramref name="run"/> (replacing the one of the same id) as the most recently used.</summary>
    public void Set(PausedRun run)
    {
        var copy = run.Clone();
        lock (_gate)
        {
            if (_runs.TryGetValue(copy.RunId, out var node))
            {
                node.Value = copy;
                _order.Remove(node);
                _order.AddFirst(node);
                return;
            }

            _runs[copy.RunId] = _order.AddFirst(copy);
            while (_runs.Count > _capacity)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _runs.Remove(oldest.Value.RunId);
            }
        }
    }

    /// <summary>A copy of the run (to apply answers to), marked as the most recently used; null when not kept.</summary>
    public PausedRun? Get(string runId)
    {
        PausedRun stored;
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            stored = node.Value;
        }

        // The stored copy is never changed, so it can be copied outside the lock.
        return stored.Clone();
    }

    /// <summary>Forgets a run.</summary>
    public void Remove(string runId)
    {
        lock (_gate)
        {
            if (_runs.Remove(runId, out var node))
            {
                _order.Remove(node);
            }
        }
    }
}
