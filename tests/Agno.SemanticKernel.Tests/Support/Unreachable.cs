using System.Net;
using System.Net.Sockets;
using Agno.AgentOS;

namespace Agno.SemanticKernel.Tests.Support;

/// <summary>Servers that cannot answer, on 127.0.0.1: one that is down (nothing listens) and one that hangs (accepts, never answers).</summary>
internal static class Unreachable
{
    /// <summary>A client of a port nothing listens on (taken from the OS, then released).</summary>
    public static AgentOSClient DownClient()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new AgentOSClient(new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>A listener whose connections are never accepted nor answered: <see cref="TcpListener.Pending"/> tells whether anyone connected.</summary>
    public static TcpListener Hung(out AgentOSClient client)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        client = new AgentOSClient(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"));
        return listener;
    }
}
