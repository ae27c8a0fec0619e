using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The error a failing workflow step raises (the run fails: <c>WorkflowError</c>, or HTTP 500 when not streaming).</summary>
internal sealed class WorkflowFailedException : Exception
{
    public WorkflowFailedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public WorkflowFailedException()
    {
    }

    public WorkflowFailedException(string message)
        : base(message)
    {
    }
}

/// <summary>Runs a workflow's steps in order and emits AgentOS's workflow events.</summary>
internal sealed class WorkflowRunner
{
    private readonly RunEnvironment _env;
    private readonly HostedWorkflow _workflow;
    private readonly IEventSink _sink;

    public WorkflowRunner(RunEnvironment env, HostedWorkflow workflow, WorkflowRun run, IEventSink sink)
    {
        _env = env;
        _workflow = workflow;
        Run = run;
        _sink = sink;
    }

    public WorkflowRun Run { get; }

    /// <summary>Called once the run's state is final, before its last events are sent.</summary>
    public Func<ValueTask>? Persist { get; set; }

    public static WorkflowRun NewRun(HostedWorkflow workflow, string runId, string sessionId, long now) => new()
    {
        Source = new EventSource
        {
            Scope = EmitterScope.Workflow,
            ComponentId = workflow.Id,
            ComponentName = workflow.Name ?? workflow.Id,
            RunId = runId,
            SessionId = sessionId,
        },
        CreatedAt = now,
        StepIds = workflow.Steps.Select(_ => Wire.NewId()).ToList(),
    };

    /// <summary>Runs the workflow from its first step.</summary>
    public async Task StartAsync(string message, CancellationToken cancellationToken)
    {
        Run.Input = message;
        Run.Status = RunStatus.Running;
        await EmitLifecycleAsync(Event("WorkflowStarted")).ConfigureAwait(false);
        await RunStepsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Continues a paused workflow with the step requirements the caller sent back.</summary>
    public async Task ContinueAsync(JsonArray stepRequirements, CancellationToken cancellationToken)
    {
        var run = Run;
        int index = run.PausedStepIndex ?? run.NextStep;
        var sent = stepRequirements.OfType<JsonObject>().FirstOrDefault(r =>
            r.GetString("step_id") == run.StepIds.ElementAtOrDefault(index) || (r.GetLong("step_index") == index && r.GetString("step_name") == run.PausedStepName));
        var requirement = run.StepRequirements.FindLast(r => r.GetLong("step_index") == index);
        if (requirement is not null && sent is not null)
        {
            foreach (var key in new[] { "confirmed", "user_input", "rejection_feedback" })
            {
                if (sent.TryGetPropertyValue(key, out var value))
                {
                    requirement[key] = value?.DeepClone();
                }
            }
        }

        run.Status = RunStatus.Running;
        var step = _workflow.Steps[index];
        await EmitAsync(Event("StepContinued", StepRef(index))).ConfigureAwait(false);
        bool? confirmed = requirement.GetBool("confirmed");
        if (step.RequiresConfirmation && confirmed != true)
        {
            if (confirmed is null)
            {
                await PauseAsync(index).ConfigureAwait(false);
                return;
            }

            if (step.OnReject == StepRejectionBehavior.Cancel)
            {
                await CancelledAsync().ConfigureAwait(false);
                return;
            }

            // Skipped: the step does not run; the workflow goes on with the next one.
            run.Cleared[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["skipped"] = true };
            run.NextStep = index + 1;
        }
        else
        {
            run.Cleared[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["user_input"] = requirement?.GetObject("user_input")?.DeepClone() ?? new JsonObject(),
            };
            run.NextStep = index;
        }

        run.PausedStepIndex = null;
        run.PausedStepName = null;
        await RunStepsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunStepsAsync(CancellationToken ct)
    {
        var run = Run;
        try
        {
            for (int i = run.NextStep; i < _workflow.Steps.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                run.NextStep = i;
                var step = _workflow.Steps[i];
                string key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var cleared = run.Cleared.GetObject(key);
                if (cleared?.GetBool("skipped") == true)
                {
                    continue;
                }

                if ((step.RequiresConfirmation || step.UserInputFields.Count > 0) && cleared is null)
                {
                    await PauseAsync(i).ConfigureAwait(false);
                    return;
                }

                await RunStepAsync(i, step, cleared?.GetObject("user_input"), ct).ConfigureAwait(false);
                if (run.Status == RunStatus.Cancelled)
                {
                    return;
                }
            }

            run.NextStep = _workflow.Steps.Count;
            await CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await CancelledAsync().ConfigureAwait(false);
        }
    }

    private async Task RunStepAsync(int index, WorkflowStep step, JsonObject? userInput, CancellationToken ct)
    {
        var run = Run;
        string stepId = run.StepIds[index];
        await EmitLifecycleAsync(Event("StepStarted", StepRef(index))).ConfigureAwait(false);
        string message = run.PreviousContent ?? run.Input;
        string content;
        string? stepRunId = null;
        JsonNode? metrics = null;
        bool success = true;
        string? error = null;
        if (step.Agent is not null || step.Team is not null)
        {
            var spec = step.Agent is not null ? ChatSpec.ForAgent(step.Agent, asMember: false) : ChatSpec.ForTeam(step.Team!);
            var context = new StepContext(run.Source.ComponentId, run.Source.RunId, stepId, step.Name, index);
            var chatRun = ChatRunner.NewRun(spec, Wire.NewId(), run.Source.SessionId, run.Source.RunId, emitParent: false, context, _env.Now);
            chatRun.UserId = run.UserId;
            chatRun.Streaming = run.Streaming;
            chatRun.RecordEvents = run.Streaming;
            chatRun.StreamEvents = run.StreamEvents;
            chatRun.WorkflowStepId = stepId;
            chatRun.Input = new JsonObject { ["input_content"] = message };
            var runner = new ChatRunner(_env, spec, chatRun, _sink);
            await runner.StartAsync(message, [], [], ct).ConfigureAwait(false);
            if (chatRun.Status == RunStatus.Cancelled)
            {
                // The cancelled step is reported with what it produced so far (as AgentOS does).
                var cancelled = StepResult(index, step, chatRun.ContentString, chatRun.Source.RunId, chatRun.MetricsJson(), false, "Cancelled during execution");
                run.StepResults.Add(cancelled);
                AddStepMetrics(step, chatRun.MetricsJson());
                throw new OperationCanceledException(ct);
            }

            bool completed = chatRun.Status == RunStatus.Completed;
            metrics = completed ? chatRun.MetricsJson() : null;
            stepRunId = completed ? chatRun.Source.RunId : null;
            content = completed ? chatRun.ContentString : string.Empty;

            // A failed agent does not fail the step: AgentOS reports it as a failure only when not streaming.
            success = completed || run.Streaming;
            error = completed || run.Streaming ? null : chatRun.ContentString;
            run.PreviousError = completed ? null : chatRun.ContentString;
            run.ExecutorRuns.Add(chatRun.ToOutput(OutputView.StepExecutor));
            if (metrics is not null)
            {
                AddStepMetrics(step, metrics);
            }
        }
        else
        {
            var input = new WorkflowStepInput(run.Input, run.PreviousContent, run.PreviousError, new Dictionary<string, string>(run.Outputs), userInput, run.Source.ComponentId, run.Source.RunId, run.Source.SessionId);
            try
            {
                content = await step.Function!(input, ct).ConfigureAwait(false) ?? string.Empty;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new WorkflowFailedException(ex.Message, ex);
            }

            run.PreviousError = null;
            var output = StepResult(index, step, content, null, null, true, null);
            output["steps"] = null;
            output["requires_iteration_review_pause"] = false;
            await EmitLifecycleAsync(Event("StepOutput", StepRef(index, writeStepId: false), new JsonObject { ["step_output"] = output })).ConfigureAwait(false);
        }

        var result = StepResult(index, step, content, stepRunId, metrics, success, error);
        run.StepResults.Add(result);
        run.Outputs[step.Name] = content;
        run.PreviousContent = content;
        run.Content = content;
        await EmitLifecycleAsync(Event("StepCompleted", StepRef(index), new JsonObject
        {
            ["content"] = content,
            ["content_type"] = "str",
            ["step_response"] = result.DeepClone(),
        })).ConfigureAwait(false);
    }

    private void AddStepMetrics(WorkflowStep step, JsonNode metrics)
        => Run.StepMetrics[step.Name] = new JsonObject
        {
            ["step_name"] = step.Name,
            ["executor_type"] = step.ExecutorType,
            ["executor_name"] = step.ExecutorName,
            ["metrics"] = metrics.DeepClone(),
        };

    private JsonObject StepResult(int index, WorkflowStep step, string content, string? stepRunId, JsonNode? metrics, bool success, string? error)
    {
        var o = new JsonObject();
        if (step.Function is not null)
        {
            o["step_name"] = step.Name;
            o["step_id"] = Run.StepIds[index];
            o["step_type"] = "Step";
            o["executor_type"] = step.ExecutorType;
            o["executor_name"] = step.ExecutorName;
            o["content"] = content;
        }
        else
        {
            o["content"] = content;
            o["step_name"] = step.Name;
            o["step_id"] = Run.StepIds[index];
            o["step_type"] = "Step";
            o["executor_type"] = step.ExecutorType;
            o["executor_name"] = step.ExecutorName;
        }

        o["step_run_id"] = stepRunId;
        o["images"] = null;
        o["videos"] = null;
        o["audio"] = null;
        o["files"] = null;
        o["metrics"] = metrics?.DeepClone();
        o["success"] = success;
        o["error"] = error;
        o["stop"] = false;
        o["is_paused"] = false;
        return o;
    }

    private async Task PauseAsync(int index)
    {
        var run = Run;
        var step = _workflow.Steps[index];
        run.Status = RunStatus.Paused;
        run.NextStep = index;
        run.PausedStepIndex = index;
        run.PausedStepName = step.Name;
        var requirement = run.StepRequirements.FindLast(r => r.GetLong("step_index") == index && r.GetBool("confirmed") is null);
        if (requirement is null)
        {
            requirement = StepRequirement(index, step);
            run.StepRequirements.Add(requirement);
        }

        var paused = new JsonObject
        {
            ["requires_confirmation"] = step.RequiresConfirmation,
            ["confirmation_message"] = step.RequiresConfirmation ? step.ConfirmationMessage : null,
            ["requires_user_input"] = step.UserInputFields.Count > 0,
        };
        if (!step.RequiresConfirmation)
        {
            paused.Remove("confirmation_message");
        }

        if (step.UserInputFields.Count > 0)
        {
            paused["user_input_message"] = step.UserInputMessage;
            paused["user_input_schema"] = MessageMapper.FieldsJson(step.UserInputFields, withRequired: true);
        }

        await EmitLifecycleAsync(Event("StepPaused", StepRef(index), paused)).ConfigureAwait(false);
        run.Metrics.Stop();
        if (Persist is { } persist)
        {
            await persist().ConfigureAwait(false);
        }

        await _sink.EmitAsync(Event("WorkflowPaused", null, new JsonObject
        {
            ["status"] = RunStatus.Paused.Value,
            ["paused_step_index"] = index,
            ["paused_step_name"] = step.Name,
            ["pause_kind"] = "step",
            ["step_requirements"] = Wire.ToArray(run.StepRequirements.Select(r => r.DeepClone())),
            ["step_results"] = Wire.ToArray(run.StepResults.Select(r => r.DeepClone())),
            ["step_executor_runs"] = Wire.ToArray(run.ExecutorRuns.Select(r => r.DeepClone())),
        })).ConfigureAwait(false);
        if (_sink.IsLive)
        {
            // AgentOS ends a paused workflow stream with the whole run, in an event named WorkflowRunOutput.
            var output = run.ToOutput(OutputView.Response);
            await _sink.EmitAsync(new HostEvent
            {
                Name = "WorkflowRunOutput",
                Source = run.Source,
                Payload = EventPayload.Of(output),
                Raw = true,
            }).ConfigureAwait(false);
        }
    }

    private JsonObject StepRequirement(int index, WorkflowStep step)
    {
        var r = new JsonObject
        {
            ["step_id"] = Run.StepIds[index],
            ["step_name"] = step.Name,
            ["step_index"] = index,
            ["step_type"] = "Step",
            ["requires_confirmation"] = step.RequiresConfirmation,
            ["confirmation_message"] = step.ConfirmationMessage,
            ["confirmed"] = null,
            ["on_reject"] = step.OnReject == StepRejectionBehavior.Cancel ? "cancel" : "skip",
            ["requires_user_input"] = step.UserInputFields.Count > 0,
            ["user_input_message"] = step.UserInputMessage,
        };
        r["user_input"] = null;
        r["requires_route_selection"] = false;
        r["available_choices"] = null;
        r["allow_multiple_selections"] = false;
        r["selected_choices"] = null;
        r["requires_output_review"] = false;
        r["output_review_message"] = null;
        r["is_post_execution"] = false;
        r["rejection_feedback"] = null;
        r["retry_count"] = 0;
        r["max_retries"] = 3;
        r["timeout_at"] = null;
        r["on_timeout"] = "cancel";
        if (step.UserInputFields.Count > 0)
        {
            r["user_input_schema"] = MessageMapper.FieldsJson(step.UserInputFields, withRequired: true);
        }

        var previous = new JsonObject();
        foreach (var result in Run.StepResults)
        {
            if (result.GetString("step_name") is { } name)
            {
                previous[name] = result.DeepClone();
            }
        }

        r["step_input"] = new JsonObject
        {
            ["input"] = Run.Input,
            ["previous_step_outputs"] = previous,
            ["previous_step_content"] = Run.PreviousContent,
            ["additional_data"] = null,
            ["images"] = null,
            ["videos"] = null,
            ["audio"] = null,
            ["files"] = null,
        };
        return r;
    }

    private async Task CompleteAsync()
    {
        var run = Run;
        run.Status = RunStatus.Completed;
        run.Metrics.Stop();
        await FinishAsync(Lifecycle(Event("WorkflowCompleted", null, new JsonObject
        {
            ["content"] = run.Content,
            ["content_type"] = "str",
            ["step_results"] = Wire.ToArray(run.StepResults.Select(r => r.DeepClone())),
            ["step_executor_runs"] = Wire.ToArray(run.ExecutorRuns.Select(r => r.DeepClone())),
            ["metrics"] = run.MetricsJson(),
        }))).ConfigureAwait(false);
    }

    private async Task CancelledAsync()
    {
        var run = Run;
        run.Status = RunStatus.Cancelled;
        run.Metrics.Stop();
        string reason = $"Run {run.Source.RunId} was cancelled";
        run.Content = reason;
        var completed = new JsonObject
        {
            ["content"] = reason,
            ["content_type"] = "str",
            ["step_results"] = Wire.ToArray(run.StepResults.Select(r => r.DeepClone())),
        };
        if (run.ExecutorRuns.Count > 0)
        {
            completed["step_executor_runs"] = Wire.ToArray(run.ExecutorRuns.Select(r => r.DeepClone()));
        }

        completed["metrics"] = run.MetricsJson();
        await FinishAsync(
            Event("WorkflowCancelled", null, new JsonObject { ["reason"] = reason, ["content"] = reason }),
            Lifecycle(Event("WorkflowCompleted", null, completed))).ConfigureAwait(false);
    }

    /// <summary>Emits the workflow's own <c>WorkflowError</c> (the endpoint adds the router's second one).</summary>
    public ValueTask FailedAsync(string message)
    {
        Run.Status = RunStatus.Error;
        Run.Error = message;
        Run.Metrics.Stop();
        return EmitAsync(Event("WorkflowError", null, new JsonObject { ["error"] = message }));
    }

    private WorkflowStepRef StepRef(int index, bool writeStepId = true)
        => new(Run.StepIds[index], _workflow.Steps[index].Name, index, writeStepId);

    private HostEvent Event(string name, WorkflowStepRef? step = null, JsonObject? payload = null) => new()
    {
        Name = name,
        Source = Run.Source,
        CreatedAt = _env.Now,
        Step = step,
        Payload = payload is null ? null : EventPayload.Of(payload),
    };

    private HostEvent? Lifecycle(HostEvent e) => Run.StreamEvents ? e : null;

    private Task FinishAsync(params HostEvent?[] events) => RunEventLog.FinishAsync(_sink, Run.RecordEvents, Run.Events, Persist, events);

    /// <summary>Emits an event that <c>stream_events=false</c> suppresses.</summary>
    private ValueTask EmitLifecycleAsync(HostEvent e) => Run.StreamEvents ? EmitAsync(e) : ValueTask.CompletedTask;

    private ValueTask EmitAsync(HostEvent e) => RunEventLog.EmitAsync(_sink, Run.RecordEvents, Run.Events, e);
}
