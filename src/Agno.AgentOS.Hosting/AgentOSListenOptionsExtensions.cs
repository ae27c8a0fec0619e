using Agno.AgentOS.Hosting.Internal;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Agno.AgentOS.Hosting;

/// <summary>Kestrel endpoint settings of an AgentOS host.</summary>
public static class AgentOSListenOptionsExtensions
{
    /// <summary>
    /// Answers, on this endpoint, the HTTP/1.x requests Kestrel rejects before any middleware as agno's server
    /// (uvicorn) does: a path with <c>%00</c> reaches the app with the NUL decoded (404 <c>{"detail":"Not Found"}</c>,
    /// or the route's own answer, e.g. <c>/agents/%00</c> → the agent-not-found answer), and a request line Kestrel
    /// cannot take (a raw NUL, a bad HTTP version, a malformed method or target, non-ASCII bytes in the target, a
    /// non-CONNECT authority-form target) is answered 400 <c>Invalid HTTP request received.</c> (text/plain, the
    /// connection closed), where Kestrel answers an empty 400 / 405 / 505.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A connection middleware: it follows the connection's HTTP/1.1 framing on the raw bytes (request lines, header
    /// blocks, <c>Content-Length</c> and chunked bodies, keep-alive and pipelined requests) and inspects only request
    /// lines; every other byte is handed to Kestrel from the transport's own buffers. A request line is held until its
    /// end (at most Kestrel's <c>MaxRequestLineSize</c>), so Kestrel's <c>RequestHeadersTimeout</c> starts once the line
    /// is complete (<c>KeepAliveTimeout</c> bounds the wait for it). Where the framing is anything Kestrel may read
    /// differently (a header line Kestrel rejects, duplicate or non-numeric <c>Content-Length</c>, a
    /// <c>Transfer-Encoding</c> not ending in <c>chunked</c>, an <c>Upgrade</c> or <c>CONNECT</c> request), the guard
    /// stops inspecting that connection and Kestrel answers as it does without it. Header errors keep Kestrel's answers.
    /// </para>
    /// <para>
    /// The NUL path is restored by the AgentOS host's pipeline (<c>AddAgentOS</c>); elsewhere the app sees
    /// <c>%2500</c> where the client sent <c>%00</c>. HTTP/2 has no request line: an HTTP/2-only endpoint and a TLS
    /// connection that negotiated <c>h2</c> are not guarded. With TLS, call this after <c>UseHttps()</c> so it sees the
    /// decrypted requests; added before it (for instance through <c>ConfigureEndpointDefaults</c>, which runs before an
    /// endpoint's own settings), it recognises the TLS handshake and stays out of the way.
    /// </para>
    /// </remarks>
    /// <param name="listenOptions">The endpoint.</param>
    /// <returns>The endpoint, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.UseAgentOSRequestGuard()));
    /// </code>
    /// </example>
    public static ListenOptions UseAgentOSRequestGuard(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(RequestGuard.Middleware(listenOptions));
        return listenOptions;
    }
}
