using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// agno's <c>agno/run/approval.py</c> for the host: creates the approval record when a run pauses on a tool that needs an
/// admin approval (and stamps its id on the tool), writes the audit record after a confirmed audit tool, and applies a
/// resolved approval when the run is continued without answers.
/// </summary>
internal sealed class ApprovalCoordinator
{
    public const string UnresolvedDetail = "Run has unresolved HITL requirements. Provide the `requirements` parameter (or resolve an admin approval first).";
    public const string AdminApprovalDetail = "This run requires admin approval before it can be continued";

    private readonly IAgentOSSessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ApprovalCoordinator(IAgentOSApprovalStore store, IAgentOSSessionStore sessions, TimeProvider time, ILogger logger)
    {
        Store = store;
        _sessions = sessions;
        _time = time;
        _logger = logger;
    }

    public IAgentOSApprovalStore Store { get; }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Marks a host tool's entry with its approval type (none for an ordinary tool).</summary>
    public static void Mark(ToolExecution tool, Microsoft.Extensions.AI.AIFunction function)
    {
        if (AdminApprovalAIFunction.Of(function) is { } approval)
        {
            tool.ApprovalType = approval.WireType;
        }
    }

    /// <summary>At the pause: one pending record for the run's blocking approval tools, its id stamped on them.</summary>
    public async Task OnPausedAsync(ChatRun run, ChatSpec spec, CancellationToken cancellationToken)
    {
        var pendingIds = run.Pending.Select(p => p.CallId).ToHashSet(StringComparer.Ordinal);
        var tools = run.Tools.Where(t => t.ApprovalType is not null && pendingIds.Contains(t.ToolCallId ?? string.Empty)).ToList();
        var first = tools.FirstOrDefault();
        if (first is null || first.ApprovalType != "required" || tools.Any(t => t.ApprovalId is not null))
        {
            return;
        }

        var approval = NewRecord(run, spec, first, "required", tools, run.Requirements.Count == 0 ? null : Wire.ToArray(run.RequirementNodes()));
        try
        {
            await Store.CreateAsync(approval, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // as agno: the run still pauses; without a record it cannot be continued through an approval
            Log.ApprovalFailed(_logger, ex, run.Source.RunId);
            return;
        }

        foreach (var tool in tools)
        {
            tool.ApprovalId = approval.Id;
        }

        foreach (var requirement in run.Requirements)
        {
            if (requirement.ToolExecution is { ApprovalType: not null } execution && tools.Exists(t => t.ToolCallId == execution.ToolCallId))
            {
                execution.ApprovalId = approval.Id;
            }
        }
    }

    /// <summary>After the caller answered an audit tool: an already resolved record of the answer.</summary>
    public async Task AuditAsync(ChatRun run, ChatSpec spec, ToolExecution tool, bool confirmed, CancellationToken cancellationToken)
    {
        if (tool.ApprovalType != "audit")
        {
            return;
        }

        var approval = NewRecord(run, spec, tool, "audit", [tool], requirements: null);
        approval.Status = confirmed ? ApprovalStatuses.Approved : ApprovalStatuses.Rejected;
        approval.ResolvedAt = approval.CreatedAt;
        try
        {
            await Store.CreateAsync(approval, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ApprovalFailed(_logger, ex, run.Source.RunId);
        }
    }

    /// <summary>The blocking approval ids a stored paused run waits on (its tools' <c>approval_id</c>s).</summary>
    public static List<(string CallId, string? ApprovalId)> BlockingTools(StoredRunFields stored)
        => [.. (stored.Tools ?? []).OfType<JsonObject>().Select(HostWire.ToTool)
            .Where(t => t.ApprovalType == "required" && t.Confirmed is null)
            .Select(t => (t.ToolCallId ?? string.Empty, t.ApprovalId))];

    /// <summary>Whether any of the run's blocking approvals is still pending.</summary>
    public async Task<bool> AnyPendingAsync(string runId, IEnumerable<string?> approvalIds, CancellationToken cancellationToken)
    {
        foreach (string? id in approvalIds)
        {
            var approval = id is null ? null : await Store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (approval?.Status == ApprovalStatuses.Pending)
            {
                return true;
            }
        }

        var page = await Store.ListAsync(new AgentOSApprovalQuery { RunId = runId, Status = ApprovalStatuses.Pending, ApprovalType = "required", Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return page.TotalCount > 0;
    }

    /// <summary>
    /// agno's <c>check_and_apply_approval_resolution</c>: the resolved approval of each blocking tool, as the
    /// <c>confirmed</c> answer to copy onto it; null when one has no record or is still pending.
    /// </summary>
    public async Task<Dictionary<string, AgentOSApproval>?> ResolutionsAsync(string runId, List<(string CallId, string? ApprovalId)> tools, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, AgentOSApproval>(StringComparer.Ordinal);
        foreach (var (callId, approvalId) in tools)
        {
            var approval = approvalId is null ? null : await Store.GetAsync(approvalId, cancellationToken).ConfigureAwait(false);
            if (approval is null)
            {
                var page = await Store.ListAsync(new AgentOSApprovalQuery { RunId = runId, ApprovalType = "required", Limit = 1 }, cancellationToken).ConfigureAwait(false);
                approval = page.Items.Count > 0 ? page.Items[0] : null;
            }

            if (approval is null || approval.Status == ApprovalStatuses.Pending)
            {
                return null;
            }

            result[callId] = approval;
        }

        return result;
    }

    /// <summary>agno's <c>_apply_approval_to_tools</c> for a confirmation tool: approved confirms it, anything else rejects it.</summary>
    public static void Apply(ChatRun run, Dictionary<string, AgentOSApproval> resolutions)
    {
        foreach (var (callId, approval) in resolutions)
        {
            if (run.Tools.Find(t => t.ToolCallId == callId) is { } tool)
            {
                tool.Confirmed = approval.Status == ApprovalStatuses.Approved;
            }
        }
    }

    /// <summary>The approval as agno answers it, with the run's current status.</summary>
    public async Task<ApprovalBody> ToBodyAsync(AgentOSApproval approval, CancellationToken cancellationToken)
    {
        string? runStatus = null;
        try
        {
            runStatus = (await _sessions.GetRunAsync(approval.SessionId, approval.RunId, cancellationToken).ConfigureAwait(false))?.Status?.Value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ApprovalFailed(_logger, ex, approval.RunId);
        }

        return ApprovalBody.From(approval, runStatus);
    }

    /// <summary>A record of one pause of a run (agno's approval row): its tool, the run's component, user and the tools it names.</summary>
    private AgentOSApproval NewRecord(ChatRun run, ChatSpec spec, ToolExecution tool, string approvalType, IEnumerable<ToolExecution> tools, JsonArray? requirements)
    {
        bool team = spec.Scope == EmitterScope.Team;
        long now = Now;
        return new AgentOSApproval
        {
            Id = Wire.NewId(),
            RunId = run.Source.RunId,
            SessionId = run.Source.SessionId,
            SourceType = team ? "team" : "agent",
            ApprovalType = approvalType,
            PauseType = PauseType(tool),
            ToolName = tool.ToolName,
            ToolArgs = (JsonObject?)tool.ToolArgs?.DeepClone(),
            AgentId = team ? null : spec.Id,
            TeamId = team ? spec.Id : null,
            UserId = run.UserId,
            SourceName = spec.Name,
            Requirements = requirements,
            Context = JsonSerializer.SerializeToNode(new ApprovalContextBody([.. tools.Select(t => t.ToolName)], spec.Name), HostWireContext.Default.ApprovalContextBody)!.AsObject(),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static string PauseType(ToolExecution tool)
        => tool.RequiresUserInput == true ? "user_input"
            : tool.ExternalExecutionRequired == true ? "external_execution"
            : "confirmation";
}
