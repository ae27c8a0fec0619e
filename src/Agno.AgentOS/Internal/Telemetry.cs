using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;

namespace Agno.AgentOS.Internal;

/// <summary>The package's ActivitySource and Meter (see <see cref="AgentOSTelemetry"/>), with OpenTelemetry GenAI names.</summary>
internal static class Telemetry
{
    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString(3);

    public static readonly ActivitySource Source = new(AgentOSTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(AgentOSTelemetry.MeterName, Version);

    // Bucket boundaries the conventions ask for.
    private static readonly double[] SecondsBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        AgentOSTelemetry.OperationDurationMetricName, unit: "s", description: "GenAI operation duration.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static readonly Histogram<long> TokenUsage = Meter.CreateHistogram(
        AgentOSTelemetry.TokenUsageMetricName, unit: "{token}", description: "Number of input and output tokens used.",
        tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

    public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram(
        AgentOSTelemetry.TimeToFirstChunkMetricName, unit: "s", description: "Time to receive the first event of a streamed run.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Starts the telemetry of one run; null when nobody listens (no span, no metric).</summary>
    public static RunTelemetry? StartRun(ComponentKind kind, string id, string? sessionId, AgentOSPipeline pipeline, bool streaming, string? path = null)
    {
        if (!Source.HasListeners() && !OperationDuration.Enabled && !TokenUsage.Enabled && !TimeToFirstChunk.Enabled)
        {
            return null;
        }

        return new RunTelemetry(kind, id, sessionId, pipeline.BaseAddress, pipeline.Time, streaming, path);
    }

    /// <summary>
    /// The attribute that tells a run's span already exists: an <c>invoke_agent</c> span tagged with the component's
    /// id (Agno.Agents.AI tags the span of MAF's <c>OpenTelemetryAgent</c> that wraps it). A run started inside such
    /// a span records an HTTP-level span beneath it instead of a second <c>invoke_agent</c> span, and no GenAI metrics
    /// (the caller's span and metrics have them).
    /// </summary>
    public const string ComponentIdTag = "agno.component.id";

    /// <summary>Whether the current span already is this run's (see <see cref="ComponentIdTag"/>).</summary>
    public static bool IsRunSpanOf(Activity? current, string id)
        => current is not null
            && current.GetTagItem("gen_ai.operation.name") is "invoke_agent" or "invoke_workflow"
            && current.GetTagItem(ComponentIdTag) as string == id;

    /// <summary>The low-cardinality route of a run request: <c>/agents/{agent_id}/runs</c>, <c>.../runs/{run_id}/continue</c>.</summary>
    public static string Route(ComponentKind kind, string? path)
    {
        string component = kind switch
        {
            ComponentKind.Agent => "agents/{agent_id}",
            ComponentKind.Team => "teams/{team_id}",
            _ => "workflows/{workflow_id}",
        };
        var segments = (path ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);

        // /{kind}s/{id}/runs[/{run_id}[/{action}]]
        return segments.Length switch
        {
            >= 5 => $"/{component}/runs/{{run_id}}/{segments[4]}",
            4 => $"/{component}/runs/{{run_id}}",
            _ => $"/{component}/runs",
        };
    }

    /// <summary>The <c>error.type</c> of a failure: the status code of an HTTP error answer, else the exception's type.</summary>
    public static string ErrorType(Exception exception)
        => exception is AgentOSException { StatusCode: { } status } and not AgentOSRunFailedException and not AgentOSProtocolException && (int)status >= 400
            ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : exception.GetType().FullName ?? "_OTHER";
}

/// <summary>One run's span and measurements: started before the request, ended (and recorded) on dispose.</summary>
internal sealed class RunTelemetry : IDisposable
{
    private readonly string _operation;
    private readonly ComponentKind _kind;
    private readonly string _id;
    private readonly Uri _server;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly bool _streaming;
    private bool _firstSeen;
    private string? _model;
    private string? _errorType;
    private long? _inputTokens;
    private long? _outputTokens;

    /// <summary>Whether this is the HTTP-level span beneath the caller's own span of this run (see <see cref="Telemetry.ComponentIdTag"/>).</summary>
    private readonly bool _httpLevel;

    public RunTelemetry(ComponentKind kind, string id, string? sessionId, Uri server, TimeProvider time, bool streaming, string? path = null)
    {
        _kind = kind;
        _id = id;
        _server = server;
        _time = time;
        _streaming = streaming;
        _operation = kind == ComponentKind.Workflow ? "invoke_workflow" : "invoke_agent";
        _started = time.GetTimestamp();
        if (Telemetry.IsRunSpanOf(System.Diagnostics.Activity.Current, id))
        {
            _httpLevel = true;
            string route = Telemetry.Route(kind, path);
            Activity = Telemetry.Source.StartActivity($"POST {route}", ActivityKind.Client);
            if (Activity is { } http)
            {
                http.SetTag("http.request.method", "POST");
                http.SetTag("url.template", route);
                http.SetTag("server.address", server.Host);
                http.SetTag("server.port", server.Port);
                http.SetTag(Telemetry.ComponentIdTag, id);
                http.SetTag("agno.component.type", kind.ToString().ToLowerInvariant());
                if (sessionId is not null)
                {
                    http.SetTag("agno.session.id", sessionId);
                }
            }

            return;
        }

        Activity = Telemetry.Source.StartActivity($"{_operation} {id}", ActivityKind.Client);
        if (Activity is { } activity)
        {
            activity.SetTag("gen_ai.operation.name", _operation);
            activity.SetTag("gen_ai.provider.name", "agno");
            activity.SetTag(kind == ComponentKind.Workflow ? "gen_ai.workflow.name" : "gen_ai.agent.id", id);

            activity.SetTag("agno.component.type", kind.ToString().ToLowerInvariant());
            if (sessionId is not null)
            {
                activity.SetTag("gen_ai.conversation.id", sessionId);
            }

            activity.SetTag("server.address", server.Host);
            activity.SetTag("server.port", server.Port);
        }
    }

    public Activity? Activity { get; }

    /// <summary>Records what the run's own events tell: the session, the run id, the model, usage and the outcome.</summary>
    public void Observe(AgentOSEvent e, EventScope scope)
    {
        if (_httpLevel)
        {
            // the run's id and outcome only: the caller's invoke_agent span has the GenAI attributes and metrics
            if (!e.IsNested && e.Scope == scope)
            {
                if (e is RunStartedEvent { RunId: { } runId })
                {
                    Activity?.SetTag("agno.run.id", runId);
                }
                else if (e is RunPausedEvent or RunCancelledEvent)
                {
                    Activity?.SetTag("agno.run.status", e is RunPausedEvent ? "PAUSED" : "CANCELLED");
                }
            }

            return;
        }

        if (!_firstSeen)
        {
            _firstSeen = true;
            if (_streaming && Telemetry.TimeToFirstChunk.Enabled)
            {
                Telemetry.TimeToFirstChunk.Record(_time.GetElapsedTime(_started).TotalSeconds, CommonTags(withError: false));
            }
        }

        if (e.IsNested || e.Scope != scope)
        {
            return;
        }

        var activity = Activity;
        if (activity is not null && e.SessionId is { } sid && activity.GetTagItem("gen_ai.conversation.id") is null)
        {
            activity.SetTag("gen_ai.conversation.id", sid);
        }

        switch (e)
        {
            case RunStartedEvent started:
                _model ??= started.Model;
                activity?.SetTag("gen_ai.response.id", started.RunId);
                activity?.SetTag("gen_ai.response.model", started.Model);
                break;
            case RunCompletedEvent { Metrics: { } m }:
                Usage(m.InputTokens, m.OutputTokens);
                break;
            case RunPausedEvent:
                activity?.SetTag("agno.run.status", "PAUSED");
                break;
            case RunCancelledEvent:
                activity?.SetTag("agno.run.status", "CANCELLED");
                break;
        }
    }

    /// <summary>Records a non-streamed run's output.</summary>
    public void Observe(RunOutput output)
    {
        if (_httpLevel)
        {
            Activity?.SetTag("agno.session.id", output.SessionId);
            Activity?.SetTag("agno.run.id", output.RunId);
            return;
        }

        _model ??= output.Model;
        var activity = Activity;
        activity?.SetTag("gen_ai.conversation.id", output.SessionId);
        activity?.SetTag("gen_ai.response.id", output.RunId);
        if (output.Model is not null)
        {
            activity?.SetTag("gen_ai.response.model", output.Model);
        }

        if (output.Metrics is { } m)
        {
            Usage(m.InputTokens, m.OutputTokens);
        }
    }

    private void Usage(long input, long output)
    {
        _inputTokens = input;
        _outputTokens = output;
        Activity?.SetTag("gen_ai.usage.input_tokens", input);
        Activity?.SetTag("gen_ai.usage.output_tokens", output);
    }

    /// <summary>Marks the run failed: error status, <c>error.type</c> and an exception event (the first failure wins).</summary>
    public void Fail(Exception exception)
    {
        if (_errorType is not null)
        {
            return;
        }

        _errorType = Telemetry.ErrorType(exception);
        if (Activity is { } activity)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.SetTag("error.type", _errorType);
            activity.AddException(exception);
        }
    }

    /// <summary>A stream the caller stopped reading (or that failed) before its end.</summary>
    public void Incomplete() => Activity?.SetTag("agno.stream.completed", false);

    public void Dispose()
    {
        if (_httpLevel)
        {
            Activity?.Dispose();
            return;
        }

        if (Telemetry.OperationDuration.Enabled)
        {
            Telemetry.OperationDuration.Record(_time.GetElapsedTime(_started).TotalSeconds, CommonTags(withError: true));
        }

        if (Telemetry.TokenUsage.Enabled && _errorType is null)
        {
            if (_inputTokens is { } input)
            {
                var tags = CommonTags(withError: false);
                tags.Add("gen_ai.token.type", "input");
                Telemetry.TokenUsage.Record(input, tags);
            }

            if (_outputTokens is { } output)
            {
                var tags = CommonTags(withError: false);
                tags.Add("gen_ai.token.type", "output");
                Telemetry.TokenUsage.Record(output, tags);
            }
        }

        Activity?.Dispose();
    }

    private TagList CommonTags(bool withError)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", _operation },
            { "gen_ai.provider.name", "agno" },
            { _kind == ComponentKind.Workflow ? "gen_ai.workflow.name" : "gen_ai.agent.id", _id },
            { "server.address", _server.Host },
            { "server.port", _server.Port },
        };
        if (_model is not null)
        {
            tags.Add("gen_ai.response.model", _model);
        }

        if (withError && _errorType is not null)
        {
            tags.Add("error.type", _errorType);
        }

        return tags;
    }
}
