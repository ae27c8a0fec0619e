using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// Sends the recorded requests (tests/Agno.AgentOS.Tests/Fixtures/agentos) to this host, configured with the same
/// components as the recording server, and compares the answers' structure with the real server's: status, content
/// type, field names and JSON kinds, event names and order, error bodies. Ids, times and model text are ignored.
/// The deliberate differences are listed in <see cref="Deliberate"/> (and in the package README).
/// </summary>
public sealed class FidelityTests
{
    /// <summary>Deliberate differences: fixture to the differences accepted (substrings of the reported line).</summary>
    private static readonly Dictionary<string, string[]> Deliberate = new(StringComparer.Ordinal)
    {
        // /config lists only the session database: the host has no memory, metrics, evals, traces, knowledge or learning stores.
        ["004"] = ["$.metrics: missing", "$.memory: missing", "$.learning: missing", "$.knowledge: missing", "$.evals: missing", "$.traces: missing"],

        // agno 2.9.0 reports the step agent's run of a streamed workflow as CANCELLED although it completed (a bug); the host says COMPLETED.
        ["071"] = ["step_executor_runs[0].status: expected \"CANCELLED\", got \"COMPLETED\""],

        // After a workflow is continued, agno re-renders the earlier step runs with their events and loses the run's duration (null); the host keeps
        // each step run as it was stored and reports the duration.
        ["177"] = ["step_executor_runs[0].events: missing", "step_executor_runs[0].tools: unexpected", "metrics.duration: expected null, got number"],
    };

    /// <summary>Fixtures of routes or options this host does not serve (see the README), with the reason.</summary>
    private static readonly Dictionary<string, string> NotServed = new(StringComparer.Ordinal)
    {
        ["050"] = "memories", ["051"] = "memories", ["052"] = "memories",
        ["168"] = "continuing a completed run forks it in AgentOS; 409 here (tested below)",
        ["169"] = "the cancelled run of the recording is not reproducible; the 409 is tested in HostTests",
        ["181"] = "a poll while the recorded model was slow: the running poll is tested with a gated model in BackgroundRunTests",
        ["186"] = "a stream the recording client cut after a timed model's sixth event: cuts are tested with a gated model in BackgroundRunTests",
        ["187"] = "a resume during a timed model's run: catch-up and subscribe are tested with a gated model in BackgroundRunTests",
        ["188"] = "the stored run of the timed model of 186",
        ["210"] = "memories", ["211"] = "memories", ["212"] = "memories", ["213"] = "memories", ["214"] = "memories",
        ["215"] = "memories", ["216"] = "memories", ["217"] = "memories", ["218"] = "memories", ["219"] = "memories",
        ["220"] = "metrics", ["221"] = "metrics", ["222"] = "metrics", ["223"] = "evals", ["224"] = "evals",
    };

    /// <summary>Fixtures replayed by the tests of this class.</summary>
    private static readonly string[] Replayed =
    [
        "001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "011", "012",
        "020", "021", "022", "023", "030", "031", "032", "033", "034", "040", "041", "042", "043", "044", "045", "046", "047", "048",
        "060", "061", "062", "063", "070", "071", "072", "073", "080", "081", "082", "083", "084", "085", "086", "087",
        "090", "091", "092", "093", "094", "095", "096", "097",
        "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "110",
        "120", "121", "122", "123", "124", "125", "126", "127", "130", "131", "135", "136", "137", "138",
        "140", "141", "142", "143", "144", "145", "147", "148", "149", "150", "151", "152", "153", "154", "155", "156",
        "160", "161", "162", "163", "164", "165", "166", "167", "170", "171", "172", "173", "174", "175", "176", "177", "178", "179",
        "180", "182", "183", "184", "185", "189",
        "190", "191", "192", "193", "194", "195", "196", "197", "200", "201", "202", "203", "204", "205", "206", "207",
    ];

    [Fact]
    public void Every_recorded_exchange_is_replayed_or_listed_as_not_served()
    {
        var numbers = Fixtures.Names.Select(n => n[..3]).ToList();
        var unaccounted = numbers.Except(Replayed).Except(NotServed.Keys).ToList();
        var unknown = Replayed.Concat(NotServed.Keys).Except(numbers).ToList();

        Assert.Equal(159, numbers.Count);
        Assert.True(unaccounted.Count == 0, "Fixtures neither replayed nor listed as not served: " + string.Join(", ", unaccounted));
        Assert.True(unknown.Count == 0, "Listed fixtures that do not exist: " + string.Join(", ", unknown));
    }

    [Fact]
    public Task Discovery_routes_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, null, "001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "011", "012");

    [Fact]
    public Task Agent_runs_stored_runs_and_sessions_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, null,
            "020", "021", "022", "023", "030", "031", "032", "033", "034",
            "040", "041", "042", "043", "044", "045", "046", "047", "048");

    [Fact]
    public Task Team_runs_and_team_sessions_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, null, "060", "061", "062", "063");

    [Fact]
    public Task Workflow_runs_and_workflow_sessions_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, null, "070", "071", "072", "073");

    [Fact]
    public Task Tool_calls_pauses_and_continues_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, null, "080", "081", "082", "083", "084", "085", "086", "087", "107", "108");

    [Fact]
    public Task Error_answers_match_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, null, "100", "101", "102", "103", "104", "105", "106", "109", "110");

    [Fact]
    public Task Security_key_answers_match_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddBasic, "test-key-123", "200", "201", "202", "203", "204", "205", "206", "207");

    [Fact]
    public Task Failing_models_and_steps_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddExtended, null, "120", "121", "122", "123", "124", "125", "126", "127");

    [Fact]
    public Task Reasoning_structured_output_extras_unicode_and_media_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddExtended, null,
            "130", "131", "135", "136", "137", "138", "140", "141", "142", "143", "144", "145", "147", "148", "149",
            "150", "151", "152", "153", "154", "155", "156");

    [Fact]
    public Task User_input_and_external_execution_pauses_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddExtended, null, "160", "161", "162", "163", "164", "165", "166", "167");

    [Fact]
    public Task Team_pauses_and_continues_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddExtended, null, "170", "171", "172", "173", "174");

    [Fact]
    public Task Workflow_step_pauses_and_continues_answer_like_the_recorded_server()
        => ReplayAsync(FixtureComponents.AddExtended, null, "175", "176", "177", "178", "179");

    [Theory]
    [InlineData("2.9.0")]
    [InlineData("3.0.0")]
    public async Task Background_runs_polls_streams_and_resumes_answer_like_the_recorded_server(string agnoVersion)
    {
        Fixtures.Use(agnoVersion == "3.0.0" ? FixtureSet.Agno30 : FixtureSet.Agno29);
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic, o =>
        {
            o.OsId = "echo-os";
            o.AgnoVersion = agnoVersion;
        });
        using var replayer = new FixtureReplayer(host.BaseAddress);
        using var client = host.CreateClient();
        var report = new StringBuilder();
        var accepted = await replayer.SendAsync(Fixtures.Get("180"));
        Report(report, accepted);
        await client.GetRemoteAgent("echo-agent").WaitForRunAsync(accepted.Json!["run_id"]!.GetValue<string>(), "fixture-bg-session", TimeSpan.FromMilliseconds(20));
        foreach (var name in new[] { "182", "183", "184", "185", "189" })
        {
            Report(report, await replayer.SendAsync(Fixtures.Get(name)));
        }

        Assert.True(report.Length == 0, "Differences from the recorded server:\n" + report);
    }

    [Fact]
    public async Task Session_paging_sorting_patch_and_bulk_delete_answer_like_the_recorded_server()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddExtended);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        foreach (var (id, name) in new[] { ("fixture-page-0", "charlie"), ("fixture-page-1", "alpha"), ("fixture-page-2", "bravo") })
        {
            var body = new JsonObject { ["session_id"] = id, ["session_name"] = name, ["agent_id"] = "echo-agent", ["user_id"] = "paging-user" };
            using var created = await http.PostAsync("sessions?type=agent", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(201, (int)created.StatusCode);
        }

        await ReplayOnAsync(host, "190", "191", "192", "193", "194", "195", "196", "197");
    }

    [Fact]
    public async Task A_cancelled_stream_ends_and_is_stored_like_the_recorded_server()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var replayer = new FixtureReplayer(host.BaseAddress);
        var report = new StringBuilder();
        foreach (var (stream, cancel, kindEvent) in new[] { ("090", "091", "RunContent"), ("094", "095", "RunContent"), ("096", "097", "RunContent") })
        {
            HostAnswer? cancelAnswer = null;
            var streamFixture = Fixtures.Get(stream);
            var cancelFixture = Fixtures.Get(cancel);
            string recordedRunId = JsonNode.Parse(Shape.ParseSse(streamFixture.ResponseBody)[0].RawData)!["run_id"]!.GetValue<string>();
            var answer = await replayer.SendAsync(streamFixture, async frame =>
            {
                if (cancelAnswer is null && frame.Name == kindEvent)
                {
                    string? runId = null;
                    foreach (var f in new[] { frame })
                    {
                        runId = f.Data?["parent_run_id"]?.GetValue<string>() ?? f.Data?["workflow_run_id"]?.GetValue<string>() ?? f.Data?["run_id"]?.GetValue<string>();
                    }

                    replayer.Map(recordedRunId, runId!);
                    cancelAnswer = await replayer.SendAsync(cancelFixture);
                }
            });
            Report(report, answer);
            Assert.NotNull(cancelAnswer);
            Report(report, cancelAnswer);
        }

        Report(report, await replayer.SendAsync(Fixtures.Get("092")));
        Report(report, await replayer.SendAsync(Fixtures.Get("093")));
        Assert.True(report.Length == 0, "Differences from the recorded server:\n" + report);
    }

    [Fact]
    public async Task Continuing_a_completed_agent_run_is_a_conflict_here_a_deliberate_difference()
    {
        // AgentOS forks a completed run when it is continued (fixture 168); this host answers 409 instead.
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var run = await http.PostAsync("agents/echo-agent/runs", new FormUrlEncodedContent([new("message", "hi"), new("stream", "false"), new("session_id", "s-409")]));
        string runId = JsonNode.Parse(await run.Content.ReadAsStringAsync())!["run_id"]!.GetValue<string>();
        using var again = await http.PostAsync($"agents/echo-agent/runs/{runId}/continue", new FormUrlEncodedContent([new("tools", "[]"), new("session_id", "s-409"), new("stream", "false")]));
        Assert.Equal(409, (int)again.StatusCode);
        Assert.Equal($"Cannot continue run {runId}: run is already completed", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Through_a_gateway_runs_pauses_and_continues_still_answer_like_the_recorded_server()
    {
        await using var remote = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var remoteClient = remote.CreateClient();
        await using var gateway = await FixtureHost.StartAsync(_ => { }, extra: b => b.AddRemoteServer(remoteClient));
        await ReplayOnAsync(gateway, "005", "006", "008", "020", "021", "022", "023", "030", "031", "033", "060", "061", "070", "071", "080", "081", "082", "083", "084", "085", "100", "101");
    }

    private static async Task ReplayAsync(Action<AgentOSHostBuilder> components, string? key, params string[] fixtures)
    {
        await using var host = await FixtureHost.StartAsync(components, key);
        await ReplayOnAsync(host, fixtures);
    }

    private static async Task ReplayOnAsync(EmbeddedAgentOS host, params string[] fixtures)
    {
        using var replayer = new FixtureReplayer(host.BaseAddress);
        var report = new StringBuilder();
        foreach (var name in fixtures)
        {
            Report(report, await replayer.SendAsync(Fixtures.Get(name)));
        }

        Assert.True(report.Length == 0, "Differences from the recorded server:\n" + report);
    }

    private static void Report(StringBuilder report, HostAnswer answer)
    {
        string number = answer.Fixture.Name[..3];
        var allowed = Deliberate.GetValueOrDefault(number) ?? [];
        var diffs = FixtureReplayer.Differences(answer).Where(d => !allowed.Any(a => d.Contains(a, StringComparison.Ordinal))).ToList();
        if (diffs.Count > 0)
        {
            report.Append("## ").AppendLine(answer.Fixture.Name);
            foreach (var d in diffs)
            {
                report.Append("  ").AppendLine(d);
            }
        }
    }
}
