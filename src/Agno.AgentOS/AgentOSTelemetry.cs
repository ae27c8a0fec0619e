namespace Agno.AgentOS;

/// <summary>
/// The names under which the client reports traces and metrics, following the OpenTelemetry GenAI semantic
/// conventions: subscribe with <c>AddSource(AgentOSTelemetry.ActivitySourceName)</c> and
/// <c>AddMeter(AgentOSTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every run, continue and resume (streamed or not) is one <see cref="System.Diagnostics.ActivityKind.Client"/> span:
/// <c>invoke_agent {id}</c> for agents and teams (a team is an agent that delegates; <c>agno.component.type</c> says
/// <c>team</c>), <c>invoke_workflow {id}</c> for workflows (with <c>gen_ai.workflow.name</c>). Attributes:
/// <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c> (<c>agno</c>), <c>gen_ai.agent.id</c>,
/// <c>gen_ai.conversation.id</c> (the session), <c>gen_ai.response.id</c> (the run), <c>gen_ai.response.model</c>,
/// <c>gen_ai.usage.input_tokens</c> / <c>output_tokens</c>, <c>server.address</c>, <c>server.port</c>.
/// </para>
/// <para>
/// A failure sets the span's status to error, adds an <c>exception</c> event and sets <c>error.type</c> (also on the
/// duration metric): the HTTP status code (<c>"404"</c>, <c>"503"</c>) for an error answer, otherwise the exception's
/// full type name, e.g. <c>Agno.AgentOS.AgentOSRunFailedException</c> (a run that failed on the server),
/// <c>Agno.AgentOS.AgentOSStreamInterruptedException</c>, <c>Agno.AgentOS.AgentOSTimeoutException</c>,
/// <c>Agno.AgentOS.AgentOSProtocolException</c>, <c>System.Net.Http.HttpRequestException</c>, and
/// <c>System.Threading.Tasks.TaskCanceledException</c> / <c>System.OperationCanceledException</c> for a call the caller
/// cancelled (a thrown exception is a failure under the conventions). A run that the server reports paused or
/// cancelled ends normally (<c>agno.run.status</c> says which); a stream the caller stops reading early is not an error
/// (<c>agno.stream.completed</c> is false).
/// </para>
/// </remarks>
public static class AgentOSTelemetry
{
    /// <summary>The name of the client's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Agno.AgentOS";

    /// <summary>The name of the client's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Agno.AgentOS";

    /// <summary>Histogram of run durations in seconds (<c>s</c>), failed runs included (with <c>error.type</c>).</summary>
    public const string OperationDurationMetricName = "gen_ai.client.operation.duration";

    /// <summary>Histogram of the tokens a run reported (<c>{token}</c>), one measurement per <c>gen_ai.token.type</c> (<c>input</c>, <c>output</c>).</summary>
    public const string TokenUsageMetricName = "gen_ai.client.token.usage";

    /// <summary>Histogram of the time from sending a streamed run to its first event, in seconds (streams only).</summary>
    public const string TimeToFirstChunkMetricName = "gen_ai.client.operation.time_to_first_chunk";
}
