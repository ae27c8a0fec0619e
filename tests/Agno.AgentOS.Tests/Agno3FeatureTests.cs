using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// What agno 3.x adds to runs and streams (form fields, headers, outputs, control frames), sent to and read
/// from the recorded exchanges of both recordings. Where 3.x's additions never appeared in a recording (no
/// durable queue, no media storage), the recorded answer is extended with them as agno 3.x's source sends them
/// (../agentos-3x-notes.md).
/// </summary>
public abstract partial class Agno3FeatureTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task Uploads_carry_their_metadata_in_files_metadata_by_position_and_version_is_an_integer()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("150");
        using var client = TestSupport.Client(server);
        var recorded = TestSupport.Files("150").Single();
        var request = new RunRequest(TestSupport.Form("150")["message"]!) { SessionId = TestSupport.Form("150").GetValueOrDefault("session_id"), Version = 3 };
        request.Files.Add(recorded with { Metadata = new JsonObject { ["source"] = "scanner", ["page"] = 1 } });
        request.Files.Add(new FileUpload("notes.txt", "text/plain", "no metadata"u8.ToArray()));

        await client.RunAgentAsync("echo-agent", request);

        var parts = RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body);
        var fields = parts.Where(p => p.FileName is null).ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal("""[{"source":"scanner","page":1},null]""", fields["files_metadata"]);
        Assert.Equal("3", fields["version"]);
        Assert.Equal(["files", "files"], parts.Where(p => p.FileName is not null).Select(p => p.Name));
        Assert.Equal(recorded.Content.ToArray(), parts.First(p => p.FileName is not null).Bytes);
        foreach (var (name, value) in TestSupport.Form("150"))
        {
            Assert.Equal(value, fields[name]); // the recorded fields are all sent as recorded
        }

        server.Serve("020");
        await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));
        Assert.DoesNotContain("files_metadata", Encoding.UTF8.GetString(server.Last.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Background_submissions_carry_the_idempotency_key_and_other_runs_do_not()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("180", "020");
        using var client = TestSupport.Client(server);

        var handle = await client.StartAgentRunInBackgroundAsync("echo-agent", new RunRequest(TestSupport.Form("180")["message"]!) { SessionId = TestSupport.Form("180").GetValueOrDefault("session_id"), IdempotencyKey = "order-42" });
        RequestAssert.Matches(Fixtures.Get("180"), server.Last);
        Assert.Equal("order-42", server.Last.Headers["Idempotency-Key"]);
        Assert.Equal(TestSupport.RecordedString("180", "run_id"), handle.RunId);

        await client.RunAgentAsync("echo-agent", new RunRequest("hello world") { IdempotencyKey = "ignored-inline" });
        Assert.False(server.Last.Headers.ContainsKey("Idempotency-Key"));

        var conflicting = new AgentOSRequestOptions();
        conflicting.Headers["Idempotency-Key"] = "other";
        await Assert.ThrowsAsync<ArgumentException>(() => client.StartAgentRunInBackgroundAsync("echo-agent", new RunRequest("x") { IdempotencyKey = "order-42" }, conflicting));
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task A_workflow_continue_can_go_to_the_background()
    {
        // agno 3.x's background continue answers like a background run: the recorded workflow 202, served for the continue
        var accepted = Fixtures.Get("189");
        string runId = TestSupport.RecordedString("189", "run_id")!;
        await using var server = await ReplayServer.StartAsync();
        server.Serve(new RecordedExchange
        {
            Name = "continue-202", Method = "POST", Target = $"/workflows/hitl-workflow/runs/{runId}/continue", RequestHeaders = accepted.RequestHeaders,
            RequestBody = [], StatusCode = accepted.StatusCode, ResponseHeaders = accepted.ResponseHeaders, ResponseBody = accepted.ResponseBody,
        }, new ServeOptions());
        using var client = TestSupport.Client(server);

        var handle = await client.ContinueWorkflowRunInBackgroundAsync("hitl-workflow", runId, new ContinueRunRequest("fixture-wf-hitl-session"));

        var form = RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body).ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(("true", "false", "fixture-wf-hitl-session", "[]"), (form["background"], form["stream"], form["session_id"], form["step_requirements"]));
        Assert.Equal(runId, handle.RunId);
    }

    [Fact]
    public async Task A_paused_workflow_is_continued_in_the_background_with_its_answered_step_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("175");
        using var client = TestSupport.Client(server);
        var workflow = client.GetRemoteWorkflow("hitl-workflow");
        var paused = await workflow.RunAsync(new RunRequest("workflow hitl") { SessionId = "fixture-hitl-wf" });
        RequestAssert.Matches(Fixtures.Get("175"), server.Last);
        Assert.Single(paused.StepRequirements!).Confirm();
        var accepted = Fixtures.Get("189");
        server.Serve(new RecordedExchange
        {
            Name = "continue-202", Method = "POST", Target = Fixtures.Get("176").Target, RequestHeaders = accepted.RequestHeaders,
            RequestBody = [], StatusCode = accepted.StatusCode, ResponseHeaders = accepted.ResponseHeaders, ResponseBody = accepted.ResponseBody,
        }, new ServeOptions());

        var handle = await workflow.ContinueInBackgroundAsync(paused);

        // the recorded inline continue (176) sent the same fields, but stream=false and background=true here
        var sent = RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body).ToDictionary(p => p.Name, p => p.Value);
        var recorded = TestSupport.Form("176");
        Assert.Equal(Fixtures.Get("176").Path, server.Last.Path);
        Assert.Equal("true", sent["background"]);
        Assert.Equal(recorded["session_id"], sent["session_id"]);
        Assert.Equal(JsonNode.Parse(recorded["step_requirements"]!)![0]!["confirmed"]!.GetValue<bool>(), JsonNode.Parse(sent["step_requirements"]!)![0]!["confirmed"]!.GetValue<bool>());
        Assert.Equal(JsonNode.Parse(recorded["step_requirements"]!)![0]!["step_id"]?.ToJsonString(), JsonNode.Parse(sent["step_requirements"]!)![0]!["step_id"]?.ToJsonString());
        Assert.Equal(TestSupport.RecordedString("189", "run_id"), handle.RunId);
    }

    [Fact]
    public async Task A_continue_never_sends_a_media_reference_back()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082", "083");
        using var client = TestSupport.Client(server);
        var paused = await client.RunAgentAsync("tool-agent", new RunRequest(TestSupport.Form("082")["message"]!) { SessionId = TestSupport.Form("082").GetValueOrDefault("session_id") });
        var tool = paused.Tools!.First(t => t.RequiresConfirmation == true);
        tool.AdditionalProperties ??= [];
        tool.AdditionalProperties["images"] = System.Text.Json.JsonDocument.Parse("""[{"id":"i1","mime_type":"image/png","media_reference":{"media_id":"m1","storage_key":"k"}}]""").RootElement;
        tool.Confirm();

        await client.GetRemoteAgent("tool-agent").ContinueAsync(paused);

        string tools = RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body).Single(p => p.Name == "tools").Value!;
        Assert.DoesNotContain("media_reference", tools, StringComparison.Ordinal);
        Assert.Contains("\"mime_type\":\"image/png\"", tools, StringComparison.Ordinal);
        Assert.Contains("\"confirmed\":true", tools, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outputs_type_queue_attempt_and_offloaded_media_whose_bytes_are_fetched()
    {
        var output = JsonNode.Parse(Fixtures.Get("020").ResponseBody)!.AsObject();
        string sessionId = output["session_id"]!.GetValue<string>();
        output["queue_attempt"] = 2;
        output["images"] = JsonNode.Parse($$$"""[{"id":"img-1","mime_type":"image/png","media_reference":{"media_id":"m-1","storage_key":"sessions/{{{sessionId}}}/m-1.png","session_id":"{{{sessionId}}}","storage_backend":"local","mime_type":"image/png","size":4,"media_type":"image"}}]""");
        byte[] png = [0x89, 0x50, 0x4E, 0x47];
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes(output.ToJsonString()) });
        using var client = TestSupport.Client(server);

        var run = await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));
        var image = Assert.Single(run.Images!);
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "image/png";
            await ctx.Response.Body.WriteAsync(png);
        };
        var media = await client.GetSessionMediaAsync(image.MediaReference!.SessionId!, image.MediaReference.StorageKey!, SessionType.Agent);

        Assert.Equal(2, run.QueueAttempt);
        Assert.True(image.IsOffloaded);
        Assert.Equal(("m-1", "local", 4L, "image"), (image.MediaReference.MediaId, image.MediaReference.StorageBackend, image.MediaReference.Size!.Value, image.MediaReference.MediaType));
        Assert.Equal($"/sessions/{sessionId}/media/sessions/{sessionId}/m-1.png", server.Last.Path);
        Assert.Equal("?type=agent", server.Last.Query);
        Assert.Equal(png, media.Content.ToArray());
        Assert.Equal("image/png", media.ContentType);
        Assert.Equal(TestSupport.RecordedString("020", "content"), run.Content);
    }

    [Fact]
    public async Task Keepalive_comments_are_ignored()
    {
        string body = Fixtures.Get("021").ResponseText;
        string withComments = ": keepalive\n\n" + body.Replace("\n\nevent: ", "\n\n: keepalive\n\nevent: ", StringComparison.Ordinal);
        Assert.True(withComments.Split(": keepalive").Length > 5);
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { BodyOverride = Encoding.UTF8.GetBytes(withComments) });
        using var client = TestSupport.Client(server);

        var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).ToListAsync();

        Assert.Equal(TestSupport.RecordedEventNames("021"), events.Select(e => e.Event));
        Assert.DoesNotContain(events, e => e is UnknownEvent or MalformedEvent);
    }

    [Fact]
    public async Task A_stream_expired_frame_is_typed_and_ends_the_stream_as_a_resumable_interruption()
    {
        // agno 3.x: the durable tail lost the run's terminal event; the recorded background stream, cut there
        var frames = Fixtures.Get("183").SseFrames();
        string runId = TestSupport.RecordedEventJson("183", 0).GetProperty("run_id").GetString()!;
        var body = new List<byte>();
        foreach (var frame in frames.Take(4))
        {
            body.AddRange(frame);
        }

        body.AddRange(Encoding.UTF8.GetBytes($"event: stream_expired\ndata: {{\"event\":\"stream_expired\",\"run_id\":\"{runId}\",\"status\":\"RUNNING\",\"message\":\"The run's stream expired; reconnect or poll.\"}}\n\n"));
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { BodyOverride = [.. body] });
        server.Serve("183", new ServeOptions { BodyOverride = [.. body] });
        server.Serve("184");
        using var plain = TestSupport.Client(server);
        using var resuming = TestSupport.Client(server, configure: o => o.ResumeInterruptedBackgroundStreams = true);
        var request = new RunRequest("background stream hello") { SessionId = "fixture-bg-session" };

        var seen = new List<AgentOSEvent>();
        var ex = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in plain.RunAgentInBackgroundStreamingAsync("echo-agent", request))
            {
                seen.Add(e);
            }
        });
        var resumed = await resuming.RunAgentInBackgroundStreamingAsync("echo-agent", request).ToListAsync();

        var expired = Assert.IsType<StreamExpiredEvent>(seen[^1]);
        Assert.Equal(("RUNNING", runId, EventScope.Resume), (expired.Status, expired.RunId, expired.Scope));
        Assert.Equal(runId, ex.RunId);
        Assert.Equal(3, ex.LastEventIndex);
        Assert.Contains("stream_expired", ex.Message, StringComparison.Ordinal);
        RequestAssert.Matches(Fixtures.Get("184"), server.Last); // resumed after event_index 3
        Assert.IsType<RunCompletedEvent>(resumed[^1]);
        Assert.Equal(TestSupport.RecordedEventNames("183"), resumed.Where(e => e.Scope != EventScope.Resume).Select(e => e.Event));
    }

    [Theory]
    [InlineData("stream tail failed: connection lost", typeof(AgentOSStreamInterruptedException))]
    [InlineData("event stream unavailable: redis timeout", typeof(AgentOSServerException))]
    [InlineData("Failed to fetch run from database: locked", typeof(AgentOSServerException))]
    [InlineData("Run r-1 not found in buffer or database", typeof(AgentOSNotFoundException))]
    public async Task An_error_frame_is_typed_by_what_the_server_says(string error, Type expected)
    {
        // agno 3.x sends `event: error` frames on durable streams and /resume for three different reasons
        var frames = Fixtures.Get("183").SseFrames();
        string runId = TestSupport.RecordedEventJson("183", 0).GetProperty("run_id").GetString()!;
        var body = new List<byte>();
        foreach (var frame in frames.Take(4))
        {
            body.AddRange(frame);
        }

        body.AddRange(Encoding.UTF8.GetBytes($"event: error\ndata: {{\"event\": \"error\", \"error\": \"{error}\"}}\n\n"));
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { BodyOverride = [.. body] });
        using var client = TestSupport.Client(server);

        var seen = new List<AgentOSEvent>();
        var ex = await Assert.ThrowsAnyAsync<AgentOSException>(async () =>
        {
            await foreach (var e in client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }))
            {
                seen.Add(e);
            }
        });

        Assert.IsType(expected, ex);
        Assert.Equal(error, ex.Detail);
        Assert.Equal(4, seen.Count); // every event before the frame was handed over
        if (ex is AgentOSStreamInterruptedException interrupted)
        {
            Assert.Equal((runId, 3), (interrupted.RunId, interrupted.LastEventIndex));
        }
    }

    [Fact]
    public async Task A_failed_tail_is_resumed_like_a_cut_stream()
    {
        var frames = Fixtures.Get("183").SseFrames();
        var body = new List<byte>();
        foreach (var frame in frames.Take(4))
        {
            body.AddRange(frame);
        }

        body.AddRange("event: error\ndata: {\"event\": \"error\", \"error\": \"stream tail failed: reset\"}\n\n"u8.ToArray());
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { BodyOverride = [.. body] });
        server.Serve("184");
        using var resuming = TestSupport.Client(server, configure: o => o.ResumeInterruptedBackgroundStreams = true);

        var events = await resuming.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("184"), server.Last); // resumed after event_index 3
        Assert.IsType<RunCompletedEvent>(events[^1]);
        Assert.Equal(TestSupport.RecordedEventNames("183"), events.Where(e => e.Scope != EventScope.Resume).Select(e => e.Event));
    }

    [Fact]
    public async Task Resuming_does_not_assume_event_indexes_are_contiguous()
    {
        // agno 3.x: indexes are "NOT gapless" (retries, continuation legs): the recorded stream and its replay
        // from the start (185), with gapped indexes
        static byte[] Gapped(RecordedExchange e) => Encoding.UTF8.GetBytes(EventIndex().Replace(e.ResponseText, m => $"\"event_index\":{(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 3) + 5}"));
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", new ServeOptions { BodyOverride = Gapped(Fixtures.Get("183")), AbortAfterEvents = 4 });
        server.Serve(Fixtures.Get("184"), new ServeOptions { BodyOverride = Gapped(Fixtures.Get("185")) });
        using var client = TestSupport.Client(server, configure: o => o.ResumeInterruptedBackgroundStreams = true);

        var events = await client.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("background stream hello") { SessionId = "fixture-bg-session" }).ToListAsync();

        var runEvents = events.Where(e => e.Scope != EventScope.Resume).ToList();
        Assert.Equal(TestSupport.RecordedEventNames("183"), runEvents.Select(e => e.Event));
        Assert.Equal(Enumerable.Range(0, runEvents.Count).Select(i => (i * 3) + 5), runEvents.Select(e => e.EventIndex!.Value));
        var resumeForm = RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body).ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal("14", resumeForm["last_event_index"]); // the index of the last event received, not a count
    }

    [GeneratedRegex("\"event_index\":\\s*(\\d+)")]
    private static partial Regex EventIndex();
}

public sealed class Agno3FeatureTests_Agno29() : Agno3FeatureTests(FixtureSet.Agno29);

public sealed class Agno3FeatureTests_Agno30() : Agno3FeatureTests(FixtureSet.Agno30);
