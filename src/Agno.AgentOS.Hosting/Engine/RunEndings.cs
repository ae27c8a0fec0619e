using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// How an agent or team-leader run ends: paused for a human (with its requirements), completed, cancelled or
/// failed. Each sets the run's final state, persists it, then sends the last events.
/// </summary>
internal sealed class RunEndings
{
    private const string ConfirmationMessage = "I have tools to execute, but I need confirmation.";
    private const string UserInputMessage = "I have tools to execute, but I need user input.";
    private const string ExternalMessage = "I have tools to execute, but it needs external execution.";

    private readonly ChatRunContext _ctx;
    private readonly ToolLedger _ledger;

    public RunEndings(ChatRunContext ctx, ToolLedger ledger)
    {
        _ctx = ctx;
        _ledger = ledger;
    }

    public async Task PauseAsync()
    {
        var run = _ctx.Run;
        run.Status = RunStatus.Paused;
        var first = run.Pending[0];
        string message = first.Kind switch
        {
            PendingKind.Approval or PendingKind.HostApproval => ConfirmationMessage,
            PendingKind.Input => UserInputMessage,
            PendingKind.External => ExternalMessage,
            _ => run.FindMember(first.MemberRunId ?? string.Empty)?.ContentString ?? ConfirmationMessage,
        };
        run.ContentText.Clear().Append(message);
        run.ContentObject = null;
        run.Requirements = BuildRequirements();
        if (_ctx.Env.Approvals is { } approvals)
        {
            await approvals.OnPausedAsync(run, _ctx.Spec, CancellationToken.None).ConfigureAwait(false);
        }

        run.Metrics.Stop();
        await _ctx.FinishAsync(
            run.IsTeam ? null : _ctx.Lifecycle(_ctx.Event("RunContentCompleted")),
            _ctx.Event("RunPaused", EventPayloads.Paused(
                message,
                Wire.ToArray(run.Tools.Select(_ledger.WithChild)),
                Wire.ToArray(run.RequirementNodes())))).ConfigureAwait(false);
    }

    private List<RunRequirement> BuildRequirements()
    {
        var list = new List<RunRequirement>();
        var created = _ctx.Env.Time.GetUtcNow();
        foreach (var pending in _ctx.Run.Pending)
        {
            if (pending.Kind == PendingKind.Member)
            {
                var member = _ctx.Run.FindMember(pending.MemberRunId ?? string.Empty);
                foreach (var r in member?.Requirements ?? [])
                {
                    // the member's requirement, as the team shows it: which member raised it
                    var copy = HostWire.Copy(r);
                    copy.MemberAgentId = member!.Source.ComponentId;
                    copy.MemberAgentName = member.Source.ComponentName;
                    copy.MemberRunId = member.Source.RunId;
                    list.Add(copy);
                }

                continue;
            }

            var tool = _ledger.Find(pending.CallId);
            // a snapshot: the tool as it is when the run pauses (the ledger's tool changes when the run continues)
            list.Add(HostWire.Copy(new RunRequirement
            {
                Id = pending.RequestId is { } rid && pending.Kind is PendingKind.Approval or PendingKind.Input ? rid : Wire.NewId(),
                CreatedAt = created,
                ToolExecution = tool,
                UserInputSchema = pending.Kind == PendingKind.Input ? tool?.UserInputSchema : null,
            }));
        }

        return list;
    }

    public async Task CompleteAsync()
    {
        var run = _ctx.Run;
        run.Status = RunStatus.Completed;
        run.Metrics.Stop();
        RefreshRequirements();
        var payload = new RunCompletedPayload
        {
            Content = run.ContentNode,
            ContentType = run.ContentType,
            ReasoningContent = run.Reasoning.Length > 0 ? run.Reasoning.ToString() : null,
            SessionState = !run.IsTeam ? SessionStateForEvents() : run.Continued ? (JsonObject?)run.SessionState?.DeepClone() ?? [] : null,
            MemberResponses = run.IsTeam && run.Members.Count > 0 ? Wire.ToArray(run.Members.Select(m => m.ToOutput(OutputView.Member))) : null,
            Metadata = !run.IsTeam ? (JsonObject?)run.Metadata?.DeepClone() : null,
            Metrics = run.MetricsJson(),
        };
        await _ctx.FinishAsync(_ctx.Lifecycle(_ctx.Event("RunContentCompleted")), _ctx.Lifecycle(_ctx.Event("RunCompleted", EventPayloads.Completed(payload)))).ConfigureAwait(false);
    }

    public async Task CancelledAsync()
    {
        var run = _ctx.Run;
        run.Status = RunStatus.Cancelled;
        run.Pending.Clear();
        run.Metrics.Stop();
        string content = run.ContentString;
        if (content.Length > 0)
        {
            run.Messages.Add(MessageMapper.CancelledAssistant(content, _ctx.Env.Now));
        }

        var cancelled = _ctx.Event("RunCancelled", EventPayloads.Cancelled(content, $"Run {run.Source.RunId} was cancelled"));
        var payload = new RunCompletedPayload
        {
            Content = content,
            ContentType = run.ContentType,
            SessionState = SessionStateForEvents(),
            MemberResponses = run.IsTeam ? Wire.ToArray(run.Members.Select(m => m.ToOutput(OutputView.Member))) : null,
            Metrics = run.MetricsJson(),
        };
        await _ctx.FinishAsync(cancelled, _ctx.Lifecycle(_ctx.Event("RunCompleted", EventPayloads.Completed(payload)))).ConfigureAwait(false);
    }

    /// <summary>After a continuation, the requirements show the tools as they ended.</summary>
    private void RefreshRequirements()
    {
        _ledger.ApplyResets();
        var run = _ctx.Run;
        if (run.IsTeam && run.Continued)
        {
            // A continued team shows no requirements any more (its members keep theirs).
            run.Requirements.Clear();
            return;
        }

        for (int i = 0; i < run.Requirements.Count; i++)
        {
            var requirement = run.Requirements[i];
            var source = requirement.MemberRunId is { } memberRunId ? run.FindMember(memberRunId) ?? run : run;
            string? callId = requirement.ToolExecution?.ToolCallId;
            if (callId is not null && source.Tools.Find(t => t.ToolCallId == callId) is { } tool)
            {
                requirement.ToolExecution = HostWire.Copy(tool);
            }
        }
    }

    public async Task FailedAsync(Exception ex)
    {
        var run = _ctx.Run;
        run.Status = RunStatus.Error;
        const string errorType = "model_provider_error";
        run.ErrorType = errorType;
        run.Pending.Clear();
        run.Metrics.Stop();
        run.ContentText.Clear().Append(ex.Message);
        run.ContentObject = null;
        await _ctx.FinishAsync(_ctx.Event("RunError", EventPayloads.Error(ex.Message, errorType))).ConfigureAwait(false);
    }

    private JsonObject SessionStateForEvents()
    {
        var run = _ctx.Run;
        return run.Source.ParentRunId is not null
            ? run.CurrentRunState()
            : run.SessionState?.DeepClone() as JsonObject ?? [];
    }
}
