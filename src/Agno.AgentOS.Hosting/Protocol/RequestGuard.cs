using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The connection-level guard of <see cref="AgentOSListenOptionsExtensions.UseAgentOSRequestGuard"/>: follows the
/// HTTP/1.x framing of a connection on its raw bytes (request lines, header blocks, <c>Content-Length</c> and chunked
/// bodies) and inspects only request lines, before Kestrel parses them. A request line Kestrel would reject with an
/// empty 400 / 405 / 505 is answered as uvicorn answers what it cannot parse (400 <c>Invalid HTTP request received.</c>,
/// connection closed); a path holding <c>%00</c> (which Kestrel rejects, and agno serves decoded) is handed to Kestrel
/// with <c>%2500</c> in its place and restored, NUL included, by <see cref="RequestTargetRestoreMiddleware"/>. Every
/// other byte passes through untouched, from the transport's own buffers.
/// </summary>
internal static class RequestGuard
{
    /// <summary>uvicorn's answer to a request it cannot parse (its httptools protocol's, with this server's date and server headers).</summary>
    public const string RejectionBody = "Invalid HTTP request received.";

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(ListenOptions listenOptions) => next =>
    {
        // HTTP/2-only endpoints never carry an HTTP/1 request line (HTTP/3 connections do not come through here)
        if (listenOptions.Protocols == HttpProtocols.Http2)
        {
            return next;
        }

        var server = listenOptions.KestrelServerOptions;
        return connection => GuardAsync(connection, next, server);
    };

    private static async Task GuardAsync(ConnectionContext connection, ConnectionDelegate next, KestrelServerOptions? server)
    {
        // after UseHttps: the protocol ALPN chose; h2 has no request lines
        if (connection.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature>() is { } tls && tls.ApplicationProtocol.Span.SequenceEqual("h2"u8))
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var limits = server?.Limits;
        int maxLine = limits?.MaxRequestLineSize ?? 8192 * RequestHeadLimits.Headroom;
        int maxHeaders = limits?.MaxRequestHeadersTotalSize ?? 32 * 1024 * RequestHeadLimits.Headroom;
        var transport = connection.Transport;
        var feature = new RequestGuardFeature();
        var reader = new GuardReader(transport.Input, feature, maxLine, Math.Max(maxLine, maxHeaders));
        var writer = new HeldCompletionWriter(transport.Output);
        connection.Features.Set(feature);
        connection.Transport = new DuplexPipe(reader, writer);
        try
        {
            await next(connection).ConfigureAwait(false);
            if (reader.RejectionDelivered && !writer.Faulted)
            {
                await transport.Output.WriteAsync(Rejection(server?.AddServerHeader ?? true)).ConfigureAwait(false);
            }
        }
        finally
        {
            connection.Transport = transport;
            await transport.Output.CompleteAsync(writer.CompletionError).ConfigureAwait(false);
        }
    }

    private static byte[] Rejection(bool serverHeader)
    {
        string head = "HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + RejectionBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n"
            + "Connection: close\r\n"
            + "Date: " + DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"
            + (serverHeader ? "Server: Kestrel\r\n" : string.Empty)
            + "\r\n";
        return Encoding.ASCII.GetBytes(head + RejectionBody);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

/// <summary>
/// The connection's guard state seen by the request pipeline (a connection feature, which Kestrel's request features
/// fall back to): the target of the request whose <c>%00</c> the guard replaced, until that request takes it.
/// </summary>
internal sealed class RequestGuardFeature
{
    /// <summary>The placeholder every <c>%00</c> of a path becomes.</summary>
    public const string Placeholder = "%2500";

    private (string Rewritten, string Original)? _pending;

    /// <summary>Set when Kestrel has read the rewritten request line: the next request of the connection is that one.</summary>
    public void SetPending(string rewritten, string original) => _pending = (rewritten, original);

    /// <summary>The original target when <paramref name="rawTarget"/> is the pending rewritten one (taken once).</summary>
    public string? Take(string rawTarget)
    {
        if (_pending is not { } pending)
        {
            return null;
        }

        _pending = null;
        return string.Equals(pending.Rewritten, rawTarget, StringComparison.Ordinal) ? pending.Original : null;
    }
}

/// <summary>
/// Gives the request whose <c>%00</c> <see cref="RequestGuard"/> replaced its path as the client sent it: the raw
/// target, and the path decoded as Kestrel decodes paths (UTF-8 percent-decoding that keeps <c>%2F</c>, then dot
/// segments removed), with its NULs, as agno's server hands such a path to its routes.
/// </summary>
internal sealed class RequestTargetRestoreMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestFeature>() is { } request
            && request.RawTarget.Contains(RequestGuardFeature.Placeholder, StringComparison.Ordinal)
            && context.Features.Get<RequestGuardFeature>()?.Take(request.RawTarget) is { } original)
        {
            int query = original.IndexOf('?', StringComparison.Ordinal);
            request.RawTarget = original;
            request.Path = RequestLine.DecodePath(query < 0 ? original : original[..query]);
        }

        return next(context);
    }
}

/// <summary>The request-line rules the guard applies (Kestrel's, where Kestrel answers with an empty body).</summary>
internal static class RequestLine
{
    public enum Verdict
    {
        /// <summary>Kestrel serves it: pass it on.</summary>
        Pass,

        /// <summary>Kestrel rejects it (empty 400 / 405 / 505) and agno's server cannot parse it: answer 400.</summary>
        Malformed,

        /// <summary>A path with <c>%00</c>: rewrite it.</summary>
        NulInPath,

        /// <summary>What follows is not HTTP/1 framing the guard follows (CONNECT, the HTTP/2 preface): stop inspecting.</summary>
        Stop,
    }

    private static ReadOnlySpan<byte> Http11 => "HTTP/1.1"u8;

    private static ReadOnlySpan<byte> Http10 => "HTTP/1.0"u8;

    private static ReadOnlySpan<byte> Nul => "%00"u8;

    /// <summary>Judges a complete request line (without its LF; a CR before the LF is allowed, as Kestrel allows a bare LF).</summary>
    public static Verdict Inspect(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        int methodEnd = line.IndexOf((byte)' ');
        if (methodEnd <= 0 || !IsToken(line[..methodEnd]))
        {
            return Verdict.Malformed;
        }

        var method = line[..methodEnd];
        var rest = line[(methodEnd + 1)..];
        if (rest.Length == 0 || rest[0] is (byte)' ' or (byte)'?' or (byte)'%')
        {
            return Verdict.Malformed;
        }

        int targetEnd = rest.IndexOf((byte)' ');
        if (targetEnd < 0)
        {
            return Verdict.Malformed;
        }

        var target = rest[..targetEnd];
        var version = rest[targetEnd..].TrimStart((byte)' ');
        if (!version.SequenceEqual(Http11) && !version.SequenceEqual(Http10))
        {
            return method.SequenceEqual("PRI"u8) && target.SequenceEqual("*"u8) && version.SequenceEqual("HTTP/2.0"u8)
                ? Verdict.Stop
                : Verdict.Malformed;
        }

        if (target.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0)
        {
            return Verdict.Malformed; // Kestrel takes ASCII targets only
        }

        if (target[0] == (byte)'/')
        {
            int query = target.IndexOf((byte)'?');
            return (query < 0 ? target : target[..query]).IndexOf(Nul) >= 0 ? Verdict.NulInPath : Verdict.Pass;
        }

        if (target.SequenceEqual("*"u8) || target.StartsWith("http://"u8) || target.StartsWith("https://"u8))
        {
            return Verdict.Pass; // asterisk and absolute forms: Kestrel's own rules
        }

        // the authority form is CONNECT's; Kestrel answers any other method with an empty 405
        return method.SequenceEqual("CONNECT"u8) ? Verdict.Stop : Verdict.Malformed;
    }

    /// <summary>
    /// The line with every <c>%00</c> of its path replaced by <see cref="RequestGuardFeature.Placeholder"/> (its LF
    /// included), and the original and rewritten targets.
    /// </summary>
    public static (byte[] Line, string Original, string Rewritten) Rewrite(ReadOnlySpan<byte> line)
    {
        int targetStart = line.IndexOf((byte)' ') + 1;
        int targetLength = line[targetStart..].IndexOf((byte)' ');
        var target = line.Slice(targetStart, targetLength);
        int query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        string original = Encoding.ASCII.GetString(target);
        string rewritten = Encoding.ASCII.GetString(path).Replace("%00", RequestGuardFeature.Placeholder, StringComparison.Ordinal)
            + (query < 0 ? string.Empty : Encoding.ASCII.GetString(target[query..]));
        var bytes = new byte[line.Length - targetLength + rewritten.Length + 1];
        line[..targetStart].CopyTo(bytes);
        int at = targetStart + Encoding.ASCII.GetBytes(rewritten, bytes.AsSpan(targetStart));
        line[(targetStart + targetLength)..].CopyTo(bytes.AsSpan(at));
        bytes[^1] = (byte)'\n';
        return (bytes, original, rewritten);
    }

    /// <summary>
    /// A path (ASCII, percent-encoded) decoded as Kestrel decodes one, except that <c>%00</c> decodes to NUL: UTF-8
    /// sequences decoded where well-formed (others left as they are), <c>%2F</c> kept encoded, then dot segments removed.
    /// </summary>
    public static string DecodePath(string path)
    {
        var source = Encoding.ASCII.GetBytes(path);
        var decoded = new byte[source.Length];
        int length = 0;
        for (int i = 0; i < source.Length;)
        {
            int value = HexAt(source, i);
            if (value < 0 || value == '/')
            {
                decoded[length++] = source[i++];
                continue;
            }

            if (value < 0x80)
            {
                decoded[length++] = (byte)value;
                i += 3;
                continue;
            }

            int count = value >= 0xF0 && value <= 0xF4 ? 4 : value >= 0xE0 && value <= 0xEF ? 3 : value >= 0xC2 && value <= 0xDF ? 2 : 0;
            int codePoint = count switch { 4 => value & 0x07, 3 => value & 0x0F, _ => value & 0x1F };
            bool valid = count > 0;
            for (int k = 1; valid && k < count; k++)
            {
                int next = HexAt(source, i + (3 * k));
                valid = next >= 0 && (next & 0xC0) == 0x80;
                codePoint = (codePoint << 6) | (next & 0x3F);
            }

            valid &= count switch
            {
                3 => codePoint >= 0x800 && codePoint is < 0xD800 or > 0xDFFF,
                4 => codePoint is >= 0x10000 and <= 0x10FFFF,
                _ => true,
            };
            if (!valid)
            {
                decoded[length++] = source[i++]; // the '%' of an escape that is not a UTF-8 sequence stays as it is
                continue;
            }

            for (int k = 0; k < count; k++)
            {
                decoded[length++] = (byte)HexAt(source, i + (3 * k));
            }

            i += 3 * count;
        }

        return RemoveDotSegments(Encoding.UTF8.GetString(decoded, 0, length));
    }

    /// <summary>RFC 3986's <c>remove_dot_segments</c> of an absolute path.</summary>
    public static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.', StringComparison.Ordinal))
        {
            return path;
        }

        var segments = path[1..].Split('/');
        var output = new List<string>(segments.Length);
        for (int i = 0; i < segments.Length; i++)
        {
            bool last = i == segments.Length - 1;
            switch (segments[i])
            {
                case ".":
                    break;
                case "..":
                    if (output.Count > 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    break;
                default:
                    output.Add(segments[i]);
                    continue;
            }

            if (last)
            {
                output.Add(string.Empty);
            }
        }

        return "/" + string.Join('/', output);
    }

    private static int HexAt(byte[] source, int i)
    {
        if (i + 2 >= source.Length || source[i] != (byte)'%')
        {
            return -1;
        }

        int high = Hex(source[i + 1]);
        int low = Hex(source[i + 2]);
        return high < 0 || low < 0 ? -1 : (high << 4) | low;
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>RFC 9110's token characters.</summary>
    public static bool IsToken(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsTokenChar(byte b)
        => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}

/// <summary>
/// Kestrel's side of the guarded transport's output: everything goes straight to the transport, except that Kestrel
/// completing it is held until the guard has written its own answer (if any).
/// </summary>
internal sealed class HeldCompletionWriter(PipeWriter inner) : PipeWriter
{
    public Exception? CompletionError { get; private set; }

    /// <summary>Kestrel completed the output with an error (the connection failed): nothing more is written.</summary>
    public bool Faulted => CompletionError is not null;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => CompletionError ??= exception;

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Complete(exception);
        return default;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) => inner.WriteAsync(source, cancellationToken);
}

/// <summary>
/// Kestrel's side of the guarded transport's input. It hands Kestrel the transport's own buffers, cut at the start of
/// a request line not yet judged (held until its LF, at most <c>MaxRequestLineSize</c> bytes) or of any other line
/// not yet complete, so that Kestrel never parses what the guard has not seen. A rewritten request line is handed
/// as a buffer of its own, after which the original line is skipped; a rejected one ends the input once Kestrel has
/// read what came before it (the guard then writes its answer).
/// </summary>
internal sealed class GuardReader : PipeReader
{
    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';

    private readonly PipeReader _inner;
    private readonly RequestGuardFeature _feature;
    private readonly int _maxLine;
    private readonly int _maxHeld;

    // offsets are into _buffer: the transport's buffer as last read, less the _skip bytes of a replaced line
    private ReadOnlySequence<byte> _buffer;
    private long _skip;
    private long _scanned;
    private long _search;
    private long _presentable;
    private long _presented;
    private bool _examinedAll;
    private State _state = State.LineStart;
    private bool _first = true;
    private long _remaining;
    private byte[]? _scratch;

    private bool _http10;
    private int _contentLengths;
    private long _contentLength;
    private bool _transferEncoding;
    private bool _chunkedLast;
    private bool _upgrade;

    private byte[]? _owned;
    private int _ownedOffset;
    private bool _ownedActive;
    private int _originalLength;
    private string? _original;
    private string? _rewritten;

    public GuardReader(PipeReader inner, RequestGuardFeature feature, int maxLine, int maxHeld)
    {
        _inner = inner;
        _feature = feature;
        _maxLine = maxLine;
        _maxHeld = maxHeld;
    }

    private enum State
    {
        LineStart,
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        PassThrough,
        RewritePending,
        Rejected,
    }

    /// <summary>The input ended at a rejected request line, everything before it read: the guard answers it.</summary>
    public bool RejectionDelivered { get; private set; }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryShortcut(out var shortcut))
            {
                return new(shortcut);
            }

            var pending = _inner.ReadAsync(cancellationToken);
            if (!pending.IsCompletedSuccessfully)
            {
                return ReadSlowAsync(pending, cancellationToken);
            }

#pragma warning disable VSTHRD103 // completed: the synchronous path, no blocking
            if (TryPresent(pending.Result, out var presented))
#pragma warning restore VSTHRD103
            {
                return new(presented);
            }
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        while (true)
        {
            if (TryShortcut(out result))
            {
                return true;
            }

            if (!_inner.TryRead(out var read))
            {
                result = default;
                return false;
            }

            if (TryPresent(read, out result))
            {
                return true;
            }
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_ownedActive)
        {
            _ownedOffset = (int)new ReadOnlySequence<byte>(_owned!).GetOffset(consumed);
            if (_ownedOffset >= _owned!.Length)
            {
                // Kestrel has the rewritten line: skip the original, and the next request is the rewritten one
                _ownedActive = false;
                _owned = null;
                _skip = _originalLength;
                _scanned = _search = _presentable = _presented = 0;
                _examinedAll = false;
                _state = State.Headers;
                _feature.SetPending(_rewritten!, _original!);
            }

            return;
        }

        if (RejectionDelivered)
        {
            return;
        }

        long consumedBytes = _buffer.Slice(_buffer.Start, consumed).Length;
        _examinedAll = _buffer.Slice(_buffer.Start, examined).Length >= _presented;
        _inner.AdvanceTo(consumed, examined);
        _skip = 0;
        _scanned -= consumedBytes;
        _search -= consumedBytes;
        _presentable -= consumedBytes;
        _presented -= consumedBytes;
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadSlowAsync(ValueTask<ReadResult> pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryPresent(await pending.ConfigureAwait(false), out var presented))
            {
                return presented;
            }

            if (TryShortcut(out var shortcut))
            {
                return shortcut;
            }

            pending = _inner.ReadAsync(cancellationToken);
        }
    }

    /// <summary>A read answered without the transport: the rewritten line, or the end of input at a rejected one.</summary>
    private bool TryShortcut(out ReadResult result)
    {
        if (_presentable == 0 && _state == State.RewritePending)
        {
            _ownedActive = true;
            result = new ReadResult(new ReadOnlySequence<byte>(_owned!, _ownedOffset, _owned!.Length - _ownedOffset), false, false);
            return true;
        }

        if ((_presentable == 0 && _state == State.Rejected) || RejectionDelivered)
        {
            RejectionDelivered = true;
            result = new ReadResult(default, false, true);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Scans a transport read and hands Kestrel what it may parse; false when there is nothing (the read is given back).</summary>
    private bool TryPresent(ReadResult read, out ReadResult result)
    {
        _buffer = _skip == 0 ? read.Buffer : read.Buffer.Slice(_skip);
        Scan();
        bool held = _presentable < _buffer.Length;
        bool decided = _state is State.Rejected or State.RewritePending;
        bool stale = held && _examinedAll && _presentable <= _presented; // Kestrel examined all of it already and waits for more
        if (_presentable > 0 && !stale)
        {
            _presented = _presentable;
            _examinedAll = false;
            result = new ReadResult(held ? _buffer.Slice(0, _presentable) : _buffer, read.IsCanceled, read.IsCompleted && !decided);
            return true;
        }

        if (!decided && (read.IsCanceled || read.IsCompleted))
        {
            // nothing new to hand: a cancelled read, or the end of input (a partial line left at it is dropped)
            _presented = _presentable;
            result = new ReadResult(_buffer.Slice(0, _presentable), read.IsCanceled, read.IsCompleted);
            return true;
        }

        // wait for more: give the read back, everything examined unless a decision is ready to hand instead
        _inner.AdvanceTo(_buffer.Start, decided ? _buffer.Start : _buffer.End);
        _skip = 0;
        result = default;
        return false;
    }

    private void Scan()
    {
        long end = _buffer.Length;
        while (true)
        {
            switch (_state)
            {
                case State.PassThrough:
                    _scanned = _search = _presentable = end;
                    return;
                case State.Rejected:
                case State.RewritePending:
                    return;
                case State.LineStart:
                    while (_scanned < end && ByteAt(_scanned) is CR or LF)
                    {
                        _scanned++; // Kestrel skips empty lines between requests
                    }

                    _search = _presentable = _scanned;
                    if (_scanned == end)
                    {
                        return;
                    }

                    if (_first && ByteAt(_scanned) == 0x16)
                    {
                        _state = State.PassThrough; // a TLS handshake: the guard was added before UseHttps
                        continue;
                    }

                    _first = false;
                    _state = State.RequestLine;
                    continue;
                case State.RequestLine:
                {
                    long lf = IndexOf(_search, LF, 0);
                    if (lf < 0)
                    {
                        _search = end;
                        if (end - _scanned >= _maxLine)
                        {
                            _state = State.PassThrough; // longer than Kestrel takes: its own answer
                            continue;
                        }

                        return;
                    }

                    if (ByteAt(lf) == 0 || lf - _scanned + 1 > _maxLine)
                    {
                        if (ByteAt(lf) == 0)
                        {
                            _state = State.Rejected;
                            return;
                        }

                        _state = State.PassThrough;
                        continue;
                    }

                    var line = Line(_scanned, lf);
                    switch (RequestLine.Inspect(line))
                    {
                        case RequestLine.Verdict.Pass:
                            StartHead(line);
                            _scanned = _search = _presentable = lf + 1;
                            _state = State.Headers;
                            continue;
                        case RequestLine.Verdict.NulInPath:
                            StartHead(line);
                            (_owned, _original, _rewritten) = RequestLine.Rewrite(line);
                            _ownedOffset = 0;
                            _originalLength = (int)(lf + 1 - _scanned);
                            _state = State.RewritePending;
                            return;
                        case RequestLine.Verdict.Stop:
                            _state = State.PassThrough;
                            continue;
                        default:
                            _state = State.Rejected;
                            return;
                    }
                }

                case State.Headers:
                case State.ChunkSize:
                case State.Trailers:
                {
                    long lf = IndexOf(_search, LF, LF);
                    if (lf < 0)
                    {
                        _search = end;
                        if (end - _scanned > _maxHeld)
                        {
                            _state = State.PassThrough;
                            continue;
                        }

                        return;
                    }

                    var line = Line(_scanned, lf);
                    _scanned = _search = _presentable = lf + 1;
                    _state = _state switch
                    {
                        State.Headers => HeaderLine(line),
                        State.ChunkSize => ChunkSizeLine(line),
                        _ => line.Length == 0 || (line.Length == 1 && line[0] == CR) ? State.LineStart : State.Trailers,
                    };
                    continue;
                }

                case State.Body:
                case State.ChunkData:
                {
                    long take = Math.Min(_remaining, end - _scanned);
                    _scanned += take;
                    _remaining -= take;
                    _search = _presentable = _scanned;
                    if (_remaining > 0)
                    {
                        return;
                    }

                    _state = _state == State.Body ? State.LineStart : State.ChunkEnd;
                    continue;
                }

                case State.ChunkEnd:
                    if (end - _scanned < 2)
                    {
                        _search = _scanned;
                        return;
                    }

                    if (ByteAt(_scanned) != CR || ByteAt(_scanned + 1) != LF)
                    {
                        _state = State.PassThrough;
                        continue;
                    }

                    _scanned += 2;
                    _search = _presentable = _scanned;
                    _state = State.ChunkSize;
                    continue;
            }
        }
    }

    private void StartHead(ReadOnlySpan<byte> line)
    {
        var trimmed = line.Length > 0 && line[^1] == CR ? line[..^1] : line;
        _http10 = trimmed.EndsWith("HTTP/1.0"u8);
        _contentLengths = 0;
        _contentLength = 0;
        _transferEncoding = false;
        _chunkedLast = false;
        _upgrade = false;
    }

    /// <summary>One header line: the state after it. Anything Kestrel might frame differently stops the inspection (Kestrel then answers it).</summary>
    private State HeaderLine(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == CR)
        {
            line = line[..^1];
        }

        if (line.Length == 0)
        {
            if (_upgrade)
            {
                return State.PassThrough;
            }

            if (_transferEncoding)
            {
                return _contentLengths == 0 && _chunkedLast && !_http10 ? State.ChunkSize : State.PassThrough;
            }

            if (_contentLengths > 1)
            {
                return State.PassThrough;
            }

            _remaining = _contentLength;
            return _contentLength > 0 ? State.Body : State.LineStart;
        }

        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || line.IndexOfAny((byte)' ', (byte)'\t', CR) is int ws && ws >= 0 && ws < colon || line.IndexOf(CR) >= 0)
        {
            return State.PassThrough;
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (value.Length is 0 or > 18 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            {
                return State.PassThrough;
            }

            _contentLengths++;
            _contentLength = long.Parse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            _transferEncoding = true;
            int comma = value.LastIndexOf((byte)',');
            _chunkedLast = Ascii.EqualsIgnoreCase(value[(comma + 1)..].Trim(" \t"u8), "chunked"u8);
        }
        else if (name.Length == 7 && Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
        {
            _upgrade = true;
        }

        return State.Headers;
    }

    private State ChunkSizeLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[^1] != CR)
        {
            return State.PassThrough;
        }

        line = line[..^1];
        int semicolon = line.IndexOf((byte)';');
        var digits = semicolon < 0 ? line : line[..semicolon];
        if (digits.Length is 0 or > 15 || !long.TryParse(digits, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out long size))
        {
            return State.PassThrough;
        }

        _remaining = size;
        return size == 0 ? State.Trailers : State.ChunkData;
    }

    private byte ByteAt(long offset)
    {
        var first = _buffer.FirstSpan;
        return offset < first.Length ? first[(int)offset] : _buffer.Slice(offset, 1).FirstSpan[0];
    }

    /// <summary>The offset of the first <paramref name="a"/> or <paramref name="b"/> from <paramref name="from"/>, or -1.</summary>
    private long IndexOf(long from, byte a, byte b)
    {
        var first = _buffer.FirstSpan;
        if (from < first.Length)
        {
            int i = first[(int)from..].IndexOfAny(a, b);
            if (i >= 0 || _buffer.IsSingleSegment)
            {
                return i < 0 ? -1 : from + i;
            }

            from = first.Length;
        }
        else if (_buffer.IsSingleSegment)
        {
            return -1;
        }

        long offset = from;
        foreach (var memory in _buffer.Slice(from))
        {
            int i = memory.Span.IndexOfAny(a, b);
            if (i >= 0)
            {
                return offset + i;
            }

            offset += memory.Length;
        }

        return -1;
    }

    /// <summary>The bytes from <paramref name="start"/> to the LF at <paramref name="lf"/> (excluded), copied only when they span segments.</summary>
    private ReadOnlySpan<byte> Line(long start, long lf)
    {
        var first = _buffer.FirstSpan;
        if (lf <= first.Length)
        {
            return first[(int)start..(int)lf];
        }

        var line = _buffer.Slice(start, lf - start);
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        int length = (int)line.Length;
        if (_scratch is null || _scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, 256)];
        }

        line.CopyTo(_scratch);
        return _scratch.AsSpan(0, length);
    }
}
