using System.ComponentModel.DataAnnotations;

namespace Agno.AgentOS;

/// <summary>Options of an <see cref="AgentOSClient"/>. Bind them from configuration (section <c>Agno:AgentOS</c> by convention).</summary>
public sealed partial class AgentOSClientOptions
{
    /// <summary>The default overall request timeout: 300 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);

    /// <summary>The default idle timeout between stream events: 300 seconds.</summary>
    public static readonly TimeSpan DefaultStreamIdleTimeout = TimeSpan.FromSeconds(300);

    /// <summary>The default limit of a non-streaming answer's body: 64 MiB.</summary>
    public const long DefaultMaxResponseBodySize = 64L * 1024 * 1024;

    /// <summary>The default limit of the bytes received for one stream event: 16 MiB.</summary>
    public const int DefaultMaxStreamEventSize = 16 * 1024 * 1024;

    /// <summary>The default time a remote component's configuration is cached: 300 seconds, as agno's remote clients.</summary>
    public static readonly TimeSpan DefaultConfigCacheDuration = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The server's address, e.g. <c>http://localhost:7777</c>. AgentOS routes sit at the root (no version
    /// prefix); a path here (for a server behind a reverse proxy) is kept as the prefix of every route.
    /// </summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The token sent as <c>Authorization: Bearer ...</c> on every call: the server's <c>OS_SECURITY_KEY</c>,
    /// a JWT, or an <c>agno_pat_</c> service-account token. Never logged, never in exception messages.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Supplies the bearer token of every call instead of <see cref="ApiKey"/> (rotating JWTs, service-account tokens
    /// from a vault); after a 401 it is asked again with <see cref="AgentOSTokenRequest.ForceRefresh"/> and the call is
    /// sent once more. Not bound from configuration; with dependency injection a registered
    /// <see cref="AgentOSTokenProvider"/> is used when this is null.
    /// </summary>
    public AgentOSTokenProvider? TokenProvider { get; set; }

    /// <summary>
    /// The overall timeout of a request: for a non-streaming call the whole exchange, for a stream the time
    /// until the response starts. Default 300 s. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>The longest silence allowed between two events of a stream. Default 300 s.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = DefaultStreamIdleTimeout;

    /// <summary>
    /// The largest body of a non-streaming answer the client reads (a run's output with its media included). A larger
    /// answer (by its Content-Length, or as it arrives) throws <see cref="AgentOSProtocolException"/> without being
    /// buffered. Default 64 MiB.
    /// </summary>
    public long MaxResponseBodySize { get; set; } = DefaultMaxResponseBodySize;

    /// <summary>
    /// The most bytes one stream event may take: its lines, comments included, from the blank line before it to the blank
    /// line that ends it (bytes of later events that the client has already read ahead do not count). A stream that goes
    /// past it throws <see cref="AgentOSProtocolException"/>. Default 16 MiB.
    /// </summary>
    public int MaxStreamEventSize { get; set; } = DefaultMaxStreamEventSize;

    /// <summary>How long a remote handle caches its component's configuration. Default 300 s.</summary>
    public TimeSpan ConfigCacheDuration { get; set; } = DefaultConfigCacheDuration;

    /// <summary>
    /// When a background run's stream (<c>Run*InBackgroundStreamingAsync</c>) breaks or goes silent for
    /// <see cref="StreamIdleTimeout"/> before the run finished, reconnect through <c>/resume</c> from the last
    /// event index received and go on, with no event delivered twice. Off by default.
    /// </summary>
    public bool ResumeInterruptedBackgroundStreams { get; set; }

    /// <summary>How many times one background stream may be resumed (default 3).</summary>
    public int MaxStreamResumeAttempts { get; set; } = 3;

    /// <summary>
    /// Allows sending <see cref="ApiKey"/> over plain <c>http://</c> to a host that is not loopback. Off by
    /// default: the token would cross the network in clear text.
    /// </summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>Retries of idempotent calls (on by default; runs and continues are never retried).</summary>
    public AgentOSRetryOptions Retry { get; set; } = new();

    /// <summary>A product token added to the User-Agent header.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Copies the options.</summary>
    /// <returns>A copy.</returns>
    public AgentOSClientOptions Clone()
    {
        var copy = (AgentOSClientOptions)MemberwiseClone();
        copy.Retry = Retry?.Clone() ?? new AgentOSRetryOptions();
        return copy;
    }

    /// <summary>Describes the options without the API key.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
        => $"AgentOSClientOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(ApiKey is null ? "(none)" : "***")}, TokenProvider = {(TokenProvider is null ? "(none)" : TokenProvider.GetType().Name)}, Timeout = {Timeout}, StreamIdleTimeout = {StreamIdleTimeout} }}";
}

/// <summary>Per-call options: a token for this call only, a timeout, extra headers.</summary>
public sealed class AgentOSRequestOptions
{
    /// <summary>A token that replaces <see cref="AgentOSClientOptions.ApiKey"/> for this call (e.g. the end user's JWT).</summary>
    public string? ApiKey { get; set; }

    /// <summary>A timeout that replaces <see cref="AgentOSClientOptions.Timeout"/> for this call.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Extra headers for this call.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Describes the options without the API key.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
        => $"AgentOSRequestOptions {{ ApiKey = {(ApiKey is null ? "(none)" : "***")}, Timeout = {Timeout}, Headers = {Headers.Count} }}";
}
