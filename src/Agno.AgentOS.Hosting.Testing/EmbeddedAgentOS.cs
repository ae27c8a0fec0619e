using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Hosting.Testing;

/// <summary>
/// An AgentOS server in the current process on 127.0.0.1 with an ephemeral port: the offline default for samples
/// and end-to-end tests (no Python). Dispose it to stop the server. It is the production host
/// (<c>AddAgentOS</c> / <c>MapAgentOS</c> on a slim <c>WebApplication</c>, logging off, its endpoint with
/// <see cref="AgentOSListenOptionsExtensions.UseAgentOSRequestGuard"/>); a production app maps the host on its own
/// <c>WebApplication</c> instead.
/// </summary>
/// <example>
/// <code>
/// await using var os = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()));
/// using var client = new AgentOSClient(os.BaseAddress);
/// var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello"));
/// </code>
/// </example>
public sealed class EmbeddedAgentOS : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private EmbeddedAgentOS(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server.</summary>
    /// <param name="configure">Adds the agents, teams, workflows, remote components and session store.</param>
    /// <param name="configureOptions">Sets the host options (id, security key, ...).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<EmbeddedAgentOS> StartAsync(Action<AgentOSHostBuilder> configure, Action<AgentOSHostOptions>? configureOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmbeddedAgentOS).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseAgentOSRequestGuard()));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        configure(builder.Services.AddAgentOS(configureOptions));
        var app = builder.Build();
        try
        {
            app.MapAgentOS();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server reported no address.");
        var address = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        return new EmbeddedAgentOS(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Creates a client of this server (dispose it).</summary>
    /// <param name="apiKey">The security key, if the server has one.</param>
    /// <returns>The client.</returns>
    public AgentOSClient CreateClient(string? apiKey = null) => new(BaseAddress, apiKey);

    /// <summary>Stops the server.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
