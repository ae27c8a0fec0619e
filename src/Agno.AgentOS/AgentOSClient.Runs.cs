using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Runs, continue, cancel and stored runs of agents, teams and workflows.
public partial class AgentOSClient
{

    /// <summary>
    /// Runs the agent and waits for its output (<c>POST /agents/{id}/runs</c> with <c>stream=false</c>).
    /// A paused run returns normally with status <c>PAUSED</c>.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call (the server stops a run whose connection closes).</param>
    /// <returns>The run's output.</returns>
    /// <exception cref="AgentOSRunFailedException">The run ended with status <c>ERROR</c>.</exception>
    /// <exception cref="AgentOSException">The server refused the request or could not be reached.</exception>
    public virtual Task<AgentRunOutput> RunAgentAsync(string agentId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(agentId, nameof(agentId));
        return RunCoreAsync(ComponentKind.Agent, agentId, request, RunAnswers.Agent, options, cancellationToken);
    }

    /// <summary>
    /// Runs the agent and streams its events (<c>stream=true</c>). The stream ends after the run's completed,
    /// paused or cancelled event; a run error throws <see cref="AgentOSRunFailedException"/> after the events
    /// before it, and a stream that stops early throws <see cref="AgentOSStreamInterruptedException"/>.
    /// Disposing the enumerator early closes the connection, which stops the run on the server.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunAgentStreamingAsync(string agentId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(agentId, nameof(agentId));
        return RunStreamingCore(ComponentKind.Agent, agentId, request, background: false, options, cancellationToken);
    }

    /// <summary>
    /// Starts a background run of the agent (<c>background=true</c>, <c>stream=false</c>): the server answers 202
    /// at once with the run and session ids; poll with <see cref="GetAgentRunAsync"/>. Needs a database on the server.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call (not the run).</param>
    /// <returns>The run and session ids.</returns>
    public virtual Task<BackgroundRunHandle> StartAgentRunInBackgroundAsync(string agentId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(agentId, nameof(agentId));
        return StartBackgroundCoreAsync(ComponentKind.Agent, agentId, request, options, cancellationToken);
    }

    /// <summary>
    /// Runs the agent in the background and streams its events (<c>background=true</c>, <c>stream=true</c>):
    /// every event carries <see cref="AgentOSEvent.EventIndex"/>, the run survives a dropped connection, and
    /// <see cref="ResumeAgentRunStreamingAsync"/> picks the stream up from the last index seen.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream (not the run).</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunAgentInBackgroundStreamingAsync(string agentId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(agentId, nameof(agentId));
        return RunStreamingCore(ComponentKind.Agent, agentId, request, background: true, options, cancellationToken);
    }

    /// <summary>
    /// Resumes the event stream of a background run (<c>POST .../runs/{runId}/resume</c>): a
    /// <see cref="ResumeReplayEvent"/>, <see cref="ResumeCatchUpEvent"/> or <see cref="ResumeSubscribedEvent"/>
    /// comes first, then the events after <paramref name="lastEventIndex"/>, then live ones.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (lets the server replay from its database).</param>
    /// <param name="lastEventIndex">The index of the last event already received; null to replay all.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ResumeAgentRunStreamingAsync(string agentId, string runId, string? sessionId, int? lastEventIndex = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(agentId, nameof(agentId));
        Paths.Segment(runId, nameof(runId));
        if (lastEventIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lastEventIndex), "The last event index is 0 or more.");
        }

        return ResumeStreamingCore(ComponentKind.Agent, agentId, runId, sessionId, lastEventIndex, options, cancellationToken);
    }

    /// <summary>Continues a paused agent run with <see cref="ContinueRunRequest.Tools"/> (every tool of the paused run) and waits for its output.</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers and the session id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's output (it may pause again).</returns>
    /// <exception cref="AgentOSConflictException">The run cannot be continued (e.g. it was cancelled).</exception>
    public virtual Task<AgentRunOutput> ContinueAgentRunAsync(string agentId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(agentId, nameof(agentId));
        Paths.Segment(runId, nameof(runId));
        return ContinueCoreAsync(ComponentKind.Agent, agentId, runId, request, RunAnswers.Agent, options, cancellationToken);
    }

    /// <summary>Continues a paused agent run with <see cref="ContinueRunRequest.Tools"/> (every tool of the paused run) and streams its events.</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers and the session id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ContinueAgentRunStreamingAsync(string agentId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(agentId, nameof(agentId));
        Paths.Segment(runId, nameof(runId));
        return ContinueStreamingCore(ComponentKind.Agent, agentId, runId, request, options, cancellationToken);
    }

    /// <summary>
    /// Asks the server to cancel a agent run (<c>POST .../runs/{runId}/cancel</c>). The server answers 200 even
    /// for a run it does not know (it stores the intent); a running stream then ends with a cancelled event.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (needed by servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the cancellation.</returns>
    public virtual Task CancelAgentRunAsync(string agentId, string runId, string? sessionId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(agentId, nameof(agentId));
        Paths.Segment(runId, nameof(runId));
        return CancelCoreAsync(ComponentKind.Agent, agentId, runId, sessionId, options, cancellationToken);
    }

    /// <summary>Gets a stored agent run (<c>GET /agents/{id}/runs/{runId}</c>), e.g. to poll a background run.</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (required by the server).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run as stored (a failed run is returned, not thrown).</returns>
    /// <exception cref="AgentOSNotFoundException">No such run.</exception>
    public virtual Task<AgentRunOutput> GetAgentRunAsync(string agentId, string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(agentId, nameof(agentId));
        Paths.Segment(runId, nameof(runId));
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return GetRunCoreAsync(ComponentKind.Agent, agentId, runId, sessionId, RunAnswers.Agent, options, cancellationToken);
    }

    /// <summary>Lists the agent's runs in a session (<c>GET /agents/{id}/runs?session_id=</c>).</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="status">Only runs with this status.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    public virtual Task<IReadOnlyList<RunRecord>> ListAgentRunsAsync(string agentId, string sessionId, RunStatus? status = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(agentId, nameof(agentId));
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return ListRunsCoreAsync(ComponentKind.Agent, agentId, sessionId, status, options, cancellationToken);
    }

    /// <summary>
    /// Runs the team and waits for its output (<c>POST /teams/{id}/runs</c> with <c>stream=false</c>).
    /// A paused run returns normally with status <c>PAUSED</c>.
    /// </summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call (the server stops a run whose connection closes).</param>
    /// <returns>The run's output.</returns>
    /// <exception cref="AgentOSRunFailedException">The run ended with status <c>ERROR</c>.</exception>
    /// <exception cref="AgentOSException">The server refused the request or could not be reached.</exception>
    public virtual Task<TeamRunOutput> RunTeamAsync(string teamId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(teamId, nameof(teamId));
        return RunCoreAsync(ComponentKind.Team, teamId, request, RunAnswers.Team, options, cancellationToken);
    }

    /// <summary>
    /// Runs the team and streams its events (<c>stream=true</c>). The stream ends after the run's completed,
    /// paused or cancelled event; a run error throws <see cref="AgentOSRunFailedException"/> after the events
    /// before it, and a stream that stops early throws <see cref="AgentOSStreamInterruptedException"/>.
    /// Disposing the enumerator early closes the connection, which stops the run on the server.
    /// </summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunTeamStreamingAsync(string teamId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(teamId, nameof(teamId));
        return RunStreamingCore(ComponentKind.Team, teamId, request, background: false, options, cancellationToken);
    }

    /// <summary>
    /// Starts a background run of the team (<c>background=true</c>, <c>stream=false</c>): the server answers 202
    /// at once with the run and session ids; poll with <see cref="GetTeamRunAsync"/>. Needs a database on the server.
    /// </summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call (not the run).</param>
    /// <returns>The run and session ids.</returns>
    public virtual Task<BackgroundRunHandle> StartTeamRunInBackgroundAsync(string teamId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(teamId, nameof(teamId));
        return StartBackgroundCoreAsync(ComponentKind.Team, teamId, request, options, cancellationToken);
    }

    /// <summary>
    /// Runs the team in the background and streams its events (<c>background=true</c>, <c>stream=true</c>):
    /// every event carries <see cref="AgentOSEvent.EventIndex"/>, the run survives a dropped connection, and
    /// <see cref="ResumeTeamRunStreamingAsync"/> picks the stream up from the last index seen.
    /// </summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream (not the run).</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunTeamInBackgroundStreamingAsync(string teamId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(teamId, nameof(teamId));
        return RunStreamingCore(ComponentKind.Team, teamId, request, background: true, options, cancellationToken);
    }

    /// <summary>
    /// Resumes the event stream of a background run (<c>POST .../runs/{runId}/resume</c>): a
    /// <see cref="ResumeReplayEvent"/>, <see cref="ResumeCatchUpEvent"/> or <see cref="ResumeSubscribedEvent"/>
    /// comes first, then the events after <paramref name="lastEventIndex"/>, then live ones.
    /// </summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (lets the server replay from its database).</param>
    /// <param name="lastEventIndex">The index of the last event already received; null to replay all.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ResumeTeamRunStreamingAsync(string teamId, string runId, string? sessionId, int? lastEventIndex = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(teamId, nameof(teamId));
        Paths.Segment(runId, nameof(runId));
        if (lastEventIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lastEventIndex), "The last event index is 0 or more.");
        }

        return ResumeStreamingCore(ComponentKind.Team, teamId, runId, sessionId, lastEventIndex, options, cancellationToken);
    }

    /// <summary>Continues a paused team run with <see cref="ContinueRunRequest.Requirements"/> and waits for its output.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers and the session id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's output (it may pause again).</returns>
    /// <exception cref="AgentOSConflictException">The run cannot be continued (e.g. it was cancelled).</exception>
    public virtual Task<TeamRunOutput> ContinueTeamRunAsync(string teamId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(teamId, nameof(teamId));
        Paths.Segment(runId, nameof(runId));
        return ContinueCoreAsync(ComponentKind.Team, teamId, runId, request, RunAnswers.Team, options, cancellationToken);
    }

    /// <summary>Continues a paused team run with <see cref="ContinueRunRequest.Requirements"/> and streams its events.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers and the session id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ContinueTeamRunStreamingAsync(string teamId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(teamId, nameof(teamId));
        Paths.Segment(runId, nameof(runId));
        return ContinueStreamingCore(ComponentKind.Team, teamId, runId, request, options, cancellationToken);
    }

    /// <summary>
    /// Asks the server to cancel a team run (<c>POST .../runs/{runId}/cancel</c>). The server answers 200 even
    /// for a run it does not know (it stores the intent); a running stream then ends with a cancelled event.
    /// </summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (needed by servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the cancellation.</returns>
    public virtual Task CancelTeamRunAsync(string teamId, string runId, string? sessionId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(teamId, nameof(teamId));
        Paths.Segment(runId, nameof(runId));
        return CancelCoreAsync(ComponentKind.Team, teamId, runId, sessionId, options, cancellationToken);
    }

    /// <summary>Gets a stored team run (<c>GET /teams/{id}/runs/{runId}</c>), e.g. to poll a background run.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (required by the server).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run as stored (a failed run is returned, not thrown).</returns>
    /// <exception cref="AgentOSNotFoundException">No such run.</exception>
    public virtual Task<TeamRunOutput> GetTeamRunAsync(string teamId, string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(teamId, nameof(teamId));
        Paths.Segment(runId, nameof(runId));
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return GetRunCoreAsync(ComponentKind.Team, teamId, runId, sessionId, RunAnswers.Team, options, cancellationToken);
    }

    /// <summary>Lists the team's runs in a session (<c>GET /teams/{id}/runs?session_id=</c>).</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="status">Only runs with this status.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    public virtual Task<IReadOnlyList<RunRecord>> ListTeamRunsAsync(string teamId, string sessionId, RunStatus? status = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(teamId, nameof(teamId));
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return ListRunsCoreAsync(ComponentKind.Team, teamId, sessionId, status, options, cancellationToken);
    }

    /// <summary>
    /// Runs the workflow and waits for its output (<c>POST /workflows/{id}/runs</c> with <c>stream=false</c>).
    /// A paused run returns normally with status <c>PAUSED</c>.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call (the server stops a run whose connection closes).</param>
    /// <returns>The run's output.</returns>
    /// <exception cref="AgentOSRunFailedException">The run ended with status <c>ERROR</c>.</exception>
    /// <exception cref="AgentOSException">The server refused the request or could not be reached.</exception>
    public virtual Task<WorkflowRunOutput> RunWorkflowAsync(string workflowId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        return RunCoreAsync(ComponentKind.Workflow, workflowId, request, RunAnswers.Workflow, options, cancellationToken);
    }

    /// <summary>
    /// Runs the workflow and streams its events (<c>stream=true</c>). The stream ends after the run's completed,
    /// paused or cancelled event; a run error throws <see cref="AgentOSRunFailedException"/> after the events
    /// before it, and a stream that stops early throws <see cref="AgentOSStreamInterruptedException"/>.
    /// Disposing the enumerator early closes the connection, which stops the run on the server.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunWorkflowStreamingAsync(string workflowId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        return RunStreamingCore(ComponentKind.Workflow, workflowId, request, background: false, options, cancellationToken);
    }

    /// <summary>
    /// Starts a background run of the workflow (<c>background=true</c>, <c>stream=false</c>): the server answers 202
    /// at once with the run and session ids; poll with <see cref="GetWorkflowRunAsync"/>. Needs a database on the server.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call (not the run).</param>
    /// <returns>The run and session ids.</returns>
    public virtual Task<BackgroundRunHandle> StartWorkflowRunInBackgroundAsync(string workflowId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        return StartBackgroundCoreAsync(ComponentKind.Workflow, workflowId, request, options, cancellationToken);
    }

    /// <summary>
    /// Runs the workflow in the background and streams its events (<c>background=true</c>, <c>stream=true</c>):
    /// every event carries <see cref="AgentOSEvent.EventIndex"/>, the run survives a dropped connection, and
    /// <see cref="ResumeWorkflowRunStreamingAsync"/> picks the stream up from the last index seen.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream (not the run).</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunWorkflowInBackgroundStreamingAsync(string workflowId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        return RunStreamingCore(ComponentKind.Workflow, workflowId, request, background: true, options, cancellationToken);
    }

    /// <summary>
    /// Resumes the event stream of a background run (<c>POST .../runs/{runId}/resume</c>): a
    /// <see cref="ResumeReplayEvent"/>, <see cref="ResumeCatchUpEvent"/> or <see cref="ResumeSubscribedEvent"/>
    /// comes first, then the events after <paramref name="lastEventIndex"/>, then live ones.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (lets the server replay from its database).</param>
    /// <param name="lastEventIndex">The index of the last event already received; null to replay all.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ResumeWorkflowRunStreamingAsync(string workflowId, string runId, string? sessionId, int? lastEventIndex = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(workflowId, nameof(workflowId));
        Paths.Segment(runId, nameof(runId));
        if (lastEventIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lastEventIndex), "The last event index is 0 or more.");
        }

        return ResumeStreamingCore(ComponentKind.Workflow, workflowId, runId, sessionId, lastEventIndex, options, cancellationToken);
    }

    /// <summary>Continues a paused workflow run with <see cref="ContinueRunRequest.StepRequirements"/> and waits for its output.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers and the session id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's output (it may pause again).</returns>
    /// <exception cref="AgentOSConflictException">The run cannot be continued (e.g. it was cancelled).</exception>
    public virtual Task<WorkflowRunOutput> ContinueWorkflowRunAsync(string workflowId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        Paths.Segment(runId, nameof(runId));
        return ContinueCoreAsync(ComponentKind.Workflow, workflowId, runId, request, RunAnswers.Workflow, options, cancellationToken);
    }

    /// <summary>
    /// Continues a paused workflow run in the background (<c>background=true</c>, agno 3.x): the server accepts
    /// the continuation (202) and runs it; poll with <see cref="GetWorkflowRunAsync"/> or resume its stream. A run
    /// submitted through 3.x's durable queue must be continued this way (an inline continue answers 409).
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The session and the answered step requirements.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's id, session and status.</returns>
    public virtual Task<BackgroundRunHandle> ContinueWorkflowRunInBackgroundAsync(string workflowId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        Paths.Segment(runId, nameof(runId));
        return ContinueInBackgroundCoreAsync(ComponentKind.Workflow, workflowId, runId, request, options, cancellationToken);
    }

    /// <summary>Continues a paused workflow run with <see cref="ContinueRunRequest.StepRequirements"/> and streams its events.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers and the session id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events, as they arrive.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ContinueWorkflowRunStreamingAsync(string workflowId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(workflowId, nameof(workflowId));
        Paths.Segment(runId, nameof(runId));
        return ContinueStreamingCore(ComponentKind.Workflow, workflowId, runId, request, options, cancellationToken);
    }

    /// <summary>
    /// Asks the server to cancel a workflow run (<c>POST .../runs/{runId}/cancel</c>). The server answers 200 even
    /// for a run it does not know (it stores the intent); a running stream then ends with a cancelled event.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (needed by servers with user isolation).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the cancellation.</returns>
    public virtual Task CancelWorkflowRunAsync(string workflowId, string runId, string? sessionId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(workflowId, nameof(workflowId));
        Paths.Segment(runId, nameof(runId));
        return CancelCoreAsync(ComponentKind.Workflow, workflowId, runId, sessionId, options, cancellationToken);
    }

    /// <summary>Gets a stored workflow run (<c>GET /workflows/{id}/runs/{runId}</c>), e.g. to poll a background run.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session (required by the server).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run as stored (a failed run is returned, not thrown).</returns>
    /// <exception cref="AgentOSNotFoundException">No such run.</exception>
    public virtual Task<WorkflowRunOutput> GetWorkflowRunAsync(string workflowId, string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(workflowId, nameof(workflowId));
        Paths.Segment(runId, nameof(runId));
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return GetRunCoreAsync(ComponentKind.Workflow, workflowId, runId, sessionId, RunAnswers.Workflow, options, cancellationToken);
    }

    /// <summary>Lists the workflow's runs in a session (<c>GET /workflows/{id}/runs?session_id=</c>).</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="status">Only runs with this status.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    public virtual Task<IReadOnlyList<RunRecord>> ListWorkflowRunsAsync(string workflowId, string sessionId, RunStatus? status = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(workflowId, nameof(workflowId));
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return ListRunsCoreAsync(ComponentKind.Workflow, workflowId, sessionId, status, options, cancellationToken);
    }
}
