namespace Agno.AgentOS;

// Checkpoints, session forks and continuing after an admin approval, on the agent and team handles.
public sealed partial class RemoteAgent
{
    /// <summary>Lists a run's checkpoints (see <see cref="AgentOSClient.ListAgentRunCheckpointsAsync"/>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoints.</returns>
    public Task<RunCheckpointList> ListCheckpointsAsync(string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Client.ListAgentRunCheckpointsAsync(Id, runId, sessionId, options, cancellationToken);

    /// <summary>Gets a run as it was at a checkpoint (see <see cref="AgentOSClient.GetAgentRunCheckpointAsync"/>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="messageIndex">The checkpoint's message index.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoint and the run truncated there.</returns>
    public Task<RunCheckpointSnapshot<AgentRunOutput>> GetCheckpointAsync(string runId, int messageIndex, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Client.GetAgentRunCheckpointAsync(Id, runId, messageIndex, sessionId, options, cancellationToken);

    /// <summary>Forks one of the agent's sessions (see <see cref="AgentOSClient.ForkAgentSessionAsync"/>).</summary>
    /// <param name="sessionId">The session to copy.</param>
    /// <param name="userId">The user (servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session's id.</returns>
    public Task<SessionFork> ForkSessionAsync(string sessionId, string? userId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Client.ForkAgentSessionAsync(Id, sessionId, userId, options, cancellationToken);

    /// <summary>Continues a run paused for an admin approval once it is resolved (<see cref="ContinueRunRequest.AfterApproval"/>).</summary>
    /// <param name="paused">The paused output.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output (it may pause again).</returns>
    public Task<AgentRunOutput> ContinueAfterApprovalAsync(AgentRunOutput paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (runId, request) = AfterApproval.Of(paused);
        return ContinueAsync(runId, request, options, cancellationToken);
    }
}

public sealed partial class RemoteTeam
{
    /// <summary>Lists a run's checkpoints (see <see cref="AgentOSClient.ListTeamRunCheckpointsAsync"/>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoints.</returns>
    public Task<RunCheckpointList> ListCheckpointsAsync(string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Client.ListTeamRunCheckpointsAsync(Id, runId, sessionId, options, cancellationToken);

    /// <summary>Gets a run as it was at a checkpoint (see <see cref="AgentOSClient.GetTeamRunCheckpointAsync"/>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="messageIndex">The checkpoint's message index.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoint and the run truncated there.</returns>
    public Task<RunCheckpointSnapshot<TeamRunOutput>> GetCheckpointAsync(string runId, int messageIndex, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Client.GetTeamRunCheckpointAsync(Id, runId, messageIndex, sessionId, options, cancellationToken);

    /// <summary>Forks one of the team's sessions (see <see cref="AgentOSClient.ForkTeamSessionAsync"/>).</summary>
    /// <param name="sessionId">The session to copy.</param>
    /// <param name="userId">The user (servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session's id.</returns>
    public Task<SessionFork> ForkSessionAsync(string sessionId, string? userId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Client.ForkTeamSessionAsync(Id, sessionId, userId, options, cancellationToken);

    /// <summary>Continues a run paused for an admin approval once it is resolved (<see cref="ContinueRunRequest.AfterApproval"/>).</summary>
    /// <param name="paused">The paused output.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output.</returns>
    public Task<TeamRunOutput> ContinueAfterApprovalAsync(TeamRunOutput paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (runId, request) = AfterApproval.Of(paused);
        return ContinueAsync(runId, request, options, cancellationToken);
    }
}

/// <summary>The continue of a run paused for an admin approval, from its paused output.</summary>
internal static class AfterApproval
{
    public static (string RunId, ContinueRunRequest Request) Of(RunOutput paused)
    {
        ArgumentNullException.ThrowIfNull(paused);
        string runId = paused.RunId ?? throw new ArgumentException("The output has no run id.", nameof(paused));
        return (runId, ContinueRunRequest.AfterApproval(paused.SessionId ?? throw new ArgumentException("The output has no session id.", nameof(paused))));
    }
}
