using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The package's ActivitySource and Meter (both named <c>Agno.AgentOS.Hosting</c>), with OpenTelemetry GenAI attribute names.</summary>
internal static class HostTelemetry
{
    public const string Name = AgentOSHostTelemetry.ActivitySourceName;

    public static readonly ActivitySource Source = new(Name, typeof(HostTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(HostTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Runs served, by component kind and final status.</summary>
    public static readonly Counter<long> Runs = Meter.CreateCounter<long>("agno.agentos.hosting.runs", unit: "{run}", description: "Runs served by the AgentOS host, by component kind and final status.");

    public static Activity? StartRun(string kind, string id, string name, string sessionId, string runId, bool continued)
    {
        var activity = Source.StartActivity($"invoke_agent {id}", ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("gen_ai.operation.name", "invoke_agent");
        activity.SetTag("gen_ai.agent.id", id);
        activity.SetTag("gen_ai.agent.name", name);
        activity.SetTag("gen_ai.conversation.id", sessionId);
        activity.SetTag("agno.component.kind", kind);
        activity.SetTag("agno.run.id", runId);
        if (continued)
        {
            activity.SetTag("agno.run.continued", true);
        }

        return activity;
    }

    public static void Finish(Activity? activity, string kind, RunStatus status)
    {
        Runs.Add(1, new KeyValuePair<string, object?>("agno.component.kind", kind), new KeyValuePair<string, object?>("agno.run.status", status.Value));
        if (activity is null)
        {
            return;
        }

        activity.SetTag("agno.run.status", status.Value);
        if (status.IsError)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
