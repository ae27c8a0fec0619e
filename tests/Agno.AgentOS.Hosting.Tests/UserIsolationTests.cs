using System.Net;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// A session belongs to its user: every single-session route looks it up by id and, when the caller names a user, by
/// that user too, as AgentOS does (another user's session is not found; a delete of it deletes nothing).
/// </summary>
public sealed class UserIsolationTests
{
    [Fact]
    public async Task Another_users_session_is_not_found_on_any_single_session_route()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = host.CreateHttpClient();
        var run = await host.CreateClient().RunAgentAsync("echo-agent", new RunRequest("alice's secret") { SessionId = "alice-s", UserId = "alice" });

        await SessionRoutes.AssertNotFoundForAsync(http, "alice-s", run.RunId!, "bob");
        using var deleted = await http.DeleteAsync("sessions/alice-s?user_id=bob");
        using var bulk = await http.DeleteSessionsAsync("sessions?user_id=bob", "alice-s");
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (deleted.StatusCode, bulk.StatusCode));

        // alice's session is untouched, and alice (or an unscoped caller, as in AgentOS) still finds it
        var own = JsonNode.Parse(await http.GetStringAsync("sessions/alice-s?type=agent&user_id=alice"))!;
        var unscoped = JsonNode.Parse(await http.GetStringAsync("sessions/alice-s/runs"))!.AsArray();
        Assert.Equal(("alice's secret", "alice"), (own["session_name"]!.GetValue<string>(), own["user_id"]!.GetValue<string>()));
        Assert.False(own.AsObject().ContainsKey("session_state") && own["session_state"]!.AsObject().ContainsKey("x"));
        Assert.Equal(run.RunId, Assert.Single(unscoped)!["run_id"]!.GetValue<string>());
        using var renamedByOwner = await http.PostAsync("sessions/alice-s/rename?user_id=alice", Json(new JsonObject { ["session_name"] = "mine" }));
        using var deletedByOwner = await http.DeleteAsync("sessions/alice-s?user_id=alice");
        using var gone = await http.GetAsync("sessions/alice-s");
        Assert.Equal(HttpStatusCode.OK, renamedByOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deletedByOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_run_of_another_user_in_a_session_sees_none_of_its_history_and_does_not_change_it()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        using var http = host.CreateHttpClient();
        await client.RunAgentAsync("echo-agent", new RunRequest("alice one") { SessionId = "shared-id", UserId = "alice", SessionState = new JsonObject { ["alice_secret"] = 42 } });

        var bob = await client.RunAgentAsync("echo-agent", new RunRequest("bob here") { SessionId = "shared-id", UserId = "bob" });
        var alice = await client.RunAgentAsync("echo-agent", new RunRequest("alice two") { SessionId = "shared-id", UserId = "alice" });
        var runs = JsonNode.Parse(await http.GetStringAsync("sessions/shared-id/runs?user_id=alice"))!.AsArray();

        Assert.Equal("Echo: bob here (turn 1)", bob.Content);                              // no history of alice's
        Assert.DoesNotContain(bob.Messages!, m => m.Content?.Contains("alice", StringComparison.Ordinal) == true);
        Assert.False(bob.SessionState?.ContainsKey("alice_secret") ?? false);
        Assert.Equal("Echo: alice two (turn 2)", alice.Content);                         // alice's history intact
        Assert.Equal(["alice one", "alice two"], runs.Select(r => r!["run_input"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Another_user_cannot_continue_a_paused_run()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var paused = await client.RunAgentAsync("tool-agent", new RunRequest("delete rec-1") { SessionId = "alice-hitl", UserId = "alice" });
        Assert.Equal(RunStatus.Paused, paused.Status);

        using var http = host.CreateHttpClient();
        var tools = paused.Tools!.Select(t => t.ToolCallId).ToList();
        var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tools"] = new JsonArray(tools.Select(id => (JsonNode?)new JsonObject { ["tool_call_id"] = id, ["confirmed"] = true }).ToArray()).ToJsonString(),
            ["session_id"] = "alice-hitl",
            ["user_id"] = "bob",
            ["stream"] = "false",
        });
        using var response = await http.PostAsync($"agents/tool-agent/runs/{paused.RunId}/continue", body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"No runs found for run ID {paused.RunId}", await DetailAsync(response)); // agno's RunNotFoundError
        var stored = await client.GetAgentRunAsync("tool-agent", paused.RunId!, "alice-hitl");
        Assert.Equal(RunStatus.Paused, stored.Status);
    }
}
