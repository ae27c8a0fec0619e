using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

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
        {
            var fields = StepRequirementFields.Of(r);
            return fields.Id == run.StepIds.ElementAtOrDefault(index) || (fields.Index == index && fields.Name == run.PausedStepName);
        });
        var requirement = run.StepRequirements.FindLast(r => StepRequirementFields.Of(r).Index == index);
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
        var answered = requirement is null ? null : StepRequirementFields.Of(requirement);
        bool? confirmed = answered?.IsConfirmed;
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
            run.Cleared[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new ClearedStep { Skipped = true };
            run.NextStep = index + 1;
        }
        else
        {
            run.Cleared[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new ClearedStep
            {
                UserInput = answered?.UserInput as JsonObject ?? [],
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
                var cleared = run.Cleared.GetValueOrDefault(key);
                if (cleared?.Skipped == true)
                {
                    continue;
                }

                if ((step.RequiresConfirmation || step.UserInputFields.Count > 0) && cleared is null)
                {
                    await PauseAsync(i).ConfigureAwait(false);
                    return;
                }

                await RunStepAsync(i, step, cleared?.UserInput, ct).ConfigureAwait(false);
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
        RunMetrics? metrics = null;
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
            chatRun.Input = ChatRun.TextInput(message);
            var runner = new ChatRunner(_env, spec, chatRun, _sink);
            await runner.StartAsync(message, [], [], ct).ConfigureAwait(false);
            if (chatRun.Status == RunStatus.Cancelled)
            {
                // The cancelled step is reported with what it produced so far (as AgentOS does).
                var cancelled = WorkflowBodies.StepResult(step, Run.StepIds[index], chatRun.ContentString, chatRun.Source.RunId, chatRun.MetricsJson(), false, "Cancelled during execution");
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
            await EmitLifecycleAsync(Event("StepOutput", StepRef(index, writeStepId: false), WorkflowBodies.FunctionStepOutput(step, Run.StepIds[index], content))).ConfigureAwait(false);
        }

        var result = WorkflowBodies.StepResult(step, Run.StepIds[index], content, stepRunId, metrics, success, error);
        run.StepResults.Add(result);
        run.Outputs[step.Name] = content;
        run.PreviousContent = content;
        run.Content = content;
        await EmitLifecycleAsync(Event("StepCompleted", StepRef(index), WorkflowBodies.StepCompleted(content, result))).ConfigureAwait(false);
    }

    private void AddStepMetrics(WorkflowStep step, RunMetrics metrics) => Run.StepMetrics[step.Name] = WorkflowBodies.StepMetrics(step, metrics);

    private async Task PauseAsync(int index)
    {
        var run = Run;
        var step = _workflow.Steps[index];
        run.Status = RunStatus.Paused;
        run.NextStep = index;
        run.PausedStepIndex = index;
        run.PausedStepName = step.Name;
        var requirement = run.StepRequirements.FindLast(r => StepRequirementFields.Of(r) is { IsConfirmed: null } fields && fields.Index == index);
        if (requirement is null)
        {
            requirement = WorkflowBodies.StepRequirement(run, index, step);
            run.StepRequirements.Add(requirement);
        }

        await EmitLifecycleAsync(Event("StepPaused", StepRef(index), WorkflowBodies.StepPaused(step))).ConfigureAwait(false);
        run.Metrics.Stop();
        if (Persist is { } persist)
        {
            await persist().ConfigureAwait(false);
        }

        await _sink.EmitAsync(Event("WorkflowPaused", null, WorkflowBodies.WorkflowPaused(run, index, step.Name))).ConfigureAwait(false);
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

    private async Task CompleteAsync()
    {
        var run = Run;
        run.Status = RunStatus.Completed;
        run.Metrics.Stop();
        await FinishAsync(Lifecycle(Event("WorkflowCompleted", null, WorkflowBodies.Completed(run, executorRunsAlways: true)))).ConfigureAwait(false);
    }

    private async Task CancelledAsync()
    {
        var run = Run;
        run.Status = RunStatus.Cancelled;
        run.Metrics.Stop();
        string reason = $"Run {run.Source.RunId} was cancelled";
        run.Content = reason;
        await FinishAsync(
            Event("WorkflowCancelled", null, WorkflowBodies.Cancelled(reason)),
            Lifecycle(Event("WorkflowCompleted", null, WorkflowBodies.Completed(run, executorRunsAlways: false)))).ConfigureAwait(false);
    }

    /// <summary>Emits the workflow's own <c>WorkflowError</c> (the endpoint adds the router's second one).</summary>
    public ValueTask FailedAsync(string message)
    {
        Run.Status = RunStatus.Error;
        Run.Error = message;
        Run.Metrics.Stop();
        return EmitAsync(Event("WorkflowError", null, EventPayloads.WorkflowError(message)));
    }

    private WorkflowStepRef StepRef(int index, bool writeStepId = true)
        => new(Run.StepIds[index], _workflow.Steps[index].Name, index, writeStepId);

    private HostEvent Event(string name, WorkflowStepRef? step = null, EventPayload? payload = null) => new()
    {
        Name = name,
        Source = Run.Source,
        CreatedAt = _env.Now,
        Step = step,
        Payload = payload,
    };

    private HostEvent? Lifecycle(HostEvent e) => Run.StreamEvents ? e : null;

    private Task FinishAsync(params HostEvent?[] events) => RunEventLog.FinishAsync(_sink, Run.RecordEvents, Run.Events, Persist, events);

    /// <summary>Emits an event that <c>stream_events=false</c> suppresses.</summary>
    private ValueTask EmitLifecycleAsync(HostEvent e) => Run.StreamEvents ? EmitAsync(e) : ValueTask.CompletedTask;

    private ValueTask EmitAsync(HostEvent e) => RunEventLog.EmitAsync(_sink, Run.RecordEvents, Run.Events, e);
}

/// <summary>
/// The fields of a step requirement the runner reads (one it wrote, or one a caller sent back): read leniently, a field
/// of another JSON type reads as absent.
/// </summary>
internal sealed record StepRequirementFields(JsonNode? StepId, JsonNode? StepIndex, JsonNode? StepName, JsonNode? Confirmed, JsonNode? UserInput)
{
    public string? Id => StepId is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public long? Index => StepIndex is JsonValue v && v.TryGetValue(out long i) ? i : null;

    public string? Name => StepName is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public bool? IsConfirmed => Confirmed is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    public static StepRequirementFields Of(JsonObject requirement)
        => requirement.Deserialize(HostWireContext.Default.StepRequirementFields) ?? new(null, null, null, null, null);
}
