using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>
/// A remote AgentOS agent, team or workflow seen without its kind's types: what <see cref="RemoteAgent"/>,
/// <see cref="RemoteTeam"/> and <see cref="RemoteWorkflow"/> share, with outputs as <see cref="RunOutput"/> and
/// configurations as <see cref="ComponentDetails"/>. Adapters (Microsoft.Extensions.AI, Semantic Kernel, Agent
/// Framework) hold one of these to treat the three kinds alike; get one from a handle or with
/// <see cref="AgentOSClient.GetRemoteComponent"/>. Safe to use from many threads at once.
/// </summary>
/// <remarks>
/// Every call goes through the client's public virtual member of the component's kind, as the typed handles' calls
/// do. The typed members of <see cref="RemoteComponent{TDetails, TOutput}"/> (same names, typed results) hide the
/// ones here; through this class a run's output is still the kind's own type (an <see cref="AgentRunOutput"/> for an
/// agent, ...), typed as its base.
/// </remarks>
public abstract class RemoteComponent
{
    private protected RemoteComponent(AgentOSClient client, string id, AgentOSComponentKind kind)
    {
        ArgumentNullException.ThrowIfNull(client);
        Paths.Segment(id, nameof(id));
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a component kind.");
        }

        Client = client;
        Id = id;
        Kind = kind;
    }

    /// <summary>The client this handle calls through.</summary>
    public AgentOSClient Client { get; }

    /// <summary>The component's id.</summary>
    public string Id { get; }

    /// <summary>Whether this is an agent, a team or a workflow.</summary>
    public AgentOSComponentKind Kind { get; }

    /// <summary>
    /// The scope of the events of this component's own runs (<see cref="EventScope.Agent"/>, <see cref="EventScope.Team"/>
    /// or <see cref="EventScope.Workflow"/>): pass it to <see cref="RunStreamAccumulator(EventScope)"/> to keep members'
    /// and steps' events out of the answer.
    /// </summary>
    public EventScope Scope => Kind switch
    {
        AgentOSComponentKind.Agent => EventScope.Agent,
        AgentOSComponentKind.Team => EventScope.Team,
        _ => EventScope.Workflow,
    };

    /// <summary>The configuration from the last fetch, or null if none was made (no call is made).</summary>
    public ComponentDetails? CachedDetails => CachedDetailsCore;

    private protected abstract ComponentDetails? CachedDetailsCore { get; }

    /// <summary>
    /// The component's configuration, fetched on first use and cached for
    /// <see cref="AgentOSClientOptions.ConfigCacheDuration"/>; concurrent callers share one fetch.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (a shared fetch goes on for the others).</param>
    /// <returns>The configuration (<see cref="AgentDetails"/>, <see cref="TeamDetails"/> or <see cref="WorkflowDetails"/>).</returns>
    public ValueTask<ComponentDetails> GetDetailsAsync(CancellationToken cancellationToken = default) => GetDetailsCoreAsync(cancellationToken);

    private protected abstract ValueTask<ComponentDetails> GetDetailsCoreAsync(CancellationToken cancellationToken);

    /// <summary>Runs the component and waits for its output.</summary>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options (e.g. the end user's token).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output; a paused run has status <c>PAUSED</c>.</returns>
    /// <exception cref="AgentOSRunFailedException">The run failed.</exception>
    public Task<RunOutput> RunAsync(RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunCoreAsync(request, options, cancellationToken);
    }

    private protected abstract Task<RunOutput> RunCoreAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    /// <summary>Runs the component and streams its events (see <see cref="AgentOSClient.RunAgentStreamingAsync"/>).</summary>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Kind switch
        {
            AgentOSComponentKind.Agent => Client.RunAgentStreamingAsync(Id, request, options, cancellationToken),
            AgentOSComponentKind.Team => Client.RunTeamStreamingAsync(Id, request, options, cancellationToken),
            _ => Client.RunWorkflowStreamingAsync(Id, request, options, cancellationToken),
        };
    }

    /// <summary>Starts a background run (202): poll it with <see cref="GetRunAsync"/>.</summary>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run and session ids.</returns>
    public Task<BackgroundRunHandle> StartInBackgroundAsync(RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Kind switch
        {
            AgentOSComponentKind.Agent => Client.StartAgentRunInBackgroundAsync(Id, request, options, cancellationToken),
            AgentOSComponentKind.Team => Client.StartTeamRunInBackgroundAsync(Id, request, options, cancellationToken),
            _ => Client.StartWorkflowRunInBackgroundAsync(Id, request, options, cancellationToken),
        };
    }

    /// <summary>Runs in the background and streams the events with their indexes (resumable).</summary>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream (not the run).</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AgentOSEvent> RunInBackgroundStreamingAsync(RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Kind switch
        {
            AgentOSComponentKind.Agent => Client.RunAgentInBackgroundStreamingAsync(Id, request, options, cancellationToken),
            AgentOSComponentKind.Team => Client.RunTeamInBackgroundStreamingAsync(Id, request, options, cancellationToken),
            _ => Client.RunWorkflowInBackgroundStreamingAsync(Id, request, options, cancellationToken),
        };
    }

    /// <summary>Resumes the stream of a background run after <paramref name="lastEventIndex"/>.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The session id.</param>
    /// <param name="lastEventIndex">The last index received, or null to replay everything.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AgentOSEvent> ResumeStreamingAsync(string runId, string? sessionId, int? lastEventIndex = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(runId, nameof(runId));
        if (lastEventIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lastEventIndex), "The last event index is 0 or more.");
        }

        return Kind switch
        {
            AgentOSComponentKind.Agent => Client.ResumeAgentRunStreamingAsync(Id, runId, sessionId, lastEventIndex, options, cancellationToken),
            AgentOSComponentKind.Team => Client.ResumeTeamRunStreamingAsync(Id, runId, sessionId, lastEventIndex, options, cancellationToken),
            _ => Client.ResumeWorkflowRunStreamingAsync(Id, runId, sessionId, lastEventIndex, options, cancellationToken),
        };
    }

    /// <summary>Continues a paused run.</summary>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output (it may pause again).</returns>
    public Task<RunOutput> ContinueAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(runId, nameof(runId));
        ArgumentNullException.ThrowIfNull(request);
        return ContinueCoreAsync(runId, request, options, cancellationToken);
    }

    private protected abstract Task<RunOutput> ContinueCoreAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    /// <summary>Continues a paused run and streams its events.</summary>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AgentOSEvent> ContinueStreamingAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Paths.Segment(runId, nameof(runId));
        return Kind switch
        {
            AgentOSComponentKind.Agent => Client.ContinueAgentRunStreamingAsync(Id, runId, request, options, cancellationToken),
            AgentOSComponentKind.Team => Client.ContinueTeamRunStreamingAsync(Id, runId, request, options, cancellationToken),
            _ => Client.ContinueWorkflowRunStreamingAsync(Id, runId, request, options, cancellationToken),
        };
    }

    /// <summary>Continues a paused streamed run from its aggregated result (tools, requirements or step requirements as answered).</summary>
    /// <param name="paused">The paused result.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AgentOSEvent> ContinueStreamingAsync(StreamedRunResult paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return ContinueStreamingAsync(paused.RunId ?? throw new ArgumentException("The result has no run id.", nameof(paused)), ContinueRunRequest.From(paused), options, cancellationToken);
    }

    /// <summary>Asks the server to cancel a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session, if known.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the request.</returns>
    public Task CancelAsync(string runId, string? sessionId = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(runId, nameof(runId));
        return Kind switch
        {
            AgentOSComponentKind.Agent => Client.CancelAgentRunAsync(Id, runId, sessionId, options, cancellationToken),
            AgentOSComponentKind.Team => Client.CancelTeamRunAsync(Id, runId, sessionId, options, cancellationToken),
            _ => Client.CancelWorkflowRunAsync(Id, runId, sessionId, options, cancellationToken),
        };
    }

    /// <summary>Gets a stored run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    public Task<RunOutput> GetRunAsync(string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(runId, nameof(runId));
        return GetRunCoreAsync(runId, sessionId, options, cancellationToken);
    }

    private protected abstract Task<RunOutput> GetRunCoreAsync(string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    /// <summary>Lists the component's runs in a session.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="status">Only runs with this status.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(string sessionId, RunStatus? status = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Kind switch
        {
            AgentOSComponentKind.Agent => Client.ListAgentRunsAsync(Id, sessionId, status, options, cancellationToken),
            AgentOSComponentKind.Team => Client.ListTeamRunsAsync(Id, sessionId, status, options, cancellationToken),
            _ => Client.ListWorkflowRunsAsync(Id, sessionId, status, options, cancellationToken),
        };

    /// <summary>
    /// The typed output of a streamed run of this component (an <see cref="AgentRunOutput"/>, <see cref="TeamRunOutput"/>
    /// or <see cref="WorkflowRunOutput"/>), built from what the stream carried: ids, status, content (a paused run's
    /// from its <see cref="RunPausedEvent"/>), reasoning, model, metrics, session state, tools, requirements and, for a
    /// workflow, step requirements and the paused step. A run paused while streamed can then be reported and continued
    /// as one that was not streamed (<see cref="ContinueRunRequest.From(AgentRunOutput)"/> and friends).
    /// </summary>
    /// <param name="result">The aggregated stream (<see cref="RunStreamAccumulator.Result"/>).</param>
    /// <returns>A new output; the lists are copies, their items the result's own (answering one answers the other).</returns>
    public RunOutput ToRunOutput(StreamedRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var pausedEvent = result.PausedEvent;
        RunOutput output = Kind switch
        {
            AgentOSComponentKind.Agent => new AgentRunOutput { AgentId = Id, AgentName = pausedEvent?.AgentName },
            AgentOSComponentKind.Team => new TeamRunOutput { TeamId = Id, TeamName = pausedEvent?.TeamName },
            _ => new WorkflowRunOutput
            {
                WorkflowId = Id,
                WorkflowName = pausedEvent?.WorkflowName,
                StepRequirements = [.. result.StepRequirements],
                PausedStepIndex = pausedEvent?.PausedStepIndex,
                PausedStepName = pausedEvent?.PausedStepName,
                PauseKind = pausedEvent?.PauseKind,
                StepResults = pausedEvent?.StepResults,
            },
        };

        output.RunId = result.RunId;
        output.SessionId = result.SessionId;
        output.Status = result.Status;
        output.Content = pausedEvent?.Content ?? result.Content;
        output.ContentType = result.ContentType;
        output.ReasoningContent = result.ReasoningContent;
        output.Model = result.Model;
        output.Metrics = result.Metrics;
        output.SessionState = result.SessionState;
        output.Tools = [.. result.Tools];
        output.Requirements = [.. result.Requirements];
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({Id} @ {Client.BaseAddress})";
}

/// <summary>
/// What <see cref="RemoteAgent"/>, <see cref="RemoteTeam"/> and <see cref="RemoteWorkflow"/> share, typed: the
/// component's configuration cached for <see cref="AgentOSClientOptions.ConfigCacheDuration"/>, and runs, continue
/// and stored runs with the kind's own output type. The untyped members (streams, cancel, background runs) are
/// those of <see cref="RemoteComponent"/>. Safe to use from many threads at once.
/// </summary>
/// <typeparam name="TDetails">The configuration type.</typeparam>
/// <typeparam name="TOutput">The run output type.</typeparam>
public abstract class RemoteComponent<TDetails, TOutput> : RemoteComponent
    where TDetails : ComponentDetails
    where TOutput : RunOutput
{
    private readonly object _gate = new();
    private CacheEntry? _cache;
    private Task<TDetails>? _pending;

    private protected RemoteComponent(AgentOSClient client, string id, AgentOSComponentKind kind)
        : base(client, id, kind)
    {
    }

    /// <summary>The configuration from the last fetch, or null if none was made (no call is made).</summary>
    public new TDetails? CachedDetails => _cache?.Details;

    private protected override ComponentDetails? CachedDetailsCore => CachedDetails;

    /// <summary>
    /// The component's configuration (name, description, model, tools, database, knowledge), fetched on
    /// first use and cached for <see cref="AgentOSClientOptions.ConfigCacheDuration"/>. Concurrent callers
    /// share one fetch.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (a shared fetch goes on for the others).</param>
    /// <returns>The configuration.</returns>
    public new ValueTask<TDetails> GetDetailsAsync(CancellationToken cancellationToken = default)
    {
        var entry = _cache;
        var now = Client.TimeProvider.GetUtcNow();
        if (entry is not null && now - entry.FetchedAt < Client.ConfigCacheDuration)
        {
            return new ValueTask<TDetails>(entry.Details);
        }

        TaskCompletionSource<TDetails>? owner = null;
        Task<TDetails> task;
        lock (_gate)
        {
            if (_pending is null)
            {
                owner = new TaskCompletionSource<TDetails>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending = owner.Task;
            }

            task = _pending;
        }

        if (owner is not null)
        {
            _ = FetchSharedAsync(owner);
        }

        return new ValueTask<TDetails>(task.WaitAsync(cancellationToken));
    }

    /// <summary>Fetches the configuration now, bypassing the cache, and caches the result.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The configuration.</returns>
    public async Task<TDetails> FetchDetailsAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var details = await FetchCoreAsync(options, cancellationToken).ConfigureAwait(false);
        _cache = new CacheEntry(details, Client.TimeProvider.GetUtcNow());
        return details;
    }

    /// <summary>Drops the cached configuration and fetches it again.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the configuration is fresh.</returns>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => FetchDetailsAsync(null, cancellationToken);

    /// <summary>Runs the component with a text message and waits for its output.</summary>
    /// <param name="message">The input.</param>
    /// <param name="sessionId">The session to continue, or null for a new one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output.</returns>
    public Task<TOutput> RunAsync(string message, string? sessionId = null, CancellationToken cancellationToken = default)
        => RunAsync(new RunRequest(message) { SessionId = sessionId }, null, cancellationToken);

    /// <summary>Runs the component and waits for its output.</summary>
    /// <param name="request">The input and options.</param>
    /// <param name="options">Per-call options (e.g. the end user's token).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output; a paused run has status <c>PAUSED</c>.</returns>
    /// <exception cref="AgentOSRunFailedException">The run failed.</exception>
    public new Task<TOutput> RunAsync(RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Cast(Kind switch
        {
            AgentOSComponentKind.Agent => Client.RunAgentAsync(Id, request, options, cancellationToken),
            AgentOSComponentKind.Team => Client.RunTeamAsync(Id, request, options, cancellationToken),
            _ => Client.RunWorkflowAsync(Id, request, options, cancellationToken),
        });
    }

    /// <summary>Runs the component with a text message and streams its events.</summary>
    /// <param name="message">The input.</param>
    /// <param name="sessionId">The session to continue, or null for a new one.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(string message, string? sessionId = null, CancellationToken cancellationToken = default)
        => RunStreamingAsync(new RunRequest(message) { SessionId = sessionId }, null, cancellationToken);

    /// <summary>Continues a paused run.</summary>
    /// <param name="runId">The paused run's id.</param>
    /// <param name="request">The answers.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output (it may pause again).</returns>
    public new Task<TOutput> ContinueAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(runId, nameof(runId));
        ArgumentNullException.ThrowIfNull(request);
        return Cast(Kind switch
        {
            AgentOSComponentKind.Agent => Client.ContinueAgentRunAsync(Id, runId, request, options, cancellationToken),
            AgentOSComponentKind.Team => Client.ContinueTeamRunAsync(Id, runId, request, options, cancellationToken),
            _ => Client.ContinueWorkflowRunAsync(Id, runId, request, options, cancellationToken),
        });
    }

    /// <summary>Gets a stored run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    public new Task<TOutput> GetRunAsync(string runId, string sessionId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Paths.Segment(runId, nameof(runId));
        return Cast(Kind switch
        {
            AgentOSComponentKind.Agent => Client.GetAgentRunAsync(Id, runId, sessionId, options, cancellationToken),
            AgentOSComponentKind.Team => Client.GetTeamRunAsync(Id, runId, sessionId, options, cancellationToken),
            _ => Client.GetWorkflowRunAsync(Id, runId, sessionId, options, cancellationToken),
        });
    }

    /// <summary>
    /// Polls a (background) run until it has finished, waiting <paramref name="pollInterval"/> between polls
    /// (default 500 ms).
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="pollInterval">The wait between polls.</param>
    /// <param name="cancellationToken">Stops polling.</param>
    /// <returns>The finished run (completed, paused, cancelled or failed: a failed run is returned, not thrown).</returns>
    public async Task<TOutput> WaitForRunAsync(string runId, string sessionId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(500);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(pollInterval));
        while (true)
        {
            var run = await GetRunAsync(runId, sessionId, null, cancellationToken).ConfigureAwait(false);
            if (run.Status.IsFinished)
            {
                return run;
            }

            await Task.Delay(interval, Client.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    // The three kinds share this class; each call goes through the client's public virtual member of its kind, so a
    // mocked AgentOSClient sees every call a handle makes. The casts are identities (TOutput is that kind's output).
    private static Task<TOutput> Cast(Task task) => (Task<TOutput>)task;

    private protected override async ValueTask<ComponentDetails> GetDetailsCoreAsync(CancellationToken cancellationToken)
        => await GetDetailsAsync(cancellationToken).ConfigureAwait(false);

    private protected override async Task<RunOutput> RunCoreAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await RunAsync(request, options, cancellationToken).ConfigureAwait(false);

    private protected override async Task<RunOutput> ContinueCoreAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await ContinueAsync(runId, request, options, cancellationToken).ConfigureAwait(false);

    private protected override async Task<RunOutput> GetRunCoreAsync(string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => await GetRunAsync(runId, sessionId, options, cancellationToken).ConfigureAwait(false);

    private protected abstract Task<TDetails> FetchCoreAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken);

    /// <summary>Runs the one fetch that concurrent callers share, then clears it, whether it completed synchronously or not.</summary>
    private async Task FetchSharedAsync(TaskCompletionSource<TDetails> owner)
    {
        try
        {
            owner.TrySetResult(await FetchDetailsAsync(null, CancellationToken.None).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // the failure goes to every waiting caller through the shared task
        catch (Exception ex)
#pragma warning restore CA1031
        {
            owner.TrySetException(ex);
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_pending, owner.Task))
                {
                    _pending = null;
                }
            }
        }
    }

    private sealed record CacheEntry(TDetails Details, DateTimeOffset FetchedAt);
}

/// <summary>
/// A remote Agno agent (agno's <c>RemoteAgent</c>): its configuration and runs. Get one with
/// <see cref="AgentOSClient.GetRemoteAgent"/>.
/// </summary>
public sealed partial class RemoteAgent : RemoteComponent<AgentDetails, AgentRunOutput>
{
    /// <summary>Creates a handle (no call is made).</summary>
    /// <param name="client">The client.</param>
    /// <param name="agentId">The agent id.</param>
    public RemoteAgent(AgentOSClient client, string agentId)
        : base(client, agentId, AgentOSComponentKind.Agent)
    {
    }

    /// <summary>Continues a paused run with its tools as answered (<see cref="ToolExecution.Confirm"/> and friends).</summary>
    /// <param name="paused">The paused output.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output (it may pause again).</returns>
    public Task<AgentRunOutput> ContinueAsync(AgentRunOutput paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return ContinueAsync(paused.RunId ?? throw new ArgumentException("The output has no run id.", nameof(paused)), ContinueRunRequest.From(paused), options, cancellationToken);
    }

    /// <summary>
    /// Continues a paused run with the caller's decisions (<see cref="ToolExecution.Approved"/> and friends), leaving the
    /// paused output as it came: the form for a paused run that was stored (<see cref="AgentOSJsonUtilities"/>) and is
    /// answered later, in another request or process.
    /// </summary>
    /// <param name="paused">The paused output.</param>
    /// <param name="decisions">The decided tools.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output (it may pause again).</returns>
    public Task<AgentRunOutput> ContinueAsync(AgentRunOutput paused, IEnumerable<ToolExecution> decisions, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return ContinueAsync(paused.RunId ?? throw new ArgumentException("The output has no run id.", nameof(paused)), ContinueRunRequest.From(paused, decisions), options, cancellationToken);
    }


    private protected override Task<AgentDetails> FetchCoreAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => Client.GetAgentAsync(Id, options, cancellationToken);
}

/// <summary>
/// A remote Agno team (agno's <c>RemoteTeam</c>). Team streams interleave the members' events; their
/// <see cref="AgentOSEvent.ParentRunId"/> is the team run.
/// </summary>
public sealed partial class RemoteTeam : RemoteComponent<TeamDetails, TeamRunOutput>
{
    /// <summary>Creates a handle (no call is made).</summary>
    /// <param name="client">The client.</param>
    /// <param name="teamId">The team id.</param>
    public RemoteTeam(AgentOSClient client, string teamId)
        : base(client, teamId, AgentOSComponentKind.Team)
    {
    }

    /// <summary>Continues a paused run with its requirements as answered (<see cref="RunRequirement.Confirm"/> and friends).</summary>
    /// <param name="paused">The paused output.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output.</returns>
    public Task<TeamRunOutput> ContinueAsync(TeamRunOutput paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return ContinueAsync(paused.RunId ?? throw new ArgumentException("The output has no run id.", nameof(paused)), ContinueRunRequest.From(paused), options, cancellationToken);
    }


    private protected override Task<TeamDetails> FetchCoreAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => Client.GetTeamAsync(Id, options, cancellationToken);
}

/// <summary>A remote Agno workflow (agno's <c>RemoteWorkflow</c>).</summary>
public sealed class RemoteWorkflow : RemoteComponent<WorkflowDetails, WorkflowRunOutput>
{
    /// <summary>Creates a handle (no call is made).</summary>
    /// <param name="client">The client.</param>
    /// <param name="workflowId">The workflow id.</param>
    public RemoteWorkflow(AgentOSClient client, string workflowId)
        : base(client, workflowId, AgentOSComponentKind.Workflow)
    {
    }

    /// <summary>Continues a paused run with its step requirements as answered.</summary>
    /// <param name="paused">The paused output.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output (it may pause again).</returns>
    public Task<WorkflowRunOutput> ContinueAsync(WorkflowRunOutput paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return ContinueAsync(paused.RunId ?? throw new ArgumentException("The output has no run id.", nameof(paused)), ContinueRunRequest.From(paused), options, cancellationToken);
    }

    /// <summary>
    /// Continues a paused run in the background (agno 3.x; a run submitted through the durable queue must be
    /// continued this way): see <see cref="AgentOSClient.ContinueWorkflowRunInBackgroundAsync"/>. Poll it with
    /// <see cref="RemoteComponent{TDetails, TOutput}.WaitForRunAsync"/>.
    /// </summary>
    /// <param name="paused">The paused output, its step requirements answered.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's id, session and status.</returns>
    public Task<BackgroundRunHandle> ContinueInBackgroundAsync(WorkflowRunOutput paused, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return Client.ContinueWorkflowRunInBackgroundAsync(Id, paused.RunId ?? throw new ArgumentException("The output has no run id.", nameof(paused)), ContinueRunRequest.From(paused), options, cancellationToken);
    }

    private protected override Task<WorkflowDetails> FetchCoreAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => Client.GetWorkflowAsync(Id, options, cancellationToken);
}
