using System.Net;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public sealed class CancelAndErrorTests
{
    [Theory]
    [InlineData("agent", "090", "091", "echo-agent", "slow please", "fixture-cancel-agents")]
    [InlineData("team", "094", "095", "echo-team", "slow team please", "fixture-cancel-teams")]
    [InlineData("workflow", "096", "097", "echo-workflow", "slow workflow please", "fixture-cancel-workflows")]
    public async Task Cancelling_a_running_stream_on_the_server_ends_it_cancelled(string kind, string streamFixture, string cancelFixture, string id, string message, string session)
    {
        await using var server = await ReplayServer.StartAsync();
        // The recorded stream holds before its cancelled event until the client's cancel request has been
        // answered: the test fails if the client never sends it.
        int cancelledAt = TestSupport.RecordedEventNames(streamFixture).FindIndex(n => n.EndsWith("Cancelled", StringComparison.Ordinal));
        server.Serve(streamFixture, new ServeOptions { GateBeforeEvent = cancelledAt, Gate = server.WhenServed(cancelFixture) });
        server.Serve(cancelFixture);
        using var client = TestSupport.Client(server);
        var request = new RunRequest(message) { SessionId = session };
        var stream = kind switch
        {
            "agent" => client.RunAgentStreamingAsync(id, request),
            "team" => client.RunTeamStreamingAsync(id, request),
            _ => client.RunWorkflowStreamingAsync(id, request),
        };

        var accumulator = new RunStreamAccumulator();
        bool cancelSent = false;
        await foreach (var e in stream)
        {
            accumulator.Add(e);
            if (!cancelSent && accumulator.Result.RunId is { } runId)
            {
                cancelSent = true;
                await (kind switch
                {
                    "agent" => client.CancelAgentRunAsync(id, runId),
                    "team" => client.CancelTeamRunAsync(id, runId),
                    _ => client.CancelWorkflowRunAsync(id, runId),
                });
                RequestAssert.Matches(Fixtures.Get(cancelFixture), server.Last);
            }
        }

        var result = accumulator.Result;
        Assert.True(cancelSent);
        Assert.True(result.IsCancelled);
        Assert.NotNull(result.CancelledEvent);
        Assert.NotNull(result.CompletedEvent); // the server sends a completed event after the cancelled one
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_run_succeeds_and_a_cancelled_run_is_stored_cancelled()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("092", "093");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");

        await agent.CancelAsync("00000000-0000-0000-0000-000000000000");
        RequestAssert.Matches(Fixtures.Get("092"), server.Last);
        var run = await agent.GetRunAsync("ff4a412f-4b9f-4599-8a68-4d4693079236", "fixture-cancel-agents");
        RequestAssert.Matches(Fixtures.Get("093"), server.Last);

        Assert.True(run.IsCancelled);
    }

    [Fact]
    public async Task Cancelling_the_token_mid_stream_stops_reading_and_closes_the_connection()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { StallAfterEvents = 3 });
        using var client = TestSupport.Client(server);
        using var cts = new CancellationTokenSource();
        var received = new List<AgentOSEvent>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world"), cancellationToken: cts.Token))
            {
                received.Add(e);
                if (received.Count == 3)
                {
                    cts.Cancel();
                }
            }
        });

        Assert.Equal(3, received.Count);
        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disposing_a_stream_early_releases_the_connection()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { StallAfterEvents = 2 });
        using var client = TestSupport.Client(server);

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")))
        {
            Assert.IsType<RunStartedEvent>(e);
            break;
        }

        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Failed_agent_run_is_http_200_with_status_error_and_throws_run_failed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("120", "121", "122");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("fail-agent");

        var ex = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => agent.RunAsync(new RunRequest("hello failure") { SessionId = "fixture-fail-session" }));
        RequestAssert.Matches(Fixtures.Get("120"), server.Last);
        Assert.Equal(RunStatus.Error, ex.Output!.Status);
        Assert.Contains("Simulated provider outage", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);

        var events = new List<AgentOSEvent>();
        var streamEx = await Assert.ThrowsAsync<AgentOSRunFailedException>(async () =>
        {
            await foreach (var e in agent.RunStreamingAsync(new RunRequest("hello streaming failure") { SessionId = "fixture-fail-session" }))
            {
                events.Add(e);
            }
        });
        RequestAssert.Matches(Fixtures.Get("121"), server.Last);
        Assert.Equal(["RunStarted", "ModelRequestStarted", "RunContent", "RunContent"], events.Select(e => e.Event));
        Assert.Equal("model_provider_error", streamEx.ErrorType);
        Assert.Equal("RunError", streamEx.ErrorEvent!.Event);
        Assert.NotNull(streamEx.RunId);

        var stored = await agent.GetRunAsync(ex.RunId!, "fixture-fail-session");
        RequestAssert.Matches(Fixtures.Get("122"), server.Last);
        Assert.Equal(RunStatus.Error, stored.Status);
    }

    [Fact]
    public async Task Failed_team_run_throws_in_both_modes()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("123", "124");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("fail-team");

        var ex = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => team.RunAsync("team failure"));
        RequestAssert.Matches(Fixtures.Get("123"), server.Last);
        Assert.IsType<TeamRunOutput>(ex.Output);
        Assert.Equal("TeamRunError", ex.Output!.Events!.Value[0].GetProperty("event").GetString());

        var events = new List<AgentOSEvent>();
        var streamEx = await Assert.ThrowsAsync<AgentOSRunFailedException>(async () =>
        {
            await foreach (var e in team.RunStreamingAsync("team streaming failure"))
            {
                events.Add(e);
            }
        });
        RequestAssert.Matches(Fixtures.Get("124"), server.Last);
        Assert.Equal(["TeamRunStarted", "TeamModelRequestStarted"], events.Select(e => e.Event));
        Assert.Equal("TeamRunError", streamEx.ErrorEvent!.Event);
    }

    [Fact]
    public async Task Failed_workflow_throws_run_failed_in_both_modes_and_is_not_stored()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("125", "126", "127");
        using var client = TestSupport.Client(server);
        var workflow = client.GetRemoteWorkflow("fail-workflow");

        // non-streaming, agno answers 500 "Error running workflow: ...": the same exception as the streamed failure
        var ex = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => workflow.RunAsync(new RunRequest("workflow failure") { SessionId = "fixture-wf-fail-session" }));
        RequestAssert.Matches(Fixtures.Get("125"), server.Last);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.StartsWith("Error running workflow: ", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("fixture-wf-fail-session", ex.SessionId);
        var server500 = Assert.IsType<AgentOSServerException>(ex.InnerException);
        Assert.Equal(ex.Detail, server500.Detail);

        var events = new List<AgentOSEvent>();
        var streamEx = await Assert.ThrowsAsync<AgentOSRunFailedException>(async () =>
        {
            await foreach (var e in workflow.RunStreamingAsync(new RunRequest("workflow streaming failure") { SessionId = "fixture-wf-fail-session-2" }))
            {
                events.Add(e);
            }
        });
        RequestAssert.Matches(Fixtures.Get("126"), server.Last);
        // the step agent's own error is an event of a nested run: the workflow goes on
        Assert.Contains(events, e => e is RunErrorEvent && e.Scope == EventScope.Agent);
        Assert.Equal("StepStarted", events[^1].Event);
        Assert.Equal("WorkflowError", streamEx.ErrorEvent!.Event);
        Assert.NotNull(streamEx.ErrorEvent.Error);
        Assert.Equal(streamEx.ErrorEvent.Error, streamEx.ErrorEvent.Message);

        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => workflow.GetRunAsync(streamEx.RunId!, "fixture-wf-fail-session-2"));
        RequestAssert.Matches(Fixtures.Get("127"), server.Last);
    }

    [Fact]
    public async Task Error_fixtures_map_to_their_exception_types()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);

        server.Serve("101");
        var notFound = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentAsync("no-such-agent", new RunRequest("hi")));
        RequestAssert.Matches(Fixtures.Get("101"), server.Last);
        Assert.Equal("Agent not found", notFound.Detail);
        Assert.Equal("POST", notFound.Method);

        server.Serve("154");
        var unsupported = new RunRequest("run this");
        unsupported.Files.Add(TestSupport.Files("154").Single());
        var badFile = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", unsupported));
        RequestAssert.Matches(Fixtures.Get("154"), server.Last);
        Assert.Equal("Unsupported file type", badFile.Detail);
        Assert.Empty(badFile.ValidationErrors);

        server.Serve("107");
        var badTools = new ContinueRunRequest("fixture-hitl-session");
        badTools.AdditionalFields["tools"] = "not json";
        // a typed property owns "tools": the client refuses to send it twice
        Assert.Throws<ArgumentException>(() => { client.ContinueAgentRunAsync("tool-agent", "fc877b43-0ed4-4522-b0b4-79abad79e9c9", badTools).GetAwaiter().GetResult(); });
    }

    [Theory]
    [InlineData("104", "body.message", "missing")]
    [InlineData("105", "body.message", "missing")]
    [InlineData("106", "body.stream", "bool_parsing")]
    public async Task Validation_errors_keep_the_422_list(string fixture, string location, string type)
    {
        // These recorded requests are malformed (no message, a JSON body, stream=maybe): this client cannot
        // produce them, so the recorded answers are served to a well-formed run to test the mapping.
        await using var server = await ReplayServer.StartAsync();
        server.Serve(Fixtures.Get(fixture), new ServeOptions());
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hi")));

        Assert.Equal((HttpStatusCode)422, ex.StatusCode);
        var error = Assert.Single(ex.ValidationErrors);
        Assert.Equal(location, error.Location);
        Assert.Equal(type, error.Type);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, ex.DetailJson!.Value.ValueKind);
        Assert.Contains(location, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("107", "Invalid JSON in tools field")]
    [InlineData("108", "session_id is required for this action")]
    public async Task Continue_errors_are_bad_requests(string fixture, string detail)
    {
        // 107 sent tools='not json' and 108 no session id: both impossible through ContinueRunRequest, so the
        // recorded answers are served to a well-formed continue.
        await using var server = await ReplayServer.StartAsync();
        server.Serve(fixture);
        using var client = TestSupport.Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSBadRequestException>(() =>
            client.ContinueAgentRunAsync("tool-agent", "fc877b43-0ed4-4522-b0b4-79abad79e9c9", new ContinueRunRequest("fixture-hitl-session")));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(detail, ex.Detail);
        Assert.Throws<ArgumentException>(() => new ContinueRunRequest(" "));
    }
}
