using System.Net;
using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class SessionTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task Sessions_are_listed_filtered_read_and_their_runs_fetched()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("040", "041", "042", "043", "044");
        using var client = TestSupport.Client(server);

        var byAgent = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, ComponentId = "echo-agent" });
        RequestAssert.Matches(Fixtures.Get("040"), server.Last);
        var all = await client.ListSessionsAsync(new SessionQuery { Limit = 50 });
        RequestAssert.Matches(Fixtures.Get("041"), server.Last);
        var session = await client.GetSessionAsync("fixture-session-1", SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("042"), server.Last);
        var runs = await client.GetSessionRunsAsync("fixture-session-1", SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("043"), server.Last);
        string secondRunId = TestSupport.RecordedPathSegment("044", 3);
        var run = await client.GetSessionRunAsync("fixture-session-1", secondRunId, SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("044"), server.Last);

        Assert.All(byAgent.Data, s => Assert.Equal("echo-agent", s.AgentId));
        Assert.Equal("agent", byAgent.Data[0].SessionType);
        Assert.Equal(byAgent.Data.Count, byAgent.Meta.TotalCount);
        Assert.Equal(1, byAgent.Meta.Page);
        Assert.Equal(50, all.Meta.Limit);
        Assert.Equal("fixture-user", session.UserId);
        Assert.Equal(45, session.TotalTokens);
        Assert.Equal(["first message", "Echo: first message (turn 1)"], session.ChatHistory!.Take(2).Select(m => m.Content));
        Assert.True(session.AdditionalProperties!.ContainsKey("agent_data"));
        Assert.Equal(3, runs.Count);
        Assert.Equal(secondRunId, run.RunId);
        Assert.Equal(runs[1].RunId, run.RunId);
        Assert.Equal("second message", run.RunInput);
    }

    [Fact]
    public async Task Team_and_workflow_sessions_have_their_own_shapes()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("062", "063", "072", "073");
        using var client = TestSupport.Client(server);

        var teams = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Team });
        RequestAssert.Matches(Fixtures.Get("062"), server.Last);
        var team = await client.GetSessionAsync("fixture-team-session", SessionType.Team);
        RequestAssert.Matches(Fixtures.Get("063"), server.Last);
        var workflows = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Workflow });
        RequestAssert.Matches(Fixtures.Get("072"), server.Last);
        var workflow = await client.GetSessionAsync("fixture-wf-session", SessionType.Workflow);
        RequestAssert.Matches(Fixtures.Get("073"), server.Last);

        Assert.All(teams.Data, s => Assert.Equal("team", s.SessionType));
        Assert.Equal("echo-team", team.TeamId);
        Assert.NotEmpty(team.ChatHistory!);
        Assert.All(workflows.Data, s => Assert.Equal("workflow", s.SessionType));
        Assert.Equal("echo-workflow", workflow.WorkflowId);
        Assert.True(workflow.AdditionalProperties!.ContainsKey("workflow_data"));
    }

    [Fact]
    public async Task A_session_is_created_renamed_deleted_and_then_gone()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("045", "046", "047", "048");
        using var client = TestSupport.Client(server);

        var created = await client.CreateSessionAsync(new CreateSessionRequest { SessionId = "fixture-session-del", SessionName = "to delete", AgentId = "echo-agent", UserId = "fixture-user" });
        RequestAssert.Matches(Fixtures.Get("045"), server.Last);
        var renamed = await client.RenameSessionAsync("fixture-session-del", "renamed", SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("046"), server.Last);
        await client.DeleteSessionAsync("fixture-session-del");
        RequestAssert.Matches(Fixtures.Get("047"), server.Last);
        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync("fixture-session-del", SessionType.Agent));
        RequestAssert.Matches(Fixtures.Get("048"), server.Last);

        Assert.Equal("to delete", created.SessionName);
        Assert.Equal("renamed", renamed.SessionName);
        Assert.Contains("not found", gone.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_errors_map_to_not_found_and_validation()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("109", "110", "196", "197");
        using var client = TestSupport.Client(server);

        var missing = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync("does-not-exist", SessionType.Agent));
        RequestAssert.Matches(Fixtures.Get("109"), server.Last);
        // 110 sent type=bogus, which SessionType cannot express: its answer is served to a typed request
        var badType = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ListSessionsAsync(new SessionQuery { Type = SessionType.Team }));
        // 196 sent lists of different lengths, which this API cannot build: same
        var mismatch = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.DeleteSessionsAsync(["a", "b"]));
        var badOrder = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, SortOrder = SortOrder.Ascending }));

        Assert.Equal("Agent Session with id 'does-not-exist' not found", missing.Detail);
        Assert.Equal("query.type", Assert.Single(badType.ValidationErrors).Location);
        Assert.Equal("Session IDs and session types must have the same length", mismatch.Detail);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal("query.sort_order", Assert.Single(badOrder.ValidationErrors).Location);
    }

    [Fact]
    public async Task Sessions_page_sort_patch_and_delete_many()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("190", "191", "192", "193", "194", "195");
        using var client = TestSupport.Client(server);

        var page2 = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "paging-user", Limit = 1, Page = 2 });
        RequestAssert.Matches(Fixtures.Get("190"), server.Last);
        var byName = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "paging-user", SortBy = "session_name", SortOrder = SortOrder.Ascending });
        RequestAssert.Matches(Fixtures.Get("191"), server.Last);
        var byCreated = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "paging-user", SortBy = "created_at", SortOrder = SortOrder.Ascending });
        RequestAssert.Matches(Fixtures.Get("192"), server.Last);
        var patched = await client.UpdateSessionAsync("fixture-page-0", new UpdateSessionRequest
        {
            SessionName = "charlie (renamed)",
            SessionState = new JsonObject { ["plan"] = "pro", ["counter"] = 3 },
            Metadata = new JsonObject { ["owner"] = "fixtures" },
            Summary = new JsonObject { ["summary"] = "Patched by the fixture recorder.", ["topics"] = new JsonArray("fixtures") },
        }, SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("193"), server.Last);
        await client.DeleteSessionsAsync(["fixture-page-1", "fixture-page-2"], SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("194"), server.Last);
        var after = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "paging-user" });
        RequestAssert.Matches(Fixtures.Get("195"), server.Last);

        Assert.Equal((2, 1, 3, 3), (page2.Meta.Page, page2.Meta.Limit, page2.Meta.TotalPages, page2.Meta.TotalCount));
        Assert.True(page2.HasNextPage);
        // the list keeps the server's order (agno 2.9.0 answered charlie, alpha, bravo here)
        Assert.Equal(["charlie", "alpha", "bravo"], byName.Data.Select(s => s.SessionName));
        Assert.Equal(byCreated.Data.OrderBy(s => s.CreatedAt).Select(s => s.SessionId), byCreated.Data.Select(s => s.SessionId));
        Assert.Equal("charlie (renamed)", patched.SessionName);
        Assert.Equal(3, (int)patched.SessionState!["counter"]!);
        Assert.Equal("fixture-page-0", Assert.Single(after.Data).SessionId);
    }

    [Fact]
    public async Task Sessions_enumerate_across_pages()
    {
        // The real server's paging (190: limit=1, page=2 of 3) served as three pages by hand.
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            int page = int.Parse(ctx.Request.Query["page"]!, System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(ctx.Response, $$$"""{"data":[{"session_id":"s{{{page}}}","session_type":"agent"}],"meta":{"page":{{{page}}},"limit":1,"total_pages":3,"total_count":3,"search_time_ms":0.0}}""");
        };
        using var client = TestSupport.Client(server);

        var ids = new List<string?>();
        await foreach (var s in client.EnumerateSessionsAsync(new SessionQuery { Limit = 1, UserId = "paging-user" }))
        {
            ids.Add(s.SessionId);
        }

        Assert.Equal(["s1", "s2", "s3"], ids);
        Assert.Equal(["?user_id=paging-user&limit=1&page=1", "?user_id=paging-user&limit=1&page=2", "?user_id=paging-user&limit=1&page=3"], server.Received.Select(r => r.Query));
    }

    [Fact]
    public async Task Session_state_merged_by_runs_is_visible_in_the_session()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("144");
        using var client = TestSupport.Client(server);

        var session = await client.GetSessionAsync("fixture-extras-session", SessionType.Agent);

        RequestAssert.Matches(Fixtures.Get("144"), server.Last);
        Assert.Equal("extras-user", session.UserId);
        Assert.Equal(2, (int)session.SessionState!["step"]!);
    }

    [Fact]
    public async Task Database_selection_is_sent_as_query_parameters()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(200, "application/json", """{"data":[],"meta":{"page":1,"limit":20,"total_pages":0,"total_count":0}}""");
        using var client = TestSupport.Client(server);

        await client.ListSessionsAsync(new SessionQuery { Database = new DatabaseSelector("db-2", "my_sessions") });
        await client.ListMemoriesAsync(new MemoryQuery { Topics = ["a", "b"], Database = new DatabaseSelector("db-3") });

        Assert.Equal("?db_id=db-2&table=my_sessions", server.Received[0].Query);
        Assert.Equal("?topics=a%2Cb&db_id=db-3", server.Received[1].Query);
    }
}

public abstract class MemoryMetricsEvalTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task Memories_are_created_listed_read_updated_and_deleted()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("050", "051", "052", "210", "211", "212", "213", "214", "215", "216", "217", "218", "219");
        using var client = TestSupport.Client(server);

        var empty = await client.ListMemoriesAsync();
        RequestAssert.Matches(Fixtures.Get("050"), server.Last);
        var first = await client.CreateMemoryAsync(new MemoryContent("The user likes fixtures") { UserId = "fixture-user", Topics = ["testing"] });
        RequestAssert.Matches(Fixtures.Get("051"), server.Last);
        var mine = await client.ListMemoriesAsync(new MemoryQuery { UserId = "fixture-user" });
        RequestAssert.Matches(Fixtures.Get("052"), server.Last);

        var tea = await client.CreateMemoryAsync(new MemoryContent("Likes green tea") { UserId = "memory-user", Topics = ["preferences", "drinks"] });
        RequestAssert.Matches(Fixtures.Get("210"), server.Last);
        var berlin = await client.CreateMemoryAsync(new MemoryContent("Works in Berlin") { UserId = "memory-user", Topics = TestTopics("211") });
        RequestAssert.Matches(Fixtures.Get("211"), server.Last);
        var cat = await client.CreateMemoryAsync(new MemoryContent("Has a cat named Mo") { UserId = "memory-user", Topics = TestTopics("212") });
        RequestAssert.Matches(Fixtures.Get("212"), server.Last);
        var read = await client.GetMemoryAsync(tea.MemoryId!, "memory-user");
        RequestAssert.Matches(Fixtures.Get("213"), server.Last);
        var updated = await client.UpdateMemoryAsync(tea.MemoryId!, new MemoryContent("Likes green tea, no sugar") { UserId = "memory-user", Topics = ["preferences"] });
        RequestAssert.Matches(Fixtures.Get("214"), server.Last);
        var topics = await client.GetMemoryTopicsAsync();
        RequestAssert.Matches(Fixtures.Get("215"), server.Last);
        var stats = await client.GetUserMemoryStatsAsync();
        RequestAssert.Matches(Fixtures.Get("216"), server.Last);
        await client.DeleteMemoryAsync(berlin.MemoryId!, "memory-user");
        RequestAssert.Matches(Fixtures.Get("217"), server.Last);
        await client.DeleteMemoriesAsync([tea.MemoryId!, cat.MemoryId!], "memory-user");
        RequestAssert.Matches(Fixtures.Get("218"), server.Last);
        var after = await client.ListMemoriesAsync(new MemoryQuery { UserId = "memory-user" });
        RequestAssert.Matches(Fixtures.Get("219"), server.Last);

        Assert.Empty(empty.Data);
        Assert.Equal(["testing"], first.Topics!);
        Assert.Equal(first.MemoryId, Assert.Single(mine.Data).MemoryId);
        Assert.Equal("Likes green tea", read.Memory);
        Assert.Equal("Likes green tea, no sugar", updated.Memory);
        Assert.True(updated.UpdatedAt > tea.UpdatedAt);
        Assert.Contains("preferences", topics);
        var stat = Assert.Single(stats.Data);
        Assert.Equal(("memory-user", 3), (stat.UserId!, stat.TotalMemories));
        Assert.Empty(after.Data);
        Assert.Equal(0, after.Meta.TotalCount);
    }

    [Fact]
    public async Task Metrics_are_read_and_refreshed_and_evals_listed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("220", "221", "222", "223", "224");
        using var client = TestSupport.Client(server);

        var metrics = await client.GetMetricsAsync();
        RequestAssert.Matches(Fixtures.Get("220"), server.Last);
        var refreshed = await client.RefreshMetricsAsync();
        RequestAssert.Matches(Fixtures.Get("221"), server.Last);
        var again = await client.GetMetricsAsync();
        RequestAssert.Matches(Fixtures.Get("222"), server.Last);
        var evals = await client.ListEvalRunsAsync();
        RequestAssert.Matches(Fixtures.Get("223"), server.Last);
        var missing = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetEvalRunAsync("00000000-0000-0000-0000-000000000000"));
        RequestAssert.Matches(Fixtures.Get("224"), server.Last);

        var day = metrics.Metrics[0];
        Assert.Equal(31, day.AgentRunsCount);
        Assert.Equal(735, day.TokenMetrics!.TotalTokens);
        Assert.NotNull(metrics.UpdatedAt);
        Assert.Equal(day.Id, refreshed[0].Id);
        Assert.NotEmpty(again.Metrics);
        Assert.Empty(evals.Data);
        Assert.Equal(0, evals.Meta.TotalPages);
        Assert.Contains("not found", missing.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evals_are_renamed_and_deleted_and_metrics_dates_are_sent()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            if (ctx.Request.Method == "DELETE") { ctx.Response.StatusCode = 204; return; }
            if (ctx.Request.Path.StartsWithSegments("/metrics")) { await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(ctx.Response, """{"metrics":[],"updated_at":null}"""); return; }
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(ctx.Response, """{"id":"e1","name":"renamed","eval_type":"accuracy","eval_data":{"score":1}}""");
        };
        using var client = TestSupport.Client(server);

        var renamed = await client.UpdateEvalRunAsync("e1", "renamed");
        await client.DeleteEvalRunsAsync(["e1", "e2"]);
        await client.GetMetricsAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 21));

        Assert.Equal("renamed", renamed.Name);
        Assert.Equal(("PATCH", "/eval-runs/e1", """{"name":"renamed"}"""), (server.Received[0].Method, server.Received[0].Path, System.Text.Encoding.UTF8.GetString(server.Received[0].Body)));
        Assert.Equal(("DELETE", """{"eval_run_ids":["e1","e2"]}"""), (server.Received[1].Method, System.Text.Encoding.UTF8.GetString(server.Received[1].Body)));
        Assert.Equal("?starting_date=2026-11-01&ending_date=2026-11-21", server.Received[2].Query);
    }

    private static List<string> TestTopics(string fixture)
        => JsonNode.Parse(System.Text.Encoding.UTF8.GetString(Fixtures.Get(fixture).RequestBody))!["topics"]!.AsArray().Select(t => (string)t!).ToList();
}

public sealed class SessionTests_Agno29() : SessionTests(FixtureSet.Agno29);

public sealed class SessionTests_Agno30() : SessionTests(FixtureSet.Agno30);

public sealed class MemoryMetricsEvalTests_Agno29() : MemoryMetricsEvalTests(FixtureSet.Agno29);

public sealed class MemoryMetricsEvalTests_Agno30() : MemoryMetricsEvalTests(FixtureSet.Agno30);
