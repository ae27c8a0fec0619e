using Agno.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class DependencyInjectionTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task The_client_is_registered_from_configuration_and_works()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("204");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agno:AgentOS:BaseAddress"] = server.BaseAddress.ToString(),
            ["Agno:AgentOS:ApiKey"] = "test-key-123",
            ["Agno:AgentOS:Timeout"] = "00:00:30",
            ["Agno:AgentOS:StreamIdleTimeout"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(configuration.GetSection(AgentOSServiceCollectionExtensions.DefaultConfigurationSection));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AgentOSClient>();
        var agents = await client.ListAgentsAsync();

        RequestAssert.Matches(Fixtures.Get("204"), server.Last);
        Assert.NotEmpty(agents);
        Assert.Same(client, provider.GetRequiredService<AgentOSClient>());
        Assert.Equal(TimeSpan.FromSeconds(30), client.Options.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(1), client.Options.StreamIdleTimeout);
    }

    [Fact]
    public async Task Several_named_servers_are_keyed_services()
    {
        await using var first = await ReplayServer.StartAsync();
        await using var second = await ReplayServer.StartAsync();
        first.AnswerWith(200, "application/json", "{\"status\":\"ok\"}");
        second.AnswerWith(200, "application/json", "{\"status\":\"ok\"}");
        var services = new ServiceCollection();
        var builder = services.AddAgnoAgentOS("east", o => o.BaseAddress = first.BaseAddress);
        services.AddAgnoAgentOS("west", o => o.BaseAddress = second.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        var east = provider.GetRequiredKeyedService<AgentOSClient>("east");
        var west = provider.GetRequiredKeyedService<AgentOSClient>("west");
        await east.GetHealthAsync();
        await west.GetHealthAsync();
        await west.GetHealthAsync();

        Assert.NotSame(east, west);
        Assert.Same(east, builder.GetClient(provider));
        Assert.True(builder.IsKeyed);
        Assert.Single(first.Received);
        Assert.Equal(2, second.Received.Count);
        Assert.Null(provider.GetService<AgentOSClient>());
    }

    [Theory]
    [InlineData(null, "BaseAddress is required")]
    [InlineData("not a url", "absolute http or https")]
    public async Task A_missing_or_malformed_base_address_fails_at_start_up(string? baseAddress, string message)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Agno:AgentOS:BaseAddress"] = baseAddress });
        builder.Services.AddAgnoAgentOS(builder.Configuration.GetSection("Agno:AgentOS"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var validation = ex as OptionsValidationException ?? Assert.IsType<OptionsValidationException>(ex.InnerException);
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid options for the AgentOS server", validation.Message, StringComparison.Ordinal);
    }
}

public sealed class DependencyInjectionTests_Agno29() : DependencyInjectionTests(FixtureSet.Agno29);

public sealed class DependencyInjectionTests_Agno30() : DependencyInjectionTests(FixtureSet.Agno30);
