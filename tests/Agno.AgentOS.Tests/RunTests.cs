using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class RunTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task Non_streaming_agent_run_is_a_form_post_with_stream_false_and_returns_typed_output()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));

        RequestAssert.Matches(Fixtures.Get("020"), server.Last);
        Assert.StartsWith("application/x-www-form-urlencoded", server.Last.ContentType);
        Assert.Equal("application/json", server.Last.Headers["Accept"]);
        Assert.Equal(TestSupport.RecordedString("020", "run_id"), output.RunId);
        Assert.Equal(TestSupport.RecordedString("020", "session_id"), output.SessionId);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-", output.RunId);
        Assert.Equal("echo-agent", output.AgentId);
        Assert.Equal("Echo Agent", output.AgentName);
        Assert.Equal(RunStatus.Completed, output.Status);
        Assert.Equal("Echo: hello world (turn 1)", output.Content);
        Assert.Equal("str", output.ContentType);
        Assert.Null(output.GetStructuredContent());
        Assert.Equal("echo-model", output.Model);
        Assert.Equal(10, output.Metrics!.InputTokens);
        Assert.Equal(5, output.Metrics.OutputTokens);
        Assert.Equal(15, output.Metrics.TotalTokens);
        Assert.Equal(0, output.Metrics.ReasoningTokens);
        Assert.Equal(["system", "user", "assistant"], output.Messages!.Select(m => m.Role));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(TestSupport.RecordedJson("020").GetProperty("created_at").GetInt64()), output.CreatedAt);
        Assert.Empty(output.Tools!);
        Assert.Equal("hello world", output.Input!.Value.GetProperty("input_content").GetString());
    }

    [Fact]
    public async Task Streaming_agent_run_yields_typed_events_in_order_and_aggregates()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var client = TestSupport.Client(server);
        var seen = new List<string>();

        var result = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world"))
            .CollectAsync(e => seen.Add(e.Event));

        RequestAssert.Matches(Fixtures.Get("021"), server.Last);
        Assert.Equal("text/event-stream", server.Last.Headers["Accept"]);
        Assert.Equal(TestSupport.RecordedEventNames("021"), seen);
        Assert.Equal("Echo: hello streaming world (turn 1)", result.Content);
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(TestSupport.RecordedEventJson("021", 0).GetProperty("run_id").GetString(), result.RunId);
        Assert.Equal(TestSupport.RecordedEventJson("021", 0).GetProperty("session_id").GetString(), result.SessionId);
        Assert.NotNull(result.RunId);
        Assert.Equal("echo-model", result.Model);
        Assert.Equal(15, result.Metrics!.TotalTokens);
        Assert.NotNull(result.CompletedEvent);
    }

    [Fact]
    public async Task Streaming_event_types_carry_their_fields()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var client = TestSupport.Client(server);

        var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).ToListAsync();

        var started = Assert.IsType<RunStartedEvent>(events[0]);
        Assert.Equal("echo-model", started.Model);
        Assert.Equal("Echo", started.ModelProvider);
        Assert.Equal(EventScope.Agent, started.Scope);
        Assert.False(started.IsNested);
        Assert.IsType<ModelRequestStartedEvent>(events[1]);
        var deltas = events.OfType<RunContentEvent>().Select(c => c.Content).ToList();
        Assert.Equal(["Echo: ", "hello ", "streaming ", "world ", "(turn ", "1)"], deltas);
        var modelDone = events.OfType<ModelRequestCompletedEvent>().Single();
        Assert.Equal(10, modelDone.InputTokens);
        Assert.IsType<RunContentCompletedEvent>(events[^2]);
        var completed = Assert.IsType<RunCompletedEvent>(events[^1]);
        Assert.Equal("Echo: hello streaming world (turn 1)", completed.Content);
        string runId = TestSupport.RecordedEventJson("021", 0).GetProperty("run_id").GetString()!;
        Assert.All(events, e => Assert.Equal(runId, e.RunId));
    }

    [Fact]
    public async Task Multipart_recording_matches_the_same_fields_sent_url_encoded()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("022");
        using var client = TestSupport.Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello multipart") { UserId = "fixture-user" });

        RequestAssert.Matches(Fixtures.Get("022"), server.Last);
        Assert.Equal("fixture-user", output.UserId);
        Assert.Equal("Echo: hello multipart (turn 1)", output.Content);
    }

    [Fact]
    public async Task Stream_is_always_sent_explicitly_and_the_servers_default_stream_is_read()
    {
        // 023 was recorded without a stream field: the server streamed by default. This client always
        // sends the field, so the same answer is served to a stream=true request.
        await using var server = await ReplayServer.StartAsync();
        server.Serve("023");
        using var client = TestSupport.Client(server);

        var result = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("no stream field")).CollectAsync();

        Assert.Equal("true", TestSupport.Form("023").GetValueOrDefault("stream") ?? ParseSent(server)["stream"]);
        Assert.Equal("no stream field", ParseSent(server)["message"]);
        Assert.Equal(2, ParseSent(server).Count);
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Contains("no stream field", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_spans_turns_and_stored_runs_can_be_read()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("030", "031", "032", "033", "034");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");

        var first = await agent.RunAsync(new RunRequest("first message") { SessionId = "fixture-session-1", UserId = "fixture-user" });
        RequestAssert.Matches(Fixtures.Get("030"), server.Last);
        var second = await agent.RunAsync(new RunRequest("second message") { SessionId = first.SessionId, UserId = "fixture-user" });
        RequestAssert.Matches(Fixtures.Get("031"), server.Last);
        var third = await agent.RunStreamingAsync(new RunRequest("third message") { SessionId = first.SessionId, UserId = "fixture-user" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("032"), server.Last);
        var stored = await agent.GetRunAsync(second.RunId!, "fixture-session-1");
        RequestAssert.Matches(Fixtures.Get("033"), server.Last);
        var runs = await agent.ListRunsAsync("fixture-session-1");
        RequestAssert.Matches(Fixtures.Get("034"), server.Last);

        Assert.Equal("Echo: first message (turn 1)", first.Content);
        Assert.Equal("Echo: second message (turn 2)", second.Content);
        Assert.Contains(second.Messages!, m => m.FromHistory == true && m.Content == "first message");
        Assert.Equal("Echo: third message (turn 3)", third.Content);
        Assert.Equal("fixture-session-1", third.SessionId);
        Assert.Equal(second.RunId, stored.RunId);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal(3, runs.Count);
        Assert.Equal("first message", runs[0].RunInput);
        Assert.Equal(RunStatus.Completed, runs[0].Status);
        Assert.Equal(DateTimeOffset.Parse(TestSupport.RecordedJson("034")[0].GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), runs[0].CreatedAt);
    }

    [Fact]
    public async Task Team_run_returns_member_responses_and_its_stream_interleaves_member_events()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("060", "061");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("echo-team");

        var output = await team.RunAsync(new RunRequest("team hello") { SessionId = "fixture-team-session" });
        RequestAssert.Matches(Fixtures.Get("060"), server.Last);
        var events = new List<AgentOSEvent>();
        var streamed = await team.RunStreamingAsync("team streaming hello").CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("061"), server.Last);

        Assert.Equal("echo-team", output.TeamId);
        Assert.Equal(RunStatus.Completed, output.Status);
        Assert.StartsWith("Team: ", output.Content);
        var member = Assert.Single(output.MemberResponses!);
        Assert.Equal("echo-member", member.AgentId);
        Assert.Equal(output.RunId, member.ParentRunId);

        Assert.Equal(TestSupport.RecordedEventNames("061"), events.Select(e => e.Event));
        Assert.Equal(EventScope.Team, events[0].Scope);
        var memberEvents = events.Where(e => e.Scope == EventScope.Agent).ToList();
        Assert.NotEmpty(memberEvents);
        Assert.All(memberEvents, e => Assert.True(e.IsNested));
        Assert.All(memberEvents, e => Assert.Equal(streamed.RunId, e.ParentRunId));
        Assert.Equal(RunStatus.Completed, streamed.Status);
        var teamCompleted = events.OfType<RunCompletedEvent>().Single(e => e.Scope == EventScope.Team);
        Assert.Equal(teamCompleted.Content, streamed.Content);
        Assert.StartsWith("Team: ", streamed.Content);
        // member text is not part of the team's answer
        var memberText = string.Concat(memberEvents.OfType<RunContentEvent>().Select(c => c.Content));
        Assert.NotEqual(memberText, streamed.Content);
    }

    [Fact]
    public async Task Workflow_run_returns_step_results_and_its_stream_nests_step_agent_events()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("070", "071");
        using var client = TestSupport.Client(server);
        var workflow = client.GetRemoteWorkflow("echo-workflow");

        var output = await workflow.RunAsync(new RunRequest("workflow hello") { SessionId = "fixture-wf-session" });
        RequestAssert.Matches(Fixtures.Get("070"), server.Last);
        var events = new List<AgentOSEvent>();
        var streamed = await workflow.RunStreamingAsync("workflow streaming hello").CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("071"), server.Last);

        Assert.Equal("echo-workflow", output.WorkflowId);
        Assert.Equal(RunStatus.Completed, output.Status);
        Assert.Equal(["echo", "upper"], output.StepResults!.Select(s => s.StepName));
        Assert.Equal(output.StepResults![1].Content, output.Content);
        Assert.Equal(output.Content!.ToUpperInvariant(), output.Content);

        Assert.Equal(TestSupport.RecordedEventNames("071"), events.Select(e => e.Event));
        Assert.IsType<RunStartedEvent>(events[0]);
        Assert.Equal(EventScope.Workflow, events[0].Scope);
        Assert.Contains(events, e => e is StepStartedEvent { StepName: "echo" });
        Assert.Contains(events, e => e is StepCompletedEvent { StepName: "upper" });
        Assert.Contains(events, e => e is StepOutputEvent { Output.StepName: "upper" });
        Assert.Contains(events, e => e is RunContentEvent && e.Scope == EventScope.Agent);
        var completed = events.OfType<RunCompletedEvent>().Single(e => e.Scope == EventScope.Workflow);
        Assert.Equal(completed.Content, streamed.Content);
        Assert.Equal(2, completed.StepResults!.Count);
        Assert.Equal(RunStatus.Completed, streamed.Status);
    }

    [Fact]
    public async Task Tool_calls_are_typed_in_outputs_and_streams()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("080", "081");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("tool-agent");

        var output = await agent.RunAsync("please add 2 and 3");
        RequestAssert.Matches(Fixtures.Get("080"), server.Last);
        var events = new List<AgentOSEvent>();
        var streamed = await agent.RunStreamingAsync("please add 40 and 2").CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("081"), server.Last);

        var call = Assert.Single(output.Tools!);
        Assert.Equal("add", call.ToolName);
        Assert.Equal(2, (int)call.ToolArgs!["a"]!);
        Assert.Equal("5", call.Result);
        Assert.Equal("Tool result: 5", output.Content);

        var started = events.OfType<ToolCallStartedEvent>().Single();
        var done = events.OfType<ToolCallCompletedEvent>().Single();
        Assert.Equal("add", started.Tool!.ToolName);
        Assert.Equal(started.Tool.ToolCallId, done.Tool!.ToolCallId);
        Assert.Equal("42", done.Tool.Result);
        Assert.Equal("42", Assert.Single(streamed.ToolCalls).Result);
        Assert.Equal("Tool result: 42", streamed.Content);
    }

    [Fact]
    public async Task Reasoning_content_is_typed_and_aggregated()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("130", "131");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("thinking-agent");

        var output = await agent.RunAsync("why is the sky blue");
        RequestAssert.Matches(Fixtures.Get("130"), server.Last);
        var events = new List<AgentOSEvent>();
        var streamed = await agent.RunStreamingAsync("why is the sky blue").CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("131"), server.Last);

        Assert.False(string.IsNullOrEmpty(output.ReasoningContent));
        var reasoningDeltas = events.OfType<RunContentEvent>().Where(c => c.Content is null && !string.IsNullOrEmpty(c.ReasoningContent)).ToList();
        Assert.NotEmpty(reasoningDeltas);
        Assert.Equal(output.ReasoningContent, streamed.ReasoningContent);
        Assert.Equal(output.Content, streamed.Content);
        Assert.DoesNotContain(output.ReasoningContent!, streamed.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Structured_output_sends_the_schema_and_returns_an_object()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("135", "136", "137", "138");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");
        var schema = JsonNode.Parse(TestSupport.Form("135")["output_schema"]!)!.AsObject();

        var output = await agent.RunAsync(new RunRequest("summarize this text") { OutputSchema = schema });
        RequestAssert.Matches(Fixtures.Get("135"), server.Last);
        var streamed = await agent.RunStreamingAsync(new RunRequest("summarize this text") { OutputSchema = (JsonObject)schema.DeepClone() }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("136"), server.Last);
        var raw = await agent.RunAsync(new RunRequest("summarize this text") { OutputSchema = (JsonObject)schema.DeepClone(), UseJsonSchema = true });
        RequestAssert.Matches(Fixtures.Get("137"), server.Last);
        var invalid = new RunRequest("summarize this text");
        invalid.AdditionalFields["output_schema"] = "{not json";
        var ignored = await agent.RunAsync(invalid);
        RequestAssert.Matches(Fixtures.Get("138"), server.Last);

        Assert.Equal("Summary", output.ContentType);
        var obj = output.GetStructuredContent()!.Value;
        Assert.Equal(System.Text.Json.JsonValueKind.Object, obj.ValueKind);
        Assert.Equal("Summary", streamed.ContentType);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, streamed.GetStructuredContent()!.Value.ValueKind);
        Assert.Equal("dict", raw.ContentType);
        Assert.NotNull(raw.GetStructuredContent());
        Assert.Equal("str", ignored.ContentType);
        Assert.Null(ignored.GetStructuredContent());
    }

    [Fact]
    public async Task Json_valued_options_travel_as_json_text_and_are_echoed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("140", "141", "142", "143", "145");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");
        var sent = TestSupport.Form("140");

        var first = await agent.RunAsync(new RunRequest("extras turn one")
        {
            SessionId = "fixture-extras-session",
            UserId = "extras-user",
            SessionState = JsonNode.Parse(sent["session_state"]!)!.AsObject(),
            Dependencies = JsonNode.Parse(sent["dependencies"]!)!.AsObject(),
            Metadata = JsonNode.Parse(sent["metadata"]!)!.AsObject(),
        });
        RequestAssert.Matches(Fixtures.Get("140"), server.Last);
        var noHistory = await agent.RunAsync(new RunRequest("extras turn two") { SessionId = "fixture-extras-session", UserId = "extras-user", AddHistoryToContext = false });
        RequestAssert.Matches(Fixtures.Get("141"), server.Last);
        var quiet = await agent.RunStreamingAsync(new RunRequest("quiet stream please") { SessionId = "fixture-extras-session", UserId = "extras-user", StreamEvents = false }).ToListAsync();
        RequestAssert.Matches(Fixtures.Get("142"), server.Last);
        var stateful = await agent.RunStreamingAsync(new RunRequest("stateful stream")
        {
            SessionId = "fixture-extras-session",
            UserId = "extras-user",
            SessionState = new JsonObject { ["step"] = 2 },
            Metadata = new JsonObject { ["source"] = "fixture-stream" },
        }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("143"), server.Last);
        var bad = new RunRequest("bad state") { SessionId = "fixture-extras-session", UserId = "extras-user" };
        bad.AdditionalFields["session_state"] = "not json";
        var dropped = await agent.RunAsync(bad);
        RequestAssert.Matches(Fixtures.Get("145"), server.Last);

        Assert.Equal("apple", (string?)first.SessionState!["cart"]![0]);
        Assert.Equal("fixture", (string?)first.Metadata!["source"]);
        Assert.EndsWith("(turn 1)", noHistory.Content, StringComparison.Ordinal);
        Assert.All(quiet, e => Assert.IsType<RunContentEvent>(e));
        Assert.Equal(2, (int)stateful.SessionState!["step"]!);
        Assert.Equal(RunStatus.Completed, dropped.Status);
        Assert.NotNull(dropped.SessionState);
    }

    [Fact]
    public async Task Unicode_and_large_messages_round_trip()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("147", "148", "149");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");
        string unicode = TestSupport.Form("147")["message"]!;
        string large = TestSupport.Form("149")["message"]!;

        var output = await agent.RunAsync(unicode);
        RequestAssert.Matches(Fixtures.Get("147"), server.Last);
        var streamed = await agent.RunStreamingAsync(unicode).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("148"), server.Last);
        var big = await agent.RunAsync(large);
        RequestAssert.Matches(Fixtures.Get("149"), server.Last);

        Assert.Equal($"Echo: {unicode} (turn 1)", output.Content);
        Assert.Equal($"Echo: {unicode} (turn 1)", streamed.Content);
        Assert.Equal(211200, System.Text.Encoding.UTF8.GetByteCount(large));
        Assert.Contains(large, big.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_go_multipart_and_media_go_as_json_fields()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("150", "151", "152", "153", "155", "156");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");
        var png = TestSupport.Files("150").Single();
        var txt = TestSupport.Files("151").Single();

        var image = new RunRequest("describe the image");
        image.Files.Add(png);
        var imageOut = await agent.RunAsync(image);
        RequestAssert.Matches(Fixtures.Get("150"), server.Last);
        Assert.StartsWith("multipart/form-data", server.Last.ContentType);

        var text = new RunRequest("read the file");
        text.Files.Add(txt);
        var textOut = await agent.RunAsync(text);
        RequestAssert.Matches(Fixtures.Get("151"), server.Last);

        var both = new RunRequest("look at both");
        both.Files.Add(png);
        both.Files.Add(txt);
        var bothOut = await agent.RunStreamingAsync(both).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("152"), server.Last);

        var recordedImages = JsonNode.Parse(TestSupport.Form("153")["images"]!)!.AsArray();
        var json = new RunRequest("describe the base64 image");
        json.Images.Add(new MediaItem
        {
            Content = Convert.FromBase64String((string)recordedImages[0]!["content"]!),
            MimeType = (string?)recordedImages[0]!["mime_type"],
            Format = (string?)recordedImages[0]!["format"],
        });
        var jsonOut = await agent.RunAsync(json);
        RequestAssert.Matches(Fixtures.Get("153"), server.Last);

        var empty = new RunRequest("empty image");
        empty.Files.Add(TestSupport.Files("155").Single());
        var emptyOut = await agent.RunAsync(empty);
        RequestAssert.Matches(Fixtures.Get("155"), server.Last);

        var recordedFiles = JsonNode.Parse(TestSupport.Form("156")["input_files"]!)!.AsArray();
        var doc = new RunRequest("read the json file");
        doc.InputFiles.Add(MediaItem.FromText((string)recordedFiles[0]!["content"]!, (string)recordedFiles[0]!["mime_type"]!, (string?)recordedFiles[0]!["filename"]));
        var docOut = await agent.RunAsync(doc);
        RequestAssert.Matches(Fixtures.Get("156"), server.Last);

        Assert.Contains("[images=1]", imageOut.Content, StringComparison.Ordinal);
        Assert.Equal("image/png", imageOut.Input!.Value.GetProperty("images")[0].GetProperty("mime_type").GetString());
        Assert.Contains("[files=1]", textOut.Content, StringComparison.Ordinal);
        Assert.Contains("[images=1 files=1]", bothOut.Content, StringComparison.Ordinal);
        Assert.Contains("[images=1", jsonOut.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("[images", emptyOut.Content, StringComparison.Ordinal);
        Assert.Contains("files=1]", docOut.Content, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ParseSent(ReplayServer server)
        => RequestAssert.ParseBody(server.Last.ContentType, server.Last.Body).ToDictionary(p => p.Name, p => p.Value);
}

public sealed class RunTests_Agno29() : RunTests(FixtureSet.Agno29);

public sealed class RunTests_Agno30() : RunTests(FixtureSet.Agno30);
