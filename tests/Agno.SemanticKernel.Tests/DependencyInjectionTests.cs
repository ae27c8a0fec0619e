using Agno.AgentOS;
using Agno.SemanticKernel.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
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
    public async Task The_registered_plugin_reaches_every_kernel_and_discovers_the_server_on_first_use_only()
    {
        await using var os = await StartAsync();
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = os.BaseAddress)
            .AddKernelPlugin(configure: o => o.Filter = (_, c) => c.Id != "flow");
        services.AddKernel();
        await using var provider = services.BuildServiceProvider();

        var kernel = provider.GetRequiredService<Kernel>();
        var plugin = Assert.IsType<AgentOSKernelPlugin>(kernel.Plugins["AgentOS"]);

        Assert.Empty(os.Requests); // resolving made no call
        Assert.False(plugin.IsLoaded);
        Assert.Contains(os.BaseAddress.ToString(), plugin.Description, StringComparison.Ordinal);

        var crew = await kernel.InvokeAsync("AgentOS", "crew", new KernelArguments { ["input"] = "go" });

        Assert.True(plugin.IsLoaded);
        Assert.Equal(["crew"], plugin.Select(f => f.Name));
        Assert.Equal("Crew: go", crew.GetValue<string>());
        Assert.Equal(1, os.Requests.Count(r => r.StartsWith("GET /config", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_kernel_builder_adds_the_plugin_which_loads_asynchronously_once()
    {
        await using var os = await StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromAgentOS(os.Client, "Remote", o => o.IncludeAgents = true);

        var kernel = builder.Build();
        var plugin = Assert.IsType<AgentOSKernelPlugin>(kernel.Plugins["Remote"]);
        Assert.Empty(os.Requests);
        await Task.WhenAll(plugin.LoadAsync(), plugin.LoadAsync());
        await plugin.LoadAsync();

        Assert.Equal(["reviewer", "crew", "flow"], kernel.Plugins["Remote"].Select(f => f.Name));
        Assert.All(plugin, f => Assert.Equal("Remote", f.PluginName));
        Assert.Equal(1, os.Requests.Count(r => r.StartsWith("GET /config", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Against_a_server_that_is_down_the_container_resolves_and_the_first_use_fails_each_time()
    {
        using var client = Unreachable.DownClient();
        var services = new ServiceCollection();
        services.AddKernel().Plugins.AddFromAgentOS(client);
        await using var provider = services.BuildServiceProvider();

        var kernel = provider.GetRequiredService<Kernel>();
        var plugin = Assert.IsType<AgentOSKernelPlugin>(kernel.Plugins["AgentOS"]);

        Assert.False(plugin.IsLoaded);
        Assert.Throws<AgentOSServerUnavailableException>(() => plugin.FunctionCount);
        await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => plugin.LoadAsync()); // a failure is not kept: tried again
        Assert.False(plugin.IsLoaded);
    }

    [Fact]
    public async Task Against_a_hung_server_resolving_the_kernel_does_not_even_connect()
    {
        using var listener = Unreachable.Hung(out var client);
        using (client)
        {
            var services = new ServiceCollection();
            services.AddKernel().Plugins.AddFromAgentOS(client);
            await using var provider = services.BuildServiceProvider();

            var kernel = provider.GetRequiredService<Kernel>();

            Assert.IsType<AgentOSKernelPlugin>(kernel.Plugins["AgentOS"]);
            Assert.False(listener.Pending()); // no connection was attempted
        }

        listener.Stop();
    }
}
