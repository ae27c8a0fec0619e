using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Internal;

/// <summary>How a stream is read: which run is the top-level one, and whether it must end with a terminal event.</summary>
internal readonly record struct StreamContext(EventScope Scope, bool RequireTerminal, string Method, string Path, TimeSpan IdleTimeout, TimeProvider Time, int MaxEventSize = AgentOSClientOptions.DefaultMaxStreamEventSize);

/// <summary>
/// What a stream sends and how, for <see cref="EventStreamReader"/> (the request is sent on the first <c>MoveNextAsync</c>).
/// One object per stream: its content, its send, and its telemetry.
/// </summary>
internal abstract class StreamRequest
{
    /// <summary>Creates the request's content (disposed once the request is sent), or null.</summary>
    public abstract HttpContent? CreateContent();

    /// <summary>
    /// Sends the request with the content on the stream's timer (its token; the request timeout as its deadline phase,
    /// see <see cref="AgentOSPipeline.SendStreamAsync"/>) and returns the response, checked to be an event stream.
    /// Awaited once.
    /// </summary>
    public abstract ValueTask<HttpResponseMessage> SendAsync(HttpContent? content, CallTimer timer, CancellationToken cancellationToken);

    /// <summary>Starts the run's span and metrics (null: none).</summary>
    public virtual RunTelemetry? StartTelemetry() => null;

    // How the stream is read, kept here rather than as the reader's parameters: an async iterator holds every parameter
    // twice (the value it was called with and its working copy), for as long as the stream is open.
    internal StreamContext Context;
    internal ILogger Logger = null!;
    internal SseItemParser<AgentOSEvent>? Parse;
}

/// <summary>
/// Reads an SSE response into typed events (<see cref="SseFrameReader"/>, in one hand-written enumerator). Ends the run's stream the way
/// the protocol ends it: a top-level error event throws <see cref="AgentOSRunFailedException"/>; a body
/// that ends before a completed, paused or cancelled event throws <see cref="AgentOSStreamInterruptedException"/>.
/// </summary>
internal static partial class EventStreamReader
{
    /// <param name="response">The response (disposed when the stream ends).</param>
    /// <param name="context">How the stream is read.</param>
    /// <param name="logger">The client's logger.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <param name="parse">The decoder of one SSE item; null: the Python dialect's (agno-go's: AgnoGo/AgnoGoEventDecoder.cs).</param>
    public static IAsyncEnumerable<AgentOSEvent> ReadAsync(HttpResponseMessage response, StreamContext context, ILogger logger, CancellationToken cancellationToken, SseItemParser<AgentOSEvent>? parse = null)
        => ReadAsync(new AnsweredRequest(response), context, logger, cancellationToken, parse);

    /// <summary>
    /// Sends the request (on the first <c>MoveNextAsync</c>) and reads its event stream in one iterator: the run's
    /// telemetry sees every event, the exception the caller gets, and a stream the caller stopped reading.
    /// </summary>
    /// <param name="request">What the stream sends and how (one object per stream; see <see cref="StreamRequest"/>).</param>
    /// <param name="context">How the stream is read.</param>
    /// <param name="logger">The client's logger.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <param name="parse">The decoder of one SSE item; null: the Python dialect's (agno-go's: AgnoGo/AgnoGoEventDecoder.cs).</param>
    public static IAsyncEnumerable<AgentOSEvent> ReadAsync(StreamRequest request, StreamContext context, ILogger logger, CancellationToken cancellationToken, SseItemParser<AgentOSEvent>? parse = null)
    {
        request.Context = context;
        request.Logger = logger;
        request.Parse = parse;
        return new EventStream(request, cancellationToken);
    }

    /// <summary>
    /// The stream's one enumerator: sends the request on the first <see cref="MoveNextAsync"/>, then frames the body
    /// (<see cref="SseFrameReader"/>) and decodes each event. An event already buffered is handed over synchronously;
    /// only a read of the body awaits. Every path that ends the stream (its end, an exception, a caller that stops
    /// reading) releases the body, the response, the buffers, the timers and the telemetry.
    /// </summary>
    private sealed class EventStream(StreamRequest request, CancellationToken cancellationToken) : IAsyncEnumerable<AgentOSEvent>, IAsyncEnumerator<AgentOSEvent>
    {
        private const int New = 0, Reading = 1, Done = 2;
        private CancellationToken _token = cancellationToken;
        private CancellationTokenSource? _linked;
        private int _enumerated;
        private int _state;
        private RunTelemetry? _telemetry;
        private HttpContent? _content;
        private CallTimer? _timer;
        private IdleTimer? _idle;
        private HttpResponseMessage? _response;
        private Stream? _rawBody;
        private Stream? _body;
        private SseFrameReader? _frames;
        private SseItemParser<AgentOSEvent>? _parse;
        private bool _terminal;
        private bool _endAfterCurrent;
        private string? _expiredStatus;
        private int _count;
        private string? _runId;
        private string? _sessionId;
        private int? _lastIndex;

        public AgentOSEvent Current { get; private set; } = null!;

        public IAsyncEnumerator<AgentOSEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            var stream = Interlocked.Exchange(ref _enumerated, 1) == 0 ? this : new EventStream(request, _token) { _enumerated = 1 };
            if (cancellationToken.CanBeCanceled && cancellationToken != stream._token)
            {
                if (!stream._token.CanBeCanceled)
                {
                    stream._token = cancellationToken;
                }
                else
                {
                    stream._linked = CancellationTokenSource.CreateLinkedTokenSource(stream._token, cancellationToken);
                    stream._token = stream._linked.Token;
                }
            }

            return stream;
        }

        public ValueTask<bool> MoveNextAsync()
        {
            if (_state == Reading && !_endAfterCurrent)
            {
                AgentOSEvent? e;
                try
                {
                    _idle!.Waiting();
                    e = TryParse();
                }
                catch (Exception ex)
                {
                    return FailAsync(Translate(ex));
                }

                if (e is not null)
                {
                    var failure = Accept(e);
                    return failure is null ? new ValueTask<bool>(true) : FailAsync(failure);
                }
            }

            return MoveNextSlowAsync();
        }

        private AgentOSEvent? TryParse()
            => _frames!.TryNext(out var type, out var data) ? _parse!(type, data) : null;

        private async ValueTask<bool> MoveNextSlowAsync()
        {
            if (_state == Done)
            {
                return false;
            }

            if (_state == New)
            {
                await StartAsync().ConfigureAwait(false);
            }

            if (_endAfterCurrent)
            {
                return await EndAsync().ConfigureAwait(false);
            }

            AgentOSEvent? e;
            try
            {
                _idle!.Waiting();
                while ((e = TryParse()) is null && !_frames!.Eof)
                {
                    _idle.Token.ThrowIfCancellationRequested();
                    int read = await _body!.ReadAsync(_frames.GetReadBuffer(), _idle.Token).ConfigureAwait(false);
                    _frames.Advance(read);
                }
            }
            catch (Exception ex)
            {
                return await FailAsync(Translate(ex)).ConfigureAwait(false);
            }

            if (e is null)
            {
                return await EndAsync().ConfigureAwait(false);
            }

            var failure = Accept(e);
            return failure is null || await FailAsync(failure).ConfigureAwait(false);
        }

        private async Task StartAsync()
        {
            _state = Reading;
            try
            {
                _telemetry = request.StartTelemetry();
                _content = request.CreateContent();
                _timer = CallTimer.Rent(request.Context.Time, _token);
                try
                {
                    _response = await request.SendAsync(_content, _timer, _token).ConfigureAwait(false);
                }
                catch (Exception ex) when (Report(_telemetry, ex))
                {
                    throw; // not reached: Report returns false
                }
                finally
                {
                    _content?.Dispose();
                    _content = null;
                }

                if (_timer.Connection is { } connection || request.Context.IdleTimeout == Timeout.InfiniteTimeSpan)
                {
                    connection = _timer.Connection;
                    _timer.Return();
                    _timer = null;
                    _idle = new IdleTimer(null, _token);
                    if (connection is not null && request.Context.IdleTimeout != Timeout.InfiniteTimeSpan)
                    {
                        _idle.StartOnWheel(IdleWheel.For(request.Context.Time), connection, request.Context.IdleTimeout);
                    }
                }
                else
                {
                    _timer.StartIdle(request.Context.IdleTimeout);
                    _idle = new IdleTimer(_timer, _timer.Token);
                }

                try
                {
                    _rawBody = await AgentOSPipeline.OpenBodyAsync(_response.Content, _idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!_token.IsCancellationRequested)
                {
                    throw Reported(_telemetry, IdleTimeout(request.Context, ex, null, null, null, 0));
                }
                catch (Exception ex) when (Report(_telemetry, ex))
                {
                    throw;
                }

                _body = _idle.Watch(_rawBody);
                _frames = new SseFrameReader(request.Context.MaxEventSize);
                _parse = request.Parse ?? new EventDecoderState().Parse;
            }
            catch
            {
                await CleanupAsync(finished: false).ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>The exception the caller gets for a failed read or decode (reported to the telemetry).</summary>
        private Exception Translate(Exception ex)
        {
            var context = request.Context;
            switch (ex)
            {
                case OperationCanceledException when !_token.IsCancellationRequested:
                    return Reported(_telemetry, IdleTimeout(context, ex, _runId, _sessionId, _lastIndex, _count));
                case EventTooLargeException:
                    return Reported(_telemetry, new AgentOSProtocolException(
                        $"The stream of {context.Method} {context.Path} sent more than {context.MaxEventSize} bytes without completing an event, after {_count} event(s) (AgentOSClientOptions.MaxStreamEventSize).", ex)
                    {
                        Method = context.Method,
                        RequestPath = context.Path,
                    });
                case IOException or HttpRequestException or InvalidDataException:
                    LogInterrupted(request.Logger, context.Method, context.Path, _count);
                    return Reported(_telemetry, Interrupted(context, $"The stream of {context.Method} {context.Path} broke after {_count} event(s), before the run finished: {ex.Message}", ex, _runId, _sessionId, _lastIndex, _count));
                default:
                    return Reported(_telemetry, ex);
            }
        }

        /// <summary>Takes a decoded event: null when it is handed over, else the exception that ends the stream.</summary>
        private Exception? Accept(AgentOSEvent e)
        {
            // an event already buffered is not handed over once the caller has cancelled
            if (_token.IsCancellationRequested)
            {
                return Reported(_telemetry, new OperationCanceledException(_token));
            }

            var context = request.Context;
            _idle!.Arrived();
            _count++;
            if (e.EventIndex is { } index)
            {
                _lastIndex = index;
            }

            if (e.Scope == context.Scope && !e.IsNested)
            {
                _runId ??= e.RunId;
                _sessionId ??= e.SessionId;
                switch (e)
                {
                    case RunErrorEvent error:
                        return Reported(_telemetry, AgentOSRunFailedException.FromErrorEvent(error, context.Method, context.Path, _runId, _sessionId));
                    case RunCompletedEvent or RunPausedEvent or RunCancelledEvent:
                        _terminal = true;
                        break;
                }
            }
            else if (e is StreamExpiredEvent expired)
            {
                // agno 3.x: the server cannot deliver the rest of this stream: hand the frame over, then end as
                // an interruption (resumable: it carries the run id)
                _runId ??= expired.RunId;
                _expiredStatus = expired.Status ?? "unknown";
                _endAfterCurrent = true;
            }
            else if (e is ResumeErrorEvent resumeError)
            {
                return Reported(_telemetry, ErrorFrame(context, resumeError, _runId, _sessionId, _lastIndex, _count));
            }

            _telemetry?.Observe(e, context.Scope);
            Current = e;
            return null;
        }

        private async ValueTask<bool> EndAsync()
        {
            var context = request.Context;
            if (!_terminal && (context.RequireTerminal || _expiredStatus is not null))
            {
                LogInterrupted(request.Logger, context.Method, context.Path, _count);
                return await FailAsync(Reported(_telemetry, Interrupted(context, _expiredStatus is null
                    ? $"The stream of {context.Method} {context.Path} ended after {_count} event(s) before the run finished (no completed, paused, cancelled or error event)."
                    : $"The stream of {context.Method} {context.Path} expired on the server after {_count} event(s) (stream_expired, run status {_expiredStatus}): resume it or poll the run.",
                    null, _runId, _sessionId, _lastIndex, _count))).ConfigureAwait(false);
            }

            await CleanupAsync(finished: true).ConfigureAwait(false);
            return false;
        }

        private async ValueTask<bool> FailAsync(Exception exception)
        {
            await CleanupAsync(finished: false).ConfigureAwait(false);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
            return false; // not reached
        }

        private async ValueTask CleanupAsync(bool finished)
        {
            if (_state == Done)
            {
                return;
            }

            _state = Done;
            try
            {
                if (_rawBody is { } body)
                {
                    _rawBody = null;
                    await body.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _frames?.Dispose();
                _frames = null;
                _response?.Dispose();
                _content?.Dispose();
                _idle?.Stop();
                _timer?.Return();
                _timer = null;
                if (!finished)
                {
                    // an exception, or a caller that stopped reading: the run's outcome is unknown here
                    _telemetry?.Incomplete();
                }

                _telemetry?.Dispose();
                _linked?.Dispose();
            }
        }

        public ValueTask DisposeAsync() => _state == Done ? default : CleanupAsync(finished: false);
    }

    /// <summary>A stream whose answer has already arrived (agno-go's streams, benchmarks).</summary>
    private sealed class AnsweredRequest(HttpResponseMessage response) : StreamRequest
    {
        public override HttpContent? CreateContent() => null;

        public override ValueTask<HttpResponseMessage> SendAsync(HttpContent? content, CallTimer timer, CancellationToken cancellationToken) => new(response);
    }

    /// <summary>Tells the run's telemetry about the exception the caller gets; false, so that it can be an exception filter.</summary>
    private static bool Report(RunTelemetry? telemetry, Exception exception)
    {
        telemetry?.Fail(exception);
        return false;
    }

    private static Exception Reported(RunTelemetry? telemetry, Exception exception)
    {
        telemetry?.Fail(exception);
        return exception;
    }

    /// <summary>A stream that ended or broke before the run finished: where it was, and the index to resume from.</summary>
    internal static AgentOSStreamInterruptedException Interrupted(StreamContext context, string message, Exception? inner, string? runId, string? sessionId, int? lastIndex, int count, string? detail = null) =>
        new(message, inner)
        {
            Detail = detail,
            Method = context.Method,
            RequestPath = context.Path,
            RunId = runId,
            SessionId = sessionId,
            LastEventIndex = lastIndex,
            EventsReceived = count,
        };

    /// <summary>
    /// The exception for an <c>error</c> control frame. agno sends three kinds (2.9 and 3.x router code): the run is in
    /// neither the buffer nor the database (<c>Run ... not found in buffer or database</c>: not found); the run's event
    /// stream died while the run goes on (3.x <c>stream tail failed: ...</c>: an interruption, resumable by the run id and
    /// last index); the server's event stream or database failed (<c>event stream unavailable</c>, <c>Failed to fetch run
    /// from database</c>: a server error).
    /// </summary>
    internal static AgentOSException ErrorFrame(StreamContext context, ResumeErrorEvent frame, string? runId, string? sessionId, int? lastIndex, int count)
    {
        var text = frame.Error ?? "no error text";
        runId ??= frame.RunId;
        if (text.StartsWith("stream tail failed", StringComparison.OrdinalIgnoreCase))
        {
            return Interrupted(context, $"The stream of {context.Method} {context.Path} broke on the server after {count} event(s) ({text}): resume it or poll the run.", null, runId, sessionId, lastIndex, count, detail: text);
        }

        if (text.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            return new AgentOSNotFoundException($"The run's stream cannot be resumed: {text}")
            {
                Detail = text,
                Method = context.Method,
                RequestPath = context.Path,
            };
        }

        return new AgentOSServerException($"The server could not deliver the run's stream: {text}")
        {
            Detail = text,
            Method = context.Method,
            RequestPath = context.Path,
        };
    }

    /// <summary>
    /// The stream's idle timeout: the token is cancelled, or the connection aborted, once the server has been silent for
    /// the timeout while the reader waits for it. Silence is measured from the last byte received (a long event trickled
    /// in, or <c>: keepalive</c> comments, count as activity), and only while the reader waits: while the caller processes
    /// an event (between <see cref="Arrived"/> and the next <see cref="Waiting"/>) the clock is held, so a slow consumer is
    /// never taken for a silent server. Reads and events only record times. Two ways to time out: on the client's own
    /// handler the stream is an entry of its clock's <see cref="IdleWheel"/> (one timer for all streams), whose firing
    /// aborts the stream's connection, and the failed read is reported as the timeout; on another transport, the idle
    /// phase of the stream's <see cref="CallTimer"/>, whose token the reads take. Time comes from the client's
    /// <see cref="TimeProvider"/>. It is also the body's view that records every byte received as activity (one object
    /// per stream for all of this), and the awaitable of its pending read (no state machine per read: the reader never
    /// has two reads pending). The event size limit is the framer's (<see cref="SseFrameReader"/>), which counts one
    /// event's bytes, not those read ahead.
    /// </summary>
    internal sealed class IdleTimer(CallTimer? timer, CancellationToken token) : Stream, IValueTaskSource<int>
    {
        private readonly bool _timed = timer is not null && timer.IsIdleArmed;
        private Stream? _inner;
        private ManualResetValueTaskSourceCore<int> _read;
        private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pending;
        private Action? _completed;

        // on the wheel (StartOnWheel): its list links (under the wheel's lock), the stream's times in the wheel's units
        private IdleWheel? _wheel;
        private TrackedConnectionStream? _connection;
        private long _timeoutTicks;
        private long _lastActivity;
        private int _waiting;
        private volatile bool _timedOut;

        internal IdleTimer? Next;
        internal IdleTimer? Prev;
        internal bool Listed;

        public CancellationToken Token => token;

        /// <summary>Whether the wheel found the stream silent for its timeout (its connection was aborted).</summary>
        public bool TimedOut => _timedOut;

        /// <summary>Times the stream on the clock's wheel from now (the reader waits for the first event).</summary>
        public void StartOnWheel(IdleWheel wheel, TrackedConnectionStream connection, TimeSpan timeout)
        {
            _connection = connection;
            _timeoutTicks = wheel.Ticks(timeout);
            _lastActivity = wheel.Now();
            _waiting = 1;
            _wheel = wheel;
            wheel.Add(this);
        }

        /// <summary>The stream ended: off the wheel.</summary>
        public void Stop() => _wheel?.Remove(this);

        /// <summary>The earliest time (wheel units) the stream can have been silent for its timeout.</summary>
        internal long DueAt(long now)
            => Volatile.Read(ref _waiting) == 1 ? Volatile.Read(ref _lastActivity) + _timeoutTicks : now + _timeoutTicks;

        /// <summary>Whether the stream has been silent, waiting, for its whole timeout; else when to look again.</summary>
        internal bool Expired(long now, out long due)
        {
            // a held clock (the caller has the event) is looked at again a whole timeout later: Waiting restarts it later still
            due = DueAt(now);
            return Volatile.Read(ref _waiting) == 1 && now >= due;
        }

        /// <summary>
        /// The wheel found the stream silent: its pending read fails (the connection is closed) and is reported as the
        /// timeout. The wheel takes a stream off when its body ends (<see cref="Seen"/>), but a timeout that falls in the
        /// instant between the handler reading a body's last chunk (and pooling the connection) and that read returning
        /// here can still abort a pooled connection: it is retired, so the pool's probe drops it, and a request that takes
        /// it first fails before sending a byte, which the pipeline sends again on a new connection.
        /// </summary>
        internal void Fire()
        {
            _timedOut = true;
            _connection?.Abort();
        }

        /// <summary>Wraps the body so that every byte received counts as activity.</summary>
        public Stream Watch(Stream body)
        {
            _inner = body;
            return this;
        }

        /// <summary>The reader starts waiting for the server: the silence is counted from now.</summary>
        public void Waiting()
        {
            if (_wheel is { } wheel)
            {
                // the time first: the wheel reads the flag, then the time
                Volatile.Write(ref _lastActivity, wheel.Now());
                Volatile.Write(ref _waiting, 1);
            }
            else if (_timed)
            {
                timer!.Waiting();
            }
        }

        /// <summary>An event arrived: the caller holds it, and the clock stops until the next <see cref="Waiting"/>.</summary>
        public void Arrived()
        {
            if (_wheel is not null)
            {
                Volatile.Write(ref _waiting, 0);
            }
            else if (_timed)
            {
                timer!.Arrived();
            }
        }

        private int Seen(int read)
        {
            if (read > 0)
            {
                if (_wheel is { } wheel)
                {
                    Volatile.Write(ref _lastActivity, wheel.Now());
                }
                else if (_timed)
                {
                    timer!.Activity();
                }
            }
            else if (_timedOut)
            {
                // the aborted connection's reads find the end
                throw TimeoutFailure(null);
            }
            else
            {
                // the body ended: its connection may already be back in the pool, so the wheel must not abort it any more
                Stop();
            }

            return read;
        }

        /// <summary>A read that failed because the wheel aborted the connection, as a cancellation (the reader reports the timeout).</summary>
        private static OperationCanceledException TimeoutFailure(Exception? inner)
            => new("The stream was silent for its idle timeout: its connection was closed.", inner);

        private Stream Inner => _inner ?? throw new InvalidOperationException("No body to read.");

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return Inner.Read(buffer);
            }

            int read;
            try
            {
                read = Inner.Read(buffer);
            }
            catch (Exception ex) when (_timedOut && ex is not OperationCanceledException)
            {
                throw TimeoutFailure(ex);
            }

            return Seen(read);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return Inner.ReadAsync(buffer, cancellationToken); // not a read of the body (Seen takes 0 for its end)
            }

            ValueTask<int> read;
            try
            {
                read = Inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (_timedOut && ex is not OperationCanceledException)
            {
                throw TimeoutFailure(ex);
            }

            if (read.IsCompletedSuccessfully)
            {
#pragma warning disable VSTHRD002 // completed: the result is read, nothing waits
                return new ValueTask<int>(Seen(read.Result));
#pragma warning restore VSTHRD002
            }

            _read.Reset();
            _pending = read.ConfigureAwait(false).GetAwaiter();
            _pending.UnsafeOnCompleted(_completed ??= ReadCompleted);
            return new ValueTask<int>(this, _read.Version);
        }

        private void ReadCompleted()
        {
            var pending = _pending;
            _pending = default;
            int read;
            try
            {
#pragma warning disable VSTHRD002 // called once the read completed: the result is read, nothing waits
                read = Seen(pending.GetResult());
#pragma warning restore VSTHRD002
            }
            catch (Exception ex)
            {
                _read.SetException(_timedOut && ex is not OperationCanceledException ? TimeoutFailure(ex) : ex);
                return;
            }

            _read.SetResult(read);
        }

        int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

        void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _read.OnCompleted(continuation, state, token, flags);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner?.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => _inner?.DisposeAsync() ?? default;
    }

    private static AgentOSTimeoutException IdleTimeout(StreamContext context, Exception inner, string? runId, string? sessionId, int? lastIndex, int count)
        => new($"The stream of {context.Method} {context.Path} was silent for {context.IdleTimeout.TotalSeconds:0.###} s after {count} event(s) (AgentOSClientOptions.StreamIdleTimeout).", inner)
        {
            Method = context.Method,
            RequestPath = context.Path,
            Timeout = context.IdleTimeout,
            RunId = runId,
            SessionId = sessionId,
            LastEventIndex = lastIndex,
        };

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "AgentOS stream {Method} {Path} ended early after {Count} events")]
    private static partial void LogInterrupted(ILogger logger, string method, string path, int count);
}
