using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.SemanticKernel;
using Xunit;

namespace Agno.SemanticKernel.Tests;

/// <summary>An agno-go server's agents as kernel functions (the agno-go exchanges of Fixtures/agno-go).</summary>
public sealed class AgnoGoFunctionTests
{
    [Fact]
    public async Task AgnoGo_agents_become_kernel_functions_that_run_in_a_session()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("003", "021");
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress, Dialect = AgentOSDialect.AgnoGo });
        var kernel = new Kernel();
        string sessionId = JsonNode.Parse(FixtureSet.AgnoGo.Get("021").ResponseBody)!["session_id"]!.GetValue<string>();

        // agno-go has no /config: the plugin is described from the synthesised one (agents only, no teams or workflows)
        var plugin = await kernel.ImportPluginFromAgentOSAsync(client, options: new AgentOSPluginOptions { IncludeAgents = true });
        var result = await kernel.InvokeAsync(plugin["echo_agent"], new KernelArguments { ["input"] = "first turn", ["session_id"] = sessionId });

        Assert.Equal("GET /api/v1/agents", server.Received[0].ToString());
        RequestAssert.Matches(FixtureSet.AgnoGo.Get("021"), server.Last);
        Assert.Equal(["echo_agent", "fail_agent", "reasoning_agent", "tool_agent"], plugin.Select(f => f.Name));
        Assert.Equal("Echo: first turn", result.GetValue<string>());
        Assert.Equal(sessionId, result.Metadata![AgentOSMetadataKeys.SessionId]);
        Assert.Equal(13, Assert.IsType<RunMetrics>(result.Metadata[AgentOSMetadataKeys.Usage]).TotalTokens);
    }
}
