using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.Extensions.AI.Internal;

namespace Microsoft.Extensions.AI;

/// <summary>
/// Remote AgentOS agents, teams and workflows as <see cref="AIFunction"/> tools an LLM can call. A tool's name is
/// derived from the component id and valid for every provider (<c>^[a-zA-Z0-9_-]{1,64}$</c>); its parameters are
/// <c>input</c> (required; the component's input schema when it declares one) and <c>session_id</c> (optional, to
/// continue a conversation); invoking it runs the component and returns <c>{"content", "session_id"}</c>. With
/// <see cref="AgnoAIFunctionOptions.IncludeSessionId"/> = false the tool takes no <c>session_id</c> (an argument of
/// that name is ignored) and returns the answer text alone. A run that pauses for a human throws
/// <see cref="AgnoRunPausedException"/> (with the approval and input requests): nothing is approved silently.
/// </summary>
public static class AgnoAIFunctionExtensions
{
    /// <summary>
    /// The agent as a tool, without a call: the description is <paramref name="description"/>, else the one of the
    /// cached configuration, else a generic one. Use <see cref="AsAIFunctionAsync(RemoteAgent, AgnoAIFunctionOptions?, CancellationToken)"/>
    /// to take it from the server.
    /// </summary>
    /// <param name="agent">The remote agent.</param>
    /// <param name="name">The tool name (sanitized); default: the agent id.</param>
    /// <param name="description">The tool description.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The tool.</returns>
    public static AIFunction AsAIFunction(this RemoteAgent agent, string? name = null, string? description = null, AgnoAIFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Create(agent, name, description, agent.CachedDetails, options);
    }

    /// <summary>The team as a tool, without a call (see <see cref="AsAIFunction(RemoteAgent, string?, string?, AgnoAIFunctionOptions?)"/>).</summary>
    /// <param name="team">The remote team.</param>
    /// <param name="name">The tool name (sanitized); default: the team id.</param>
    /// <param name="description">The tool description.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The tool.</returns>
    public static AIFunction AsAIFunction(this RemoteTeam team, string? name = null, string? description = null, AgnoAIFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        return Create(team, name, description, team.CachedDetails, options);
    }

    /// <summary>The workflow as a tool, without a call (see <see cref="AsAIFunction(RemoteAgent, string?, string?, AgnoAIFunctionOptions?)"/>).</summary>
    /// <param name="workflow">The remote workflow.</param>
    /// <param name="name">The tool name (sanitized); default: the workflow id.</param>
    /// <param name="description">The tool description.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The tool.</returns>
    public static AIFunction AsAIFunction(this RemoteWorkflow workflow, string? name = null, string? description = null, AgnoAIFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Create(workflow, name, description, workflow.CachedDetails, options);
    }

    /// <summary>The agent as a tool described by its configuration (fetched, or cached by the handle).</summary>
    /// <param name="agent">The remote agent.</param>
    /// <param name="options">Options (copied).</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The tool.</returns>
    /// <example>
    /// <code>
    /// AIFunction tool = await client.GetRemoteAgent("research-agent").AsAIFunctionAsync();
    /// var answer = await tool.InvokeAsync(new AIFunctionArguments { ["input"] = "What is AgentOS?" });
    /// </code>
    /// </example>
    public static async Task<AIFunction> AsAIFunctionAsync(this RemoteAgent agent, AgnoAIFunctionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var details = await agent.GetDetailsAsync(cancellationToken).ConfigureAwait(false);
        return Create(agent, null, null, details, options);
    }

    /// <summary>The team as a tool described by its configuration (fetched, or cached by the handle).</summary>
    /// <param name="team">The remote team.</param>
    /// <param name="options">Options (copied).</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The tool.</returns>
    public static async Task<AIFunction> AsAIFunctionAsync(this RemoteTeam team, AgnoAIFunctionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(team);
        var details = await team.GetDetailsAsync(cancellationToken).ConfigureAwait(false);
        return Create(team, null, null, details, options);
    }

    /// <summary>The workflow as a tool described by its configuration (fetched, or cached by the handle).</summary>
    /// <param name="workflow">The remote workflow.</param>
    /// <param name="options">Options (copied).</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The tool.</returns>
    public static async Task<AIFunction> AsAIFunctionAsync(this RemoteWorkflow workflow, AgnoAIFunctionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var details = await workflow.GetDetailsAsync(cancellationToken).ConfigureAwait(false);
        return Create(workflow, null, null, details, options);
    }

    /// <summary>
    /// Every agent, team and workflow of the server as a tool, in one call (<c>GET /config</c>): names from the ids
    /// (made unique), descriptions from the configuration.
    /// </summary>
    /// <param name="client">The AgentOS client.</param>
    /// <param name="filter">Keeps a component when it returns true (e.g. <c>(kind, c) =&gt; kind == AgentOSComponentKind.Agent</c>); null keeps all.</param>
    /// <param name="options">Options of every tool (copied).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tools: agents, then teams, then workflows, in the server's order.</returns>
    /// <example>
    /// <code>
    /// IList&lt;AIFunction&gt; tools = await client.GetAIFunctionsAsync((kind, c) =&gt; c.Id != "admin-agent");
    /// var chatOptions = new ChatOptions { Tools = [.. tools] };
    /// </code>
    /// </example>
    public static async Task<IList<AIFunction>> GetAIFunctionsAsync(this AgentOSClient client, Func<AgentOSComponentKind, ComponentSummary, bool>? filter = null, AgnoAIFunctionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var config = await client.GetConfigAsync(null, cancellationToken).ConfigureAwait(false);
        var tools = new List<AIFunction>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        Add(config.Agents, AgentOSComponentKind.Agent);
        Add(config.Teams, AgentOSComponentKind.Team);
        Add(config.Workflows, AgentOSComponentKind.Workflow);
        return tools;

        void Add(List<ComponentSummary>? components, AgentOSComponentKind kind)
        {
            if (components is null)
            {
                return;
            }

            foreach (var c in components)
            {
                if (c?.Id is not { Length: > 0 } id || (filter is not null && !filter(kind, c)))
                {
                    continue;
                }

                var runner = client.GetRemoteComponent(kind, id);
                string name = ToolNames.Unique(ToolNames.Sanitize(id), used);
                tools.Add(new AgnoAIFunction(runner, name, c.Description, c.Name, null, options));
            }
        }
    }

    private static AgnoAIFunction Create(RemoteComponent runner, string? name, string? description, ComponentDetails? details, AgnoAIFunctionOptions? options)
        => new(runner, name, description ?? details?.Description, details?.Name, details?.InputSchema, options);
}
