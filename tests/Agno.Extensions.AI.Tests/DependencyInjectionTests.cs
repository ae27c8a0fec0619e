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
        var agentOS = services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress);
        agentOS.AddRemoteAgentChatClient("echo-agent");
        agentOS.AddRemoteTeamChatClient("echo-team", serviceKey: "team");
        agentOS.AddRemoteWorkflowChatClient("echo-workflow", serviceKey: "workflow", configure: o => o.UserId = "wf-user");
        agentOS.AddAgnoAIFunctions((kind, _) => kind == AgentOSComponentKind.Agent);
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
        var agentOS = services.AddAgnoAgentOS("local", o => o.BaseAddress = server.BaseAddress);
        agentOS.AddRemoteAgentChatClient("echo-agent", serviceKey: "echo");
        agentOS.AddAgnoAIFunctions();
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<AgnoAIFunctionProvider>());
        var tools = await provider.GetRequiredKeyedService<AgnoAIFunctionProvider>("local").GetAIFunctionsAsync();
        Assert.Equal(4, tools.Count);
        var chat = provider.GetRequiredKeyedService<IChatClient>("echo");
        Assert.Same(provider.GetRequiredKeyedService<AgentOSClient>("local"), chat.GetService<AgentOSClient>());
    }

    [Fact]
    public async Task Middleware_chains_at_registration_on_the_default_chat_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        var activities = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "test.meai",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress)
            .AddRemoteAgentChatClient("echo-agent")
            .UseOpenTelemetry(sourceName: "test.meai")
            .UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();

        var chat = provider.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("hello world");

        Assert.Equal("Echo: hello world (turn 1)", response.Text);
        Assert.IsType<OpenTelemetryChatClient>(chat);
        Assert.NotNull(chat.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(chat.GetService<RemoteAgent>()); // the Agno client stays reachable through the pipeline
        var activity = Assert.Single(activities);
        Assert.Equal("agno", activity.GetTagItem("gen_ai.provider.name"));
    }

    [Fact]
    public async Task Middleware_chains_at_registration_on_a_keyed_chat_client_of_a_named_server()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("060");
        int seen = 0;
        var logs = new TestLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(logs);
        services.AddAgnoAgentOS("local", o => o.BaseAddress = server.BaseAddress)
            .AddRemoteTeamChatClient("echo-team", serviceKey: "team")
            .Use(async (messages, options, next, ct) =>
            {
                Interlocked.Increment(ref seen);
                await next(messages, options, ct);
            })
            .UseLogging();
        await using var provider = services.BuildServiceProvider();

        var team = provider.GetRequiredKeyedService<IChatClient>("team");
        var response = await team.GetResponseAsync("team hello", new ChatOptions { ConversationId = "fixture-team-session" });

        RequestAssert.Matches(Fixtures.Get("060"), server.Last);
        Assert.Equal(1, seen);
        Assert.NotNull(team.GetService<LoggingChatClient>());
        Assert.Contains(logs.Entries, e => e.Message.Contains("GetResponseAsync", StringComparison.Ordinal));
        Assert.Same(provider.GetRequiredKeyedService<AgentOSClient>("local"), team.GetService<AgentOSClient>());
        Assert.Null(provider.GetService<IChatClient>());
        Assert.Same(team, provider.GetRequiredKeyedService<IChatClient>("team"));
    }

    [Fact]
    public async Task Chat_clients_and_tools_of_one_agent_share_the_handle_and_its_configuration_cache()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress).AddRemoteAgentChatClient("echo-agent");
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<AgentOSClient>();

        var viaChat = provider.GetRequiredService<IChatClient>().GetService<RemoteAgent>()!;
        await viaChat.GetDetailsAsync();
        var tool = await client.GetRemoteAgent("echo-agent").AsAIFunctionAsync(); // described from the cached configuration

        Assert.Same(viaChat, client.GetRemoteAgent("echo-agent"));
        Assert.Equal("Echoes the last user message back, in chunks when streaming.", tool.Description);
        Assert.Single(server.Received);
    }
}
