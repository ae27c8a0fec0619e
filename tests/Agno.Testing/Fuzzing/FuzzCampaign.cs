using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Agno.Testing.Fuzzing;

/// <summary>
/// One seeded fuzz campaign: mutant <c>n</c> (seed <c>firstSeed + n</c>) picks a target, mutates its recorded answer
/// (<see cref="Mutator"/>), serves it on a <see cref="FuzzServer"/> address of its own and makes the target's call
/// there, four at a time. The contract every fuzz test checks: a call returns an outcome, or throws an exception the
/// caller names as typed; nothing else escapes, and no call takes longer than <see cref="CallLimit"/>. A failure names
/// the seed of its mutant, so it is replayed with <c>AGNO_FUZZ_SEED=n AGNO_FUZZ_MUTANTS=1</c>.
/// </summary>
public static class FuzzCampaign
{
    /// <summary>How long one call may take.</summary>
    public static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(5);

    /// <summary>The number of mutants: <c>AGNO_FUZZ_MUTANTS</c> divided by <paramref name="share"/> (at least one), else <paramref name="defaultCount"/>.</summary>
    /// <param name="defaultCount">The count without the variable.</param>
    /// <param name="share">The part of the variable's count this campaign takes.</param>
    /// <returns>The count.</returns>
    public static int MutantsFromEnvironment(int defaultCount, int share = 1)
        => int.TryParse(Environment.GetEnvironmentVariable("AGNO_FUZZ_MUTANTS"), out int m) ? Math.Max(1, m / share) : defaultCount;

    /// <summary>The first seed: <c>AGNO_FUZZ_SEED</c>, else 1.</summary>
    /// <returns>The seed.</returns>
    public static int FirstSeedFromEnvironment()
        => int.TryParse(Environment.GetEnvironmentVariable("AGNO_FUZZ_SEED"), out int s) ? s : 1;

    /// <summary>Runs the campaign.</summary>
    /// <typeparam name="T">A target.</typeparam>
    /// <param name="targets">The targets; each mutant picks one.</param>
    /// <param name="fixtureOf">The recorded exchange whose answer a target mutates.</param>
    /// <param name="call">The target's call against a mutant's address, through a shared HttpClient; answers its outcome (e.g. <c>ok</c>).</param>
    /// <param name="typedOutcome">The outcome name of an exception the contract allows (e.g. its type name for the library's exceptions), or null for an escape.</param>
    /// <param name="firstSeed">The first mutant's seed.</param>
    /// <param name="mutants">The number of mutants.</param>
    /// <returns>What happened.</returns>
    public static async Task<FuzzReport> RunAsync<T>(IReadOnlyList<T> targets, Func<T, RecordedExchange> fixtureOf, Func<T, Uri, HttpClient, Task<string>> call, Func<Exception, string?> typedOutcome, int firstSeed, int mutants)
    {
        Assert.NotEmpty(targets);
        await using var server = await FuzzServer.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var failures = new ConcurrentQueue<string>();
        var outcomes = new ConcurrentDictionary<string, int>();
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
                var target = targets[random.Next(targets.Count)];
                var fixture = fixtureOf(target);
                var (body, what) = Mutator.Mutate(fixture.ResponseBody, random, fixture.IsEventStream);
                server.Set(seed, new FuzzAnswer(fixture.StatusCode, fixture.ResponseHeader("content-type"), body, 1 + random.Next(3)));
                try
                {
                    var run = call(target, server.AddressOf(seed), http);
                    if (await Task.WhenAny(run, Task.Delay(CallLimit)) != run)
                    {
                        failures.Enqueue($"seed {seed} ({fixture.Name}; {what}): the call did not end within {CallLimit.TotalSeconds} s");
                        continue;
                    }

                    string outcome = await run;
                    outcomes.AddOrUpdate(outcome, 1, (_, c) => c + 1);
                }
                catch (Exception ex) when (typedOutcome(ex) is { } typed)
                {
                    outcomes.AddOrUpdate(typed, 1, (_, c) => c + 1);
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
        return new FuzzReport(Math.Min(next, mutants), targets.Count, firstSeed, watch.Elapsed, new Dictionary<string, int>(outcomes), [.. failures]);
    }
}

/// <summary>What a <see cref="FuzzCampaign"/> saw.</summary>
/// <param name="Mutants">The mutants tried.</param>
/// <param name="Targets">The targets they were drawn from.</param>
/// <param name="FirstSeed">The first seed.</param>
/// <param name="Elapsed">The campaign's wall time.</param>
/// <param name="Outcomes">The count of each outcome (answers and typed exceptions).</param>
/// <param name="Failures">The escapes and hangs, with their seeds.</param>
public sealed record FuzzReport(int Mutants, int Targets, int FirstSeed, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<string> Failures)
{
    /// <summary>The report as lines for a test's output: the counts, the seeds, then each outcome.</summary>
    /// <param name="what">What the targets are (e.g. "fixtures").</param>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Lines(string what)
    {
        yield return $"{Mutants} mutants of {Targets} {what} in {Elapsed.TotalSeconds:0.0} s (seeds {FirstSeed}..{FirstSeed + Mutants - 1})";
        foreach (var (outcome, count) in Outcomes.OrderByDescending(o => o.Value))
        {
            yield return $"  {count,7}  {outcome}";
        }
    }

    /// <summary>Fails with the first escapes and hangs, by seed.</summary>
    public void AssertNoFailures() => Assert.True(Failures.Count == 0, string.Join("\n\n", Failures.Take(10)));
}
