using System.Net;
using Agno.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>The HttpClient pipeline of the dependency-injection client: handlers added through <see cref="AgentOSBuilder.HttpClient"/>.</summary>
public sealed class HttpPipelineTests
{
    [Fact]
    public async Task A_custom_delegating_handler_added_through_the_builder_sees_every_request()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(200, "application/json", "{\"status\":\"ok\"}");
        var services = new ServiceCollection();
        services.AddTransient<StampingHandler>();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress)
            .HttpClient.AddHttpMessageHandler<StampingHandler>();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AgentOSClient>();
        await client.GetHealthAsync();
        await client.GetHealthAsync();

        Assert.Equal(["1", "2"], server.Received.Select(r => r.Headers["X-Stamp"]));
        Assert.True(client.Pipeline.TracksConnections); // a delegating handler keeps the client's own primary handler
    }

    [Fact]
    public async Task The_standard_resilience_handler_retries_a_503_through_the_builder()
    {
        await using var server = await ReplayServer.StartAsync();
        int calls = 0;
        server.Handler = async ctx =>
        {
            bool first = Interlocked.Increment(ref calls) == 1;
            ctx.Response.StatusCode = first ? 503 : 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(first ? "{\"detail\":\"busy\"}" : "{\"status\":\"ok\"}");
        };
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.Retry.Enabled = false; // the resilience handler retries instead
        }).HttpClient.AddStandardResilienceHandler(o =>
        {
            o.Retry.Delay = TimeSpan.Zero; // no wall-clock wait in the test
            o.Retry.BackoffType = DelayBackoffType.Constant;
            o.Retry.UseJitter = false;
        });
        await using var provider = services.BuildServiceProvider();

        var health = await provider.GetRequiredService<AgentOSClient>().GetHealthAsync();

        Assert.Equal("ok", health.Status);
        Assert.Equal(2, server.Received.Count);
        Assert.True(provider.GetRequiredService<AgentOSClient>().Pipeline.TracksConnections);
    }

    [Fact]
    public async Task Without_a_resilience_handler_nor_client_retries_the_503_is_the_callers()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(503, "application/json", "{\"detail\":\"busy\"}");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.Retry.Enabled = false;
        });
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<AgentOSServerException>(() => provider.GetRequiredService<AgentOSClient>().GetHealthAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task The_registered_client_and_the_owned_client_send_through_one_set_of_handler_settings()
    {
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = new Uri("http://127.0.0.1:9"));
        await using var provider = services.BuildServiceProvider();

        var chain = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("Agno.AgentOS:" + Microsoft.Extensions.Options.Options.DefaultName);
        var primary = Assert.IsType<SocketsHttpHandler>(Primary(chain));
        var owned = AgentOSClient.CreateTrackedHttpHandler();

        Assert.Equal(owned.AutomaticDecompression, primary.AutomaticDecompression);
        Assert.Equal(DecompressionMethods.All, primary.AutomaticDecompression);
        Assert.Equal(owned.PooledConnectionLifetime, primary.PooledConnectionLifetime);
        Assert.Equal(0, primary.MaxResponseDrainSize);
        Assert.Equal(TimeSpan.Zero, primary.ResponseDrainTimeout);
        Assert.True(AgentOSClient.EndsInTrackedHandler(chain));
        Assert.True(provider.GetRequiredService<AgentOSClient>().Pipeline.TracksConnections);
        using var ownedClient = new AgentOSClient(new Uri("http://127.0.0.1:9"));
        Assert.True(ownedClient.Pipeline.TracksConnections);
    }

    [Fact]
    public async Task A_replaced_primary_handler_turns_connection_tracking_off()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(200, "application/json", "{\"status\":\"ok\"}");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress)
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AgentOSClient>();
        await client.GetHealthAsync();

        Assert.False(client.Pipeline.TracksConnections);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Configuring_the_primary_handler_in_place_keeps_tracking()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(200, "application/json", "{\"status\":\"ok\"}");
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress)
            .HttpClient.ConfigurePrimaryHttpMessageHandler((handler, _) => ((SocketsHttpHandler)handler).UseProxy = false);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AgentOSClient>();
        await client.GetHealthAsync();

        Assert.True(client.Pipeline.TracksConnections);
        Assert.Single(server.Received);
    }

    private static HttpMessageHandler? Primary(HttpMessageHandler? handler)
    {
        while (handler is DelegatingHandler d)
        {
            handler = d.InnerHandler;
        }

        return handler;
    }

    private sealed class StampingHandler : DelegatingHandler
    {
        private int _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Stamp", Interlocked.Increment(ref _count).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
