using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// An approval record as agno stores it (<c>agno/run/approval.py</c>, served by <c>/approvals</c>): a run paused on a
/// tool that needs an admin approval, who it belongs to, and how it was resolved. Times are Unix seconds.
/// </summary>
public sealed class AgentOSApproval
{
    /// <summary>The approval id (a UUID).</summary>
    public required string Id { get; init; }

    /// <summary>The paused run.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's session.</summary>
    public required string SessionId { get; init; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>rejected</c>, <c>expired</c> or <c>cancelled</c>.</summary>
    public string Status { get; set; } = ApprovalStatuses.Pending;

    /// <summary><c>agent</c>, <c>team</c> or <c>workflow</c>.</summary>
    public string SourceType { get; init; } = "agent";

    /// <summary><c>required</c> (blocking) or <c>audit</c>.</summary>
    public string ApprovalType { get; init; } = "required";

    /// <summary><c>confirmation</c>, <c>user_input</c> or <c>external_execution</c>.</summary>
    public string? PauseType { get; init; }

    /// <summary>The tool that needs the approval.</summary>
    public string? ToolName { get; init; }

    /// <summary>Its arguments.</summary>
    public JsonObject? ToolArgs { get; init; }

    /// <summary>When it expires (agno never sets it).</summary>
    public long? ExpiresAt { get; init; }

    /// <summary>The agent (an agent's run).</summary>
    public string? AgentId { get; init; }

    /// <summary>The team (a team's run).</summary>
    public string? TeamId { get; init; }

    /// <summary>The workflow (a workflow's run).</summary>
    public string? WorkflowId { get; init; }

    /// <summary>The user whose run it is.</summary>
    public string? UserId { get; init; }

    /// <summary>The schedule that started the run (none here).</summary>
    public string? ScheduleId { get; init; }

    /// <summary>The schedule run (none here).</summary>
    public string? ScheduleRunId { get; init; }

    /// <summary>The component's name.</summary>
    public string? SourceName { get; init; }

    /// <summary>The run's requirements when it paused.</summary>
    public JsonArray? Requirements { get; init; }

    /// <summary><c>tool_names</c> and <c>source_name</c>, for display.</summary>
    public JsonObject? Context { get; init; }

    /// <summary>What the admin sent with the resolution.</summary>
    public JsonObject? ResolutionData { get; set; }

    /// <summary>Who resolved it (the admin's JWT subject when there is one).</summary>
    public string? ResolvedBy { get; set; }

    /// <summary>When it was resolved.</summary>
    public long? ResolvedAt { get; set; }

    /// <summary>When it was created.</summary>
    public long CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public long? UpdatedAt { get; set; }

    /// <summary>A copy (stores hand out copies, so a caller's changes do not leak into the store).</summary>
    /// <returns>The copy.</returns>
    public AgentOSApproval Clone() => new()
    {
        Id = Id,
        RunId = RunId,
        SessionId = SessionId,
        Status = Status,
        SourceType = SourceType,
        ApprovalType = ApprovalType,
        PauseType = PauseType,
        ToolName = ToolName,
        ToolArgs = (JsonObject?)ToolArgs?.DeepClone(),
        ExpiresAt = ExpiresAt,
        AgentId = AgentId,
        TeamId = TeamId,
        WorkflowId = WorkflowId,
        UserId = UserId,
        ScheduleId = ScheduleId,
        ScheduleRunId = ScheduleRunId,
        SourceName = SourceName,
        Requirements = (JsonArray?)Requirements?.DeepClone(),
        Context = (JsonObject?)Context?.DeepClone(),
        ResolutionData = (JsonObject?)ResolutionData?.DeepClone(),
        ResolvedBy = ResolvedBy,
        ResolvedAt = ResolvedAt,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

/// <summary>The filters and page of a listing (<c>GET /approvals</c>); a null filter matches everything.</summary>
public sealed class AgentOSApprovalQuery
{
    /// <summary>Only this status.</summary>
    public string? Status { get; init; }

    /// <summary>Only this source type.</summary>
    public string? SourceType { get; init; }

    /// <summary>Only this approval type.</summary>
    public string? ApprovalType { get; init; }

    /// <summary>Only this pause type.</summary>
    public string? PauseType { get; init; }

    /// <summary>Only this agent's.</summary>
    public string? AgentId { get; init; }

    /// <summary>Only this team's.</summary>
    public string? TeamId { get; init; }

    /// <summary>Only this workflow's.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Only this user's.</summary>
    public string? UserId { get; init; }

    /// <summary>Only this schedule's.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>Only this run's.</summary>
    public string? RunId { get; init; }

    /// <summary>The page size (1 to 1000).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The page (from 1).</summary>
    public int Page { get; init; } = 1;

    /// <summary>Whether an approval passes the filters.</summary>
    /// <param name="approval">The approval.</param>
    /// <returns>True when every filter set matches.</returns>
    public bool Matches(AgentOSApproval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        static bool Is(string? filter, string? value) => filter is null || string.Equals(filter, value, StringComparison.Ordinal);
        return Is(Status, approval.Status) && Is(SourceType, approval.SourceType) && Is(ApprovalType, approval.ApprovalType)
            && Is(PauseType, approval.PauseType) && Is(AgentId, approval.AgentId) && Is(TeamId, approval.TeamId)
            && Is(WorkflowId, approval.WorkflowId) && Is(UserId, approval.UserId) && Is(ScheduleId, approval.ScheduleId)
            && Is(RunId, approval.RunId);
    }
}

/// <summary>One page of approvals, newest first, and how many match in all.</summary>
/// <param name="Items">The page.</param>
/// <param name="TotalCount">How many approvals match the filters.</param>
public sealed record AgentOSApprovalPage(IReadOnlyList<AgentOSApproval> Items, int TotalCount);

/// <summary>An admin's resolution of a pending approval.</summary>
/// <param name="Status"><c>approved</c> or <c>rejected</c>.</param>
/// <param name="ResolvedBy">Who resolved it.</param>
/// <param name="ResolutionData">Data for the tool (kept as is; null leaves the record's).</param>
/// <param name="ResolvedAt">When (Unix seconds).</param>
public sealed record AgentOSApprovalResolution(string Status, string? ResolvedBy, JsonObject? ResolutionData, long ResolvedAt);

/// <summary>
/// Keeps the host's approval records (<c>/approvals</c>). The default is <see cref="InMemoryAgentOSApprovalStore"/>;
/// register another with <see cref="AgentOSHostBuilder.UseApprovalStore(IAgentOSApprovalStore)"/>. Implementations
/// are thread-safe and hand out copies.
/// </summary>
public interface IAgentOSApprovalStore
{
    /// <summary>Adds an approval.</summary>
    /// <param name="approval">The approval.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask CreateAsync(AgentOSApproval approval, CancellationToken cancellationToken = default);

    /// <summary>Gets an approval, or null.</summary>
    /// <param name="approvalId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval, or null.</returns>
    ValueTask<AgentOSApproval?> GetAsync(string approvalId, CancellationToken cancellationToken = default);

    /// <summary>Lists approvals, newest first.</summary>
    /// <param name="query">Filters and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the total.</returns>
    ValueTask<AgentOSApprovalPage> ListAsync(AgentOSApprovalQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts the pending approvals (of a user, or of everyone).</summary>
    /// <param name="userId">The user, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    ValueTask<int> CountPendingAsync(string? userId, CancellationToken cancellationToken = default);

    /// <summary>Resolves an approval if it is still pending (atomically); null when it is not pending or does not exist.</summary>
    /// <param name="approvalId">The id.</param>
    /// <param name="resolution">The resolution.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resolved approval, or null.</returns>
    ValueTask<AgentOSApproval?> ResolveAsync(string approvalId, AgentOSApprovalResolution resolution, CancellationToken cancellationToken = default);

    /// <summary>Deletes an approval.</summary>
    /// <param name="approvalId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteAsync(string approvalId, CancellationToken cancellationToken = default);
}

/// <summary>Approvals kept in memory (lost on restart; the default store).</summary>
public sealed class InMemoryAgentOSApprovalStore : IAgentOSApprovalStore
{
    private readonly object _gate = new();
    private readonly List<AgentOSApproval> _approvals = [];

    /// <inheritdoc/>
    public ValueTask CreateAsync(AgentOSApproval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        lock (_gate)
        {
            if (_approvals.Exists(a => a.Id == approval.Id))
            {
                throw new InvalidOperationException($"Approval '{approval.Id}' already exists.");
            }

            _approvals.Add(approval.Clone());
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<AgentOSApproval?> GetAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        lock (_gate)
        {
            return ValueTask.FromResult(_approvals.Find(a => a.Id == approvalId)?.Clone());
        }
    }

    /// <inheritdoc/>
    public ValueTask<AgentOSApprovalPage> ListAsync(AgentOSApprovalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            // newest first; among equal times the later insert first
            var matching = _approvals.Select((a, i) => (a, i)).Where(x => query.Matches(x.a))
                .OrderByDescending(x => x.a.CreatedAt).ThenByDescending(x => x.i).Select(x => x.a).ToList();
            int limit = Math.Max(1, query.Limit);
            var page = matching.Skip((Math.Max(1, query.Page) - 1) * limit).Take(limit).Select(a => a.Clone()).ToList();
            return ValueTask.FromResult(new AgentOSApprovalPage(page, matching.Count));
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> CountPendingAsync(string? userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_approvals.Count(a => a.Status == ApprovalStatuses.Pending && (userId is null || a.UserId == userId)));
        }
    }

    /// <inheritdoc/>
    public ValueTask<AgentOSApproval?> ResolveAsync(string approvalId, AgentOSApprovalResolution resolution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        ArgumentNullException.ThrowIfNull(resolution);
        lock (_gate)
        {
            var approval = _approvals.Find(a => a.Id == approvalId);
            if (approval is null || approval.Status != ApprovalStatuses.Pending)
            {
                return ValueTask.FromResult<AgentOSApproval?>(null);
            }

            approval.Status = resolution.Status;
            approval.ResolvedBy = resolution.ResolvedBy;
            approval.ResolvedAt = resolution.ResolvedAt;
            approval.UpdatedAt = resolution.ResolvedAt;
            if (resolution.ResolutionData is not null)
            {
                approval.ResolutionData = (JsonObject)resolution.ResolutionData.DeepClone();
            }

            return ValueTask.FromResult<AgentOSApproval?>(approval.Clone());
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        lock (_gate)
        {
            return ValueTask.FromResult(_approvals.RemoveAll(a => a.Id == approvalId) > 0);
        }
    }
}
