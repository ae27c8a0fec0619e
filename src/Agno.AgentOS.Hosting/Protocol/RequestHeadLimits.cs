using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The request-head limits the host enforces itself (<see cref="AgentOSHostOptions.AnswerRequestHeadLimits"/>):
/// Kestrel's own, as the app configured them, captured before <see cref="KestrelHeadLimitsSetup"/> raises Kestrel's.
/// Unset (nothing enforced) when the server is not Kestrel or the option is off.
/// </summary>
internal sealed class RequestHeadLimits
{
    /// <summary>How far Kestrel's limits are raised above the enforced ones: heads up to this many times a limit get the host's answer.</summary>
    public const int Headroom = 4;

    private Limits? _limits;

    public bool IsActive => Volatile.Read(ref _limits) is not null;

    /// <summary>Captures the limits to enforce; only the first call counts (options are built once, but never raise twice).</summary>
    public bool TryCapture(int maxRequestLineSize, int maxRequestHeadersTotalSize, int maxRequestHeaderCount)
        => Interlocked.CompareExchange(ref _limits, new Limits(maxRequestLineSize, maxRequestHeadersTotalSize, maxRequestHeaderCount), null) is null;

    /// <summary>The status and detail for a request head over a limit, or null when it is within them.</summary>
    public (int Status, string Detail)? Check(HttpContext context)
    {
        var limits = Volatile.Read(ref _limits);
        var request = context.Request;
        if (limits is null)
        {
            return null;
        }

        bool http1 = IsHttp1(request.Protocol);
        if (http1)
        {
            // the request line as Kestrel measures it: method SP target SP version CRLF (HTTP/1.x only, as the limit)
            string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
            long line = request.Method.Length + 1L + target.Length + 1 + request.Protocol.Length + 2;
            if (line > limits.MaxRequestLineSize)
            {
                return (StatusCodes.Status414UriTooLong, "URI Too Long");
            }
        }

        // HTTP/1.x: each header line as a client sends it ("Name: value" CRLF; Kestrel's total excludes the final
        // CRLF). HTTP/2 and 3 (where Kestrel applies the same two limits): name and value plus HPACK's 32 bytes each.
        long overhead = http1 ? 4 : 32;
        long total = 0;
        int count = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (string? value in values)
            {
                count++;
                total += name.Length + overhead + (value?.Length ?? 0);
            }
        }

        return total > limits.MaxRequestHeadersTotalSize || count > limits.MaxRequestHeaderCount
            ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request Header Fields Too Large")
            : null;
    }

    public static bool IsHttp1(string protocol) => HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol);

    private sealed record Limits(int MaxRequestLineSize, int MaxRequestHeadersTotalSize, int MaxRequestHeaderCount);
}

/// <summary>
/// Kestrel rejects a request line over <see cref="KestrelServerLimits.MaxRequestLineSize"/> (414) and headers over
/// <see cref="KestrelServerLimits.MaxRequestHeadersTotalSize"/> or <see cref="KestrelServerLimits.MaxRequestHeaderCount"/>
/// (431) while parsing, before any middleware, with an empty body that cannot be customised. This keeps the app's
/// limits as the ones enforced (by <see cref="RequestHeadLimitMiddleware"/>, with an AgentOS error body) and raises
/// Kestrel's to <see cref="RequestHeadLimits.Headroom"/> times them: only heads beyond that still get Kestrel's own
/// empty answer. Runs after every <c>Configure</c> of the app (<c>ConfigureKestrel</c>, the <c>Kestrel</c> section).
/// </summary>
internal sealed class KestrelHeadLimitsSetup(IOptions<AgentOSHostOptions> options, RequestHeadLimits limits) : IPostConfigureOptions<KestrelServerOptions>
{
    public void PostConfigure(string? name, KestrelServerOptions kestrel)
    {
        if (!options.Value.AnswerRequestHeadLimits)
        {
            return;
        }

        var l = kestrel.Limits;
        if (limits.TryCapture(l.MaxRequestLineSize, l.MaxRequestHeadersTotalSize, l.MaxRequestHeaderCount))
        {
            l.MaxRequestLineSize = Raise(l.MaxRequestLineSize);
            l.MaxRequestHeadersTotalSize = Raise(l.MaxRequestHeadersTotalSize);
            l.MaxRequestHeaderCount = Raise(l.MaxRequestHeaderCount);
        }
    }

    private static int Raise(int limit) => (int)Math.Min((long)limit * RequestHeadLimits.Headroom, int.MaxValue);
}

/// <summary>
/// Answers a request head over the enforced limits (<see cref="RequestHeadLimits"/>) with <c>{"detail": ...}</c>;
/// over HTTP/1.x it closes the connection, as Kestrel would have.
/// </summary>
internal sealed class RequestHeadLimitMiddleware(RequestDelegate next, RequestHeadLimits limits)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (limits.Check(context) is not { } rejection)
        {
            return next(context);
        }

        if (RequestHeadLimits.IsHttp1(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return Wire.WriteDetailAsync(context, rejection.Status, rejection.Detail);
    }
}
