using Agno.Samples.Tests;
using Xunit;

namespace Agno.Samples.SemanticKernel.Tests;

/// <summary>samples/SemanticKernel runs as users run it, exits 0 and prints, in order, what shows each part worked.</summary>
public sealed class SemanticKernelSampleTests
{
    [Fact]
    public async Task SemanticKernel_sample_calls_the_remote_team_as_a_function_and_loads_the_registered_plugin_on_first_use()
    {
        var run = await SampleProcess.RunAsync("Agno.Samples.SemanticKernel");

        run.AssertSucceededPrinting(
            "Server: embedded AgentOS at http://127.0.0.1:",
            "function AgentOS.research_team: A leader that hands research questions",
            "model calls AgentOS.research_team(input: \"AgentOS\")",
            "-> Team findings: On \"AgentOS\": agents are served over HTTP",
            "model: According to the research team: Team findings: On \"AgentOS\"",
            "resolved plugin AgentOS: loaded = False",
            "after LoadAsync: loaded = True, functions: research_team",
            "== Done");
    }
}
