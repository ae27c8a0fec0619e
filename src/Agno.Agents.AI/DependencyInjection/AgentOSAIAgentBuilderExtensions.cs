using Agno.Agents.AI;
using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers remote agents, teams and workflows of an AgentOS server as MAF <see cref="AIAgent"/>s (each also as
/// <see cref="AgentOSAIAgent"/>). Resolving one makes no network call: its name and description come from the
/// options, else from the component id.
/// </summary>
/// <example>
/// <code>
/// services.AddAgnoAgentOS(configuration.GetSection("Agno:AgentOS"))
///     .AddRemoteAIAgent("assistant")                                 // AIAgent
///     .AddRemoteTeamAIAgent("research-team", serviceKey: "research") // [FromKeyedServices("research")] AIAgent
///     .AddRemoteAIAgents(configuration.GetSection("Agno:Agents"));   // one keyed AIAgent per child section
/// </code>
/// </example>
public static class AgentOSAIAgentBuilderExtensions
{
    /// <summary>Registers a remote agent as a singleton <see cref="AIAgent"/> (keyed when <paramref name="serviceKey"/> is given).</summary>
    /// <param name="builder">The server's registration (named servers use their own client).</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="serviceKey">The service key, or null for the unkeyed agent.</param>
    /// <param name="configure">Sets the agent's options.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddRemoteAIAgent(this AgentOSBuilder builder, string agentId, object? serviceKey = null, Action<AgentOSAIAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        return Register(builder, serviceKey, configure, (client, options) => client.GetRemoteAgent(agentId).AsAIAgent(options));
    }

    /// <summary>Registers a remote team as a singleton <see cref="AIAgent"/> (keyed when <paramref name="serviceKey"/> is given).</summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="teamId">The team id.</param>
    /// <param name="serviceKey">The service key, or null for the unkeyed agent.</param>
    /// <param name="configure">Sets the agent's options.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddRemoteTeamAIAgent(this AgentOSBuilder builder, string teamId, object? serviceKey = null, Action<AgentOSAIAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return Register(builder, serviceKey, configure, (client, options) => client.GetRemoteTeam(teamId).AsAIAgent(options));
    }

    /// <summary>Registers a remote workflow as a singleton <see cref="AIAgent"/> (keyed when <paramref name="serviceKey"/> is given).</summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="serviceKey">The service key, or null for the unkeyed agent.</param>
    /// <param name="configure">Sets the agent's options.</param>
    /// <returns>The builder.</returns>
    public static AgentOSBuilder AddRemoteWorkflowAIAgent(this AgentOSBuilder builder, string workflowId, object? serviceKey = null, Action<AgentOSAIAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return Register(builder, serviceKey, configure, (client, options) => client.GetRemoteWorkflow(workflowId).AsAIAgent(options));
    }

    /// <summary>
    /// Registers one keyed <see cref="AIAgent"/> per child section of <paramref name="configuration"/>, keyed by the
    /// section's name. Each section may set <c>Kind</c> (<c>Agent</c>, <c>Team</c> or <c>Workflow</c>; default
    /// <c>Agent</c>), <c>ComponentId</c> (default: the section's name), and the options <c>Id</c>, <c>Name</c>,
    /// <c>Description</c>, <c>UserId</c>. The sections are read here, so a bad one fails at registration.
    /// </summary>
    /// <param name="builder">The server's registration.</param>
    /// <param name="configuration">The section whose children are the agents (e.g. <c>Agno:Agents</c>).</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// // appsettings.json: { "Agno": { "Agents": { "assistant": { "Name": "Assistant" }, "research": { "Kind": "Team", "ComponentId": "research-team" } } } }
    /// services.AddAgnoAgentOS(configuration.GetSection("Agno:AgentOS")).AddRemoteAIAgents(configuration.GetSection("Agno:Agents"));
    /// </code>
    /// </example>
    public static AgentOSBuilder AddRemoteAIAgents(this AgentOSBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var section in configuration.GetChildren())
        {
            string key = section.Key;
            string componentId = section["ComponentId"] is { Length: > 0 } id ? id : key;
            var options = new AgentOSAIAgentOptions
            {
                Id = section["Id"],
                Name = section["Name"],
                Description = section["Description"],
                UserId = section["UserId"],
            };
            void Copy(AgentOSAIAgentOptions o)
            {
                o.Id = options.Id;
                o.Name = options.Name;
                o.Description = options.Description;
                o.UserId = options.UserId;
            }

            string kindName = section["Kind"] ?? nameof(AgentOSComponentKind.Agent);
            if (!Enum.TryParse<AgentOSComponentKind>(kindName, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new ArgumentException($"The agent section '{section.Path}' has Kind '{kindName}'; expected Agent, Team or Workflow.", nameof(configuration));
            }

            Register(builder, key, Copy, (client, o) => client.GetRemoteComponent(kind, componentId).AsAIAgent(o));
        }

        return builder;
    }

    private static AgentOSBuilder Register(AgentOSBuilder builder, object? serviceKey, Action<AgentOSAIAgentOptions>? configure, Func<AgentOSClient, AgentOSAIAgentOptions, AgentOSAIAgent> create)
    {
        AgentOSAIAgent Factory(IServiceProvider sp)
        {
            var options = new AgentOSAIAgentOptions();
            configure?.Invoke(options);
            return create(builder.GetClient(sp), options);
        }

        if (serviceKey is null)
        {
            builder.Services.AddSingleton(Factory);
            builder.Services.AddSingleton<AIAgent>(sp => sp.GetRequiredService<AgentOSAIAgent>());
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => Factory(sp));
            builder.Services.AddKeyedSingleton<AIAgent>(serviceKey, (sp, key) => sp.GetRequiredKeyedService<AgentOSAIAgent>(key));
        }

        return builder;
    }
}
