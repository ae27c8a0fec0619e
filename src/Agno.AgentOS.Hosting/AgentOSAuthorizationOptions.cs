using Microsoft.IdentityModel.Tokens;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Bearer JWTs and RBAC as agno's AgentOS serves them (<c>AgentOS(authorization=True)</c>, <c>AuthorizationConfig</c>):
/// every route except <c>/</c>, <c>/health</c> and <c>/info</c> needs a valid JWT in <c>Authorization: Bearer</c>;
/// its <c>sub</c> is the user, its <c>session_id</c> the session, its <c>scopes</c> what it may do (agno's scope names:
/// <c>agents:read</c>, <c>agents:run</c>, <c>agents:&lt;id&gt;:run</c>, <c>sessions:read</c>, <c>approvals:write</c>,
/// <c>agent_os:admin</c>, ...). The 401 and 403 bodies are agno's. Off by default; when on, the security key is
/// ignored (as agno does). Bindable from configuration (the <c>Authorization</c> section of the host's options).
/// </summary>
public sealed class AgentOSAuthorizationOptions
{
    /// <summary>Whether bearer JWTs are required and checked. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Whether scopes are enforced per route (agno's RBAC, <c>authorization=True</c>). On by default when
    /// <see cref="Enabled"/>; off, a valid JWT is enough and only identifies the user (agno with only
    /// <c>JWT_VERIFICATION_KEY</c> set).
    /// </summary>
    public bool EnforceScopes { get; set; } = true;

    /// <summary>
    /// The verification keys (agno's <c>verification_keys</c> / <c>JWT_VERIFICATION_KEY</c>), tried in turn: a PEM
    /// public key (<c>-----BEGIN PUBLIC KEY-----</c>) for RS*, PS* and ES* algorithms, or the shared secret for HS*
    /// (its UTF-8 bytes; at least as long as the hash, e.g. 32 bytes for HS256).
    /// </summary>
    public IList<string> VerificationKeys { get; } = [];

    /// <summary>A JSON Web Key Set (the JSON text, agno's <c>JWT_JWKS_FILE</c> content): its keys are tried first.</summary>
    public string? Jwks { get; set; }

    /// <summary>Keys given in code (e.g. an <see cref="RsaSecurityKey"/>), tried with <see cref="VerificationKeys"/>. Not bindable.</summary>
    public IList<SecurityKey> SigningKeys { get; } = [];

    /// <summary>The one accepted signing algorithm (agno's default is <c>RS256</c>).</summary>
    public string Algorithm { get; set; } = "RS256";

    /// <summary>Whether the <c>aud</c> claim must name <see cref="Audience"/> (or, without one, the OS id).</summary>
    public bool VerifyAudience { get; set; }

    /// <summary>The expected audience when <see cref="VerifyAudience"/> is on; null means <see cref="AgentOSHostOptions.OsId"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Per-user isolation (agno's <c>user_isolation=True</c>): a non-admin token only sees its own user's sessions,
    /// runs and approvals (a <c>user_id</c> the caller sends is replaced by the token's); resolving and deleting
    /// approvals is left to admins.
    /// </summary>
    public bool UserIsolation { get; set; }

    /// <summary>The claim holding the scopes (a list, or one string).</summary>
    public string ScopesClaim { get; set; } = "scopes";

    /// <summary>The claim holding the user id.</summary>
    public string UserIdClaim { get; set; } = "sub";

    /// <summary>The claim holding a session id (runs then use it).</summary>
    public string SessionIdClaim { get; set; } = "session_id";

    /// <summary>The claim holding the audience.</summary>
    public string AudienceClaim { get; set; } = "aud";

    /// <summary>The scope that grants everything.</summary>
    public string AdminScope { get; set; } = "agent_os:admin";

    /// <summary>The clock skew allowed on <c>exp</c>, <c>nbf</c> and <c>iat</c> (agno's <c>leeway</c>, 10 s by default).</summary>
    public TimeSpan Leeway { get; set; } = TimeSpan.FromSeconds(10);
}
