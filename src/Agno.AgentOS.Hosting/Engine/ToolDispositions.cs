using System.Diagnostics;
using System.Text.Json.Nodes;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>How a pending tool call stands after the human's answer was applied.</summary>
internal enum Resolution
{
    /// <summary>Not answered yet: the run stays paused on it.</summary>
    StillPending,

    /// <summary>Answered with a response the chat client takes (an approval or user-input response).</summary>
    Responded,

    /// <summary>Answered with a tool result (a host tool ran or was rejected, or the caller sent the result).</summary>
    Completed,
}

/// <summary>
/// What happens to each tool call a model turn made: delegated to a team member, run by the host, paused for a
/// human (a confirmation, user input) or left to the caller (external execution); and, when a paused run is
/// continued, how the human's answer resolves it.
/// </summary>
internal sealed class ToolDispositions
{
    private readonly ChatRunContext _ctx;
    private readonly ToolLedger _ledger;
    private readonly TeamDelegation? _delegation;

    public ToolDispositions(ChatRunContext ctx, ToolLedger ledger, TeamDelegation? delegation)
    {
        _ctx = ctx;
        _ledger = ledger;
        _delegation = delegation;
    }

    /// <summary>Decides the calls of a turn. Returns whether the model must be called again (a tool ran).</summary>
    public async Task<bool> DecideAsync(ModelLoop.ModelTurn turn, CancellationToken ct)
    {
        var run = _ctx.Run;
        bool again = false;
        foreach (var call in turn.Open)
        {
            if (_delegation is not null && call.Name == HostedTeam.DelegateToolName)
            {
                await _delegation.DelegateAsync(call, ct).ConfigureAwait(false);
                again = true;
            }
            else if (_ctx.Spec.FindHostTool(call.Name) is AIFunction function)
            {
                if (NeedsConfirmation(function))
                {
                    var waiting = _ledger.Ensure(call);
                    waiting.RequiresConfirmation = true;
                    ApprovalCoordinator.Mark(waiting, function);
                    run.Pending.Add(new PendingCall { Kind = PendingKind.HostApproval, CallId = call.CallId, Name = call.Name, Arguments = MessageMapper.ArgumentsToJson(call.Arguments) });
                }
                else
                {
                    await ExecuteHostToolAsync(call, function, recordMetrics: true, ct).ConfigureAwait(false);
                    again = true;
                }
            }
            else
            {
                _ledger.Ensure(call).ExternalExecutionRequired = true;
                run.Pending.Add(new PendingCall { Kind = PendingKind.External, CallId = call.CallId, Name = call.Name, Arguments = MessageMapper.ArgumentsToJson(call.Arguments) });
            }
        }

        foreach (var approval in turn.Approvals)
        {
            var (callId, name, args) = Describe(approval.ToolCall, approval.RequestId);
            _ledger.Ensure(callId, name, args).RequiresConfirmation = true;
            run.Pending.Add(new PendingCall { Kind = PendingKind.Approval, CallId = callId, Name = name, Arguments = args, RequestId = approval.RequestId });
        }

        foreach (var input in turn.Inputs)
        {
            JsonArray fields;
            string callId, name;
            JsonObject args;
            if (input is AgnoInputRequestContent { ToolCall: { } inputCall } u)
            {
                (callId, name, args) = Describe(inputCall, u.RequestId);
                fields = MessageMapper.FieldsJson(u.Fields);
            }
            else if (input is AgnoInputRequestContent { Fields.Count: > 0 } asked)
            {
                (callId, name, args) = (input.RequestId, "user_input", []);
                fields = MessageMapper.FieldsJson(asked.Fields);
            }
            else
            {
                (callId, name, args) = (input.RequestId, "user_input", []);
                fields = MessageMapper.FieldsJson([new UserInputFieldDefinition("input", "str", input.ToString())]);
            }

            var tool = _ledger.Ensure(callId, name, args);
            tool.RequiresUserInput = true;
            tool.UserInputSchema = HostWire.ToFields(fields);
            run.Pending.Add(new PendingCall { Kind = PendingKind.Input, CallId = callId, Name = name, Arguments = args, RequestId = input.RequestId, Fields = fields });
        }

        return again;
    }

    /// <summary>
    /// Applies the human's answer (already copied onto the run's tools) to a call the run waits on. Responses for
    /// the chat client are added to <paramref name="responses"/>.
    /// </summary>
    public async Task<Resolution> ResolveAsync(PendingCall pending, List<AIContent> responses, CancellationToken ct)
    {
        var tool = _ledger.Find(pending.CallId);
        var call = new FunctionCallContent(pending.CallId, pending.Name, MessageMapper.ArgumentsFromJson(tool?.ToolArgs ?? pending.Arguments));
        switch (pending.Kind)
        {
            case PendingKind.Approval:
                if (tool?.Confirmed is not { } approved)
                {
                    return Resolution.StillPending;
                }

                responses.Add(new ToolApprovalResponseContent(pending.RequestId!, approved, call) { Reason = tool.ConfirmationNote });
                _ledger.ResetWhenDone(tool, t => t.RequiresConfirmation = false);
                return Resolution.Responded;
            case PendingKind.Input:
                var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                var toolArgs = tool?.ToolArgs;
                foreach (var field in tool?.UserInputSchema ?? [])
                {
                    if (field?.Name is { } name)
                    {
                        values[name] = field.Value?.DeepClone();
                        if (toolArgs is not null && field.Value is { } given)
                        {
                            toolArgs[name] = given.DeepClone();
                        }
                    }
                }

                if (toolArgs is not null)
                {
                    call = new FunctionCallContent(pending.CallId, pending.Name, MessageMapper.ArgumentsFromJson(toolArgs));
                }

                responses.Add(new AgnoInputResponseContent(pending.RequestId!) { ToolCall = call, Values = values });
                if (tool is not null)
                {
                    _ledger.ResetWhenDone(tool, t =>
                    {
                        t.RequiresUserInput = false;
                        t.Answered = true;
                    });
                }

                return Resolution.Responded;
            case PendingKind.HostApproval:
                if (tool?.Confirmed is not { } confirmed)
                {
                    return Resolution.StillPending;
                }

                _ledger.ResetWhenDone(tool, t => t.RequiresConfirmation = false);
                if (_ctx.Env.Approvals is { } approvals)
                {
                    await approvals.AuditAsync(_ctx.Run, _ctx.Spec, tool, confirmed, ct).ConfigureAwait(false);
                }

                if (confirmed && _ctx.Spec.FindHostTool(pending.Name) is AIFunction function)
                {
                    await ExecuteHostToolAsync(call, function, recordMetrics: false, ct).ConfigureAwait(false);
                }
                else
                {
                    string note = tool.ConfirmationNote ?? "The tool call was rejected by the user.";
                    _ledger.AddResult(call, note, error: false);
                }

                return Resolution.Completed;
            case PendingKind.External:
                if (tool?.Result is not { } result)
                {
                    return Resolution.StillPending;
                }

                _ledger.ResetWhenDone(tool, t => t.ExternalExecutionRequired = false);
                _ledger.AddResult(call, result, error: null);
                return Resolution.Completed;
            default:
                throw new InvalidOperationException($"A {pending.Kind} call is resolved by its member run.");
        }
    }

    /// <summary>
    /// Whether a host tool waits for a human's confirmation before the host runs it. This is the one place that
    /// decides it (today: the tool is an <see cref="ApprovalRequiredAIFunction"/>).
    /// </summary>
    private static bool NeedsConfirmation(AIFunction function)
        => function is ApprovalRequiredAIFunction || function.GetService(typeof(ApprovalRequiredAIFunction)) is not null;

    private static (string CallId, string Name, JsonObject Args) Describe(ToolCallContent call, string requestId)
        => call is FunctionCallContent f
            ? (f.CallId, f.Name, MessageMapper.ArgumentsToJson(f.Arguments))
            : (call.CallId ?? requestId, call.GetType().Name, []);

    private async Task ExecuteHostToolAsync(FunctionCallContent call, AIFunction function, bool recordMetrics, CancellationToken ct)
    {
        var tool = _ledger.Ensure(call);
        await _ledger.EmitStartedAsync(tool).ConfigureAwait(false);
        double start = _ctx.Env.NowSeconds;
        long startTimestamp = Stopwatch.GetTimestamp();
        string result;
        bool error = false;
        try
        {
            var value = await function.InvokeAsync(new AIFunctionArguments(call.Arguments), ct).ConfigureAwait(false);
            result = MessageMapper.ResultText(value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = $"Error: {ex.Message}";
            error = true;
        }

        if (recordMetrics)
        {
            tool.Metrics = ToolLedger.Metrics(start, startTimestamp);
        }

        _ledger.AddResult(call, result, error);
        await _ledger.EmitCompletedAsync(tool).ConfigureAwait(false);
    }
}
