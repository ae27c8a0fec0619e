using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Runs, continue, cancel and stored runs of agents, teams and workflows.</summary>
internal static class RunEndpoints
{
    public static async Task RunAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var entry = runtime.Registry.Find(kind, context.Route("id"));
        if (entry is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        var form = await RunForm.ReadAsync(context, runtime, allowFiles: kind != ComponentKind.Workflow).ConfigureAwait(false);
        if (form is null)
        {
            return;
        }

        if (form.Background)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "Background execution is not supported by this AgentOS host").ConfigureAwait(false);
            return;
        }

        string sessionId = form.SessionId ?? Wire.NewId();
        string runId = form.RunId ?? Wire.NewId();
        var session = await runtime.SessionForRunAsync(sessionId, form.UserId, context.RequestAborted).ConfigureAwait(false);
        var state = Merge(session?.SessionState, form.SessionState);
        if (kind == ComponentKind.Workflow)
        {
            await RunWorkflowAsync(context, runtime, entry.Workflow!, form, sessionId, runId, state).ConfigureAwait(false);
            return;
        }

        var spec = entry.Agent is not null ? ChatSpec.ForAgent(entry.Agent, asMember: false) : ChatSpec.ForTeam(entry.Team!);
        var run = ChatRunner.NewRun(spec, runId, sessionId, null, emitParent: false, null, runtime.Env.Now);
        run.UserId = form.UserId;
        run.Input = form.Input;
        run.SessionState = state;
        run.Metadata = form.Metadata;
        run.Streaming = form.Stream;
        run.StreamEvents = form.Stream && form.StreamEvents;

        // Teams keep their pause, error and continue events even when not streamed (as AgentOS does).
        run.RecordEvents = form.Stream || kind == ComponentKind.Team;
        if (form.OutputSchema is not null)
        {
            run.OutputSchema = form.OutputSchema;
            run.ContentType = form.StructuredContentType;
        }

        bool withHistory = form.AddHistoryToContext ?? spec.AddHistoryToContext;
        var history = withHistory ? await runtime.HistoryAsync(session, ComponentKey(kind), spec.Id, spec.NumHistoryRuns, cancellationToken: context.RequestAborted).ConfigureAwait(false) : [];
        var info = new SessionRunInfo(sessionId, entry.SessionType, spec.Id, form.UserId, form.Message, state, form.Metadata);
        await ExecuteChatAsync(context, runtime, form.Stream, runId, run, spec, info, (runner, ct) => runner.StartAsync(form.Message, form.Media, history, ct)).ConfigureAwait(false);
    }

    public static async Task ContinueAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var entry = runtime.Registry.Find(kind, context.Route("id"));
        if (entry is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        string field = kind switch
        {
            ComponentKind.Agent => "tools",
            ComponentKind.Team => "requirements",
            _ => "step_requirements",
        };
        var form = await ContinueForm.ReadAsync(context, runtime, field).ConfigureAwait(false);
        if (form is null)
        {
            return;
        }

        string runId = context.Route("run_id");

        var session = await runtime.SessionForRunAsync(form.SessionId, form.UserId, context.RequestAborted).ConfigureAwait(false);
        var stored = session is null ? null : await runtime.Store.GetRunAsync(session.SessionId, runId, context.RequestAborted).ConfigureAwait(false);
        if (session is null || stored is null || stored.Output.GetString(ComponentKey(kind)) != entry.Id)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, "Run not found").ConfigureAwait(false);
            return;
        }

        string status = stored.Status ?? string.Empty;
        if (status != "PAUSED" || stored.ResumeState is null)
        {
            string detail = kind == ComponentKind.Workflow
                ? $"run is {(status == "COMPLETED" ? "already completed" : status.ToLowerInvariant())}"
                : $"Cannot continue run {runId}: run is {(status == "COMPLETED" ? "already completed" : status.ToLowerInvariant())}";
            await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, detail).ConfigureAwait(false);
            return;
        }

        if (kind == ComponentKind.Workflow)
        {
            await ContinueWorkflowAsync(context, runtime, entry.Workflow!, session, stored, form).ConfigureAwait(false);
            return;
        }

        var spec = entry.Agent is not null ? ChatSpec.ForAgent(entry.Agent, asMember: false) : ChatSpec.ForTeam(entry.Team!);
        var source = new EventSource
        {
            Scope = spec.Scope,
            ComponentId = spec.Id,
            ComponentName = spec.Name,
            RunId = runId,
            SessionId = session.SessionId,
        };
        var run = ChatRun.FromStored(stored.Output, stored.ResumeState, source, spec.ModelId, spec.ModelProvider);
        run.UserId ??= form.UserId;
        run.Streaming = form.Stream;
        run.RecordEvents = form.Stream || kind == ComponentKind.Team;
        run.StreamEvents = form.Stream;
        if (kind == ComponentKind.Agent)
        {
            ApplyTools(run, form.Answers.OfType<JsonObject>());
        }
        else
        {
            ApplyRequirements(run, form.Answers.OfType<JsonObject>());
        }

        var history = spec.AddHistoryToContext ? await runtime.HistoryAsync(session, ComponentKey(kind), spec.Id, spec.NumHistoryRuns, runId, context.RequestAborted).ConfigureAwait(false) : [];
        var info = new SessionRunInfo(session.SessionId, entry.SessionType, spec.Id, run.UserId, null, run.SessionState, null);
        await ExecuteChatAsync(context, runtime, form.Stream, runId, run, spec, info, (runner, ct) => runner.ContinueAsync(history, runner.MemberRunner, ct)).ConfigureAwait(false);
    }

    private static async Task ExecuteChatAsync(HttpContext context, AgentOSRuntime runtime, bool stream, string runId, ChatRun run, ChatSpec spec, SessionRunInfo info, Func<ChatRunner, CancellationToken, Task> body)
    {
        string kind = run.IsTeam ? "team" : "agent";
        var cts = runtime.Runs.TryRegister(runId, context.RequestAborted);
        if (cts is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, $"Run {runId} is already running").ConfigureAwait(false);
            return;
        }

        using var activity = HostTelemetry.StartRun(kind, spec.Id, spec.Name, run.Source.SessionId, runId, run.Continued);
        var sink = stream ? new SseEventSink(context, () => runtime.Runs.Cancel(runId)) : null;
        var runner = new ChatRunner(runtime.Env, spec, run, (IEventSink?)sink ?? NullEventSink.Instance);
        bool persisted = false;
        async ValueTask PersistAsync()
        {
            bool first = !persisted && !run.Continued; // a continuation replaces its paused version
            persisted = true;
            await runtime.SaveRunAsync(info with { SessionState = run.SessionState }, Stored(run), first).ConfigureAwait(false);
        }

        runner.Persist = PersistAsync;
        try
        {
            await body(runner, cts.Token).ConfigureAwait(false);
        }
        finally
        {
            runtime.Runs.Unregister(runId, cts);
        }

        if (!persisted)
        {
            await PersistAsync().ConfigureAwait(false);
        }

        HostTelemetry.Finish(activity, kind, run.Status);
        if (!stream)
        {
            await Wire.WriteJsonAsync(context, run.ToOutput(OutputView.Response)).ConfigureAwait(false);
        }
    }

    private static AgentOSStoredRun Stored(ChatRun run) => new()
    {
        RunId = run.Source.RunId,
        Output = run.ToOutput(OutputView.Stored),
        ResumeState = run.Status == "PAUSED" ? run.ToResumeState() : null,
    };

    private static async Task RunWorkflowAsync(HttpContext context, AgentOSRuntime runtime, HostedWorkflow workflow, RunForm form, string sessionId, string runId, JsonObject? state)
    {
        var run = WorkflowRunner.NewRun(workflow, runId, sessionId, runtime.Env.Now);
        run.UserId = form.UserId;
        run.SessionState = state;
        run.Metadata = form.Metadata;
        run.Streaming = form.Stream;
        run.StreamEvents = form.Stream && form.StreamEvents;
        run.RecordEvents = true;
        var info = new SessionRunInfo(sessionId, AgentOSSessionTypes.Workflow, workflow.Id, form.UserId, form.Message, state, form.Metadata);
        await ExecuteWorkflowAsync(context, runtime, workflow, run, form.Stream, info, (runner, ct) => runner.StartAsync(form.Message, ct)).ConfigureAwait(false);
    }

    private static async Task ContinueWorkflowAsync(HttpContext context, AgentOSRuntime runtime, HostedWorkflow workflow, AgentOSSession session, AgentOSStoredRun stored, ContinueForm form)
    {
        var source = new EventSource
        {
            Scope = EmitterScope.Workflow,
            ComponentId = workflow.Id,
            ComponentName = workflow.Name ?? workflow.Id,
            RunId = stored.RunId,
            SessionId = session.SessionId,
        };
        var run = WorkflowRun.FromStored(stored.Output, stored.ResumeState!, source);
        run.RecordEvents = true;
        run.Streaming = form.Stream;
        run.StreamEvents = form.Stream;
        var info = new SessionRunInfo(session.SessionId, AgentOSSessionTypes.Workflow, workflow.Id, run.UserId ?? form.UserId, null, run.SessionState, null);
        await ExecuteWorkflowAsync(context, runtime, workflow, run, form.Stream, info, (runner, ct) => runner.ContinueAsync(form.Answers, ct)).ConfigureAwait(false);
    }

    private static async Task ExecuteWorkflowAsync(HttpContext context, AgentOSRuntime runtime, HostedWorkflow workflow, WorkflowRun run, bool stream, SessionRunInfo info, Func<WorkflowRunner, CancellationToken, Task> body)
    {
        string runId = run.Source.RunId;
        var cts = runtime.Runs.TryRegister(runId, context.RequestAborted);
        if (cts is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, $"Run {runId} is already running").ConfigureAwait(false);
            return;
        }

        using var activity = HostTelemetry.StartRun("workflow", workflow.Id, run.Source.ComponentName, run.Source.SessionId, runId, continued: run.Status == "PAUSED");
        var sink = stream ? new SseEventSink(context, () => runtime.Runs.Cancel(runId)) : null;
        var runner = new WorkflowRunner(runtime.Env, workflow, run, (IEventSink?)sink ?? NullEventSink.Instance);
        bool persisted = false, continued = run.Status == "PAUSED";
        async ValueTask PersistAsync()
        {
            bool first = !persisted && !continued;
            persisted = true;
            var storedRun = new AgentOSStoredRun
            {
                RunId = runId,
                Output = run.ToOutput(OutputView.Stored),
                ResumeState = run.Status == "PAUSED" ? run.ToResumeState() : null,
            };
            await runtime.SaveRunAsync(info, storedRun, first).ConfigureAwait(false);
        }

        runner.Persist = PersistAsync;
        try
        {
            await body(runner, cts.Token).ConfigureAwait(false);
        }
        catch (WorkflowFailedException ex)
        {
            // AgentOS does not store a failed workflow run.
            Log.WorkflowFailed(runtime.Logger, workflow.Id, runId, ex.Message);
            HostTelemetry.Finish(activity, "workflow", "ERROR");
            if (sink is not null)
            {
                await runner.FailedAsync(ex.Message).ConfigureAwait(false);
                await sink.EmitAsync(new HostEvent
                {
                    Name = "WorkflowError",
                    Source = run.Source,
                    CreatedAt = runtime.Env.Now,
                    Minimal = true,
                    Payload = new JsonObject { ["error"] = ex.Message },
                }).ConfigureAwait(false);
            }
            else
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status500InternalServerError, $"Error running workflow: {ex.Message}").ConfigureAwait(false);
            }

            return;
        }
        finally
        {
            runtime.Runs.Unregister(runId, cts);
        }

        if (!persisted)
        {
            await PersistAsync().ConfigureAwait(false);
        }

        HostTelemetry.Finish(activity, "workflow", run.Status);
        if (!stream)
        {
            await Wire.WriteJsonAsync(context, run.ToOutput(OutputView.Response)).ConfigureAwait(false);
        }
    }

    /// <summary>Resumable (background) streams are not kept by this host: a clear 400 instead of a bare 404.</summary>
    public static async Task ResumeAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var entry = runtime.Registry.Find(kind, context.Route("id"));
        if (entry is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "Resuming a run stream is not supported by this AgentOS host (background runs are not kept)").ConfigureAwait(false);
    }

    public static async Task CancelAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var entry = runtime.Registry.Find(kind, context.Route("id"));
        if (entry is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        string runId = context.Route("run_id");

        bool running = runtime.Runs.Cancel(runId);
        if (!running && runtime.Store is IAgentOSRunSignals signals)
        {
            await signals.PublishCancelAsync(runId, context.RequestAborted).ConfigureAwait(false); // the run may execute on another instance
        }

        Log.RunCancelRequested(runtime.Logger, runId, running);
        await Wire.WriteJsonAsync(context, new JsonObject()).ConfigureAwait(false);
    }

    public static async Task GetRunAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var entry = runtime.Registry.Find(kind, context.Route("id"));
        if (entry is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        string? sessionId = context.Query("session_id");
        if (string.IsNullOrEmpty(sessionId))
        {
            await Wire.WriteValidationAsync(context, Wire.MissingField("query", "session_id")).ConfigureAwait(false);
            return;
        }

        string runId = context.Route("run_id");

        var stored = await runtime.Store.GetRunAsync(sessionId, runId, context.RequestAborted).ConfigureAwait(false);
        if (stored is null || stored.Output.GetString(ComponentKey(kind)) != entry.Id)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, "Run not found").ConfigureAwait(false);
            return;
        }

        await Wire.WriteJsonAsync(context, stored.Output).ConfigureAwait(false);
    }

    public static async Task ListRunsAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var entry = runtime.Registry.Find(kind, context.Route("id"));
        if (entry is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        string? sessionId = context.Query("session_id");
        if (string.IsNullOrEmpty(sessionId))
        {
            await Wire.WriteValidationAsync(context, Wire.MissingField("query", "session_id")).ConfigureAwait(false);
            return;
        }

        string? status = context.Query("status");

        var runs = await runtime.Store.GetRunsAsync(sessionId, new AgentOSRunQuery { ComponentId = entry.Id }, context.RequestAborted).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var run in runs)
        {
            if (run.Output.GetString(ComponentKey(kind)) == entry.Id && (status is null || string.Equals(run.Status, status, StringComparison.OrdinalIgnoreCase)))
            {
                list.Add(RunSchemas.From(run.Output, keepNulls: true));
            }
        }

        await Wire.WriteJsonAsync(context, list).ConfigureAwait(false);
    }

    public static string ComponentKey(ComponentKind kind) => kind switch
    {
        ComponentKind.Agent => "agent_id",
        ComponentKind.Team => "team_id",
        _ => "workflow_id",
    };

    private static JsonObject? Merge(JsonObject? stored, JsonObject? sent)
    {
        if (stored is null && sent is null)
        {
            return null;
        }

        var merged = (JsonObject?)stored?.DeepClone() ?? [];
        foreach (var (key, value) in sent ?? [])
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    /// <summary>Copies an agent continue's <c>tools</c> (the human's answers) onto the run's tools.</summary>
    private static void ApplyTools(ChatRun run, IEnumerable<JsonObject> sent)
    {
        foreach (var tool in sent)
        {
            if (tool.GetString("tool_call_id") is { } callId)
            {
                Apply(run, callId, tool, null);
            }
        }
    }

    /// <summary>Copies a team continue's <c>requirements</c> onto the team's or its members' tools.</summary>
    private static void ApplyRequirements(ChatRun run, IEnumerable<JsonObject> sent)
    {
        foreach (var requirement in sent)
        {
            var tool = requirement.GetObject("tool_execution");
            if (tool?.GetString("tool_call_id") is not { } callId)
            {
                continue;
            }

            var target = requirement.GetString("member_run_id") is { } memberRunId ? run.FindMember(memberRunId) ?? run : run;
            Apply(target, callId, tool, requirement);
            if (!ReferenceEquals(target, run) && requirement.GetString("id") is { } id)
            {
                // The member keeps the requirement as the team sent it back (with the member fields and the answer).
                int index = target.Requirements.FindIndex(r => r.GetString("id") == id);
                if (index >= 0)
                {
                    target.Requirements[index] = (JsonObject)requirement.DeepClone();
                }
            }
        }
    }

    private static void Apply(ChatRun run, string callId, JsonObject sent, JsonObject? requirement)
    {
        var tool = run.Tools.Find(t => t.GetString("tool_call_id") == callId);
        if (tool is null)
        {
            return;
        }

        foreach (var key in new[] { "confirmed", "confirmation_note", "user_input_schema", "tool_args", "result", "answered" })
        {
            if (sent[key] is { } value)
            {
                tool[key] = value.DeepClone();
            }
        }

        if (requirement is null)
        {
            return;
        }

        if (requirement["confirmation"] is JsonValue confirmation && confirmation.TryGetValue(out bool confirmed))
        {
            tool["confirmed"] = confirmed;
        }

        if (requirement.GetString("confirmation_note") is { } note)
        {
            tool["confirmation_note"] = note;
        }

        if (requirement["external_execution_result"] is { } result)
        {
            tool["result"] = result.DeepClone();
        }

        if (requirement["user_input_schema"] is JsonArray schema)
        {
            tool["user_input_schema"] = schema.DeepClone();
        }
    }
}
