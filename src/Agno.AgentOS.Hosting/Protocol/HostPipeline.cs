using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Puts the host's outer middleware first in the app's pipeline, as AgentOS's own sits outside its routes:
/// <see cref="RequestTargetRestoreMiddleware"/> (a <c>%00</c> path the request guard let through),
/// <see cref="RequestHeadLimitMiddleware"/> (what the server itself rejects), <see cref="CorsMiddleware"/> when CORS
/// is enabled, then <see cref="ErrorBodyMiddleware"/>.
/// </summary>
internal sealed class HostStartupFilter(IOptions<AgentOSHostOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestTargetRestoreMiddleware>();
        if (options.Value.AnswerRequestHeadLimits)
        {
            app.UseMiddleware<RequestHeadLimitMiddleware>();
        }

        var cors = options.Value.Cors;
        if (cors?.Enabled == true)
        {
            app.UseMiddleware<CorsMiddleware>(cors.ResolveOrigins());
        }

        app.UseMiddleware<ErrorBodyMiddleware>();
        next(app);
    };
}

/// <summary>
/// FastAPI's bodies for what routing refuses: a path no endpoint matches answers 404 <c>{"detail":"Not Found"}</c>,
/// a method the route does not take 405 <c>{"detail":"Method Not Allowed"}</c> (with its <c>Allow</c> header), as
/// JSON, where ASP.NET Core would leave the body empty. Answers an endpoint wrote are left alone.
/// </summary>
internal sealed class ErrorBodyMiddleware(RequestDelegate next)
{
    /// <summary>ASP.NET Core's display name of the endpoint that answers a method the route does not take.</summary>
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context).ConfigureAwait(false);
        var response = context.Response;
        if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null)
        {
            return;
        }

        var endpoint = context.GetEndpoint();
        if (response.StatusCode == StatusCodes.Status404NotFound && endpoint is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
        }
        else if (response.StatusCode == StatusCodes.Status405MethodNotAllowed && (endpoint is null || endpoint.DisplayName == MethodNotAllowedEndpoint))
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
        }
    }
}

/// <summary>
/// CORS exactly as AgentOS answers it (Starlette's <c>CORSMiddleware</c> with <c>allow_credentials=True</c> and
/// <c>*</c> methods, headers and exposed headers): a request without <c>Origin</c> passes untouched; a preflight
/// (<c>OPTIONS</c> with <c>Access-Control-Request-Method</c>) is answered here for any path, 200 <c>OK</c> for an
/// allowed origin, 400 <c>Disallowed CORS origin</c> otherwise; other requests get the credentials and exposed-header
/// headers, and the origin mirrored back when it is allowed.
/// </summary>
internal sealed class CorsMiddleware
{
    /// <summary>Starlette's <c>ALL_METHODS</c>, what <c>allow_methods=["*"]</c> expands to.</summary>
    private static readonly string[] AllMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
    private const string AllowMethods = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";
    private const string MaxAge = "600";

    private readonly RequestDelegate _next;
    private readonly HashSet<string> _origins;

    public CorsMiddleware(RequestDelegate next, IReadOnlyList<string> origins)
    {
        _next = next;
        _origins = new HashSet<string>(origins, StringComparer.Ordinal);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return _next(context);
        }

        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            return PreflightAsync(context, origin);
        }

        context.Response.OnStarting(static state =>
        {
            var (ctx, allowed, o) = ((HttpContext, bool, string))state;
            var headers = ctx.Response.Headers;
            headers.AccessControlAllowCredentials = "true";
            headers.AccessControlExposeHeaders = "*";
            if (allowed)
            {
                headers.AccessControlAllowOrigin = o;
                AddVaryOrigin(headers);
            }

            return Task.CompletedTask;
        }, (context, _origins.Contains(origin), origin));
        return _next(context);
    }

    private async Task PreflightAsync(HttpContext context, string origin)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.Vary = "Origin";
        headers.AccessControlAllowMethods = AllowMethods;
        headers.AccessControlMaxAge = MaxAge;
        headers.AccessControlAllowCredentials = "true";
        var failures = new List<string>(2);
        if (_origins.Contains(origin))
        {
            headers.AccessControlAllowOrigin = origin;
        }
        else
        {
            failures.Add("origin");
        }

        if (!AllMethods.Contains(context.Request.Headers.AccessControlRequestMethod.ToString(), StringComparer.Ordinal))
        {
            failures.Add("method");
        }

        if (context.Request.Headers.TryGetValue("Access-Control-Request-Headers", out var requested))
        {
            headers.AccessControlAllowHeaders = requested.ToString();
        }

        response.StatusCode = failures.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(failures.Count == 0 ? "OK" : "Disallowed CORS " + string.Join(", ", failures), context.RequestAborted).ConfigureAwait(false);
    }

    private static void AddVaryOrigin(IHeaderDictionary headers)
    {
        var vary = headers.Vary;
        if (StringValues.IsNullOrEmpty(vary))
        {
            headers.Vary = "Origin";
        }
        else if (!vary.ToString().Split(',').Any(v => v.Trim().Equals("Origin", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Vary = vary.ToString() + ", Origin";
        }
    }
}
