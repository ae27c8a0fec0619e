using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Agno.AgentOS.Internal;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// agno 3.x resets a keep-alive connection after its generic 500, without <c>Connection: close</c>. A raw
/// loopback HTTP/1.1 server that does the same (answers the recorded 3.0 500, then reads the next request on
/// that connection and resets it unanswered): the next call must not fail, and no request may reach the server
/// twice.
/// </summary>
public sealed class ConnectionResetTests
{
    [Fact]
    public async Task After_a_5xx_the_connection_is_not_reused_so_a_server_reset_does_not_fail_the_next_run()
    {
        var failure = FixtureSet.Agno30.Get("125");
        var run = FixtureSet.Agno30.Get("020");
        await using var server = await ResettingServer.StartAsync((connection, index) => connection == 1 && index == 1 ? failure : connection == 1 ? null : run);
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress });

        var error = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.GetRemoteWorkflow("fail-workflow").RunAsync(new RunRequest("workflow failure")));
        var output = await client.GetRemoteAgent("echo-agent").RunAsync("hello world");

        Assert.Equal("Internal server error (RuntimeError)", error.Detail);
        Assert.Equal(System.Text.Json.JsonDocument.Parse(run.ResponseBody).RootElement.GetProperty("run_id").GetString(), output.RunId);
        // the run went to the server once, on a new connection; the reset connection never saw it
        Assert.Equal(["1:POST /workflows/fail-workflow/runs", "2:POST /agents/echo-agent/runs"], server.Requests.Select(r => $"{r.Connection}:{r.Method} {r.Path}"));
        Assert.Contains("message=hello+world", server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_whose_bytes_were_sent_before_the_reset_is_never_sent_again()
    {
        // the first request on every connection is read in full, then the connection is reset unanswered
        await using var server = await ResettingServer.StartAsync((_, _) => null);
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress });

        var ex = await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => client.GetRemoteAgent("echo-agent").RunAsync("hello world"));

        Assert.Equal(["1:POST /agents/echo-agent/runs"], server.Requests.Select(r => $"{r.Connection}:{r.Method} {r.Path}"));
        Assert.Contains("it was not sent again", ex.Message, StringComparison.Ordinal);
        Assert.Equal("POST", ex.Method);
    }

    [Fact]
    public async Task A_retired_connection_sends_nothing_and_reads_end()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await listener.AcceptSocketAsync();
        await using var stream = new TrackedConnectionStream(new NetworkStream(socket, ownsSocket: false));
        var attempt = new RequestAttempt { Tracked = true };
        RequestAttempt.Current = attempt;

        await stream.WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray());
        var pendingProbe = stream.ReadAsync(Memory<byte>.Empty).AsTask(); // the pool's idle probe: no token
        Assert.False(pendingProbe.IsCompleted);
        stream.Retire();
        int probed = await pendingProbe.WaitAsync(TimeSpan.FromSeconds(10));
        var second = new RequestAttempt { Tracked = true };
        RequestAttempt.Current = second;
        await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync("POST / HTTP/1.1\r\n"u8.ToArray()));
        int read = await stream.ReadAsync(new byte[16]);
        RequestAttempt.Current = null;

        Assert.Equal(0, probed);
        Assert.Equal(0, read);
        Assert.Equal(16, attempt.BytesSent);
        Assert.Same(stream, attempt.Connection);
        Assert.Equal(0, second.BytesSent);
        Assert.Null(second.Connection);
        Assert.True(second.Reused);
        Assert.True(stream.IsRetired);
    }

    /// <summary>A minimal HTTP/1.1 server on 127.0.0.1 that answers with recorded exchanges, or resets the connection.</summary>
    private sealed class ResettingServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Func<int, int, RecordedExchange?> _answer;
        private readonly ConcurrentQueue<Received> _requests = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = [];
        private Task _accepting = Task.CompletedTask;
        private int _connectionCount;

        private ResettingServer(Func<int, int, RecordedExchange?> answer) => _answer = answer;

        public sealed record Received(int Connection, string Method, string Path, string Body);

        public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public IReadOnlyList<Received> Requests => [.. _requests];

        /// <param name="answer">For (connection number, request number on it), the exchange to answer with, or null to reset the connection after reading the request.</param>
        public static Task<ResettingServer> StartAsync(Func<int, int, RecordedExchange?> answer)
        {
            var server = new ResettingServer(answer);
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return Task.FromResult(server);
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    int number = Interlocked.Increment(ref _connectionCount);
                    lock (_connections)
                    {
                        _connections.Add(ServeAsync(socket, number));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
            }
        }

        private async Task ServeAsync(Socket socket, int connection)
        {
            using (socket)
            {
                var stream = new NetworkStream(socket, ownsSocket: false);
                var buffer = new List<byte>();
                try
                {
                    for (int index = 1; ; index++)
                    {
                        var request = await ReadRequestAsync(stream, buffer);
                        if (request is null)
                        {
                            return; // the client closed the connection
                        }

                        _requests.Enqueue(new Received(connection, request.Value.Method, request.Value.Path, request.Value.Body));
                        if (_answer(connection, index) is not { } exchange)
                        {
                            socket.LingerState = new LingerOption(true, 0); // close = RST
                            socket.Close();
                            return;
                        }

                        var head = new StringBuilder($"HTTP/1.1 {exchange.StatusCode} {(exchange.StatusCode == 200 ? "OK" : "Internal Server Error")}\r\n");
                        head.Append("content-type: application/json\r\n");
                        head.Append($"content-length: {exchange.ResponseBody.Length}\r\n\r\n"); // keep-alive: no Connection: close
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                        await stream.WriteAsync(exchange.ResponseBody, _stop.Token);
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }

        private async Task<(string Method, string Path, string Body)?> ReadRequestAsync(NetworkStream stream, List<byte> buffer)
        {
            var chunk = new byte[8192];
            int headerEnd;
            while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
            {
                int n = await stream.ReadAsync(chunk, _stop.Token);
                if (n == 0)
                {
                    return null;
                }

                buffer.AddRange(chunk.AsSpan(0, n));
            }

            string head = Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]);
            var lines = head.Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            int length = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("content-length", StringComparison.OrdinalIgnoreCase))
                .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            while (buffer.Count < headerEnd + 4 + length)
            {
                int n = await stream.ReadAsync(chunk, _stop.Token);
                if (n == 0)
                {
                    return null;
                }

                buffer.AddRange(chunk.AsSpan(0, n));
            }

            string body = Encoding.UTF8.GetString([.. buffer.Skip(headerEnd + 4).Take(length)]);
            buffer.RemoveRange(0, headerEnd + 4 + length);
            return (requestLine[0], requestLine[1].Split('?')[0], body);
        }

        private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> needle)
        {
            for (int i = 0; i + needle.Length <= buffer.Count; i++)
            {
                int j = 0;
                while (j < needle.Length && buffer[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            Task[] open;
            lock (_connections)
            {
                open = [.. _connections];
            }

            await Task.WhenAll(open);
            _stop.Dispose();
        }
    }
}
