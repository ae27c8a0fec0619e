namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>Starts embedded hosts configured like the recording servers.</summary>
internal static class FixtureHost
{
    public static Task<EmbeddedAgentOS> StartAsync(Action<AgentOSHostBuilder> components, string? securityKey = null, Action<AgentOSHostBuilder>? extra = null)
        => EmbeddedAgentOS.StartAsync(
            b =>
            {
                components(b);
                extra?.Invoke(b);
            },
            o =>
            {
                o.OsId = "echo-os";
                o.Name = "Echo AgentOS";
                o.Description = "Real agno AgentOS with a deterministic offline EchoModel";
                o.DatabaseId = "agno-db";
                o.SecurityKey = securityKey;
            });
}
