using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agno.AgentOS.Internal;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The hand reader of non-streaming run outputs (<see cref="RunOutputReader"/>) against the source-generated serializer:
/// for every input, either the hand reader gives up (and the serializer decodes the body, as before) or it gives exactly
/// the serializer's output — every public member compared deeply (JSON values by their raw text, the extension data key
/// by key) and both outputs serialized again and compared as text. Inputs: every run output body of every recorded
/// fixture set (agno 2.9, 3.0, agno-go, the second recording), every other JSON body of those sets read as each kind,
/// and hostile shapes (wrong token types, escaped names, duplicates, nulls, huge values, truncated JSON).
/// </summary>
public sealed partial class RunOutputAgreementTests
{
    private static readonly FixtureSet[] Sets = [FixtureSet.Agno29, FixtureSet.Agno30, FixtureSet.AgnoGo, FixtureSet.More29, FixtureSet.More30];

    public static TheoryData<string> Recordings => new(Sets.Select(s => s.Name));

    private enum Kind
    {
        Agent,
        Team,
        Workflow,
    }

    private static readonly Kind[] Kinds = [Kind.Agent, Kind.Team, Kind.Workflow];

    /// <summary>A run's answer: <c>POST …/runs</c>, <c>POST …/runs/{id}/continue</c>, <c>GET …/runs/{id}</c>.</summary>
    [GeneratedRegex("^/(agents|teams|workflows)/[^/]+/runs(/[^/]+(/continue)?)?$")]
    private static partial Regex RunPath();

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Every_recorded_run_output_decodes_alike_by_hand_and_by_the_serializer(string recording)
    {
        var set = Sets.Single(s => s.Name == recording);
        int outputs = 0;
        int byHand = 0;
        foreach (string name in set.Names.Order(StringComparer.Ordinal))
        {
            var exchange = set.Get(name);
            var match = RunPath().Match(exchange.Path);
            if (!match.Success || exchange.StatusCode is < 200 or > 299 || exchange.IsEventStream || !IsJsonObject(exchange.ResponseBody))
            {
                continue;
            }

            var kind = match.Groups[1].Value switch { "agents" => Kind.Agent, "teams" => Kind.Team, _ => Kind.Workflow };
            outputs++;
            byHand += AssertAlike(kind, exchange.ResponseBody, $"{set.Name} {name}") ? 1 : 0;
        }

        // The comparison is worth something only where the hand reader read the outputs itself.
        if (set == FixtureSet.AgnoGo || set == FixtureSet.More29 || set == FixtureSet.More30)
        {
            return; // agno-go answers runs in its own dialect (AgnoGoDialectTests); the second recording has few runs
        }

        Assert.True(outputs > 30, $"only {outputs} recorded run outputs in {set}");
        Assert.True(byHand * 10 >= outputs * 9, $"only {byHand} of {outputs} recorded run outputs of {set} were read by hand");
    }

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Every_recorded_json_body_decodes_alike_as_each_kind_of_output(string recording)
    {
        var set = Sets.Single(s => s.Name == recording);
        int bodies = 0;
        foreach (string name in set.Names.Order(StringComparer.Ordinal))
        {
            var exchange = set.Get(name);
            if (exchange.IsEventStream || exchange.ResponseBody.Length == 0)
            {
                continue;
            }

            bodies++;
            foreach (var kind in Kinds)
            {
                AssertAlike(kind, exchange.ResponseBody, $"{set.Name} {name} as {kind}");
            }

            // the request bodies too (JSON ones are run inputs, configs, ...)
            foreach (var kind in Kinds)
            {
                AssertAlike(kind, exchange.RequestBody, $"{set.Name} {name} request as {kind}");
            }
        }

        Assert.True(bodies > 10, $"only {bodies} bodies in {set}");
    }

    [Fact]
    public void The_benchmark_answer_and_the_usual_shapes_are_read_by_hand()
    {
        // W1's answer (tests/Agno.Benchmarks/Workloads/run-response.json, recorded from agno 2.9)
        byte[] w1 = """{"run_id":"966075d6","agent_id":"echo-agent","agent_name":"Echo Agent","session_id":"cb0c","content":"Echo: hello world (turn 1)","content_type":"str","model":"echo-model","model_provider":"Echo","session_state":{},"created_at":1795305470,"status":"COMPLETED","metrics":{"input_tokens":10,"output_tokens":5,"total_tokens":15,"time_to_first_token":0.0021691929999860804,"duration":0.002289103999942199,"details":{"model":[{"input_tokens":10,"output_tokens":5,"total_tokens":15,"id":"echo-model","provider":"Echo"}]}},"messages":[{"id":"1e69","content":"Echoes the last user message back.","from_history":false,"stop_after_tool_call":false,"role":"system","created_at":1795305470},{"id":"50e1","content":"Echo: hello world (turn 1)","from_history":false,"stop_after_tool_call":false,"role":"assistant","metrics":{"input_tokens":10,"output_tokens":5,"total_tokens":15,"time_to_first_token":0.00017019000006257556},"created_at":1795305470}],"tools":[],"input":{"input_content":"hello world"}}"""u8.ToArray();
        Assert.True(AssertAlike(Kind.Agent, w1, "W1"));
        var output = RunOutputReader.TryReadAgent(w1)!;
        Assert.Equal("Echo Agent", output.AgentName);
        Assert.Equal(RunStatus.Completed, output.Status);
        Assert.Equal(15, output.Metrics!.TotalTokens);
        Assert.Equal(2, output.Messages!.Count);
        Assert.Equal(0.00017019000006257556, output.Messages[1].Metrics!.TimeToFirstToken);
        Assert.False(output.Messages[0].FromHistory);
        Assert.Empty(output.Tools!);
        Assert.Empty(output.SessionState!);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305470), output.CreatedAt);

        // a tool message's own fields, a team with members, a workflow with steps: by hand too (the steps by their contract)
        Assert.True(AssertAlike(Kind.Agent, """{"run_id":"r","messages":[{"role":"tool","tool_call_id":"c","tool_name":"t","tool_args":{"a":1},"tool_call_error":false,"content":"42"}],"tools":[{"tool_call_id":"c","tool_name":"t","tool_args":{"a":1},"result":"42"}]}"""u8.ToArray(), "tools"));
        Assert.True(AssertAlike(Kind.Team, """{"run_id":"r","team_id":"t","member_responses":[{"run_id":"m","agent_id":"a","content":"x","team_id":"nested"}],"status":"COMPLETED"}"""u8.ToArray(), "team"));
        Assert.True(AssertAlike(Kind.Workflow, """{"run_id":"r","workflow_id":"w","input":"hi","step_results":[{"step_name":"s","content":"c","success":true}],"paused_step_index":1,"metrics":{"duration":1.5,"steps":{"s":{}}}}"""u8.ToArray(), "workflow"));

        // ... and the comparison tells outputs apart by any member, also one deep inside
        byte[] other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(w1).Replace("\"total_tokens\":15,\"id\"", "\"total_tokens\":16,\"id\"", StringComparison.Ordinal));
        Assert.NotEqual(Dump(RunOutputReader.TryReadAgent(w1)), Dump(RunOutputReader.TryReadAgent(other)));
        byte[] message = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(w1).Replace("\"role\":\"system\"", "\"role\":\"System\"", StringComparison.Ordinal));
        Assert.NotEqual(Dump(RunOutputReader.TryReadAgent(w1)), Dump(RunOutputReader.TryReadAgent(message)));
    }

    [Fact]
    public void An_empty_object_is_read_without_the_serializer_options_as_the_converter_reads_it_with_them()
    {
        // Utf8Fields reads "{}" (W1's session state) as a case-sensitive object without AgentOSJsonContext's options,
        // so that a process's first run creates no serializer options: the context's names must be case-sensitive.
        Assert.False(AgentOSJsonContext.Default.Options.PropertyNameCaseInsensitive);
        byte[] body = """{"session_state":{},"metadata":{ },"messages":[{"content":"c"}]}"""u8.ToArray();
        Assert.True(AssertAlike(Kind.Agent, body, "empty objects"));
        var byHand = RunOutputReader.TryReadAgent(body)!;
        var bySerializer = JsonSerializer.Deserialize(body, AgentOSJsonContext.Default.AgentRunOutput)!;
        Assert.Equal(bySerializer.SessionState!.Options?.PropertyNameCaseInsensitive, byHand.SessionState!.Options?.PropertyNameCaseInsensitive);
        Assert.Equal(bySerializer.Metadata!.Options?.PropertyNameCaseInsensitive, byHand.Metadata!.Options?.PropertyNameCaseInsensitive);
        Assert.Empty(byHand.SessionState);
        Assert.Empty(byHand.Metadata);
    }

    /// <summary>Fields of hostile shapes, tried alone, after the usual fields and before them, as each kind.</summary>
    private static readonly string[] HostileFields =
    [
        // escaped names and values
        "\"\\u0063ontent\":\"x\"",
        "\"run\\u005fid\":\"r\"",
        "\"content\":\"a\\\"b\\n\\u00e9\\ud83d\\ude00\"",
        "\"agent_name\":\"\\u00c9cho\"",
        "\"metrics\":{\"input\\u005ftokens\":1}",
        "\"messages\":[{\"r\\u006fle\":\"user\"}]",
        "\"br\\u0061nd_new\":1",

        // duplicates
        "\"content\":\"a\",\"content\":\"b\"",
        "\"run_id\":\"a\",\"run_id\":null",
        "\"created_at\":1,\"created_at\":2",
        "\"metrics\":{\"input_tokens\":1},\"metrics\":null",
        "\"metrics\":{\"input_tokens\":1,\"input_tokens\":2}",
        "\"metrics\":{\"x\":1,\"x\":2}",
        "\"brand_new\":1,\"brand_new\":2",
        "\"messages\":[{\"role\":\"a\",\"role\":\"b\"}]",
        "\"messages\":[{\"tool_args\":1,\"tool_args\":2}]",
        "\"messages\":[],\"messages\":[]",
        "\"tools\":[],\"tools\":null",

        // nulls
        "\"status\":null",
        "\"content\":null",
        "\"metrics\":null",
        "\"messages\":null",
        "\"messages\":[null]",
        "\"messages\":[{\"metrics\":null,\"created_at\":null,\"from_history\":null,\"content\":null,\"tool_calls\":null}]",
        "\"tools\":null",
        "\"tools\":[null]",
        "\"session_state\":null",
        "\"input\":null",
        "\"created_at\":null",
        "\"queue_attempt\":null",
        "\"member_responses\":null",
        "\"member_responses\":[null]",
        "\"step_results\":null",
        "\"metrics\":{\"input_tokens\":null}",
        "\"metrics\":{\"cost\":null,\"details\":null}",

        // wrong token types
        "\"status\":5",
        "\"status\":\"\"",
        "\"status\":\"paused\"",
        "\"status\":\"SOMETHING_NEW\"",
        "\"status\":{}",
        "\"content\":42",
        "\"content\":true",
        "\"content\":{\"answer\":42}",
        "\"content\":[1,2]",
        "\"content_type\":5",
        "\"run_id\":5",
        "\"run_id\":{\"id\":1}",
        "\"agent_id\":[]",
        "\"queue_attempt\":\"2\"",
        "\"queue_attempt\":1.5",
        "\"queue_attempt\":2147483648",
        "\"metrics\":[]",
        "\"metrics\":\"m\"",
        "\"metrics\":{\"input_tokens\":\"1\"}",
        "\"metrics\":{\"input_tokens\":1.5}",
        "\"metrics\":{\"cost\":\"1\"}",
        "\"metrics\":{\"details\":5}",
        "\"messages\":{}",
        "\"messages\":[1]",
        "\"messages\":[\"m\"]",
        "\"messages\":[{\"from_history\":\"false\"}]",
        "\"messages\":[{\"from_history\":0}]",
        "\"messages\":[{\"content\":{\"a\":1}}]",
        "\"messages\":[{\"content\":7}]",
        "\"messages\":[{\"role\":7}]",
        "\"messages\":[{\"metrics\":[]}]",
        "\"messages\":[{\"created_at\":\"2026-11-21T23:57:50Z\"}]",
        "\"messages\":[{\"created_at\":true}]",
        "\"messages\":[{\"created_at\":{}}]",
        "\"messages\":[{\"metrics\":{\"input_tokens\":1,\"input_tokens\":2}}]",
        "\"messages\":[{\"metrics\":{\"x\":1,\"x\":2,\"details\":{}}}]",
        "\"messages\":[{\"stop_after_tool_call\":true,\"from_history\":null,\"tool_calls\":[{\"id\":\"c\"}]}]",
        "\"member_responses\":[{\"metrics\":{\"cost\":null,\"cost\":1}}]",
        "\"member_responses\":[{\"metadata\":[],\"created_at\":false}]",
        "\"queue_attempt\":3,\"session_state\":{},\"metadata\":null",
        "\"tools\":{}",
        "\"tools\":[1]",
        "\"tools\":[{\"tool_name\":5}]",
        "\"tools\":[{\"tool_name\":\"t\",\"tool_args\":\"x\",\"unknown\":[1]}]",
        "\"requirements\":[{\"id\":\"q\"}]",
        "\"images\":[{\"url\":\"u\",\"extra\":1}]",
        "\"images\":\"x\"",
        "\"files\":[],\"audio\":[],\"videos\":[]",
        "\"session_state\":[1]",
        "\"session_state\":\"s\"",
        "\"session_state\":{\"a\":{\"b\":[1,{\"c\":null}]}}",
        "\"metadata\":5",
        "\"metadata\":{\"k\":\"v\"}",
        "\"created_at\":true",
        "\"created_at\":\"2026-11-21T23:57:50Z\"",
        "\"created_at\":\"1795305470.5\"",
        "\"created_at\":\"yesterday\"",
        "\"created_at\":{}",
        "\"member_responses\":{}",
        "\"member_responses\":[5]",
        "\"member_responses\":[{\"run_id\":\"m\",\"member_responses\":[{\"run_id\":\"n\"}]}]",
        "\"member_responses\":[{\"status\":5}]",
        "\"step_results\":[{\"step_name\":5}]",
        "\"step_requirements\":[{\"step_id\":\"s\"}]",
        "\"paused_step_index\":\"1\"",
        "\"pause_kind\":1",
        "\"workflow_id\":1",
        "\"team_id\":\"t\",\"team_name\":\"n\",\"workflow_name\":\"w\",\"agent_name\":\"a\",\"forked_from_run_id\":\"f\"",
        "\"citations\":{\"urls\":[]},\"references\":[],\"reasoning_steps\":[{}],\"events\":[{\"event\":\"RunStarted\"}]",
        "\"step_executor_runs\":[{}],\"error_requirements\":null",

        // names of ignored members and the extension data itself
        "\"is_paused\":true,\"is_cancelled\":true",
        "\"additional_properties\":{\"a\":1}",
        "\"AdditionalProperties\":{\"a\":1}",
        "\"Run_Id\":\"r\",\"RUN_ID\":\"r\",\"runId\":\"r\"",

        // huge and odd values
        "\"metrics\":{\"input_tokens\":99999999999999999999}",
        "\"metrics\":{\"cost\":1e999}",
        "\"metrics\":{\"total_tokens\":1e3}",
        "\"metrics\":{\"duration\":-0.0}",
        "\"metrics\":{\"duration\":123456789012345678901234567890}",
        "\"created_at\":1e30",
        "\"created_at\":99999999999999",
        "\"created_at\":-62135596801",
        "\"created_at\":1795305470.123456789",
        "\"content\":\"" + new string('x', 200_000) + "\"",
        "\"content\":\"" + string.Concat(Enumerable.Repeat("\\u00e9\\n", 40_000)) + "\",\"messages\":[{\"content\":\"" + string.Concat(Enumerable.Repeat("\\u00e9\\n", 40_000)) + "\"}]",
        "\"extra\":{\"a\":[{\"b\":{\"c\":null}}]}",
        "\"deep\":" + new string('[', 60) + new string(']', 60),
        "\"deep\":" + new string('[', 70) + new string(']', 70),
        "\"metrics\":{\"input_tokens\":1,\"provider_metrics\":{\"x\":{\"y\":[1]}}}",
    ];

    /// <summary>The usual fields (the W1 answer's), around which the hostile ones are placed.</summary>
    private const string Usual = "\"run_id\":\"r\",\"agent_id\":\"a\",\"session_id\":\"s\",\"content\":\"c\",\"content_type\":\"str\",\"status\":\"COMPLETED\",\"metrics\":{\"input_tokens\":1},\"messages\":[{\"id\":\"m\",\"role\":\"user\",\"content\":\"hi\",\"created_at\":1795305470}],\"tools\":[],\"created_at\":1795305470";

    [Fact]
    public void Hostile_fields_decode_alike()
    {
        foreach (string fields in HostileFields)
        {
            foreach (string body in new[] { "{" + fields + "}", "{" + Usual + "," + fields + "}", "{" + fields + "," + Usual + "}" })
            {
                byte[] data = Encoding.UTF8.GetBytes(body);
                foreach (var kind in Kinds)
                {
                    AssertAlike(kind, data, $"{kind} {(body.Length > 300 ? body[..300] + "…" : body)}");
                }
            }
        }
    }

    /// <summary>Whole bodies of hostile shapes: malformed, truncated, not an object, invalid text, trailing data.</summary>
    private static readonly byte[][] HostileBodies =
    [
        ""u8.ToArray(),
        " "u8.ToArray(),
        "null"u8.ToArray(),
        "[]"u8.ToArray(),
        "5"u8.ToArray(),
        "\"run\""u8.ToArray(),
        "{}"u8.ToArray(),
        "{"u8.ToArray(),
        "{\"run_id\":\"r\""u8.ToArray(),
        "{\"run_id\":\"r"u8.ToArray(),
        "{\"run_id\":}"u8.ToArray(),
        "{\"run_id\":\"r\",}"u8.ToArray(),
        "{\"messages\":[{\"id\":\"m\"}"u8.ToArray(),
        "{\"messages\":[{\"id\":\"m\"},]}"u8.ToArray(),
        "{\"messages\":[{\"id\":\"m\""u8.ToArray(),
        "{\"metrics\":{\"input_tokens\":1"u8.ToArray(),
        "{\"session_state\":{\"a\":"u8.ToArray(),
        "{\"tools\":[{\"tool_name\":\"t\""u8.ToArray(),
        "{\"run_id\":\"r\"}}"u8.ToArray(),
        "{\"run_id\":\"r\"} {\"x\":1}"u8.ToArray(),
        "{\"run_id\":\"r\"} \n\t "u8.ToArray(),
        "{\"run_id\":\"r\"} null"u8.ToArray(),
        "{'run_id':'r'}"u8.ToArray(),
        "{run_id:\"r\"}"u8.ToArray(),
        "{\"content\":\"\\ud800\"}"u8.ToArray(),
        "{\"messages\":[{\"content\":\"\\udc00x\"}]}"u8.ToArray(),
        "{\"agent_name\":\"\\ud800\"}"u8.ToArray(),
        "{\"content\":\"\\x\"}"u8.ToArray(),
        "{\"run_id\":\"r\" /* c */}"u8.ToArray(),
        "\uFEFF{\"run_id\":\"r\"}"u8.ToArray(),
        "{\"run_id\":\"r\"}\u0000"u8.ToArray(),
        "{\"created_at\":01}"u8.ToArray(),
        "{\"metrics\":{\"input_tokens\":-}}"u8.ToArray(),
        "{\"status\":\"COMPLETED\",\"content\":\"x\",\"status\":\"ERROR\"}"u8.ToArray(),
    ];

    [Fact]
    public void Hostile_bodies_decode_alike()
    {
        foreach (var data in HostileBodies)
        {
            foreach (var kind in Kinds)
            {
                AssertAlike(kind, data, $"{kind} {Encoding.UTF8.GetString(data)}");
            }
        }
    }

    /// <summary>
    /// Decodes <paramref name="body"/> as the kind's output by the serializer and by hand: the hand reader gives up, or
    /// gives the serializer's output (it never gives an output where the serializer throws). True when it read the body.
    /// </summary>
    private static bool AssertAlike(Kind kind, byte[] body, string where)
    {
        RunOutput? fast = kind switch
        {
            Kind.Agent => RunOutputReader.TryReadAgent(body),
            Kind.Team => RunOutputReader.TryReadTeam(body),
            _ => RunOutputReader.TryReadWorkflow(body),
        };

        RunOutput? expected;
        try
        {
            expected = kind switch
            {
                Kind.Agent => JsonSerializer.Deserialize(body, AgentOSJsonContext.Default.AgentRunOutput),
                Kind.Team => JsonSerializer.Deserialize(body, AgentOSJsonContext.Default.TeamRunOutput),
                _ => JsonSerializer.Deserialize(body, AgentOSJsonContext.Default.WorkflowRunOutput),
            };
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            Assert.True(fast is null, $"by hand read what the serializer rejects ({ex.GetType().Name}: {ex.Message}): {where}");
            return false;
        }

        if (fast is null)
        {
            return false;
        }

        Assert.True(expected is not null, "by hand read the JSON null: " + where);
        Assert.True(Dump(expected) == Dump(fast), "by hand: " + where);
        Assert.True(Serialize(kind, expected) == Serialize(kind, fast), "by hand, serialized again: " + where);
        return true;
    }

    /// <summary>The output serialized again, or the type of the error (a lone surrogate kept as JSON, an infinite cost cannot be written).</summary>
    private static string Serialize(Kind kind, RunOutput output)
    {
        try
        {
            return kind switch
            {
                Kind.Agent => JsonSerializer.Serialize((AgentRunOutput)output, AgentOSJsonContext.Default.AgentRunOutput),
                Kind.Team => JsonSerializer.Serialize((TeamRunOutput)output, AgentOSJsonContext.Default.TeamRunOutput),
                _ => JsonSerializer.Serialize((WorkflowRunOutput)output, AgentOSJsonContext.Default.WorkflowRunOutput),
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return "error: " + ex.GetType().Name + " " + ex.InnerException?.GetType().Name;
        }
    }

    private static string Dump(object? value)
    {
        var text = new StringBuilder();
        EventDecoderAgreementTests.Dump(text, value, 0);
        return text.ToString();
    }

    private static bool IsJsonObject(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
