using System.Diagnostics;
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
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AgnoGo_mutated_answers_either_decode_or_fail_typed_and_never_hang()
    {
        int mutants = int.TryParse(Environment.GetEnvironmentVariable("AGNO_FUZZ_MUTANTS"), out int m) ? Math.Max(1, m / 4) : 4_000;
        int firstSeed = int.TryParse(Environment.GetEnvironmentVariable("AGNO_FUZZ_SEED"), out int s) ? s : 1;
        var targets = FixtureSet.AgnoGo.Names.Select(FixtureSet.AgnoGo.Get).Select(f => (Fixture: f, Call: For(f))).Where(t => t.Call is not null).ToList();
        Assert.True(targets.Count >= 40, $"only {targets.Count} agno-go fixtures have a fuzz target");

        await using var server = await FuzzServer.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        int next = 0;
        var watch = Stopwatch.StartNew();

        async Task Worker()
        {
            while (true)
            {
                int i = Interlocked.Increment(ref next) - 1;
                if (i >= mutants || failures.Count >= 20)
                {
                    return;
                }

                int seed = firstSeed + i;
                var random = new Random(seed);
                var (fixture, call) = targets[random.Next(targets.Count)];
                var (body, what) = Mutator.Mutate(fixture.ResponseBody, random, fixture.IsEventStream);
                server.Set(seed, new FuzzAnswer(fixture.StatusCode, fixture.ResponseHeader("content-type"), body, 1 + random.Next(3)));
                try
                {
                    using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.AddressOf(seed), Dialect = AgentOSDialect.AgnoGo, Retry = new() { Enabled = false } }, http);
                    var run = call!(client);
                    var finished = await Task.WhenAny(run, Task.Delay(CallLimit));
                    if (finished != run)
                    {
                        failures.Enqueue($"seed {seed} ({fixture.Name}; {what}): the call did not end within {CallLimit.TotalSeconds} s");
                        continue;
                    }

                    await run;
                    outcomes.AddOrUpdate("ok", 1, (_, c) => c + 1);
                }
                catch (AgentOSException ex)
                {
                    outcomes.AddOrUpdate(ex.GetType().Name, 1, (_, c) => c + 1);
                }
                catch (Exception ex)
                {
                    failures.Enqueue($"seed {seed} ({fixture.Name}; {what}): {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
                }
                finally
                {
                    server.Remove(seed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)));
        output.WriteLine($"{Math.Min(next, mutants)} mutants of {targets.Count} agno-go fixtures in {watch.Elapsed.TotalSeconds:0.0} s (seeds {firstSeed}..{firstSeed + mutants - 1})");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"  {count,7}  {outcome}");
        }

        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(10)));
        if (mutants >= 100)
        {
            // the mutants must exercise both sides of the contract (not asserted when one seed is replayed)
            Assert.Contains("ok", outcomes.Keys);
            Assert.Contains(nameof(AgentOSProtocolException), outcomes.Keys);
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
