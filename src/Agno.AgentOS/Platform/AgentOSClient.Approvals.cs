using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Central approvals (agno's /approvals, needs AgentOS(db=...)): list, count, get, status, resolve, delete, and continuing
// the run an admin approval paused.
public partial class AgentOSClient
{
    private const string ApprovalsFeature = "Approvals";

    /// <summary>Lists approvals, one page (<c>GET /approvals</c>), with every filter agno has.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="AgentOSFeatureUnavailableException">The server has no OS database (503) or no approvals at all.</exception>
    /// <exception cref="AgentOSBadRequestException">A filter value the server refuses (422, e.g. an unknown status).</exception>
    /// <exception cref="AgentOSMissingScopeException">The token lacks <c>approvals:read</c>.</exception>
    public virtual Task<Page<Approval>> ListApprovalsAsync(ApprovalQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new ApprovalQuery();
        string path = Paths.WithQuery("approvals",
            ("status", query.Status), ("source_type", query.SourceType), ("approval_type", query.ApprovalType), ("pause_type", query.PauseType),
            ("agent_id", query.AgentId), ("team_id", query.TeamId), ("workflow_id", query.WorkflowId), ("user_id", query.UserId),
            ("schedule_id", query.ScheduleId), ("run_id", query.RunId), ("limit", Number(query.Limit)), ("page", Number(query.Page)));
        return FeatureAsync(ApprovalsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.PageApproval, options, cancellationToken));
    }

    /// <summary>Counts the pending approvals (<c>GET /approvals/count</c>).</summary>
    /// <param name="userId">Only this user's (ignored for a non-admin under user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of pending approvals.</returns>
    public virtual async Task<int> CountPendingApprovalsAsync(string? userId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var count = await FeatureAsync(ApprovalsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("approvals/count", ("user_id", userId)), null, AgentOSPlatformJsonContext.Default.ApprovalCount, options, cancellationToken)).ConfigureAwait(false);
        return count.Count;
    }

    /// <summary>Gets an approval (<c>GET /approvals/{id}</c>).</summary>
    /// <param name="approvalId">The approval id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval.</returns>
    /// <exception cref="AgentOSNotFoundException">No such approval (or, under user isolation, another user's).</exception>
    public virtual Task<Approval> GetApprovalAsync(string approvalId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ApprovalsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, ApprovalPath(approvalId), null, AgentOSPlatformJsonContext.Default.Approval, options, cancellationToken));

    /// <summary>Gets an approval's status (<c>GET /approvals/{id}/status</c>), e.g. to poll until an admin resolved it.</summary>
    /// <param name="approvalId">The approval id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    /// <exception cref="AgentOSNotFoundException">No such approval.</exception>
    public virtual Task<ApprovalStatusInfo> GetApprovalStatusAsync(string approvalId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ApprovalsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, ApprovalPath(approvalId) + "/status", null, AgentOSPlatformJsonContext.Default.ApprovalStatusInfo, options, cancellationToken));

    /// <summary>
    /// Resolves an approval (<c>POST /approvals/{id}/resolve</c>): approved or rejected, with who and any data. Then
    /// continue the paused run (<see cref="ContinueAfterApprovalAsync"/>): approved, the tool runs; rejected, it does not.
    /// </summary>
    /// <param name="approvalId">The approval id.</param>
    /// <param name="resolution">The resolution.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resolved approval.</returns>
    /// <exception cref="AgentOSConflictException">It was already resolved (409).</exception>
    /// <exception cref="AgentOSNotFoundException">No such approval (also a non-admin under user isolation).</exception>
    /// <exception cref="AgentOSMissingScopeException">The token lacks <c>approvals:write</c>.</exception>
    /// <exception cref="AgentOSBadRequestException">A status the server refuses (422).</exception>
    public virtual async Task<Approval> ResolveApprovalAsync(string approvalId, ApprovalResolution resolution, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        string path = ApprovalPath(approvalId) + "/resolve";
        using var content = JsonOf(new ApprovalResolutionBody { Status = resolution.Status, ResolvedBy = resolution.ResolvedBy, ResolutionData = resolution.ResolutionData }, AgentOSPlatformJsonContext.Default.ApprovalResolutionBody);
        return await FeatureAsync(ApprovalsFeature, Pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgentOSPlatformJsonContext.Default.Approval, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes an approval (<c>DELETE /approvals/{id}</c>, 204).</summary>
    /// <param name="approvalId">The approval id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    /// <exception cref="AgentOSServerException">agno answers 500 <c>Failed to delete approval</c> for an id it does not know.</exception>
    public virtual Task DeleteApprovalAsync(string approvalId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ApprovalsFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, ApprovalPath(approvalId), null, options, cancellationToken));

    /// <summary>
    /// Continues the agent or team run an admin approval paused, once it is resolved: sends the continue without
    /// answers (<see cref="ContinueRunRequest.AfterApproval"/>), so the server applies the resolution. Approved, the tool
    /// runs; rejected, its result says the call was rejected. The run may pause again.
    /// </summary>
    /// <param name="approval">The resolved approval (from <see cref="ResolveApprovalAsync"/> or <see cref="GetApprovalAsync"/>).</param>
    /// <param name="options">Per-call options (e.g. the run owner's token).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's output: an <see cref="AgentRunOutput"/> or a <see cref="TeamRunOutput"/>.</returns>
    /// <exception cref="AgentOSAdminApprovalRequiredException">The approval is still pending (403, servers with authorization).</exception>
    /// <exception cref="AgentOSBadRequestException">The approval is still pending (400, servers without authorization).</exception>
    /// <exception cref="ArgumentException">The approval is not of an agent or team run, or lacks its ids.</exception>
    public virtual async Task<RunOutput> ContinueAfterApprovalAsync(Approval approval, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (string.IsNullOrWhiteSpace(approval.RunId) || string.IsNullOrWhiteSpace(approval.SessionId))
        {
            throw new ArgumentException("The approval has no run id or session id.", nameof(approval));
        }

        var request = ContinueRunRequest.AfterApproval(approval.SessionId);
        return approval.SourceType switch
        {
            "agent" when approval.AgentId is { Length: > 0 } agent => await ContinueAgentRunAsync(agent, approval.RunId, request, options, cancellationToken).ConfigureAwait(false),
            "team" when approval.TeamId is { Length: > 0 } team => await ContinueTeamRunAsync(team, approval.RunId, request, options, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"The approval's source '{approval.SourceType}' is not an agent or team run this client can continue; continue it with ContinueRunRequest.AfterApproval on its component.", nameof(approval)),
        };
    }

    private static string ApprovalPath(string approvalId) => "approvals/" + Paths.Segment(approvalId, nameof(approvalId));
}
