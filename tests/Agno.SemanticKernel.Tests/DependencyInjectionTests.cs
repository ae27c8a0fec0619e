using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.SemanticKernel.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Xunit;

namespace Agno.SemanticKernel.Tests;

public sealed class DependencyInjectionTests
{
    private static async Task<FakeAgentOS> StartAsync()
    {
        var os = await FakeAgentOS.StartAsync();
        os.AddAgent("reviewer", "Reviewer", "Reviews drafts.", t => $"Reviewed: {t.Message}");
        os.AddTeam("crew", "Crew", "A team.", t => $"Crew: {t.Message}");
        os.AddWorkflow("flow", "Flow", "A workflow.", t => $"Flow: {t.Message}");
        return os;
    }

    [Fact]
    public async Task Service_collection_registers_remote_agents_and_the_plugin_every_kernel_gets()
    {
        await using var os = await StartAsync();
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = os.BaseAddress)
            .AddSemanticKernelAgent("reviewer")
            .AddSemanticKernelAgent("crew", AgnoComponentKind.Team, serviceKey: "team")
            .AddSemanticKernelAgent("flow", AgnoComponentKind.Workflow, configure: o => (o.Name, o.Description) = ("Publisher", "Publishes."))
            .AddKernelPlugin(configure: o => o.Filter = (_, c) => c.Id != "flow");
        services.AddKernel();
        await using var provider = services.BuildServiceProvider();

        var reviewer = provider.GetRequiredKeyedService<Agent>("reviewer");
        var team = provider.GetRequiredKeyedService<Agent>("team");
        var flow = provider.GetRequiredKeyedService<Agent>("flow");
        var kernel = provider.GetRequiredService<Kernel>();
        var answer = Assert.Single(await reviewer.InvokeAsync("my draft").ToListAsync()).Message;
        var crew = await kernel.InvokeAsync("AgentOS", "crew", new KernelArguments { ["input"] = "go" });

        Assert.Equal(("Reviewer", "Reviews drafts."), (reviewer.Name, reviewer.Description));
        Assert.Equal(("crew", "Crew"), (team.Id, team.Name));
        Assert.Equal(("Publisher", "Publishes."), (flow.Name, flow.Description));
        Assert.Equal("Reviewed: my draft", answer.Content);
        Assert.Equal(["crew"], kernel.Plugins["AgentOS"].Select(f => f.Name));
        Assert.Equal("Crew: go", crew.GetValue<string>());
        Assert.DoesNotContain("GET /workflows/flow", os.Requests); // name and description given: no fetch
    }

    [Fact]
    public async Task Kernel_builder_adds_the_plugin_and_remote_agents()
    {
        await using var os = await StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromAgentOS(os.Client, "Remote", o => o.IncludeAgents = true);
        builder.AddAgentOSAgent(os.Client, "reviewer");

        var kernel = builder.Build();
        var reviewer = kernel.Services.GetRequiredKeyedService<Agent>("reviewer");

        Assert.Equal(["reviewer", "crew", "flow"], kernel.Plugins["Remote"].Select(f => f.Name));
        Assert.Equal("Reviewer", reviewer.Name);
        Assert.True(reviewer.TryGetAgentOSComponent(out var remote));
        Assert.Equal("reviewer", Assert.IsType<RemoteAgent>(remote).Id);
    }
}
