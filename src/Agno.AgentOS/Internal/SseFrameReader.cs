using System.Buffers;
using System.Text;

namespace Agno.AgentOS.Internal;

/// <summary>
/// The SSE framing of an event stream (WHATWG "parsing an event stream", as <c>System.Net.ServerSentEvents.SseParser</c>
/// reads it) over one pooled buffer that the caller fills: <see cref="GetReadBuffer"/> and <see cref="Advance"/> take
/// the body's bytes, <see cref="TryNext"/> hands over each whole event that is already buffered, so that events read
/// in one chunk come out without a read or an await. The rules, SseParser's (tests/Agno.AgentOS.Tests,
/// SseFrameConformanceTests, compare the two): a UTF-8 BOM is skipped at the start of the stream only, once its first
/// 3 bytes are in, however they were split; lines end with CRLF, LF or CR (a CR at the buffer's end waits for the next
/// read, in case an LF follows); <c>data</c> lines are joined with LF; <c>event</c> sets the type, an empty value
/// included (the type is then the empty string, as SseParser gives it), else it is <c>message</c>; the type is kept
/// across a blank line that dispatches nothing (as SseParser keeps it); one space after the colon is removed; comments
/// (<c>:</c>), <c>id</c>, <c>retry</c> and unknown fields are read past (the reader uses neither the id nor the retry);
/// a blank line dispatches the event if it had a data line; at the body's end a partial event is dropped. One event
/// may take at most the size limit's bytes, counted from the end of the blank line before it (or the stream's start,
/// after a BOM) to the end of its own blank line, its comments and other fields included: bytes of the events after it
/// that are already read ahead do not count, nor do keep-alive comments ended by their own blank line. Past it,
/// <see cref="TryNext"/> throws <see cref="EventTooLargeException"/>, as soon as the bytes buffered for the event are
/// more than the limit.
/// </summary>
internal sealed class SseFrameReader : IDisposable
{
    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';
    private const int InitialSize = 4096;
    private const int TypeCacheSize = 4;

    private byte[] _buffer;
    private int _pos;      // the next line to read
    private int _end;      // the end of the bytes read
    private int _searched; // where the search for a line end goes on (bytes before it have none)
    private bool _eof;
    private bool _bomChecked;

    // the size limit of one event, and where the current event started: after the last blank line (a buffer index,
    // negative once the event's start has been moved out of the buffer)
    private readonly int _maxEventSize;
    private long _eventStart;

    // the event being read: its type, and its data (one line: a slice of _buffer; more: joined in _data)
    private string? _type;
    private int _dataLines;
    private int _dataStart;
    private int _dataLength;
    private byte[]? _data;
    private int _joinedLength;

    // the last few event types, so that a stream's repeated names are one string each
    private readonly string?[] _typeNames = new string?[TypeCacheSize];
    private readonly byte[]?[] _typeBytes = new byte[]?[TypeCacheSize];
    private int _typeNext;

    /// <param name="maxEventSize">The most bytes one event may take (see the class's remarks).</param>
    public SseFrameReader(int maxEventSize = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventSize);
        _maxEventSize = maxEventSize;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    }

    /// <summary>Whether the body has ended (<see cref="Advance"/> with 0).</summary>
    public bool Eof => _eof;

    /// <summary>The space for the next read of the body (room is made by moving the kept bytes down, or growing).</summary>
    public Memory<byte> GetReadBuffer()
    {
        if (_end == _buffer.Length)
        {
            // keep the current event's one data line, else only the unread line
            int keep = _dataLines == 1 ? Math.Min(_dataStart, _pos) : _pos;
            if (keep > 0)
            {
                _buffer.AsSpan(keep, _end - keep).CopyTo(_buffer);
                _pos -= keep;
                _end -= keep;
                _searched -= keep;
                _dataStart -= keep;
                _eventStart -= keep;
            }
            else
            {
                if (_buffer.Length >= Array.MaxLength / 2)
                {
                    throw new InvalidDataException("An SSE line is longer than the largest buffer.");
                }

                var grown = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _end).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = grown;
            }
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Takes the bytes a read put in <see cref="GetReadBuffer"/>'s space; 0: the body ended.</summary>
    public void Advance(int read)
    {
        if (read <= 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }

    /// <summary>
    /// The next whole event buffered, if any: its type and data (valid until the next call on this reader). False: more
    /// bytes are needed, or, once <see cref="Eof"/>, the stream has no more events.
    /// </summary>
    /// <exception cref="EventTooLargeException">The event goes past the size limit.</exception>
    public bool TryNext(out string type, out ReadOnlySpan<byte> data)
    {
        if (!_bomChecked)
        {
            if (_end < 3 && !_eof)
            {
                type = null!;
                data = default;
                return false;
            }

            _bomChecked = true;
            if (_buffer.AsSpan(0, _end).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _pos = _searched = 3;
                _eventStart = 3;
            }
        }

        while (true)
        {
            int from = Math.Max(_pos, _searched);
            int at = _buffer.AsSpan(from, _end - from).IndexOfAny(CR, LF);
            if (at < 0)
            {
                _searched = _end;
                break;
            }

            at += from;
            int newline;
            if (_buffer[at] == LF)
            {
                newline = 1;
            }
            else if (at + 1 < _end)
            {
                newline = _buffer[at + 1] == LF ? 2 : 1;
            }
            else if (_eof)
            {
                newline = 1;
            }
            else
            {
                // a CR at the end of what was read: the next read tells whether an LF follows
                _searched = at;
                break;
            }

            int start = _pos;
            int length = at - start;
            _pos = _searched = at + newline;
            if (length == 0)
            {
                // a blank line ends the event's bytes, whether it dispatches an event or not (a keep-alive comment)
                if (_pos - _eventStart > _maxEventSize)
                {
                    throw new EventTooLargeException();
                }

                _eventStart = _pos;
                if (_dataLines == 0)
                {
                    continue;
                }

                type = _type ?? "message";
                data = _dataLines == 1 ? _buffer.AsSpan(_dataStart, _dataLength) : _data.AsSpan(0, _joinedLength);
                _type = null;
                _dataLines = 0;
                return true;
            }

            var line = _buffer.AsSpan(start, length);
            int colon = line.IndexOf((byte)':');
            if (colon == 0)
            {
                continue; // a comment
            }

            ReadOnlySpan<byte> name;
            int valueStart;
            if (colon > 0)
            {
                name = line[..colon];
                valueStart = colon + 1;
                if (valueStart < length && line[valueStart] == (byte)' ')
                {
                    valueStart++;
                }
            }
            else
            {
                name = line;
                valueStart = length;
            }

            if (name.SequenceEqual("data"u8))
            {
                AppendData(start + valueStart, length - valueStart);
            }
            else if (name.SequenceEqual("event"u8))
            {
                _type = TypeName(line[valueStart..]);
            }
        }

        // no blank line ends the event in what is buffered: all of it past the event's start is the event's (a CR at the
        // end included: the blank line it may end takes it too)
        if (_end - _eventStart > _maxEventSize)
        {
            throw new EventTooLargeException();
        }

        type = null!;
        data = default;
        return false;
    }

    private void AppendData(int start, int length)
    {
        if (_dataLines == 0)
        {
            _dataStart = start;
            _dataLength = length;
            _dataLines = 1;
            return;
        }

        if (_dataLines == 1)
        {
            EnsureData(_dataLength);
            _buffer.AsSpan(_dataStart, _dataLength).CopyTo(_data);
            _joinedLength = _dataLength;
            _dataLines = 2;
        }

        EnsureData(_joinedLength + 1 + length);
        _data![_joinedLength++] = LF;
        _buffer.AsSpan(start, length).CopyTo(_data.AsSpan(_joinedLength));
        _joinedLength += length;
    }

    private void EnsureData(int size)
    {
        if (_data is null || _data.Length < size)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(size, Math.Max(256, (_data?.Length ?? 0) * 2)));
            if (_data is not null)
            {
                _data.AsSpan(0, _joinedLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_data);
            }

            _data = grown;
        }
    }

    private string TypeName(ReadOnlySpan<byte> value)
    {
        for (int i = 0; i < TypeCacheSize; i++)
        {
            if (_typeBytes[i] is { } bytes && value.SequenceEqual(bytes))
            {
                return _typeNames[i]!;
            }
        }

        var name = Encoding.UTF8.GetString(value);
        if (value.Length <= 64)
        {
            _typeBytes[_typeNext] = value.ToArray();
            _typeNames[_typeNext] = name;
            _typeNext = (_typeNext + 1) % TypeCacheSize;
        }

        return name;
    }

    /// <summary>Returns the buffers to the pool (once).</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _pos = _end = _searched = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_data is { } data)
        {
            _data = null;
            ArrayPool<byte>.Shared.Return(data);
        }
    }
}

/// <summary>
/// Thrown by <see cref="SseFrameReader.TryNext"/> when one event goes past the size limit; the reader reports it with
/// its context (<c>AgentOSClientOptions.MaxStreamEventSize</c>, as <see cref="AgentOSProtocolException"/>).
/// </summary>
internal sealed class EventTooLargeException : Exception
{
}
