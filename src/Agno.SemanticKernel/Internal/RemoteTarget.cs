using Agno.AgentOS;

namespace Agno.SemanticKernel.Internal;

/// <summary>
/// The remote agent, team or workflow behind an SK agent: what the adapter needs of a
/// <see cref="RemoteComponent{TDetails, TOutput}"/> without knowing its generic arguments.
/// </summary>
internal abstract class RemoteTarget
{
    /// <summary>The client the handle calls through.</summary>
    public abstract AgentOSClient Client { get; }

    /// <summary>The component id.</summary>
    public abstract string Id { get; }

    /// <summary>The component kind, as the scope of its own events (agent, team or workflow).</summary>
    public abstract EventScope Kind { get; }

    /// <summary>The handle itself (<see cref="RemoteAgent"/>, <see cref="RemoteTeam"/> or <see cref="RemoteWorkflow"/>).</summary>
    public abstract object Handle { get; }

    /// <summary>A lower-case word for the kind, as in messages and session types.</summary>
    public string KindName => Kind switch
    {
        EventScope.Team => "team",
        EventScope.Workflow => "workflow",
        _ => "agent",
    };

    public abstract ValueTask<ComponentDetails> GetDetailsAsync(CancellationToken cancellationToken);

    public abstract ComponentDetails? CachedDetails { get; }

    public abstract Task<RunOutput> RunAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public abstract Task CancelAsync(string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken);

    public static RemoteTarget For(RemoteAgent agent) => new Target<AgentDetails, AgentRunOutput>(agent, EventScope.Agent);

    public static RemoteTarget For(RemoteTeam team) => new Target<TeamDetails, TeamRunOutput>(team, EventScope.Team);

    public static RemoteTarget For(RemoteWorkflow workflow) => new Target<WorkflowDetails, WorkflowRunOutput>(workflow, EventScope.Workflow);

    /// <summary>The target behind a handle, or null when it is none of the three.</summary>
    public static RemoteTarget? ForHandle(object? handle) => handle switch
    {
        RemoteAgent agent => For(agent),
        RemoteTeam team => For(team),
        RemoteWorkflow workflow => For(workflow),
        _ => null,
    };

    private sealed class Target<TDetails, TOutput>(RemoteComponent<TDetails, TOutput> component, EventScope kind) : RemoteTarget
        where TDetails : ComponentDetails
        where TOutput : RunOutput
    {
        public override AgentOSClient Client => component.Client;

        public override string Id => component.Id;

        public override EventScope Kind => kind;

        public override object Handle => component;

        public override ComponentDetails? CachedDetails => component.CachedDetails;

        public override async ValueTask<ComponentDetails> GetDetailsAsync(CancellationToken cancellationToken)
            => await component.GetDetailsAsync(cancellationToken).ConfigureAwait(false);

        public override async Task<RunOutput> RunAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => await component.RunAsync(request, options, cancellationToken).ConfigureAwait(false);

        public override IAsyncEnumerable<AgentOSEvent> RunStreamingAsync(RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => component.RunStreamingAsync(request, options, cancellationToken);

        public override Task CancelAsync(string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
            => component.CancelAsync(runId, sessionId, options, cancellationToken);
    }
}
