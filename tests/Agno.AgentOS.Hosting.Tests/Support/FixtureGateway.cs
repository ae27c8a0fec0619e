namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>
/// A gateway host in front of a remote <see cref="FixtureHost"/>: the remote, the core client the gateway reaches it
/// with, and the gateway, disposed together (the gateway first).
/// </summary>
internal sealed record FixtureGateway(EmbeddedAgentOS Remote, AgentOSClient RemoteClient, EmbeddedAgentOS Gateway) : IAsyncDisposable
{
    /// <summary>
    /// Starts the remote with <paramref name="remoteComponents"/> (<see cref="FixtureComponents.AddBasic"/> unless
    /// named), then the gateway, configured by <paramref name="gateway"/> with the client on the remote.
    /// </summary>
    public static async Task<FixtureGateway> StartAsync(Action<AgentOSHostBuilder, AgentOSClient> gateway, Action<AgentOSHostBuilder>? remoteComponents = null)
    {
        var remote = await FixtureHost.StartAsync(remoteComponents ?? FixtureComponents.AddBasic);
        var remoteClient = remote.CreateClient();
        try
        {
            return new FixtureGateway(remote, remoteClient, await EmbeddedAgentOS.StartAsync(b => gateway(b, remoteClient)));
        }
        catch
        {
            remoteClient.Dispose();
            await remote.DisposeAsync();
            throw;
        }
    }

    /// <summary>A gateway serving every component of the remote (<c>AddRemoteServer</c>).</summary>
    public static Task<FixtureGateway> OfServerAsync(Action<AgentOSHostBuilder>? remoteComponents = null)
        => StartAsync((b, upstream) => b.AddRemoteServer(upstream), remoteComponents);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        RemoteClient.Dispose();
        await Remote.DisposeAsync();
    }
}
