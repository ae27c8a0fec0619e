using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agno.AgentOS;

/// <summary>
/// A client for an Agno AgentOS server: discovery, runs of agents, teams and workflows (streaming as
/// <see cref="IAsyncEnumerable{T}"/> of typed events, or not), continue after a pause, cancel, and stored
/// runs. Thread-safe; create one per server and reuse it. Members are virtual so tests can mock it.
/// </summary>
/// <example>
/// <code>
/// using var client = new AgentOSClient(new Uri("http://localhost:7777"));
/// var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello"));
/// await foreach (var e in client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello")))
/// {
///     if (e is RunContentEvent c) Console.Write(c.Content);
/// }
/// </code>
/// </example>
public partial class AgentOSClient : IDisposable
{
    private readonly HttpClient? _ownedHttpClient;
    private readonly AgentOSPipeline? _pipeline;

    /// <summary>Creates a client for a server, with an optional API key.</summary>
    /// <param name="baseAddress">The server's address, e.g. <c>http://localhost:7777</c>.</param>
    /// <param name="apiKey">The bearer token, if the server has a security key.</param>
    public AgentOSClient(Uri baseAddress, string? apiKey = null)
        : this(new AgentOSClientOptions { BaseAddress = baseAddress, ApiKey = apiKey })
    {
    }

    /// <summary>Creates a client.</summary>
    /// <param name="options">The options (copied).</param>
    /// <param name="httpClient">
    /// An HttpClient to send with (not disposed by this client). Its own <see cref="HttpClient.Timeout"/>
    /// still applies: set it to <see cref="Timeout.InfiniteTimeSpan"/> so long streams are governed by
    /// <see cref="AgentOSClientOptions.Timeout"/> and <see cref="AgentOSClientOptions.StreamIdleTimeout"/>.
    /// When null, the client creates and owns one.
    /// </param>
    /// <param name="loggerFactory">Logging (never logs the API key or payloads above Trace).</param>
    /// <param name="timeProvider">
    /// The clock of every timer of the client: the request timeout, the stream idle timeout, configuration caching and
    /// background polling. Default <see cref="TimeProvider.System"/>; tests pass a fake clock (e.g. <c>FakeTimeProvider</c>).
    /// With dependency injection the container's <see cref="System.TimeProvider"/> is used when one is registered.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid (e.g. no absolute http(s) base address).</exception>
    public AgentOSClient(AgentOSClientOptions options, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(options, httpClient, loggerFactory, timeProvider, tracksConnections: httpClient is null)
    {
    }

    /// <summary>
    /// Creates a client; <paramref name="tracksConnections"/> says that the transport's primary handler is
    /// <see cref="CreateTrackedHttpHandler"/>'s (always so for an owned HttpClient; for the dependency-injection
    /// client when its primary handler was not replaced).
    /// </summary>
    internal AgentOSClient(AgentOSClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, bool tracksConnections)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        Validate(copy);
        HttpMessageInvoker? direct = null;
        if (httpClient is null)
        {
            var handler = CreateTrackedHttpHandler();
            _ownedHttpClient = new HttpClient(handler)
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };

            // the same handler without the HttpClient's per-request linked token source (it has no defaults of its own)
            direct = new HttpMessageInvoker(handler, disposeHandler: false);
        }

        var logger = (ILogger?)loggerFactory?.CreateLogger("Agno.AgentOS.AgentOSClient") ?? NullLogger.Instance;
        _pipeline = new AgentOSPipeline(httpClient ?? _ownedHttpClient!, copy, logger, timeProvider ?? TimeProvider.System, tracksConnections, direct);
    }

    /// <summary>For mocking frameworks only.</summary>
    protected AgentOSClient()
    {
    }

    /// <summary>The server's base address.</summary>
    public virtual Uri BaseAddress => Pipeline.BaseAddress;

    /// <summary>The client's options (a copy; changing it has no effect).</summary>
    public virtual AgentOSClientOptions Options => Pipeline.Options.Clone();

    /// <summary>How long handles cache configuration (the default when this client is a mock without a transport).</summary>
    internal TimeSpan ConfigCacheDuration => _pipeline?.Options.ConfigCacheDuration ?? AgentOSClientOptions.DefaultConfigCacheDuration;

    /// <summary>The clock of the client's timers, caching and polling (given to the constructor).</summary>
    internal TimeProvider TimeProvider => _pipeline?.Time ?? TimeProvider.System;

    internal AgentOSPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("This AgentOSClient was created for mocking and has no transport.");

    /// <summary>Checks options and throws <see cref="ArgumentException"/> with a clear message when they are invalid.</summary>
    /// <param name="options">The options.</param>
    public static void Validate(AgentOSClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BaseAddress is null)
        {
            throw new ArgumentException("AgentOSClientOptions.BaseAddress is required (e.g. http://localhost:7777).", nameof(options));
        }

        if (!options.BaseAddress.IsAbsoluteUri || (options.BaseAddress.Scheme != Uri.UriSchemeHttp && options.BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"AgentOSClientOptions.BaseAddress must be an absolute http or https URL; got '{options.BaseAddress}'.", nameof(options));
        }

        if (!string.IsNullOrEmpty(options.BaseAddress.Query) || !string.IsNullOrEmpty(options.BaseAddress.Fragment))
        {
            throw new ArgumentException("AgentOSClientOptions.BaseAddress must not have a query string or fragment.", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("AgentOSClientOptions.Timeout must be positive (or infinite).", nameof(options));
        }

        if (options.StreamIdleTimeout <= TimeSpan.Zero && options.StreamIdleTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("AgentOSClientOptions.StreamIdleTimeout must be positive (or infinite).", nameof(options));
        }

        if (options.Retry is { Enabled: true } retry
            && (retry.MaxRetryAttempts is < 0 or > 100 || retry.BaseDelay < TimeSpan.Zero || retry.MaxDelay < retry.BaseDelay))
        {
            throw new ArgumentException("AgentOSClientOptions.Retry: MaxRetryAttempts must be 0 to 100, BaseDelay not negative, MaxDelay not below BaseDelay.", nameof(options));
        }

        if (options.MaxResponseBodySize <= 0)
        {
            throw new ArgumentException("AgentOSClientOptions.MaxResponseBodySize must be positive.", nameof(options));
        }

        if (options.MaxStreamEventSize <= 0)
        {
            throw new ArgumentException("AgentOSClientOptions.MaxStreamEventSize must be positive.", nameof(options));
        }

        if (!string.IsNullOrEmpty(options.ApiKey) && !MayCarryToken(options.BaseAddress, options.AllowUnencryptedAuthentication))
        {
            throw new ArgumentException(
                $"AgentOSClientOptions.ApiKey would be sent over unencrypted http to '{options.BaseAddress.Host}'. Use https, or set AgentOSClientOptions.AllowUnencryptedAuthentication = true if the network is trusted.",
                nameof(options));
        }

        if (options.TokenProvider is not null && !MayCarryToken(options.BaseAddress, options.AllowUnencryptedAuthentication))
        {
            throw new ArgumentException(
                $"AgentOSClientOptions.TokenProvider's tokens would be sent over unencrypted http to '{options.BaseAddress.Host}'. Use https, or set AgentOSClientOptions.AllowUnencryptedAuthentication = true if the network is trusted.",
                nameof(options));
        }

        if (options.MaxStreamResumeAttempts < 0)
        {
            throw new ArgumentException("AgentOSClientOptions.MaxStreamResumeAttempts must not be negative.", nameof(options));
        }

        if (options.ConfigCacheDuration < TimeSpan.Zero)
        {
            throw new ArgumentException("AgentOSClientOptions.ConfigCacheDuration must not be negative.", nameof(options));
        }

        ValidateAgnoGo(options);
    }

    /// <summary>
    /// The handler the client sends with when it creates its own HttpClient, and the primary handler of the HttpClient
    /// that <c>AddAgnoAgentOS</c> registers: pooled connections renewed every 5 minutes, decompression, and no draining
    /// of an unread body. When a stream is cancelled or disposed early the connection is closed at once, so the server
    /// sees the disconnect and stops the run (a draining handler keeps reading, and the server keeps generating, for up
    /// to its drain timeout). A caller-supplied HttpClient should use a handler configured the same way.
    /// </summary>
    /// <returns>A new handler.</returns>
    public static SocketsHttpHandler CreateHttpHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        MaxResponseDrainSize = 0,
        ResponseDrainTimeout = TimeSpan.Zero,
    };

    /// <summary>
    /// The primary handler of the client's own HttpClient and of the one <c>AddAgnoAgentOS</c> registers: the settings of
    /// <see cref="CreateHttpHandler"/> (one set for both) and connections the client tracks, so a connection is retired
    /// after a 5xx answer and a request is sent again only where provably none of its bytes left.
    /// </summary>
    internal static SocketsHttpHandler CreateTrackedHttpHandler()
    {
        var handler = CreateHttpHandler();
        handler.ConnectCallback = ConnectionTracking.ConnectAsync;
        return handler;
    }

    /// <summary>Whether a handler chain ends in <see cref="CreateTrackedHttpHandler"/>'s kind of primary handler.</summary>
    internal static bool EndsInTrackedHandler(HttpMessageHandler? handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        return handler is SocketsHttpHandler sockets
            && sockets.ConnectCallback == (Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>)ConnectionTracking.ConnectAsync;
    }

    /// <summary>Whether a bearer token may be sent to this address: https, a loopback host, or explicitly allowed.</summary>
    internal static bool MayCarryToken(Uri uri, bool allowUnencrypted)
        => uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback || allowUnencrypted;

    // ---------------------------------------------------------------- discovery

    /// <summary><c>GET /health</c> (no authentication needed).</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The health status.</returns>
    public virtual Task<HealthStatus> GetHealthAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, "health", null, AgentOSJsonContext.Default.HealthStatus, options, cancellationToken);

    /// <summary><c>GET /</c>: the API name, OS id and version.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The API home.</returns>
    public virtual Task<ApiHome> GetApiHomeAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, string.Empty, null, AgentOSJsonContext.Default.ApiHome, options, cancellationToken);

    /// <summary><c>GET /info</c> (no authentication needed): OS id, agno version, component counts, auth mode.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server info.</returns>
    public virtual Task<OSInfo> GetInfoAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, "info", null, AgentOSJsonContext.Default.OSInfo, options, cancellationToken);

    /// <summary><c>GET /config</c>: the OS's agents, teams, workflows, databases and interfaces.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The configuration.</returns>
    public virtual Task<OSConfig> GetConfigAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => MayBeAgnoGo
            ? GetConfigInDialectAsync(options, cancellationToken)
            : Pipeline.SendJsonAsync(HttpMethod.Get, "config", null, AgentOSJsonContext.Default.OSConfig, options, cancellationToken);

    /// <summary>
    /// The models of the OS. On agno 2.9 that is <c>GET /models</c> (the distinct models of its agents and
    /// teams); agno 3.x removed that route and lists them in <c>/config</c> <c>available_models</c>, so on a 3.x
    /// server (see <see cref="GetServerVersionAsync"/>) the answer comes from <see cref="GetConfigAsync"/>.
    /// Where the version cannot be read (no <c>/info</c>), <c>/models</c> is asked and a 404 falls back to
    /// <c>/config</c>.
    /// </summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    public virtual async Task<IReadOnlyList<ModelInfo>> GetModelsAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        AgnoServerVersion? version = await TryGetServerVersionAsync(options, cancellationToken).ConfigureAwait(false);
        if (version is { IsAgno3OrLater: true })
        {
            return await ModelsFromConfigAsync(options, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await Pipeline.SendJsonAsync(HttpMethod.Get, "models", null, AgentOSJsonContext.Default.ListModelInfo, options, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentOSNotFoundException) when (version is null)
        {
            return await ModelsFromConfigAsync(options, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ModelInfo>> ModelsFromConfigAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => (await GetConfigAsync(options, cancellationToken).ConfigureAwait(false)).AvailableModels ?? [];

    /// <summary>
    /// The agno version of the server, read from <c>GET /info</c> (<c>agno_version</c>, <c>os_version</c>) on
    /// the first call and cached for the client's lifetime (a failed read is not cached: the next call asks
    /// again). Concurrent first callers share one request.
    /// </summary>
    /// <param name="options">Per-call options (of the request that reads <c>/info</c>).</param>
    /// <param name="cancellationToken">Cancels this caller's wait (the shared read goes on for the others).</param>
    /// <returns>The server's version.</returns>
    /// <exception cref="AgentOSProtocolException"><c>/info</c> carries no readable <c>agno_version</c>.</exception>
    public virtual async Task<AgnoServerVersion> GetServerVersionAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Task<AgnoServerVersion> task;
        lock (_versionGate)
        {
            if (_serverVersion is null || _serverVersion.IsFaulted || _serverVersion.IsCanceled)
            {
                _serverVersion = ReadServerVersionAsync(options);
            }

            task = _serverVersion;
        }

        return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private readonly object _versionGate = new();
    private Task<AgnoServerVersion>? _serverVersion;

    private async Task<AgnoServerVersion> ReadServerVersionAsync(AgentOSRequestOptions? options)
    {
        await Task.Yield(); // never under the lock
        var info = await GetInfoAsync(options, CancellationToken.None).ConfigureAwait(false);
        if (!AgnoServerVersion.TryParse(info.AgnoVersion, info.OsVersion, out var version))
        {
            throw new AgentOSProtocolException($"GET info answered no readable agno_version (got '{info.AgnoVersion ?? "nothing"}').")
            {
                StatusCode = HttpStatusCode.OK,
                Method = "GET",
                RequestPath = "info",
            };
        }

        return version;
    }

    /// <summary>The server's version, or <see langword="null"/> where the server does not say (no <c>/info</c>, or no version in it).</summary>
    internal async Task<AgnoServerVersion?> TryGetServerVersionAsync(AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await GetServerVersionAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentOSException ex) when (ex is AgentOSNotFoundException || (ex is AgentOSProtocolException && ex is not AgentOSStreamInterruptedException))
        {
            return null;
        }
    }

    /// <summary><c>GET /agents</c>.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The agents.</returns>
    public virtual async Task<IReadOnlyList<AgentDetails>> ListAgentsAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (MayBeAgnoGo && await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            return await go.ListAgentsAsync(options, cancellationToken).ConfigureAwait(false);
        }

        return await Pipeline.SendJsonAsync(HttpMethod.Get, "agents", null, AgentOSJsonContext.Default.ListAgentDetails, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /agents/{agentId}</c>.</summary>
    /// <param name="agentId">The agent id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The agent's details.</returns>
    /// <exception cref="AgentOSNotFoundException">No such agent.</exception>
    public virtual Task<AgentDetails> GetAgentAsync(string agentId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.Component(ComponentKind.Agent, agentId);
        return MayBeAgnoGo
            ? GetAgentInDialectAsync(agentId, path, options, cancellationToken)
            : Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.AgentDetails, options, cancellationToken);
    }

    /// <summary><c>GET /teams</c>.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The teams.</returns>
    public virtual async Task<IReadOnlyList<TeamDetails>> ListTeamsAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => await Pipeline.SendJsonAsync(HttpMethod.Get, "teams", null, AgentOSJsonContext.Default.ListTeamDetails, options, cancellationToken).ConfigureAwait(false);

    /// <summary><c>GET /teams/{teamId}</c>.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The team's details, with its members.</returns>
    /// <exception cref="AgentOSNotFoundException">No such team.</exception>
    public virtual Task<TeamDetails> GetTeamAsync(string teamId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, Paths.Component(ComponentKind.Team, teamId), null, AgentOSJsonContext.Default.TeamDetails, options, cancellationToken);

    /// <summary><c>GET /workflows</c>.</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflows.</returns>
    public virtual async Task<IReadOnlyList<WorkflowSummary>> ListWorkflowsAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => await Pipeline.SendJsonAsync(HttpMethod.Get, "workflows", null, AgentOSJsonContext.Default.ListWorkflowSummary, options, cancellationToken).ConfigureAwait(false);

    /// <summary><c>GET /workflows/{workflowId}</c>.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflow's details, with its steps.</returns>
    /// <exception cref="AgentOSNotFoundException">No such workflow.</exception>
    public virtual Task<WorkflowDetails> GetWorkflowAsync(string workflowId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, Paths.Component(ComponentKind.Workflow, workflowId), null, AgentOSJsonContext.Default.WorkflowDetails, options, cancellationToken);

    // ---------------------------------------------------------------- handles

    /// <summary>
    /// The handle on a remote agent (no call is made until it is used). The client keeps one handle per id, so every
    /// caller (chat clients, tools, Agent Framework agents) shares its configuration cache.
    /// </summary>
    /// <param name="agentId">The agent id.</param>
    /// <returns>The handle (the same instance for the same id).</returns>
    public virtual RemoteAgent GetRemoteAgent(string agentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        return _agents.GetOrAdd(agentId, static (id, client) => new RemoteAgent(client, id), this);
    }

    /// <summary>The handle on a remote team (no call is made until it is used); one per id, shared like <see cref="GetRemoteAgent"/>'s.</summary>
    /// <param name="teamId">The team id.</param>
    /// <returns>The handle (the same instance for the same id).</returns>
    public virtual RemoteTeam GetRemoteTeam(string teamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return _teams.GetOrAdd(teamId, static (id, client) => new RemoteTeam(client, id), this);
    }

    /// <summary>The handle on a remote workflow (no call is made until it is used); one per id, shared like <see cref="GetRemoteAgent"/>'s.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <returns>The handle (the same instance for the same id).</returns>
    public virtual RemoteWorkflow GetRemoteWorkflow(string workflowId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return _workflows.GetOrAdd(workflowId, static (id, client) => new RemoteWorkflow(client, id), this);
    }

    private readonly ConcurrentDictionary<string, RemoteAgent> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RemoteTeam> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RemoteWorkflow> _workflows = new(StringComparer.Ordinal);

    /// <summary>
    /// A handle on a remote component of the given kind, seen as a <see cref="RemoteComponent"/> (no call is made until it
    /// is used): the <see cref="GetRemoteAgent"/>, <see cref="GetRemoteTeam"/> or <see cref="GetRemoteWorkflow"/> handle.
    /// </summary>
    /// <param name="kind">The component kind.</param>
    /// <param name="componentId">The component id.</param>
    /// <returns>The handle.</returns>
    public RemoteComponent GetRemoteComponent(AgentOSComponentKind kind, string componentId) => kind switch
    {
        AgentOSComponentKind.Agent => GetRemoteAgent(componentId),
        AgentOSComponentKind.Team => GetRemoteTeam(componentId),
        AgentOSComponentKind.Workflow => GetRemoteWorkflow(componentId),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a component kind."),
    };

    // ---------------------------------------------------------------- shared cores

    internal Task<TOutput> RunCoreAsync<TOutput>(ComponentKind kind, string id, RunRequest request, JsonAnswer<TOutput> answer, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        where TOutput : RunOutput
        => kind == ComponentKind.Agent && MayBeAgnoGo
            ? RunInDialectAsync(id, request, answer, options, cancellationToken)
            : RunPythonAsync(kind, id, request, answer, options, cancellationToken);

    /// <summary>An agent run where the server may be agno-go's (its state machine apart, so a Python run's is smaller).</summary>
    private async Task<TOutput> RunInDialectAsync<TOutput>(string id, RunRequest request, JsonAnswer<TOutput> answer, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        where TOutput : RunOutput
    {
        if (await AgnoGoAsync(cancellationToken).ConfigureAwait(false) is { } go)
        {
            return (TOutput)(RunOutput)await go.RunAsync(id, request, options, cancellationToken).ConfigureAwait(false);
        }

        return await RunPythonAsync(ComponentKind.Agent, id, request, answer, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TOutput> RunPythonAsync<TOutput>(ComponentKind kind, string id, RunRequest request, JsonAnswer<TOutput> answer, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        where TOutput : RunOutput
    {
        string path = Paths.Runs(kind, id);
        using var content = FormEncoder.EncodeRun(request, stream: false, background: false);
        using var telemetry = Telemetry.StartRun(kind, id, request.SessionId, Pipeline, streaming: false, path);
        try
        {
            TOutput output;
            try
            {
                output = await Pipeline.SendJsonCoreAsync(HttpMethod.Post, path, content, answer, options, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentOSServerException ex) when (ex.StatusCode == HttpStatusCode.InternalServerError)
            {
                // agno answers a workflow that failed with 500 where an agent or team answers 200 with status ERROR
                throw RunFailedByServer(ex, request.SessionId);
            }

            telemetry?.Observe(output);
            return Checked(output, "POST", path);
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    private static AgentOSRunFailedException RunFailedByServer(AgentOSServerException ex, string? sessionId)
    {
        return new AgentOSRunFailedException($"The run failed: {ex.Detail ?? ex.Message}", ex)
        {
            SessionId = sessionId,
            Detail = ex.Detail,
            DetailJson = ex.DetailJson,
            ErrorId = ex.ErrorId,
            ErrorType = ex.ErrorType,
            StatusCode = ex.StatusCode,
            Method = ex.Method,
            RequestPath = ex.RequestPath,
            ResponseBodyExcerpt = ex.ResponseBodyExcerpt,
        };
    }

    internal IAsyncEnumerable<AgentOSEvent> RunStreamingCore(ComponentKind kind, string id, RunRequest request, bool background, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        if (MayBeAgnoGo && AgnoGoStreamOrNull(kind, id, request, background, options, cancellationToken) is { } agnoGo)
        {
            return agnoGo;
        }

        return RunStreamingPython(kind, id, request, background, options, cancellationToken);
    }

    private IAsyncEnumerable<AgentOSEvent> RunStreamingPython(ComponentKind kind, string id, RunRequest request, bool background, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        string path = Paths.Runs(kind, id);
        bool requireTerminal = request.StreamEvents != false && !IsFalse(request.AdditionalFieldsOrEmpty, "stream_events");
        if (background)
        {
            options = WithIdempotencyKey(options, request.IdempotencyKey);
        }

        var stream = StreamCore(new PythonStream(this, kind, id, request.SessionId, path, options) { Run = request, Background = background }, requireTerminal, cancellationToken);
        return background && Pipeline.Options.ResumeInterruptedBackgroundStreams && Pipeline.Options.MaxStreamResumeAttempts > 0
            ? ResumingAsync(kind, id, request.SessionId, stream, options, cancellationToken)
            : stream;
    }

    internal async Task<BackgroundRunHandle> StartBackgroundCoreAsync(ComponentKind kind, string id, RunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        string path = Paths.Runs(kind, id);
        using var content = FormEncoder.EncodeRun(request, stream: false, background: true);
        return await Pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgentOSJsonContext.Default.BackgroundRunHandle, WithIdempotencyKey(options, request.IdempotencyKey), cancellationToken).ConfigureAwait(false);
    }

    internal async Task<BackgroundRunHandle> ContinueInBackgroundCoreAsync(ComponentKind kind, string id, string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = Paths.Run(kind, id, runId) + "/continue";
        using var content = FormEncoder.EncodeContinue(request, kind, stream: false, background: true);
        return await Pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgentOSJsonContext.Default.BackgroundRunHandle, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The per-call options with the <c>Idempotency-Key</c> header of a background submission (the caller's options are not changed).</summary>
    private static AgentOSRequestOptions? WithIdempotencyKey(AgentOSRequestOptions? options, string? key)
    {
        if (key is null)
        {
            return options;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(RunRequest.IdempotencyKey));
        if (options?.Headers.TryGetValue(IdempotencyKeyHeader, out var set) == true && !string.Equals(set, key, StringComparison.Ordinal))
        {
            throw new ArgumentException($"RunRequest.IdempotencyKey and the {IdempotencyKeyHeader} header of the request options differ; set one.");
        }

        var copy = new AgentOSRequestOptions { ApiKey = options?.ApiKey, Timeout = options?.Timeout };
        if (options is not null)
        {
            foreach (var (name, value) in options.Headers)
            {
                copy.Headers[name] = value;
            }
        }

        copy.Headers[IdempotencyKeyHeader] = key;
        return copy;
    }

    private const string IdempotencyKeyHeader = "Idempotency-Key";

    internal async Task<TOutput> ContinueCoreAsync<TOutput>(ComponentKind kind, string id, string runId, ContinueRunRequest request, JsonAnswer<TOutput> answer, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        where TOutput : RunOutput
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = Paths.Run(kind, id, runId) + "/continue";
        using var content = FormEncoder.EncodeContinue(request, kind, stream: false, background: false);
        using var telemetry = Telemetry.StartRun(kind, id, request.SessionId, Pipeline, streaming: false, path);
        try
        {
            TOutput output;
            try
            {
                output = await Pipeline.SendJsonCoreAsync(HttpMethod.Post, path, content, answer, options, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentOSServerException ex) when (ex.StatusCode == HttpStatusCode.InternalServerError)
            {
                // agno answers a workflow that failed with 500 where an agent or team answers 200 with status ERROR
                throw RunFailedByServer(ex, request.SessionId);
            }

            telemetry?.Observe(output);
            return Checked(output, "POST", path);
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    internal IAsyncEnumerable<AgentOSEvent> ContinueStreamingCore(ComponentKind kind, string id, string runId, ContinueRunRequest request, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = Paths.Run(kind, id, runId) + "/continue";
        return StreamCore(new PythonStream(this, kind, id, request.SessionId, path, options) { Continue = request }, requireTerminal: !IsFalse(request.AdditionalFields, "stream_events"), cancellationToken);
    }

    internal IAsyncEnumerable<AgentOSEvent> ResumeStreamingCore(ComponentKind kind, string id, string runId, string? sessionId, int? lastEventIndex, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        string path = Paths.Run(kind, id, runId) + "/resume";
        return StreamCore(new PythonStream(this, kind, id, sessionId, path, options) { LastEventIndex = lastEventIndex }, requireTerminal: true, cancellationToken);
    }

    internal Task CancelCoreAsync(ComponentKind kind, string id, string runId, string? sessionId, AgentOSRequestOptions? options, CancellationToken cancellationToken)
        => Pipeline.SendNoContentAsync(HttpMethod.Post, Paths.WithQuery(Paths.Run(kind, id, runId) + "/cancel", ("session_id", sessionId)), null, options, cancellationToken);

    internal Task<TOutput> GetRunCoreAsync<TOutput>(ComponentKind kind, string id, string runId, string sessionId, JsonAnswer<TOutput> answer, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return Pipeline.SendJsonCoreAsync(HttpMethod.Get, Paths.WithQuery(Paths.Run(kind, id, runId), ("session_id", sessionId)), null, answer, options, cancellationToken).AsTask();
    }

    internal async Task<IReadOnlyList<RunRecord>> ListRunsCoreAsync(ComponentKind kind, string id, string sessionId, RunStatus? status, AgentOSRequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        string path = Paths.WithQuery(Paths.Component(kind, id) + "/runs", ("session_id", sessionId), ("status", status?.Value));
        return await Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSJsonContext.Default.ListRunRecord, options, cancellationToken).ConfigureAwait(false);
    }

    private IAsyncEnumerable<AgentOSEvent> StreamCore(PythonStream request, bool requireTerminal, CancellationToken cancellationToken)
    {
        // Arguments are validated by the caller before this point. One iterator from the request to the last event (the
        // reader sends on the first MoveNextAsync); the run's span starts there too, so an enumerable that is never
        // enumerated records nothing.
        var context = new StreamContext(request.Kind.Scope(), requireTerminal, "POST", request.Path, Pipeline.Options.StreamIdleTimeout, Pipeline.Time, Pipeline.Options.MaxStreamEventSize);
        return EventStreamReader.ReadAsync(request, context, Pipeline.Logger, cancellationToken);
    }

    /// <summary>A stream request of the Python dialect (a run, a continue or a resume): one object per stream.</summary>
    private sealed class PythonStream(AgentOSClient client, ComponentKind kind, string id, string? sessionId, string path, AgentOSRequestOptions? options) : StreamRequest
    {
        public ComponentKind Kind => kind;

        public string Path => path;

        /// <summary>A run's request (else a continue's, else a resume).</summary>
        public RunRequest? Run { get; init; }

        /// <summary>Whether the run is a background one.</summary>
        public bool Background { get; init; }

        /// <summary>A continue's request.</summary>
        public ContinueRunRequest? Continue { get; init; }

        /// <summary>A resume's last event index.</summary>
        public int? LastEventIndex { get; init; }

        public override HttpContent CreateContent()
            => Run is not null ? FormEncoder.EncodeRun(Run, stream: true, Background)
                : Continue is not null ? FormEncoder.EncodeContinue(Continue, kind, stream: true, background: false)
                : FormEncoder.EncodeResume(LastEventIndex, sessionId);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<HttpResponseMessage> SendAsync(HttpContent? content, CallTimer timer, CancellationToken cancellationToken)
        {
            var response = await client.Pipeline.SendStreamAsync(HttpMethod.Post, path, content, options, timer, cancellationToken).ConfigureAwait(false);
            await client.EnsureEventStreamAsync(response, path, cancellationToken).ConfigureAwait(false);
            return response;
        }

        public override RunTelemetry? StartTelemetry() => Telemetry.StartRun(kind, id, sessionId, client.Pipeline, streaming: true, path);
    }

    /// <summary>Throws a protocol error (after reading an excerpt of the body) when a stream request was not answered with an event stream.</summary>
    private async Task EnsureEventStreamAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (AgentOSPipeline.MediaTypeIs(response.Content.Headers, "text/event-stream", null))
        {
            return;
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;

        using (response)
        {
            string excerpt = await Pipeline.ReadUnexpectedBodyAsync(response, cancellationToken).ConfigureAwait(false);
            throw new AgentOSProtocolException($"POST {path} answered {(int)response.StatusCode} with content type '{mediaType}' instead of an event stream. Body starts with: {excerpt}")
            {
                StatusCode = response.StatusCode,
                Method = "POST",
                RequestPath = path,
                ResponseBodyExcerpt = excerpt,
            };
        }
    }

    /// <summary>
    /// Reads a background run's stream and, when it breaks before the run finished, resumes it from the last
    /// event index received. Replayed events already delivered are skipped.
    /// </summary>
    private async IAsyncEnumerable<AgentOSEvent> ResumingAsync(ComponentKind kind, string id, string? sessionId, IAsyncEnumerable<AgentOSEvent> first, AgentOSRequestOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = first;
        int? lastIndex = null;
        string? runId = null;
        int attempts = 0;
        while (true)
        {
            AgentOSException? interruption = null;
            var enumerator = current.GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    bool hasNext;
                    try
                    {
                        hasNext = await enumerator.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (AgentOSStreamInterruptedException ex) when ((runId ?? ex.RunId) is not null && attempts < Pipeline.Options.MaxStreamResumeAttempts)
                    {
                        interruption = ex;
                        sessionId ??= ex.SessionId;
                        runId ??= ex.RunId;
                        break;
                    }
                    catch (AgentOSTimeoutException ex) when ((runId ?? ex.RunId) is not null && attempts < Pipeline.Options.MaxStreamResumeAttempts && !cancellationToken.IsCancellationRequested)
                    {
                        // a stalled background stream: the run goes on on the server, so pick its stream up again
                        interruption = ex;
                        sessionId ??= ex.SessionId;
                        runId ??= ex.RunId;
                        break;
                    }

                    if (!hasNext)
                    {
                        break;
                    }

                    var e = enumerator.Current;
                    if (e.EventIndex is { } index)
                    {
                        if (index <= lastIndex)
                        {
                            continue; // replayed: already delivered
                        }

                        lastIndex = index;
                    }

                    if (e.Scope == kind.Scope() && !e.IsNested)
                    {
                        runId ??= e.RunId;
                        sessionId ??= e.SessionId;
                    }

                    yield return e;
                }
            }

            if (interruption is null)
            {
                yield break;
            }

            attempts++;
            LogResuming(Pipeline.Logger, runId!, lastIndex ?? -1, attempts);
            current = ResumeStreamingCore(kind, id, runId!, sessionId, lastIndex, options, cancellationToken);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Resuming the background stream of run {RunId} after event {LastEventIndex} (attempt {Attempt})")]
    private static partial void LogResuming(ILogger logger, string runId, int lastEventIndex, int attempt);

    private static TOutput Checked<TOutput>(TOutput output, string method, string path)
        where TOutput : RunOutput
    {
        if (output.Status.IsError)
        {
            throw AgentOSRunFailedException.FromOutput(output, method, path);
        }

        return output;
    }

    private static bool IsFalse(IDictionary<string, object?> fields, string name)
        => fields.TryGetValue(name, out var v) && v is not null && string.Equals(FormEncoder.Format(name, v), "false", StringComparison.OrdinalIgnoreCase);

    private static bool IsFalse(IReadOnlyDictionary<string, object?> fields, string name)
        => fields.Count > 0 && fields.TryGetValue(name, out var v) && v is not null && string.Equals(FormEncoder.Format(name, v), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Releases the HttpClient the client created (not one passed in).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedHttpClient?.Dispose();
        }
    }
}
