using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// <c>GET /sessions/{id}/runs</c> and <c>GET /sessions/{id}/runs/{run_id}</c> of agent, team and workflow sessions, key
/// order and nulls included (<see cref="Shape.Compare"/> compares key sets, not their order). Agent runs are compared
/// with the recorded agno 2.9 answers (043, 044) object by object; team and workflow runs, which the recording does not
/// list, with the recorded agent run's keys, changed as agno's <c>TeamRunSchema</c> (<c>team_id</c>) and
/// <c>WorkflowRunSchema</c> (<c>workflow_id</c>, <c>content_type</c>, the <c>step_*</c> and pause fields) change them.
/// </summary>
public sealed class SessionRunShapeTests
{
    /// <summary>The workflow schema's own fields, after <c>created_at</c>.</summary>
    private static readonly string[] WorkflowFields = ["step_results", "step_executor_runs", "step_requirements", "pause_kind", "paused_step_name", "paused_step_index"];

    [Fact]
    public async Task Agent_session_runs_have_the_recorded_key_order_in_every_object()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var replayer = new FixtureReplayer(host.BaseAddress);
        foreach (var name in new[] { "030", "031", "032", "033" })
        {
            await replayer.SendAsync(Fixtures.Get(name));
        }

        var report = new StringBuilder();
        foreach (var name in new[] { "043", "044" })
        {
            var fixture = Fixtures.Get(name);
            var answer = await replayer.SendAsync(fixture);
            Assert.Equal(200, answer.StatusCode);
            foreach (var d in KeyOrderDifferences(JsonNode.Parse(fixture.ResponseBody), answer.Json, "$"))
            {
                report.Append(name).Append(' ').AppendLine(d);
            }
        }

        Assert.True(report.Length == 0, "Key order differs from the recorded server:\n" + report);
    }

    [Fact]
    public async Task Team_session_runs_list_the_member_runs_then_the_team_run_with_the_agent_schemas_keys()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var run = await http.PostAsync("teams/echo-team/runs", Form(("message", "hello team"), ("stream", "false"), ("session_id", "shape-team"), ("user_id", "u1")));
        var output = JsonNode.Parse(await run.Content.ReadAsStringAsync())!.AsObject();
        string teamRunId = output["run_id"]!.GetValue<string>();

        var runs = JsonNode.Parse(await http.GetStringAsync("sessions/shape-team/runs?type=team"))!.AsArray().Select(r => r!.AsObject()).ToList();
        var single = JsonNode.Parse(await http.GetStringAsync($"sessions/shape-team/runs/{teamRunId}?type=team"))!.AsObject();

        var recordedList = RecordedKeys("043", 2);
        var recordedSingle = RecordedKeys("044", 0);
        Assert.True(runs.Count >= 2);
        var team = runs[^1];
        Assert.Equal(teamRunId, team["run_id"]!.GetValue<string>());
        Assert.Equal("echo-team", team["team_id"]!.GetValue<string>());
        Assert.Equal(output["content"]!.GetValue<string>(), team["content"]!.GetValue<string>());
        Assert.Equal("COMPLETED", team["status"]!.GetValue<string>());
        AssertOrderedLike(Renamed(recordedList, "agent_id", "team_id"), team);
        foreach (var member in runs.Take(runs.Count - 1))
        {
            Assert.Equal(teamRunId, member["parent_run_id"]!.GetValue<string>());
            Assert.Equal("echo-member", member["agent_id"]!.GetValue<string>());
            AssertOrderedLike(recordedList, member);
        }

        // the single run keeps its nulls: exactly the recorded agent run's keys, team_id for agent_id
        Assert.Equal(Renamed(recordedSingle, "agent_id", "team_id"), single.Select(kv => kv.Key));
        Assert.Null(single["citations"]);
        Assert.Null(single["forked_from_run_id"]);
        Assert.Equal(team["messages"]!.ToJsonString(), single["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Workflow_session_runs_have_the_workflow_schemas_keys_nulls_left_out_in_the_list_and_kept_in_the_single_run()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var run = await http.PostAsync("workflows/echo-workflow/runs", Form(("message", "hello workflow"), ("stream", "false"), ("session_id", "shape-wf")));
        var output = JsonNode.Parse(await run.Content.ReadAsStringAsync())!.AsObject();
        string runId = output["run_id"]!.GetValue<string>();

        var runs = JsonNode.Parse(await http.GetStringAsync("sessions/shape-wf/runs?type=workflow"))!.AsArray().Select(r => r!.AsObject()).ToList();
        var single = JsonNode.Parse(await http.GetStringAsync($"sessions/shape-wf/runs/{runId}?type=workflow"))!.AsObject();

        var listed = Assert.Single(runs);
        var expected = WorkflowKeys(RecordedKeys("044", 0));
        Assert.Equal(expected, single.Select(kv => kv.Key));
        Assert.Null(single["pause_kind"]);
        Assert.Null(single["step_requirements"]);
        Assert.Equal("str", single["content_type"]!.GetValue<string>());
        Assert.Equal(output["content"]!.ToJsonString(), single["content"]!.ToJsonString());
        Assert.Equal(output["step_results"]!.ToJsonString(), single["step_results"]!.ToJsonString());

        // the list leaves the null-valued fields out, in the same order
        Assert.Equal(expected.Where(k => single[k] is not null), listed.Select(kv => kv.Key));
        Assert.Equal("echo-workflow", listed["workflow_id"]!.GetValue<string>());
        Assert.False(listed.ContainsKey("messages"));
    }

    /// <summary>The recorded agent run schema's keys, as agno's <c>WorkflowRunSchema</c> has them.</summary>
    private static List<string> WorkflowKeys(IReadOnlyList<string> agentKeys)
    {
        var keys = new List<string>();
        foreach (var key in agentKeys)
        {
            switch (key)
            {
                case "agent_id":
                    keys.Add("workflow_id");
                    break;
                case "content":
                    keys.Add(key);
                    keys.Add("content_type");
                    break;
                case "messages" or "tools":
                    break;
                case "created_at":
                    keys.Add(key);
                    keys.AddRange(WorkflowFields);
                    break;
                default:
                    keys.Add(key);
                    break;
            }
        }

        return keys;
    }

    /// <summary>The keys of one recorded run (of a list: item <paramref name="index"/>).</summary>
    private static List<string> RecordedKeys(string fixture, int index)
    {
        var body = JsonNode.Parse(Fixtures.Get(fixture).ResponseBody)!;
        var run = body is JsonArray list ? list[index]!.AsObject() : body.AsObject();
        return [.. run.Select(kv => kv.Key)];
    }

    private static List<string> Renamed(IEnumerable<string> keys, string from, string to) => [.. keys.Select(k => k == from ? to : k)];

    /// <summary>
    /// The object has every recorded key (their values may be null only where agno leaves them out), and its keys come
    /// in the order of <paramref name="recorded"/>, extended with <c>tools</c> after <c>messages</c> and <c>events</c>
    /// before <c>created_at</c> (present when the run has some).
    /// </summary>
    private static void AssertOrderedLike(IReadOnlyList<string> recorded, JsonObject actual)
    {
        var order = new List<string>(recorded);
        if (!order.Contains("tools"))
        {
            order.Insert(order.IndexOf("messages") + 1, "tools");
        }

        if (!order.Contains("events"))
        {
            order.Insert(order.IndexOf("created_at"), "events");
        }

        var keys = actual.Select(kv => kv.Key).ToList();
        Assert.Equal(order.Where(keys.Contains), keys);
        Assert.All(recorded.Where(k => k != "events"), k => Assert.Contains(k, keys));
    }

    /// <summary>Where the key order of an answer differs from the recording's, object by object.</summary>
    private static IEnumerable<string> KeyOrderDifferences(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject e when actual is JsonObject a:
                var ek = e.Select(kv => kv.Key).ToList();
                var ak = a.Select(kv => kv.Key).ToList();
                if (!ek.SequenceEqual(ak))
                {
                    yield return $"{path}: expected [{string.Join(',', ek)}], got [{string.Join(',', ak)}]";
                    yield break;
                }

                foreach (var key in ek)
                {
                    foreach (var d in KeyOrderDifferences(e[key], a[key], $"{path}.{key}"))
                    {
                        yield return d;
                    }
                }

                break;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count)
                {
                    yield return $"{path}: expected {e.Count} items, got {a.Count}";
                    yield break;
                }

                for (int i = 0; i < e.Count; i++)
                {
                    foreach (var d in KeyOrderDifferences(e[i], a[i], $"{path}[{i}]"))
                    {
                        yield return d;
                    }
                }

                break;
            case null when actual is null:
                break;
            default:
                if ((expected is JsonObject or JsonArray) || (actual is JsonObject or JsonArray) || (expected is null) != (actual is null))
                {
                    yield return $"{path}: expected {expected?.GetValueKind().ToString() ?? "null"}, got {actual?.GetValueKind().ToString() ?? "null"}";
                }

                break;
        }
    }
}
