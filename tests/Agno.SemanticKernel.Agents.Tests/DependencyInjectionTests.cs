using Agno.AgentOS;
using Agno.SemanticKernel.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

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
    public async Task The_service_collection_registers_remote_agents_and_resolving_them_makes_no_call()
    {
        await using var os = await StartAsync();
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = os.BaseAddress)
            .AddSemanticKernelAgent("reviewer", configure: o => o.Description = "Reviews drafts.")
            .AddSemanticKernelAgent("crew", AgentOSComponentKind.Team, serviceKey: "team")
            .AddSemanticKernelAgent("flow", AgentOSComponentKind.Workflow, configure: o => (o.Name, o.Description) = ("Publisher", "Publishes."))
            .AddKernelPlugin(configure: o => o.Filter = (_, c) => c.Id != "flow");
        services.AddKernel();
        await using var provider = services.BuildServiceProvider();

        var reviewer = provider.GetRequiredKeyedService<Agent>("reviewer");
        var team = provider.GetRequiredKeyedService<Agent>("team");
        var flow = provider.GetRequiredKeyedService<Agent>("flow");
        var kernel = provider.GetRequiredService<Kernel>();

        Assert.Empty(os.Requests);
        Assert.Same(reviewer, provider.GetRequiredKeyedService<AgentOSAgent>("reviewer"));
        Assert.Equal(("reviewer", "Reviews drafts."), (reviewer.Name, reviewer.Description));
        Assert.Equal(("crew", "crew", AgentOSComponentKind.Team), (team.Id, team.Name, ((AgentOSAgent)team).Component.Kind));
        Assert.Equal(("Publisher", "Publishes."), (flow.Name, flow.Description));

        var answer = Assert.Single(await reviewer.InvokeAsync("my draft").ToListAsync()).Message;
        var crew = await kernel.InvokeAsync("AgentOS", "crew", new KernelArguments { ["input"] = "go" });

        Assert.Equal("Reviewed: my draft", answer.Content);
        Assert.Equal("Crew: go", crew.GetValue<string>());
        Assert.DoesNotContain(os.Requests, r => r.StartsWith("GET /agents/", StringComparison.Ordinal) || r.StartsWith("GET /workflows/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_kernel_builder_adds_remote_agents()
    {
        await using var os = await StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.AddAgentOSAgent(os.Client, "reviewer", configure: o => o.Name = "Reviewer");

        var kernel = builder.Build();
        var reviewer = Assert.IsType<AgentOSAgent>(kernel.Services.GetRequiredKeyedService<Agent>("reviewer"));

        Assert.Equal("Reviewer", reviewer.Name);
        Assert.Equal("reviewer", Assert.IsType<RemoteAgent>(reviewer.Component).Id);
        Assert.Empty(os.Requests);
    }

    [Fact]
    public async Task Against_a_server_that_is_down_the_agent_resolves_and_its_first_run_fails()
    {
        using var client = Unreachable.DownClient();
        var services = new ServiceCollection();
        services.AddKernel();
        services.AddAgnoAgentOS(o => o.BaseAddress = client.BaseAddress).AddSemanticKernelAgent("reviewer");
        await using var provider = services.BuildServiceProvider();

        var reviewer = provider.GetRequiredKeyedService<Agent>("reviewer");

        Assert.Equal("reviewer", reviewer.Name);
        await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => reviewer.InvokeAsync("hello").ToListAsync());
    }

    [Fact]
    public async Task Against_a_hung_server_resolving_the_agent_does_not_even_connect()
    {
        using var listener = Unreachable.Hung(out var client);
        using (client)
        {
            var builder = Kernel.CreateBuilder();
            builder.AddAgentOSAgent(client, "reviewer", AgentOSComponentKind.Team);
            var kernel = builder.Build();

            var reviewer = kernel.Services.GetRequiredKeyedService<Agent>("reviewer");

            Assert.Equal("reviewer", reviewer.Id);
            Assert.False(listener.Pending()); // no connection was attempted
        }

        listener.Stop();
    }
}
