using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Agno.AgentOS.Hosting.Browser.Tests;

/// <summary>
/// A web UI served from another origin connects to the host in a real browser, as agno's Agent UI and the
/// AgentOS control plane do: it lists agents with a JSON-content-type GET (so the browser sends a CORS preflight),
/// runs a streamed agent with <c>fetch</c> and reads the stream, and lists sessions, all with a bearer key and
/// credentials. Without the host's CORS answers the browser refuses every call.
/// </summary>
public sealed class WebUiTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Key = "browser-key";

    [Fact]
    public async Task A_web_ui_on_another_origin_lists_agents_runs_a_streamed_agent_and_lists_sessions()
    {
        var chromium = browser.Require();
        await using var ui = await WebUiServer.StartAsync();
        await using var host = await RecordingHost.StartAsync(o => o.Cors.AllowedOrigins = [ui.Origin]);

        var result = await RunScenarioAsync(chromium, ui, host, "browser-session");

        Assert.Null(result["error"]);
        Assert.Equal(["echo-agent"], result["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
        var events = result["eventNames"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Equal(("RunStarted", "RunCompleted"), (events[0], events[^1]));
        Assert.True(events.Count(e => e == "RunContent") > 1, string.Join(",", events));
        Assert.StartsWith("text/event-stream", result["contentType"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Echo: hello from the browser (turn 1)", result["deltas"]!.GetValue<string>());
        Assert.Equal("Echo: hello from the browser (turn 1)", result["completed"]!.GetValue<string>());
        var session = Assert.Single(result["sessions"]!.AsArray())!;
        Assert.Equal(("browser-session", "hello from the browser"), (session["id"]!.GetValue<string>(), session["name"]!.GetValue<string>()));
        Assert.Equal(["Echo: hello from the browser (turn 1)"], result["history"]!.AsArray().Select(h => h!.GetValue<string>()));

        // every call was preflighted (JSON content type, Authorization) and the host answered each preflight
        var preflights = host.Requests.Where(r => r.Method == "OPTIONS").ToList();
        Assert.Equal(["/agents", "/agents/echo-agent/runs", "/sessions", "/sessions/browser-session/runs"], preflights.Select(r => r.Path).Distinct());
        Assert.All(preflights, p => Assert.Equal((200, ui.Origin), (p.Status, p.AllowOrigin)));
        Assert.Contains(host.Requests, r => r is { Method: "POST", Path: "/agents/echo-agent/runs", Status: 200 } && r.AllowOrigin == ui.Origin);
    }

    [Fact]
    public async Task Without_the_CORS_headers_the_web_ui_cannot_connect()
    {
        var chromium = browser.Require();
        await using var ui = await WebUiServer.StartAsync();
        await using var host = await RecordingHost.StartAsync(o => o.Cors.Enabled = false);

        var result = await RunScenarioAsync(chromium, ui, host, "blocked-session");

        Assert.Equal("TypeError: Failed to fetch", result["error"]!.GetValue<string>());
        var preflight = Assert.Single(host.Requests);
        Assert.Equal(("OPTIONS", "/agents", 405, null), (preflight.Method, preflight.Path, preflight.Status, preflight.AllowOrigin));
    }

    [Fact]
    public async Task An_origin_the_host_does_not_allow_cannot_connect()
    {
        var chromium = browser.Require();
        await using var ui = await WebUiServer.StartAsync();
        await using var host = await RecordingHost.StartAsync(_ => { }); // AgentOS's default origins only

        var result = await RunScenarioAsync(chromium, ui, host, "refused-session");

        Assert.Equal("TypeError: Failed to fetch", result["error"]!.GetValue<string>());
        var preflight = Assert.Single(host.Requests);
        Assert.Equal(("OPTIONS", "/agents", 400, null), (preflight.Method, preflight.Path, preflight.Status, preflight.AllowOrigin));
    }

    private static async Task<JsonObject> RunScenarioAsync(Microsoft.Playwright.IBrowser chromium, WebUiServer ui, RecordingHost host, string sessionId)
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        string url = $"{ui.Origin}/?endpoint={Uri.EscapeDataString(host.BaseAddress.ToString())}&key={Key}";
        await page.GotoAsync(url);
        string json = await page.EvaluateAsync<string>("id => runScenario(id)", sessionId).WaitAsync(TimeSpan.FromMinutes(2));
        return JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>The web UI's origin: a second Kestrel serving the page.</summary>
    private sealed class WebUiServer(WebApplication app, string origin) : IAsyncDisposable
    {
        public string Origin { get; } = origin;

        public static async Task<WebUiServer> StartAsync()
        {
            string page;
            using (var stream = typeof(WebUiTests).Assembly.GetManifestResourceStream("Agno.AgentOS.Hosting.Browser.Tests.WebUi.index.html")!)
            using (var reader = new StreamReader(stream))
            {
                page = await reader.ReadToEndAsync();
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
            await app.StartAsync();
            return new WebUiServer(app, Address(app).TrimEnd('/'));
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// The host, built as an app does (AddAgentOS + MapAgentOS) with a security key, and a recorder put in front of
    /// everything (the CORS answers included) that notes each request the browser actually sent.
    /// </summary>
    private sealed class RecordingHost(WebApplication app, Uri baseAddress, ConcurrentQueue<Recorded> requests) : IAsyncDisposable
    {
        public Uri BaseAddress { get; } = baseAddress;

        public IReadOnlyList<Recorded> Requests => [.. requests];

        public static async Task<RecordingHost> StartAsync(Action<AgentOSHostOptions> configure)
        {
            var requests = new ConcurrentQueue<Recorded>();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddSingleton<IStartupFilter>(new RecorderFilter(requests));
            builder.Services.AddAgentOS(o =>
            {
                o.SecurityKey = Key;
                configure(o);
            }).AddAgent("echo-agent", new EchoChatClient(), a => a.Name = "Echo Agent");
            var app = builder.Build();
            app.MapAgentOS();
            await app.StartAsync();
            return new RecordingHost(app, new Uri(Address(app)), requests);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private sealed record Recorded(string Method, string Path, int Status, string? AllowOrigin);

    private sealed class RecorderFilter(ConcurrentQueue<Recorded> requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                await inner(context);
                string? allow = context.Response.Headers.AccessControlAllowOrigin;
                requests.Enqueue(new Recorded(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Response.StatusCode, string.IsNullOrEmpty(allow) ? null : allow));
            });
            next(app);
        };
    }

    private static string Address(WebApplication app)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.EndsWith('/') ? address : address + "/";
    }
}
