using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// A team leader's <c>delegate_task_to_member</c> calls: runs the member as a nested run of the team run, and turns
/// its finished (or paused) run into the delegation's tool result; continues a paused member.
/// </summary>
internal sealed class TeamDelegation
{
    private readonly ChatRunContext _ctx;
    private readonly ToolLedger _ledger;
    private readonly HostedTeam _team;

    public TeamDelegation(ChatRunContext ctx, ToolLedger ledger, HostedTeam team)
    {
        _ctx = ctx;
        _ledger = ledger;
        _team = team;
    }

    public async Task DelegateAsync(FunctionCallContent call, CancellationToken ct)
    {
        var run = _ctx.Run;
        var args = MessageMapper.ArgumentsToJson(call.Arguments);
        var tool = _ledger.Ensure(call.CallId, call.Name, args);
        await _ledger.EmitStartedAsync(tool).ConfigureAwait(false);
        var delegation = args.Deserialize(HostWireContext.Default.DelegationArguments);
        string memberId = delegation?.MemberId is JsonValue id && id.TryGetValue(out string? given) ? given : string.Empty;
        string task = Wire.AsText(delegation?.Task) ?? string.Empty;
        var member = _team.Members.FirstOrDefault(m => m.Id == memberId);
        double start = _ctx.Env.NowSeconds;
        long startTimestamp = Stopwatch.GetTimestamp();
        if (member is null)
        {
            tool.Metrics = ToolLedger.Metrics(start, startTimestamp);
            _ledger.AddResult(call, $"Member with ID {memberId} not found in the team. Available members: {string.Join(", ", _team.Members.Select(m => m.Id))}", error: true);
            await _ledger.EmitCompletedAsync(tool).ConfigureAwait(false);
            return;
        }

        var memberSpec = ChatSpec.ForAgent(member, asMember: true);
        var memberRun = ChatRunner.NewRun(memberSpec, Wire.NewId(), run.Source.SessionId, run.Source.RunId, emitParent: true, run.Source.Step, _ctx.Env.Now);
        memberRun.UserId = run.UserId;
        memberRun.Input = ChatRun.TextInput(task);
        run.Members.Add(memberRun);
        var memberRunner = MemberRunner(memberRun, memberSpec);
        _ledger.SetChild(call.CallId, memberRun.Source.RunId);
        await memberRunner.StartAsync(task, [], [], ct).ConfigureAwait(false);
        tool.Metrics = ToolLedger.Metrics(start, startTimestamp);
        await FinishAsync(call, memberRun, tool, ct).ConfigureAwait(false);
    }

    /// <summary>Continues a member's paused run. Returns false when the member paused again.</summary>
    public async Task<bool> ContinueMemberAsync(PendingCall pending, CancellationToken ct)
    {
        var call = new FunctionCallContent(pending.CallId, pending.Name, MessageMapper.ArgumentsFromJson(_ledger.Find(pending.CallId)?.ToolArgs ?? pending.Arguments));
        var member = pending.MemberRunId is null ? null : _ctx.Run.FindMember(pending.MemberRunId);
        if (member is null)
        {
            _ledger.AddResult(call, "The member run could not be continued.", error: true);
            return true;
        }

        await MemberRunner(member).ContinueAsync([], ct).ConfigureAwait(false);
        _ctx.Run.Messages.RemoveAll(m => m.Role == "tool" && m.ToolCallId == pending.CallId);
        return await FinishAsync(call, member, _ledger.Find(pending.CallId), ct).ConfigureAwait(false);
    }

    /// <summary>Turns a member's finished (or paused) run into the delegation's tool result. Returns false when the member paused.</summary>
    private async Task<bool> FinishAsync(FunctionCallContent call, ChatRun memberRun, ToolExecution? tool, CancellationToken ct)
    {
        tool ??= _ledger.Ensure(call);
        string childRunId = memberRun.Source.RunId;
        if (memberRun.Status.IsCancelled)
        {
            throw new OperationCanceledException(ct);
        }

        if (!memberRun.Status.IsPaused)
        {
            _ledger.AddResult(call, memberRun.ContentString, memberRun.Status.IsError);
            await _ledger.EmitCompletedAsync(tool, childRunId).ConfigureAwait(false);
            return true;
        }

        string pausedText = $"Member '{memberRun.Source.ComponentName}' requires human input before continuing.";
        tool.ToolCallError = false;
        tool.Result = pausedText;
        var args = (JsonObject)(tool.ToolArgs ?? []).DeepClone();
        var run = _ctx.Run;
        run.Messages.RemoveAll(m => m.Role == "tool" && m.ToolCallId == call.CallId);
        run.Messages.Add(MessageMapper.Tool(call.CallId, call.Name, args, pausedText, false, _ctx.Env.Now));
        await _ledger.EmitCompletedAsync(tool, childRunId).ConfigureAwait(false);
        run.Pending.RemoveAll(p => p.CallId == call.CallId);
        run.Pending.Add(new PendingCall
        {
            Kind = PendingKind.Member,
            CallId = call.CallId,
            Name = call.Name,
            Arguments = (JsonObject)(tool.ToolArgs ?? []).DeepClone(),
            MemberId = memberRun.Source.ComponentId,
            MemberRunId = memberRun.Source.RunId,
        });
        return false;
    }

    /// <summary>A runner for a member's run inside this team run (streamed and recorded as the team run is).</summary>
    private ChatRunner MemberRunner(ChatRun memberRun, ChatSpec? memberSpec = null)
    {
        if (memberSpec is null)
        {
            var member = _team.Members.FirstOrDefault(m => m.Id == memberRun.Source.ComponentId)
                ?? throw new InvalidOperationException($"The team has no member '{memberRun.Source.ComponentId}'.");
            memberSpec = ChatSpec.ForAgent(member, asMember: true);
        }

        memberRun.Streaming = _ctx.Run.Streaming;
        memberRun.RecordEvents = _ctx.Run.Streaming;
        memberRun.StreamEvents = _ctx.Run.StreamEvents;
        return new ChatRunner(_ctx.Env, memberSpec, memberRun, _ctx.Sink);
    }
}

/// <summary>The arguments of the leader's delegation tool (what the model chose).</summary>
internal sealed record DelegationArguments(JsonNode? MemberId, JsonNode? Task);
