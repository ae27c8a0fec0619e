using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>What every AgentOS endpoint does around its handler: body limit, security key, error bodies.</summary>
internal static class EndpointSupport
{
    public static RequestDelegate Wrap(AgentOSRuntime runtime, bool open, Func<HttpContext, AgentOSRuntime, Task> handler)
        => context => InvokeAsync(context, runtime, open, handler);

    private static async Task InvokeAsync(HttpContext context, AgentOSRuntime runtime, bool open, Func<HttpContext, AgentOSRuntime, Task> handler)
    {
        var options = runtime.Options;
        if (options.MaxRequestBodySize is { } limit)
        {
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            if (context.Request.ContentLength > limit)
            {
                // the body is not read: the server closes the connection after this answer, so say so (a client
                // must not send its next request on it)
                context.Response.Headers.Connection = "close";
                await Wire.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large").ConfigureAwait(false);
                return;
            }
        }

        if (!open && runtime.Authentication is { } authentication)
        {
            // JWT mode: the security key is ignored, as AgentOS does
            if (!await authentication.AuthorizeAsync(context, "/" + runtime.RelativePath(context.Request.Path)).ConfigureAwait(false))
            {
                return;
            }
        }
        else if (!open && !string.IsNullOrEmpty(options.SecurityKey) && !await AuthorizeAsync(context, runtime).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            try
            {
                await runtime.EnsureReadyAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (AgentOSException ex)
            {
                Log.RemoteFailed(runtime.Logger, ex, "server", "config");
                await Wire.WriteDetailAsync(context, StatusCodes.Status502BadGateway, $"Failed to fetch config from remote AgentOS: {ex.Message}").ConfigureAwait(false);
                return;
            }

            await handler(context, runtime).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            if (!context.Response.HasStarted)
            {
                string detail = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "There was an error parsing the body";
                context.Response.Headers.Connection = "close";
                await Wire.WriteDetailAsync(context, ex.StatusCode, detail).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException) when (!context.Response.HasStarted)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "There was an error parsing the body").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex)
        {
            Log.RequestFailed(runtime.Logger, ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status500InternalServerError, "Internal server error").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checks the security key as AgentOS does: <c>Bearer &lt;key&gt;</c>, or the raw key.</summary>
    private static async Task<bool> AuthorizeAsync(HttpContext context, AgentOSRuntime runtime)
    {
        string? header = context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            Log.Unauthorized(runtime.Logger, context.Request.Path, "no Authorization header");
            await Wire.WriteDetailAsync(context, StatusCodes.Status401Unauthorized, "Authorization header required").ConfigureAwait(false);
            return false;
        }

        string token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header.Trim();
        if (!FixedTimeEquals(token, runtime.Options.SecurityKey!))
        {
            Log.Unauthorized(runtime.Logger, context.Request.Path, "wrong key");
            await Wire.WriteDetailAsync(context, StatusCodes.Status401Unauthorized, "Invalid authentication token").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static bool FixedTimeEquals(string a, string b)
    {
        byte[] x = SHA256.HashData(Encoding.UTF8.GetBytes(a));
        byte[] y = SHA256.HashData(Encoding.UTF8.GetBytes(b));
        return CryptographicOperations.FixedTimeEquals(x, y);
    }

    /// <summary>
    /// The component the route's <c>{id}</c> names, or null after answering 404 with agno's detail
    /// (<c>Agent not found</c>, <c>Team not found</c>, <c>Workflow not found</c>).
    /// </summary>
    public static async ValueTask<ComponentEntry?> FindComponentAsync(this HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (runtime.Registry.Find(kind, context.Route("id")) is { } entry)
        {
            return entry;
        }

        await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, ComponentEntry.NotFound(kind)).ConfigureAwait(false);
        return null;
    }

    public static string Route(this HttpContext context, string name) => context.Request.RouteValues[name] as string ?? string.Empty;

    public static string? Query(this HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values[^1];
    }

    /// <summary>The caller's bearer token, forwarded to remote components when the host is configured to.</summary>
    public static AgentOSRequestOptions? RemoteOptions(HttpContext context, AgentOSRuntime runtime)
    {
        if (!runtime.Options.ForwardAuthorization)
        {
            return null;
        }

        string? header = context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        string token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header.Trim();
        return new AgentOSRequestOptions { ApiKey = token };
    }
}
