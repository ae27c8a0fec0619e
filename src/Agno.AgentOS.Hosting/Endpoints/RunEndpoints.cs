using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Runs, continue, cancel and stored runs of agents, teams and workflows.</summary>
internal static class RunEndpoints
{
    public static async Task RunAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
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
        await ExecuteChatAsync(context, runtime, form.Stream, form.Background, runId, run, spec, info, (runner, ct) => runner.StartAsync(form.Message, form.Media, history, ct)).ConfigureAwait(false);
    }

    public static async Task ContinueAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
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
        if (session is null || stored is null || stored.IdOf(ComponentKey(kind)) != entry.Id)
        {
            // AgentOS: a workflow's run lookup, or the ownership check under JWT isolation, answers "Run not found"; an
            // agent's or team's continue otherwise fails in the run itself (RunNotFoundError, its 404)
            string detail = kind == ComponentKind.Workflow || AgentOSCaller.Of(context)?.ScopedUserId is not null ? "Run not found" : $"No runs found for run ID {runId}";
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, detail).ConfigureAwait(false);
            return;
        }

        var status = stored.Status ?? default;
        if (!status.IsPaused || stored.ResumeStateUtf8.IsEmpty)
        {
            string state = status.IsCompleted ? "already completed" : status.Value.ToLowerInvariant();
            string detail = kind == ComponentKind.Workflow ? $"run is {state}" : $"Cannot continue run {runId}: run is {state}";
            await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, detail).ConfigureAwait(false);
            return;
        }

        var fields = StoredRunFields.Of(stored.OutputUtf8);
        if (kind == ComponentKind.Workflow)
        {
            await ContinueWorkflowAsync(context, runtime, entry.Workflow!, session, stored, fields, form).ConfigureAwait(false);
            return;
        }

        // Admin approvals: with RBAC only an approver continues a run whose approval is pending; a continue without
        // answers takes the resolved approvals' answers (AgentOS's require_approval_resolved and approval resolution).
        Dictionary<string, AgentOSApproval>? resolutions = null;
        if (runtime.Approvals is { } approvals && ApprovalCoordinator.BlockingTools(fields) is { Count: > 0 } blocking)
        {
            var caller = AgentOSCaller.Of(context);
            if (caller is { EnforceScopes: true } && !caller.Has("approvals:write") && await approvals.AnyPendingAsync(runId, blocking.Select(b => b.ApprovalId), context.RequestAborted).ConfigureAwait(false))
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status403Forbidden, ApprovalCoordinator.AdminApprovalDetail).ConfigureAwait(false);
                return;
            }

            if (form.Answers.Count == 0)
            {
                resolutions = await approvals.ResolutionsAsync(runId, blocking, context.RequestAborted).ConfigureAwait(false);
                if (resolutions is null)
                {
                    await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, ApprovalCoordinator.UnresolvedDetail).ConfigureAwait(false);
                    return;
                }
            }
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
        var run = ChatRun.FromStored(fields, stored.ResumeStateUtf8, source, spec.ModelId, spec.ModelProvider);
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

        if (resolutions is not null)
        {
            ApprovalCoordinator.Apply(run, resolutions);
        }

        var history = spec.AddHistoryToContext ? await runtime.HistoryAsync(session, ComponentKey(kind), spec.Id, spec.NumHistoryRuns, runId, context.RequestAborted).ConfigureAwait(false) : [];
        var info = new SessionRunInfo(session.SessionId, entry.SessionType, spec.Id, run.UserId, null, run.SessionState, null);
        await ExecuteChatAsync(context, runtime, form.Stream, background: false, runId, run, spec, info, (runner, ct) => runner.ContinueAsync(history, ct)).ConfigureAwait(false);
    }

    private static async Task ExecuteChatAsync(HttpContext context, AgentOSRuntime runtime, bool stream, bool background, string runId, ChatRun run, ChatSpec spec, SessionRunInfo info, Func<ChatRunner, CancellationToken, Task> body)
    {
        var cts = runtime.Runs.TryRegister(runId, background ? runtime.Background.Stopping : context.RequestAborted);
        if (cts is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, $"Run {runId} is already running").ConfigureAwait(false);
            return;
        }

        if (background)
        {
            // AgentOS's background run: stored as RUNNING at once (pollable), executed detached from this request.
            var kind = run.IsTeam ? ComponentKind.Team : ComponentKind.Agent;
            var indexed = stream ? await runtime.Background.OpenAsync(EventStream(runId, info, kind), CancellationToken.None).ConfigureAwait(false) : null;
            await runtime.SaveRunAsync(info with { SessionState = run.SessionState }, run.ToStoredRun()).ConfigureAwait(false);
            runtime.Background.Start(runId, indexed, async () =>
            {
                await RunChatAsync(runtime, runId, run, spec, info, body, (IEventSink?)indexed ?? NullEventSink.Instance, indexed, cts).ConfigureAwait(false);
                return run.Status.Value;
            });
            await (indexed is not null ? BackgroundRuns.StreamAsync(context, indexed) : BackgroundRuns.AcceptedAsync(context, runId, info.SessionId)).ConfigureAwait(false);
            return;
        }

        var sink = stream ? new SseEventSink(context, () => runtime.Runs.Cancel(runId)) : null;
        await RunChatAsync(runtime, runId, run, spec, info, body, (IEventSink?)sink ?? NullEventSink.Instance, null, cts).ConfigureAwait(false);
        if (!stream)
        {
            await run.WriteOutputAsync(context, OutputView.Response).ConfigureAwait(false);
        }
    }

    private static async Task RunChatAsync(AgentOSRuntime runtime, string runId, ChatRun run, ChatSpec spec, SessionRunInfo info, Func<ChatRunner, CancellationToken, Task> body, IEventSink sink, BackgroundRuns.IndexedEventSink? indexed, CancellationTokenSource cts)
    {
        string kind = run.IsTeam ? "team" : "agent";
        using var activity = HostTelemetry.StartRun(kind, spec.Id, spec.Name, run.Source.SessionId, runId, run.Continued);
        var runner = new ChatRunner(runtime.Env, spec, run, sink);
        bool persisted = false;
        async ValueTask PersistAsync()
        {
            bool first = !persisted && !run.Continued; // a continuation replaces its paused version
            persisted = true;
            var stored = run.ToStoredRun(indexed is not null && runtime.Options.SpeaksAgno3 ? indexed.StampStoredEvents : null);
            await runtime.SaveRunAsync(info with { SessionState = run.SessionState }, stored, first).ConfigureAwait(false);
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
    }

    private static AgentOSRunEventStream EventStream(string runId, SessionRunInfo info, ComponentKind kind) => new()
    {
        RunId = runId,
        SessionId = info.SessionId,
        UserId = info.UserId,
        ComponentKind = BackgroundRuns.KindName(kind),
        ComponentId = info.ComponentId,
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
        await ExecuteWorkflowAsync(context, runtime, workflow, run, form.Stream, form.Background, info, (runner, ct) => runner.StartAsync(form.Message, ct)).ConfigureAwait(false);
    }

    private static async Task ContinueWorkflowAsync(HttpContext context, AgentOSRuntime runtime, HostedWorkflow workflow, AgentOSSession session, AgentOSStoredRun stored, StoredRunFields fields, ContinueForm form)
    {
        var source = new EventSource
        {
            Scope = EmitterScope.Workflow,
            ComponentId = workflow.Id,
            ComponentName = workflow.Name ?? workflow.Id,
            RunId = stored.RunId,
            SessionId = session.SessionId,
        };
        var run = WorkflowRun.FromStored(fields, stored.ResumeStateUtf8, source);
        run.RecordEvents = true;
        run.Streaming = form.Stream;
        run.StreamEvents = form.Stream;
        var info = new SessionRunInfo(session.SessionId, AgentOSSessionTypes.Workflow, workflow.Id, run.UserId ?? form.UserId, null, run.SessionState, null);
        await ExecuteWorkflowAsync(context, runtime, workflow, run, form.Stream, background: false, info, (runner, ct) => runner.ContinueAsync(form.Answers, ct)).ConfigureAwait(false);
    }

    private static async Task ExecuteWorkflowAsync(HttpContext context, AgentOSRuntime runtime, HostedWorkflow workflow, WorkflowRun run, bool stream, bool background, SessionRunInfo info, Func<WorkflowRunner, CancellationToken, Task> body)
    {
        string runId = run.Source.RunId;
        var cts = runtime.Runs.TryRegister(runId, background ? runtime.Background.Stopping : context.RequestAborted);
        if (cts is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, $"Run {runId} is already running").ConfigureAwait(false);
            return;
        }

        if (background)
        {
            var indexed = stream ? await runtime.Background.OpenAsync(EventStream(runId, info, ComponentKind.Workflow), CancellationToken.None).ConfigureAwait(false) : null;
            await runtime.SaveRunAsync(info, run.ToStoredRun()).ConfigureAwait(false);
            runtime.Background.Start(runId, indexed, async () =>
            {
                await RunWorkflowCoreAsync(runtime, workflow, run, info, body, (IEventSink?)indexed ?? NullEventSink.Instance, indexed, cts, persistFailure: true).ConfigureAwait(false);
                return run.Status.Value;
            });
            await (indexed is not null ? BackgroundRuns.StreamAsync(context, indexed) : BackgroundRuns.AcceptedAsync(context, runId, info.SessionId)).ConfigureAwait(false);
            return;
        }

        var sink = stream ? new SseEventSink(context, () => runtime.Runs.Cancel(runId)) : null;
        string? failure = await RunWorkflowCoreAsync(runtime, workflow, run, info, body, (IEventSink?)sink ?? NullEventSink.Instance, null, cts, persistFailure: false).ConfigureAwait(false);
        if (failure is not null)
        {
            if (!stream)
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status500InternalServerError, $"Error running workflow: {failure}").ConfigureAwait(false);
            }

            return;
        }

        if (!stream)
        {
            await run.WriteOutputAsync(context, OutputView.Response).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a workflow; returns the error message of a failed run (null otherwise).</summary>
    private static async Task<string?> RunWorkflowCoreAsync(AgentOSRuntime runtime, HostedWorkflow workflow, WorkflowRun run, SessionRunInfo info, Func<WorkflowRunner, CancellationToken, Task> body, IEventSink sink, BackgroundRuns.IndexedEventSink? indexed, CancellationTokenSource cts, bool persistFailure)
    {
        string runId = run.Source.RunId;
        using var activity = HostTelemetry.StartRun("workflow", workflow.Id, run.Source.ComponentName, run.Source.SessionId, runId, continued: run.Status == RunStatus.Paused);
        var runner = new WorkflowRunner(runtime.Env, workflow, run, sink);
        bool persisted = false, continued = run.Status == RunStatus.Paused;
        async ValueTask PersistAsync()
        {
            bool first = !persisted && !continued;
            persisted = true;
            var storedRun = run.ToStoredRun(indexed is not null && runtime.Options.SpeaksAgno3 ? indexed.StampStoredEvents : null);

            await runtime.SaveRunAsync(info, storedRun, first).ConfigureAwait(false);
        }

        runner.Persist = PersistAsync;
        try
        {
            await body(runner, cts.Token).ConfigureAwait(false);
        }
        catch (WorkflowFailedException ex)
        {
            // AgentOS does not store a failed workflow run (a background one, stored as running, is stored as failed).
            Log.WorkflowFailed(runtime.Logger, workflow.Id, runId, ex.Message);
            HostTelemetry.Finish(activity, "workflow", RunStatus.Error);
            bool background = persistFailure;
            if (sink.IsLive || background)
            {
                await runner.FailedAsync(ex.Message).ConfigureAwait(false);
            }

            if (sink.IsLive)
            {
                await sink.EmitAsync(new HostEvent
                {
                    Name = "WorkflowError",
                    Source = run.Source,
                    CreatedAt = runtime.Env.Now,
                    Minimal = true,
                    Payload = EventPayloads.WorkflowError(ex.Message),
                }).ConfigureAwait(false);
            }

            if (background)
            {
                await PersistAsync().ConfigureAwait(false);
            }

            return ex.Message;
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
        return null;
    }

    /// <summary>Resumes the event stream of a background run: replay (finished), catch-up and subscribe (running), or an error frame.</summary>
    public static async Task ResumeAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
            return;
        }

        if (entry.IsRemote)
        {
            await runtime.Proxy.ForwardAsync(context, runtime, entry.Remote!.Client).ConfigureAwait(false);
            return;
        }

        await runtime.Background.ResumeAsync(context, entry, kind).ConfigureAwait(false);
    }

    public static async Task CancelAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
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
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
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

        // another user's run is not found (the session lookup takes the caller's user, as AgentOS's does): the token's
        // user under JWT isolation, else the user_id the caller names
        var user = AgentOSCaller.Of(context)?.ScopedUserId ?? (context.Query("user_id") is { Length: > 0 } named ? named : null);
        var session = await runtime.SessionForRunAsync(sessionId, user, context.RequestAborted).ConfigureAwait(false);
        var stored = session is null ? null : await runtime.Store.GetRunAsync(sessionId, runId, context.RequestAborted).ConfigureAwait(false);
        if (stored is null || stored.IdOf(ComponentKey(kind)) != entry.Id)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, "Run not found").ConfigureAwait(false);
            return;
        }

        await Wire.WriteUtf8JsonAsync(context, stored.OutputUtf8).ConfigureAwait(false);
    }

    public static async Task ListRunsAsync(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
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

        // AgentOS looks the session up read-only (under JWT user isolation by the token's user) and answers 404 when there
        // is none, when it is another user's, or when it is not this component's (of another kind or another id)
        var owner = await runtime.SessionForRunAsync(sessionId, AgentOSCaller.Of(context)?.ScopedUserId, context.RequestAborted).ConfigureAwait(false);
        if (owner is null || owner.SessionType != entry.SessionType || owner.ComponentId != entry.Id)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, "Session not found").ConfigureAwait(false);
            return;
        }

        var runs = await runtime.Store.GetRunsAsync(sessionId, new AgentOSRunQuery { ComponentId = entry.Id }, context.RequestAborted).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var run in runs)
        {
            if (run.IdOf(ComponentKey(kind)) == entry.Id && (status is null || string.Equals(run.Status?.Value, status, StringComparison.OrdinalIgnoreCase)))
            {
                list.Add(RunSchemas.From(StoredRunFields.Of(run.OutputUtf8), keepNulls: true));
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
                int index = target.Requirements.FindIndex(r => r.Id == id);
                if (index >= 0 && HostWire.TryToRequirement(requirement) is { } kept)
                {
                    target.Requirements[index] = kept;
                }
            }
        }
    }

    private static void Apply(ChatRun run, string callId, JsonObject sent, JsonObject? requirement)
    {
        var tool = run.Tools.Find(t => t.ToolCallId == callId);
        if (tool is null)
        {
            return;
        }

        // The answers a human gives: what the caller sent replaces the stored value (a null or missing field keeps it).
        if (HostWire.TryToTool(sent) is not { } answer)
        {
            return;
        }

        tool.Confirmed = answer.Confirmed ?? tool.Confirmed;
        tool.ConfirmationNote = answer.ConfirmationNote ?? tool.ConfirmationNote;
        tool.UserInputSchema = answer.UserInputSchema ?? tool.UserInputSchema;
        tool.ToolArgs = answer.ToolArgs ?? tool.ToolArgs;
        tool.Result = answer.Result ?? tool.Result;
        tool.Answered = answer.Answered ?? tool.Answered;
        if (requirement is null)
        {
            return;
        }

        if (HostWire.TryToRequirement(requirement) is not { } decision)
        {
            return;
        }

        tool.Confirmed = decision.Confirmation ?? tool.Confirmed;
        tool.ConfirmationNote = decision.ConfirmationNote ?? tool.ConfirmationNote;
        tool.Result = decision.ExternalExecutionResult ?? tool.Result;
        tool.UserInputSchema = decision.UserInputSchema ?? tool.UserInputSchema;
    }
}
