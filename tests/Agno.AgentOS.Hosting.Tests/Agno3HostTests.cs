using System.Net;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// A host configured as an agno 3.x server (<see cref="AgentOSHostOptions.AgnoVersion"/>) serves 3.x's discovery
/// shapes, as recorded from the real 3.0.0a3 server (fixtures 002, 003, 004, 012 of the 3.0 recording), and still the
/// 2.9 ones by default.
/// </summary>
public sealed class Agno3HostTests
{
    private static async Task<(WebApplication App, Uri Address)> StartAsync(string agnoVersion)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAgentOS(o =>
        {
            o.AgnoVersion = agnoVersion;
            o.Name = "Echo AgentOS";
            o.Version = "1.0.0";
        }).AddAgent("echo-agent", new EchoChatClient(), a => { a.ModelId = "echo-model"; a.ModelProvider = "Echo"; });
        var app = builder.Build();
        app.MapAgentOS();
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    [Fact]
    public async Task A_3x_host_serves_3x_discovery_shapes_and_no_models_route()
    {
        var (app, address) = await StartAsync("3.0.0");
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };
        using var client = new AgentOSClient(address);

        var home = JsonNode.Parse(await http.GetStringAsync(""))!.AsObject();
        var info = JsonNode.Parse(await http.GetStringAsync("info"))!.AsObject();
        var config = JsonNode.Parse(await http.GetStringAsync("config"))!.AsObject();
        using var models = await http.GetAsync("models");
        var version = await client.GetServerVersionAsync();
        var typedModels = await client.GetModelsAsync();
        var typedConfig = await client.GetConfigAsync();

        Assert.Equal(["name", "health", "info", "docs"], home.Select(p => p.Key)); // as recorded from 3.0.0a3 (002)
        Assert.Equal(("/health", "/info", "/docs"), ((string?)home["health"], (string?)home["info"], (string?)home["docs"]));
        Assert.Equal("1.0.0", (string?)info["os_version"]);
        Assert.Equal(["os_id", "name", "os_version", "agno_version"], info.Select(p => p.Key).Take(4)); // the 3.0 order (003)
        Assert.Equal("""[{"id":"echo-model","provider":"Echo"}]""", config["available_models"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, models.StatusCode);
        Assert.Equal((3, "1.0.0"), (version.Major, version.OsVersion));
        Assert.Equal(("echo-model", "Echo"), (typedModels.Single().Id, typedModels.Single().Provider));
        Assert.Equal("echo-model", typedConfig.AvailableModels!.Single().Id);
    }

    [Fact]
    public async Task By_default_the_host_serves_the_2_9_shapes()
    {
        var (app, address) = await StartAsync("2.9.0");
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };

        var home = JsonNode.Parse(await http.GetStringAsync(""))!.AsObject();
        var info = JsonNode.Parse(await http.GetStringAsync("info"))!.AsObject();
        var config = JsonNode.Parse(await http.GetStringAsync("config"))!.AsObject();
        var models = JsonNode.Parse(await http.GetStringAsync("models"))!.AsArray();

        Assert.Equal(["name", "id", "version"], home.Select(p => p.Key));
        Assert.False(info.ContainsKey("os_version"));
        Assert.Equal("[]", config["available_models"]!.ToJsonString());
        Assert.Equal("""[{"id":"echo-model","provider":"Echo"}]""", models.ToJsonString());
    }

    [Theory]
    [InlineData("3.1.2", true)]
    [InlineData("10.0", true)]
    [InlineData("2.9.0", false)]
    [InlineData("2.10", false)]
    [InlineData("next", false)]
    public async Task The_shape_keys_off_the_major_version(string agnoVersion, bool agno3)
    {
        var (app, address) = await StartAsync(agnoVersion);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };

        using var models = await http.GetAsync("models");

        Assert.Equal(agno3 ? HttpStatusCode.NotFound : HttpStatusCode.OK, models.StatusCode);
    }
}
