using Agno.AgentOS.Hosting.Internal;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Configures an AgentOS host: its agents, teams and workflows, remote components re-exposed as a gateway, and
/// the session store. Returned by <see cref="AgentOSHostServiceCollectionExtensions.AddAgentOS(IServiceCollection, Action{AgentOSHostOptions}?)"/>.
/// </summary>
public sealed class AgentOSHostBuilder
{
    private readonly ComponentRegistrations _registrations;

    internal AgentOSHostBuilder(IServiceCollection services, ComponentRegistrations registrations)
    {
        Services = services;
        _registrations = registrations;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Serves an agent.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddAgent(HostedAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Add(_ => agent);
    }

    /// <summary>Serves an agent backed by a chat client.</summary>
    /// <param name="id">The agent id.</param>
    /// <param name="chatClient">The model.</param>
    /// <param name="configure">Sets the name, description, instructions, tools, ...</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddAgent(string id, IChatClient chatClient, Action<HostedAgent>? configure = null)
    {
        var agent = new HostedAgent(id, chatClient);
        configure?.Invoke(agent);
        return AddAgent(agent);
    }

    /// <summary>
    /// Serves a Microsoft Agent Framework agent (e.g. a <c>ChatClientAgent</c>) over the AgentOS protocol, next to
    /// the chat-client-backed ones: runs, streams, sessions, tools, pauses, continue and cancel.
    /// </summary>
    /// <remarks>
    /// <para>The agent keeps its own <see cref="AgentSession"/> per AgentOS session and gets only the new messages
    /// of each run (the session's history is the agent's, so the host sends none); its session is serialized with the
    /// stored run, so it survives a restart with a persistent store (SQLite or PostgreSQL).</para>
    /// <para>Its streamed updates become AgentOS events: text (<c>RunContent</c>), reasoning, the tool calls and
    /// results it ran (<c>ToolCallStarted</c> / <c>ToolCallCompleted</c>), usage. Its
    /// <see cref="ToolApprovalRequestContent"/> and other <see cref="InputRequestContent"/>s pause the run (as for a
    /// chat client, see <see cref="HostedAgent"/>); continuing the run hands the answers to the agent; a function
    /// call it leaves to its caller pauses the run for external execution.</para>
    /// <para>The agent's own instructions apply: the host adds no system message (a <see cref="HostedChatComponent.Description"/>,
    /// <see cref="HostedAgent.Role"/> or <see cref="HostedChatComponent.Instructions"/> set in <paramref name="configure"/> is shown by discovery only).</para>
    /// </remarks>
    /// <param name="id">The agent id (a URL segment: <c>/agents/{id}</c>).</param>
    /// <param name="agent">The agent.</param>
    /// <param name="configure">Sets the name (defaults to the agent's), description (defaults to the agent's), model id, ... shown by discovery.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddAgent(string id, AIAgent agent, Action<HostedAgent>? configure = null)
    {
        ComponentIds.Validate(id, nameof(id));
        ArgumentNullException.ThrowIfNull(agent);
        return Add(sp =>
        {
            var hosted = new HostedAgent(id, new AIAgentChatClient(agent, id, sp.GetRequiredService<AgentOSRuntime>()))
            {
                Name = agent.Name,
                Description = agent.Description,
                AddHistoryToContext = false,
            };
            configure?.Invoke(hosted);
            return hosted;
        });
    }

    /// <summary>Serves an agent created from the host's services (e.g. a chat client registered in DI).</summary>
    /// <param name="factory">Creates the agent when the host starts serving.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddAgent(Func<IServiceProvider, HostedAgent> factory) => Add(factory);

    /// <summary>Serves a team.</summary>
    /// <param name="team">The team.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddTeam(HostedTeam team)
    {
        ArgumentNullException.ThrowIfNull(team);
        return Add(_ => team);
    }

    /// <summary>Serves a team created from the host's services.</summary>
    /// <param name="factory">Creates the team.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddTeam(Func<IServiceProvider, HostedTeam> factory) => Add(factory);

    /// <summary>Serves a workflow.</summary>
    /// <param name="workflow">The workflow.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddWorkflow(HostedWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Add(_ => workflow);
    }

    /// <summary>Serves a workflow created from the host's services.</summary>
    /// <param name="factory">Creates the workflow.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddWorkflow(Func<IServiceProvider, HostedWorkflow> factory) => Add(factory);

    /// <summary>Re-exposes an agent of another AgentOS server (gateway): discovery, runs (streams pass through), continue, cancel and run reads are forwarded.</summary>
    /// <param name="agent">The remote agent's handle (its id is the id served here).</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteAgent(RemoteAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Add(_ => agent);
    }

    /// <summary>Re-exposes a remote agent whose handle comes from the host's services.</summary>
    /// <param name="factory">Creates the handle (e.g. from an <see cref="AgentOSClient"/> registered with <c>AddAgnoAgentOS</c>).</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteAgent(Func<IServiceProvider, RemoteAgent> factory) => Add(factory);

    /// <summary>Re-exposes a team of another AgentOS server (gateway).</summary>
    /// <param name="team">The remote team's handle.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteTeam(RemoteTeam team)
    {
        ArgumentNullException.ThrowIfNull(team);
        return Add(_ => team);
    }

    /// <summary>Re-exposes a remote team whose handle comes from the host's services.</summary>
    /// <param name="factory">Creates the handle.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteTeam(Func<IServiceProvider, RemoteTeam> factory) => Add(factory);

    /// <summary>Re-exposes a workflow of another AgentOS server (gateway).</summary>
    /// <param name="workflow">The remote workflow's handle.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteWorkflow(RemoteWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Add(_ => workflow);
    }

    /// <summary>Re-exposes a remote workflow whose handle comes from the host's services.</summary>
    /// <param name="factory">Creates the handle.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteWorkflow(Func<IServiceProvider, RemoteWorkflow> factory) => Add(factory);

    /// <summary>Re-exposes every agent, team and workflow of a remote AgentOS server, as listed by its <c>/config</c> (fetched when the host first needs its components).</summary>
    /// <param name="client">The remote server's client.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder AddRemoteServer(AgentOSClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _registrations.Sources.Add(async ct =>
        {
            var config = await client.GetConfigAsync(cancellationToken: ct).ConfigureAwait(false);
            var components = new List<object>();
            components.AddRange((config.Agents ?? []).Where(a => a.Id is not null).Select(a => (object)client.GetRemoteAgent(a.Id!)));
            components.AddRange((config.Teams ?? []).Where(t => t.Id is not null).Select(t => (object)client.GetRemoteTeam(t.Id!)));
            components.AddRange((config.Workflows ?? []).Where(w => w.Id is not null).Select(w => (object)client.GetRemoteWorkflow(w.Id!)));
            return components;
        });
        return this;
    }

    /// <summary>Keeps sessions in this store (the default is <see cref="InMemoryAgentOSSessionStore"/>).</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder UseSessionStore(IAgentOSSessionStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }

    /// <summary>Keeps sessions in a store created from the host's services.</summary>
    /// <param name="factory">Creates the store.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder UseSessionStore(Func<IServiceProvider, IAgentOSSessionStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Keeps admin approvals (<c>/approvals</c>) in this store (the default is <see cref="InMemoryAgentOSApprovalStore"/>).</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder UseApprovalStore(IAgentOSApprovalStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }

    /// <summary>Keeps admin approvals in a store created from the host's services.</summary>
    /// <param name="factory">Creates the store.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder UseApprovalStore(Func<IServiceProvider, IAgentOSApprovalStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>
    /// Keeps the events of background runs (for <c>/resume</c>) in this store (the default is
    /// <see cref="InMemoryAgentOSRunEventStore"/>; the SQLite and PostgreSQL session stores register theirs).
    /// </summary>
    /// <param name="factory">Creates the store.</param>
    /// <returns>This builder.</returns>
    public AgentOSHostBuilder UseRunEventStore(Func<IServiceProvider, IAgentOSRunEventStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    private AgentOSHostBuilder Add(Func<IServiceProvider, object> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.Factories.Add(factory);
        return this;
    }
}
