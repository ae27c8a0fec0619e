using System.Net;
using System.Text;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>CORS as AgentOS answers it (Starlette's CORS middleware: credentials, every method and header, 400 for other origins).</summary>
public sealed class CorsTests
{
    private const string AgentUi = "http://localhost:3000";

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "agents" },
        { "GET", "config" },
        { "POST", "agents/echo-agent/runs" },
        { "POST", "teams/echo-team/runs/r1/cancel" },
        { "GET", "sessions" },
        { "GET", "sessions/s1/runs" },
        { "PATCH", "sessions/s1" },
        { "DELETE", "sessions/s1" },
        { "POST", "workflows/echo-workflow/runs/r1/continue" },
        { "GET", "no/such/route" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_preflight_of_every_route_is_answered_for_a_default_origin(string method, string path)
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "k");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.SendAsync(Preflight(path, AgentUi, method, "authorization,content-type"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        Assert.Equal(AgentUi, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("authorization,content-type", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal("Origin", Header(response, "Vary"));
    }

    [Theory]
    [InlineData("https://os.agno.com")]
    [InlineData("https://app.agno.com")]
    [InlineData("https://os-stg.agno.com")]
    [InlineData("https://agno.com")]
    [InlineData("https://www.agno.com")]
    public async Task Every_default_origin_of_AgentOS_is_allowed(string origin)
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var preflight = await http.SendAsync(Preflight("agents", origin, "GET", "content-type"));

        Assert.Equal((HttpStatusCode.OK, origin), (preflight.StatusCode, Header(preflight, "Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Another_origin_is_refused_as_AgentOS_refuses_it()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var preflight = await http.SendAsync(Preflight("agents", "https://evil.example", "GET", "content-type"));
        using var simple = await http.SendAsync(WithOrigin(new HttpRequestMessage(HttpMethod.Get, "agents"), "https://evil.example"));
        using var badMethod = await http.SendAsync(Preflight("agents", AgentUi, "TRACE", null));
        using var nearMiss = await http.SendAsync(Preflight("agents", "http://localhost:3001", "GET", null));

        Assert.Equal(HttpStatusCode.BadRequest, preflight.StatusCode);
        Assert.Equal("Disallowed CORS origin", await preflight.Content.ReadAsStringAsync());
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, simple.StatusCode);
        Assert.Null(Header(simple, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.BadRequest, badMethod.StatusCode);
        Assert.Equal("Disallowed CORS method", await badMethod.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, nearMiss.StatusCode);
    }

    [Fact]
    public async Task Answers_to_an_allowed_origin_carry_the_origin_and_credentials_errors_included()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "k");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var unauthorized = await http.SendAsync(WithOrigin(new HttpRequestMessage(HttpMethod.Get, "agents"), AgentUi));
        var authorized = WithOrigin(new HttpRequestMessage(HttpMethod.Get, "agents"), AgentUi);
        authorized.Headers.Authorization = new("Bearer", "k");
        using var ok = await http.SendAsync(authorized);
        using var withoutOrigin = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "health"));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal((AgentUi, "true"), (Header(unauthorized, "Access-Control-Allow-Origin"), Header(unauthorized, "Access-Control-Allow-Credentials")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal((AgentUi, "true", "*", "Origin"), (Header(ok, "Access-Control-Allow-Origin"), Header(ok, "Access-Control-Allow-Credentials"), Header(ok, "Access-Control-Expose-Headers"), Header(ok, "Vary")));
        Assert.Null(Header(withoutOrigin, "Access-Control-Allow-Origin"));
        Assert.Null(Header(withoutOrigin, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_streamed_run_carries_the_CORS_headers()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var request = WithOrigin(new HttpRequestMessage(HttpMethod.Post, "agents/echo-agent/runs")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "hi", ["stream"] = "true" }),
        }, AgentUi);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(AgentUi, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("event: RunCompleted", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_origins_replace_the_defaults()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()), o => o.Cors.AllowedOrigins = ["https://ui.example.com", "*"]);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var configured = await http.SendAsync(Preflight("agents", "https://ui.example.com", "GET", null));
        using var formerDefault = await http.SendAsync(Preflight("agents", AgentUi, "GET", null));
        using var wildcardIgnored = await http.SendAsync(Preflight("agents", "https://other.example.com", "GET", null));

        Assert.Equal((HttpStatusCode.OK, "https://ui.example.com"), (configured.StatusCode, Header(configured, "Access-Control-Allow-Origin")));
        Assert.Equal(HttpStatusCode.BadRequest, formerDefault.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wildcardIgnored.StatusCode);
    }

    [Fact]
    public void Origins_and_the_switch_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOS:Cors:AllowedOrigins:0"] = "https://a.example",
            ["AgentOS:Cors:AllowedOrigins:1"] = "https://b.example",
            ["AgentOS:Cors:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddAgentOS(configuration.GetSection("AgentOS"));
        using var provider = services.BuildServiceProvider();

        var cors = provider.GetRequiredService<IOptions<AgentOSHostOptions>>().Value.Cors;

        Assert.Equal(["https://a.example", "https://b.example"], cors.ResolveOrigins());
        Assert.False(cors.Enabled);
        Assert.Equal(AgentOSCorsOptions.DefaultAllowedOrigins, new AgentOSCorsOptions().ResolveOrigins());
    }

    [Fact]
    public async Task Configured_origins_apply_to_a_host_built_from_configuration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AgentOS:Cors:AllowedOrigins:0"] = "https://configured.example" });
        builder.Services.AddAgentOS(builder.Configuration.GetSection("AgentOS")).AddAgent("echo-agent", new EchoChatClient());
        await using var app = builder.Build();
        app.MapAgentOS("/agentos");
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address };

        using var allowed = await http.SendAsync(Preflight("agentos/agents", "https://configured.example", "GET", null));
        using var refused = await http.SendAsync(Preflight("agentos/agents", AgentUi, "GET", null));

        Assert.Equal((HttpStatusCode.OK, "https://configured.example"), (allowed.StatusCode, Header(allowed, "Access-Control-Allow-Origin")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Turned_off_the_host_answers_no_CORS()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()), o => o.Cors.Enabled = false);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var preflight = await http.SendAsync(Preflight("agents", AgentUi, "GET", "content-type"));
        using var simple = await http.SendAsync(WithOrigin(new HttpRequestMessage(HttpMethod.Get, "agents"), AgentUi));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, simple.StatusCode);
        Assert.Null(Header(simple, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_gateway_answers_CORS_too()
    {
        await using var remote = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var remoteClient = remote.CreateClient();
        await using var gateway = await EmbeddedAgentOS.StartAsync(b => b.AddRemoteAgent(remoteClient.GetRemoteAgent("echo-agent")));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var preflight = await http.SendAsync(Preflight("agents/echo-agent/runs", "https://os.agno.com", "POST", "content-type"));
        var run = WithOrigin(new HttpRequestMessage(HttpMethod.Post, "agents/echo-agent/runs")
        {
            Content = new StringContent("message=through&stream=false", Encoding.UTF8, "application/x-www-form-urlencoded"),
        }, "https://os.agno.com");
        using var forwarded = await http.SendAsync(run);

        Assert.Equal((HttpStatusCode.OK, "https://os.agno.com"), (preflight.StatusCode, Header(preflight, "Access-Control-Allow-Origin")));
        Assert.Equal((HttpStatusCode.OK, "https://os.agno.com"), (forwarded.StatusCode, Header(forwarded, "Access-Control-Allow-Origin")));
        Assert.Contains("Echo: through", await forwarded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method, string? headers)
    {
        var request = WithOrigin(new HttpRequestMessage(HttpMethod.Options, path), origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    private static HttpRequestMessage WithOrigin(HttpRequestMessage request, string origin)
    {
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
