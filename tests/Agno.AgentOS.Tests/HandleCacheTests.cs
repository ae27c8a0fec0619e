using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>The client keeps one handle per component id, so every adapter over it shares one configuration cache.</summary>
public sealed class HandleCacheTests
{
    [Fact]
    public void The_same_id_gives_the_same_handle_and_another_id_or_kind_another()
    {
        using var client = new AgentOSClient(new Uri("http://127.0.0.1:9"));

        Assert.Same(client.GetRemoteAgent("echo-agent"), client.GetRemoteAgent("echo-agent"));
        Assert.Same(client.GetRemoteTeam("echo-team"), client.GetRemoteTeam("echo-team"));
        Assert.Same(client.GetRemoteWorkflow("echo-workflow"), client.GetRemoteWorkflow("echo-workflow"));
        Assert.Same(client.GetRemoteAgent("x"), client.GetRemoteComponent(AgentOSComponentKind.Agent, "x"));
        Assert.NotSame(client.GetRemoteAgent("x"), client.GetRemoteAgent("X")); // ids are case-sensitive on the server
        Assert.NotSame(client.GetRemoteAgent("x"), (object)client.GetRemoteTeam("x"));
        using var other = new AgentOSClient(new Uri("http://127.0.0.1:9"));
        Assert.NotSame(client.GetRemoteAgent("x"), other.GetRemoteAgent("x"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void A_blank_id_is_refused(string? id)
    {
        using var client = new AgentOSClient(new Uri("http://127.0.0.1:9"));

        Assert.ThrowsAny<ArgumentException>(() => client.GetRemoteAgent(id!));
        Assert.ThrowsAny<ArgumentException>(() => client.GetRemoteTeam(id!));
        Assert.ThrowsAny<ArgumentException>(() => client.GetRemoteWorkflow(id!));
    }

    [Fact]
    public async Task Two_lookups_of_one_agent_share_one_configuration_fetch()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006");
        using var client = TestSupport.Client(server);

        var first = await client.GetRemoteAgent("echo-agent").GetDetailsAsync();
        var second = await client.GetRemoteAgent("echo-agent").GetDetailsAsync();

        Assert.Single(server.Received);
        Assert.Same(first, second);
        Assert.Same(first, client.GetRemoteAgent("echo-agent").CachedDetails);
    }
}
