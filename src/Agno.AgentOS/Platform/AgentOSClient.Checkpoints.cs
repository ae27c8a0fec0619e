using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Checkpoints of agent and team runs, and session forks. Continue from a checkpoint with ContinueRunRequest.FromCheckpoint.
public partial class AgentOSClient
{
    private const string CheckpointsFeature = "Checkpoints";

    /// <summary>Lists an agent run's checkpoints (<c>GET /agents/{id}/runs/{runId}/checkpoints</c>).</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (required by the server).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoints.</returns>
    /// <exception cref="AgentOSNotFoundException">No such run.</exception>
    public virtual Task<RunCheckpointList> ListAgentRunCheckpointsAsync(string agentId, string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => ListCheckpointsCoreAsync(ComponentKind.Agent, agentId, runId, sessionId, options, cancellationToken);

    /// <summary>Lists a team run's checkpoints (<c>GET /teams/{id}/runs/{runId}/checkpoints</c>).</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (required by the server).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoints.</returns>
    public virtual Task<RunCheckpointList> ListTeamRunCheckpointsAsync(string teamId, string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => ListCheckpointsCoreAsync(ComponentKind.Team, teamId, runId, sessionId, options, cancellationToken);

    /// <summary>Gets an agent run as it was at a checkpoint (<c>GET .../checkpoints/{messageIndex}</c>).</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="messageIndex">The checkpoint's message index.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoint and the run truncated there.</returns>
    /// <exception cref="AgentOSBadRequestException">The index is out of range (400).</exception>
    public virtual Task<RunCheckpointSnapshot<AgentRunOutput>> GetAgentRunCheckpointAsync(string agentId, string runId, int messageIndex, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => GetCheckpointCoreAsync(ComponentKind.Agent, agentId, runId, messageIndex, sessionId, AgentOSJsonContext.Default.AgentRunOutput, options, cancellationToken);

    /// <summary>Gets a team run as it was at a checkpoint.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="messageIndex">The checkpoint's message index.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoint and the run truncated there.</returns>
    public virtual Task<RunCheckpointSnapshot<TeamRunOutput>> GetTeamRunCheckpointAsync(string teamId, string runId, int messageIndex, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => GetCheckpointCoreAsync(ComponentKind.Team, teamId, runId, messageIndex, sessionId, AgentOSJsonContext.Default.TeamRunOutput, options, cancellationToken);

    /// <summary>Forks an agent session (<c>POST /agents/{id}/sessions/{sessionId}/fork</c>): a copy of its runs under a new session id.</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="sessionId">The session to copy.</param>
    /// <param name="userId">The user (servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session's id.</returns>
    /// <exception cref="AgentOSBadRequestException">The session has no runs (agno answers 400 for an unknown session too).</exception>
    public virtual Task<SessionFork> ForkAgentSessionAsync(string agentId, string sessionId, string? userId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => ForkCoreAsync(ComponentKind.Agent, agentId, sessionId, userId, options, cancellationToken);

    /// <summary>Forks a team session (<c>POST /teams/{id}/sessions/{sessionId}/fork</c>).</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="sessionId">The session to copy.</param>
    /// <param name="userId">The user (servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session's id.</returns>
    public virtual Task<SessionFork> ForkTeamSessionAsync(string teamId, string sessionId, string? userId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => ForkCoreAsync(ComponentKind.Team, teamId, sessionId, userId, options, cancellationToken);

    internal Task<RunCheckpointList> ListCheckpointsCoreAsync(ComponentKind kind, string id, string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        string path = Paths.WithQuery(Paths.Run(kind, id, runId) + "/checkpoints", ("session_id", sessionId));
        return FeatureAsync(CheckpointsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.RunCheckpointList, options, cancellationToken));
    }

    internal async Task<RunCheckpointSnapshot<TOutput>> GetCheckpointCoreAsync<TOutput>(ComponentKind kind, string id, string runId, int messageIndex, string sessionId, JsonTypeInfo<TOutput> outputType, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        where TOutput : RunOutput
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(messageIndex);
        string path = Paths.WithQuery($"{Paths.Run(kind, id, runId)}/checkpoints/{messageIndex.ToString(CultureInfo.InvariantCulture)}", ("session_id", sessionId));
        var body = await FeatureAsync(CheckpointsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.CheckpointSnapshotBody, options, cancellationToken)).ConfigureAwait(false);
        if (body.Checkpoint is null || body.Snapshot.ValueKind != JsonValueKind.Object)
        {
            throw new AgentOSProtocolException($"GET {path} answered without a checkpoint and a snapshot object.") { Method = "GET", RequestPath = path };
        }

        try
        {
            var snapshot = body.Snapshot.Deserialize(outputType) ?? throw new JsonException("The snapshot is null.");
            return new RunCheckpointSnapshot<TOutput>(body.Checkpoint, snapshot);
        }
        catch (JsonException ex)
        {
            throw new AgentOSProtocolException($"GET {path} answered with a snapshot that is not a run output: {ex.Message}", ex) { Method = "GET", RequestPath = path };
        }
    }

    internal Task<SessionFork> ForkCoreAsync(ComponentKind kind, string id, string sessionId, string? userId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        string path = Paths.WithQuery($"{Paths.Component(kind, id)}/sessions/{Paths.Segment(sessionId, nameof(sessionId))}/fork", ("user_id", userId));
        return FeatureAsync(CheckpointsFeature, Pipeline.SendJsonAsync(HttpMethod.Post, path, null, AgentOSPlatformJsonContext.Default.SessionFork, options, cancellationToken));
    }
}
