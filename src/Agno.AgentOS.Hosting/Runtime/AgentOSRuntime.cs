using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The host's shared state: options, components, the session store, runs in flight.</summary>
internal sealed class AgentOSRuntime : IDisposable
{
    private readonly ComponentRegistrations _registrations;
    private readonly IServiceProvider _services;
    private readonly object _gate = new();
    private Task<ComponentRegistry>? _building;
    private ComponentRegistry? _registry;

    public AgentOSRuntime(
        IOptions<AgentOSHostOptions> options,
        ComponentRegistrations registrations,
        IServiceProvider services,
        IAgentOSSessionStore store,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IAgentOSRunEventStore? events = null)
    {
        Options = options.Value;
        Store = store;
        Time = timeProvider ?? TimeProvider.System;
        Logger = (ILogger?)loggerFactory?.CreateLogger("Agno.AgentOS.Hosting") ?? NullLogger.Instance;
        Env = new RunEnvironment(Options, Time, Logger);
        Authentication = Options.Authorization is { Enabled: true } authorization ? new HostAuthentication(authorization, Options.OsId, Time) : null;
        Approvals = services.GetService<IAgentOSApprovalStore>() is { } approvals ? new ApprovalCoordinator(approvals, store, Time, Logger) : null;
        Env.Approvals = Approvals;
        InstantiatedAt = Time.GetUtcNow();
        _registrations = registrations;
        _services = services;
        Gate = new SessionGate(store as IAgentOSSessionLocks);
        _cancellations = (store as IAgentOSRunSignals)?.SubscribeCancellations(runId => Runs.Cancel(runId));
        Background = new BackgroundRuns(this, events ?? new InMemoryAgentOSRunEventStore(timeProvider: Time));
    }

    /// <summary>Background runs executing here, and the store of background runs' events.</summary>
    public BackgroundRuns Background { get; }

    private readonly IDisposable? _cancellations;

    public AgentOSHostOptions Options { get; }

    public IAgentOSSessionStore Store { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public RunEnvironment Env { get; }

    public DateTimeOffset InstantiatedAt { get; }

    /// <summary>Bearer JWTs and RBAC, when <see cref="AgentOSHostOptions.Authorization"/> is enabled.</summary>
    public HostAuthentication? Authentication { get; }

    /// <summary>Admin approvals (<c>/approvals</c>), when an approval store is registered (the in-memory one by default).</summary>
    public ApprovalCoordinator? Approvals { get; }

    /// <summary>The components (available once <see cref="EnsureReadyAsync"/> has completed).</summary>
    public ComponentRegistry Registry => _registry ?? throw new InvalidOperationException("The AgentOS components are not resolved yet.");

    /// <summary>Resolves the components once (remote servers are asked for their components); retried after a failure.</summary>
    public ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_registry is not null)
        {
            return ValueTask.CompletedTask;
        }

        Task<ComponentRegistry> task;
        lock (_gate)
        {
            task = _building ??= BuildAsync();
        }

        return new ValueTask(AwaitAsync(task, cancellationToken));
    }

    /// <summary>Resolves the components now when none has to be discovered remotely (so a bad registration fails at startup).</summary>
    public void ResolveNowIfLocal()
    {
        if (_registry is null && _registrations.Sources.Count == 0)
        {
            _registry = new ComponentRegistry(_registrations.Factories.Select(f => f(_services)));
        }
    }

    private async Task AwaitAsync(Task<ComponentRegistry> task, CancellationToken cancellationToken)
    {
        try
        {
            _registry = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_building, task))
                {
                    _building = null;
                }
            }

            throw;
        }
    }

    private async Task<ComponentRegistry> BuildAsync()
    {
        var components = _registrations.Factories.Select(f => f(_services)).ToList();
        foreach (var source in _registrations.Sources)
        {
            components.AddRange(await source(CancellationToken.None).ConfigureAwait(false));
        }

        return new ComponentRegistry(components);
    }

    public RunRegistry Runs { get; } = new();

    public SessionGate Gate { get; }

    /// <summary>The sessions of the Microsoft Agent Framework agents served, until they are stored with their run.</summary>
    public AgentSessionStash AgentSessions { get; } = new();

    /// <summary>
    /// The messages of a session's earlier completed runs of a component (no system messages), oldest first: the newest
    /// <paramref name="numRuns"/> of them (all when null), read from the store without the session's other runs.
    /// </summary>
    public async Task<List<MessageBody>> HistoryAsync(AgentOSSession? session, string componentKey, string componentId, int? numRuns, string? excludeRunId = null, CancellationToken cancellationToken = default)
    {
        var result = new List<MessageBody>();
        if (session is null || numRuns <= 0)
        {
            return result;
        }

        var query = new AgentOSRunQuery { ComponentId = componentId, Status = RunStatus.Completed.Value, Last = numRuns is { } n ? n + (excludeRunId is null ? 0 : 1) : null };
        var runs = (await Store.GetRunsAsync(session.SessionId, query, cancellationToken).ConfigureAwait(false))
            .Where(r => r.RunId != excludeRunId && r.IdOf(componentKey) == componentId)
            .ToList();
        if (numRuns is { } last && runs.Count > last)
        {
            runs = runs.GetRange(runs.Count - last, last);
        }

        foreach (var run in runs)
        {
            // each run's messages read from its bytes into typed messages (the rest of the output is skipped)
            foreach (var m in JsonSerializer.Deserialize(run.OutputUtf8.Span, HostWireContext.Default.StoredRunMessages)?.Messages ?? [])
            {
                if (m.Role != "system" && !m.FromHistory)
                {
                    result.Add(m);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Whether a caller naming <paramref name="userId"/> sees a session: AgentOS looks sessions up by id and, when a
    /// user is given, by that user too (another user's session is not found). Without a user every session is seen.
    /// </summary>
    public static bool VisibleTo(AgentOSSession session, string? userId) => userId is null || session.UserId == userId;

    /// <summary>
    /// Loads the session a run of <paramref name="userId"/> works in, without its runs: null when there is none or it
    /// is another user's (the run then starts without its history or state, as in AgentOS).
    /// </summary>
    public async Task<AgentOSSession?> SessionForRunAsync(string sessionId, string? userId, CancellationToken cancellationToken)
    {
        var session = await Store.GetSessionAsync(sessionId, includeRuns: false, cancellationToken).ConfigureAwait(false);
        return session is not null && VisibleTo(session, userId) ? session : null;
    }

    /// <summary>
    /// Stores a run in its session (creating the session), under the session's gate: reads the session's own fields and
    /// the run's earlier version, never the session's other runs, and writes the run as its own row. A session of
    /// another user is left untouched (AgentOS's upsert only updates a session of the same user or of none).
    /// </summary>
    /// <param name="info">Where the run is stored.</param>
    /// <param name="run">The run.</param>
    /// <param name="firstVersion">The run's first save (not a continuation, not saved before): there is no earlier version to read.</param>
    public async Task SaveRunAsync(SessionRunInfo info, AgentOSStoredRun run, bool firstVersion = false)
    {
        if (firstVersion && Store is IAgentOSAtomicRunSaves atomic)
        {
            await SaveNewRunAsync(atomic, info, run).ConfigureAwait(false);
            return;
        }

        var entered = await Gate.EnterAsync(info.SessionId, CancellationToken.None).ConfigureAwait(false);
        await using (entered.ConfigureAwait(false))
        {
            var now = Time.GetUtcNow();
            var existing = await Store.GetSessionAsync(info.SessionId, includeRuns: false, CancellationToken.None).ConfigureAwait(false);
            if (existing?.UserId is { } owner && info.UserId is { } user && owner != user)
            {
                Log.RunNotStored(Logger, run.RunId, info.SessionId);
                return;
            }

            var session = existing
                ?? new AgentOSSession
                {
                    SessionId = info.SessionId,
                    SessionType = info.SessionType,
                    ComponentId = info.ComponentId,
                    UserId = info.UserId,
                    SessionName = info.NameHint,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
            session.ComponentId ??= info.ComponentId;
            session.UserId ??= info.UserId;
            session.SessionName ??= info.NameHint;
            if (info.SessionState is not null)
            {
                session.SessionState = (JsonObject)info.SessionState.DeepClone();
            }
            else
            {
                session.SessionState ??= [];
            }

            var previous = existing is null || firstVersion ? null : await Store.GetRunAsync(info.SessionId, run.RunId, CancellationToken.None).ConfigureAwait(false);
            run = AgentSessions.Apply(info.SessionId, previous, run);
            session.UpdatedAt = now;
            await Store.SaveRunAsync(session, run, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A run's first version in a store that saves it with its session in one atomic step (<see cref="IAgentOSAtomicRunSaves"/>):
    /// the same result as the cycle above without reading the session first and without the session's gate or lock
    /// (the store serializes the step with the other instances, and may send the saves of one session together).
    /// </summary>
    private async Task SaveNewRunAsync(IAgentOSAtomicRunSaves atomic, SessionRunInfo info, AgentOSStoredRun run)
    {
        var now = Time.GetUtcNow();
        var session = new AgentOSSession
        {
            SessionId = info.SessionId,
            SessionType = info.SessionType,
            ComponentId = info.ComponentId,
            UserId = info.UserId,
            SessionName = info.NameHint,
            CreatedAt = now,
            UpdatedAt = now,
            SessionState = (JsonObject?)info.SessionState?.DeepClone(),
        };
        run = AgentSessions.Apply(info.SessionId, null, run);
        if (!await atomic.SaveNewRunAsync(session, run, CancellationToken.None).ConfigureAwait(false))
        {
            Log.RunNotStored(Logger, run.RunId, info.SessionId);
        }
    }

    /// <summary>The gateway's transport to remote servers.</summary>
    public GatewayProxy Proxy { get; } = new();

    /// <summary>The path prefix the routes are mapped under (<c>MapAgentOS(prefix)</c>), e.g. <c>/agentos</c>.</summary>
    public string RoutePrefix { get; set; } = string.Empty;

    /// <summary>A request path relative to the routes' prefix, escaped, without a leading slash (<c>agents/a/runs</c>).</summary>
    public string RelativePath(Microsoft.AspNetCore.Http.PathString path)
    {
        string value = path.ToUriComponent();
        if (RoutePrefix.Length > 0 && value.StartsWith(RoutePrefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[RoutePrefix.Length..];
        }

        return value.TrimStart('/');
    }

    public void Dispose()
    {
        _cancellations?.Dispose();
        Background.Dispose();
        Gate.Dispose();
        Proxy.Dispose();
    }
}

/// <summary>Where a run is stored.</summary>
internal sealed record SessionRunInfo(string SessionId, string SessionType, string ComponentId, string? UserId, string? NameHint, JsonObject? SessionState, JsonObject? Metadata);
