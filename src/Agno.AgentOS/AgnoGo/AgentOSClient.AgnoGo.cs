using System.Runtime.CompilerServices;
using Agno.AgentOS.Internal;
using Agno.AgentOS.Internal.AgnoGo;

namespace Agno.AgentOS;

// The agno-go dialect: the same members, routed to agno-go's AgentOS when the server speaks it.
public partial class AgentOSClient
{
    /// <summary>
    /// The dialect the server speaks: <see cref="AgentOSClientOptions.Dialect"/>, or in <see cref="AgentOSDialect.Auto"/>
    /// mode the one detected from <c>GET /health</c> (on the first call that needs it; concurrent callers share it).
    /// </summary>
    /// <param name="cancellationToken">Cancels this caller's wait (a shared detection goes on for the others).</param>
    /// <returns><see cref="AgentOSDialect.Python"/> or <see cref="AgentOSDialect.AgnoGo"/>.</returns>
    public virtual Task<AgentOSDialect> GetDialectAsync(CancellationToken cancellationToken = default)
        => Pipeline.Dialect.GetAsync(cancellationToken);

    /// <summary>
    /// agno-go only: a session's history (<c>GET /api/v1/sessions/{id}/history</c>), its messages and runs.
    /// </summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="numMessages">Only the last this many messages.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history.</returns>
    /// <exception cref="AgentOSNotSupportedException">The server speaks the Python dialect (use <see cref="GetSessionAsync"/> and <see cref="GetSessionRunsAsync"/>).</exception>
    /// <exception cref="AgentOSNotFoundException">No such session.</exception>
    public virtual async Task<AgnoGoSessionHistory> GetAgnoGoSessionHistoryAsync(string sessionId, int? numMessages = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(sessionId, nameof(sessionId));
        var go = await AgnoGoAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new AgentOSNotSupportedException("The session history route is agno-go's; on agno's Python AgentOS use GetSessionAsync (chat history) and GetSessionRunsAsync.")
            {
                Dialect = AgentOSDialect.Python,
                Operation = "agno-go session history",
            };
        return await go.GetHistoryAsync(sessionId, numMessages, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>False when the dialect is known to be Python: the Python paths run exactly as they always did.</summary>
    private bool MayBeAgnoGo => Pipeline.Dialect.Known != AgentOSDialect.Python;

    // The members below run when the dialect may be agno-go (fixed, or Auto): the agno-go operation on an agno-go server
    // (after the shared detection in Auto mode), else the Python request the public member sends when it knows the
    // dialect is Python. They live here so that a Python call allocates nothing for them.

    private async Task<OSConfig> GetConfigInDialectAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go
            ? await go.GetConfigAsync(options, cancellationToken).ConfigureAwait(false)
            : await Pipeline.SendJsonAsync(HttpMethod.Get, "config", null, AgentOSJsonContext.Default.OSConfig, options, cancellationToken).ConfigureAwait(false);

    private async Task<AgentDetails> GetAgentInDialectAsync(string agentId, string pythonPath, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go
            ? await go.GetAgentAsync(agentId, options, cancellationToken).ConfigureAwait(false)
            : await Pipeline.SendJsonAsync(HttpMethod.Get, pythonPath, null, AgentOSJsonContext.Default.AgentDetails, options, cancellationToken).ConfigureAwait(false);

    private async Task<Page<SessionInfo>> ListSessionsInDialectAsync(SessionQuery query, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go
            ? await go.ListSessionsAsync(query, options, cancellationToken).ConfigureAwait(false)
            : await ListSessionsPythonAsync(query, options, cancellationToken).ConfigureAwait(false);

    private async Task<SessionDetails> GetSessionInDialectAsync(string sessionId, string pythonPath, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go
            ? await go.GetSessionAsync(sessionId, options, cancellationToken).ConfigureAwait(false)
            : await Pipeline.SendJsonAsync(HttpMethod.Get, pythonPath, null, AgentOSJsonContext.Default.SessionDetails, options, cancellationToken).ConfigureAwait(false);

    private async Task DeleteSessionInDialectAsync(string sessionId, string pythonPath, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            await go.DeleteSessionAsync(sessionId, options, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Pipeline.SendNoContentAsync(HttpMethod.Delete, pythonPath, null, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The agno-go operations when the server speaks agno-go (after the shared detection in Auto mode), else null.</summary>
    private ValueTask<AgnoGoOperations?> AgnoGoAsync(CancellationToken cancellationToken)
    {
        var pipeline = Pipeline;
        var dialect = pipeline.Dialect;
        if (dialect.Known is { } known)
        {
            return new ValueTask<AgnoGoOperations?>(known == AgentOSDialect.AgnoGo ? pipeline.AgnoGo : null);
        }

        return Slow(pipeline, cancellationToken);

        static async ValueTask<AgnoGoOperations?> Slow(AgentOSPipeline pipeline, CancellationToken cancellationToken)
            => await pipeline.Dialect.IsAgnoGoAsync(cancellationToken).ConfigureAwait(false) ? pipeline.AgnoGo : null;
    }

    /// <summary>
    /// A streamed agent run in the server's dialect: the Python stream as before when the dialect is Python; agno-go's
    /// when it is agno-go; in Auto mode the choice is made (after the shared detection) on the first MoveNextAsync.
    /// </summary>
    private IAsyncEnumerable<AgentOSEvent>? AgnoGoStreamOrNull(ComponentKind kind, string id, RunRequest request, bool background, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        var dialect = Pipeline.Dialect;
        if (dialect.Known == AgentOSDialect.Python)
        {
            return null;
        }

        if (dialect.Known == AgentOSDialect.AgnoGo)
        {
            return AgnoGoStream(kind, id, request, background, options, cancellationToken);
        }

        return Deferred(this, kind, id, request, background, options, cancellationToken);

        static async IAsyncEnumerable<AgentOSEvent> Deferred(AgentOSClient self, ComponentKind kind, string id, RunRequest request, bool background, AgentOSRequestOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var events = await self.Pipeline.Dialect.IsAgnoGoAsync(cancellationToken).ConfigureAwait(false)
                ? self.AgnoGoStream(kind, id, request, background, options, cancellationToken)
                : self.RunStreamingPython(kind, id, request, background, options, cancellationToken);
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
    }

    private IAsyncEnumerable<AgentOSEvent> AgnoGoStream(ComponentKind kind, string id, RunRequest request, bool background, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (kind != ComponentKind.Agent)
        {
            throw DialectState.NotSupported(kind == ComponentKind.Team ? "teams" : "workflows", $"streamed {kind.ToString().ToLowerInvariant()} runs");
        }

        if (background)
        {
            throw DialectState.NotSupported("background runs");
        }

        return Pipeline.AgnoGo.RunStreamingAsync(id, request, options, cancellationToken);
    }

    /// <summary>Checks the agno-go options (called by <see cref="Validate"/>).</summary>
    private static void ValidateAgnoGo(AgentOSClientOptions options)
    {
        if (options.Dialect is not (AgentOSDialect.Python or AgentOSDialect.AgnoGo or AgentOSDialect.Auto)) // not Enum.IsDefined: no enum metadata read in every client's constructor
        {
            throw new ArgumentException($"AgentOSClientOptions.Dialect {(int)options.Dialect} is not a dialect (Python, AgnoGo or Auto).", nameof(options));
        }

        string? api = options.AgnoGoApiPath?.Trim().Trim('/');
        if (string.IsNullOrEmpty(api) || api.Contains('?', StringComparison.Ordinal) || api.Contains('#', StringComparison.Ordinal) || api.Contains("//", StringComparison.Ordinal) || HasDotSegment(api))
        {
            throw new ArgumentException($"AgentOSClientOptions.AgnoGoApiPath must be a relative path such as 'api/v1'; got '{options.AgnoGoApiPath}'.", nameof(options));
        }
    }

    /// <summary>Whether a path has a <c>.</c> or <c>..</c> segment (a loop, not LINQ: every client's constructor runs it).</summary>
    private static bool HasDotSegment(string path)
    {
        foreach (string segment in path.Split('/'))
        {
            if (segment is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
