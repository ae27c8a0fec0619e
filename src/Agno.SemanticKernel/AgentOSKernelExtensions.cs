using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.SemanticKernel;
using Agno.SemanticKernel.Internal;
using Microsoft.Extensions.AI;

namespace Microsoft.SemanticKernel;

/// <summary>
/// An AgentOS server's teams and workflows (and, on request, agents) as kernel functions, so a model with
/// function calling can delegate to them. Built on the <see cref="AIFunction"/> tools of <c>Agno.Extensions.AI</c>.
/// </summary>
/// <remarks>
/// Each function is named after the component id (letters, digits and <c>_</c>; <c>research-team</c> becomes
/// <c>research_team</c>, made unique), described by the component's description, and takes <c>input</c>
/// (required: the message, or an object for a component with an input schema) and <c>session_id</c> (optional:
/// continue an earlier conversation; not offered, and ignored, with <see cref="AgentOSPluginOptions.IncludeSessionId"/>
/// = false). It returns the answer; the run id, session id, status and usage are in
/// <see cref="FunctionResult.Metadata"/> (<see cref="AgentOSMetadataKeys"/>). A run that pauses for a human
/// throws <see cref="AgnoRunPausedException"/> (with the approval and input requests): nothing is approved silently.
/// </remarks>
/// <example>
/// <code>
/// await kernel.ImportPluginFromAgentOSAsync(client);               // teams and workflows of the server
/// var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
/// var answer = await kernel.InvokePromptAsync("Ask the research team about AgentOS.", new(settings));
/// </code>
/// </example>
public static class AgentOSKernelExtensions
{
    /// <summary>The default plugin name.</summary>
    public const string DefaultPluginName = "AgentOS";

    /// <summary>
    /// Builds a plugin from the server's components (one <c>GET /config</c>) and adds it to the kernel.
    /// </summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="client">The AgentOS client.</param>
    /// <param name="pluginName">The plugin name (letters, digits and <c>_</c>).</param>
    /// <param name="options">Which components, and how they run.</param>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    /// <returns>The plugin, added to <see cref="Kernel.Plugins"/>.</returns>
    public static async Task<KernelPlugin> ImportPluginFromAgentOSAsync(this Kernel kernel, AgentOSClient client, string pluginName = DefaultPluginName, AgentOSPluginOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var plugin = await CreatePluginFromAgentOSAsync(client, pluginName, options, cancellationToken).ConfigureAwait(false);
        kernel.Plugins.Add(plugin);
        return plugin;
    }

    /// <summary>Builds a plugin from the server's components (one <c>GET /config</c>), without a kernel.</summary>
    /// <param name="client">The AgentOS client.</param>
    /// <param name="pluginName">The plugin name (letters, digits and <c>_</c>).</param>
    /// <param name="options">Which components, and how they run.</param>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    /// <returns>The plugin: teams, then workflows (agents first when included), in the server's order.</returns>
    public static async Task<KernelPlugin> CreatePluginFromAgentOSAsync(this AgentOSClient client, string pluginName = DefaultPluginName, AgentOSPluginOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginName);
        options = options?.Clone() ?? new AgentOSPluginOptions();
        var filter = options.Filter;
        var tools = await client.GetAIFunctionsAsync(
            (kind, component) => kind switch
            {
                AgentOSComponentKind.Agent => options.IncludeAgents,
                AgentOSComponentKind.Team => options.IncludeTeams,
                _ => options.IncludeWorkflows,
            } && (filter is null || filter(kind, component)),
            new AgnoAIFunctionOptions { UserId = options.UserId, RequestOptions = options.RequestOptions, IncludeSessionId = options.IncludeSessionId },
            cancellationToken).ConfigureAwait(false);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var functions = tools.Select(t => AgentOSKernelFunctionFactory.Create(t, AgentOSKernelFunctionFactory.FunctionName(t.Name, used), options.UserId, options.RequestOptions)).ToList();
        return KernelPluginFactory.CreateFromFunctions(
            pluginName,
            PluginDescription(client, options),
            functions);
    }

    internal static string PluginDescription(AgentOSClient client, AgentOSPluginOptions options)
        => options.Description ?? $"Agents, teams and workflows of the Agno AgentOS server at {client.BaseAddress}.";

    /// <summary>The remote agent as a kernel function (described by its configuration, fetched or cached).</summary>
    /// <param name="agent">The remote agent.</param>
    /// <param name="userId">The user the runs are for.</param>
    /// <param name="requestOptions">Per-call options of every run.</param>
    /// <param name="cancellationToken">Cancels fetching the configuration.</param>
    /// <returns>The function (add it to a plugin with <see cref="KernelPluginFactory.CreateFromFunctions(string, IEnumerable{KernelFunction}?)"/>).</returns>
    public static async Task<KernelFunction> AsKernelFunctionAsync(this RemoteAgent agent, string? userId = null, AgentOSRequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var tool = await agent.AsAIFunctionAsync(new AgnoAIFunctionOptions { UserId = userId, RequestOptions = requestOptions }, cancellationToken).ConfigureAwait(false);
        return AgentOSKernelFunctionFactory.Create(tool, AgentOSKernelFunctionFactory.FunctionName(tool.Name, []), userId, requestOptions);
    }

    /// <summary>The remote team as a kernel function (described by its configuration, fetched or cached).</summary>
    /// <param name="team">The remote team.</param>
    /// <param name="userId">The user the runs are for.</param>
    /// <param name="requestOptions">Per-call options of every run.</param>
    /// <param name="cancellationToken">Cancels fetching the configuration.</param>
    /// <returns>The function.</returns>
    public static async Task<KernelFunction> AsKernelFunctionAsync(this RemoteTeam team, string? userId = null, AgentOSRequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(team);
        var tool = await team.AsAIFunctionAsync(new AgnoAIFunctionOptions { UserId = userId, RequestOptions = requestOptions }, cancellationToken).ConfigureAwait(false);
        return AgentOSKernelFunctionFactory.Create(tool, AgentOSKernelFunctionFactory.FunctionName(tool.Name, []), userId, requestOptions);
    }

    /// <summary>The remote workflow as a kernel function (described by its configuration, fetched or cached).</summary>
    /// <param name="workflow">The remote workflow.</param>
    /// <param name="userId">The user the runs are for.</param>
    /// <param name="requestOptions">Per-call options of every run.</param>
    /// <param name="cancellationToken">Cancels fetching the configuration.</param>
    /// <returns>The function.</returns>
    public static async Task<KernelFunction> AsKernelFunctionAsync(this RemoteWorkflow workflow, string? userId = null, AgentOSRequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var tool = await workflow.AsAIFunctionAsync(new AgnoAIFunctionOptions { UserId = userId, RequestOptions = requestOptions }, cancellationToken).ConfigureAwait(false);
        return AgentOSKernelFunctionFactory.Create(tool, AgentOSKernelFunctionFactory.FunctionName(tool.Name, []), userId, requestOptions);
    }
}
