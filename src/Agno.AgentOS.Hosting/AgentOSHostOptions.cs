using System.ComponentModel.DataAnnotations;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Options of an AgentOS host: identity reported by <c>/</c>, <c>/info</c> and <c>/config</c>, the optional
/// security key and request limits. Bindable from configuration (e.g. the <c>AgentOS</c> section).
/// </summary>
public sealed class AgentOSHostOptions
{
    /// <summary>The default request body limit: 32 MiB.</summary>
    public const long DefaultMaxRequestBodySize = 32L * 1024 * 1024;

    /// <summary>The OS id (<c>os_id</c>); AgentOS's default is <c>agno-agentos</c>.</summary>
    [Required]
    public string OsId { get; set; } = "agno-agentos";

    /// <summary>A display name (<c>name</c> of <c>/info</c> and <c>/config</c>).</summary>
    public string? Name { get; set; }

    /// <summary>A description (<c>description</c> of <c>/config</c>).</summary>
    public string? Description { get; set; }

    /// <summary>The API version reported by <c>GET /</c>.</summary>
    public string Version { get; set; } = "1.0.0";

    /// <summary>
    /// The agno version reported by <c>GET /info</c>: the protocol version this host speaks. A <c>3.x</c> version serves
    /// agno 3.x's shapes: <c>GET /</c> with the health, info and docs paths, <c>os_version</c> in <c>/info</c> (from
    /// <see cref="Version"/>), <c>available_models</c> of <c>/config</c> as <c>{id, provider}</c> objects, and no
    /// <c>/models</c> route (404), as agno 3.x does. Runs, streams and sessions are the same in both.
    /// </summary>
    public string AgnoVersion { get; set; } = "2.9.0";

    /// <summary>Whether <see cref="AgnoVersion"/> is an agno 3.x (or later) version.</summary>
    internal bool SpeaksAgno3 => int.TryParse(AgnoVersion.AsSpan(0, AgnoVersion.IndexOf('.') is int dot and >= 0 ? dot : AgnoVersion.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int major) && major >= 3;

    /// <summary>
    /// How long the events of a background run stay resumable after its last event (or its end): streams idle that
    /// long are removed from the <see cref="IAgentOSRunEventStore"/> (checked every minute of <see cref="TimeProvider"/>
    /// time). A resume after that replays the stored run's events from the session store instead. Default 30 minutes.
    /// </summary>
    public TimeSpan RunEventRetention { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The database id reported for components and session domains (<c>db_id</c>).</summary>
    public string DatabaseId { get; set; } = "agentos-db";

    /// <summary>
    /// The security key (AgentOS's <c>OS_SECURITY_KEY</c>). When set, every route except <c>/</c>,
    /// <c>/health</c> and <c>/info</c> requires <c>Authorization: Bearer &lt;key&gt;</c> (or the raw key).
    /// </summary>
    public string? SecurityKey { get; set; }

    /// <summary>
    /// Bearer JWTs and RBAC as agno's <c>authorization=True</c> (off by default; when on, <see cref="SecurityKey"/> is
    /// ignored). Bindable from the <c>Authorization</c> section.
    /// </summary>
    public AgentOSAuthorizationOptions Authorization { get; set; } = new();

    /// <summary>The largest request body accepted, in bytes (413 above it); null leaves the server's limit.</summary>
    [Range(1, long.MaxValue)]
    public long? MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// Whether a request line or headers over Kestrel's limits (<c>KestrelServerLimits.MaxRequestLineSize</c>,
    /// <c>MaxRequestHeadersTotalSize</c>, <c>MaxRequestHeaderCount</c>, as the app configured them) are answered
    /// 414 <c>{"detail":"URI Too Long"}</c> / 431 <c>{"detail":"Request Header Fields Too Large"}</c> like the
    /// host's other errors, instead of Kestrel's empty body. On by default. Kestrel rejects such heads before any
    /// middleware, so the host raises Kestrel's limits to 4 times them and enforces the configured ones itself;
    /// heads beyond 4 times still get Kestrel's own empty answer. Requests Kestrel cannot parse (a raw or
    /// percent-encoded NUL in the path, a bad HTTP version) get agno's answers on endpoints with
    /// <see cref="AgentOSListenOptionsExtensions.UseAgentOSRequestGuard"/>, Kestrel's empty 400 / 505 elsewhere. Only with Kestrel. The request-line limit is HTTP/1.x's; the
    /// header limits apply over HTTP/2 and 3 too, counted there as Kestrel does (name, value and 32 bytes a header).
    /// </summary>
    public bool AnswerRequestHeadLimits { get; set; } = true;

    /// <summary>
    /// Whether the gateway forwards the caller's bearer token to remote components (as AgentOS's gateway does).
    /// Off by default: remote calls use the credentials of the <see cref="AgentOSClient"/> behind each handle.
    /// </summary>
    public bool ForwardAuthorization { get; set; }

    /// <summary>How many model calls an agent may make in one run when it calls tools (a guard against loops).</summary>
    [Range(1, 1000)]
    public int MaxModelCallsPerRun { get; set; } = 16;

    /// <summary>
    /// Cross-origin requests from browser apps (agno's Agent UI, <c>os.agno.com</c>): on by default for AgentOS's
    /// default origins (<see cref="AgentOSCorsOptions.DefaultAllowedOrigins"/>). Bindable from the <c>Cors</c> section.
    /// </summary>
    public AgentOSCorsOptions Cors { get; set; } = new();
}
