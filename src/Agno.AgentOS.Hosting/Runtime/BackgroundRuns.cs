using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Background runs as AgentOS serves them: the run executes here, detached from the request that started it (202 and
/// polling, or a resumable stream whose events carry <c>event_index</c>), its events go to the
/// <see cref="IAgentOSRunEventStore"/>, and <c>/resume</c> replays, catches up and follows them.
/// </summary>
internal sealed partial class BackgroundRuns : IDisposable
{
    /// <summary>How often expired event streams are removed.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>The <c>: heartbeat</c> comment interval of a resume stream waiting for events (as AgentOS).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    private static readonly byte[] HeartbeatFrame = ": heartbeat\n\n"u8.ToArray();

    private readonly AgentOSRuntime _runtime;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _sweep;
    private int _sweeping;

    public BackgroundRuns(AgentOSRuntime runtime, IAgentOSRunEventStore events)
    {
        _runtime = runtime;
        Events = events;
        _sweep = runtime.Time.CreateTimer(_ => _ = SweepAsync(), null, SweepInterval, SweepInterval);
    }

    public IAgentOSRunEventStore Events { get; }

    /// <summary>Cancelled when the host stops: background runs end with it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Background runs executing in this process.</summary>
    public int ActiveCount => Volatile.Read(ref _active);

    private int _active;

    /// <summary>Removes the event streams idle for longer than the retention (also called by the timer).</summary>
    public async Task<int> SweepAsync()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return 0;
        }

        try
        {
            var retention = _runtime.Options.RunEventRetention;
            if (retention < TimeSpan.FromSeconds(1))
            {
                retention = TimeSpan.FromSeconds(1);
            }

            return await Events.PurgeAsync(_runtime.Time.GetUtcNow() - retention, _stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed sweep is logged and retried at the next tick
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_stopping.IsCancellationRequested)
            {
                LogSweepFailed(_runtime.Logger, ex);
            }

            return 0;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>Opens the event stream of a background stream run and returns the sink that numbers and stores its events.</summary>
    public async Task<IndexedEventSink> OpenAsync(AgentOSRunEventStream stream, CancellationToken cancellationToken)
    {
        await Events.OpenAsync(stream, cancellationToken).ConfigureAwait(false);
        return new IndexedEventSink(this, stream.RunId);
    }

    /// <summary>
    /// Runs <paramref name="body"/> detached from the request (it returns the run's final status); the event stream,
    /// if any, is finished with that status, <c>ERROR</c> when the body throws.
    /// </summary>
    public void Start(string runId, IndexedEventSink? sink, Func<Task<string>> body)
    {
        Interlocked.Increment(ref _active);
        _ = Task.Run(async () =>
        {
            string status = "ERROR";
            try
            {
                status = await body().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // nobody awaits a background run: its failure is logged and ends its stream
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogBackgroundRunFailed(_runtime.Logger, ex, runId);
            }
            finally
            {
                try
                {
                    if (sink is not null)
                    {
                        await Events.FinishAsync(runId, status, CancellationToken.None).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogEventStoreFailed(_runtime.Logger, ex, runId);
                }

                sink?.Detach(); // the starting client's stream ends once the stored stream is finished: a resume then replays

                Interlocked.Decrement(ref _active);
            }
        });
    }

    /// <summary>The 202 answer of a background run: <c>{run_id, session_id, status: "PENDING"}</c>.</summary>
    public static async Task AcceptedAsync(HttpContext context, string runId, string sessionId)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.ContentType = Wire.JsonContentType;
        await JsonSerializer.SerializeAsync(response.Body, new BackgroundRunAccepted(runId, sessionId, "PENDING"), BackgroundJsonContext.Default.BackgroundRunAccepted, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The stream of a background run to the client that started it: every event as the run emits it (straight from the
    /// sink, so the store's bound never costs this client an event), until the run ends or the client goes; the run goes on.
    /// </summary>
    public static async Task StreamAsync(HttpContext context, IndexedEventSink sink)
    {
        var writer = new FrameWriter(context);
        var reader = sink.Live;
        try
        {
            while (!writer.Broken && await reader.WaitToReadAsync(context.RequestAborted).ConfigureAwait(false))
            {
                while (!writer.Broken && reader.TryRead(out var e))
                {
                    await writer.EventAsync(e).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            sink.Detach();
        }
    }

    /// <summary><c>POST /{kind}/{id}/runs/{run_id}/resume</c> of a local component.</summary>
    public async Task ResumeAsync(HttpContext context, ComponentEntry entry, ComponentKind kind)
    {
        string runId = context.Route("run_id");
        IFormCollection form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
            : FormCollection.Empty;
        int? lastIndex = null;
        string? rawIndex = Last(form, "last_event_index");
        if (!string.IsNullOrEmpty(rawIndex))
        {
            if (!int.TryParse(rawIndex, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int parsed))
            {
                await Wire.WriteValidationAsync(context, Wire.BadInt("body", "last_event_index", rawIndex)).ConfigureAwait(false);
                return;
            }

            lastIndex = parsed;
        }

        string? sessionId = NullIfEmpty(Last(form, "session_id")) ?? NullIfEmpty(context.Query("session_id"));
        string? userId = NullIfEmpty(Last(form, "user_id")) ?? NullIfEmpty(context.Query("user_id"));
        int after = lastIndex ?? -1;
        var ct = context.RequestAborted;
        var writer = new FrameWriter(context);

        var slice = await Events.ReadAsync(runId, after, ct).ConfigureAwait(false);
        if (slice is not null && Matches(slice.Stream, entry, kind, userId))
        {
            if (slice.Stream.IsFinished)
            {
                string status = slice.Stream.Status!;
                await writer.MetaAsync("replay", new ResumeReplayFrame
                {
                    RunId = runId,
                    Status = status,
                    TotalEvents = slice.Events.Count,
                    TotalBuffered = slice.TotalEvents,
                    LastEventIndexRequested = after,
                    Message = $"Run {status}. Replaying {slice.Events.Count} missed events (of {slice.TotalEvents} total).",
                }, BackgroundJsonContext.Default.ResumeReplayFrame).ConfigureAwait(false);
                foreach (var e in slice.Events)
                {
                    await writer.EventAsync(e).ConfigureAwait(false);
                }

                return;
            }

            int last = after;
            if (slice.Events.Count > 0)
            {
                await writer.MetaAsync("catch_up", new ResumeCatchUpFrame
                {
                    RunId = runId,
                    MissedEvents = slice.Events.Count,
                    CurrentEventCount = slice.TotalEvents,
                    Message = $"Catching up on {slice.Events.Count} missed events.",
                }, BackgroundJsonContext.Default.ResumeCatchUpFrame).ConfigureAwait(false);
                foreach (var e in slice.Events)
                {
                    await writer.EventAsync(e).ConfigureAwait(false);
                    last = e.Index;
                }
            }

            await writer.MetaAsync("subscribed", new ResumeSubscribedFrame
            {
                RunId = runId,
                CurrentEventCount = slice.TotalEvents,
                Message = $"Subscribed to {KindName(kind)} run. Receiving live events.",
            }, BackgroundJsonContext.Default.ResumeSubscribedFrame).ConfigureAwait(false);
            await PumpAsync(writer, runId, last, heartbeat: true, ct).ConfigureAwait(false);
            return;
        }

        // Not (or no longer) in the event store: the stored run's events, from the session store.
        var stored = await StoredRunAsync(sessionId, runId, userId, kind, entry.Id, ct).ConfigureAwait(false);
        if (stored is null)
        {
            await writer.MetaAsync("error", new ResumeErrorFrame { Error = $"Run {runId} not found in buffer or database" }, BackgroundJsonContext.Default.ResumeErrorFrame).ConfigureAwait(false);
            return;
        }

        string storedStatus = (stored.Status ?? RunStatus.Completed).Value;
        var events = (JsonSerializer.Deserialize(stored.OutputUtf8.Span, BackgroundJsonContext.Default.StoredRunEvents)?.Events ?? [])
            .Where(e => e.ValueKind == JsonValueKind.Object).ToList();
        if (events.Count == 0)
        {
            await writer.MetaAsync("replay", new ResumeReplayFrame
            {
                RunId = runId,
                Status = storedStatus,
                TotalEvents = 0,
                Message = "Run completed but no events stored.",
            }, BackgroundJsonContext.Default.ResumeReplayFrame).ConfigureAwait(false);
            return;
        }

        // agno 2.9 numbers stored events from 0; agno 3.x keeps the index each event was stored with.
        var numbered = new List<AgentOSRunEvent>(events.Count);
        for (int i = 0; i < events.Count; i++)
        {
            int index = _runtime.Options.SpeaksAgno3 && events[i].TryGetProperty("event_index"u8, out var kept) && kept.ValueKind == JsonValueKind.Number && kept.TryGetInt64(out long keptIndex) ? (int)keptIndex : i;
            if (index > after)
            {
                numbered.Add(IndexedEventSink.FromStored(events[i], index, runId));
            }
        }

        await writer.MetaAsync("replay", new ResumeReplayFrame
        {
            RunId = runId,
            Status = storedStatus,
            TotalEvents = numbered.Count,
            TotalBuffered = events.Count,
            LastEventIndexRequested = after,
            Message = $"Run {storedStatus}. Replaying {numbered.Count} events from the database.",
        }, BackgroundJsonContext.Default.ResumeReplayFrame).ConfigureAwait(false);
        foreach (var e in numbered)
        {
            await writer.EventAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a stored event stream is the run of this component, visible to the caller's user.</summary>
    private static bool Matches(AgentOSRunEventStream stream, ComponentEntry entry, ComponentKind kind, string? userId)
        => stream.ComponentId == entry.Id
            && stream.ComponentKind == KindName(kind)
            && (userId is null || stream.UserId is null || stream.UserId == userId);

    private async Task<AgentOSStoredRun?> StoredRunAsync(string? sessionId, string runId, string? userId, ComponentKind kind, string componentId, CancellationToken ct)
    {
        if (sessionId is null)
        {
            return null;
        }

        var session = await _runtime.SessionForRunAsync(sessionId, userId, ct).ConfigureAwait(false);
        var run = session is null ? null : await _runtime.Store.GetRunAsync(sessionId, runId, ct).ConfigureAwait(false);
        return run is not null && run.IdOf(RunEndpoints.ComponentKey(kind)) == componentId ? run : null;
    }

    /// <summary>Writes the stream's events after <paramref name="after"/> as they come, until the run finishes.</summary>
    private async Task PumpAsync(FrameWriter writer, string runId, int after, bool heartbeat, CancellationToken ct)
    {
        int last = after;
        while (!writer.Broken)
        {
            var slice = await Events.ReadAsync(runId, last, ct).ConfigureAwait(false);
            if (slice is null)
            {
                return;
            }

            foreach (var e in slice.Events)
            {
                await writer.EventAsync(e).ConfigureAwait(false);
                last = e.Index;
            }

            if (slice.Stream.IsFinished)
            {
                return;
            }

            if (!heartbeat)
            {
                await Events.WaitForEventsAsync(runId, last, ct).ConfigureAwait(false);
                continue;
            }

            using var round = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var news = Events.WaitForEventsAsync(runId, last, round.Token).AsTask();
            var beat = Task.Delay(HeartbeatInterval, _runtime.Time, round.Token);
            var first = await Task.WhenAny(news, beat).ConfigureAwait(false);
            await round.CancelAsync().ConfigureAwait(false);
            if (first == beat && beat.IsCompletedSuccessfully)
            {
                await writer.RawAsync(HeartbeatFrame).ConfigureAwait(false);
            }
            else
            {
                ct.ThrowIfCancellationRequested();
                await news.ConfigureAwait(false);
            }
        }
    }

    public static string KindName(ComponentKind kind) => kind switch
    {
        ComponentKind.Agent => "agent",
        ComponentKind.Team => "team",
        _ => "workflow",
    };

    private static string? Last(IFormCollection form, string name)
    {
        var values = form[name];
        return values.Count == 0 ? null : values[^1];
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public void Dispose()
    {
        _sweep.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "AgentOS background run {RunId} failed")]
    private static partial void LogBackgroundRunFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "AgentOS could not store an event of background run {RunId}")]
    internal static partial void LogEventStoreFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "AgentOS could not remove expired run event streams")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    /// <summary>
    /// Numbers a background run's events (<c>event_index</c> from 0, <c>run_id</c> added where the event has none, as
    /// AgentOS injects them) and appends them to the event store, in order.
    /// </summary>
    internal sealed class IndexedEventSink(BackgroundRuns owner, string runId) : IEventSink
    {
        private readonly SemaphoreSlim _order = new(1, 1);
        private readonly List<int> _storedIndexes = [];
        private readonly Channel<AgentOSRunEvent> _live = Channel.CreateUnbounded<AgentOSRunEvent>(new UnboundedChannelOptions { SingleReader = true });
        private volatile bool _detached;
        private int _next;
        private bool _failed;

        /// <summary>Always: the events go to the store whether or not anyone reads them now.</summary>
        public bool IsLive => true;

        /// <summary>The events for the client that started the run, until it goes (or the run ends).</summary>
        public ChannelReader<AgentOSRunEvent> Live => _live.Reader;

        /// <summary>Stops feeding <see cref="Live"/> (the client went, or the run ended).</summary>
        public void Detach()
        {
            _detached = true;
            _live.Writer.TryComplete();
        }

        public async ValueTask EmitAsync(HostEvent e)
        {
            await _order.WaitAsync().ConfigureAwait(false);
            try
            {
                int index = _next++;
                if (e.IsStored)
                {
                    lock (_storedIndexes)
                    {
                        _storedIndexes.Add(index);
                    }
                }

                var buffer = new ArrayBufferWriter<byte>(256);
                using (var writer = new Utf8JsonWriter(buffer, Wire.WriterOptions))
                {
                    e.WriteTo(writer);
                }

                bool hasRunId = e.Raw ? e.Payload?.ContainsKey("run_id") == true : !e.Minimal;
                var stamped = new AgentOSRunEvent(index, e.Name, Stamp(buffer.WrittenSpan, index, hasRunId ? null : runId));
                if (!_detached)
                {
                    _live.Writer.TryWrite(stamped);
                }

                await owner.Events.AppendAsync(runId, stamped, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the run goes on when its events cannot be stored (they are then not resumable)
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!_failed)
                {
                    _failed = true;
                    LogEventStoreFailed(owner._runtime.Logger, ex, runId);
                }
            }
            finally
            {
                _order.Release();
            }
        }

        /// <summary>agno 3.x keeps each stored event's <c>event_index</c>: stamps the stored run's events already sent.</summary>
        public void StampStoredEvents(List<JsonObject> events)
        {
            lock (_storedIndexes)
            {
                for (int i = 0; i < events.Count && i < _storedIndexes.Count; i++)
                {
                    if (!events[i].ContainsKey("event_index"))
                    {
                        events[i]["event_index"] = _storedIndexes[i];
                    }
                }
            }
        }

        /// <summary>A stored run's event, numbered for a replay.</summary>
        public static AgentOSRunEvent FromStored(JsonElement stored, int index, string runId)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            bool hasRunId = false;
            string? name = null;
            using (var writer = new Utf8JsonWriter(buffer, Wire.WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var property in stored.EnumerateObject())
                {
                    if (property.NameEquals("event_index"u8))
                    {
                        continue;
                    }

                    hasRunId |= property.NameEquals("run_id"u8);
                    if (property.NameEquals("event"u8) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        name = property.Value.GetString();
                    }

                    property.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            return new AgentOSRunEvent(index, name ?? "unknown", Stamp(buffer.WrittenSpan, index, hasRunId ? null : runId));
        }

        /// <summary>Appends <c>"event_index":N</c> (and <c>"run_id"</c>) to a compact JSON object.</summary>
        private static string Stamp(ReadOnlySpan<byte> json, int index, string? addRunId)
        {
            var text = new StringBuilder(json.Length + 48);
            text.Append(Encoding.UTF8.GetString(json[..^1]));
            if (json.Length > 2)
            {
                text.Append(',');
            }

            text.Append("\"event_index\":").Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (addRunId is not null)
            {
                text.Append(",\"run_id\":\"").Append(JsonEncodedText.Encode(addRunId, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Append('"');
            }

            return text.Append('}').ToString();
        }
    }

    /// <summary>Writes SSE frames of stored events and resume control frames, one flush each; stops when the client goes.</summary>
    private sealed class FrameWriter(HttpContext context)
    {
        private bool _started;

        public bool Broken { get; private set; }

        public Task EventAsync(AgentOSRunEvent e) => RawAsync(Encoding.UTF8.GetBytes($"event: {e.Name}\ndata: {e.Data}\n\n"));

        /// <summary>A control frame; its JSON is spaced as Python's <c>json.dumps</c> writes it (<c>", "</c>, <c>": "</c>), as AgentOS sends it.</summary>
        public Task MetaAsync<T>(string name, T frame, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        {
            byte[] compact = JsonSerializer.SerializeToUtf8Bytes(frame, type);
            return RawAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {PythonSpaced(compact)}\n\n"));
        }

        public async Task RawAsync(byte[] bytes)
        {
            if (Broken)
            {
                return;
            }

            try
            {
                if (!_started)
                {
                    _started = true;
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = Wire.EventStreamContentType;
                    context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                }

                var pipe = context.Response.BodyWriter;
                pipe.Write(bytes);
                var result = await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                Broken = result.IsCanceled || result.IsCompleted;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                Broken = true;
            }
        }

        /// <summary>Re-spaces a flat compact JSON object: <c>{"a": 1, "b": "x"}</c>.</summary>
        private static string PythonSpaced(byte[] compact)
        {
            var reader = new Utf8JsonReader(compact);
            var text = new StringBuilder(compact.Length + 32);
            bool first = true;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        text.Append('{');
                        break;
                    case JsonTokenType.EndObject:
                        text.Append('}');
                        break;
                    case JsonTokenType.PropertyName:
                        text.Append(first ? "\"" : ", \"").Append(Encoding.UTF8.GetString(reader.ValueSpan)).Append("\": ");
                        first = false;
                        break;
                    case JsonTokenType.String:
                        text.Append('"').Append(Encoding.UTF8.GetString(reader.ValueSpan)).Append('"');
                        break;
                    default:
                        text.Append(Encoding.UTF8.GetString(reader.ValueSpan));
                        break;
                }
            }

            return text.ToString();
        }
    }
}

/// <summary>The 202 body of a background run.</summary>
internal sealed record BackgroundRunAccepted(string RunId, string SessionId, string Status);

/// <summary>The <c>replay</c> control frame of a resume stream.</summary>
internal sealed class ResumeReplayFrame
{
    public string Event { get; } = "replay";

    public required string RunId { get; init; }

    public required string Status { get; init; }

    public int TotalEvents { get; init; }

    public int? TotalBuffered { get; init; }

    public int? LastEventIndexRequested { get; init; }

    public required string Message { get; init; }
}

/// <summary>The <c>catch_up</c> control frame of a resume stream.</summary>
internal sealed class ResumeCatchUpFrame
{
    public string Event { get; } = "catch_up";

    public required string RunId { get; init; }

    public string Status { get; } = "running";

    public int MissedEvents { get; init; }

    public int CurrentEventCount { get; init; }

    public required string Message { get; init; }
}

/// <summary>The <c>subscribed</c> control frame of a resume stream.</summary>
internal sealed class ResumeSubscribedFrame
{
    public string Event { get; } = "subscribed";

    public required string RunId { get; init; }

    public string Status { get; } = "running";

    public int CurrentEventCount { get; init; }

    public required string Message { get; init; }
}

/// <summary>The events of a stored run (its output's <c>events</c>; the rest of the output is skipped), replayed as they were stored.</summary>
internal sealed class StoredRunEvents
{
    public List<JsonElement>? Events { get; init; }
}

/// <summary>The <c>error</c> control frame of a resume stream.</summary>
internal sealed class ResumeErrorFrame
{
    public string Event { get; } = "error";

    public required string Error { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, IgnoreReadOnlyProperties = false)]
[JsonSerializable(typeof(BackgroundRunAccepted))]
[JsonSerializable(typeof(ResumeReplayFrame))]
[JsonSerializable(typeof(ResumeCatchUpFrame))]
[JsonSerializable(typeof(ResumeSubscribedFrame))]
[JsonSerializable(typeof(ResumeErrorFrame))]
[JsonSerializable(typeof(StoredRunEvents))]
internal sealed partial class BackgroundJsonContext : JsonSerializerContext
{
}
