using Agno.Samples.Tests;
using Xunit;

namespace Agno.Samples.SemanticKernel.Agents.Tests;

/// <summary>samples/SemanticKernel.Agents runs as users run it, exits 0 and prints, in order, what shows each part worked.</summary>
public sealed class SemanticKernelAgentsSampleTests
{
    [Fact]
    public async Task SemanticKernel_agents_sample_runs_a_group_chat_with_a_remote_agent_and_a_two_turn_thread()
    {
        var run = await SampleProcess.RunAsync("Agno.Samples.SemanticKernel.Agents");

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
            "== Done");
    }
}
