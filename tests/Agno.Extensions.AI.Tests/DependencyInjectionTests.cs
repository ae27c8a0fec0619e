using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Agno.Extensions.AI.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task Remote_components_register_as_default_and_keyed_chat_clients_and_tools()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020", "060", "004");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress)
            .AddRemoteAgentChatClient("echo-agent")
            .AddRemoteTeamChatClient("echo-team", serviceKey: "team")
            .AddRemoteWorkflowChatClient("echo-workflow", serviceKey: "workflow", configure: o => o.UserId = "wf-user")
            .AddAgnoAIFunctions((kind, _) => kind == AgentOSComponentKind.Agent);
        await using var provider = services.BuildServiceProvider();

        var chat = provider.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("hello world");
        RequestAssert.Matches(Fixtures.Get("020"), server.Last);
        Assert.Equal("Echo: hello world (turn 1)", response.Text);
        Assert.Same(provider.GetRequiredService<AgentOSClient>(), chat.GetService<AgentOSClient>());
        Assert.Same(chat, provider.GetRequiredService<IChatClient>());

        var team = provider.GetRequiredKeyedService<IChatClient>("team");
        await team.GetResponseAsync("team hello", new ChatOptions { ConversationId = "fixture-team-session" });
        RequestAssert.Matches(Fixtures.Get("060"), server.Last);
        Assert.Equal("echo-workflow", provider.GetRequiredKeyedService<IChatClient>("workflow").GetService<RemoteWorkflow>()!.Id);

        var tools = await provider.GetRequiredService<AgnoAIFunctionProvider>().GetAIFunctionsAsync();
        Assert.Equal(["echo-agent", "tool-agent"], tools.Select(t => t.Name));
        Assert.Same(tools, await provider.GetRequiredService<AgnoAIFunctionProvider>().GetAIFunctionsAsync());
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task The_shared_tool_list_cannot_be_changed_by_a_caller()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress).AddAgnoAIFunctions();
        await using var provider = services.BuildServiceProvider();
        var tools = provider.GetRequiredService<AgnoAIFunctionProvider>();
        var local = AIFunctionFactory.Create(() => "local", "local_tool");

        var first = await tools.GetAIFunctionsAsync();
        var asCollection = Assert.IsAssignableFrom<ICollection<AIFunction>>(first);
        Assert.True(asCollection.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => asCollection.Add(local));
        Assert.Throws<NotSupportedException>(() => asCollection.Clear());
        List<AITool> mine = [.. first, local]; // how a caller adds its own tools

        var second = await tools.GetAIFunctionsAsync();
        Assert.Equal(["echo-agent", "tool-agent", "echo-team", "echo-workflow"], second.Select(t => t.Name));
        Assert.Equal(5, mine.Count);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_named_server_registers_its_tool_provider_under_its_name()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS("local", o => o.BaseAddress = server.BaseAddress)
            .AddRemoteAgentChatClient("echo-agent", serviceKey: "echo")
            .AddAgnoAIFunctions();
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<AgnoAIFunctionProvider>());
        var tools = await provider.GetRequiredKeyedService<AgnoAIFunctionProvider>("local").GetAIFunctionsAsync();
        Assert.Equal(4, tools.Count);
        var chat = provider.GetRequiredKeyedService<IChatClient>("echo");
        Assert.Same(provider.GetRequiredKeyedService<AgentOSClient>("local"), chat.GetService<AgentOSClient>());
    }
}
