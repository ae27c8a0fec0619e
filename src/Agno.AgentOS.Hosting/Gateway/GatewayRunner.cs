using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The gateway: runs, continues, cancels and reads runs of remote agents, teams and workflows through their
/// Agno.AgentOS handles. Streams pass through event by event; a remote HTTP error is answered with the remote's
/// status and <c>detail</c>.
/// </summary>
internal static class GatewayRunner
{
    private static readonly EventSource RemoteSource = new()
    {
        Scope = EmitterScope.Agent,
        ComponentId = "remote",
        ComponentName = "remote",
        RunId = string.Empty,
        SessionId = string.Empty,
    };

    public static async Task RunAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, RunForm form)
    {
        var request = new RunRequest(form.Message) { SessionId = form.SessionId, UserId = form.UserId };
        foreach (var (name, value) in form.ExtraFields)
        {
            request.AdditionalFields[name] = value;
        }

        if (RunForm.NonEmpty(form.Form, "version") is { } version)
        {
            // an integer on both agno versions; anything else is passed through for the server to judge
            if (int.TryParse(version, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int number))
            {
                request.Version = number;
            }
            else
            {
                request.AdditionalFields["version"] = version;
            }
        }

        foreach (var file in form.Form.Files.Where(f => f.Name == "files"))
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            request.Files.Add(new FileUpload(file.FileName, file.ContentType ?? "application/octet-stream", buffer.ToArray()));
        }

        var options = EndpointSupport.RemoteOptions(context, runtime);
        if (form.Background)
        {
            await ForwardAsync(context, runtime, entry, async ct => RemoteJson.ToNode(entry switch
            {
                { RemoteAgent: { } a } => await a.StartInBackgroundAsync(request, options, ct).ConfigureAwait(false),
                { RemoteTeam: { } t } => await t.StartInBackgroundAsync(request, options, ct).ConfigureAwait(false),
                _ => await entry.RemoteWorkflow!.StartInBackgroundAsync(request, options, ct).ConfigureAwait(false),
            }), StatusCodes.Status202Accepted).ConfigureAwait(false);
            return;
        }

        if (form.Stream)
        {
            var events = entry switch
            {
                { RemoteAgent: { } a } => a.RunStreamingAsync(request, options, context.RequestAborted),
                { RemoteTeam: { } t } => t.RunStreamingAsync(request, options, context.RequestAborted),
                _ => entry.RemoteWorkflow!.RunStreamingAsync(request, options, context.RequestAborted),
            };
            await PassThroughAsync(context, runtime, entry, events).ConfigureAwait(false);
            return;
        }

        await ForwardAsync(context, runtime, entry, async ct => RemoteJson.ToNode(entry switch
        {
            { RemoteAgent: { } a } => await a.RunAsync(request, options, ct).ConfigureAwait(false),
            { RemoteTeam: { } t } => await t.RunAsync(request, options, ct).ConfigureAwait(false),
            _ => await entry.RemoteWorkflow!.RunAsync(request, options, ct).ConfigureAwait(false),
        })).ConfigureAwait(false);
    }

    public static async Task ContinueAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, string runId, ContinueForm form)
    {
        string answers = form.Answers.ToJsonString(Wire.NodeOptions);
        var request = new ContinueRunRequest(form.SessionId) { UserId = form.UserId };
        switch (entry.Kind)
        {
            case ComponentKind.Agent:
                foreach (var t in RemoteJson.Deserialize<List<ToolExecution>>(answers) ?? [])
                {
                    request.Tools.Add(t);
                }

                break;
            case ComponentKind.Team:
                foreach (var r in RemoteJson.Deserialize<List<RunRequirement>>(answers) ?? [])
                {
                    request.Requirements.Add(r);
                }

                break;
            default:
                foreach (var r in RemoteJson.Deserialize<List<StepRequirement>>(answers) ?? [])
                {
                    request.StepRequirements.Add(r);
                }

                break;
        }

        var options = EndpointSupport.RemoteOptions(context, runtime);
        if (form.Stream)
        {
            var events = entry switch
            {
                { RemoteAgent: { } a } => a.ContinueStreamingAsync(runId, request, options, context.RequestAborted),
                { RemoteTeam: { } t } => t.ContinueStreamingAsync(runId, request, options, context.RequestAborted),
                _ => entry.RemoteWorkflow!.ContinueStreamingAsync(runId, request, options, context.RequestAborted),
            };
            await PassThroughAsync(context, runtime, entry, events).ConfigureAwait(false);
            return;
        }

        await ForwardAsync(context, runtime, entry, async ct => RemoteJson.ToNode(entry switch
        {
            { RemoteAgent: { } a } => await a.ContinueAsync(runId, request, options, ct).ConfigureAwait(false),
            { RemoteTeam: { } t } => await t.ContinueAsync(runId, request, options, ct).ConfigureAwait(false),
            _ => await entry.RemoteWorkflow!.ContinueAsync(runId, request, options, ct).ConfigureAwait(false),
        })).ConfigureAwait(false);
    }

    public static Task ResumeAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, string runId, string? sessionId, int? lastEventIndex)
    {
        var options = EndpointSupport.RemoteOptions(context, runtime);
        var events = entry switch
        {
            { RemoteAgent: { } a } => a.ResumeStreamingAsync(runId, sessionId, lastEventIndex, options, context.RequestAborted),
            { RemoteTeam: { } t } => t.ResumeStreamingAsync(runId, sessionId, lastEventIndex, options, context.RequestAborted),
            _ => entry.RemoteWorkflow!.ResumeStreamingAsync(runId, sessionId, lastEventIndex, options, context.RequestAborted),
        };
        return PassThroughAsync(context, runtime, entry, events);
    }

    public static Task CancelAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, string runId)
    {
        string? sessionId = context.Query("session_id");
        var options = EndpointSupport.RemoteOptions(context, runtime);
        return ForwardAsync(context, runtime, entry, async ct =>
        {
            var task = entry switch
            {
                { RemoteAgent: { } a } => a.CancelAsync(runId, sessionId, options, ct),
                { RemoteTeam: { } t } => t.CancelAsync(runId, sessionId, options, ct),
                _ => entry.RemoteWorkflow!.CancelAsync(runId, sessionId, options, ct),
            };
            await task.ConfigureAwait(false);
            return new JsonObject();
        });
    }

    public static Task GetRunAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, string runId, string sessionId)
    {
        var options = EndpointSupport.RemoteOptions(context, runtime);
        return ForwardAsync(context, runtime, entry, async ct => RemoteJson.ToNode(entry switch
        {
            { RemoteAgent: { } a } => await a.GetRunAsync(runId, sessionId, options, ct).ConfigureAwait(false),
            { RemoteTeam: { } t } => await t.GetRunAsync(runId, sessionId, options, ct).ConfigureAwait(false),
            _ => await entry.RemoteWorkflow!.GetRunAsync(runId, sessionId, options, ct).ConfigureAwait(false),
        }));
    }

    public static Task ListRunsAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, string sessionId, string? status)
    {
        var options = EndpointSupport.RemoteOptions(context, runtime);
        RunStatus? filter = string.IsNullOrEmpty(status) ? default(RunStatus?) : new RunStatus(status);
        return ForwardAsync(context, runtime, entry, async ct =>
        {
            var runs = entry switch
            {
                { RemoteAgent: { } a } => await a.ListRunsAsync(sessionId, filter, options, ct).ConfigureAwait(false),
                { RemoteTeam: { } t } => await t.ListRunsAsync(sessionId, filter, options, ct).ConfigureAwait(false),
                _ => await entry.RemoteWorkflow!.ListRunsAsync(sessionId, filter, options, ct).ConfigureAwait(false),
            };
            return Wire.ToArray(runs.Select(r => RemoteJson.ToNode(r)));
        });
    }

    /// <summary>Answers with a remote error: its status and <c>detail</c>; 503 when the remote is unreachable.</summary>
    public static Task WriteRemoteErrorAsync(HttpContext context, AgentOSException ex)
    {
        int status = ex switch
        {
            { StatusCode: { } code } => (int)code,
            AgentOSServerUnavailableException => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };
        JsonNode? detail = ex.DetailJson is { } json ? JsonNode.Parse(json.GetRawText()) : JsonValue.Create(ex.Detail ?? ex.Message);
        return Wire.WriteJsonAsync(context, new JsonObject { ["detail"] = detail }, status);
    }

    private static async Task ForwardAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, Func<CancellationToken, Task<JsonNode?>> call, int successStatus = StatusCodes.Status200OK)
    {
        JsonNode? body;
        try
        {
            body = await call(context.RequestAborted).ConfigureAwait(false);
        }
        catch (AgentOSRunFailedException ex) when (ex.Output is not null)
        {
            // A failed run is still HTTP 200 with status ERROR, as the remote answered.
            body = RemoteJson.ToNode(ex.Output);
        }
        catch (AgentOSException ex)
        {
            Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
            await WriteRemoteErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }

        await Wire.WriteJsonAsync(context, body, successStatus).ConfigureAwait(false);
    }

    private static async Task PassThroughAsync(HttpContext context, AgentOSRuntime runtime, ComponentEntry entry, IAsyncEnumerable<AgentOSEvent> events)
    {
        var sink = new SseEventSink(context);
        try
        {
            await foreach (var e in events.ConfigureAwait(false))
            {
                await sink.EmitAsync(Wrap(e)).ConfigureAwait(false);
                if (sink.Broken)
                {
                    return;
                }
            }
        }
        catch (AgentOSRunFailedException ex) when (ex.ErrorEvent is not null)
        {
            // The client turns a top-level error event into this exception; the caller gets the event.
            await sink.EmitAsync(Wrap(ex.ErrorEvent)).ConfigureAwait(false);
        }
        catch (AgentOSException ex) when (!sink.Started)
        {
            Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
            await WriteRemoteErrorAsync(context, ex).ConfigureAwait(false);
        }
        catch (AgentOSException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The upstream died mid-stream (a reset, a truncated body, a stall): the caller's stream must not end
            // as if the run had finished. Abort the connection, so the caller sees the same interrupted stream.
            Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
            context.Abort();
        }
    }

    private static HostEvent Wrap(AgentOSEvent e) => new()
    {
        Name = e is WorkflowRunOutputEvent ? "WorkflowRunOutput" : e.Event,
        Source = RemoteSource,
        Remote = e,
    };
}
