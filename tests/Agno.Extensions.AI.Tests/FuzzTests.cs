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
    [Fact]
    public Task Mutated_run_answers_through_IChatClient_answer_or_fail_typed()
    {
        return RunAsync(FuzzCampaign.FirstSeedFromEnvironment(), FuzzCampaign.MutantsFromEnvironment(5_000), requireBothOutcomes: true);
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

        var report = await FuzzCampaign.RunAsync(
            runs,
            f => f,
            async (fixture, address, http) =>
            {
                using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = address }, http);
                var segments = fixture.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                IChatClient chat = segments[0] switch
                {
                    "agents" => client.GetRemoteAgent(segments[1]).AsIChatClient(),
                    "teams" => client.GetRemoteTeam(segments[1]).AsIChatClient(),
                    _ => client.GetRemoteWorkflow(segments[1]).AsIChatClient(),
                };
                return await Consume(chat, fixture.IsEventStream);
            },
            ex => ex is AgentOSException ? ex.GetType().Name : null,
            firstSeed,
            mutants);

        foreach (var line in report.Lines("run fixtures"))
        {
            output.WriteLine(line);
        }

        report.AssertNoFailures();
        Assert.Equal(mutants, report.Outcomes.Values.Sum());
        if (requireBothOutcomes)
        {
            Assert.Contains("ok", report.Outcomes.Keys);
            Assert.Contains(nameof(AgentOSProtocolException), report.Outcomes.Keys);
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
