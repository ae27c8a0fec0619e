using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Internal;

/// <summary>How a stream is read: which run is the top-level one, and whether it must end with a terminal event.</summary>
internal readonly record struct StreamContext(EventScope Scope, bool RequireTerminal, string Method, string Path, TimeSpan IdleTimeout);

/// <summary>
/// Reads an SSE response into typed events with <see cref="SseParser"/>. Ends the run's stream the way
/// the protocol ends it: a top-level error event throws <see cref="AgentOSRunFailedException"/>; a body
/// that ends before a completed, paused or cancelled event throws <see cref="AgentOSStreamInterruptedException"/>.
/// </summary>
internal static partial class EventStreamReader
{
    public static async IAsyncEnumerable<AgentOSEvent> ReadAsync(HttpResponseMessage response, StreamContext context, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = response;
        using var idle = new IdleTimer(context.IdleTimeout, cancellationToken);

        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw IdleTimeout(context, ex, null, null, null, 0);
        }

        await using var bodyScope = body.ConfigureAwait(false);
        var decoder = new EventDecoderState();
        var enumerator = SseParser.Create(body, decoder.Parse).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
        await using var enumeratorScope = enumerator.ConfigureAwait(false);

        bool terminal = false;
        int count = 0;
        string? runId = null;
        string? sessionId = null;
        int? lastIndex = null;
        while (true)
        {
            bool hasNext;
            try
            {
                idle.Waiting();
                hasNext = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw IdleTimeout(context, ex, runId, sessionId, lastIndex, count);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                LogInterrupted(logger, context.Method, context.Path, count);
                throw new AgentOSStreamInterruptedException(
                    $"The stream of {context.Method} {context.Path} broke after {count} event(s), before the run finished: {ex.Message}", ex)
                {
                    Method = context.Method,
                    RequestPath = context.Path,
                    RunId = runId,
                    SessionId = sessionId,
                    LastEventIndex = lastIndex,
                    EventsReceived = count,
                };
            }

            if (!hasNext)
            {
                break;
            }

            idle.Arrived();
            var e = enumerator.Current.Data;
            count++;
            if (e.EventIndex is { } index)
            {
                lastIndex = index;
            }

            bool own = e.Scope == context.Scope && !e.IsNested;
            if (own)
            {
                runId ??= e.RunId;
                sessionId ??= e.SessionId;
                switch (e)
                {
                    case RunErrorEvent error:
                        throw new AgentOSRunFailedException($"The run failed: {error.Message ?? "no message"}")
                        {
                            RunId = error.RunId ?? runId,
                            SessionId = error.SessionId ?? sessionId,
                            ErrorType = error.ErrorType,
                            ErrorId = error.ErrorId,
                            ErrorEvent = error,
                            Detail = error.Message,
                            Method = context.Method,
                            RequestPath = context.Path,
                        };
                    case RunCompletedEvent or RunPausedEvent or RunCancelledEvent:
                        terminal = true;
                        break;
                }
            }
            else if (e is ResumeErrorEvent resumeError)
            {
                throw new AgentOSNotFoundException($"The run's stream cannot be resumed: {resumeError.Error}")
                {
                    Detail = resumeError.Error,
                    Method = context.Method,
                    RequestPath = context.Path,
                };
            }

            yield return e;
        }

        if (!terminal && context.RequireTerminal)
        {
            LogInterrupted(logger, context.Method, context.Path, count);
            throw new AgentOSStreamInterruptedException(
                $"The stream of {context.Method} {context.Path} ended after {count} event(s) before the run finished (no completed, paused, cancelled or error event).")
            {
                Method = context.Method,
                RequestPath = context.Path,
                RunId = runId,
                SessionId = sessionId,
                LastEventIndex = lastIndex,
                EventsReceived = count,
            };
        }
    }

    /// <summary>
    /// The stream's idle timeout: cancels <see cref="Token"/> (linked to the caller's token) once the server has been
    /// silent for the timeout while the reader waits for it. Only the time spent waiting counts: while the caller
    /// processes an event (between <see cref="Arrived"/> and the next <see cref="Waiting"/>) the clock is held, so a
    /// slow consumer is never taken for a silent server. Events only record times; the timer, when it fires, cancels
    /// if the wait has lasted the whole timeout and otherwise waits for the rest of it (resetting a timer per event
    /// would take the timer queue's lock each time).
    /// </summary>
    private sealed class IdleTimer : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private readonly Timer? _timer;
        private readonly long _timeoutMs;
        private long _lastEvent;
        private int _waiting = 1;

        public IdleTimer(TimeSpan timeout, CancellationToken cancellationToken)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _timeoutMs = (long)timeout.TotalMilliseconds;
                _lastEvent = Environment.TickCount64;
                _timer = new Timer(static state => ((IdleTimer)state!).OnTimer(), this, timeout, Timeout.InfiniteTimeSpan);
            }
        }

        public CancellationToken Token => _cts.Token;

        /// <summary>The reader starts waiting for the server: the silence is counted from now.</summary>
        public void Waiting()
        {
            if (_timer is not null)
            {
                Volatile.Write(ref _lastEvent, Environment.TickCount64);
                Volatile.Write(ref _waiting, 1);
            }
        }

        /// <summary>An event arrived: the caller holds it, and the clock stops until the next <see cref="Waiting"/>.</summary>
        public void Arrived()
        {
            if (_timer is not null)
            {
                Volatile.Write(ref _waiting, 0);
            }
        }

        private void OnTimer()
        {
            bool waiting = Volatile.Read(ref _waiting) == 1;
            long silentFor = waiting ? Environment.TickCount64 - Volatile.Read(ref _lastEvent) : 0;
            try
            {
                if (waiting && silentFor >= _timeoutMs)
                {
                    _cts.Cancel();
                }
                else
                {
                    _timer!.Change(TimeSpan.FromMilliseconds(_timeoutMs - silentFor), Timeout.InfiniteTimeSpan);
                }
            }
            catch (ObjectDisposedException)
            {
                // the stream ended meanwhile
            }
        }

        public void Dispose()
        {
            _timer?.Dispose();
            _cts.Dispose();
        }
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
