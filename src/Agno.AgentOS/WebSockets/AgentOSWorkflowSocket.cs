using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>
/// One connection to an AgentOS workflow WebSocket (<c>/workflows/ws</c>): start a workflow, continue a paused one,
/// reconnect to a run from its last event index, ping. Created by <see cref="AgentOSClient.ConnectWorkflowSocketAsync"/>,
/// already authenticated when the server requires it (with the client's key).
/// </summary>
/// <remarks>
/// <para>
/// The server sends a run's events both SSE-wrapped (<c>event: X\ndata: {...}</c>, the inline path) and as flat JSON
/// objects (reconnect replays, agno 3.x's durable queue); both become the same typed <see cref="AgentOSEvent"/>s as the
/// SSE streams. A run's enumeration ends after its terminal event (completed, paused, cancelled); a
/// <c>WorkflowError</c> throws <see cref="AgentOSRunFailedException"/>; an <c>error</c> message is typed by what the
/// server says; a socket that closes first throws <see cref="AgentOSStreamInterruptedException"/> with the run id and the
/// last event index (pass them to <see cref="ReconnectAsync"/> on a new connection).
/// </para>
/// <para>
/// Silence longer than <see cref="AgentOSClientOptions.StreamIdleTimeout"/> while a run is followed throws
/// <see cref="AgentOSTimeoutException"/>. A run started over a WebSocket keeps running on the server when the socket
/// closes (agno runs it in the background): cancelling an enumeration therefore asks the server to cancel the run
/// (<c>POST /workflows/{id}/runs/{run_id}/cancel</c>) once its run id is known, unless
/// <see cref="CancelRunOnCancellation"/> is off. One operation at a time per connection.
/// </para>
/// </remarks>
public sealed class AgentOSWorkflowSocket : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly AgentOSClient _client;
    private readonly TimeSpan _idleTimeout;
    private readonly int _maxMessageSize;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _finishedRuns = new(StringComparer.Ordinal);
    private readonly EventDecoderState _decoder = new();
    private int _busy;
    private string? _failedRun; // the run whose failure ended the last operation: agno 2.9 repeats its WorkflowError

    internal AgentOSWorkflowSocket(WebSocket socket, AgentOSClient client, Uri address, TimeSpan idleTimeout, int maxMessageSize, TimeProvider time)
    {
        _socket = socket;
        _client = client;
        Address = address;
        _idleTimeout = idleTimeout;
        _maxMessageSize = maxMessageSize;
        _time = time;
    }

    /// <summary>The WebSocket address (<c>ws://</c> or <c>wss://</c> ... <c>/workflows/ws</c>).</summary>
    public Uri Address { get; }

    /// <summary>Whether the server asked for authentication when the connection opened (<c>requires_auth</c>).</summary>
    public bool RequiresAuthentication { get; private set; }

    /// <summary>The user the server authenticated (a JWT's subject or a service account's principal), when it says.</summary>
    public string? AuthenticatedUserId { get; private set; }

    /// <summary>
    /// Whether cancelling an enumeration asks the server to cancel its run (default <see langword="true"/>): a run started
    /// over a WebSocket runs on in the background on the server when the socket closes.
    /// </summary>
    public bool CancelRunOnCancellation { get; set; } = true;

    /// <summary>The connection's state.</summary>
    public WebSocketState State => _socket.State;

    /// <summary>
    /// Starts a workflow run (<c>start-workflow</c>) and streams its events. The request's <see cref="RunRequest.Message"/>,
    /// <see cref="RunRequest.SessionId"/>, <see cref="RunRequest.UserId"/>, <see cref="RunRequest.Version"/> and
    /// <see cref="RunRequest.FactoryInput"/> are sent; what the WebSocket cannot carry (media, files, session state, ...)
    /// is refused with <see cref="ArgumentException"/> before anything is sent.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="request">The run.</param>
    /// <param name="cancellationToken">Cancels the enumeration (and the run on the server, see <see cref="CancelRunOnCancellation"/>).</param>
    /// <returns>The run's events; agno 3.x's durable queue sends a <see cref="RunQueuedEvent"/> first.</returns>
    public IAsyncEnumerable<AgentOSEvent> RunWorkflowAsync(string workflowId, RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        ArgumentNullException.ThrowIfNull(request);
        CheckSocketRequest(request);
        var message = Write(w =>
        {
            w.WriteString("action", "start-workflow");
            w.WriteString("workflow_id", workflowId);
            w.WriteString("message", request.Message);
            WriteIfSet(w, "session_id", request.SessionId);
            WriteIfSet(w, "user_id", request.UserId);
            if (request.Version is { } version)
            {
                w.WriteNumber("version", version);
            }

            if (request.FactoryInput is { } factoryInput)
            {
                w.WritePropertyName("factory_input");
                JsonSerializer.Serialize(w, factoryInput, AgentOSJsonContext.Default.JsonObject);
            }
        });
        return RunAsync(message, workflowId, runId: null, replay: false, cancellationToken);
    }

    /// <summary>Continues a paused workflow run with its step requirements answered (<c>continue-workflow</c>) and streams its events.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="runId">The paused run.</param>
    /// <param name="request">The session, the user and the answered <see cref="ContinueRunRequest.StepRequirements"/>.</param>
    /// <param name="cancellationToken">Cancels the enumeration (and the run on the server, see <see cref="CancelRunOnCancellation"/>).</param>
    /// <returns>The run's events from the continue on.</returns>
    public IAsyncEnumerable<AgentOSEvent> ContinueWorkflowAsync(string workflowId, string runId, ContinueRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(request);
        if (request.StepRequirements.Count == 0)
        {
            throw new ArgumentException("A workflow continues with its step requirements (ContinueRunRequest.StepRequirements).", nameof(request));
        }

        if (request.Tools.Count > 0 || request.Requirements.Count > 0 || request.AdditionalFields.Count > 0)
        {
            throw new ArgumentException("The workflow WebSocket continues with step requirements only (not tools, requirements or additional fields).", nameof(request));
        }

        var requirements = FormEncoder.WithoutMediaReferences(JsonSerializer.Serialize(request.StepRequirements as List<StepRequirement> ?? [.. request.StepRequirements], AgentOSJsonContext.Default.ListStepRequirement));
        var message = Write(w =>
        {
            w.WriteString("action", "continue-workflow");
            w.WriteString("workflow_id", workflowId);
            w.WriteString("run_id", runId);
            WriteIfSet(w, "session_id", request.SessionId);
            WriteIfSet(w, "user_id", request.UserId);
            w.WritePropertyName("step_requirements");
            w.WriteRawValue(requirements);
        });
        _finishedRuns.Remove(runId); // the paused run goes on
        return RunAsync(message, workflowId, runId, replay: false, cancellationToken);
    }

    /// <summary>
    /// Reconnects to a workflow run (<c>reconnect</c>): a finished run's stored events are replayed; a running one's missed
    /// events after <paramref name="lastEventIndex"/> come first, then its live events.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="lastEventIndex">The index of the last event received (<see cref="AgentOSEvent.EventIndex"/>); <see langword="null"/> for all.</param>
    /// <param name="workflowId">The workflow (needed by servers with user isolation, and to replay from the database).</param>
    /// <param name="sessionId">The run's session (needed by servers with user isolation, and to replay from the database).</param>
    /// <param name="cancellationToken">Cancels the enumeration (and the run on the server, see <see cref="CancelRunOnCancellation"/>).</param>
    /// <returns>The control events (<see cref="ResumeReplayEvent"/>, <see cref="ResumeCatchUpEvent"/>, <see cref="ResumeSubscribedEvent"/>) and the run's events.</returns>
    public IAsyncEnumerable<AgentOSEvent> ReconnectAsync(string runId, int? lastEventIndex = null, string? workflowId = null, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (lastEventIndex is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lastEventIndex), lastEventIndex, "Event indexes start at 0.");
        }

        var message = Write(w =>
        {
            w.WriteString("action", "reconnect");
            w.WriteString("run_id", runId);
            WriteIfSet(w, "workflow_id", workflowId);
            WriteIfSet(w, "session_id", sessionId);
            if (lastEventIndex is { } index)
            {
                w.WriteNumber("last_event_index", index);
            }
        });
        _finishedRuns.Remove(runId);
        return RunAsync(message, workflowId, runId, replay: true, cancellationToken, lastEventIndex);
    }

    /// <summary>Pings the server (<c>ping</c>) and waits for its <c>pong</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The round-trip time, measured on the client's <see cref="TimeProvider"/>.</returns>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            long start = _time.GetTimestamp();
            await SendAsync("""{"action":"ping"}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var (name, _, e) = await ReceiveEventAsync(null, 0, cancellationToken).ConfigureAwait(false);
                if (name == "pong")
                {
                    return _time.GetElapsedTime(start);
                }

                if (name is "error" or "auth_required")
                {
                    throw ControlError(name, e, null, null, null, 0);
                }
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Closes the connection (a normal close handshake, bounded by a short wait).</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // the server went away first: nothing to close
            }
        }

        _socket.Dispose();
    }

    /// <summary>Reads the <c>connected</c> greeting and authenticates when the server asks for it.</summary>
    internal async Task OpenAsync(Func<bool, CancellationToken, Task<string?>> tokens, bool canRefresh, CancellationToken cancellationToken)
    {
        var (name, _, greeting) = await ReceiveEventAsync(null, 0, cancellationToken).ConfigureAwait(false);
        if (name != "connected")
        {
            throw new AgentOSProtocolException($"The workflow WebSocket at {Address} did not greet with a 'connected' message (got '{name}').")
            {
                RequestPath = Address.AbsolutePath,
            };
        }

        RequiresAuthentication = Bool(greeting, "requires_auth") ?? false;
        if (!RequiresAuthentication)
        {
            return;
        }

        string? token = await tokens(false, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(token))
        {
            throw new AgentOSAuthenticationException($"The workflow WebSocket at {Address} requires authentication and the client has no key or token (AgentOSClientOptions.ApiKey).")
            {
                RequestPath = Address.AbsolutePath,
            };
        }

        await SendAsync(Write(w =>
        {
            w.WriteString("action", "authenticate");
            w.WriteString("token", token);
        }), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var (reply, _, e) = await ReceiveEventAsync(null, 0, cancellationToken).ConfigureAwait(false);
            switch (reply)
            {
                case "authenticated":
                    AuthenticatedUserId = String(e, "user_id") ?? AuthenticatedUserId;
                    if (AuthenticatedUserId is null && Message(e)?.StartsWith("JWT", StringComparison.Ordinal) != true)
                    {
                        // a JWT or service-account login sends a second 'authenticated' with the user: read it when it is there
                        await ReadSecondAuthenticatedAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return;
                case "auth_error" when canRefresh:
                    canRefresh = false; // a rotated token: ask for a fresh one once and authenticate again
                    token = await tokens(true, cancellationToken).ConfigureAwait(false);
                    if (string.IsNullOrEmpty(token))
                    {
                        goto case "auth_error";
                    }

                    await SendAsync(Write(w =>
                    {
                        w.WriteString("action", "authenticate");
                        w.WriteString("token", token);
                    }), cancellationToken).ConfigureAwait(false);
                    break;
                case "auth_error":
                    throw new AgentOSAuthenticationException($"The workflow WebSocket refused the credentials: {String(e, "error") ?? "no reason given"}")
                    {
                        Detail = String(e, "error"),
                        ErrorType = String(e, "error_type"),
                        RequestPath = Address.AbsolutePath,
                    };
            }
        }
    }

    private async Task ReadSecondAuthenticatedAsync(CancellationToken cancellationToken)
    {
        // Security-key logins send one 'authenticated'; JWT and service-account logins send the manager's and then one
        // with the user id. A ping tells them apart without waiting on a clock: its pong comes after any second message.
        await SendAsync("""{"action":"ping"}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var (name, _, e) = await ReceiveEventAsync(null, 0, cancellationToken).ConfigureAwait(false);
            if (name == "authenticated")
            {
                AuthenticatedUserId = String(e, "user_id") ?? AuthenticatedUserId;
            }
            else if (name == "pong")
            {
                return;
            }
        }
    }

    private async IAsyncEnumerable<AgentOSEvent> RunAsync(byte[] message, string? workflowId, string? runId, bool replay, [EnumeratorCancellation] CancellationToken cancellationToken, int? lastEventIndex = null)
    {
        Enter();
        string? failedBefore = _failedRun;
        _failedRun = null;
        string? sessionId = null;
        int? lastIndex = lastEventIndex;
        int count = 0;
        int? replayRemaining = null;
        bool finished = false;
        try
        {
            await SendAsync(message, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                string name;
                AgentOSEvent e;
                try
                {
                    (name, _, e) = await ReceiveEventAsync(runId, count, cancellationToken, lastIndex).ConfigureAwait(false);
                }
                catch (AgentOSStreamInterruptedException ex)
                {
                    throw new AgentOSStreamInterruptedException(ex.Message, ex.InnerException)
                    {
                        Method = "WS",
                        RequestPath = Address.AbsolutePath,
                        RunId = runId,
                        SessionId = sessionId,
                        LastEventIndex = lastIndex,
                        EventsReceived = count,
                    };
                }

                if (e.RunId is { } eventRun && !string.Equals(eventRun, runId, StringComparison.Ordinal) && _finishedRuns.Contains(eventRun))
                {
                    continue; // a late message of an earlier run on this connection
                }

                if (count == 0 && failedBefore is not null && e is RunErrorEvent && (e.RunId is null || e.RunId == failedBefore))
                {
                    continue; // agno 2.9 sends a failed workflow's WorkflowError twice (the second without a run id)
                }

                switch (name)
                {
                    case "pong" or "connected" or "authenticated":
                        continue;
                    case "error" or "auth_required" or "auth_error":
                        throw ControlError(name, e, runId, sessionId, lastIndex, count);
                }

                count++;
                if (e.EventIndex is { } index)
                {
                    lastIndex = index;
                }

                bool own = e.Scope == EventScope.Workflow && !e.IsNested;
                if (own || e is RunQueuedEvent)
                {
                    runId ??= e.RunId;
                    sessionId ??= e.SessionId;
                    workflowId ??= e.WorkflowId;
                }

                if (e is ResumeReplayEvent replayEvent)
                {
                    replayRemaining = Int(e, "total_events") ?? 0;
                    runId ??= replayEvent.RunId;
                    yield return e;
                    if (replayRemaining == 0)
                    {
                        finished = true;
                        yield break;
                    }

                    continue;
                }

                if (own && e is RunErrorEvent error)
                {
                    finished = true;
                    _failedRun = error.RunId ?? runId ?? "";
                    throw AgentOSRunFailedException.FromErrorEvent(error, "WS", Address.AbsolutePath, runId, sessionId);
                }

                yield return e;
                if (own && e is RunCompletedEvent or RunPausedEvent or RunCancelledEvent)
                {
                    finished = true;
                    yield break;
                }

                if (replayRemaining is not null && e.Scope != EventScope.Resume && --replayRemaining <= 0)
                {
                    finished = true; // a finished run's replay ends after its stored events
                    yield break;
                }
            }
        }
        finally
        {
            if (runId is not null && finished)
            {
                _finishedRuns.Add(runId);
            }

            Exit();
            if (!finished && cancellationToken.IsCancellationRequested && CancelRunOnCancellation && runId is not null && workflowId is not null && !replay)
            {
                await CancelOnServerAsync(workflowId, runId, sessionId).ConfigureAwait(false);
            }
        }
    }

    private async Task CancelOnServerAsync(string workflowId, string runId, string? sessionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
        try
        {
            await _client.CancelWorkflowRunAsync(workflowId, runId, sessionId, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentOSException or OperationCanceledException)
        {
            // best effort: the caller cancelled; the run may already have finished
        }
    }

    private AgentOSException ControlError(string name, AgentOSEvent e, string? runId, string? sessionId, int? lastIndex, int count)
    {
        string text = String(e, "error") ?? (e as ResumeErrorEvent)?.Error ?? "no error text";
        string? errorType = String(e, "error_type");
        string? errorId = String(e, "error_id");
        if (name is "auth_required" or "auth_error")
        {
            return new AgentOSAuthenticationException($"The workflow WebSocket needs authentication: {text}") { Detail = text, ErrorType = errorType, RequestPath = Address.AbsolutePath };
        }

        if (text.StartsWith("Insufficient permissions", StringComparison.OrdinalIgnoreCase))
        {
            return new AgentOSPermissionException($"The workflow WebSocket refused: {text}") { Detail = text, RequestPath = Address.AbsolutePath };
        }

        if (text.StartsWith("Job queue is full", StringComparison.OrdinalIgnoreCase))
        {
            return new AgentOSRateLimitException($"The workflow WebSocket refused: {text}") { Detail = text, RequestPath = Address.AbsolutePath };
        }

        if (text.Contains("is required", StringComparison.Ordinal) || text.StartsWith("Unknown action", StringComparison.Ordinal) || text.Contains("not supported", StringComparison.Ordinal))
        {
            return new AgentOSBadRequestException($"The workflow WebSocket refused: {text}") { Detail = text, RequestPath = Address.AbsolutePath };
        }

        if (runId is not null && count > 0 && (errorType is not null || errorId is not null || !text.Contains("not found", StringComparison.OrdinalIgnoreCase)) && !text.StartsWith("stream tail failed", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("event stream unavailable", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("Subscription failed", StringComparison.OrdinalIgnoreCase))
        {
            // an exception of the run itself (agno sends it as an error message)
            return new AgentOSRunFailedException($"The run failed: {text}") { RunId = runId, SessionId = sessionId, Detail = text, ErrorType = errorType, ErrorId = errorId, Method = "WS", RequestPath = Address.AbsolutePath };
        }

        var frame = e as ResumeErrorEvent ?? new ResumeErrorEvent { Error = text, RunId = e.RunId };
        frame.Error ??= text;
        return EventStreamReader.ErrorFrame(new StreamContext(EventScope.Workflow, true, "WS", Address.AbsolutePath, _idleTimeout, _time), frame, runId, sessionId, lastIndex, count);
    }

    private async Task<(string Name, byte[] Data, AgentOSEvent Event)> ReceiveEventAsync(string? runId, int count, CancellationToken cancellationToken, int? lastIndex = null)
    {
        byte[] data = await ReceiveMessageAsync(runId, count, lastIndex, cancellationToken).ConfigureAwait(false);
        var (eventLine, json) = Unwrap(data);
        var e = EventDecoder.Decode(eventLine ?? "", json, _decoder);
        return (e.Event, data, e);
    }

    /// <summary>An SSE-wrapped message (<c>event: X\ndata: {...}\n\n</c>) or a flat JSON object: the event name and the JSON.</summary>
    internal static (string? Event, byte[] Json) Unwrap(byte[] message)
    {
        var span = message.AsSpan().TrimStart(" \t\r\n"u8);
        if (!span.StartsWith("event:"u8) && !span.StartsWith("data:"u8))
        {
            return (null, message);
        }

        string? name = null;
        var json = new ArrayBufferWriter<byte>();
        foreach (var range in span.Split((byte)'\n'))
        {
            var line = span[range].TrimEnd((byte)'\r');
            if (line.StartsWith("event:"u8))
            {
                name = Encoding.UTF8.GetString(Trim1(line["event:"u8.Length..]));
            }
            else if (line.StartsWith("data:"u8))
            {
                if (json.WrittenCount > 0)
                {
                    json.Write("\n"u8);
                }

                json.Write(Trim1(line["data:"u8.Length..]));
            }
        }

        return (name, json.WrittenSpan.ToArray());

        static ReadOnlySpan<byte> Trim1(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value;
    }

    private async Task<byte[]> ReceiveMessageAsync(string? runId, int count, int? lastIndex, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var idle = new CancellationTokenSource(_idleTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AgentOSTimeoutException($"The workflow WebSocket was silent for {_idleTimeout.TotalSeconds:0.###} s after {count} event(s) (AgentOSClientOptions.StreamIdleTimeout).", ex)
                {
                    Method = "WS",
                    RequestPath = Address.AbsolutePath,
                    Timeout = _idleTimeout,
                    RunId = runId,
                    LastEventIndex = lastIndex,
                };
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                throw Interrupted($"The workflow WebSocket broke after {count} event(s): {ex.Message}", ex);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw Interrupted($"The workflow WebSocket was closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription}) after {count} event(s), before the run finished.", null);
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _maxMessageSize)
            {
                throw new AgentOSProtocolException($"The workflow WebSocket sent a message of more than {_maxMessageSize} bytes (AgentOSClientOptions.MaxStreamEventSize).") { Method = "WS", RequestPath = Address.AbsolutePath };
            }

            if (result.EndOfMessage)
            {
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    throw new AgentOSProtocolException("The workflow WebSocket sent a binary message; AgentOS sends text.") { Method = "WS", RequestPath = Address.AbsolutePath };
                }

                return buffer.WrittenSpan.ToArray();
            }
        }

        AgentOSStreamInterruptedException Interrupted(string text, Exception? inner) => new(text, inner)
        {
            Method = "WS",
            RequestPath = Address.AbsolutePath,
            RunId = runId,
            LastEventIndex = lastIndex,
            EventsReceived = count,
        };
    }

    private async Task SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            throw new AgentOSStreamInterruptedException($"The workflow WebSocket broke while sending: {ex.Message}", ex) { Method = "WS", RequestPath = Address.AbsolutePath };
        }
    }

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_socket.State is WebSocketState.Closed or WebSocketState.Aborted, this);
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException("An AgentOSWorkflowSocket runs one operation at a time; open another connection for concurrent runs.");
        }
    }

    private void Exit() => Volatile.Write(ref _busy, 0);

    private static void CheckSocketRequest(RunRequest request)
    {
        var unsupported = new List<string>();
        if (request.ImagesOrEmpty.Count + request.AudioOrEmpty.Count + request.VideosOrEmpty.Count + request.InputFilesOrEmpty.Count + request.FilesOrEmpty.Count > 0) { unsupported.Add("media and files"); }
        if (request.SessionState is not null) { unsupported.Add(nameof(RunRequest.SessionState)); }
        if (request.Dependencies is not null) { unsupported.Add(nameof(RunRequest.Dependencies)); }
        if (request.Metadata is not null) { unsupported.Add(nameof(RunRequest.Metadata)); }
        if (request.KnowledgeFilters is not null) { unsupported.Add(nameof(RunRequest.KnowledgeFilters)); }
        if (request.OutputSchema is not null) { unsupported.Add(nameof(RunRequest.OutputSchema)); }
        if (request.AdditionalData is not null) { unsupported.Add(nameof(RunRequest.AdditionalData)); }
        if (request.IdempotencyKey is not null) { unsupported.Add(nameof(RunRequest.IdempotencyKey)); }
        if (request.AdditionalFieldsOrEmpty.Count > 0) { unsupported.Add(nameof(RunRequest.AdditionalFields)); }
        if (unsupported.Count > 0)
        {
            throw new ArgumentException($"The workflow WebSocket carries a message, session, user, version and factory input only; not: {string.Join(", ", unsupported)}. Use RunWorkflowStreamingAsync for these.", nameof(request));
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static JsonElement? Property(AgentOSEvent e, string name)
        => e.AdditionalProperties is { } extra && extra.TryGetValue(name, out var value) ? value : null;

    private static string? String(AgentOSEvent e, string name)
        => Property(e, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static string? Message(AgentOSEvent e) => String(e, "message");

    private static bool? Bool(AgentOSEvent e, string name) => Property(e, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    private static int? Int(AgentOSEvent e, string name)
    {
        if (e is ResumeReplayEvent replay && name == "total_events" && replay.TotalEvents is { } total)
        {
            return total;
        }

        return Property(e, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out int n) ? n : null;
    }
}
