using System.Diagnostics;

namespace Agno.AgentOS.Internal;

/// <summary>The package's ActivitySource, with OpenTelemetry GenAI attribute names.</summary>
internal static class Telemetry
{
    public const string SourceName = "Agno.AgentOS";

    public static readonly ActivitySource Source = new(SourceName, typeof(Telemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// The attribute that tells a run's span already exists: an <c>invoke_agent</c> span tagged with the component's
    /// id (Agno.Agents.AI tags the span of MAF's <c>OpenTelemetryAgent</c> that wraps it). A run started inside such
    /// a span records an HTTP-level span beneath it instead of a second <c>invoke_agent</c> span.
    /// </summary>
    public const string ComponentIdTag = "agno.component.id";

    public static Activity? StartRun(ComponentKind kind, string id, string? sessionId, Uri baseAddress, string? path = null, string operation = "invoke_agent")
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        if (IsRunSpanOf(Activity.Current, id, operation))
        {
            string route = Route(kind, path);
            var http = Source.StartActivity($"POST {route}", ActivityKind.Client);
            if (http is not null)
            {
                http.SetTag("http.request.method", "POST");
                http.SetTag("url.template", route);
                http.SetTag("server.address", baseAddress.Host);
                http.SetTag("server.port", baseAddress.Port);
                http.SetTag(ComponentIdTag, id);
                http.SetTag("agno.component.type", kind.ToString().ToLowerInvariant());
                if (sessionId is not null)
                {
                    http.SetTag("agno.session.id", sessionId);
                }
            }

            return http;
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

    /// <summary>Whether the current span already is this run's (see <see cref="ComponentIdTag"/>).</summary>
    private static bool IsRunSpanOf(Activity? current, string id, string operation)
        => current is not null
            && current.GetTagItem("gen_ai.operation.name") as string == operation
            && current.GetTagItem(ComponentIdTag) as string == id;

    /// <summary>The low-cardinality route of a run request: <c>/agents/{agent_id}/runs</c>, <c>.../runs/{run_id}/continue</c>.</summary>
    private static string Route(ComponentKind kind, string? path)
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

    /// <summary>Records what a run's output tells (a run that was not streamed).</summary>
    public static void ObserveOutput(Activity activity, string? sessionId, string? runId, long? inputTokens, long? outputTokens)
    {
        if (activity.GetTagItem("gen_ai.operation.name") is null)
        {
            // The HTTP-level span beneath the caller's invoke_agent span (see StartRun).
            activity.SetTag("agno.session.id", sessionId);
            activity.SetTag("agno.run.id", runId);
            return;
        }

        activity.SetTag("gen_ai.conversation.id", sessionId);
        activity.SetTag("gen_ai.response.id", runId);
        if (inputTokens is not null || outputTokens is not null)
        {
            activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
        }
    }

    /// <summary>Records what the run's own events tell: the session, the run id, usage and the outcome.</summary>
    public static void Observe(Activity activity, AgentOSEvent e)
    {
        if (activity.GetTagItem("gen_ai.operation.name") is null)
        {
            // An HTTP-level span beneath the caller's invoke_agent span: the run's id and outcome, no gen_ai usage (that span has it).
            if (e is RunStartedEvent { RunId: { } runId })
            {
                activity.SetTag("agno.run.id", runId);
            }
            else if (e is RunPausedEvent or RunCancelledEvent)
            {
                activity.SetTag("agno.run.status", e is RunPausedEvent ? "PAUSED" : "CANCELLED");
            }

            return;
        }

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
