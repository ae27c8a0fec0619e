using System.Net;
using System.Net.Sockets;

namespace Agno.AgentOS.Internal;

/// <summary>
/// What one HTTP/1.1 attempt did on the wire, seen by <see cref="TrackedConnectionStream"/>: the connection it
/// used and whether any byte of it was handed to the socket. It flows with the request's async context (the
/// pipeline sets <see cref="Current"/> before sending): an HTTP/1.1 connection writes a request in the flow of
/// the call that sends it.
/// </summary>
internal sealed class RequestAttempt
{
    private static readonly AsyncLocal<RequestAttempt?> CurrentAttempt = new();

    /// <summary>The attempt of the calling flow, or null.</summary>
    public static RequestAttempt? Current
    {
        get => CurrentAttempt.Value;
        set => CurrentAttempt.Value = value;
    }

    /// <summary>The connection the request was written to (null: none yet, or a transport without tracking).</summary>
    public TrackedConnectionStream? Connection { get; set; }

    /// <summary>Bytes handed to the socket for this request (counted before each write, so a failed write counts).</summary>
    public long BytesSent { get; set; }

    /// <summary>Whether the transport tracks connections at all (the client's own handler).</summary>
    public bool Tracked { get; set; }

    /// <summary>Whether the request was written to a connection that served requests before.</summary>
    public bool Reused { get; set; }
}

/// <summary>
/// The client's own connections (see <see cref="ConnectionTracking.ConnectAsync"/>): a socket stream that
/// records which request attempt wrote to it, and that can be retired so the pool never hands it out again
/// (its reads then report the end of the stream, which the pool takes for a connection the server closed).
/// </summary>
internal sealed class TrackedConnectionStream : Stream
{
    private readonly Stream _inner;
    // Created by the pool's first idle read-ahead (the read Retire ends), not with the connection: an open stream's
    // connection is never idle, so it holds none.
    private CancellationTokenSource? _retire;
    private volatile bool _retired;
    private int _requests;

    public TrackedConnectionStream(Stream inner) => _inner = inner;

    /// <summary>Whether the connection was retired.</summary>
    public bool IsRetired => _retired;

    /// <summary>Never reuse this connection: pending and later reads end, later writes fail before sending anything.</summary>
    public void Retire()
    {
        if (_retired)
        {
            return;
        }

        _retired = true;
        Interlocked.MemoryBarrier();
        try
        {
            Volatile.Read(ref _retire)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Closes the socket under the HTTP connection that uses it (as the handler's own cancellation of a read does): a
    /// pending read fails, later ones find the end. Called from the stream idle timeout's wheel, on any thread.
    /// </summary>
    public void Abort()
    {
        _retired = true;
        try
        {
            _inner.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // closing a socket that failed or closed meanwhile
        }
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _retired ? 0 : _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _retired ? 0 : _inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_retired)
        {
            return ValueTask.FromResult(0);
        }

        // The pool's idle read-ahead (the probe that tells it whether the server closed the connection) is a zero-byte
        // read without a token, then a read that finds the end once retired: the zero-byte read is the one Retire ends.
        // A response's reads (with a token or, the handler's own, without) go straight to the socket.
        return buffer.Length == 0 && !cancellationToken.CanBeCanceled ? ReadUntilRetiredAsync(buffer) : _inner.ReadAsync(buffer, cancellationToken);
    }

    // the pool starts this read each time the connection goes back to it: its state machine is pooled too
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadUntilRetiredAsync(Memory<byte> buffer)
    {
        var retire = Volatile.Read(ref _retire);
        if (retire is null)
        {
            // published with a full fence before _retired is read again: a Retire that this read does not see
            // below finds the source and cancels it
            retire = Interlocked.CompareExchange(ref _retire, new CancellationTokenSource(), null) ?? _retire!;
        }

        if (_retired)
        {
            return 0;
        }

        try
        {
            return await _inner.ReadAsync(buffer, retire.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_retired)
        {
            return 0;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeforeWrite(buffer.Length);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeforeWrite(buffer.Length);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    private void BeforeWrite(int count)
    {
        // an attempt's first write on this connection (an attempt writes to one connection only, and records it below):
        // no reference to the attempt is kept, so an open stream's connection does not hold its request's attempt
        var attempt = RequestAttempt.Current;
        if (attempt is not null && !ReferenceEquals(attempt.Connection, this))
        {
            attempt.Reused = ++_requests > 1;
        }

        if (_retired)
        {
            throw new IOException("This connection was retired after an error answer: nothing of the request was sent on it.");
        }

        if (attempt is not null)
        {
            attempt.Connection = this;
            attempt.BytesSent += count;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _retired = true;
            _inner.Dispose();
            Volatile.Read(ref _retire)?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _retired = true;
        await _inner.DisposeAsync().ConfigureAwait(false);
        Volatile.Read(ref _retire)?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The connect callback of the client's own <see cref="SocketsHttpHandler"/>.</summary>
internal static class ConnectionTracking
{
    /// <summary>Opens a TCP connection (as the handler's default does) and tracks it.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new TrackedConnectionStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
