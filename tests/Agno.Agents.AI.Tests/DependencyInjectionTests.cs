using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Agno.Agents.AI.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task Agents_resolve_without_any_network_call()
    {
        // Port 1 on loopback refuses connections: any call during resolution would throw.
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = new Uri("http://127.0.0.1:1/"))
            .AddRemoteAIAgent("assistant", configure: o => o.Name = "Assistant Bot")
            .AddRemoteTeamAIAgent("research-team", serviceKey: "research");
        await using var sp = services.BuildServiceProvider();

        var agent = sp.GetRequiredService<AIAgent>();
        var team = sp.GetRequiredKeyedService<AIAgent>("research");

        Assert.Same(agent, sp.GetRequiredService<AgentOSAIAgent>());
        Assert.Equal("Assistant Bot", agent.Name);
        Assert.Equal("Assistant_Bot", ((AgentOSAIAgent)agent).AuthorName);
        Assert.Equal("research-team", ((AgentOSAIAgent)team).ComponentId);
        Assert.IsType<RemoteTeam>(team.GetService(typeof(RemoteTeam)));
        await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => agent.RunAsync("hi"));
    }

    [Fact]
    public async Task Agents_from_configuration_are_keyed_by_section_and_run_against_a_named_server()
    {
        await using var host = await TestHost.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agno:AgentOS:BaseAddress"] = host.Os.BaseAddress.ToString(),
            ["Agno:Agents:echo:ComponentId"] = "echo-agent",
            ["Agno:Agents:echo:Name"] = "Echo from config",
            ["Agno:Agents:echo:UserId"] = "config-user",
            ["Agno:Agents:report:Kind"] = "Workflow",
            ["Agno:Agents:report:ComponentId"] = "report-workflow",
        }).Build();
        var services = new ServiceCollection();
        services.AddAgnoAgentOS("local", configuration.GetSection("Agno:AgentOS"))
            .AddRemoteAIAgents(configuration.GetSection("Agno:Agents"));
        await using var sp = services.BuildServiceProvider();

        var echo = sp.GetRequiredKeyedService<AIAgent>("echo");
        var report = sp.GetRequiredKeyedService<AIAgent>("report");
        var session = (AgentOSAgentSession)await echo.CreateSessionAsync();
        var answer = await echo.RunAsync("hi", session);
        var workflowAnswer = await report.RunAsync("bread");

        Assert.Equal("Echo from config", echo.Name);
        Assert.Equal("Echo: hi", answer.Text);
        Assert.Equal("REPORT: Draft on bread", workflowAnswer.Text);
        Assert.Same(sp.GetRequiredKeyedService<AgentOSClient>("local"), ((AgentOSAIAgent)echo).Client);
        var stored = await host.Client.GetSessionAsync(session.SessionId!, SessionType.Agent);
        Assert.Equal("config-user", stored.UserId);
    }

    [Fact]
    public void A_section_with_an_unknown_kind_fails_at_registration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Agents:x:Kind"] = "Robot" }).Build();
        var builder = new ServiceCollection().AddAgnoAgentOS(o => o.BaseAddress = new Uri("http://127.0.0.1:1/"));

        var error = Assert.Throws<ArgumentException>(() => builder.AddRemoteAIAgents(configuration.GetSection("Agents")));
        Assert.Contains("Robot", error.Message, StringComparison.Ordinal);
    }
}
