namespace Agno.Extensions.AI;

/// <summary>The kinds of runnable AgentOS components.</summary>
public enum AgnoComponentKind
{
    /// <summary>An agent (<c>/agents/{id}</c>).</summary>
    Agent,

    /// <summary>A team (<c>/teams/{id}</c>).</summary>
    Team,

    /// <summary>A workflow (<c>/workflows/{id}</c>).</summary>
    Workflow,
}
