using Agno.AgentOS;

namespace Agno.Agents.AI.Internal;

/// <summary>The kind of a remote component.</summary>
internal enum RemoteKind
{
    Agent,
    Team,
    Workflow,
}

/// <summary>
/// The one non-generic view of <see cref="RemoteAgent"/>, <see cref="RemoteTeam"/> and <see cref="RemoteWorkflow"/>
/// this package uses. It wraps the core's public generic handles, so that a public non-generic view in Agno.AgentOS
/// can replace it without touching the rest of the package.
/// </summary>
internal abstract class RemoteRunner
{
    private protected RemoteRunner(RemoteKind kind)
    {
        Kind = kind;
        Scope = kind switch
        {
            RemoteKind.Agent => EventScope.Agent,
            RemoteKind.Team => EventScope.Team,
            _ => EventScope.Workflow,
        };
    }

    public RemoteKind Kind { get; }

    /// <summary>The scope of the run's own events.</summary>
    public EventScope Scope { get; }

    public string KindName => Kind switch
    {
        RemoteKind.Agent => "agent",
        RemoteKind.Team => "team",
        _ => "workflow",
    };

    public abstract string Id { get; }

    public abstract AgentOSClient Client { get; }

    /// <summary>The remote handle (RemoteAgent, RemoteTeam or RemoteWorkflow).</summary>
    public abstract object Handle { get; }

    public abstract ComponentDetails? CachedDetails { get; }

    public static RemoteRunner For(RemoteAgent agent) => new Runner<AgentDetails, AgentRunOutput>(agent, RemoteKind.Agent);

    public static RemoteRunner For(RemoteTeam team) => new Runner<TeamDetails, TeamRunOutput>(team, RemoteKind.Team);

    public static RemoteRunner For(RemoteWorkflow workflow) => new Runner<WorkflowDetails, WorkflowRunOutput>(workflow, RemoteKind.Workflow);

    public abstract IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> ContinueStreamingAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task<BackgroundRunHandle> StartInBackgroundAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> RunInBackgroundStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> ResumeStreamingAsync(string runId, string sessionId, int? lastEventIndex, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task CancelAsync(string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task<RunOutput> GetRunAsync(string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    private sealed class Runner<TDetails, TOutput> : RemoteRunner
        where TDetails : ComponentDetails
        where TOutput : RunOutput
    {
        private readonly RemoteComponent<TDetails, TOutput> _handle;

        public Runner(RemoteComponent<TDetails, TOutput> handle, RemoteKind kind)
            : base(kind)
        {
            ArgumentNullException.ThrowIfNull(handle);
            _handle = handle;
        }

        public override string Id => _handle.Id;

        public override AgentOSClient Client => _handle.Client;

        public override object Handle => _handle;

        public override ComponentDetails? CachedDetails => _handle.CachedDetails;

        public override IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.RunStreamingAsync(request, options, cancellationToken);

        public override IAsyncEnumerable<AgentOSEvent> ContinueStreamingAsync(string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.ContinueStreamingAsync(runId, request, options, cancellationToken);

        public override Task<BackgroundRunHandle> StartInBackgroundAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.StartInBackgroundAsync(request, options, cancellationToken);

        public override IAsyncEnumerable<AgentOSEvent> RunInBackgroundStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.RunInBackgroundStreamingAsync(request, options, cancellationToken);

        public override IAsyncEnumerable<AgentOSEvent> ResumeStreamingAsync(string runId, string sessionId, int? lastEventIndex, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.ResumeStreamingAsync(runId, sessionId, lastEventIndex, options, cancellationToken);

        public override Task CancelAsync(string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => _handle.CancelAsync(runId, sessionId, options, cancellationToken);

        public override async Task<RunOutput> GetRunAsync(string runId, string sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => await _handle.GetRunAsync(runId, sessionId, options, cancellationToken).ConfigureAwait(false);
    }
}
