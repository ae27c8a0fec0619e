namespace Agno.AgentOS;

/// <summary>
/// The kinds of runnable AgentOS components. Each has its own routes (<c>/agents/{id}</c>, <c>/teams/{id}</c>,
/// <c>/workflows/{id}</c>), output type and pause form; <see cref="RemoteComponent.Kind"/> says which one a remote
/// handle is.
/// </summary>
public enum AgentOSComponentKind
{
    /// <summary>An agent (<c>/agents/{id}</c>, <see cref="RemoteAgent"/>, <see cref="AgentRunOutput"/>).</summary>
    Agent,

    /// <summary>A team (<c>/teams/{id}</c>, <see cref="RemoteTeam"/>, <see cref="TeamRunOutput"/>).</summary>
    Team,

    /// <summary>A workflow (<c>/workflows/{id}</c>, <see cref="RemoteWorkflow"/>, <see cref="WorkflowRunOutput"/>).</summary>
    Workflow,
}
