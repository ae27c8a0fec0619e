using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agno.Testing;

/// <summary>How a queued exchange is served.</summary>
public sealed class ServeOptions
{
    /// <summary>Wait this long before each SSE event.</summary>
    public TimeSpan EventDelay { get; init; }

    /// <summary>After this many SSE events, stop writing and wait until the client goes away (a stalled server).</summary>
    public int? StallAfterEvents { get; init; }

    /// <summary>
    /// After this many SSE events, cut the connection in the middle of the chunked body (a server that dies
    /// mid-stream). The socket is shut down for sending (FIN), so the client reads every byte sent before the
    /// cut and then meets the end of the connection; a reset could discard bytes the client had not read.
    /// </summary>
    public int? AbortAfterEvents { get; init; }

    /// <summary>Before the SSE event with this index, wait for <see cref="Gate"/>.</summary>
    public int? GateBeforeEvent { get; init; }

    /// <summary>What <see cref="GateBeforeEvent"/> waits for (e.g. <see cref="ReplayServer.WhenServed"/>).</summary>
    public Task? Gate { get; init; }

    /// <summary>After this many SSE events, end the response normally (a clean but early end).</summary>
    public int? EndAfterEvents { get; init; }

    /// <summary>Write the body one byte per flush (every chunk boundary inside SSE frames).</summary>
    public bool ByteByByte { get; init; }

    /// <summary>Replace the recorded body.</summary>
    public byte[]? BodyOverride { get; init; }
}

/// <summary>A request the replay server received.</summary>
public sealed class ReceivedRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Query { get; init; }
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required string? ContentType { get; init; }
    public required byte[] Body { get; init; }
    public string? Authorization => Headers.TryGetValue("Authorization", out var v) ? v : null;
    public override string ToString() => $"{Method} {Path}{Query}";
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 (ephemeral port) that answers with recorded exchanges: the recorded
/// status, headers and body bytes, SSE written event by event with a flush each. Each queued exchange
/// answers the first request with its method and path; the request is kept for assertions.
/// </summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(RecordedExchange Exchange, ServeOptions Options)> _queue = [];
    private readonly object _gate = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentQueue<string> _unmatched = new();

    private ReplayServer(WebApplication app, FixtureSet set)
    {
        _app = app;
        FixtureSet = set;
    }

    /// <summary>The recording <see cref="Serve(string[])"/> takes fixtures from (the current one when the server started).</summary>
    public FixtureSet FixtureSet { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests received, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Requests that matched no queued exchange (answered 599).</summary>
    public IReadOnlyList<string> Unmatched => [.. _unmatched];

    /// <summary>A handler that answers instead of the queue when set (for hand-made answers).</summary>
    public Func<HttpContext, Task>? Handler { get; set; }

    /// <summary>Completes when the client of a stalled/slow stream has gone away.</summary>
    public TaskCompletionSource ClientGone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ReplayServer> StartAsync(FixtureSet? fixtures = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ReplayServer(app, fixtures ?? Fixtures.Current);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Queues fixtures (by number or name) to be served in order of matching requests.</summary>
    public ReplayServer Serve(params string[] fixtures)
    {
        foreach (var f in fixtures)
        {
            Serve(FixtureSet.Get(f), new ServeOptions());
        }

        return this;
    }

    public ReplayServer Serve(string fixture, ServeOptions options) => Serve(FixtureSet.Get(fixture), options);

    public ReplayServer Serve(RecordedExchange exchange, ServeOptions options)
    {
        lock (_gate)
        {
            _queue.Add((exchange, options));
        }

        return this;
    }

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _served = new(StringComparer.Ordinal);

    /// <summary>Completes when the exchange with this name (or number) has been answered.</summary>
    public Task WhenServed(string fixture) => Served(FixtureSet.Get(fixture).Name).Task;

    private TaskCompletionSource Served(string name) => _served.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>The last received request.</summary>
    public ReceivedRequest Last => Received[^1];

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var ms = new MemoryStream();
        await request.Body.CopyToAsync(ms);
        var received = new ReceivedRequest
        {
            Method = request.Method,
            Path = request.Path.HasValue ? request.Path.ToUriComponent() : "/",
            Query = request.QueryString.Value ?? string.Empty,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ContentType = request.ContentType,
            Body = ms.ToArray(),
        };
        _received.Enqueue(received);

        if (Handler is { } handler)
        {
            await handler(context);
            return;
        }

        (RecordedExchange Exchange, ServeOptions Options)? match = null;
        lock (_gate)
        {
            int index = _queue.FindIndex(q => q.Exchange.Method == received.Method && q.Exchange.Path == received.Path);
            if (index >= 0)
            {
                match = _queue[index];
                _queue.RemoveAt(index);
            }
        }

        if (match is null)
        {
            _unmatched.Enqueue(received.ToString());
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync($"no recorded exchange for {received}");
            return;
        }

        await WriteAsync(context, match.Value.Exchange, match.Value.Options);
        Served(match.Value.Exchange.Name).TrySetResult();
    }

    private async Task WriteAsync(HttpContext context, RecordedExchange exchange, ServeOptions options)
    {
        var response = context.Response;
        response.StatusCode = exchange.StatusCode;
        foreach (var (name, value) in exchange.ResponseHeaders)
        {
            if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("date", StringComparison.OrdinalIgnoreCase)
                || name.Equals("server", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            response.Headers.Append(name, value);
        }

        byte[] body = options.BodyOverride ?? exchange.ResponseBody;
        var aborted = context.RequestAborted;
        try
        {
            if (options.ByteByByte)
            {
                await response.StartAsync(aborted);
                for (int i = 0; i < body.Length; i++)
                {
                    await response.Body.WriteAsync(body.AsMemory(i, 1), aborted);
                    await response.Body.FlushAsync(aborted);
                }

                return;
            }

            if (exchange.StatusCode is 204 or 304)
            {
                return; // as recorded: no body, and no Content-Length header on a 204
            }

            if (!exchange.IsEventStream)
            {
                response.ContentLength = body.Length;
                await response.Body.WriteAsync(body, aborted);
                return;
            }

            await response.StartAsync(aborted);
            var frames = options.BodyOverride is null ? exchange.SseFrames() : new RecordedExchange
            {
                Name = exchange.Name, Method = exchange.Method, Target = exchange.Target, RequestHeaders = exchange.RequestHeaders,
                RequestBody = exchange.RequestBody, StatusCode = exchange.StatusCode, ResponseHeaders = exchange.ResponseHeaders, ResponseBody = body,
            }.SseFrames();
            int sent = 0;
            foreach (var frame in frames)
            {
                if (options.StallAfterEvents == sent || options.AbortAfterEvents == sent || options.EndAfterEvents == sent)
                {
                    break;
                }

                if (options.GateBeforeEvent == sent && options.Gate is { } gate)
                {
                    await gate.WaitAsync(TimeSpan.FromSeconds(30), aborted);
                }

                if (options.EventDelay > TimeSpan.Zero)
                {
                    await Task.Delay(options.EventDelay, aborted);
                }

                await response.Body.WriteAsync(frame, aborted);
                await response.Body.FlushAsync(aborted);
                sent++;
            }

            if (options.AbortAfterEvents is not null)
            {
                var socket = context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket
                    ?? throw new InvalidOperationException("Kestrel exposes no socket to cut.");
                // Kestrel sends from its output pipe on its own loop: give it time to hand the flushed frames to
                // the kernel, then send FIN. Unlike a reset, FIN never discards what the client has not read yet.
                await Task.Delay(250, aborted);
                socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), aborted); // until the client closes its side
                }
                catch (OperationCanceledException)
                {
                }

                context.Abort();
                return;
            }

            if (options.StallAfterEvents is not null)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        finally
        {
            if (aborted.IsCancellationRequested)
            {
                ClientGone.TrySetResult();
            }
        }
    }

    /// <summary>Answers every request with a fixed status, content type and body (e.g. a proxy's HTML page).</summary>
    public void AnswerWith(int status, string contentType, string body)
        => Handler = async ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            await ctx.Response.WriteAsync(body, Encoding.UTF8);
        };

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
