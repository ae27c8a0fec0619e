using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>The agno-go dialect over agno-go's AgentOS exchanges (Fixtures/agno-go): discovery, sessions, runs, streams.</summary>
public sealed class AgnoGoProtocolTests
{
    [Fact]
    public async Task AgnoGo_health_is_read_with_agno_go_fields_kept()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("001");
        using var client = AgnoGo.Client(server);

        var health = await client.GetHealthAsync();

        RequestAssert.Matches(AgnoGo.Get("001"), server.Last);
        Assert.Equal("ok", health.Status);
        Assert.Equal(DateTimeOffset.Parse(AgnoGo.Json("001").GetProperty("instantiated_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), health.InstantiatedAt);
        Assert.Equal("agentos", health.AdditionalProperties!["service"].GetString());
        Assert.Equal(AgnoGo.Json("001").GetProperty("uptime_seconds").GetDouble(), health.AdditionalProperties["uptime_seconds"].GetDouble());
    }

    [Fact]
    public async Task AgnoGo_agents_come_from_the_list_and_the_handles_read_their_details_from_it()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("003", "003", "003");
        using var client = AgnoGo.Client(server);

        var agents = await client.ListAgentsAsync();
        RequestAssert.Matches(AgnoGo.Get("003"), server.Last);
        Assert.Equal(["echo-agent", "fail-agent", "reasoning-agent", "tool-agent"], agents.Select(a => a.Id));
        Assert.Equal("Echo Agent", agents[0].Name);

        // no get-agent route (fixture 004 is gin's 404): the handle's details are the agent's entry of the list
        var details = await client.GetRemoteAgent("tool-agent").GetDetailsAsync();
        Assert.Equal(("tool-agent", "Tool Agent"), (details.Id, details.Name));
        Assert.Equal("/api/v1/agents", server.Last.Path);

        var missing = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetAgentAsync("no-such-agent"));
        Assert.Equal("AGENT_NOT_FOUND", missing.ErrorType);
        Assert.All(server.Received, r => Assert.Equal("/api/v1/agents", r.Path));
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_config_is_synthesised_from_the_agent_list()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("003");
        using var client = AgnoGo.Client(server);

        var config = await client.GetConfigAsync();

        Assert.Equal("GET /api/v1/agents", server.Last.ToString());
        Assert.Equal(["echo-agent", "fail-agent", "reasoning-agent", "tool-agent"], config.Agents!.Select(a => a.Id));
        Assert.Equal("Reasoning Agent", config.Agents![2].Name);
        Assert.Empty(config.Teams!);
        Assert.Empty(config.Workflows!);
    }

    [Fact]
    public async Task AgnoGo_api_path_is_configurable_and_never_sent_with_a_trailing_slash()
    {
        // gin redirects a trailing slash (fixture 005, 301 before any middleware); the client never sends one
        await using var server = await AgnoGo.StartAsync();
        server.Serve("005");
        server.Serve(AgnoGo.At("003", "/p/api/v1/agents"), new ServeOptions());
        using var client = AgnoGo.Client(server, configure: o => o.AgnoGoApiPath = "/p/api/v1/");

        var agents = await client.ListAgentsAsync();

        Assert.Equal(4, agents.Count);
        Assert.Equal("GET /p/api/v1/agents", Assert.Single(server.Received).ToString());
    }

    [Fact]
    public async Task AgnoGo_gin_plain_text_404_is_a_not_found_error_with_its_text()
    {
        // a wrong API path meets gin's default 404 (text/plain "404 page not found", fixture 004) on every route
        await using var server = await AgnoGo.StartAsync();
        server.Serve(AgnoGo.At("004", "/api/v2/agents"), new ServeOptions());
        using var client = AgnoGo.Client(server, configure: o => o.AgnoGoApiPath = "api/v2");

        var error = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ListAgentsAsync());

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("404 page not found", error.ResponseBodyExcerpt);
        Assert.Null(error.Detail);
        Assert.Null(error.ErrorType);
        Assert.Equal("text/plain", AgnoGo.Get("004").ResponseHeader("Content-Type"));
    }

    [Fact]
    public async Task AgnoGo_sessions_are_created_read_updated_listed_and_deleted()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("010", "013", "014", "015", "016", "017", "018", "019", "040");
        using var client = AgnoGo.Client(server);

        var created = await client.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent", UserId = "user-1", SessionName = "Fixture session", Metadata = new JsonObject { ["topic"] = "demo" } });
        RequestAssert.Matches(AgnoGo.Get("010"), server.Last);
        string id = AgnoGo.Json("010").GetProperty("session_id").GetString()!;
        Assert.Equal(id, created.SessionId);
        Assert.Equal(("echo-agent", "user-1", "Fixture session"), (created.AgentId, created.UserId, created.SessionName));
        Assert.Equal("demo", (string?)created.Metadata!["topic"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(AgnoGo.Json("010").GetProperty("created_at").GetInt64()), created.CreatedAt);
        Assert.Equal(0, created.AdditionalProperties!["run_count"].GetInt32());

        var read = await client.GetSessionAsync(id);
        RequestAssert.Matches(AgnoGo.Get("013"), server.Last);
        Assert.Equal("Fixture session", read.SessionName);

        var updated = await client.UpdateSessionAsync(id, new UpdateSessionRequest { SessionName = "Renamed session", SessionState = new JsonObject { ["step"] = 2, ["tags"] = new JsonArray("a", "b") } });
        RequestAssert.Matches(AgnoGo.Get("014"), server.Last);
        Assert.Equal("PUT", server.Last.Method);
        Assert.Equal("Renamed session", updated.SessionName);
        Assert.Equal(2, (int)updated.SessionState!["step"]!);
        Assert.Equal("demo", (string?)updated.Metadata!["topic"]); // kept: not sent
        Assert.True(updated.UpdatedAt > updated.CreatedAt);

        var page = await client.ListSessionsAsync(new SessionQuery { ComponentId = "echo-agent" });
        RequestAssert.Matches(AgnoGo.Get("015"), server.Last);
        var only = Assert.Single(page.Data);
        Assert.Equal((id, "agent", "Renamed session"), (only.SessionId, only.SessionType, only.SessionName));
        Assert.Equal((1, 1, 1), (page.Meta.TotalCount, page.Meta.TotalPages, page.Meta.Page));

        var second = await client.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent" });
        RequestAssert.Matches(AgnoGo.Get("016"), server.Last);
        await client.DeleteSessionAsync(second.SessionId!);
        RequestAssert.Matches(AgnoGo.Get("017"), server.Last);

        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync(second.SessionId!));
        RequestAssert.Matches(AgnoGo.Get("018"), server.Last);
        Assert.Equal(("session not found", "SESSION_NOT_FOUND"), (gone.Detail, gone.ErrorType));
        var again = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.DeleteSessionAsync(second.SessionId!));
        RequestAssert.Matches(AgnoGo.Get("019"), server.Last);
        Assert.Equal("SESSION_NOT_FOUND", again.ErrorType);

        var all = await client.ListSessionsAsync(new SessionQuery { Limit = 1 });
        RequestAssert.Matches(AgnoGo.Get("040"), server.Last);
        int recorded = AgnoGo.Json("040").GetProperty("count").GetInt32();
        Assert.Equal(recorded, all.Meta.TotalCount);
        Assert.Equal(recorded, all.Meta.TotalPages);
        Assert.Single(all.Data);
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_session_rename_is_a_put_of_the_name()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve(AgnoGo.At("014", AgnoGo.Get("014").Target), new ServeOptions());
        using var client = AgnoGo.Client(server);
        string id = AgnoGo.Json("010").GetProperty("session_id").GetString()!;

        var renamed = await client.RenameSessionAsync(id, "Renamed session");

        Assert.Equal($"PUT /api/v1/sessions/{id}", server.Last.ToString());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["name"] = "Renamed session" }, JsonNode.Parse(server.Last.Body)));
        Assert.Equal("Renamed session", renamed.SessionName);
    }

    [Fact]
    public async Task AgnoGo_session_with_runs_history_and_its_runs()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("022", "038", "039", "038");
        using var client = AgnoGo.Client(server);
        string id = AgnoGo.Json("010").GetProperty("session_id").GetString()!;

        var session = await client.GetSessionAsync(id);
        RequestAssert.Matches(AgnoGo.Get("022"), server.Last);
        Assert.Equal(1, session.AdditionalProperties!["run_count"].GetInt32());
        Assert.Equal(AgnoGo.Json("022").GetProperty("runs")[0].GetProperty("run_id").GetString(), session.AdditionalProperties["runs"][0].GetProperty("run_id").GetString());

        var history = await client.GetAgnoGoSessionHistoryAsync(id);
        RequestAssert.Matches(AgnoGo.Get("038"), server.Last);
        var recorded = AgnoGo.Json("038");
        Assert.Equal(recorded.GetProperty("messages").GetArrayLength(), history.Messages.Count);
        Assert.Equal(("user", "hello world"), (history.Messages[0].Role, history.Messages[0].Content));
        Assert.Equal(("assistant", "Echo: second turn"), (history.Messages[^1].Role, history.Messages[^1].Content));
        Assert.Equal(recorded.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()), history.Runs.Select(r => r.RunId));
        Assert.All(history.Runs, r => Assert.True(r.Status.IsCompleted));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(recorded.GetProperty("runs")[0].GetProperty("started_at").GetInt64()), history.Runs[0].CreatedAt);

        var last2 = await client.GetAgnoGoSessionHistoryAsync(id, numMessages: 2);
        Assert.Equal($"/api/v1/sessions/{id}/history", server.Last.Path);
        Assert.Equal("?num_messages=2", server.Last.Query);
        Assert.Equal(2, last2.Messages.Count);
        Assert.Equal(AgnoGo.Json("039").GetProperty("messages")[1].GetProperty("content").GetString(), last2.Messages[1].Content);

        var runs = await client.GetSessionRunsAsync(id);
        Assert.Equal($"/api/v1/sessions/{id}/history", server.Last.Path);
        Assert.Equal(history.Runs.Select(r => r.RunId), runs.Select(r => r.RunId));
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_run_returns_the_content_usage_and_metadata()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("020", "027");
        using var client = AgnoGo.Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));
        RequestAssert.Matches(AgnoGo.Get("020"), server.Last);
        Assert.Equal("application/json", server.Last.ContentType?.Split(';')[0]);
        Assert.Equal(AgnoGo.Json("020").GetProperty("run_id").GetString(), output.RunId);
        Assert.True(output.Status.IsCompleted);
        Assert.Equal("Echo: hello world", output.Content);
        Assert.Equal("echo-agent", output.AgentId);
        Assert.Null(output.SessionId);
        Assert.Equal((9L, 4L, 13L), (output.Metrics!.InputTokens, output.Metrics.OutputTokens, output.Metrics.TotalTokens));
        Assert.Equal(1, (int)output.Metadata!["loops"]!);

        var tool = await client.GetRemoteAgent("tool-agent").RunAsync("add 2 and 3");
        RequestAssert.Matches(AgnoGo.Get("027"), server.Last);
        Assert.Equal("The sum is 5.", tool.Content);
        Assert.Equal(2, (int)tool.Metadata!["loops"]!);
        Assert.Equal(36, tool.Metrics!.TotalTokens);
    }

    [Fact]
    public async Task AgnoGo_run_in_a_session_with_media_and_run_context()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("021", "023", "024", "029");
        using var client = AgnoGo.Client(server);
        string id = AgnoGo.Json("010").GetProperty("session_id").GetString()!;

        var inSession = await client.RunAgentAsync("echo-agent", new RunRequest("first turn") { SessionId = id });
        RequestAssert.Matches(AgnoGo.Get("021"), server.Last);
        Assert.Equal(id, inSession.SessionId);

        var withImage = new RunRequest("describe this");
        withImage.Images.Add(new MediaItem { Url = new Uri("https://example.com/cat.png"), MimeType = "image/png", FileName = "cat.png" });
        var described = await client.RunAgentAsync("echo-agent", withImage);
        var media = AgnoGo.Sent(server.Last).GetProperty("media");
        var recordedMedia = JsonDocument.Parse(AgnoGo.Get("023").RequestBody).RootElement.GetProperty("media")[0];
        Assert.Equal("image", media[0].GetProperty("type").GetString()); // the recorded client sent "IMAGE": agno-go lower-cases it
        Assert.Equal(recordedMedia.GetProperty("url").GetString(), media[0].GetProperty("url").GetString());
        Assert.Equal(recordedMedia.GetProperty("content_type").GetString(), media[0].GetProperty("content_type").GetString());
        Assert.Equal(recordedMedia.GetProperty("name").GetString(), media[0].GetProperty("name").GetString());
        Assert.Equal("describe this", AgnoGo.Sent(server.Last).GetProperty("input").GetString());
        Assert.Equal("image", described.Metadata!["media"]![0]!["type"]!.GetValue<string>()); // echoed, normalised

        var pathOnly = new RunRequest(string.Empty);
        pathOnly.InputFiles.Add(new MediaItem { Url = new Uri("file:///data/report.pdf") });
        var report = await client.RunAgentAsync("echo-agent", pathOnly);
        var sent = AgnoGo.Sent(server.Last);
        Assert.False(sent.TryGetProperty("input", out _));
        Assert.Equal("file", sent.GetProperty("media")[0].GetProperty("type").GetString());
        Assert.Equal("/data/report.pdf", sent.GetProperty("media")[0].GetProperty("path").GetString());
        Assert.Equal("Echo: Media request (1 attachment)", report.Content);

        var correlated = await client.RunAgentAsync("echo-agent", new RunRequest("correlate me")
        {
            UserId = "user-7",
            Metadata = new JsonObject { ["trace"] = "abc" },
            AgnoGo = new AgnoGoRunOptions { RunId = "run-client-42", ParentRunId = "run-parent-1" },
        });
        RequestAssert.Matches(AgnoGo.Get("029"), server.Last);
        Assert.Equal("run-client-42", correlated.RunId);
        Assert.Equal(("run-parent-1", "user-7"), (correlated.ParentRunId, correlated.UserId));
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_stream_maps_run_start_tokens_and_complete_onto_the_typed_events()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("030");
        using var client = AgnoGo.Client(server);

        var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")).ToListAsync();

        RequestAssert.Matches(AgnoGo.Get("030"), server.Last);
        Assert.Equal("text/event-stream", server.Last.Headers["Accept"]);
        Assert.Equal(["RunStarted", "RunContent", "RunContent", "RunContent", "RunCompleted"], events.Select(e => e.Event));
        Assert.Equal(["run_start", "token", "token", "token", "complete"], events.Select(e => e.AdditionalProperties!["agno_go_type"].GetString()));
        string runId = TestSupport_RunId("030");
        Assert.All(events, e => Assert.Equal((runId, "echo-agent", EventScope.Agent), (e.RunId, e.AgentId, e.Scope)));
        Assert.Equal(["Echo:", " hello", " world"], events.OfType<RunContentEvent>().Select(c => c.Content));
        Assert.Equal("hello", events[2].AdditionalProperties!["token"].GetString());
        Assert.Equal(1, events[2].AdditionalProperties!["index"].GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 8, 6, 12, 0, 30, TimeSpan.Zero).AddTicks(1370), events[0].CreatedAt);
        var completed = Assert.IsType<RunCompletedEvent>(events[^1]);
        Assert.Equal("Echo: hello world", completed.Content);
        Assert.Null(completed.Metrics); // streamed usage is {}: no usage, rather than zeros

        var result = events.AsAgnoGoStream();
        var collected = await result.CollectAsync();
        Assert.Equal("Echo: hello world", collected.Content);
        Assert.True(collected.Status.IsCompleted);
        Assert.Equal(runId, collected.RunId);
    }

    [Fact]
    public async Task AgnoGo_stream_of_a_tool_run_completes_with_the_last_rounds_output()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("033");
        using var client = AgnoGo.Client(server);

        var events = await client.RunAgentStreamingAsync("tool-agent", new RunRequest("add 2 and 3")).ToListAsync();

        RequestAssert.Matches(AgnoGo.Get("033"), server.Last);
        Assert.Equal("Let me add those. The sum is 5.", string.Concat(events.OfType<RunContentEvent>().Select(c => c.Content)));
        Assert.Equal("The sum is 5.", Assert.IsType<RunCompletedEvent>(events[^1]).Content);
        Assert.DoesNotContain(events, e => e is ToolCallStartedEvent or UnknownEvent); // agno-go reports no tool calls
        Assert.Equal("The sum is 5.", (await events.AsAgnoGoStream().CollectAsync()).Content);
    }

    [Fact]
    public async Task AgnoGo_stream_reasoning_is_reasoning_content()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("034");
        using var client = AgnoGo.Client(server);

        var events = await client.RunAgentStreamingAsync("reasoning-agent", new RunRequest("hello")).ToListAsync();

        Assert.Equal(AgnoGo.Get("034").Path, server.Last.Path);
        var reasoning = Assert.Single(events.OfType<RunContentEvent>(), c => c.ReasoningContent is not null);
        Assert.Equal("The user says hello; answer briefly.", reasoning.ReasoningContent);
        Assert.Null(reasoning.Content);
        Assert.Equal("o3-mini", reasoning.AdditionalProperties!["model"].GetString());
        var completed = Assert.IsType<RunCompletedEvent>(events[^1]);
        Assert.Equal("The user says hello; answer briefly.", completed.ReasoningContent);
        Assert.Equal("<think>The user says hello; answer briefly.</think>Hello there!", completed.Content);
        var result = await events.AsAgnoGoStream().CollectAsync();
        Assert.Equal("The user says hello; answer briefly.", result.ReasoningContent);
    }

    [Fact]
    public async Task AgnoGo_stream_error_event_is_a_run_failure_with_the_code_after_the_events_before_it()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("035");
        using var client = AgnoGo.Client(server);
        var seen = new List<AgentOSEvent>();

        var failure = await Assert.ThrowsAsync<AgentOSRunFailedException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("fail-agent", new RunRequest("hi")))
            {
                seen.Add(e);
            }
        });

        RequestAssert.Matches(AgnoGo.Get("035"), server.Last);
        Assert.Equal(["RunStarted", "RunContent"], seen.Select(e => e.Event));
        Assert.Equal("API_ERROR", failure.ErrorType);
        Assert.Equal("[API_ERROR] model streaming invocation failed: upstream model unavailable", failure.Detail);
        Assert.Equal(TestSupport_RunId("035"), failure.RunId);
        Assert.Equal("API_ERROR", failure.ErrorEvent!.ErrorType);
    }

    [Fact]
    public async Task AgnoGo_stream_types_filter_is_sent_and_a_filter_without_complete_needs_no_complete()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("036", "037");
        using var client = AgnoGo.Client(server);

        var filtered = new RunRequest("filter me") { AgnoGo = new AgnoGoRunOptions() };
        filtered.AgnoGo.EventTypes.Add("token");
        filtered.AgnoGo.EventTypes.Add("complete");
        var events = await client.RunAgentStreamingAsync("echo-agent", filtered).ToListAsync();
        RequestAssert.Matches(AgnoGo.Get("036"), server.Last);
        Assert.Equal(["RunContent", "RunContent", "RunContent", "RunCompleted"], events.Select(e => e.Event));
        Assert.Equal("Echo: filter me", string.Concat(events.OfType<RunContentEvent>().Select(c => c.Content)));

        var none = new RunRequest("nothing to see") { AgnoGo = new AgnoGoRunOptions() };
        none.AgnoGo.EventTypes.Add("tool_call");
        var nothing = await client.RunAgentStreamingAsync("echo-agent", none).ToListAsync();
        RequestAssert.Matches(AgnoGo.Get("037"), server.Last);
        Assert.Empty(nothing);
    }

    [Fact]
    public async Task AgnoGo_stream_that_ends_without_complete_is_interrupted_as_for_python()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("030", new ServeOptions { EndAfterEvents = 3 });
        server.Serve("030", new ServeOptions { AbortAfterEvents = 2 });
        using var client = AgnoGo.Client(server);

        var ended = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")).ToListAsync());
        Assert.Equal(3, ended.EventsReceived);
        Assert.Equal(TestSupport_RunId("030"), ended.RunId);

        var cut = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")).ToListAsync());
        Assert.Equal(2, cut.EventsReceived);
        Assert.Equal("api/v1/agents/echo-agent/run/stream", cut.RequestPath);
    }

    [Fact]
    public async Task AgnoGo_stream_in_a_session_with_media_carries_the_session()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve(AgnoGo.OnStreamRoute("031"), new ServeOptions());
        using var client = AgnoGo.Client(server);
        string id = AgnoGo.Json("010").GetProperty("session_id").GetString()!;
        var request = new RunRequest("second turn") { SessionId = id };
        request.Images.Add(MediaItem.FromUrl(new Uri("https://example.com/cat.png")));

        var events = await client.RunAgentStreamingAsync("echo-agent", request).ToListAsync();

        RequestAssert.Matches(AgnoGo.OnStreamRoute("031"), server.Last);
        Assert.All(events, e => Assert.Equal(id, e.SessionId));
        Assert.Equal("https://example.com/cat.png", events[0].AdditionalProperties!["media"][0].GetProperty("url").GetString());
        Assert.Equal("Echo: second turn", Assert.IsType<RunCompletedEvent>(events[^1]).Content);
    }

    [Fact]
    public async Task AgnoGo_stream_answer_of_the_run_route_decodes_as_that_of_the_stream_route()
    {
        // POST /run?stream_events=true (fixture 032) streams through the same handler as /run/stream: the client uses the latter
        await using var server = await AgnoGo.StartAsync();
        server.Serve(AgnoGo.At("032", "/api/v1/agents/echo-agent/run/stream"), new ServeOptions());
        using var client = AgnoGo.Client(server);

        var result = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("query flag")).CollectAsync();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(AgnoGo.Get("032").RequestBody), JsonNode.Parse(server.Last.Body)));
        Assert.Equal(string.Empty, server.Last.Query);
        Assert.Equal("Echo: query flag", result.Content);
        Assert.Equal(TestSupport_RunId("032"), result.RunId);
    }

    private static string TestSupport_RunId(string fixture)
    {
        string frame = Encoding.UTF8.GetString(AgnoGo.Get(fixture).SseFrames()[0]);
        string data = frame.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        return JsonDocument.Parse(data).RootElement.GetProperty("run_context_id").GetString()!;
    }
}

internal static class AgnoGoEnumerable
{
    public static async IAsyncEnumerable<AgentOSEvent> AsAgnoGoStream(this IEnumerable<AgentOSEvent> events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }
}
