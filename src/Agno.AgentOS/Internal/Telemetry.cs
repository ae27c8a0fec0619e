using System.Diagnostics;

namespace Agno.AgentOS.Internal;

/// <summary>The package's ActivitySource, with OpenTelemetry GenAI attribute names.</summary>
internal static class Telemetry
{
    public const string SourceName = "Agno.AgentOS";

    public static readonly ActivitySource Source = new(SourceName, typeof(Telemetry).Assembly.GetName().Version?.ToString(3));

    public static Activity? StartRun(ComponentKind kind, string id, string? sessionId, Uri baseAddress, string operation = "invoke_agent")
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity($"{operation} {id}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", operation);
            activity.SetTag("gen_ai.provider.name", "agno");
            activity.SetTag("gen_ai.agent.id", id);
            activity.SetTag("agno.component.type", kind.ToString().ToLowerInvariant());
            if (sessionId is not null)
            {
                activity.SetTag("gen_ai.conversation.id", sessionId);
            }

            activity.SetTag("server.address", baseAddress.Host);
            activity.SetTag("server.port", baseAddress.Port);
        }

        return activity;
    }

    /// <summary>Records what the run's own events tell: the session, the run id, usage and the outcome.</summary>
    public static void Observe(Activity activity, AgentOSEvent e)
    {
        if (e.SessionId is { } sid && activity.GetTagItem("gen_ai.conversation.id") is null)
        {
            activity.SetTag("gen_ai.conversation.id", sid);
        }

        switch (e)
        {
            case RunStartedEvent started:
                activity.SetTag("gen_ai.response.id", started.RunId);
                activity.SetTag("gen_ai.response.model", started.Model);
                break;
            case RunCompletedEvent { Metrics: { } m }:
                activity.SetTag("gen_ai.usage.input_tokens", m.InputTokens);
                activity.SetTag("gen_ai.usage.output_tokens", m.OutputTokens);
                break;
            case RunPausedEvent:
                activity.SetTag("agno.run.status", "PAUSED");
                break;
            case RunCancelledEvent:
                activity.SetTag("agno.run.status", "CANCELLED");
                break;
        }
    }
}
