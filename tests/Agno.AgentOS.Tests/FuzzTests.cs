using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Agno.Testing;
using Agno.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Seeded mutation fuzzing of every recorded answer, served over a real socket and read through the client as the
/// recorded request would have been (streams through the core event stream, JSON answers through the typed call).
/// The contract: a call returns, or throws an <see cref="AgentOSException"/>; nothing else escapes, no call takes
/// longer than 5 s, and a stream never ends quietly without a terminal event. The mutant count is
/// <c>AGNO_FUZZ_MUTANTS</c> (default 20,000) and the seed <c>AGNO_FUZZ_SEED</c>; a failure names the seed of its
/// mutant, so it is replayed with <c>AGNO_FUZZ_SEED=n AGNO_FUZZ_MUTANTS=1</c>.
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mutated_answers_either_decode_or_fail_typed_and_never_hang()
    {
        int mutants = FuzzCampaign.MutantsFromEnvironment(20_000);
        var targets = Fixtures.Names.Select(Fixtures.Get).Select(f => (Fixture: f, Call: FuzzTargets.For(f))).Where(t => t.Call is not null).ToList();
        Assert.True(targets.Count > 120, $"only {targets.Count} fixtures have a fuzz target");

        var report = await FuzzCampaign.RunAsync(
            targets,
            t => t.Fixture,
            async (t, address, http) =>
            {
                using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = address }, http);
                return await t.Call!(client, CancellationToken.None);
            },
            ex => ex is AgentOSException ? ex.GetType().Name : null,
            FuzzCampaign.FirstSeedFromEnvironment(),
            mutants);

        foreach (var line in report.Lines("fixtures"))
        {
            output.WriteLine(line);
        }

        report.AssertNoFailures();
        // the mutants must exercise both sides of the contract
        Assert.Contains(report.Outcomes.Keys, k => k.StartsWith("ok", StringComparison.Ordinal));
        Assert.Contains(nameof(AgentOSProtocolException), report.Outcomes.Keys);
    }
}

/// <summary>The client call that reads each recorded answer, chosen from the recorded request.</summary>
internal static partial class FuzzTargets
{
    public static Func<AgentOSClient, CancellationToken, Task<string>>? For(RecordedExchange f)
    {
        string path = f.Path.TrimStart('/');
        string method = f.Method;
        bool stream = f.IsEventStream;
        bool background = Encoding.Latin1.GetString(f.RequestBody).Contains("background", StringComparison.Ordinal)
            && (f.StatusCode == 202 || stream);
        var seg = path.Split('/');
        const string S = "s-1";

        if (method == "GET")
        {
            switch (seg)
            {
                case ["health"]: return Ok(c => c.GetHealthAsync());
                case [""]: return Ok(c => c.GetApiHomeAsync());
                case ["info"]: return Ok(c => c.GetInfoAsync());
                case ["config"]: return Ok(c => c.GetConfigAsync());
                case ["models"]: return Ok(c => c.GetModelsAsync());
                case ["agents"]: return Ok(c => c.ListAgentsAsync());
                case ["teams"]: return Ok(c => c.ListTeamsAsync());
                case ["workflows"]: return Ok(c => c.ListWorkflowsAsync());
                case ["agents", var id]: return Ok(c => c.GetAgentAsync(id));
                case ["teams", var id]: return Ok(c => c.GetTeamAsync(id));
                case ["workflows", var id]: return Ok(c => c.GetWorkflowAsync(id));
                case ["agents", var id, "runs", var run]: return Ok(c => c.GetAgentRunAsync(id, run, S));
                case ["teams", var id, "runs", var run]: return Ok(c => c.GetTeamRunAsync(id, run, S));
                case ["workflows", var id, "runs", var run]: return Ok(c => c.GetWorkflowRunAsync(id, run, S));
                case ["agents", var id, "runs"]: return Ok(c => c.ListAgentRunsAsync(id, S));
                case ["sessions"]: return Ok(c => c.ListSessionsAsync());
                case ["sessions", var id]: return Ok(c => c.GetSessionAsync(id));
                case ["sessions", var id, "runs"]: return Ok(c => c.GetSessionRunsAsync(id));
                case ["sessions", var id, "runs", var run]: return Ok(c => c.GetSessionRunAsync(id, run));
                case ["memories"]: return Ok(c => c.ListMemoriesAsync());
                case ["memories", var id]: return Ok(c => c.GetMemoryAsync(id));
                case ["memory_topics"]: return Ok(c => c.GetMemoryTopicsAsync());
                case ["user_memory_stats"]: return Ok(c => c.GetUserMemoryStatsAsync());
                case ["metrics"]: return Ok(c => c.GetMetricsAsync());
                case ["eval-runs"]: return Ok(c => c.ListEvalRunsAsync());
                case ["eval-runs", var id]: return Ok(c => c.GetEvalRunAsync(id));
            }

            return null;
        }

        if (method == "POST")
        {
            if (seg.Length >= 3 && seg[0] is not ("agents" or "teams" or "workflows") && seg[2] == "runs")
            {
                return null;
            }

            switch (seg)
            {
                case [var kind, var id, "runs"]:
                {
                    var request = new RunRequest("fuzz") { SessionId = S };
                    if (stream)
                    {
                        return background
                            ? Events(kind, c => kind switch { "agents" => c.RunAgentInBackgroundStreamingAsync(id, request), "teams" => c.RunTeamInBackgroundStreamingAsync(id, request), _ => c.RunWorkflowInBackgroundStreamingAsync(id, request) })
                            : Events(kind, c => kind switch { "agents" => c.RunAgentStreamingAsync(id, request), "teams" => c.RunTeamStreamingAsync(id, request), _ => c.RunWorkflowStreamingAsync(id, request) });
                    }

                    if (background)
                    {
                        return kind switch
                        {
                            "agents" => Ok(c => c.StartAgentRunInBackgroundAsync(id, request)),
                            "teams" => Ok(c => c.StartTeamRunInBackgroundAsync(id, request)),
                            _ => Ok(c => c.StartWorkflowRunInBackgroundAsync(id, request)),
                        };
                    }

                    return kind switch
                    {
                        "agents" => Ok(c => c.RunAgentAsync(id, request)),
                        "teams" => Ok(c => c.RunTeamAsync(id, request)),
                        _ => Ok(c => c.RunWorkflowAsync(id, request)),
                    };
                }

                case [var kind, var id, "runs", var run, "continue"]:
                {
                    var request = new ContinueRunRequest(S);
                    if (stream)
                    {
                        return Events(kind, c => kind switch { "agents" => c.ContinueAgentRunStreamingAsync(id, run, request), "teams" => c.ContinueTeamRunStreamingAsync(id, run, request), _ => c.ContinueWorkflowRunStreamingAsync(id, run, request) });
                    }

                    return kind switch
                    {
                        "agents" => Ok(c => c.ContinueAgentRunAsync(id, run, request)),
                        "teams" => Ok(c => c.ContinueTeamRunAsync(id, run, request)),
                        _ => Ok(c => c.ContinueWorkflowRunAsync(id, run, request)),
                    };
                }

                case [var kind, var id, "runs", var run, "resume"]:
                    return Events(kind, c => kind switch { "agents" => c.ResumeAgentRunStreamingAsync(id, run, S, 3), "teams" => c.ResumeTeamRunStreamingAsync(id, run, S, 3), _ => c.ResumeWorkflowRunStreamingAsync(id, run, S, 3) });

                case [var kind, var id, "runs", var run, "cancel"]:
                    return Done(c => kind switch { "agents" => c.CancelAgentRunAsync(id, run, S), "teams" => c.CancelTeamRunAsync(id, run, S), _ => c.CancelWorkflowRunAsync(id, run, S) });

                case ["sessions"]: return Ok(c => c.CreateSessionAsync(new CreateSessionRequest()));
                case ["sessions", var id, "rename"]: return Ok(c => c.RenameSessionAsync(id, "name"));
                case ["memories"]: return Ok(c => c.CreateMemoryAsync(new MemoryContent("fuzz")));
                case ["metrics", "refresh"]: return Ok(c => c.RefreshMetricsAsync());
            }

            return null;
        }

        if (method == "PATCH")
        {
            switch (seg)
            {
                case ["sessions", var id]: return Ok(c => c.UpdateSessionAsync(id, new UpdateSessionRequest()));
                case ["memories", var id]: return Ok(c => c.UpdateMemoryAsync(id, new MemoryContent("fuzz")));
            }

            return null;
        }

        if (method == "DELETE")
        {
            switch (seg)
            {
                case ["sessions", var id]: return Done(c => c.DeleteSessionAsync(id));
                case ["sessions"]: return Done(c => c.DeleteSessionsAsync(["a", "b"]));
                case ["memories", var id]: return Done(c => c.DeleteMemoryAsync(id));
                case ["memories"]: return Done(c => c.DeleteMemoriesAsync(["a", "b"]));
            }
        }

        return null;
    }

    private static Func<AgentOSClient, CancellationToken, Task<string>> Ok<T>(Func<AgentOSClient, Task<T>> call)
        => async (c, _) =>
        {
            var result = await call(c);
            Assert.NotNull(result);
            return "ok " + typeof(T).Name;
        };

    private static Func<AgentOSClient, CancellationToken, Task<string>> Done(Func<AgentOSClient, Task> call)
        => async (c, _) =>
        {
            await call(c);
            return "ok (no content)";
        };

    private static Func<AgentOSClient, CancellationToken, Task<string>> Events(string kind, Func<AgentOSClient, IAsyncEnumerable<AgentOSEvent>> call)
        => async (c, ct) =>
        {
            var scope = kind switch { "agents" => EventScope.Agent, "teams" => EventScope.Team, _ => EventScope.Workflow };
            bool terminal = false;
            int malformed = 0;
            await foreach (var e in call(c).WithCancellation(ct))
            {
                if (e is MalformedEvent)
                {
                    malformed++;
                }

                if (e.Scope == scope && !e.IsNested && e is RunCompletedEvent or RunPausedEvent or RunCancelledEvent)
                {
                    terminal = true;
                }
            }

            Assert.True(terminal, "the stream ended without a terminal event and without an exception");
            return malformed > 0 ? "ok stream with malformed events" : "ok stream";
        };
}
