using System.Threading.Channels;

namespace Agno.Testing;

/// <summary>
/// A response body the test writes into chunk by chunk, and that tells the test when its reader is waiting for more:
/// <see cref="WaitForPendingReadAsync"/> completes once a read found no data and waits. With a fake clock this is the
/// server-side gate that lets a test move time exactly while the client waits for the server.
/// </summary>
public sealed class ScriptedBodyStream : Stream
{
    private readonly Channel<byte[]?> _chunks = Channel.CreateUnbounded<byte[]?>();
    private readonly SemaphoreSlim _pending = new(0);
    private byte[]? _current;
    private int _offset;

    /// <summary>Queues bytes for the reader.</summary>
    public void Send(byte[] chunk) => _chunks.Writer.TryWrite(chunk);

    /// <summary>Queues text (UTF-8) for the reader.</summary>
    public void Send(string text) => Send(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Ends the body.</summary>
    public void End() => _chunks.Writer.TryComplete();

    /// <summary>Completes when a read is waiting for data (each waiting read is counted once).</summary>
    public Task WaitForPendingReadAsync(CancellationToken cancellationToken = default) => _pending.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ContinueWith(
        t => { if (!t.Result) { throw new TimeoutException("the reader never waited for more data"); } }, TaskScheduler.Default);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_current is null || _offset == _current.Length)
        {
            if (!_chunks.Reader.TryRead(out _current))
            {
                _pending.Release();
                if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_chunks.Reader.TryRead(out _current))
                {
                    return 0;
                }
            }

            _offset = 0;
            if (_current is null)
            {
                return 0;
            }
        }

        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunks.Writer.TryComplete();
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }
}
