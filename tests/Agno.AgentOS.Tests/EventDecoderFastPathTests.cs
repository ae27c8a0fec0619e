using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The decoder's fast path (FastEventReader) must give exactly what the serializer gives, and leave every shape it
/// does not read to the serializer; the idle timeout must count from the last event.
/// </summary>
public abstract class EventDecoderFastPathTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    private const string RunContent = """{"created_at":1795305470,"event":"RunContent","agent_id":"echo-agent","agent_name":"Echo Agent","run_id":"37c25b58-f49e-44be-8aa0-7cd15514d865","session_id":"f761e891-1422-4433-949b-be5672e2e3cd","nested_depth":0,"content":"Echo: ","workflow_agent":false,"content_type":"str","reasoning_content":""}""";

    [Fact]
    public void Every_recorded_event_read_by_the_fast_path_equals_the_serializers_result()
    {
        int fast = 0;
        int fastRunContent = 0;
        foreach (var (name, events) in RecordedEvents.Streams(Fixtures.Current))
        {
            var state = new EventDecoderState();
            foreach (var (type, data) in events)
            {
                string eventName = RecordedEvents.NameOf(type, data);
                if (EventNames.Types.GetValueOrDefault(eventName) is not { } typeInfo)
                {
                    continue;
                }

                var expected = (AgentOSEvent)JsonSerializer.Deserialize(data, typeInfo)!;
                var actual = FastEventReader.TryRead(data, typeInfo, eventName, state);
                if (actual is null)
                {
                    continue;
                }

                fast++;
                fastRunContent += actual is RunContentEvent ? 1 : 0;
                Assert.Equal(expected.GetType(), actual.GetType());
                Assert.Equal(JsonSerializer.Serialize(expected, typeInfo), JsonSerializer.Serialize(actual, typeInfo));
                Assert.Equal(expected.AdditionalProperties?.Keys, actual.AdditionalProperties?.Keys);
            }
        }

        // The recorded streams are mostly RunContent, started and model request events: the fast path reads them.
        Assert.True(fastRunContent >= 100, $"only {fastRunContent} RunContent events took the fast path");
        Assert.True(fast > fastRunContent, "no other event type took the fast path");
    }

    [Fact]
    public void Every_recorded_event_of_a_typed_name_takes_the_fast_path()
    {
        var left = new SortedSet<string>(StringComparer.Ordinal);
        int total = 0;
        foreach (var (name, events) in RecordedEvents.Streams(Fixtures.Current))
        {
            var state = new EventDecoderState();
            foreach (var (type, data) in events)
            {
                string eventName = RecordedEvents.NameOf(type, data);
                if (EventNames.Types.GetValueOrDefault(eventName) is { } typeInfo)
                {
                    total++;
                    if (FastEventReader.TryRead(data, typeInfo, eventName, state) is null)
                    {
                        left.Add($"{name}: {eventName}");
                    }
                }
            }
        }

        Assert.True(total > 300, $"only {total} typed events recorded");
        Assert.Empty(left);
    }

    [Fact]
    public void Every_event_of_the_recorded_agent_stream_takes_the_fast_path()
    {
        var state = new EventDecoderState();
        var names = new List<string>();
        foreach (var (type, data) in RecordedEvents.Items(Fixtures.Get("021").ResponseBody))
        {
            var typeInfo = EventNames.Types[type];
            if (FastEventReader.TryRead(data, typeInfo, type, state) is null)
            {
                names.Add(type);
            }
        }

        Assert.Empty(names);
    }

    [Theory]
    [InlineData("structured content", """{"event":"RunContent","content":{"answer":42},"content_type":"Answer"}""")]
    [InlineData("numeric content", """{"event":"RunContent","content":42}""")]
    [InlineData("a number in a string", """{"event":"RunContent","nested_depth":"1"}""")]
    [InlineData("an unknown field", """{"event":"RunContent","content":"x","brand_new_field":{"a":1}}""")]
    [InlineData("two unknown fields, one twice", """{"event":"RunContent","x":1,"y":[true],"x":"again"}""")]
    [InlineData("a JSON-valued field", """{"event":"RunContent","content":"x","citations":{"urls":[]}}""")]
    [InlineData("provider data on a delta", """{"event":"RunContent","content":"x","model_provider_data":{"id":"chatcmpl-1","system_fingerprint":"fp"}}""")]
    [InlineData("a step index", """{"event":"RunContent","content":"x","step_index":[0,1]}""")]
    [InlineData("a field of another event type", """{"event":"RunContent","content":"x","model":"m"}""")]
    [InlineData("an ISO timestamp", """{"event":"RunContent","created_at":"2026-11-21T23:57:50Z","content":"x"}""")]
    [InlineData("a null workflow flag", """{"event":"RunContent","content":"x","workflow_agent":null}""")]
    public void Shapes_beyond_the_usual_one_are_read_with_the_serializers_result(string why, string json)
    {
        byte[] data = Encoding.UTF8.GetBytes(json);
        var fast = FastEventReader.TryRead(data, AgentOSJsonContext.Default.RunContentEvent, "RunContent", new EventDecoderState());
        Assert.True(fast is not null, why);

        var expected = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.RunContentEvent)!;
        Assert.Equal(JsonSerializer.Serialize(expected, AgentOSJsonContext.Default.RunContentEvent), JsonSerializer.Serialize((RunContentEvent)fast, AgentOSJsonContext.Default.RunContentEvent));
        Assert.Equal(expected.AdditionalProperties?.Keys, fast.AdditionalProperties?.Keys);
    }

    [Theory]
    [InlineData("a tool call with its arguments", "ToolCallStarted", """{"event":"ToolCallStarted","run_id":"r","tool":{"tool_call_id":"c1","tool_name":"lookup","tool_args":{"q":"x"},"requires_confirmation":false},"model_provider_data":{"id":"x"}}""")]
    [InlineData("a completed run with metrics, messages and citations", "RunCompleted", """{"event":"RunCompleted","run_id":"r","content":"done","metrics":{"input_tokens":3,"details":{"model":[{"id":"m"}]}},"citations":{"urls":[{"url":"u"}]},"images":[{"id":"i","url":"http://x/i.png"}],"brand_new":1}""")]
    [InlineData("reasoning steps", "ReasoningStep", """{"event":"ReasoningStep","run_id":"r","content":{"title":"t"},"content_type":"ReasoningStep","reasoning_content":"think"}""")]
    public void Other_event_types_are_read_with_the_serializers_result(string why, string name, string json)
    {
        byte[] data = Encoding.UTF8.GetBytes(json);
        var typeInfo = EventNames.Types[name];
        var fast = FastEventReader.TryRead(data, typeInfo, name, new EventDecoderState());
        Assert.True(fast is not null, why);

        var expected = (AgentOSEvent)JsonSerializer.Deserialize(data, typeInfo)!;
        Assert.Equal(expected.GetType(), fast.GetType());
        Assert.Equal(JsonSerializer.Serialize(expected, typeInfo), JsonSerializer.Serialize(fast, typeInfo));
    }

    [Theory]
    [InlineData("an escaped property name", """{"event":"RunContent","\u0063ontent":"x"}""")]
    [InlineData("a fractional depth", """{"event":"RunContent","nested_depth":1.5}""")]
    [InlineData("a second JSON value", """{"event":"RunContent","content":"x"} {}""")]
    [InlineData("not an object", """["RunContent"]""")]
    [InlineData("truncated JSON", """{"event":"RunContent","content":"x""")]
    [InlineData("a null where a number is modelled", """{"event":"RunContent","content":"x","nested_depth":null}""")]
    public void Unusual_shapes_are_left_to_the_serializer(string why, string json)
    {
        byte[] data = Encoding.UTF8.GetBytes(json);
        Assert.True(FastEventReader.TryRead(data, AgentOSJsonContext.Default.RunContentEvent, "RunContent", new EventDecoderState()) is null, why);

        // ... and decoding gives the serializer's event; where the serializer fails on a field, the event without
        // that field (TolerantJson), or a MalformedEvent where the JSON itself is broken or the field is relied on.
        string expected;
        try
        {
            expected = JsonSerializer.Serialize(JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.RunContentEvent)!, AgentOSJsonContext.Default.RunContentEvent);
        }
        catch (JsonException strict)
        {
            try
            {
                expected = JsonSerializer.Serialize(TolerantJson.Recover(data, AgentOSJsonContext.Default.RunContentEvent, strict, null), AgentOSJsonContext.Default.RunContentEvent);
            }
            catch (JsonException)
            {
                expected = "malformed";
            }
        }

        string actual = EventDecoder.Decode("RunContent", data, new EventDecoderState()) switch
        {
            RunContentEvent e => JsonSerializer.Serialize(e, AgentOSJsonContext.Default.RunContentEvent),
            MalformedEvent m => m.RawData == json ? "malformed" : "malformed event without its data",
            var other => other.GetType().Name,
        };

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_null_event_name_reads_as_no_name_as_with_the_serializer()
    {
        var data = """{"event":null,"content":"x"}"""u8.ToArray();
        var fast = FastEventReader.TryRead(data, AgentOSJsonContext.Default.RunContentEvent, "RunContent", new EventDecoderState());
        var expected = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.RunContentEvent)!;

        Assert.NotNull(fast);
        Assert.Equal(string.Empty, fast.Event);
        Assert.Equal(expected.Event, fast.Event);
        Assert.Equal("x", ((RunContentEvent)fast).Content);
    }

    [Fact]
    public void A_stream_reuses_its_repeated_identifiers_and_notices_when_they_change()
    {
        var state = new EventDecoderState();
        byte[] first = Encoding.UTF8.GetBytes(RunContent);
        byte[] other = Encoding.UTF8.GetBytes(RunContent.Replace("37c25b58", "99999999", StringComparison.Ordinal).Replace("Echo Agent", "Écho Agent", StringComparison.Ordinal));

        var a = (RunContentEvent)EventDecoder.Decode("RunContent", first, state);
        var b = (RunContentEvent)EventDecoder.Decode("RunContent", first, state);
        var c = (RunContentEvent)EventDecoder.Decode("RunContent", other, state);

        Assert.Same(a.RunId, b.RunId);
        Assert.Same(a.SessionId, b.SessionId);
        Assert.Equal("99999999-f49e-44be-8aa0-7cd15514d865", c.RunId);
        Assert.Same(a.SessionId, c.SessionId);
        Assert.Equal("Écho Agent", c.AgentName);
        Assert.Equal("Echo: ", c.Content);
        Assert.Equal(EventScope.Agent, c.Scope);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305470), c.CreatedAt);
        Assert.False(c.WorkflowAgent);
        Assert.Equal(string.Empty, c.ReasoningContent);
    }

    [Fact]
    public void Repeated_non_ascii_names_are_shared_escaped_ones_decoded_and_a_changed_time_noticed()
    {
        var state = new EventDecoderState();
        byte[] Data(string agentName, long createdAt) => Encoding.UTF8.GetBytes(RunContent.Replace("Echo Agent", agentName, StringComparison.Ordinal).Replace("1795305470", createdAt.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var a = (RunContentEvent)EventDecoder.Decode("RunContent", Data("Écho Agent", 1795305470), state);
        var b = (RunContentEvent)EventDecoder.Decode("RunContent", Data("Écho Agent", 1795305470), state);
        var c = (RunContentEvent)EventDecoder.Decode("RunContent", Data("\\u00c9cho Agent", 1795305471), state); // the same name, escaped
        var d = (RunContentEvent)EventDecoder.Decode("RunContent", Data("Écho Agentx", 1795305470), state);
        var e = (RunContentEvent)EventDecoder.Decode("RunContent", Data("Écho Agent", 1795305470), state);

        Assert.Equal("Écho Agent", a.AgentName);
        Assert.Same(a.AgentName, b.AgentName);
        Assert.Equal("Écho Agent", c.AgentName);
        Assert.Equal("Écho Agentx", d.AgentName);
        Assert.Equal("Écho Agent", e.AgentName);
        Assert.NotSame(a.AgentName, e.AgentName); // changed in between: decoded again
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305470), b.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305471), c.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305470), d.CreatedAt);
        foreach (var (ev, name, at) in new[] { (c, "\\u00c9cho Agent", 1795305471L), (e, "Écho Agent", 1795305470L) })
        {
            var expected = JsonSerializer.Deserialize(Data(name, at), AgentOSJsonContext.Default.RunContentEvent)!;
            Assert.Equal(JsonSerializer.Serialize(expected, AgentOSJsonContext.Default.RunContentEvent), JsonSerializer.Serialize(ev, AgentOSJsonContext.Default.RunContentEvent));
        }
    }

    [Fact]
    public void Repeated_names_are_compared_with_the_kept_string_itself_whatever_their_characters()
    {
        // the stream keeps the strings only (not their UTF-8 bytes): equal byte and character counts of different texts,
        // surrogate pairs and long non-ASCII names are each told apart or shared correctly
        var state = new EventDecoderState();
        string longName = new('é', 300);
        string[] names = ["abcdefg", "ab€de", "ab€de", "abcdefg", "🤖 bot", "🤖 bot", "🤖 bos", longName, longName, "abcdefg", "abcdefg"];
        var previous = (RunContentEvent?)null;
        for (int i = 0; i < names.Length; i++)
        {
            byte[] data = Encoding.UTF8.GetBytes(RunContent.Replace("Echo Agent", names[i], StringComparison.Ordinal));
            var e = (RunContentEvent)EventDecoder.Decode("RunContent", data, state);
            Assert.Equal(names[i], e.AgentName);
            if (previous is not null && names[i - 1] == names[i] && names[i] != longName)
            {
                Assert.Same(previous.AgentName, e.AgentName);
            }

            previous = e;
        }
    }

    [Theory]
    [InlineData("""{"event":"RunContent","created_at":1795305470.5,"content":"x"}""")]
    [InlineData("""{"event":"RunContent","created_at":-1,"content":"x"}""")]
    [InlineData("""{"event":"RunContent","created_at":null,"content":"x"}""")]
    [InlineData("""{"event":"RunContent","created_at":1795305470,"created_at":1795305471,"content":"x"}""")]
    public void Times_after_a_repeated_one_give_the_serializers_result(string json)
    {
        var state = new EventDecoderState();
        byte[] before = """{"event":"RunContent","created_at":1795305470,"content":"x"}"""u8.ToArray();
        byte[] data = Encoding.UTF8.GetBytes(json);
        EventDecoder.Decode("RunContent", before, state);

        var actual = (RunContentEvent)EventDecoder.Decode("RunContent", data, state);
        var expected = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.RunContentEvent)!;

        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305470), ((RunContentEvent)EventDecoder.Decode("RunContent", before, state)).CreatedAt);
    }

    [Fact]
    public void A_json_value_repeated_by_the_next_event_is_parsed_once_and_a_changed_one_again()
    {
        var state = new EventDecoderState();
        byte[] Data(string id) => Encoding.UTF8.GetBytes("{\"event\":\"RunContent\",\"content\":\"x\",\"model_provider_data\":{\"id\":\"" + id + "\",\"n\":[1,2]}}");

        var a = (RunContentEvent)EventDecoder.Decode("RunContent", Data("one"), state);
        var b = (RunContentEvent)EventDecoder.Decode("RunContent", Data("one"), state);
        var c = (RunContentEvent)EventDecoder.Decode("RunContent", Data("two"), state);

        Assert.Equal("one", b.ModelProviderData!.Value.GetProperty("id").GetString());
        Assert.Equal(a.ModelProviderData!.Value.GetRawText(), b.ModelProviderData!.Value.GetRawText());
        Assert.Equal("two", c.ModelProviderData!.Value.GetProperty("id").GetString());
        foreach (var (e, id) in new[] { (b, "one"), (c, "two") })
        {
            var expected = JsonSerializer.Deserialize(Data(id), AgentOSJsonContext.Default.RunContentEvent)!;
            Assert.Equal(JsonSerializer.Serialize(expected, AgentOSJsonContext.Default.RunContentEvent), JsonSerializer.Serialize(e, AgentOSJsonContext.Default.RunContentEvent));
        }
    }

    [Theory]
    [InlineData("provider data, an object", """{"event":"RunContent","content":"x","model_provider_data":{"id":"chatcmpl-1","created":1795305470,"n":[1,{"a":null}]}}""")]
    [InlineData("provider data, an array", """{"event":"RunContent","content":"x","model_provider_data":[1,"two",{"three":3}]}""")]
    [InlineData("provider data, null", """{"event":"RunContent","content":"x","model_provider_data":null}""")]
    [InlineData("provider data, a string", """{"event":"RunContent","content":"x","model_provider_data":"opaque"}""")]
    [InlineData("provider data, a number", """{"event":"RunContent","content":"x","model_provider_data":12.5}""")]
    [InlineData("provider data, false", """{"event":"RunContent","content":"x","model_provider_data":false}""")]
    [InlineData("provider data, empty", """{"event":"RunContent","content":"x","model_provider_data":{}}""")]
    [InlineData("provider data before every other field", """{"model_provider_data":{"id":"p"},"content":"x","event":"RunContent","run_id":"r"}""")]
    [InlineData("provider data twice (the last one wins)", """{"event":"RunContent","model_provider_data":{"id":"first"},"content":"x","model_provider_data":{"id":"second"}}""")]
    [InlineData("provider data, then null", """{"event":"RunContent","model_provider_data":{"id":"first"},"model_provider_data":null}""")]
    [InlineData("escapes inside provider data", """{"event":"RunContent","model_provider_data":{"t\u00e9xt":"a\"b\n\u0041","ü":"é"}}""")]
    [InlineData("citations, an object", """{"event":"RunContent","content":"x","citations":{"urls":[{"url":"https://example.org/a","title":"A"}]}}""")]
    [InlineData("citations, an array", """{"event":"RunContent","content":"x","citations":[{"url":"u"}]}""")]
    [InlineData("citations, null", """{"event":"RunContent","content":"x","citations":null}""")]
    [InlineData("citations, a string", """{"event":"RunContent","content":"x","citations":"u"}""")]
    [InlineData("citations and provider data", """{"event":"RunContent","citations":{"urls":[]},"content":"x","model_provider_data":{"id":"p"},"image":{"id":"i"}}""")]
    [InlineData("deep provider data", """{"event":"RunContent","model_provider_data":{"a":{"b":{"c":{"d":[[[[1]]]]}}}}}""")]
    public void The_hand_read_json_fields_of_a_delta_give_the_serializers_result_first_repeated_and_changed(string why, string json)
    {
        byte[] data = Encoding.UTF8.GetBytes(json);
        var typeInfo = AgentOSJsonContext.Default.RunContentEvent;
        string expected = JsonSerializer.Serialize(JsonSerializer.Deserialize(data, typeInfo)!, typeInfo);
        byte[] other = """{"event":"RunContent","content":"y","model_provider_data":{"id":"other"},"citations":{"urls":["other"]}}"""u8.ToArray();

        // a stream's first event, the same event again (the repeated values), after an event with other values, and
        // without a stream's state
        var state = new EventDecoderState();
        var first = FastEventReader.TryRead(data, typeInfo, "RunContent", state);
        var repeated = FastEventReader.TryRead(data, typeInfo, "RunContent", state);
        Assert.NotNull(FastEventReader.TryRead(other, typeInfo, "RunContent", state));
        var changed = FastEventReader.TryRead(data, typeInfo, "RunContent", state);
        var stateless = FastEventReader.TryRead(data, typeInfo, "RunContent", null);

        foreach (var (e, when) in new[] { (first, "first"), (repeated, "repeated"), (changed, "changed"), (stateless, "stateless") })
        {
            Assert.True(e is not null, $"{why}: {when}");
            Assert.Equal(expected, JsonSerializer.Serialize((RunContentEvent)e, typeInfo));
            Assert.Null(e.AdditionalProperties);
        }
    }

    [Theory]
    [InlineData("an escaped provider data name", """{"event":"RunContent","model_provider\u005fdata":{"id":"p"}}""")]
    [InlineData("an escaped citations name", """{"event":"RunContent","\u0063itations":{"urls":[]}}""")]
    [InlineData("truncated provider data", """{"event":"RunContent","model_provider_data":{"id":"p""")]
    [InlineData("provider data missing its end", """{"event":"RunContent","model_provider_data":{"id":"p"}""")]
    [InlineData("a second value after provider data", """{"event":"RunContent","model_provider_data":{"id":"p"}} {"x":1}""")]
    public void Odd_json_fields_of_a_delta_are_left_to_the_serializer(string why, string json)
    {
        byte[] data = Encoding.UTF8.GetBytes(json);
        var state = new EventDecoderState();
        Assert.True(FastEventReader.TryRead(data, AgentOSJsonContext.Default.RunContentEvent, "RunContent", state) is null, why);

        // the same with the field's previous value in the stream's state
        byte[] before = """{"event":"RunContent","model_provider_data":{"id":"p"},"citations":{"urls":[]}}"""u8.ToArray();
        Assert.NotNull(FastEventReader.TryRead(before, AgentOSJsonContext.Default.RunContentEvent, "RunContent", state));
        Assert.True(FastEventReader.TryRead(data, AgentOSJsonContext.Default.RunContentEvent, "RunContent", state) is null, why);
    }

    [Fact]
    public void Provider_data_of_other_event_types_is_read_by_their_contract()
    {
        // citations: a modelled field of a completed run, extension data of a tool call; provider data: extension data of both
        byte[] completed = """{"event":"RunCompleted","content":"x","model_provider_data":{"id":"p"},"citations":{"urls":["u"]}}"""u8.ToArray();
        byte[] tool = """{"event":"ToolCallStarted","model_provider_data":{"id":"p"},"citations":[1]}"""u8.ToArray();
        var state = new EventDecoderState();
        foreach (var (name, data) in new[] { ("RunCompleted", completed), ("ToolCallStarted", tool), ("RunCompleted", completed) })
        {
            var typeInfo = EventNames.Types[name];
            var fast = FastEventReader.TryRead(data, typeInfo, name, state);
            var expected = (AgentOSEvent)JsonSerializer.Deserialize(data, typeInfo)!;

            Assert.NotNull(fast);
            Assert.Equal(JsonSerializer.Serialize(expected, typeInfo), JsonSerializer.Serialize(fast, typeInfo));
            Assert.Equal(expected.AdditionalProperties?.Keys, fast.AdditionalProperties?.Keys);
        }
    }

    [Fact]
    public void A_delta_repeating_the_previous_provider_data_shares_its_element_and_one_with_other_bytes_does_not()
    {
        var state = new EventDecoderState();
        byte[] Data(string providerData) => Encoding.UTF8.GetBytes("{\"event\":\"RunContent\",\"content\":\"x\",\"model_provider_data\":" + providerData + ",\"citations\":" + providerData + "}");

        var a = (RunContentEvent)EventDecoder.Decode("RunContent", Data("""{"id":"one"}"""), state);
        var b = (RunContentEvent)EventDecoder.Decode("RunContent", Data("""{"id":"one"}"""), state);
        var c = (RunContentEvent)EventDecoder.Decode("RunContent", Data("""{"id": "one"}"""), state); // the same value, other bytes

        Assert.Equal(a.ModelProviderData, b.ModelProviderData); // the same document and position
        Assert.Equal(a.Citations, b.Citations);
        Assert.NotEqual(b.ModelProviderData, c.ModelProviderData);
        Assert.Equal("""{"id": "one"}""", c.ModelProviderData!.Value.GetRawText());
        Assert.Equal("""{"id": "one"}""", c.Citations!.Value.GetRawText());
        Assert.Equal("one", c.ModelProviderData.Value.GetProperty("id").GetString());
    }

    [Fact]
    public void Invalid_utf8_in_provider_data_is_a_malformed_event_also_after_a_valid_one()
    {
        var state = new EventDecoderState();
        byte[] valid = """{"event":"RunContent","content":"x","model_provider_data":{"t":"ok"}}"""u8.ToArray();
        byte[] invalid = [.. "{\"event\":\"RunContent\",\"content\":\"x\",\"model_provider_data\":{\"t\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        Assert.IsType<RunContentEvent>(EventDecoder.Decode("RunContent", valid, state));
        Assert.IsType<MalformedEvent>(EventDecoder.Decode("RunContent", invalid, state));
        Assert.IsType<MalformedEvent>(EventDecoder.Decode("RunContent", invalid, null));
        var again = Assert.IsType<RunContentEvent>(EventDecoder.Decode("RunContent", valid, state));
        Assert.Equal("ok", again.ModelProviderData!.Value.GetProperty("t").GetString());
    }

    [Fact]
    public void Invalid_utf8_inside_a_json_valued_field_is_a_malformed_event()
    {
        byte[] data = [.. "{\"event\":\"RunContent\",\"content\":\"x\",\"citations\":{\"t\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        Assert.IsType<MalformedEvent>(EventDecoder.Decode("RunContent", data, new EventDecoderState()));
        Assert.IsType<MalformedEvent>(EventDecoder.Decode("RunContent", data, null));
    }

    [Fact]
    public void The_scope_follows_a_changed_event_name()
    {
        var e = EventDecoder.Decode("RunContent", Encoding.UTF8.GetBytes(RunContent), new EventDecoderState());
        Assert.Equal(EventScope.Agent, e.Scope);

        e.Event = "TeamRunContent";

        Assert.Equal(EventScope.Team, e.Scope);
    }

    [Fact]
    public void Json_valued_content_fields_round_trip_through_the_side_storage()
    {
        var e = (RunContentEvent)EventDecoder.Decode("RunContent", """{"event":"RunContent","content":"x","citations":{"urls":["u"]},"image":null}"""u8.ToArray(), new EventDecoderState());

        Assert.Equal("u", e.Citations!.Value.GetProperty("urls")[0].GetString());
        Assert.Null(e.Image);
        Assert.Null(e.References);
        e.Citations = null;
        Assert.Null(e.Citations);
    }

    [Fact]
    public async Task The_idle_timeout_counts_from_the_last_event_not_from_the_start()
    {
        // 11 events, 20 s apart on the client's clock: 200 s in all, never 30 s of silence
        var frames = Fixtures.Get("021").SseFrames();
        using var body = new ScriptedBodyStream();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var http = new HttpClient(new FedHandler(body));
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/"), StreamIdleTimeout = TimeSpan.FromSeconds(30) }, http, timeProvider: clock);

        var run = client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).ToListAsync();
        foreach (var frame in frames)
        {
            await body.WaitForPendingReadAsync();
            clock.Advance(TimeSpan.FromSeconds(20));
            body.Send(frame);
        }

        body.End();
        var events = await run;
        Assert.Equal(11, events.Count);
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    private sealed class FedHandler(ScriptedBodyStream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    [Fact]
    public async Task Requests_carry_the_accept_header_and_the_library_and_configured_user_agents()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        server.Serve("020");
        using var client = TestSupport.Client(server, configure: o => o.UserAgent = "MyApp/2.0");
        string version = typeof(AgentOSClient).Assembly.GetName().Version!.ToString(3);

        await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).ToListAsync();
        await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));

        Assert.Equal("text/event-stream", server.Received[0].Headers["Accept"]);
        Assert.Equal("application/json", server.Received[1].Headers["Accept"]);
        Assert.All(server.Received, r => Assert.Equal($"Agno.AgentOS/{version} MyApp/2.0", r.Headers["User-Agent"]));
    }
}

public sealed class EventDecoderFastPathTests_Agno29() : EventDecoderFastPathTests(FixtureSet.Agno29);

public sealed class EventDecoderFastPathTests_Agno30() : EventDecoderFastPathTests(FixtureSet.Agno30);
