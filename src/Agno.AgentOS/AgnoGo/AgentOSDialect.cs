namespace Agno.AgentOS;

/// <summary>
/// Which AgentOS protocol a server speaks: agno's Python AgentOS, or the AgentOS of agno-go (the Go port,
/// <c>pkg/agentos</c>: <c>/api/v1</c> routes, JSON bodies, its own SSE events). Set with
/// <see cref="AgentOSClientOptions.Dialect"/>.
/// </summary>
public enum AgentOSDialect
{
    /// <summary>agno's Python AgentOS (agno 2.9 and 3.x). The default: nothing is detected, no extra request is made.</summary>
    Python = 0,

    /// <summary>agno-go's AgentOS. Operations it has no route for throw <see cref="AgentOSNotSupportedException"/> before any request.</summary>
    AgnoGo = 1,

    /// <summary>
    /// Detected once, on the client's first call, from <c>GET /health</c> (agno-go answers
    /// <c>"service": "agentos"</c>; anything else, or a 404, is the Python dialect), then cached for the client's lifetime.
    /// Against a Python server this costs one <c>GET /health</c> per client (concurrent first calls share it); a detection
    /// that fails (server unreachable, 5xx) is not cached and fails the call that needed it.
    /// </summary>
    Auto = 2,
}
