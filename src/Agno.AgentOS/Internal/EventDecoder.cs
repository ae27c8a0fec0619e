using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

/// <summary>Turns one SSE item (event name + JSON data) into a typed event.</summary>
internal static class EventDecoder
{
    private const int ExcerptLength = 200;

    /// <summary>Decodes an event.</summary>
    /// <param name="eventType">The SSE event name (empty or <c>message</c> when the item had no <c>event:</c> line).</param>
    /// <param name="data">The JSON data.</param>
    /// <param name="state">The stream's decoder state (what the previous events of the same stream repeat), or null.</param>
    public static AgentOSEvent Decode(string eventType, ReadOnlySpan<byte> data, EventDecoderState? state = null) => Decode(eventType, data, state, DecodePath.ByHand);

    /// <summary>Decodes an event along a chosen path (the tests compare the paths: each must give the same event or error).</summary>
    /// <param name="eventType">The SSE event name.</param>
    /// <param name="data">The JSON data.</param>
    /// <param name="state">The stream's decoder state, or null.</param>
    /// <param name="path">How far the fast readers are tried before the serializer.</param>
    internal static AgentOSEvent Decode(string eventType, ReadOnlySpan<byte> data, EventDecoderState? state, DecodePath path)
    {
        string name = eventType;
        if (name.Length == 0 || name == "message")
        {
            // No "event:" line: the name is the JSON's "event" field.
            name = ReadEventName(data) ?? "message";
        }

        // The usual events are read by hand, without their types' contracts (EventKind): the name's kind and scope by one
        // switch, the fields by one pass. Anything else goes on below, exactly as if the hand reader had not looked.
        var scope = EventScope.Unknown;
        var kind = path == DecodePath.ByHand ? KindOf(name, state, out scope) : EventKind.None;
        if (kind != EventKind.None && FastEventReader.TryRead(data, kind, name, state) is { } known)
        {
            if (string.IsNullOrEmpty(known.Event))
            {
                known.Event = name; // absent or empty in the data: the SSE name
            }

            if (ReferenceEquals(known.Event, name))
            {
                known.SetScope(scope);
            }
            else
            {
                known.CacheScope(state); // the JSON names another event than the SSE line
            }

            return known;
        }

        try
        {
            var typeInfo = TypeOf(name, state);

            // The events are read directly, with the serializer's result (see FastEventReader), which checks every
            // byte it keeps as UTF-8; anything unusual goes through the serializer, after the check the JSON readers
            // leave out (they do not look inside strings until they are read as text).
            var fast = typeInfo is null || path == DecodePath.Serializer ? null : FastEventReader.TryRead(data, typeInfo, name, state);
            if (fast is null && !System.Text.Unicode.Utf8.IsValid(data))
            {
                throw new JsonException("The event data is not valid UTF-8.");
            }

            if (typeInfo is not null)
            {
                var ev = fast
                    ?? (AgentOSEvent?)JsonSerializer.Deserialize(data, typeInfo)
                    ?? throw new JsonException("The event data is null.");
                if (string.IsNullOrEmpty(ev.Event))
                {
                    ev.Event = name; // absent, empty or null in the data: the SSE name
                }

                ev.CacheScope(state);
                return ev;
            }

            if (name == "WorkflowRunOutput")
            {
                var output = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.WorkflowRunOutput)
                    ?? throw new JsonException("The event data is null.");
                return new WorkflowRunOutputEvent
                {
                    Event = name,
                    Output = output,
                    RunId = output.RunId,
                    SessionId = output.SessionId,
                    WorkflowId = output.WorkflowId,
                    WorkflowName = output.WorkflowName,
                    ParentRunId = output.ParentRunId,
                    CreatedAt = output.CreatedAt,
                };
            }

            var unknown = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.UnknownEvent)
                ?? throw new JsonException("The event data is null.");
            unknown.Event = name;
            unknown.RawJson = Encoding.UTF8.GetString(data);
            return unknown;
        }
        catch (JsonException ex) when (!JsonFailure.IsValueError(ex) && TryRecover(name, data, state, ex) is { } recovered)
        {
            return recovered; // a field of an unexpected shape, left out (TolerantEvents)
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            var malformed = new MalformedEvent { Event = name, RawData = Encoding.UTF8.GetString(data), Error = ex.Message };
            malformed.SetScope(EventScope.Unknown);
            return malformed;
        }
    }

    private static AgentOSEvent? TryRecover(string name, ReadOnlySpan<byte> data, EventDecoderState? state, JsonException failure)
    {
        try
        {
            return TolerantEvents.TryRecover(name, data, state, failure);
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return null;
        }
    }

    /// <summary>The hand-read kind of an event name and its scope; the stream's previous name is not looked up again.</summary>
    private static EventKind KindOf(string name, EventDecoderState? state, out EventScope scope)
    {
        if (state is null)
        {
            return EventKinds.Of(name, out scope);
        }

        if (!ReferenceEquals(state.LastKindName, name) && !string.Equals(state.LastKindName, name, StringComparison.Ordinal))
        {
            state.LastKind = EventKinds.Of(name, out var found);
            state.LastKindScope = found;
            state.LastKindName = name;
        }

        scope = state.LastKindScope;
        return state.LastKind;
    }

    /// <summary>The type of an event name (null: not a typed event); the stream's previous name is not looked up again.</summary>
    private static JsonTypeInfo? TypeOf(string name, EventDecoderState? state)
    {
        if (state is null)
        {
            return EventNames.Types.GetValueOrDefault(name);
        }

        if (!string.Equals(state.LastName, name, StringComparison.Ordinal))
        {
            state.LastType = EventNames.Types.GetValueOrDefault(name);
            state.LastName = name;
        }

        return state.LastType;
    }

    private static string? ReadEventName(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isEvent = reader.ValueTextEquals("event"u8);
                reader.Read();
                if (isEvent && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            // Decode reports the malformed JSON.
        }

        return null;
    }

    internal static string Excerpt(ReadOnlySpan<byte> data)
    {
        var slice = data.Length > ExcerptLength ? data[..ExcerptLength] : data;
        string text = Encoding.UTF8.GetString(slice);
        return data.Length > ExcerptLength ? text + "…" : text;
    }
}


/// <summary>The paths of <see cref="EventDecoder"/>: each gives the same event (or the same error) for the same data.</summary>
internal enum DecodePath
{
    /// <summary>The hand reader for the kinds of <see cref="EventKind"/>, then the contract's reader, then the serializer (what streams use).</summary>
    ByHand,

    /// <summary>The contract's reader (<see cref="FastEventReader"/> with the type's <see cref="EventShape"/>), then the serializer.</summary>
    Contract,

    /// <summary>The serializer alone (with the tolerant recovery of a failed field, as on every path).</summary>
    Serializer,
}

/// <summary>
/// What one stream's events repeat, kept by its reader between events (one stream is decoded by one reader at a time,
/// so nothing here is shared between threads): the last event name with its type and scope, and the last value of each
/// identifier (run, session, agent, team, workflow, step ids and names), so an identifier equal to the previous
/// event's is not decoded into a new string again.
/// </summary>
internal sealed class EventDecoderState
{
    public string? LastName { get; set; }

    public JsonTypeInfo? LastType { get; set; }

    public string? LastScopeName { get; set; }

    /// <summary>The last name looked up by <see cref="EventKinds.Of"/>, with its kind and scope.</summary>
    public string? LastKindName { get; set; }

    public EventKind LastKind { get; set; }

    public EventScope LastKindScope { get; set; }

    public EventScope LastScope { get; set; }

    private JsonTypeInfo? _shapeType;
    private EventShape? _shape;

    /// <summary>The shape of an event type (the stream's last one kept).</summary>
    public EventShape? ShapeOf(JsonTypeInfo typeInfo)
    {
        if (!ReferenceEquals(_shapeType, typeInfo))
        {
            _shape = EventShape.For(typeInfo);
            _shapeType = typeInfo;
        }

        return _shape;
    }

    private RepeatedJson?[]? _json;

    /// <summary>
    /// The stream's last value of a JSON-valued field: by index, the fast path's own JSON fields first
    /// (<see cref="FastEventReader.JsonFieldCount"/>), then the property contracts' (<see cref="EventShape.Slot.Index"/>).
    /// </summary>
    public ref RepeatedJson? JsonOf(int index)
    {
        var all = _json;
        if (all is null || index >= all.Length)
        {
            Array.Resize(ref _json, Math.Max(index + 1, FastEventReader.JsonFieldCount + 4));
            all = _json;
        }

        return ref all[index];
    }

    /// <summary>A JSON-valued field's last value in a stream: its bytes, the element parsed from them and, for a property contract's setter, the element boxed.</summary>
    internal sealed class RepeatedJson(byte[] raw, JsonElement element)
    {
        public byte[] Raw { get; } = raw;

        public JsonElement Element { get; } = element;

        public object? Boxed { get; set; }
    }

    /// <summary>
    /// The last strings, one slot per field of <see cref="FastEventReader"/>. An event's bytes are compared with the
    /// string itself (no copy of its UTF-8 bytes is kept: an open stream holds only the strings its event holds anyway).
    /// </summary>
    public string?[] Strings { get; } = new string?[FastEventReader.FieldCount];

    /// <summary>The last numeric <c>created_at</c> (unix seconds) and its time; <see cref="CreatedAt"/> null until one was read.</summary>
    public long CreatedSeconds { get; set; }

    /// <summary>The time of <see cref="CreatedSeconds"/>.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The parser of the stream's SSE items.</summary>
    public AgentOSEvent Parse(string eventType, ReadOnlySpan<byte> data) => EventDecoder.Decode(eventType, data, this);
}

/// <summary>
/// The fast path of <see cref="EventDecoder"/>: one pass of a <see cref="Utf8JsonReader"/> over an event's usual shape,
/// reusing the strings and JSON values the stream's previous events already decoded (<see cref="EventDecoderState"/>).
/// Two entries:
/// <list type="bullet">
/// <item>By hand (<see cref="TryRead(ReadOnlySpan{byte}, EventKind, string, EventDecoderState?)"/>): the event types of
/// <see cref="EventKind"/> — the content deltas, the started, model request, content completed and completed events,
/// reasoning, hooks, errors — created with <c>new</c> and filled field by field, without their serializer contract (a
/// process's first stream does not build the metadata of these types). It gives up (returns null) on any field it does
/// not read: a field of another type or an unknown one (the extension data), an escaped property name, a token of another
/// type than the usual one (a number in a string, structured content), malformed JSON.</item>
/// <item>By the type's contract (<see cref="TryRead(ReadOnlySpan{byte}, JsonTypeInfo, string, EventDecoderState?)"/>,
/// what <see cref="EventDecoder"/> tries after the hand reader gave up, or for any other type): the same fields, and every
/// other property through its own contract (<see cref="EventShape"/>) or into the extension data. It gives up on the
/// rest (an escaped property name, a property the shape cannot read, malformed JSON).</item>
/// </list>
/// The serializer then decodes the event as before, so the result — or the error — is always the serializer's.
/// </summary>
internal static class FastEventReader
{
    /// <summary>The slots of the repeated strings (the string fields that repeat between a stream's events come first).</summary>
    public const int FieldCount = (int)Field.ModelProvider + 1;

    /// <summary>The JSON-valued fields read here (<see cref="EventDecoderState.JsonOf"/> keeps their last values first).</summary>
    public const int JsonFieldCount = Field.JsonEnd - Field.JsonStart;

    private enum Field : byte
    {
        Other,

        // AgentOSEvent
        Event,
        CreatedAt,
        NestedDepth,
        EventIndex,
        RunId,
        ParentRunId,
        SessionId,
        AgentId,
        AgentName,
        TeamId,
        TeamName,
        WorkflowId,
        WorkflowName,
        WorkflowRunId,
        StepId,
        StepName,
        ParentStepId,

        // The event types' own fields (Has says which type has which). Strings first: up to ModelProvider they keep
        // the stream's last value (but the content and reasoning deltas, which change on every event).
        Content,
        ContentType,
        ReasoningContent,
        Model,
        ModelProvider,
        Error,
        ErrorType,
        ErrorId,
        Reason,
        PreHookName,
        PostHookName,

        // numbers and flags
        WorkflowAgent,
        InputTokens,
        OutputTokens,
        TotalTokens,
        TimeToFirstToken,
        ReasoningTokens,
        CacheReadTokens,
        CacheWriteTokens,

        // objects
        Metrics,
        SessionState,
        Metadata,

        // JSON-valued (a JsonElement?): one slot each in EventDecoderState.JsonOf
        JsonStart,
        StepIndex = JsonStart, // a base field, every type's
        ModelProviderData,
        Citations,
        References,
        Image,
        ResponseAudio,
        AdditionalInput,
        ReasoningSteps,
        ReasoningMessages,
        Images,
        Videos,
        Audio,
        Files,
        StepExecutorRuns,
        AdditionalData,
        RunInput,
        Memories,
        SessionSummary,
        JsonEnd,
    }

    /// <summary>Reads an event of a hand-read kind without its contract, or returns null to leave it to the contract's reader and the serializer.</summary>
    /// <param name="data">The event's JSON.</param>
    /// <param name="kind">The kind its name maps to (<see cref="EventKinds.Of"/>).</param>
    /// <param name="eventName">The SSE event name (usually the same string as the JSON's <c>event</c>).</param>
    /// <param name="state">The stream's decoder state, or null.</param>
    public static AgentOSEvent? TryRead(ReadOnlySpan<byte> data, EventKind kind, string eventName, EventDecoderState? state)
        => EventKinds.Create(kind) is { } e ? Read(data, e, null, eventName, state) : null;

    /// <summary>Reads the event through its type's contract where the hand-read fields end, or returns null to leave it to the serializer.</summary>
    /// <param name="data">The event's JSON.</param>
    /// <param name="typeInfo">The type its name maps to.</param>
    /// <param name="eventName">The SSE event name (usually the same string as the JSON's <c>event</c>).</param>
    /// <param name="state">The stream's decoder state, or null.</param>
    public static AgentOSEvent? TryRead(ReadOnlySpan<byte> data, JsonTypeInfo typeInfo, string eventName, EventDecoderState? state)
    {
        var shape = state is null ? EventShape.For(typeInfo) : state.ShapeOf(typeInfo);
        return shape is not null && typeInfo.CreateObject!() is AgentOSEvent e ? Read(data, e, shape, eventName, state) : null;
    }

    /// <summary>One pass over the event's JSON into <paramref name="e"/>; without a shape, a field not read by hand gives up.</summary>
    private static AgentOSEvent? Read(ReadOnlySpan<byte> data, AgentOSEvent e, EventShape? shape, string eventName, EventDecoderState? state)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (true)
            {
                var step = Utf8Fields.Next(ref reader);
                if (step == Utf8Fields.Step.End)
                {
                    break;
                }

                if (step == Utf8Fields.Step.GiveUp)
                {
                    return null;
                }

                var name = reader.ValueSpan;
                var field = FieldOf(name);
                if (!reader.Read())
                {
                    return null;
                }

                if ((field == Field.Other || !ReadField(ref reader, data, field, e, eventName, state))
                    && (shape is null || !ReadProperty(ref reader, data, shape, name, e, state)))
                {
                    return null;
                }
            }

            // Only whitespace may follow (a second value throws, like the serializer).
            return reader.Read() ? null : e;
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return null;
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a property the hand-written fields do not cover as the serializer would: through the property's own
    /// contract (or the content-text converter), or into the extension data when the type does not model it. The bytes
    /// of a value kept as JSON (a <see cref="JsonElement"/>, a node, the extension data) are checked as UTF-8, as the
    /// serializer's caller does for the whole event (text values are checked as they are decoded).
    /// </summary>
    private static bool ReadProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, EventShape shape, ReadOnlySpan<byte> name, AgentOSEvent e, EventDecoderState? state)
    {
        long start = reader.TokenStartIndex;
        bool checkBytes;
        if (shape.Find(name) is { } slot)
        {
            if (!slot.Readable)
            {
                return false;
            }

            if (slot.IsJsonElement && state is not null && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                // A JSON-valued field (tool arguments, metrics details, ...) that repeats the stream's previous value
                // of the same field byte for byte shares its (immutable) element instead of parsing it again.
                ref var last = ref state.JsonOf(slot.Index);
                SharedJson(ref reader, data, ref last);
                last!.Boxed ??= slot.IsPlainJsonElement ? last.Element : (JsonElement?)last.Element; // a new value: boxed once

                slot.Property.Set!(e, last.Boxed);
                return true;
            }

            object? value = slot.TextConverter is { } text
                ? text.Read(ref reader, typeof(string), shape.TypeInfo.Options)
                : JsonSerializer.Deserialize(ref reader, slot.ValueType!);
            slot.Property.Set!(e, value);
            checkBytes = !slot.DecodesText;
        }
        else if (shape.Extension is { } extension)
        {
            string key = StrictUtf8.GetString(name);
            var bag = (Dictionary<string, JsonElement>?)extension.Get!(e);
            if (bag is null)
            {
                bag = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                extension.Set!(e, bag);
            }

            bag[key] = JsonElement.ParseValue(ref reader);
            checkBytes = true;
        }
        else
        {
            reader.Skip(); // not modelled and no extension data: ignored, as by the serializer
            return true;
        }

        return !checkBytes || System.Text.Unicode.Utf8.IsValid(data[(int)start..(int)reader.BytesConsumed]);
    }

    /// <summary>
    /// Reads a JSON object or array (the reader on its start) as an element, as the serializer does (the bytes checked as
    /// UTF-8, which <see cref="Utf8JsonReader"/> leaves out): the stream's previous value of the same field when the
    /// bytes repeat it, else a new element whose document holds a copy of exactly these bytes.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not valid UTF-8 (the fast path gives up).</exception>
    private static void SharedJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref EventDecoderState.RepeatedJson? last)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = data[start..(int)reader.BytesConsumed];
        if (last is not null && raw.SequenceEqual(last.Raw))
        {
            return;
        }

        Utf8Fields.CheckUtf8(raw);
        var value = new Utf8JsonReader(raw);
        last = new EventDecoderState.RepeatedJson(raw.ToArray(), JsonElement.ParseValue(ref value));
    }

    private static Field FieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        5 when name.SequenceEqual("event"u8) => Field.Event,
        5 when name.SequenceEqual("model"u8) => Field.Model,
        5 when name.SequenceEqual("error"u8) => Field.Error,
        5 when name.SequenceEqual("audio"u8) => Field.Audio,
        5 when name.SequenceEqual("files"u8) => Field.Files,
        5 when name.SequenceEqual("image"u8) => Field.Image,
        6 when name.SequenceEqual("run_id"u8) => Field.RunId,
        6 when name.SequenceEqual("images"u8) => Field.Images,
        6 when name.SequenceEqual("reason"u8) => Field.Reason,
        6 when name.SequenceEqual("videos"u8) => Field.Videos,
        7 when name.SequenceEqual("content"u8) => Field.Content,
        7 when name.SequenceEqual("metrics"u8) => Field.Metrics,
        7 when name.SequenceEqual("step_id"u8) => Field.StepId,
        7 when name.SequenceEqual("team_id"u8) => Field.TeamId,
        8 when name.SequenceEqual("agent_id"u8) => Field.AgentId,
        8 when name.SequenceEqual("error_id"u8) => Field.ErrorId,
        8 when name.SequenceEqual("memories"u8) => Field.Memories,
        8 when name.SequenceEqual("metadata"u8) => Field.Metadata,
        9 when name.SequenceEqual("citations"u8) => Field.Citations,
        9 when name.SequenceEqual("run_input"u8) => Field.RunInput,
        9 when name.SequenceEqual("step_name"u8) => Field.StepName,
        9 when name.SequenceEqual("team_name"u8) => Field.TeamName,
        10 when name.SequenceEqual("created_at"u8) => Field.CreatedAt,
        10 when name.SequenceEqual("step_index"u8) => Field.StepIndex,
        10 when name.SequenceEqual("session_id"u8) => Field.SessionId,
        10 when name.SequenceEqual("agent_name"u8) => Field.AgentName,
        10 when name.SequenceEqual("error_type"u8) => Field.ErrorType,
        10 when name.SequenceEqual("references"u8) => Field.References,
        11 when name.SequenceEqual("event_index"u8) => Field.EventIndex,
        11 when name.SequenceEqual("workflow_id"u8) => Field.WorkflowId,
        12 when name.SequenceEqual("nested_depth"u8) => Field.NestedDepth,
        12 when name.SequenceEqual("content_type"u8) => Field.ContentType,
        12 when name.SequenceEqual("input_tokens"u8) => Field.InputTokens,
        12 when name.SequenceEqual("total_tokens"u8) => Field.TotalTokens,
        13 when name.SequenceEqual("parent_run_id"u8) => Field.ParentRunId,
        13 when name.SequenceEqual("output_tokens"u8) => Field.OutputTokens,
        13 when name.SequenceEqual("session_state"u8) => Field.SessionState,
        13 when name.SequenceEqual("workflow_name"u8) => Field.WorkflowName,
        13 when name.SequenceEqual("pre_hook_name"u8) => Field.PreHookName,
        14 when name.SequenceEqual("model_provider"u8) => Field.ModelProvider,
        14 when name.SequenceEqual("workflow_agent"u8) => Field.WorkflowAgent,
        14 when name.SequenceEqual("parent_step_id"u8) => Field.ParentStepId,
        14 when name.SequenceEqual("post_hook_name"u8) => Field.PostHookName,
        14 when name.SequenceEqual("response_audio"u8) => Field.ResponseAudio,
        15 when name.SequenceEqual("workflow_run_id"u8) => Field.WorkflowRunId,
        15 when name.SequenceEqual("additional_data"u8) => Field.AdditionalData,
        15 when name.SequenceEqual("reasoning_steps"u8) => Field.ReasoningSteps,
        15 when name.SequenceEqual("session_summary"u8) => Field.SessionSummary,
        16 when name.SequenceEqual("reasoning_tokens"u8) => Field.ReasoningTokens,
        16 when name.SequenceEqual("additional_input"u8) => Field.AdditionalInput,
        17 when name.SequenceEqual("reasoning_content"u8) => Field.ReasoningContent,
        17 when name.SequenceEqual("cache_read_tokens"u8) => Field.CacheReadTokens,
        18 when name.SequenceEqual("cache_write_tokens"u8) => Field.CacheWriteTokens,
        18 when name.SequenceEqual("reasoning_messages"u8) => Field.ReasoningMessages,
        18 when name.SequenceEqual("step_executor_runs"u8) => Field.StepExecutorRuns,
        19 when name.SequenceEqual("time_to_first_token"u8) => Field.TimeToFirstToken,
        19 when name.SequenceEqual("model_provider_data"u8) => Field.ModelProviderData,

        // the fields of the other types and unknown fields (the extension data)
        _ => Field.Other,
    };

    /// <summary>Whether the event's type models an own field (the base fields are every type's).</summary>
    private static bool Has(AgentOSEvent e, Field f) => e switch
    {
        RunContentEvent => f is Field.Content or Field.ContentType or Field.ReasoningContent or Field.WorkflowAgent
            or Field.ModelProviderData or Field.Citations or Field.References or Field.Image or Field.ResponseAudio
            or Field.AdditionalInput or Field.ReasoningSteps or Field.ReasoningMessages,
        RunStartedEvent or ModelRequestStartedEvent => f is Field.Model or Field.ModelProvider,
        ModelRequestCompletedEvent => f is Field.Model or Field.ModelProvider or Field.InputTokens or Field.OutputTokens
            or Field.TotalTokens or Field.TimeToFirstToken or Field.ReasoningTokens or Field.CacheReadTokens or Field.CacheWriteTokens,
        RunCompletedEvent => f is Field.Content or Field.ContentType or Field.ReasoningContent or Field.Metrics
            or Field.SessionState or Field.Metadata or Field.Images or Field.Videos or Field.Audio or Field.Files
            or Field.ResponseAudio or Field.Citations or Field.References or Field.ReasoningSteps or Field.ReasoningMessages
            or Field.StepExecutorRuns,
        RunIntermediateContentEvent or ReasoningCompletedEvent => f is Field.Content or Field.ContentType,
        ReasoningStepEvent => f is Field.Content or Field.ContentType or Field.ReasoningContent,
        ReasoningContentDeltaEvent => f is Field.ReasoningContent,
        RunErrorEvent => f is Field.Content or Field.Error or Field.ErrorType or Field.ErrorId or Field.AdditionalData,
        RunCancelledEvent => f is Field.Reason or Field.Content,
        HookEvent => f is Field.PreHookName or Field.PostHookName or Field.RunInput,
        MemoryUpdateEvent => f is Field.Memories,
        SessionSummaryEvent => f is Field.SessionSummary,
        _ => false,
    };

    /// <summary>
    /// Reads a known field into the event; false, with the reader still on the value, when the event's type does not
    /// model it or the value is not of the usual token type (the shape's reader or the serializer reads it then).
    /// </summary>
    private static bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, Field field, AgentOSEvent e, string eventName, EventDecoderState? state)
    {
        if (field >= Field.Content && field != Field.StepIndex && !Has(e, field))
        {
            return false; // a field of another event type: the extension data
        }

        var token = reader.TokenType;
        switch (field)
        {
            case Field.Event:
                // A null event name is left to the serializer (the property is not nullable). Usually the JSON's name
                // is the SSE event name again: take that string.
                if (token != JsonTokenType.String)
                {
                    return false;
                }

                e.Event = !reader.ValueIsEscaped && Ascii.Equals(reader.ValueSpan, eventName) ? eventName : reader.GetString()!;
                return true;
            case Field.CreatedAt:
                if (token == JsonTokenType.Number && state is not null && reader.TryGetInt64(out long unix))
                {
                    // usually the stream's previous time again
                    if (unix != state.CreatedSeconds || state.CreatedAt is null)
                    {
                        state.CreatedAt = UnixOrIsoDateTimeOffsetConverter.ReadValue(ref reader);
                        state.CreatedSeconds = unix;
                    }

                    e.CreatedAt = state.CreatedAt;
                    return true;
                }

                if (!Utf8Fields.TimeOrNull(ref reader, out var time))
                {
                    return false;
                }

                e.CreatedAt = time;
                return true;
            case Field.NestedDepth:
                if (!Utf8Fields.Int32(ref reader, out int depth))
                {
                    return false;
                }

                e.NestedDepth = depth;
                return true;
            case Field.EventIndex:
                if (!Utf8Fields.Int32OrNull(ref reader, out int? index))
                {
                    return false;
                }

                e.EventIndex = index;
                return true;
            case Field.WorkflowAgent:
                if (!Utf8Fields.BoolOrNull(ref reader, out bool? flag))
                {
                    return false;
                }

                ((RunContentEvent)e).WorkflowAgent = flag;
                return true;
            case Field.InputTokens or Field.OutputTokens or Field.TotalTokens or Field.ReasoningTokens or Field.CacheReadTokens or Field.CacheWriteTokens:
                return Utf8Fields.Int64OrNull(ref reader, out long? count) && SetTokens((ModelRequestCompletedEvent)e, field, count);
            case Field.TimeToFirstToken:
                if (!Utf8Fields.DoubleOrNull(ref reader, out double? seconds))
                {
                    return false;
                }

                ((ModelRequestCompletedEvent)e).TimeToFirstToken = seconds;
                return true;
            case Field.Metrics:
                RunMetrics? metrics = null;
                if (token != JsonTokenType.Null)
                {
                    var start = reader;
                    if (token != JsonTokenType.StartObject || (metrics = Utf8Fields.Metrics(ref reader, data)) is null)
                    {
                        reader = start; // a field the hand reader does not read (e.g. a workflow's steps): the contract's
                        return false;
                    }
                }

                ((RunCompletedEvent)e).Metrics = metrics;
                return true;
            case Field.SessionState or Field.Metadata:
                if (!Utf8Fields.ObjectOrNull(ref reader, data, out var value))
                {
                    return false;
                }

                var completed = (RunCompletedEvent)e;
                if (field == Field.SessionState)
                {
                    completed.SessionState = value;
                }
                else
                {
                    completed.Metadata = value;
                }

                return true;
        }

        if (field >= Field.JsonStart)
        {
            SetJson(e, field, ReadElement(ref reader, data, state, field - Field.JsonStart));
            return true;
        }

        // The string fields: a string or null. For content, ContentTextConverter would turn an object, array,
        // number or bool into its JSON text: left to the serializer.
        string? text;
        if (token == JsonTokenType.String && state is not null && field <= Field.ModelProvider && field is not (Field.Content or Field.ReasoningContent))
        {
            text = Repeated(ref reader, ref state.Strings[(int)field]);
        }
        else if (!Utf8Fields.StringOrNull(ref reader, out text))
        {
            return false;
        }

        SetString(e, field, text);
        return true;
    }

    private static void SetString(AgentOSEvent e, Field field, string? value)
    {
        switch (field)
        {
            case Field.RunId: e.RunId = value; return;
            case Field.ParentRunId: e.ParentRunId = value; return;
            case Field.SessionId: e.SessionId = value; return;
            case Field.AgentId: e.AgentId = value; return;
            case Field.AgentName: e.AgentName = value; return;
            case Field.TeamId: e.TeamId = value; return;
            case Field.TeamName: e.TeamName = value; return;
            case Field.WorkflowId: e.WorkflowId = value; return;
            case Field.WorkflowName: e.WorkflowName = value; return;
            case Field.WorkflowRunId: e.WorkflowRunId = value; return;
            case Field.StepId: e.StepId = value; return;
            case Field.StepName: e.StepName = value; return;
            case Field.ParentStepId: e.ParentStepId = value; return;
        }

        switch (e)
        {
            case RunContentEvent c:
                if (field == Field.Content) { c.Content = value; } else if (field == Field.ContentType) { c.ContentType = value; } else { c.ReasoningContent = value; }
                return;
            case RunStartedEvent r:
                if (field == Field.Model) { r.Model = value; } else { r.ModelProvider = value; }
                return;
            case ModelRequestStartedEvent m:
                if (field == Field.Model) { m.Model = value; } else { m.ModelProvider = value; }
                return;
            case ModelRequestCompletedEvent m:
                if (field == Field.Model) { m.Model = value; } else { m.ModelProvider = value; }
                return;
            case RunCompletedEvent c:
                if (field == Field.Content) { c.Content = value; } else if (field == Field.ContentType) { c.ContentType = value; } else { c.ReasoningContent = value; }
                return;
            case RunIntermediateContentEvent c:
                if (field == Field.Content) { c.Content = value; } else { c.ContentType = value; }
                return;
            case ReasoningCompletedEvent c:
                if (field == Field.Content) { c.Content = value; } else { c.ContentType = value; }
                return;
            case ReasoningStepEvent c:
                if (field == Field.Content) { c.Content = value; } else if (field == Field.ContentType) { c.ContentType = value; } else { c.ReasoningContent = value; }
                return;
            case ReasoningContentDeltaEvent c:
                c.ReasoningContent = value;
                return;
            case RunErrorEvent r:
                switch (field)
                {
                    case Field.Content: r.Content = value; break;
                    case Field.Error: r.Error = value; break;
                    case Field.ErrorType: r.ErrorType = value; break;
                    default: r.ErrorId = value; break;
                }

                return;
            case RunCancelledEvent c:
                if (field == Field.Content) { c.Content = value; } else { c.Reason = value; }
                return;
            case HookEvent h:
                if (field == Field.PreHookName) { h.PreHookName = value; } else { h.PostHookName = value; }
                return;
        }
    }

    private static void SetJson(AgentOSEvent e, Field field, JsonElement? value)
    {
        if (field == Field.StepIndex)
        {
            e.StepIndex = value;
            return;
        }

        switch (e)
        {
            case RunContentEvent c:
                switch (field)
                {
                    case Field.ModelProviderData: c.ModelProviderData = value; break;
                    case Field.Citations: c.Citations = value; break;
                    case Field.References: c.References = value; break;
                    case Field.Image: c.Image = value; break;
                    case Field.ResponseAudio: c.ResponseAudio = value; break;
                    case Field.AdditionalInput: c.AdditionalInput = value; break;
                    case Field.ReasoningSteps: c.ReasoningSteps = value; break;
                    default: c.ReasoningMessages = value; break;
                }

                return;
            case RunCompletedEvent c:
                switch (field)
                {
                    case Field.Images: c.Images = value; break;
                    case Field.Videos: c.Videos = value; break;
                    case Field.Audio: c.Audio = value; break;
                    case Field.Files: c.Files = value; break;
                    case Field.ResponseAudio: c.ResponseAudio = value; break;
                    case Field.Citations: c.Citations = value; break;
                    case Field.References: c.References = value; break;
                    case Field.ReasoningSteps: c.ReasoningSteps = value; break;
                    case Field.ReasoningMessages: c.ReasoningMessages = value; break;
                    default: c.StepExecutorRuns = value; break;
                }

                return;
            case RunErrorEvent r: r.AdditionalData = value; return;
            case HookEvent h: h.RunInput = value; return;
            case MemoryUpdateEvent m: m.Memories = value; return;
            case SessionSummaryEvent s: s.SessionSummary = value; return;
        }
    }

    private static bool SetTokens(ModelRequestCompletedEvent e, Field field, long? count)
    {
        switch (field)
        {
            case Field.InputTokens: e.InputTokens = count; break;
            case Field.OutputTokens: e.OutputTokens = count; break;
            case Field.TotalTokens: e.TotalTokens = count; break;
            case Field.ReasoningTokens: e.ReasoningTokens = count; break;
            case Field.CacheReadTokens: e.CacheReadTokens = count; break;
            default: e.CacheWriteTokens = count; break;
        }

        return true;
    }

    /// <summary>
    /// Reads a JSON-valued field (a <see cref="JsonElement"/>?) as its contract does: null for a JSON null, else the
    /// value as an element, its bytes checked as UTF-8; an object or array within a stream is shared with the stream's
    /// previous value of the same field when the bytes repeat it (<paramref name="slot"/>: its <see cref="EventDecoderState.JsonOf"/> index).
    /// </summary>
    /// <exception cref="JsonException">The bytes are not valid UTF-8 (the fast path gives up).</exception>
    private static JsonElement? ReadElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, EventDecoderState? state, int slot)
    {
        if (state is not null && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            ref var last = ref state.JsonOf(slot);
            SharedJson(ref reader, data, ref last);
            return last!.Element;
        }

        return Utf8Fields.ElementOrNull(ref reader, data);
    }

    /// <summary>The string of the current token: the stream's previous value of the field when the (unescaped) bytes are the same.</summary>
    private static string Repeated(ref Utf8JsonReader reader, ref string? last)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!; // rare: not kept
        }

        var bytes = reader.ValueSpan; // one segment: the reader reads one span
        if (last is not null && SameText(bytes, last))
        {
            return last;
        }

        return last = reader.GetString()!;
    }

    /// <summary>Whether UTF-8 bytes are the text of a string (the usual ids and names are ASCII: compared as such).</summary>
    private static bool SameText(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length == text.Length)
        {
            // equal lengths: the same text only if both are ASCII (a non-ASCII character is 2-4 bytes), or it has none
            if (System.Text.Ascii.Equals(utf8, text))
            {
                return true;
            }

            if (System.Text.Ascii.IsValid(utf8))
            {
                return false;
            }
        }

        // non-ASCII text: at least one byte per character, and at most three per UTF-16 unit
        if (utf8.Length < text.Length || utf8.Length > text.Length * 3 || text.Length > 256)
        {
            return false;
        }

        Span<char> decoded = stackalloc char[256];
        return System.Text.Unicode.Utf8.ToUtf16(utf8, decoded, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done
            && decoded[..written].SequenceEqual(text.AsSpan());
    }
}
