namespace Agno.AgentOS.Hosting.Internal;

internal enum ComponentKind
{
    Agent,
    Team,
    Workflow,
}

/// <summary>A served component: local (an agent, team or workflow of this host) or remote (a gateway entry).</summary>
internal sealed class ComponentEntry
{
    public required ComponentKind Kind { get; init; }

    public required string Id { get; init; }

    public HostedAgent? Agent { get; init; }

    public HostedTeam? Team { get; init; }

    public HostedWorkflow? Workflow { get; init; }

    public RemoteAgent? RemoteAgent { get; init; }

    public RemoteTeam? RemoteTeam { get; init; }

    public RemoteWorkflow? RemoteWorkflow { get; init; }

    public bool IsRemote => RemoteAgent is not null || RemoteTeam is not null || RemoteWorkflow is not null;

    /// <summary>The remote handle of a gateway entry.</summary>
    public RemoteComponent? Remote => (RemoteComponent?)RemoteAgent ?? (RemoteComponent?)RemoteTeam ?? RemoteWorkflow;

    public static string NotFound(ComponentKind kind) => kind switch
    {
        ComponentKind.Agent => "Agent not found",
        ComponentKind.Team => "Team not found",
        _ => "Workflow not found",
    };

    public string SessionType => Kind switch
    {
        ComponentKind.Agent => AgentOSSessionTypes.Agent,
        ComponentKind.Team => AgentOSSessionTypes.Team,
        _ => AgentOSSessionTypes.Workflow,
    };
}

/// <summary>The registrations made through <see cref="AgentOSHostBuilder"/> (resolved when the host first needs them).</summary>
internal sealed class ComponentRegistrations
{
    public List<Func<IServiceProvider, object>> Factories { get; } = [];

    /// <summary>Components discovered asynchronously (a whole remote server).</summary>
    public List<Func<CancellationToken, Task<List<object>>>> Sources { get; } = [];
}

/// <summary>The components of the host, by kind and id, in registration order.</summary>
internal sealed class ComponentRegistry
{
    private readonly Dictionary<(ComponentKind, string), ComponentEntry> _byId = [];

    public ComponentRegistry(IEnumerable<object> components)
    {
        foreach (var component in components)
        {
            var entry = component switch
            {
                HostedAgent a => new ComponentEntry { Kind = ComponentKind.Agent, Id = a.Id, Agent = a },
                HostedTeam t => new ComponentEntry { Kind = ComponentKind.Team, Id = t.Id, Team = t },
                HostedWorkflow w => new ComponentEntry { Kind = ComponentKind.Workflow, Id = w.Id, Workflow = w },
                RemoteAgent ra => new ComponentEntry { Kind = ComponentKind.Agent, Id = ra.Id, RemoteAgent = ra },
                RemoteTeam rt => new ComponentEntry { Kind = ComponentKind.Team, Id = rt.Id, RemoteTeam = rt },
                RemoteWorkflow rw => new ComponentEntry { Kind = ComponentKind.Workflow, Id = rw.Id, RemoteWorkflow = rw },
                _ => throw new InvalidOperationException($"AgentOS cannot serve a component of type {component?.GetType().Name ?? "null"}."),
            };
            if (!_byId.TryAdd((entry.Kind, entry.Id), entry))
            {
                throw new InvalidOperationException($"Two AgentOS {entry.Kind.ToString().ToLowerInvariant()}s have the id '{entry.Id}'.");
            }

            All.Add(entry);
        }
    }

    public List<ComponentEntry> All { get; } = [];

    /// <summary>The distinct clients of the remote servers behind gateway entries, in registration order.</summary>
    public IReadOnlyList<AgentOSClient> RemoteClients => field ??= [.. All.Where(e => e.IsRemote).Select(e => e.Remote!.Client).Distinct()];

    public IEnumerable<ComponentEntry> Of(ComponentKind kind) => All.Where(e => e.Kind == kind);

    public ComponentEntry? Find(ComponentKind kind, string id) => _byId.GetValueOrDefault((kind, id));
}
