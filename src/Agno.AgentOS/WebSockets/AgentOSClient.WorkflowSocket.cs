using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Agno.AgentOS;

/// <summary>Workflows over the AgentOS WebSocket (<c>/workflows/ws</c>).</summary>
public partial class AgentOSClient
{
    /// <summary>
    /// Opens a connection to the workflow WebSocket (<c>/workflows/ws</c> under <see cref="BaseAddress"/>, <c>ws://</c> or
    /// <c>wss://</c>), reads its greeting and authenticates with the key (per call, or the client's) when the server
    /// requires it. Bounded by <see cref="AgentOSClientOptions.Timeout"/> (or the per-call timeout).
    /// </summary>
    /// <param name="options">Per-call options: the key, the timeout of the opening, extra headers of the upgrade request. Without a
    /// per-call key the client's <see cref="AgentOSClientOptions.TokenProvider"/> (asked again with a forced refresh once
    /// when the server refuses its token) or its key authenticates.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open, authenticated connection; dispose it to close.</returns>
    /// <exception cref="AgentOSServerUnavailableException">The server cannot be reached or refused the upgrade.</exception>
    /// <exception cref="AgentOSAuthenticationException">The server requires a key the client does not have, or refused it.</exception>
    public virtual async Task<AgentOSWorkflowSocket> ConnectWorkflowSocketAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var settings = Pipeline.Options;
        var address = WorkflowSocketAddress(BaseAddress);
        var provider = options?.ApiKey is null ? settings.TokenProvider : null;
        string? token = options?.ApiKey ?? settings.ApiKey;
        if ((!string.IsNullOrEmpty(token) || provider is not null) && !MayCarryToken(BaseAddress, settings.AllowUnencryptedAuthentication))
        {
            throw new ArgumentException($"Refusing to send the key over an unencrypted WebSocket to '{BaseAddress.Host}'. Use https, or set AgentOSClientOptions.AllowUnencryptedAuthentication = true if the network is trusted.", nameof(options));
        }

        var timeout = options?.Timeout ?? settings.Timeout;
        using var opening = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(timeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, opening.Token);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", settings.UserAgent ?? "Agno.AgentOS");
        foreach (var (name, value) in options?.Headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        AgentOSWorkflowSocket? connection = null;
        try
        {
            try
            {
                await socket.ConnectAsync(address, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AgentOSTimeoutException($"Opening the workflow WebSocket {address} took longer than {timeout.TotalSeconds:0.###} s.", ex) { Method = "WS", RequestPath = address.AbsolutePath, Timeout = timeout };
            }
            catch (WebSocketException ex)
            {
                throw new AgentOSServerUnavailableException($"The workflow WebSocket {address} could not be opened: {ex.Message}", ex) { Method = "WS", RequestPath = address.AbsolutePath, BaseAddress = BaseAddress };
            }

            connection = new AgentOSWorkflowSocket(socket, this, address, settings.StreamIdleTimeout, settings.MaxStreamEventSize, TimeProvider);
            try
            {
                Func<bool, CancellationToken, Task<string?>> tokens = provider is null
                    ? (_, _) => Task.FromResult(token)
                    : (refresh, ct) => Pipeline.GetProviderTokenAsync(provider, refresh, HttpMethod.Get, address.AbsolutePath, ct);
                await connection.OpenAsync(tokens, canRefresh: provider is not null, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AgentOSTimeoutException($"The workflow WebSocket {address} did not greet and authenticate within {timeout.TotalSeconds:0.###} s.", ex) { Method = "WS", RequestPath = address.AbsolutePath, Timeout = timeout };
            }

            var opened = connection;
            connection = null;
            return opened;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else if (socket.State != WebSocketState.Open)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs a workflow over the WebSocket on a connection of its own and streams its events; the connection closes when
    /// the run ends. With <see cref="AgentOSClientOptions.ResumeInterruptedBackgroundStreams"/> a broken connection is
    /// reopened and the run followed on from its last event index (<c>reconnect</c>), at most
    /// <see cref="AgentOSClientOptions.MaxStreamResumeAttempts"/> times, no event twice.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="request">The run (message, session, user, version, factory input; see <see cref="AgentOSWorkflowSocket.RunWorkflowAsync"/>).</param>
    /// <param name="options">Per-call options of the connection.</param>
    /// <param name="cancellationToken">Cancels the run: the server is asked to cancel it once its run id is known.</param>
    /// <returns>The run's events.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> RunWorkflowOverWebSocketAsync(string workflowId, RunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        ArgumentNullException.ThrowIfNull(request);
        return Follow(workflowId, socket => socket.RunWorkflowAsync(workflowId, request), options, cancellationToken);
    }

    /// <summary>
    /// Continues a paused workflow run over the WebSocket on a connection of its own (see
    /// <see cref="RunWorkflowOverWebSocketAsync"/> for reconnection).
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The paused run.</param>
    /// <param name="request">The answered step requirements.</param>
    /// <param name="options">Per-call options of the connection.</param>
    /// <param name="cancellationToken">Cancels the run: the server is asked to cancel it.</param>
    /// <returns>The run's events from the continue on.</returns>
    public virtual IAsyncEnumerable<AgentOSEvent> ContinueWorkflowOverWebSocketAsync(string workflowId, string runId, ContinueRunRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(request);
        return Follow(workflowId, socket => socket.ContinueWorkflowAsync(workflowId, runId, request), options, cancellationToken);
    }

    private async IAsyncEnumerable<AgentOSEvent> Follow(string workflowId, Func<AgentOSWorkflowSocket, IAsyncEnumerable<AgentOSEvent>> start, AgentOSRequestOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Pipeline.Options;
        int attempts = 0;
        string? runId = null;
        string? sessionId = null;
        int? lastIndex = null;
        while (true)
        {
            var socket = await ConnectWorkflowSocketAsync(options, cancellationToken).ConfigureAwait(false);
            await using var scope = socket.ConfigureAwait(false);
            var events = runId is null
                ? start(socket)
                : socket.ReconnectAsync(runId, lastIndex, workflowId, sessionId);
            var enumerator = events.WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
            try
            {
                while (true)
                {
                    AgentOSEvent e;
                    try
                    {
                        if (!await enumerator.MoveNextAsync())
                        {
                            yield break;
                        }

                        e = enumerator.Current;
                    }
                    catch (AgentOSStreamInterruptedException ex) when (settings.ResumeInterruptedBackgroundStreams && (ex.RunId ?? runId) is not null && attempts < settings.MaxStreamResumeAttempts)
                    {
                        attempts++;
                        runId ??= ex.RunId;
                        sessionId ??= ex.SessionId;
                        break; // reopen and reconnect from the last index
                    }

                    if (e.Scope != EventScope.Resume && e.EventIndex is { } index)
                    {
                        if (lastIndex is { } seen && index <= seen && runId is not null)
                        {
                            continue; // replayed twice (a catch-up overlapping what was received): no event twice
                        }

                        lastIndex = index;
                    }

                    if (e.Scope == EventScope.Workflow && !e.IsNested || e is RunQueuedEvent)
                    {
                        runId ??= e.RunId;
                        sessionId ??= e.SessionId;
                    }

                    yield return e;
                }
            }
            finally
            {
                await enumerator.DisposeAsync();
            }
        }
    }

    private static Uri WorkflowSocketAddress(Uri baseAddress)
    {
        var builder = new UriBuilder(new Uri(baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/"), "workflows/ws"))
        {
            Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        };
        return builder.Uri;
    }
}
