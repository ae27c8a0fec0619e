using System.Diagnostics;
using System.Diagnostics.Metrics;
using Agno.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Spans and metrics of runs, after the OpenTelemetry GenAI conventions. Durations come from a fake clock that the
/// transport advances, so the recorded values are exact.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_run_is_an_invoke_agent_client_span_with_the_conventions_attributes()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var capture = new TelemetryCapture(server);
        var time = new FakeTimeProvider();
        using var client = Client(server, time, afterHeaders: TimeSpan.FromSeconds(1.5));

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));

        var span = Assert.Single(capture.Spans);
        Assert.Equal("invoke_agent echo-agent", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(AgentOSTelemetry.ActivitySourceName, span.Source.Name);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("invoke_agent", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("agno", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("echo-agent", span.GetTagItem("gen_ai.agent.id"));
        Assert.Equal("agent", span.GetTagItem("agno.component.type"));
        Assert.Equal(output.SessionId, span.GetTagItem("gen_ai.conversation.id"));
        Assert.Equal(output.RunId, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal("echo-model", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(10L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(5L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(server.BaseAddress.Port, span.GetTagItem("server.port"));
        Assert.Null(span.GetTagItem("error.type"));

        var duration = Assert.Single(capture.Measurements(AgentOSTelemetry.OperationDurationMetricName));
        Assert.Equal(1.5, duration.Value);
        Assert.Equal("invoke_agent", duration.Tags["gen_ai.operation.name"]);
        Assert.Equal("agno", duration.Tags["gen_ai.provider.name"]);
        Assert.Equal("echo-agent", duration.Tags["gen_ai.agent.id"]);
        Assert.Equal("echo-model", duration.Tags["gen_ai.response.model"]);
        Assert.False(duration.Tags.ContainsKey("error.type"));
        var tokens = capture.Measurements(AgentOSTelemetry.TokenUsageMetricName);
        Assert.Equal([("input", 10.0), ("output", 5.0)], tokens.Select(t => ((string)t.Tags["gen_ai.token.type"]!, t.Value)));
        Assert.Empty(capture.Measurements(AgentOSTelemetry.TimeToFirstChunkMetricName)); // streams only
    }

    [Fact]
    public async Task A_stream_records_its_time_to_first_event_and_its_whole_duration()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var capture = new TelemetryCapture(server);
        var time = new FakeTimeProvider();
        using var client = Client(server, time, afterHeaders: TimeSpan.FromMilliseconds(250));

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")))
        {
            if (e is RunCompletedEvent)
            {
                time.Advance(TimeSpan.FromSeconds(1)); // the run's last event arrives a second after the first
            }
        }

        Assert.Equal(0.25, Assert.Single(capture.Measurements(AgentOSTelemetry.TimeToFirstChunkMetricName)).Value);
        Assert.Equal(1.25, Assert.Single(capture.Measurements(AgentOSTelemetry.OperationDurationMetricName)).Value);
        Assert.Equal([10.0, 5.0], capture.Measurements(AgentOSTelemetry.TokenUsageMetricName).Select(m => m.Value));
        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("echo-model", span.GetTagItem("gen_ai.response.model"));
        Assert.Null(span.GetTagItem("agno.stream.completed"));
    }

    [Fact]
    public async Task Teams_are_agents_of_type_team_and_workflows_are_invoke_workflow()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("060", "070");
        using var capture = new TelemetryCapture(server);
        using var client = TestSupport.Client(server);

        await client.RunTeamAsync("echo-team", new RunRequest("team hello") { SessionId = "fixture-team-session" });
        await client.RunWorkflowAsync("echo-workflow", new RunRequest("workflow hello") { SessionId = "fixture-wf-session" });

        Assert.Equal(2, capture.Spans.Count);
        var team = capture.Spans[0];
        Assert.Equal("invoke_agent echo-team", team.DisplayName);
        Assert.Equal("team", team.GetTagItem("agno.component.type"));
        Assert.Equal("echo-team", team.GetTagItem("gen_ai.agent.id"));
        var workflow = capture.Spans[1];
        Assert.Equal("invoke_workflow echo-workflow", workflow.DisplayName);
        Assert.Equal("invoke_workflow", workflow.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("echo-workflow", workflow.GetTagItem("gen_ai.workflow.name"));
        Assert.Null(workflow.GetTagItem("gen_ai.agent.id"));
        Assert.Equal("workflow", workflow.GetTagItem("agno.component.type"));
        Assert.Equal(
            ["invoke_agent", "invoke_workflow"],
            capture.Measurements(AgentOSTelemetry.OperationDurationMetricName).Select(m => m.Tags["gen_ai.operation.name"]));
    }

    [Fact]
    public async Task An_http_error_answer_marks_the_span_and_the_duration_with_its_status_code()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("101");
        using var capture = new TelemetryCapture(server);
        using var client = TestSupport.Client(server);

        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentAsync("no-such-agent", new RunRequest("hi")));

        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("404", span.GetTagItem("error.type"));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(AgentOSNotFoundException).FullName, exception.Tags.First(t => t.Key == "exception.type").Value);
        Assert.Equal("404", Assert.Single(capture.Measurements(AgentOSTelemetry.OperationDurationMetricName)).Tags["error.type"]);
        Assert.Empty(capture.Measurements(AgentOSTelemetry.TokenUsageMetricName));
    }

    [Fact]
    public async Task Run_failures_streamed_or_not_and_a_workflow_500_are_run_failed_errors()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("120", "121", "125");
        using var capture = new TelemetryCapture(server);
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("fail-agent");

        await Assert.ThrowsAsync<AgentOSRunFailedException>(() => agent.RunAsync(new RunRequest("hello failure") { SessionId = "fixture-fail-session" }));
        await Assert.ThrowsAsync<AgentOSRunFailedException>(async () =>
        {
            await foreach (var e in agent.RunStreamingAsync(new RunRequest("hello streaming failure") { SessionId = "fixture-fail-session" }))
            {
            }
        });
        await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunWorkflowAsync("fail-workflow", new RunRequest("hello failure") { SessionId = "fixture-fail-wf-session" }));

        Assert.Equal(3, capture.Spans.Count);
        Assert.All(capture.Spans, s =>
        {
            Assert.Equal(ActivityStatusCode.Error, s.Status);
            Assert.Equal(typeof(AgentOSRunFailedException).FullName, s.GetTagItem("error.type"));
            Assert.Contains(s.Events, e => e.Name == "exception");
        });
        Assert.Contains("Simulated provider outage", capture.Spans[0].StatusDescription, StringComparison.Ordinal);
        Assert.Equal(false, capture.Spans[1].GetTagItem("agno.stream.completed"));
        Assert.All(capture.Measurements(AgentOSTelemetry.OperationDurationMetricName), m => Assert.Equal(typeof(AgentOSRunFailedException).FullName, m.Tags["error.type"]));
    }

    [Fact]
    public async Task An_interrupted_stream_is_an_error_of_its_exception_type()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { AbortAfterEvents = 2 });
        using var capture = new TelemetryCapture(server);
        using var client = TestSupport.Client(server);

        await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")))
            {
            }
        });

        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(AgentOSStreamInterruptedException).FullName, span.GetTagItem("error.type"));
        Assert.Equal(false, span.GetTagItem("agno.stream.completed"));
        Assert.Single(capture.Measurements(AgentOSTelemetry.TimeToFirstChunkMetricName));
    }

    [Fact]
    public async Task A_cancelled_call_is_an_error_of_its_cancellation_type()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var capture = new TelemetryCapture(server);
        using var client = TestSupport.Client(server);
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world"), cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        var errorType = Assert.IsType<string>(span.GetTagItem("error.type"));
        Assert.True(typeof(OperationCanceledException).IsAssignableFrom(Type.GetType(errorType)), errorType);
        Assert.Equal(errorType, Assert.Single(capture.Measurements(AgentOSTelemetry.OperationDurationMetricName)).Tags["error.type"]);
    }

    [Fact]
    public async Task A_run_cancelled_on_the_server_and_a_stream_left_early_are_not_errors()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("090", "021");
        using var capture = new TelemetryCapture(server);
        using var client = TestSupport.Client(server);

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("count slowly")))
        {
        }

        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world")))
        {
            break; // the caller stops reading
        }

        Assert.Equal(2, capture.Spans.Count);
        Assert.All(capture.Spans, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
        Assert.Equal("CANCELLED", capture.Spans[0].GetTagItem("agno.run.status"));
        Assert.Equal(false, capture.Spans[1].GetTagItem("agno.stream.completed"));
        Assert.All(capture.Measurements(AgentOSTelemetry.OperationDurationMetricName), m => Assert.False(m.Tags.ContainsKey("error.type")));
    }

    private static AgentOSClient Client(ReplayServer server, FakeTimeProvider time, TimeSpan afterHeaders)
    {
        var handler = new AdvancingHandler(time, afterHeaders) { InnerHandler = AgentOSClient.CreateHttpHandler() };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        return new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress }, http, timeProvider: time);
    }

    /// <summary>Moves the fake clock forward when a response's headers arrive: the time the server took.</summary>
    private sealed class AdvancingHandler(FakeTimeProvider time, TimeSpan by) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            time.Advance(by);
            return response;
        }
    }
}

/// <summary>The spans and measurements of the client's source and meter that concern one test server (tests run in parallel).</summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly int _port;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly List<Activity> _spans = [];
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    public TelemetryCapture(ReplayServer server)
    {
        _port = server.BaseAddress.Port;
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AgentOSTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("server.port"), _port))
                {
                    lock (_spans)
                    {
                        _spans.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AgentOSTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Measurements(string instrument)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var (key, tagValue) in tags)
        {
            map[key] = tagValue;
        }

        if (!Equals(map.GetValueOrDefault("server.port"), _port))
        {
            return;
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, map));
        }
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
