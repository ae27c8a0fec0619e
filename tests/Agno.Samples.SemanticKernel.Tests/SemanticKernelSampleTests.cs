using Agno.Samples.Tests;
using Xunit;

namespace Agno.Samples.SemanticKernel.Tests;

/// <summary>samples/SemanticKernel runs as users run it, exits 0 and prints, in order, what shows each part worked.</summary>
public sealed class SemanticKernelSampleTests
{
    [Fact]
    public async Task SemanticKernel_sample_runs_a_group_chat_with_a_remote_agent_and_calls_the_remote_team_as_a_function()
    {
        var run = await SampleProcess.RunAsync("Agno.Samples.SemanticKernel");

        run.AssertSucceededPrinting(
            "Server: embedded AgentOS at http://127.0.0.1:",
            "remote agent: Assistant (Answers questions and remembers what you told it in the session.)",
            "user: Introduce yourselves.",
            "Ada: Hi, my name is Ada.",
            "Assistant: Nice to meet you, Ada.",
            "Ada: Do you remember my name?",
            "Assistant: Your name is Ada.",
            "(complete: True;",
            "thread turn 1: Nice to meet you, Grace.",
            "thread turn 2: Your name is Grace.",
            "function AgentOS.research_team: A leader that hands research questions",
            "model calls AgentOS.research_team(input: \"AgentOS\")",
            "-> Team findings: On \"AgentOS\": agents are served over HTTP",
            "model: According to the research team: Team findings: On \"AgentOS\"",
            "== Done");
    }
}
