using Agno.AgentOS;

namespace Agno.Extensions.AI.Internal;

/// <summary>One view over <see cref="RemoteAgent"/>, <see cref="RemoteTeam"/> and <see cref="RemoteWorkflow"/> for the adapters.</summary>
internal abstract class ComponentRunner
{
    private protected ComponentRunner(AgnoComponentKind kind)
    {
        Kind = kind;
        Scope = kind switch
        {
            AgnoComponentKind.Agent => EventScope.Agent,
            AgnoComponentKind.Team => EventScope.Team,
            _ => EventScope.Workflow,
        };
    }

    public AgnoComponentKind Kind { get; }

    /// <summary>The scope of the run's own events.</summary>
    public EventScope Scope { get; }

    public abstract string Id { get; }

    public abstract AgentOSClient Client { get; }

    /// <summary>The remote handle (RemoteAgent, RemoteTeam or RemoteWorkflow).</summary>
    public abstract object Handle { get; }

    public abstract ComponentDetails? CachedDetails { get; }

    /// <summary>The model id from the cached configuration (agents and teams), without a call.</summary>
    public string? CachedModelId => (CachedDetails as AgentDetails)?.Model?.EffectiveId;

    public string KindName => Kind switch
    {
        AgnoComponentKind.Agent => "agent",
        AgnoComponentKind.Team => "team",
        _ => "workflow",
    };

    public static ComponentRunner For(RemoteAgent agent) => new Runner<AgentDetails, AgentRunOutput>(agent, AgnoComponentKind.Agent);

    public static ComponentRunner For(RemoteTeam team) => new Runner<TeamDetails, TeamRunOutput>(team, AgnoComponentKind.Team);

    public static ComponentRunner For(RemoteWorkflow workflow) => new Runner<WorkflowDetails, WorkflowRunOutput>(workflow, AgnoComponentKind.Workflow);

    /// <summary>The runner of a remote handle of the given kind on <paramref name="client"/>.</summary>
    public static ComponentRunner For(AgentOSClient client, AgnoComponentKind kind, string id) => kind switch
    {
        AgnoComponentKind.Agent => For(client.GetRemoteAgent(id)),
        AgnoComponentKind.Team => For(client.GetRemoteTeam(id)),
        _ => For(client.GetRemoteWorkflow(id)),
    };

    public abstract ValueTask<ComponentDetails> GetDetailsAsync(CancellationToken cancellationToken);

    public abstract Task<RunOutput> RunAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task<BackgroundRunHandle> StartInBackgroundAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> RunInBackgroundStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> ResumeStreamingAsync(string runId, string? sessionId, int? lastEventIndex, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task<RunOutput> ContinueAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> ContinueStreamingAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task CancelAsync(string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task<RunOutput> GetRunAsync(string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    private sealed class Runner<TDetails, TOutput> : ComponentRunner
        where TDetails : ComponentDetails
        where TOutput : RunOutput
    {
        private readonly RemoteComponent<TDetails, TOutput> _handle;

        public Runner(RemoteComponent<TDetails, TOutput> handle, AgnoComponentKind kind)
            : base(kind)
        {
            ArgumentNullException.ThrowIfNull(handle);
            _handle = handle;
        }

        public override string Id => _handle.Id;

        public override AgentOSClient Client => _handle.Client;

        public override object Handle => _handle;

        public override ComponentDetails? CachedDetails => _handle.CachedDetails;

        public override async ValueTask<ComponentDetails> GetDetailsAsync(CancellationToken cancellationToken)
            => await _handle.GetDetailsAsync(cancellationToken).ConfigureAwait(false);

        public override async Task<RunOutput> RunAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => await _handle.RunAsync(request, options, cancellationToken).ConfigureAwait(false);

        public override IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.RunStreamingAsync(request, options, cancellationToken);

        public override Task<BackgroundRunHandle> StartInBackgroundAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.StartInBackgroundAsync(request, options, cancellationToken);

        public override IAsyncEnumerable<AgentOSEvent> RunInBackgroundStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.RunInBackgroundStreamingAsync(request, options, cancellationToken);

        public override IAsyncEnumerable<AgentOSEvent> ResumeStreamingAsync(string runId, string? sessionId, int? lastEventIndex, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.ResumeStreamingAsync(runId, sessionId, lastEventIndex, options, cancellationToken);

        public override async Task<RunOutput> ContinueAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => await _handle.ContinueAsync(runId, request, options, cancellationToken).ConfigureAwait(false);

        public override IAsyncEnumerable<AgentOSEvent> ContinueStreamingAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.ContinueStreamingAsync(runId, request, options, cancellationToken);

        public override Task CancelAsync(string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.CancelAsync(runId, sessionId, options, cancellationToken);

        public override async Task<RunOutput> GetRunAsync(string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => await _handle.GetRunAsync(runId, sessionId, options, cancellationToken).ConfigureAwait(false);
    }
}
