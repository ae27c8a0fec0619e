using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Sessions. Minimal for now: deleting a session (what Agno.SemanticKernel's AgentOSAgentThread.DeleteAsync
// needs). The full sessions API (list, get, create, rename, runs) is to come under its own issue.
public partial class AgentOSClient
{
    /// <summary><c>DELETE /sessions/{sessionId}</c>: deletes a session and its runs (204).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="type">The session's type, sent as the <c>type</c> query parameter when given.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server deleted the session.</returns>
    /// <exception cref="AgentOSNotFoundException">No such session.</exception>
    public virtual Task DeleteSessionAsync(string sessionId, SessionType? type = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery("sessions/" + Paths.Segment(sessionId, nameof(sessionId)), ("type", type?.ToQueryValue()));
        return Pipeline.SendNoContentAsync(HttpMethod.Delete, path, null, options, cancellationToken);
    }
}

/// <summary>The type of a session: the kind of component it belongs to (query parameter <c>type</c>).</summary>
public enum SessionType
{
    /// <summary>An agent session (<c>agent</c>).</summary>
    Agent,

    /// <summary>A team session (<c>team</c>).</summary>
    Team,

    /// <summary>A workflow session (<c>workflow</c>).</summary>
    Workflow,
}

internal static class SessionTypeExtensions
{
    public static string ToQueryValue(this SessionType type) => type switch
    {
        SessionType.Team => "team",
        SessionType.Workflow => "workflow",
        _ => "agent",
    };
}
