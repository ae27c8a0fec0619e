using Agno.AgentOS;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers remote agents, teams and workflows of an AgentOS server as <see cref="IChatClient"/>s and tools.</summary>
/// <remarks>
/// The chat-client registrations return Microsoft.Extensions.AI's <see cref="ChatClientBuilder"/>, so a pipeline is
/// added where the client is registered (<c>UseOpenTelemetry</c>, <c>UseLogging</c>, <c>UseDistributedCache</c>,
/// <c>UseFunctionInvocation</c>, ...); the resolved <see cref="IChatClient"/> is the built pipeline.
/// </remarks>
/// <example>
/// <code>
/// var agentOS = services.AddAgnoAgentOS(o =&gt; o.BaseAddress = new Uri("http://localhost:7777"));
/// agentOS.AddRemoteAgentChatClient("echo-agent")                         // IChatClient
///     .UseOpenTelemetry()
///     .UseLogging();
/// agentOS.AddRemoteTeamChatClient("research-team", serviceKey: "team");  // [FromKeyedServices("team")] IChatClient
/// agentOS.AddAgnoAIFunctions();                                          // AgnoAIFunctionProvider
/// </code>
/// </example>
public static class AgnoAgentOSBuilderExtensions
{
    /// <summary>Registers a remote agent as a singleton <see cref="IChatClient"/> (keyed when <paramref name="serviceKey"/> is given).</summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="serviceKey">The service key, or null for the (unkeyed) default chat client.</param>
    /// <param name="configure">Sets the chat client's options (the logger factory defaults to the container's).</param>
    /// <returns>The chat client's pipeline builder: add middleware here (<c>UseOpenTelemetry</c>, <c>UseLogging</c>, ...).</returns>
    public static ChatClientBuilder AddRemoteAgentChatClient(this AgentOSBuilder builder, string agentId, object? serviceKey = null, Action<AgnoChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        return AddChatClient(builder, serviceKey, configure, (client, options) => client.GetRemoteAgent(agentId).AsIChatClient(options));
    }

    /// <summary>Registers a remote team as a singleton <see cref="IChatClient"/> (keyed when <paramref name="serviceKey"/> is given).</summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="teamId">The team id.</param>
    /// <param name="serviceKey">The service key, or null for the (unkeyed) default chat client.</param>
    /// <param name="configure">Sets the chat client's options.</param>
    /// <returns>The chat client's pipeline builder: add middleware here (<c>UseOpenTelemetry</c>, <c>UseLogging</c>, ...).</returns>
    public static ChatClientBuilder AddRemoteTeamChatClient(this AgentOSBuilder builder, string teamId, object? serviceKey = null, Action<AgnoChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return AddChatClient(builder, serviceKey, configure, (client, options) => client.GetRemoteTeam(teamId).AsIChatClient(options));
    }

    /// <summary>Registers a remote workflow as a singleton <see cref="IChatClient"/> (keyed when <paramref name="serviceKey"/> is given).</summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="serviceKey">The service key, or null for the (unkeyed) default chat client.</param>
    /// <param name="configure">Sets the chat client's options.</param>
    /// <returns>The chat client's pipeline builder: add middleware here (<c>UseOpenTelemetry</c>, <c>UseLogging</c>, ...).</returns>
    public static ChatClientBuilder AddRemoteWorkflowChatClient(this AgentOSBuilder builder, string workflowId, object? serviceKey = null, Action<AgnoChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return AddChatClient(builder, serviceKey, configure, (client, options) => client.GetRemoteWorkflow(workflowId).AsIChatClient(options));
    }

    /// <summary>
    /// Registers an <see cref="AgnoAIFunctionProvider"/> singleton that discovers the server's agents, teams and
    /// workflows as tools on first use (keyed by the server's name when the server is a named one).
    /// </summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="filter">Keeps a component when it returns true; null keeps all.</param>
    /// <param name="options">Options of every tool (copied; the logger factory defaults to the container's).</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddAgnoAIFunctions(this AgentOSBuilder builder, Func<AgentOSComponentKind, ComponentSummary, bool>? filter = null, AgnoAIFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AgnoAIFunctionProvider Create(IServiceProvider sp)
        {
            var toolOptions = options?.Clone() ?? new AgnoAIFunctionOptions();
            toolOptions.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return new AgnoAIFunctionProvider(builder.GetClient(sp), filter, toolOptions);
        }

        if (builder.IsKeyed)
        {
            builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => Create(sp));
        }
        else
        {
            builder.Services.AddSingleton(Create);
        }

        return builder;
    }

    private static ChatClientBuilder AddChatClient(AgentOSBuilder builder, object? serviceKey, Action<AgnoChatClientOptions>? configure, Func<AgentOSClient, AgnoChatClientOptions, IChatClient> create)
    {
        IChatClient Factory(IServiceProvider sp)
        {
            var options = new AgnoChatClientOptions();
            configure?.Invoke(options);
            options.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return create(builder.GetClient(sp), options);
        }

        return serviceKey is null
            ? builder.Services.AddChatClient(Factory, ServiceLifetime.Singleton)
            : builder.Services.AddKeyedChatClient(serviceKey, Factory, ServiceLifetime.Singleton);
    }
}
