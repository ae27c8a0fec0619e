using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Where a run's events go: an SSE response, or nowhere (non-streaming runs).</summary>
internal interface IEventSink
{
    /// <summary>Whether events reach a client (a streaming response that is still connected).</summary>
    bool IsLive { get; }

    ValueTask EmitAsync(HostEvent e);
}

/// <summary>Drops events (non-streaming runs build their output from the run's state).</summary>
internal sealed class NullEventSink : IEventSink
{
    public static readonly NullEventSink Instance = new();

    public bool IsLive => false;

    public ValueTask EmitAsync(HostEvent e) => ValueTask.CompletedTask;
}

/// <summary>
/// Writes events as AgentOS frames them: <c>event: Name\ndata: {compact JSON}\n\n</c>, straight into the
/// response's pipe, one flush per event. The response starts with the first event, so an error found before
/// it can still be answered with a JSON error. When the client goes away the sink stops writing and calls
/// <c>onDisconnected</c> (the run is cancelled, as AgentOS cancels a run whose stream is closed).
/// </summary>
internal sealed class SseEventSink : IEventSink
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    private readonly HttpContext _context;
    private readonly Action? _onDisconnected;
    private Utf8JsonWriter? _writer;

    public SseEventSink(HttpContext context, Action? onDisconnected = null)
    {
        _context = context;
        _onDisconnected = onDisconnected;
    }

    public bool Started { get; private set; }

    public bool Broken { get; private set; }

    public bool IsLive => !Broken;

    public int Count { get; private set; }

    public void Start()
    {
        if (Started)
        {
            return;
        }

        Started = true;
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Wire.EventStreamContentType;
        _context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public async ValueTask EmitAsync(HostEvent e)
    {
        if (Broken)
        {
            return;
        }

        try
        {
            Start();
            var pipe = _context.Response.BodyWriter;
            pipe.Write(EventPrefix);
            WriteUtf8(pipe, e.Name);
            pipe.Write(DataPrefix);
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(pipe, Wire.WriterOptions);
            }
            else
            {
                _writer.Reset(pipe);
            }

            e.WriteTo(_writer);
#pragma warning disable VSTHRD103 // Flush only advances the pipe writer (no I/O); the pipe is flushed below.
            _writer.Flush();
#pragma warning restore VSTHRD103
            pipe.Write(FrameEnd);
            var result = await pipe.FlushAsync(_context.RequestAborted).ConfigureAwait(false);
            Count++;
            if (result.IsCanceled || result.IsCompleted)
            {
                MarkBroken();
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            MarkBroken();
        }
    }

    private void MarkBroken()
    {
        if (!Broken)
        {
            Broken = true;
            _onDisconnected?.Invoke();
        }
    }

    private static void WriteUtf8(IBufferWriter<byte> pipe, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = pipe.GetSpan(max);
        int written = Encoding.UTF8.GetBytes(text, span);
        pipe.Advance(written);
    }
}
