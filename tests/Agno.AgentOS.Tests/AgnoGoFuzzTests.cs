using Agno.Testing;
using Agno.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Seeded mutation fuzzing of the agno-go answers (Fixtures/agno-go), read through the agno-go dialect: every mutant
/// decodes or fails with an <see cref="AgentOSException"/>, and no call hangs. 4,000 mutants by default; with
/// <c>AGNO_FUZZ_MUTANTS</c> a quarter of that number (at least one), from <c>AGNO_FUZZ_SEED</c>, as for <see cref="FuzzTests"/>.
/// </summary>
public sealed class AgnoGoFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AgnoGo_mutated_answers_either_decode_or_fail_typed_and_never_hang()
    {
        int mutants = FuzzCampaign.MutantsFromEnvironment(4_000, share: 4);
        var targets = FixtureSet.AgnoGo.Names.Select(FixtureSet.AgnoGo.Get).Select(f => (Fixture: f, Call: For(f))).Where(t => t.Call is not null).ToList();
        Assert.True(targets.Count >= 40, $"only {targets.Count} agno-go fixtures have a fuzz target");

        var report = await FuzzCampaign.RunAsync(
            targets,
            t => t.Fixture,
            async (t, address, http) =>
            {
                using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = address, Dialect = AgentOSDialect.AgnoGo, Retry = new() { Enabled = false } }, http);
                await t.Call!(client);
                return "ok";
            },
            ex => ex is AgentOSException ? ex.GetType().Name : null,
            FuzzCampaign.FirstSeedFromEnvironment(),
            mutants);

        foreach (var line in report.Lines("agno-go fixtures"))
        {
            output.WriteLine(line);
        }

        report.AssertNoFailures();
        if (mutants >= 100)
        {
            // the mutants must exercise both sides of the contract (not asserted when one seed is replayed)
            Assert.Contains("ok", report.Outcomes.Keys);
            Assert.Contains(nameof(AgentOSProtocolException), report.Outcomes.Keys);
        }
    }

    /// <summary>The client call that reads the answer of a recorded agno-go request; null for requests the client never makes.</summary>
    private static Func<AgentOSClient, Task>? For(RecordedExchange f)
    {
        string[] p = f.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        const string Session = "5e551010-0000-4000-8000-000000000001";
        return (f.Method, p) switch
        {
            ("GET", ["health"]) => c => c.GetHealthAsync(),
            ("GET", ["api", "v1", "agents"]) => c => c.GetRemoteAgent("echo-agent").GetDetailsAsync().AsTask(),
            ("POST", ["api", "v1", "sessions"]) => c => c.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent" }),
            ("GET", ["api", "v1", "sessions"]) => c => c.ListSessionsAsync(),
            ("GET", ["api", "v1", "sessions", _]) => c => c.GetSessionAsync(Session),
            ("PUT", ["api", "v1", "sessions", _]) => c => c.UpdateSessionAsync(Session, new UpdateSessionRequest { SessionName = "n" }),
            ("DELETE", ["api", "v1", "sessions", _]) => c => c.DeleteSessionAsync(Session),
            ("GET", ["api", "v1", "sessions", _, "history"]) => c => c.GetAgnoGoSessionHistoryAsync(Session),
            ("POST", ["api", "v1", "agents", var a, "run"]) when f.IsEventStream => c => c.RunAgentStreamingAsync(a, new RunRequest("hi")).CollectAsync(),
            ("POST", ["api", "v1", "agents", var a, "run"]) => c => c.RunAgentAsync(a, new RunRequest("hi")),
            ("POST", ["api", "v1", "agents", var a, "run", "stream"]) => c => c.RunAgentStreamingAsync(a, new RunRequest("hi")).CollectAsync(),
            _ => null,
        };
    }
}
