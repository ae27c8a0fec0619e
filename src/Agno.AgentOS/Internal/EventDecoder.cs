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
    public static AgentOSEvent Decode(string eventType, ReadOnlySpan<byte> data, EventDecoderState? state = null)
    {
        string name = eventType;
        if (name.Length == 0 || name == "message")
        {
            // No "event:" line: the name is the JSON's "event" field.
            name = ReadEventName(data) ?? "message";
        }

        try
        {
            var typeInfo = TypeOf(name, state);

            // The events are read directly, with the serializer's result (see FastEventReader), which checks every
            // byte it keeps as UTF-8; anything unusual goes through the serializer, after the check the JSON readers
            // leave out (they do not look inside strings until they are read as text).
            var fast = typeInfo is null ? null : FastEventReader.TryRead(data, typeInfo, name, state);
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

    /// <summary>The last strings, one slot per field of <see cref="FastEventReader"/>.</summary>
    public string?[] Strings { get; } = new string?[FastEventReader.FieldCount];

    /// <summary>The (unescaped) UTF-8 bytes each of <see cref="Strings"/> was decoded from.</summary>
    public byte[]?[] StringBytes { get; } = new byte[]?[FastEventReader.FieldCount];

    /// <summary>The last numeric <c>created_at</c> (unix seconds) and its time; <see cref="CreatedAt"/> null until one was read.</summary>
    public long CreatedSeconds { get; set; }

    /// <summary>The time of <see cref="CreatedSeconds"/>.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The parser of the stream's SSE items.</summary>
    public AgentOSEvent Parse(string eventType, ReadOnlySpan<byte> data) => EventDecoder.Decode(eventType, data, this);
}

/// <summary>
/// The fast path of <see cref="EventDecoder"/> for the flat events that make up most of a stream —
/// <see cref="RunContentEvent"/> (hundreds per answer), <see cref="RunStartedEvent"/>, <see cref="ModelRequestStartedEvent"/>,
/// <see cref="ModelRequestCompletedEvent"/>, <see cref="RunContentCompletedEvent"/> — in one pass of a
/// <see cref="Utf8JsonReader"/> over their usual shape (the base fields and the type's own string, number and bool
/// fields), reusing the strings the stream's previous events already decoded (<see cref="EventDecoderState"/>). It gives
/// up (returns null) on anything else: a property it does not read (<c>step_index</c>, the JSON-valued fields, a field
/// of another type, an unknown field for the extension data), an escaped property name, a token of another type than
/// the usual one (a number in a string, structured content), malformed JSON. The serializer then decodes the event as
/// before, so the result — or the error — is always the serializer's.
/// </summary>
internal static class FastEventReader
{
    /// <summary>The slots of the repeated strings (the string fields come before the numbers).</summary>
    public const int FieldCount = (int)Field.ModelProvider + 1;

    /// <summary>The JSON-valued fields read here (<see cref="EventDecoderState.JsonOf"/> keeps their last values first).</summary>
    public const int JsonFieldCount = 2;

    private static readonly JsonTypeInfo RunContent = AgentOSJsonContext.Default.RunContentEvent;
    private static readonly JsonTypeInfo RunStarted = AgentOSJsonContext.Default.RunStartedEvent;
    private static readonly JsonTypeInfo ModelRequestStarted = AgentOSJsonContext.Default.ModelRequestStartedEvent;
    private static readonly JsonTypeInfo ModelRequestCompleted = AgentOSJsonContext.Default.ModelRequestCompletedEvent;
    private static readonly JsonTypeInfo RunContentCompleted = AgentOSJsonContext.Default.RunContentCompletedEvent;

    private enum Field
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

        // RunContentEvent
        Content,
        ContentType,
        ReasoningContent,
        WorkflowAgent,

        // RunStartedEvent, ModelRequestStartedEvent, ModelRequestCompletedEvent
        Model,
        ModelProvider,

        // ModelRequestCompletedEvent
        InputTokens,
        OutputTokens,
        TotalTokens,
        TimeToFirstToken,
        ReasoningTokens,
        CacheReadTokens,
        CacheWriteTokens,

        // RunContentEvent's JSON-valued fields real providers send on every delta (provider data) or often (citations)
        ModelProviderData,
        Citations,

        Count,
    }

    /// <summary>Reads the event, or returns null to leave it to the serializer.</summary>
    /// <param name="data">The event's JSON.</param>
    /// <param name="typeInfo">The type its name maps to.</param>
    /// <param name="eventName">The SSE event name (usually the same string as the JSON's <c>event</c>).</param>
    /// <param name="state">The stream's decoder state, or null.</param>
    public static AgentOSEvent? TryRead(ReadOnlySpan<byte> data, JsonTypeInfo typeInfo, string eventName, EventDecoderState? state)
    {
        var shape = state is null ? EventShape.For(typeInfo) : state.ShapeOf(typeInfo);
        if (shape is null)
        {
            return null;
        }

        AgentOSEvent e;
        if (ReferenceEquals(typeInfo, RunContent))
        {
            e = new RunContentEvent();
        }
        else if (ReferenceEquals(typeInfo, RunStarted))
        {
            e = new RunStartedEvent();
        }
        else if (ReferenceEquals(typeInfo, ModelRequestStarted))
        {
            e = new ModelRequestStartedEvent();
        }
        else if (ReferenceEquals(typeInfo, ModelRequestCompleted))
        {
            e = new ModelRequestCompletedEvent();
        }
        else if (ReferenceEquals(typeInfo, RunContentCompleted))
        {
            e = new RunContentCompletedEvent();
        }
        else if (typeInfo.CreateObject!() is AgentOSEvent created)
        {
            e = created;
        }
        else
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (true)
            {
                if (!reader.Read())
                {
                    return null;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueIsEscaped)
                {
                    return null;
                }

                var name = reader.ValueSpan;
                var field = FieldOf(name);
                if (!reader.Read())
                {
                    return null;
                }

                if ((field == Field.Other || !ReadField(ref reader, data, field, e, eventName, state)) && !ReadProperty(ref reader, data, shape, name, e, state))
                {
                    return null;
                }
            }

            // Only whitespace may follow (a second value throws, like the serializer).
            return reader.Read() ? null : e;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or OverflowException or NotSupportedException)
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

        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            throw new JsonException("The event data is not valid UTF-8.");
        }

        var value = new Utf8JsonReader(raw);
        last = new EventDecoderState.RepeatedJson(raw.ToArray(), JsonElement.ParseValue(ref value));
    }

    private static Field FieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        5 when name.SequenceEqual("event"u8) => Field.Event,
        5 when name.SequenceEqual("model"u8) => Field.Model,
        6 when name.SequenceEqual("run_id"u8) => Field.RunId,
        7 when name.SequenceEqual("content"u8) => Field.Content,
        7 when name.SequenceEqual("team_id"u8) => Field.TeamId,
        7 when name.SequenceEqual("step_id"u8) => Field.StepId,
        8 when name.SequenceEqual("agent_id"u8) => Field.AgentId,
        9 when name.SequenceEqual("team_name"u8) => Field.TeamName,
        9 when name.SequenceEqual("step_name"u8) => Field.StepName,
        9 when name.SequenceEqual("citations"u8) => Field.Citations,
        10 when name.SequenceEqual("created_at"u8) => Field.CreatedAt,
        10 when name.SequenceEqual("session_id"u8) => Field.SessionId,
        10 when name.SequenceEqual("agent_name"u8) => Field.AgentName,
        11 when name.SequenceEqual("workflow_id"u8) => Field.WorkflowId,
        11 when name.SequenceEqual("event_index"u8) => Field.EventIndex,
        12 when name.SequenceEqual("nested_depth"u8) => Field.NestedDepth,
        12 when name.SequenceEqual("content_type"u8) => Field.ContentType,
        12 when name.SequenceEqual("input_tokens"u8) => Field.InputTokens,
        12 when name.SequenceEqual("total_tokens"u8) => Field.TotalTokens,
        13 when name.SequenceEqual("parent_run_id"u8) => Field.ParentRunId,
        13 when name.SequenceEqual("workflow_name"u8) => Field.WorkflowName,
        13 when name.SequenceEqual("output_tokens"u8) => Field.OutputTokens,
        14 when name.SequenceEqual("workflow_agent"u8) => Field.WorkflowAgent,
        14 when name.SequenceEqual("parent_step_id"u8) => Field.ParentStepId,
        14 when name.SequenceEqual("model_provider"u8) => Field.ModelProvider,
        15 when name.SequenceEqual("workflow_run_id"u8) => Field.WorkflowRunId,
        16 when name.SequenceEqual("reasoning_tokens"u8) => Field.ReasoningTokens,
        17 when name.SequenceEqual("reasoning_content"u8) => Field.ReasoningContent,
        17 when name.SequenceEqual("cache_read_tokens"u8) => Field.CacheReadTokens,
        18 when name.SequenceEqual("cache_write_tokens"u8) => Field.CacheWriteTokens,
        19 when name.SequenceEqual("time_to_first_token"u8) => Field.TimeToFirstToken,
        19 when name.SequenceEqual("model_provider_data"u8) => Field.ModelProviderData,

        // step_index, the other JSON-valued fields (image, references, ...) and unknown fields (the extension data)
        _ => Field.Other,
    };

    private static bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, Field field, AgentOSEvent e, string eventName, EventDecoderState? state)
    {
        var token = reader.TokenType;
        switch (field)
        {
            case Field.ModelProviderData or Field.Citations:
                // An object or array on a content delta, within a stream; null, another token or another event type
                // goes through the property's contract.
                if (e is not RunContentEvent delta || state is null || token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    return false;
                }

                ref var last = ref state.JsonOf(field == Field.ModelProviderData ? 0 : 1);
                SharedJson(ref reader, data, ref last);
                if (field == Field.ModelProviderData)
                {
                    delta.ModelProviderData = last!.Element;
                }
                else
                {
                    delta.Citations = last!.Element;
                }

                return true;
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
                switch (token)
                {
                    case JsonTokenType.Null:
                        e.CreatedAt = null;
                        return true;
                    case JsonTokenType.Number:
                        // usually the stream's previous time again
                        if (state is null || !reader.TryGetInt64(out long unix))
                        {
                            e.CreatedAt = UnixOrIsoDateTimeOffsetConverter.ReadValue(ref reader);
                        }
                        else if (unix == state.CreatedSeconds && state.CreatedAt is { } previous)
                        {
                            e.CreatedAt = previous;
                        }
                        else
                        {
                            e.CreatedAt = state.CreatedAt = UnixOrIsoDateTimeOffsetConverter.ReadValue(ref reader);
                            state.CreatedSeconds = unix;
                        }

                        return true;
                    default:
                        return false;
                }

            case Field.NestedDepth:
                if (token != JsonTokenType.Number || !reader.TryGetInt32(out int depth))
                {
                    return false;
                }

                e.NestedDepth = depth;
                return true;
            case Field.EventIndex:
                if (!ReadInt32(ref reader, out int? index))
                {
                    return false;
                }

                e.EventIndex = index;
                return true;
            case Field.WorkflowAgent:
                if (e is not RunContentEvent content || token is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                {
                    return false;
                }

                content.WorkflowAgent = token == JsonTokenType.Null ? null : token == JsonTokenType.True;
                return true;
            case Field.InputTokens or Field.OutputTokens or Field.TotalTokens or Field.ReasoningTokens or Field.CacheReadTokens or Field.CacheWriteTokens:
                return e is ModelRequestCompletedEvent tokens && ReadInt64(ref reader, out long? count) && SetTokens(tokens, field, count);
            case Field.TimeToFirstToken:
                if (e is not ModelRequestCompletedEvent timing || !ReadDouble(ref reader, out double? seconds))
                {
                    return false;
                }

                timing.TimeToFirstToken = seconds;
                return true;
        }

        // The string fields: a string or null. For content, ContentTextConverter would turn an object, array,
        // number or bool into its JSON text: left to the serializer.
        string? value;
        if (token == JsonTokenType.Null)
        {
            value = null;
        }
        else if (token != JsonTokenType.String)
        {
            return false;
        }
        else
        {
            value = field is Field.Content or Field.ReasoningContent || state is null
                ? reader.GetString()
                : Repeated(ref reader, ref state.Strings[(int)field], ref state.StringBytes[(int)field]);
        }

        return SetString(e, field, value);
    }

    private static bool SetString(AgentOSEvent e, Field field, string? value)
    {
        switch (field)
        {
            case Field.RunId: e.RunId = value; return true;
            case Field.ParentRunId: e.ParentRunId = value; return true;
            case Field.SessionId: e.SessionId = value; return true;
            case Field.AgentId: e.AgentId = value; return true;
            case Field.AgentName: e.AgentName = value; return true;
            case Field.TeamId: e.TeamId = value; return true;
            case Field.TeamName: e.TeamName = value; return true;
            case Field.WorkflowId: e.WorkflowId = value; return true;
            case Field.WorkflowName: e.WorkflowName = value; return true;
            case Field.WorkflowRunId: e.WorkflowRunId = value; return true;
            case Field.StepId: e.StepId = value; return true;
            case Field.StepName: e.StepName = value; return true;
            case Field.ParentStepId: e.ParentStepId = value; return true;
        }

        switch (e)
        {
            case RunContentEvent c when field == Field.Content: c.Content = value; return true;
            case RunContentEvent c when field == Field.ContentType: c.ContentType = value; return true;
            case RunContentEvent c when field == Field.ReasoningContent: c.ReasoningContent = value; return true;
            case RunStartedEvent r when field == Field.Model: r.Model = value; return true;
            case RunStartedEvent r when field == Field.ModelProvider: r.ModelProvider = value; return true;
            case ModelRequestStartedEvent m when field == Field.Model: m.Model = value; return true;
            case ModelRequestStartedEvent m when field == Field.ModelProvider: m.ModelProvider = value; return true;
            case ModelRequestCompletedEvent m when field == Field.Model: m.Model = value; return true;
            case ModelRequestCompletedEvent m when field == Field.ModelProvider: m.ModelProvider = value; return true;
            default: return false; // a field of another event type: the extension data, left to the serializer
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

    private static bool ReadInt32(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int v))
        {
            return false;
        }

        value = v;
        return true;
    }

    private static bool ReadInt64(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v))
        {
            return false;
        }

        value = v;
        return true;
    }

    private static bool ReadDouble(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double v))
        {
            return false;
        }

        value = v;
        return true;
    }

    /// <summary>The string of the current token: the stream's previous value of the field when the (unescaped) bytes are the same.</summary>
    private static string Repeated(ref Utf8JsonReader reader, ref string? last, ref byte[]? lastBytes)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!; // rare: not kept
        }

        var bytes = reader.ValueSpan; // one segment: the reader reads one span
        if (last is not null && bytes.SequenceEqual(lastBytes))
        {
            return last;
        }

        string text = reader.GetString()!; // checks the bytes as UTF-8: equal bytes later are the same valid text
        lastBytes = bytes.ToArray();
        return last = text;
    }
}
