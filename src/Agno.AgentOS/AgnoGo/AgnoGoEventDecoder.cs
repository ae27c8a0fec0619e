using System.Text;
using System.Text.Json;

namespace Agno.AgentOS.Internal.AgnoGo;

/// <summary>
/// Turns one agno-go SSE item (<c>event: run_start|token|reasoning|complete|error</c> + its JSON envelope) into the
/// library's typed events, so that everything above the client reads agno-go runs as agno runs:
/// <c>run_start</c> → <see cref="RunStartedEvent"/>; <c>token</c> → <see cref="RunContentEvent"/> whose content is the word
/// with the space agno-go dropped before it (every token but the first, index 0); <c>reasoning</c> →
/// <see cref="RunContentEvent"/> with <see cref="RunContentEvent.ReasoningContent"/>; <c>complete</c> →
/// <see cref="RunCompletedEvent"/> whose content is <c>output</c> (the exact text) and metrics its <c>usage</c> (or
/// <see cref="RunCancelledEvent"/> for <c>"status": "cancelled"</c>); <c>error</c> → <see cref="RunErrorEvent"/> with
/// <c>code</c> as <see cref="RunErrorEvent.ErrorType"/>. Other types are <see cref="UnknownEvent"/>s; an unreadable
/// <c>run_start</c>, <c>token</c> or <c>reasoning</c> is a <see cref="MalformedEvent"/> (the stream goes on, as for the
/// Python dialect), but an unreadable <c>complete</c> or <c>error</c> throws <see cref="AgentOSProtocolException"/>: the
/// run's outcome cannot be read. agno-go's own names and fields the typed events do not hold stay in
/// <see cref="AgentOSEvent.AdditionalProperties"/> (<c>agno_go_type</c>, <c>token</c>, <c>index</c>, <c>duration</c>, ...).
/// </summary>
internal sealed class AgnoGoEventDecoder(string method, string path)
{
    public const string TypeProperty = "agno_go_type";

    public AgentOSEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        string? sseName = eventType.Length == 0 || eventType == "message" ? null : eventType;
        GoEnvelope envelope;
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(data))
            {
                throw new JsonException("The event data is not valid UTF-8.");
            }

            envelope = JsonSerializer.Deserialize(data, AgnoGoJsonContext.Default.GoEnvelope) ?? throw new JsonException("The event data is null.");
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return Malformed(sseName ?? "message", data, ex);
        }

        string type = sseName ?? envelope.Type ?? "message";
        try
        {
            AgentOSEvent e = type switch
            {
                "run_start" => Start(envelope),
                "token" => Token(envelope),
                "reasoning" => Reasoning(envelope),
                "complete" => Complete(envelope),
                "error" => Error(envelope),
                _ => new UnknownEvent { Event = type, RawJson = Encoding.UTF8.GetString(data) },
            };
            e.RunId ??= envelope.RunContextId;
            e.SessionId ??= envelope.SessionId;
            e.AgentId ??= envelope.AgentId;
            e.CreatedAt ??= envelope.Timestamp;
            (e.AdditionalProperties ??= new(StringComparer.Ordinal))[TypeProperty] = TypeElement(type);
            return e;
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return Malformed(type, data, ex);
        }
    }

    // the JSON values of the five type names, made once (a token event must not cost a document for its name)
    private static readonly Dictionary<string, JsonElement> KnownTypes = new[] { "run_start", "token", "reasoning", "complete", "error" }
        .ToDictionary(t => t, t => JsonSerializer.SerializeToElement(t, AgnoGoJsonContext.Default.String), StringComparer.Ordinal);

    private static JsonElement TypeElement(string type)
        => KnownTypes.TryGetValue(type, out var known) ? known : JsonSerializer.SerializeToElement(type, AgnoGoJsonContext.Default.String);

    private AgentOSEvent Malformed(string type, ReadOnlySpan<byte> data, Exception ex)
    {
        if (type is "complete" or "error")
        {
            string excerpt = Encoding.UTF8.GetString(data.Length > 200 ? data[..200] : data);
            throw new AgentOSProtocolException($"The stream of {method} {path} sent an agno-go '{type}' event that cannot be read ({ex.Message}), so the run's outcome is unknown. Data starts with: {excerpt}", ex)
            {
                Method = method,
                RequestPath = path,
                ResponseBodyExcerpt = excerpt,
            };
        }

        var malformed = new MalformedEvent { Event = type, RawData = Encoding.UTF8.GetString(data), Error = ex.Message };
        malformed.SetScope(EventScope.Unknown);
        return malformed;
    }

    private static T Data<T>(GoEnvelope envelope, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
        where T : class
        => envelope.Data is { ValueKind: JsonValueKind.Object } d
            ? d.Deserialize(info) ?? throw new JsonException("The event's data is null.")
            : throw new JsonException($"The event's data is {(envelope.Data is { } v ? v.ValueKind.ToString().ToLowerInvariant() : "missing")}, not an object.");

    private static RunStartedEvent Start(GoEnvelope envelope)
    {
        var data = Data(envelope, AgnoGoJsonContext.Default.GoStartData);
        var e = new RunStartedEvent { Event = "RunStarted", SessionId = data.SessionId };
        Keep(e, envelope, "input", "media");
        return e;
    }

    private static RunContentEvent Token(GoEnvelope envelope)
    {
        var data = Data(envelope, AgnoGoJsonContext.Default.GoTokenData);
        string token = data.Token ?? throw new JsonException("The token event has no token.");
        var e = new RunContentEvent { Event = "RunContent", Content = data.Index is > 0 ? " " + token : token };
        Keep(e, envelope, "token", "index");
        return e;
    }

    private static RunContentEvent Reasoning(GoEnvelope envelope)
    {
        var data = Data(envelope, AgnoGoJsonContext.Default.GoReasoningData);
        var e = new RunContentEvent { Event = "RunContent", ReasoningContent = data.Content ?? data.RedactedContent ?? string.Empty };
        Keep(e, envelope, "token_count", "redacted_content", "message_index", "model", "provider");
        return e;
    }

    private static AgentOSEvent Complete(GoEnvelope envelope)
    {
        var data = Data(envelope, AgnoGoJsonContext.Default.GoCompleteData);
        if (string.Equals(data.Status, "cancelled", StringComparison.OrdinalIgnoreCase))
        {
            var cancelled = new RunCancelledEvent { Event = "RunCancelled", Reason = data.CancellationReason, Content = data.Output, RunId = data.RunId };
            Keep(cancelled, envelope, "duration", "status");
            return cancelled;
        }

        var e = new RunCompletedEvent
        {
            Event = "RunCompleted",
            Content = data.Output ?? string.Empty,
            ReasoningContent = data.Reasoning?.Content,
            Metrics = AgnoGoMapping.Metrics(data.Usage, data.Duration),
            RunId = data.RunId,
        };
        Keep(e, envelope, "duration", "token_count", "reasoning", "status", "cache_hit");
        return e;
    }

    private static RunErrorEvent Error(GoEnvelope envelope)
    {
        if (envelope.Data is null && envelope.Error is { ValueKind: JsonValueKind.String } marshal)
        {
            // the frame agno-go writes when it cannot marshal an event
            return new RunErrorEvent { Event = "RunError", Content = marshal.GetString() };
        }

        var data = Data(envelope, AgnoGoJsonContext.Default.GoErrorData);
        var e = new RunErrorEvent { Event = "RunError", Content = data.Error, ErrorType = data.Code, AdditionalData = data.Details };
        return e;
    }

    /// <summary>Keeps agno-go's own fields of the data that the typed event has no member for.</summary>
    private static void Keep(AgentOSEvent e, GoEnvelope envelope, params ReadOnlySpan<string> names)
    {
        if (envelope.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            return;
        }

        foreach (string name in names)
        {
            if (data.TryGetProperty(name, out var value))
            {
                (e.AdditionalProperties ??= new(StringComparer.Ordinal))[name] = value; // the data's own document, never disposed
            }
        }
    }
}
