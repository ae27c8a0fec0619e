using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agno.Benchmarks.Load;

/// <summary>
/// The replay server of the load runner (<c>serve</c> verb, its own process): serves the workload files as the
/// real AgentOS (uvicorn) does, one HTTP chunk (one write + flush) per SSE event.
/// <list type="bullet">
/// <item><c>POST /agents/{id}/runs</c>, urlencoded form: <c>stream=false</c> → run-response.json; <c>stream</c> true or
/// absent → SSE, stream-1000.sse when <c>message</c> contains "long", W5's real-model stream when it contains "real", else stream-small.sse
/// (a non-streaming message <c>big1</c> / <c>big10</c> answers with about 1 MB / 10 MB of content). A message containing
/// "hold" sends the first event, then waits until <c>POST /bench/release</c> (at most <see cref="HoldLimit"/>), then
/// trickles the rest one event per <c>--trickle-ms</c>.</item>
/// <item><c>GET /agents/{id}</c> → agent.json.</item>
/// <item><c>POST /bench/release</c> releases held streams (answers how many were held); <c>GET /bench/held</c> counts them.</item>
/// </list>
/// </summary>
internal static class BenchServer
{
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(120);

    private static TaskCompletionSource _gate = NewGate();
    private static int _held;

    public static async Task<int> RunAsync(string[] args)
    {
        int port = IntArg(args, "--port", 0);
        int trickleMs = IntArg(args, "--trickle-ms", 20);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = null;
            k.Limits.MaxConcurrentUpgradedConnections = null;
        });
        builder.Services.Configure<SocketTransportOptions>(o => o.Backlog = 4096);
        await using var app = builder.Build();
        var trickle = TimeSpan.FromMilliseconds(trickleMs);
        app.Run(ctx => HandleAsync(ctx, trickle));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"listening {address}");
        Console.Out.Flush();

        // Ends when the load runner closes our standard input (or dies), so the server never outlives it.
        await Task.Run(() =>
        {
            while (Console.In.ReadLine() is { } line)
            {
                if (line.Trim() == "quit")
                {
                    break;
                }
            }
        });
        await app.StopAsync();
        return 0;
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task HandleAsync(HttpContext ctx, TimeSpan trickle)
    {
        var request = ctx.Request;
        string path = request.Path.Value ?? string.Empty;
        if (HttpMethods.IsPost(request.Method) && path.StartsWith("/agents/", StringComparison.Ordinal) && path.EndsWith("/runs", StringComparison.Ordinal))
        {
            var (stream, message) = await ReadRunFormAsync(request);
            if (!stream)
            {
                var json = message switch
                {
                    Workloads.Big1Message => Workloads.RunResponse1MB,
                    Workloads.Big10Message => Workloads.RunResponse10MB,
                    _ => Workloads.RunResponse,
                };
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength = json.Length;
                await ctx.Response.Body.WriteAsync(json);
                return;
            }

            bool hold = message.Contains("hold", StringComparison.Ordinal);
            var frames = message.Contains("long", StringComparison.Ordinal) ? Workloads.StreamLongFrames
                : message.Contains("real", StringComparison.Ordinal) ? Workloads.StreamRealFrames
                : Workloads.StreamSmallFrames;
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            var writer = ctx.Response.BodyWriter;
            var aborted = ctx.RequestAborted;
            for (int i = 0; i < frames.Length; i++)
            {
                if (hold && i > 0)
                {
                    if (i == 1)
                    {
                        var gate = _gate.Task;
                        Interlocked.Increment(ref _held);
                        try
                        {
                            await gate.WaitAsync(HoldLimit, aborted).ConfigureAwait(false);
                        }
                        catch (TimeoutException)
                        {
                            // bounded: a forgotten release does not hold the streams forever
                        }
                        finally
                        {
                            Interlocked.Decrement(ref _held);
                        }
                    }

                    await Task.Delay(trickle, aborted);
                }

                // One write + flush per event: one HTTP chunk each, like uvicorn.
                var result = await writer.WriteAsync(frames[i], aborted);
                if (result.IsCanceled || result.IsCompleted)
                {
                    return;
                }
            }

            return;
        }

        if (HttpMethods.IsGet(request.Method) && path.StartsWith("/agents/", StringComparison.Ordinal))
        {
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = Workloads.Agent.Length;
            await ctx.Response.Body.WriteAsync(Workloads.Agent);
            return;
        }

        if (HttpMethods.IsPost(request.Method) && path == "/bench/release")
        {
            int held = Volatile.Read(ref _held);
            var old = Interlocked.Exchange(ref _gate, NewGate());
            old.TrySetResult();
            await ctx.Response.WriteAsync(held.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (HttpMethods.IsGet(request.Method) && path == "/bench/held")
        {
            await ctx.Response.WriteAsync(Volatile.Read(ref _held).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        ctx.Response.StatusCode = 404;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync("{\"detail\":\"Not Found\"}");
    }

    /// <summary>Reads <c>stream</c> and <c>message</c> of an urlencoded (or multipart) run form.</summary>
    private static async Task<(bool Stream, string Message)> ReadRunFormAsync(HttpRequest request)
    {
        if (!(request.ContentType ?? string.Empty).StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var form = await request.ReadFormAsync();
            string? s = form["stream"];
            return (s is null || !s.Equals("false", StringComparison.OrdinalIgnoreCase), form["message"].ToString());
        }

        int length = (int)(request.ContentLength ?? 64 * 1024);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
        try
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await request.Body.ReadAsync(buffer.AsMemory(read));
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            bool stream = true;
            string message = string.Empty;
            foreach (var pair in System.Text.Encoding.ASCII.GetString(buffer, 0, read).Split('&'))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string key = eq < 0 ? pair : pair[..eq];
                string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
                if (key == "stream")
                {
                    stream = !value.Equals("false", StringComparison.OrdinalIgnoreCase);
                }
                else if (key == "message")
                {
                    message = WebUtility.UrlDecode(value);
                }
            }

            return (stream, message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
