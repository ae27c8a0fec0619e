using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A session store in memory (the default): fast, gone when the process ends. Hands out copies. No global lock: each
/// session has its own, held only while one of its runs is added or copied.
/// </summary>
public sealed class InMemoryAgentOSSessionStore : IAgentOSSessionStore
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>How many sessions are stored.</summary>
    public int Count => _sessions.Count;

    /// <inheritdoc />
    public ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, bool includeRuns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!_sessions.TryGetValue(sessionId, out var entry))
        {
            return ValueTask.FromResult<AgentOSSession?>(null);
        }

        lock (entry)
        {
            var copy = entry.Header.CloneWithoutRuns();
            if (includeRuns)
            {
                copy.Runs = entry.Runs.ConvertAll(r => r.Clone());
            }

            return ValueTask.FromResult<AgentOSSession?>(entry.Deleted ? null : copy);
        }
    }

    /// <inheritdoc />
    public ValueTask<AgentOSStoredRun?> GetRunAsync(string sessionId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(runId);
        if (!_sessions.TryGetValue(sessionId, out var entry))
        {
            return ValueTask.FromResult<AgentOSStoredRun?>(null);
        }

        lock (entry)
        {
            return ValueTask.FromResult(entry.Runs.Find(r => r.RunId == runId)?.Clone());
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentOSStoredRun>> GetRunsAsync(string sessionId, AgentOSRunQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!_sessions.TryGetValue(sessionId, out var entry))
        {
            return ValueTask.FromResult<IReadOnlyList<AgentOSStoredRun>>([]);
        }

        List<AgentOSStoredRun> matches;
        lock (entry)
        {
            matches = entry.Runs.FindAll(r => (query?.ComponentId is null || r.ComponentId == query.ComponentId) && (query?.Status is null || r.Status == query.Status));
        }

        if (query?.Last is { } last && matches.Count > Math.Max(0, last))
        {
            matches = matches.GetRange(matches.Count - Math.Max(0, last), Math.Max(0, last));
        }

        return ValueTask.FromResult<IReadOnlyList<AgentOSStoredRun>>(matches.ConvertAll(r => r.Clone()));
    }

    /// <inheritdoc />
    public ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var header = session.CloneWithoutRuns();
        Update(session.SessionId, entry => entry.Header = header, header);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SaveRunAsync(AgentOSSession session, AgentOSStoredRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(run);
        var header = session.CloneWithoutRuns();
        var copy = run.Clone();
        var summary = copy.ToSummary();
        Update(session.SessionId, entry =>
        {
            entry.Header = header;
            int index = entry.Runs.FindIndex(r => r.RunId == copy.RunId);
            if (index >= 0)
            {
                entry.Runs[index] = copy;
                entry.Summaries[index] = summary;
            }
            else
            {
                entry.Runs.Add(copy);
                entry.Summaries.Add(summary);
            }
        }, header);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!_sessions.TryRemove(sessionId, out var entry))
        {
            return ValueTask.FromResult(false);
        }

        lock (entry)
        {
            entry.Deleted = true; // a save racing with the delete starts a new session instead of writing into this one
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = new List<(AgentOSSession Header, long Sequence, Entry Entry)>(_sessions.Count);
        foreach (var entry in _sessions.Values)
        {
            var h = entry.Header; // replaced, never changed in place: reading it needs no lock
            if ((query.SessionType is null || h.SessionType == query.SessionType)
                && (query.ComponentId is null || h.ComponentId == query.ComponentId)
                && (query.UserId is null || h.UserId == query.UserId)
                && (query.SessionName is null || (h.SessionName?.Contains(query.SessionName, StringComparison.OrdinalIgnoreCase) ?? false)))
            {
                snapshot.Add((h, entry.Sequence, entry));
            }
        }

        var list = Sort(snapshot, query).ToList();
        int limit = Math.Max(1, query.Limit);
        int page = Math.Max(1, query.Page);
        var slice = list.Skip((page - 1) * limit).Take(limit).Select(e =>
        {
            List<AgentOSRunSummary> runs;
            lock (e.Entry)
            {
                runs = e.Entry.Summaries.ConvertAll(s => s.Clone());
            }

            return new AgentOSSessionSummary { Session = e.Header.CloneWithoutRuns(), Runs = runs };
        }).ToList();
        return ValueTask.FromResult(new AgentOSSessionPage(slice, list.Count));
    }

    /// <summary>Applies a change to a session's entry under its lock, creating it when there is none (or it was just deleted).</summary>
    private void Update(string sessionId, Action<Entry> change, AgentOSSession header)
    {
        while (true)
        {
            var entry = _sessions.GetOrAdd(sessionId, _ => new Entry(header, Interlocked.Increment(ref _sequence)));
            lock (entry)
            {
                if (!entry.Deleted)
                {
                    change(entry);
                    return;
                }
            }

            _ = _sessions.TryRemove(new KeyValuePair<string, Entry>(sessionId, entry));
        }
    }

    /// <summary>Sorts on whole seconds (as AgentOS stores times); ties keep the order the sessions were created in.</summary>
    private static IEnumerable<(AgentOSSession Header, long Sequence, Entry Entry)> Sort(IEnumerable<(AgentOSSession Header, long Sequence, Entry Entry)> sessions, AgentOSSessionQuery query)
    {
        var ordered = query.SortBy switch
        {
            "session_name" => query.SortDescending
                ? sessions.OrderByDescending(e => e.Header.SessionName ?? string.Empty, StringComparer.Ordinal)
                : sessions.OrderBy(e => e.Header.SessionName ?? string.Empty, StringComparer.Ordinal),
            "updated_at" => query.SortDescending ? sessions.OrderByDescending(e => e.Header.UpdatedAt.ToUnixTimeSeconds()) : sessions.OrderBy(e => e.Header.UpdatedAt.ToUnixTimeSeconds()),
            _ => query.SortDescending ? sessions.OrderByDescending(e => e.Header.CreatedAt.ToUnixTimeSeconds()) : sessions.OrderBy(e => e.Header.CreatedAt.ToUnixTimeSeconds()),
        };
        return ordered.ThenBy(e => e.Sequence);
    }

    /// <summary>A session: its own fields (replaced on every save, never changed in place) and its runs with their summaries.</summary>
    private sealed class Entry(AgentOSSession header, long sequence)
    {
        public AgentOSSession Header { get; set; } = header;

        public long Sequence { get; } = sequence;

        public List<AgentOSStoredRun> Runs { get; } = [];

        public List<AgentOSRunSummary> Summaries { get; } = [];

        public bool Deleted { get; set; }
    }
}
