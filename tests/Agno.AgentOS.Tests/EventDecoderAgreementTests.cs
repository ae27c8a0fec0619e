using System.Collections;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS.Internal;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The decoder's three paths — the hand reader of the usual event kinds (what streams use), the contract's reader, the
/// serializer alone — must give the same typed event, or the same typed error, for every input: every event of every
/// recorded stream, and hostile shapes (escaped names, duplicate properties, wrong token types, huge numbers, nested
/// unknown fields, malformed and truncated JSON). The events are compared deeply (every public property, recursively).
/// </summary>
public sealed class EventDecoderAgreementTests
{
    private static readonly FixtureSet[] Sets = [FixtureSet.Agno29, FixtureSet.Agno30, FixtureSet.AgnoGo, FixtureSet.More29, FixtureSet.More30];

    public static TheoryData<string> Recordings => new(Sets.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Every_recorded_event_decodes_alike_on_every_path(string recording)
    {
        var set = Sets.Single(s => s.Name == recording);
        int events = 0;
        int byHand = 0;
        foreach (var (name, stream) in RecordedEvents.Streams(set))
        {
            // one stream's state per path, fed the same events in order (the repeated values of the state shared or not)
            var hand = new EventDecoderState();
            var contract = new EventDecoderState();
            var serializer = new EventDecoderState();
            var probe = new EventDecoderState();
            foreach (var (type, data) in stream)
            {
                events++;
                string expected = Dump(EventDecoder.Decode(type, data, serializer, DecodePath.Serializer));
                string where = $"{set.Name} {name} event {events}: {type} {Encoding.UTF8.GetString(data)}";
                Assert.True(expected == Dump(EventDecoder.Decode(type, data, hand, DecodePath.ByHand)), "by hand: " + where);
                Assert.True(expected == Dump(EventDecoder.Decode(type, data, contract, DecodePath.Contract)), "by contract: " + where);
                Assert.True(expected == Dump(EventDecoder.Decode(type, data, null, DecodePath.ByHand)), "by hand, stateless: " + where);

                string eventName = RecordedEvents.NameOf(type, data);
                var kind = EventKinds.Of(eventName, out _);
                byHand += kind != EventKind.None && FastEventReader.TryRead(data, kind, eventName, probe) is not null ? 1 : 0;
            }
        }

        // The comparison is worth something only where the hand reader read the events itself. agno-go's events have
        // names of their own (token, run_start, complete, ...): no typed name, none read by hand, all alike as unknown events.
        Assert.True(events > 20, $"only {events} recorded events in {set}");
        if (set == FixtureSet.AgnoGo)
        {
            Assert.Equal(0, byHand);
        }
        else
        {
            Assert.True(byHand * 2 > events, $"only {byHand} of {events} recorded events of {set} were read by hand");
        }
    }

    [Fact]
    public void Most_recorded_events_of_the_hand_read_kinds_are_read_by_hand()
    {
        int total = 0;
        var left = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in Sets)
        {
            foreach (var (name, stream) in RecordedEvents.Streams(set))
            {
                var state = new EventDecoderState();
                foreach (var (type, data) in stream)
                {
                    string eventName = RecordedEvents.NameOf(type, data);
                    var kind = EventKinds.Of(eventName, out _);
                    if (kind == EventKind.None)
                    {
                        continue;
                    }

                    total++;
                    if (FastEventReader.TryRead(data, kind, eventName, state) is null)
                    {
                        left[eventName] = left.GetValueOrDefault(eventName) + 1;
                    }
                }
            }
        }

        int leftCount = left.Values.Sum();
        Assert.True(total > 500, $"only {total} recorded events of hand-read kinds");
        Assert.True(leftCount * 20 < total, $"{leftCount} of {total} left to the contract: " + string.Join(", ", left.Select(p => $"{p.Key} x{p.Value}")));
    }

    [Fact]
    public void Every_hand_read_name_has_its_contracts_type_and_scope()
    {
        var kinds = new HashSet<EventKind>();
        foreach (string name in EventNames.Types.Keys)
        {
            var kind = EventKinds.Of(name, out var scope);
            if (kind == EventKind.None)
            {
                continue;
            }

            kinds.Add(kind);
            Assert.Equal(EventNames.Types[name].Type, EventKinds.Create(kind)!.GetType());
            Assert.Equal(EventNames.ScopeOf(name), scope);
        }

        Assert.Equal(Enum.GetValues<EventKind>().Where(k => k != EventKind.None).Order(), kinds.Order());
        foreach (string name in new[] { "", "message", "runcontent", "RunContent ", "WorkflowRunOutput", "BrandNewEvent", "ToolCallStarted", "TeamRunContentX" })
        {
            Assert.Equal(EventKind.None, EventKinds.Of(name, out _));
        }
    }

    /// <summary>The event names the hostile fields are tried on (their SSE name and the JSON's "event").</summary>
    private static readonly string[] HostileNames =
    [
        "RunContent", "TeamRunContent", "RunStarted", "WorkflowStarted", "RunCompleted", "TeamRunCompleted", "WorkflowCompleted",
        "RunContentCompleted", "RunIntermediateContent", "ModelRequestStarted", "ModelRequestCompleted", "RunError", "WorkflowError",
        "RunCancelled", "RunContinued", "PreHookStarted", "TeamPostHookCompleted", "ReasoningStep", "ReasoningContentDelta",
        "ReasoningCompleted", "MemoryUpdateCompleted", "SessionSummaryCompleted", "ParserModelResponseStarted",
        "OutputModelResponseCompleted", "StepStarted", "StepContinued", "StepExecutorContinued", "ToolCallStarted",
        "WorkflowRunOutput", "BrandNewEvent",
    ];

    /// <summary>Fields (after <c>"event":"…"</c>) of hostile shapes.</summary>
    private static readonly string[] HostileFields =
    [
        // the usual shapes, as a baseline
        "\"run_id\":\"r\",\"session_id\":\"s\",\"created_at\":1795305470,\"content\":\"x\",\"content_type\":\"str\"",
        "\"model\":\"gpt\",\"model_provider\":\"OpenAI\",\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7,\"time_to_first_token\":0.25",
        "\"content\":\"done\",\"metrics\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7,\"cost\":0.5,\"duration\":1.5,\"details\":{\"model\":[{\"id\":\"m\"}]}},\"session_state\":{\"a\":1},\"metadata\":{}",
        "\"error\":\"boom\",\"error_type\":\"ValueError\",\"error_id\":\"e1\",\"additional_data\":{\"k\":[1]}",
        "\"pre_hook_name\":\"guard\",\"post_hook_name\":null,\"run_input\":{\"input_content\":\"hi\"}",
        "\"memories\":[{\"memory\":\"m\"}],\"session_summary\":{\"summary\":\"s\"},\"reason\":\"user\"",
        "\"reasoning_content\":\"think\",\"step_index\":[0,1],\"step_id\":\"st\",\"step_name\":\"first\",\"workflow_id\":\"w\",\"workflow_run_id\":\"wr\"",
        "\"citations\":{\"urls\":[]},\"model_provider_data\":{\"id\":\"p\"},\"images\":[{\"url\":\"u\"}],\"workflow_agent\":true",

        // escaped names and values
        "\"\\u0063ontent\":\"x\"",
        "\"run\\u005fid\":\"r\"",
        "\"content\":\"a\\\"b\\n\\u00e9\\ud83d\\ude00\"",
        "\"agent_name\":\"\\u00c9cho\"",
        "\"metrics\":{\"input\\u005ftokens\":1}",

        // duplicate properties (the last one wins, or is kept as the serializer keeps it)
        "\"content\":\"a\",\"content\":\"b\"",
        "\"run_id\":\"a\",\"run_id\":null",
        "\"created_at\":1,\"created_at\":2",
        "\"metrics\":{\"input_tokens\":1},\"metrics\":null",
        "\"metrics\":{\"input_tokens\":1,\"input_tokens\":2}",
        "\"metrics\":{\"x\":1,\"x\":2}",
        "\"metrics\":{\"details\":{},\"details\":[]}",
        "\"brand_new\":1,\"brand_new\":2",
        "\"model_provider_data\":{\"id\":\"a\"},\"model_provider_data\":{\"id\":\"b\"}",

        // wrong token types
        "\"nested_depth\":\"1\"",
        "\"nested_depth\":null",
        "\"event_index\":\"3\"",
        "\"input_tokens\":\"5\"",
        "\"input_tokens\":1.5",
        "\"time_to_first_token\":\"0.1\"",
        "\"content\":42",
        "\"content\":true",
        "\"content\":{\"answer\":42}",
        "\"content\":[1,2]",
        "\"content_type\":5",
        "\"error\":{\"message\":\"m\"}",
        "\"workflow_agent\":\"true\"",
        "\"workflow_agent\":1",
        "\"metrics\":[]",
        "\"metrics\":\"m\"",
        "\"metrics\":{\"input_tokens\":null}",
        "\"metrics\":{\"input_tokens\":\"1\"}",
        "\"metrics\":{\"cost\":\"1\"}",
        "\"session_state\":[1]",
        "\"session_state\":\"s\"",
        "\"metadata\":5",
        "\"created_at\":true",
        "\"created_at\":\"2026-11-21T23:57:50Z\"",
        "\"created_at\":\"yesterday\"",
        "\"created_at\":{}",
        "\"citations\":\"x\"",
        "\"memories\":5",
        "\"run_input\":null",
        "\"step_index\":\"2\"",
        "\"run_id\":5",
        "\"run_id\":{\"id\":1}",
        "\"event_index\":[]",

        // huge and odd numbers
        "\"input_tokens\":99999999999999999999",
        "\"nested_depth\":2147483648",
        "\"event_index\":-2147483649",
        "\"time_to_first_token\":1e400",
        "\"time_to_first_token\":-0.0",
        "\"metrics\":{\"cost\":1e999}",
        "\"metrics\":{\"total_tokens\":1e3}",
        "\"metrics\":{\"duration\":123456789012345678901234567890}",
        "\"created_at\":1e30",
        "\"created_at\":99999999999999",
        "\"created_at\":-62135596801",
        "\"created_at\":1795305470.123456789",

        // nested unknown fields
        "\"extra\":{\"a\":[{\"b\":{\"c\":null}}]}",
        "\"content\":\"x\",\"deep\":[[[[[[[[[[1]]]]]]]]]]",
        "\"metrics\":{\"input_tokens\":1,\"provider_metrics\":{\"x\":{\"y\":[1]}}}",
        "\"metrics\":{\"provider\":\"p\",\"input_tokens\":1,\"extra\":null,\"more\":[true]}",
        "\"run_input\":{\"nested\":{\"unknown\":[{\"z\":true}]}}",
        "\"session_state\":{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}}}",
        "\"tool\":{\"tool_name\":\"t\",\"unknown\":1}",
        "\"member_responses\":[{\"content\":\"m\",\"run_id\":\"x\"}]",
        "\"step_results\":[{\"step_name\":\"s\",\"content\":\"c\"}]",

        // null for fields that are not nullable, an event name of another shape
        "\"event\":null,\"content\":\"x\"",
        "\"event\":5",
        "\"event\":\"\"",
        "\"event\":\"TeamRunContent\"",
        "\"event\":\"Run\\u0043ontent\"",
    ];

    /// <summary>Whole bodies of hostile shapes: malformed, truncated, not an object, invalid text.</summary>
    private static readonly byte[][] HostileBodies =
    [
        ""u8.ToArray(),
        " "u8.ToArray(),
        "null"u8.ToArray(),
        "[]"u8.ToArray(),
        "\"RunContent\""u8.ToArray(),
        "{}"u8.ToArray(),
        "{"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"x\""u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"x"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":}"u8.ToArray(),
        "{\"event\":\"RunContent\",}"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"x\"}}"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"x\"} {\"x\":1}"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"x\"} \n\t "u8.ToArray(),
        "{'event':'RunContent'}"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"\\ud800\"}"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"\\x\"}"u8.ToArray(),
        "{\"event\":\"RunContent\",\"metrics\":{\"input_tokens\":1}"u8.ToArray(),
        "{\"event\":\"RunCompleted\",\"metrics\":{\"input_tokens\":1"u8.ToArray(),
        "{\"event\":\"RunCompleted\",\"session_state\":{\"a\":"u8.ToArray(),
        "{\"event\":\"RunContent\",\"content\":\"x\" /* c */}"u8.ToArray(),
        "\uFEFF{\"event\":\"RunContent\",\"content\":\"x\"}"u8.ToArray(),
        [.. "{\"event\":\"RunContent\",\"content\":\""u8, 0xC3, 0x28, .. "\"}"u8],
        [.. "{\"event\":\"RunContent\",\"agent_name\":\""u8, 0xFF, .. "\"}"u8],
        [.. "{\"event\":\"RunCompleted\",\"session_state\":{\"k\":\""u8, 0xED, 0xA0, 0x80, .. "\"}}"u8],
        [.. "{\"event\":\"RunCompleted\",\"metrics\":{\"details\":[\""u8, 0xC0, 0xAF, .. "\"]}}"u8],
        [.. "{\"event\":\"RunCompleted\",\"metrics\":{\"provider\":[\""u8, 0xC0, 0xAF, .. "\"]}}"u8],
        [.. "{\"event\":\"RunCompleted\",\"metrics\":{\""u8, 0xC3, 0x28, .. "\":1}}"u8],
        [.. "{\"event\":\"RunCompleted\",\"metadata\":{\"k\":[\""u8, 0xFF, .. "\"]}}"u8],
        [.. "{\"event\":\"RunError\",\"additional_data\":\""u8, 0xF8, .. "\"}"u8],
        [.. "{\"event\":\"RunContent\",\""u8, 0xC3, 0x28, .. "\":1}"u8],
        [.. "{\"event\":\"RunContent\",\"content\":\"x\"}"u8, 0x00],
    ];

    public static TheoryData<string> HostileEventNames => new(HostileNames);

    [Theory]
    [MemberData(nameof(HostileEventNames))]
    public void Hostile_fields_decode_alike_on_every_path(string name)
    {
        foreach (string fields in HostileFields)
        {
            foreach (var data in new[]
            {
                Encoding.UTF8.GetBytes("{\"event\":\"" + name + "\"," + fields + "}"),
                Encoding.UTF8.GetBytes("{" + fields + ",\"event\":\"" + name + "\"}"),
                Encoding.UTF8.GetBytes("{" + fields + "}"),
            })
            {
                foreach (string sseName in new[] { name, "", "message" })
                {
                    AssertAlike(sseName, data);
                }
            }
        }
    }

    [Fact]
    public void Hostile_bodies_decode_alike_on_every_path()
    {
        foreach (var data in HostileBodies)
        {
            foreach (string name in new[] { "RunContent", "RunCompleted", "RunError", "ModelRequestCompleted", "", "message", "BrandNewEvent" })
            {
                AssertAlike(name, data);
            }
        }
    }

    [Fact]
    public void The_paths_differ_in_how_they_read_not_in_what_they_give()
    {
        // The hand reader reads this event itself (no contract), and the comparison of the paths sees every field.
        byte[] data = """{"event":"RunCompleted","run_id":"r","content":"done","metrics":{"input_tokens":3,"cost":0.5,"details":{"m":[1]}},"session_state":{"a":{"b":1}},"images":[{"url":"u"}],"created_at":1795305470}"""u8.ToArray();
        var hand = FastEventReader.TryRead(data, EventKind.RunCompleted, "RunCompleted", new EventDecoderState());
        var completed = Assert.IsType<RunCompletedEvent>(hand);
        Assert.Equal(3, completed.Metrics!.InputTokens);
        Assert.Equal(0.5, completed.Metrics.Cost);
        Assert.Equal("""{"m":[1]}""", completed.Metrics.Details!.Value.GetRawText());
        Assert.Equal(1, (int)completed.SessionState!["a"]!["b"]!);
        Assert.Equal(Dump(EventDecoder.Decode("RunCompleted", data, null, DecodePath.Serializer)), Dump(EventDecoder.Decode("RunCompleted", data, null, DecodePath.ByHand)));

        // ... and the dump tells events apart by any field, also one deep inside
        byte[] other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace("\"b\":1", "\"b\":2", StringComparison.Ordinal));
        Assert.NotEqual(Dump(EventDecoder.Decode("RunCompleted", data, null)), Dump(EventDecoder.Decode("RunCompleted", other, null)));
        byte[] details = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace("[1]", "[2]", StringComparison.Ordinal));
        Assert.NotEqual(Dump(EventDecoder.Decode("RunCompleted", data, null)), Dump(EventDecoder.Decode("RunCompleted", details, null)));
    }

    [Fact]
    public void A_completed_runs_metrics_with_fields_they_do_not_model_are_read_by_hand_into_their_extension_data()
    {
        // The metrics reader is shared with the run outputs' (Utf8Fields.Metrics): an unknown field goes into the
        // extension data, as the serializer keeps it, instead of leaving the whole event to the contract.
        byte[] data = """{"event":"RunCompleted","run_id":"r","metrics":{"input_tokens":3,"provider_metrics":{"x":[1]},"extra":null}}"""u8.ToArray();
        var completed = Assert.IsType<RunCompletedEvent>(FastEventReader.TryRead(data, EventKind.RunCompleted, "RunCompleted", new EventDecoderState()));
        Assert.Equal(3, completed.Metrics!.InputTokens);
        Assert.Equal("""{"x":[1]}""", completed.Metrics.AdditionalProperties!["provider_metrics"].GetRawText());
        Assert.Equal(JsonValueKind.Null, completed.Metrics.AdditionalProperties["extra"].ValueKind);
        Assert.Equal(Dump(EventDecoder.Decode("RunCompleted", data, null, DecodePath.Serializer)), Dump(completed));

        // a duplicate (a count or an unknown field) or an unknown field's value that is not UTF-8: not read by hand
        Assert.Null(FastEventReader.TryRead("""{"event":"RunCompleted","metrics":{"x":1,"x":2}}"""u8, EventKind.RunCompleted, "RunCompleted", null));
        Assert.Null(FastEventReader.TryRead("""{"event":"RunCompleted","metrics":{"cost":1,"cost":2}}"""u8, EventKind.RunCompleted, "RunCompleted", null));
        Assert.Null(FastEventReader.TryRead([.. "{\"event\":\"RunCompleted\",\"metrics\":{\"x\":\""u8, 0xFF, .. "\"}}"u8], EventKind.RunCompleted, "RunCompleted", null));
    }

    /// <summary>
    /// Decodes the data on every path, stateless and within a stream whose previous event (of the same name, with other
    /// values, then with the same) primed the repeated values, and asserts the same deep result.
    /// </summary>
    private static void AssertAlike(string sseName, byte[] data)
    {
        string expected = Dump(EventDecoder.Decode(sseName, data, null, DecodePath.Serializer));
        string where = $"'{sseName}' {Convert.ToHexString(data)} ({Encoding.UTF8.GetString(data)})";
        Assert.True(expected == Dump(EventDecoder.Decode(sseName, data, null, DecodePath.ByHand)), "by hand, stateless: " + where);
        Assert.True(expected == Dump(EventDecoder.Decode(sseName, data, null, DecodePath.Contract)), "by contract, stateless: " + where);

        string eventName = sseName.Length == 0 || sseName == "message" ? "RunContent" : sseName;
        byte[] primer = Encoding.UTF8.GetBytes("{\"event\":\"" + eventName + "\",\"run_id\":\"r\",\"agent_name\":\"\u00c9cho\",\"created_at\":2,\"content\":\"y\",\"model_provider_data\":{\"id\":\"a\"},\"metrics\":{\"input_tokens\":1}}");
        foreach (var path in new[] { DecodePath.ByHand, DecodePath.Contract, DecodePath.Serializer })
        {
            var state = new EventDecoderState();
            EventDecoder.Decode(sseName, primer, state, path);
            Assert.True(expected == Dump(EventDecoder.Decode(sseName, data, state, path)), $"{path}, after another event: " + where);
            Assert.True(expected == Dump(EventDecoder.Decode(sseName, data, state, path)), $"{path}, repeated: " + where);
        }
    }

    /// <summary>Every public property of the event, recursively, as text (JSON values by their raw text).</summary>
    private static string Dump(AgentOSEvent e)
    {
        var text = new StringBuilder();
        Dump(text, e, 0);
        return text.ToString();
    }

    internal static void Dump(StringBuilder text, object? value, int depth)
    {
        Assert.True(depth < 32, "too deep: " + text);
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                return;
            case JsonElement element:
                text.Append(element.ValueKind).Append(':').Append(element.GetRawText());
                return;
            case JsonNode node:
                text.Append("node:").Append(node.ToJsonString());
                return;
            case double d:
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset time:
                text.Append(time.ToString("O", CultureInfo.InvariantCulture));
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value.GetType().IsEnum || value is decimal or Guid or TimeSpan or DateTime:
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case bool b:
                text.Append(b ? "true" : "false");
                return;
            case IDictionary dictionary:
                text.Append('{');
                foreach (DictionaryEntry entry in dictionary)
                {
                    text.Append(entry.Key).Append('=');
                    Dump(text, entry.Value, depth + 1);
                    text.Append(';');
                }

                text.Append('}');
                return;
            case IEnumerable items:
                text.Append('[');
                foreach (object? item in items)
                {
                    Dump(text, item, depth + 1);
                    text.Append(',');
                }

                text.Append(']');
                return;
        }

        var type = value.GetType();
        text.Append(type.Name).Append('{');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            text.Append(property.Name).Append('=');
            Dump(text, property.GetValue(value), depth + 1);
            text.Append(';');
        }

        text.Append('}');
    }
}
