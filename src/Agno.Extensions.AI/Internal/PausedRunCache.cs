namespace Agno.Extensions.AI.Internal;

/// <summary>
/// The paused runs this client returned, by run id, so answering them needs no extra call. Bounded: the oldest
/// entry goes first; a run not found here is fetched from the server.
/// </summary>
internal sealed class PausedRunCache
{
    private readonly int _capacity;
    private readonly Dictionary<string, PausedRun> _runs = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    public PausedRunCache(int capacity) => _capacity = capacity;

    public void Set(PausedRun run)
    {
        lock (_gate)
        {
            if (!_runs.ContainsKey(run.RunId))
            {
                _order.Enqueue(run.RunId);
            }

            _runs[run.RunId] = run;
            while (_runs.Count > _capacity && _order.TryDequeue(out var oldest))
            {
                _runs.Remove(oldest);
            }
        }
    }

    public PausedRun? Get(string runId)
    {
        lock (_gate)
        {
            return _runs.GetValueOrDefault(runId);
        }
    }

    public void Remove(string runId)
    {
        lock (_gate)
        {
            _runs.Remove(runId);
        }
    }
}
