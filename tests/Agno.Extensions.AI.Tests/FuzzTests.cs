using System.Diagnostics;
using Agno.AgentOS;
using Agno.Testing;
using Agno.Testing.Fuzzing;
using Microsoft.Extensions.AI;
using Xunit;
using Xunit.Abstractions;

namespace Agno.Extensions.AI.Tests;

/// <summary>
/// Seeded mutation fuzzing of every recorded run answer (agent, team and workflow runs and continues, streaming and
/// not) read through <see cref="IChatClient"/>: a call answers, or throws an <see cref="AgentOSException"/>; nothing else escapes and no call takes longer than 5 s.
/// <c>AGNO_FUZZ_MUTANTS</c> (default 5,000) and <c>AGNO_FUZZ_SEED</c> as in the core's fuzz test.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public Task Mutated_run_answers_through_IChatClient_answer_or_fail_typed()
    {
        int mutants = int.TryParse(Environment.GetEnvironmentVariable("AGNO_FUZZ_MUTANTS"), out int m) ? m : 5_000;
        int firstSeed = int.TryParse(Environment.GetEnvironmentVariable("AGNO_FUZZ_SEED"), out int s) ? s : 1;
        return RunAsync(firstSeed, mutants, requireBothOutcomes: true);
    }

    /// <summary>Mutants that once escaped the contract (found by long runs), replayed on every run.</summary>
    [Theory]
    [InlineData(7235)]   // a lone surrogate in a tool's arguments
    [InlineData(372261)] // a lone surrogate in a property name of a workflow step's metrics (streamed)
    [InlineData(408003)] // the same, not streamed
    [InlineData(411873)] // a high surrogate without its low one
    [InlineData(625680)] // a null item in a tool's user_input_schema
    public Task Mutants_that_once_escaped_stay_typed(int seed) => RunAsync(seed, 1, requireBothOutcomes: false);

    private async Task RunAsync(int firstSeed, int mutants, bool requireBothOutcomes)
    {
        var runs = Fixtures.Names.Select(Fixtures.Get)
            .Where(f => f.Method == "POST" && f.Path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, _, "runs"])
            .ToList();
        Assert.True(runs.Count > 40, $"only {runs.Count} run fixtures");

        await using var server = await FuzzServer.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
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
                var fixture = runs[random.Next(runs.Count)];
                var (body, what) = Mutator.Mutate(fixture.ResponseBody, random, fixture.IsEventStream);
                server.Set(seed, new FuzzAnswer(fixture.StatusCode, fixture.ResponseHeader("content-type"), body, 1 + random.Next(3)));
                try
                {
                    using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.AddressOf(seed) }, http);
                    var segments = fixture.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                    IChatClient chat = segments[0] switch
                    {
                        "agents" => client.GetRemoteAgent(segments[1]).AsIChatClient(),
                        "teams" => client.GetRemoteTeam(segments[1]).AsIChatClient(),
                        _ => client.GetRemoteWorkflow(segments[1]).AsIChatClient(),
                    };

                    var call = Consume(chat, fixture.IsEventStream);
                    if (await Task.WhenAny(call, Task.Delay(CallLimit)) != call)
                    {
                        failures.Enqueue($"seed {seed} ({fixture.Name}; {what}): the call did not end within {CallLimit.TotalSeconds} s");
                        continue;
                    }

                    outcomes.AddOrUpdate(await call, 1, (_, c) => c + 1);
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
        output.WriteLine($"{Math.Min(next, mutants)} mutants of {runs.Count} run fixtures in {watch.Elapsed.TotalSeconds:0.0} s");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"  {count,7}  {outcome}");
        }

        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(10)));
        Assert.Equal(mutants, outcomes.Values.Sum());
        if (requireBothOutcomes)
        {
            Assert.Contains("ok", outcomes.Keys);
            Assert.Contains(nameof(AgentOSProtocolException), outcomes.Keys);
        }
    }

    private static async Task<string> Consume(IChatClient chat, bool streaming)
    {
        if (streaming)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var u in chat.GetStreamingResponseAsync("fuzz"))
            {
                updates.Add(u);
            }

            _ = updates.ToChatResponse();
            return "ok";
        }

        var response = await chat.GetResponseAsync("fuzz");
        Assert.NotNull(response.Messages);
        return "ok";
    }
}
