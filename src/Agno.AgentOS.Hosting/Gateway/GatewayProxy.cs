using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The gateway's transport: a request for a remote component is sent on to its AgentOS server as it came (method,
/// path, query, body bytes) and the answer comes back as the server gave it (status, content type, body bytes,
/// streams flushed as they arrive), so nothing of AgentOS's shapes is lost on the way. The remote handle's
/// <see cref="AgentOSClient.BaseAddress"/> and key are used; the caller's bearer token instead when
/// <see cref="AgentOSHostOptions.ForwardAuthorization"/> is set.
/// </summary>
internal sealed class GatewayProxy : IDisposable
{
    /// <summary>Request headers sent on (besides the body's content headers and the credentials).</summary>
    private static readonly string[] RequestHeaders = ["Accept", "Idempotency-Key", "Last-Event-ID", "traceparent", "tracestate", "User-Agent"];

    /// <summary>Response headers sent back (besides the content headers).</summary>
    private static readonly string[] ResponseHeaders = ["Cache-Control", "Retry-After", "Allow", "X-Accel-Buffering", "WWW-Authenticate"];

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        UseCookies = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => _http.Dispose();

    /// <summary>Sends the request on to <paramref name="client"/>'s server and relays its answer.</summary>
    /// <param name="context">The caller's request.</param>
    /// <param name="runtime">The host.</param>
    /// <param name="client">The remote server's client.</param>
    /// <param name="body">The request body when it was read already (null: the request's body is streamed on).</param>
    /// <param name="relayIf">Whether to relay an answer with this status (false: nothing is written, the status is returned).</param>
    /// <returns>The remote status, or null when the remote could not be reached (an error was answered).</returns>
    public async Task<int?> ForwardAsync(HttpContext context, AgentOSRuntime runtime, AgentOSClient client, byte[]? body = null, Func<int, bool>? relayIf = null)
    {
        var request = context.Request;
        string relative = runtime.RelativePath(request.Path);
        var target = new Uri(client.BaseAddress, relative + request.QueryString.ToUriComponent());
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (body is not null || request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            HttpContent content = body is not null ? new ByteArrayContent(body) : new StreamContent(request.Body);
            if (request.ContentType is { } contentType)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            if (body is null && request.ContentLength is { } length)
            {
                content.Headers.ContentLength = length;
            }

            message.Content = content;
        }

        foreach (var name in RequestHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values))
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        string? caller = request.Headers.Authorization;
        if (runtime.Options.ForwardAuthorization && !string.IsNullOrEmpty(caller))
        {
            message.Headers.TryAddWithoutValidation("Authorization", caller);
        }
        else if (!string.IsNullOrEmpty(client.Options.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Options.ApiKey);
        }

        HttpResponseMessage upstream;
        try
        {
            upstream = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            Log.RemoteFailed(runtime.Logger, ex, "server", client.BaseAddress.ToString());
            await Wire.WriteDetailAsync(context, StatusCodes.Status503ServiceUnavailable, $"Remote AgentOS unavailable: {ex.Message}").ConfigureAwait(false);
            return null;
        }

        using (upstream)
        {
            int status = (int)upstream.StatusCode;
            if (relayIf is not null && !relayIf(status))
            {
                return status;
            }

            await RelayAsync(context, runtime, client, upstream).ConfigureAwait(false);
            return status;
        }
    }

    private static async Task RelayAsync(HttpContext context, AgentOSRuntime runtime, AgentOSClient client, HttpResponseMessage upstream)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        foreach (var name in ResponseHeaders)
        {
            if (upstream.Headers.TryGetValues(name, out var values) || upstream.Content.Headers.TryGetValues(name, out values))
            {
                response.Headers[name] = values.ToArray();
            }
        }

        if (upstream.Content.Headers.ContentType is { } type)
        {
            response.ContentType = type.ToString();
        }

        if (upstream.Content.Headers.ContentLength is { } length)
        {
            response.ContentLength = length;
        }

        bool streaming = upstream.Content.Headers.ContentType?.MediaType == "text/event-stream";
        if (streaming)
        {
            // a stream's headers go out at once, as the upstream sent them, before its first event
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var buffer = new byte[16 * 1024];
        Stream source;
        try
        {
            source = await upstream.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            Abort(context, runtime, client, ex);
            return;
        }

        await using (source.ConfigureAwait(false))
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
                {
                    // The upstream died mid-answer: the caller must see a broken answer, not one that ends cleanly.
                    Abort(context, runtime, client, ex);
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
                if (streaming)
                {
                    await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }
        }
    }

    private static void Abort(HttpContext context, AgentOSRuntime runtime, AgentOSClient client, Exception ex)
    {
        Log.RemoteFailed(runtime.Logger, ex, "server", client.BaseAddress.ToString());
        context.Abort();
    }
}
