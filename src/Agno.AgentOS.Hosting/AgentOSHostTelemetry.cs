namespace Agno.AgentOS.Hosting;

/// <summary>
/// The names under which the host reports traces and metrics: subscribe with
/// <c>AddSource(AgentOSHostTelemetry.ActivitySourceName)</c> and <c>AddMeter(AgentOSHostTelemetry.MeterName)</c>.
/// Each run served is an internal <c>invoke_agent {id}</c> span (OpenTelemetry GenAI attribute names, with
/// <c>agno.component.kind</c>, <c>agno.run.id</c> and <c>agno.run.status</c>); the counter <c>agno.agentos.hosting.runs</c>
/// counts runs by component kind and final status. The client side (<see cref="AgentOSClient"/>) reports under
/// <see cref="AgentOSTelemetry.ActivitySourceName"/>.
/// </summary>
public static class AgentOSHostTelemetry
{
    /// <summary>The name of the host's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Agno.AgentOS.Hosting";

    /// <summary>The name of the host's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Agno.AgentOS.Hosting";
}
