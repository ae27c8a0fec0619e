using System.Text.Json.Nodes;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>The single-session routes, as a caller that names a user sees them.</summary>
internal static class SessionRoutes
{
    /// <summary>
    /// Asserts that each single-session route (read as an agent session or of any type, its runs, one run, rename,
    /// update) answers AgentOS's 404 for that session and run when <paramref name="user"/> asks (not theirs).
    /// </summary>
    public static async Task AssertNotFoundForAsync(HttpClient http, string sessionId, string runId, string user)
    {
        Assert.Equal($"Agent Session with id '{sessionId}' not found", await NotFoundAsync(await http.GetAsync($"sessions/{sessionId}?type=agent&user_id={user}")));
        Assert.Equal($"Session with id '{sessionId}' not found", await NotFoundAsync(await http.GetAsync($"sessions/{sessionId}?user_id={user}")));
        Assert.Equal($"Session with ID {sessionId} not found", await NotFoundAsync(await http.GetAsync($"sessions/{sessionId}/runs?user_id={user}")));
        Assert.Equal($"Session with ID {sessionId} not found", await NotFoundAsync(await http.GetAsync($"sessions/{sessionId}/runs/{runId}?user_id={user}")));
        Assert.Equal($"Session with id '{sessionId}' not found", await NotFoundAsync(await http.PostAsync($"sessions/{sessionId}/rename?user_id={user}", Json(new JsonObject { ["session_name"] = "pwned" }))));
        Assert.Equal($"Session with id '{sessionId}' not found", await NotFoundAsync(await http.PatchAsync($"sessions/{sessionId}?user_id={user}", Json(new JsonObject { ["session_name"] = "pwned", ["session_state"] = new JsonObject { ["x"] = 1 } }))));
    }
}
