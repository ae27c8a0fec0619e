using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agno.Testing;

/// <summary>One request received by <see cref="RawHttpServer"/>, with the socket to answer it on.</summary>
public sealed class RawRequest
{
    public required int Connection { get; init; }
    public required int Index { get; init; }
    public required string Method { get; init; }
    public required string Target { get; init; }
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required byte[] Body { get; init; }
    public required NetworkStream Stream { get; init; }
    public required Socket Socket { get; init; }

    /// <summary>Writes raw bytes (ASCII text) and flushes them.</summary>
    public async Task WriteAsync(string text) => await WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    /// <summary>Writes one chunk of a chunked body.</summary>
    public Task WriteChunkAsync(string text) => WriteChunkAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteChunkAsync(byte[] bytes)
    {
        await WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
        await WriteAsync([.. bytes, (byte)'\r', (byte)'\n']);
    }

    /// <summary>Completes when the client closes the connection (a read returns 0 or fails).</summary>
    public async Task WaitForCloseAsync()
    {
        var buffer = new byte[256];
        try
        {
            while (await Stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Resets the connection (RST).</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }
}

/// <summary>
/// A TCP server on 127.0.0.1 (ephemeral port) that reads HTTP/1.1 requests and lets a test answer each one with raw
/// bytes: invalid status lines, oversized headers, broken chunked framing, stalls, resets, trickled bytes. What a
/// hostile or broken server does, below what Kestrel would let a handler write. Requests on one connection are
/// answered in order; the answer returns false to close the connection after it.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RawRequest, Task<bool>> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentQueue<RawRequest> _received = new();
    private readonly Task _accepting;
    private int _connectionCount;

    private RawHttpServer(Func<RawRequest, Task<bool>> answer)
    {
        _answer = answer;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<RawRequest> Received => [.. _received];

    /// <summary>How many connections were accepted.</summary>
    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>Starts a server; <paramref name="answer"/> writes each answer and returns whether to keep the connection.</summary>
    public static RawHttpServer Start(Func<RawRequest, Task<bool>> answer) => new(answer);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                int connection = Interlocked.Increment(ref _connectionCount);
                _connections.Add(Task.Run(() => ServeAsync(socket, connection)));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var pending = new List<byte>();
        int index = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(stream, pending);
                if (head is null)
                {
                    return;
                }

                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                int length = headers.TryGetValue("Content-Length", out var cl) && int.TryParse(cl, out int n) ? n : 0;
                while (pending.Count < length)
                {
                    var buffer = new byte[8192];
                    int read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.AddRange(buffer.AsSpan(0, read));
                }

                var body = pending.Take(length).ToArray();
                pending.RemoveRange(0, length);
                var request = new RawRequest
                {
                    Connection = connection,
                    Index = index++,
                    Method = requestLine[0],
                    Target = requestLine.Length > 1 ? requestLine[1] : string.Empty,
                    Headers = headers,
                    Body = body,
                    Stream = stream,
                    Socket = socket,
                };
                _received.Enqueue(request);
                if (!await _answer(request))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the client went away, or the test reset the connection
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream, List<byte> pending)
    {
        while (true)
        {
            int end = IndexOf(pending, "\r\n\r\n"u8);
            if (end >= 0)
            {
                string head = Encoding.ASCII.GetString([.. pending.Take(end)]);
                pending.RemoveRange(0, end + 4);
                return head;
            }

            var buffer = new byte[8192];
            int read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> value)
    {
        for (int i = 0; i + value.Length <= data.Count; i++)
        {
            bool match = true;
            for (int j = 0; j < value.Length && match; j++)
            {
                match = data[i + j] == value[j];
            }

            if (match)
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
        foreach (var request in _received)
        {
            try { request.Socket.Close(); } catch (ObjectDisposedException) { }
        }

        try
        {
            await Task.WhenAll(_connections);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
