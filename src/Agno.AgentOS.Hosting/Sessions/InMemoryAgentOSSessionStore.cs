using System.Collections.Concurrent;

namespace Agno.AgentOS.Hosting;

/// <summary>A session store in memory (the default): fast, gone when the process ends. Hands out copies.</summary>
public sealed class InMemoryAgentOSSessionStore : IAgentOSSessionStore
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>How many sessions are stored.</summary>
    public int Count => _sessions.Count;

    /// <inheritdoc />
    public ValueTask<AgentOSSession?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return ValueTask.FromResult(_sessions.TryGetValue(sessionId, out var e) ? e.Session.Clone() : null);
    }

    /// <inheritdoc />
    public ValueTask SaveSessionAsync(AgentOSSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var copy = session.Clone();
        _sessions.AddOrUpdate(session.SessionId, _ => new Entry(copy, Interlocked.Increment(ref _sequence)), (_, old) => new Entry(copy, old.Sequence));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return ValueTask.FromResult(_sessions.TryRemove(sessionId, out _));
    }

    /// <inheritdoc />
    public ValueTask<AgentOSSessionPage> ListSessionsAsync(AgentOSSessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        IEnumerable<Entry> matches = _sessions.Values.Where(e =>
            (query.SessionType is null || e.Session.SessionType == query.SessionType)
            && (query.ComponentId is null || e.Session.ComponentId == query.ComponentId)
            && (query.UserId is null || e.Session.UserId == query.UserId)
            && (query.SessionName is null || (e.Session.SessionName?.Contains(query.SessionName, StringComparison.OrdinalIgnoreCase) ?? false)));
        var list = Sort(matches, query).ToList();
        int limit = Math.Max(1, query.Limit);
        int page = Math.Max(1, query.Page);
        var slice = list.Skip((page - 1) * limit).Take(limit).Select(e => e.Session.Clone()).ToList();
        return ValueTask.FromResult(new AgentOSSessionPage(slice, list.Count));
    }

    /// <summary>Sorts on whole seconds (as AgentOS stores times); ties keep the order the sessions were created in.</summary>
    private static IEnumerable<Entry> Sort(IEnumerable<Entry> sessions, AgentOSSessionQuery query)
    {
        IOrderedEnumerable<Entry> ordered = query.SortBy switch
        {
            "session_name" => query.SortDescending
                ? sessions.OrderByDescending(e => e.Session.SessionName ?? string.Empty, StringComparer.Ordinal)
                : sessions.OrderBy(e => e.Session.SessionName ?? string.Empty, StringComparer.Ordinal),
            "updated_at" => query.SortDescending ? sessions.OrderByDescending(e => e.Session.UpdatedAt.ToUnixTimeSeconds()) : sessions.OrderBy(e => e.Session.UpdatedAt.ToUnixTimeSeconds()),
            _ => query.SortDescending ? sessions.OrderByDescending(e => e.Session.CreatedAt.ToUnixTimeSeconds()) : sessions.OrderBy(e => e.Session.CreatedAt.ToUnixTimeSeconds()),
        };
        return ordered.ThenBy(e => e.Sequence);
    }

    private sealed record Entry(AgentOSSession Session, long Sequence);
}
