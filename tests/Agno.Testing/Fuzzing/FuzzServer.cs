using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agno.Testing.Fuzzing;

/// <summary>One answer of the fuzz server: a status, a content type, and the body bytes.</summary>
public sealed record FuzzAnswer(int Status, string? ContentType, byte[] Body, int Chunks = 1);

/// <summary>
/// A real Kestrel server on 127.0.0.1 (ephemeral port) for mutation fuzzing: a client whose base address is
/// <see cref="AddressOf"/>(n) has every request answered with answer n, written in its chunks (flushed each).
/// Many mutants are served side by side by one server and its pooled connections.
/// </summary>
public sealed class FuzzServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, FuzzAnswer> _answers = new();
    private Uri _root = null!;

    private FuzzServer(WebApplication app) => _app = app;

    public static async Task<FuzzServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FuzzServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._root = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Sets answer n.</summary>
    public void Set(int n, FuzzAnswer answer) => _answers[n] = answer;

    /// <summary>Forgets answer n.</summary>
    public void Remove(int n) => _answers.TryRemove(n, out _);

    /// <summary>The base address whose requests answer n.</summary>
    public Uri AddressOf(int n) => new(_root, $"m/{n}/");

    private async Task HandleAsync(HttpContext context)
    {
        // drain the request so the connection stays usable
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        var path = context.Request.Path.Value ?? string.Empty;
        var parts = path.Split('/', 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "m" || !int.TryParse(parts[1], out int n) || !_answers.TryGetValue(n, out var answer))
        {
            context.Response.StatusCode = 599;
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.ContentType is not null)
        {
            context.Response.ContentType = answer.ContentType;
        }

        if (answer.Status is 204 or 304)
        {
            return;
        }

        try
        {
            int chunks = Math.Max(1, Math.Min(answer.Chunks, answer.Body.Length));
            int size = answer.Body.Length / chunks;
            for (int i = 0; i < chunks; i++)
            {
                int start = i * size;
                int length = i == chunks - 1 ? answer.Body.Length - start : size;
                await context.Response.Body.WriteAsync(answer.Body.AsMemory(start, length), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away (it stopped reading a stream it had enough of)
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
