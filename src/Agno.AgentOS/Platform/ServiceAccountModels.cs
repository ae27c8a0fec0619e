using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>
/// A service account (<c>/service-accounts</c>, agno with JWT authorization): a principal <c>sa:&lt;name&gt;</c> with
/// scopes and a bearer token starting <c>agno_pat_</c> (use it as <see cref="AgentOSClientOptions.ApiKey"/>).
/// </summary>
public sealed class ServiceAccount
{
    /// <summary>The id.</summary>
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The principal its runs are recorded under (<c>sa:&lt;name&gt;</c>).</summary>
    public string? Principal { get; set; }

    /// <summary>The user that owns it.</summary>
    public string? UserId { get; set; }

    /// <summary>The start of its token (to recognise it).</summary>
    public string? TokenPrefix { get; set; }

    /// <summary>Its scopes, as the server parsed them.</summary>
    public List<ServiceAccountScope> Scopes { get; set; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When its token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When its token was last used.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When it was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Who created it.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>
    /// The bearer token (<c>agno_pat_...</c>): only in the answer to its creation, never again. Store it as a secret.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Describes the account without its token.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"ServiceAccount {{ Id = {Id}, Name = {Name}, Principal = {Principal}, Token = {(Token is null ? "(none)" : "***")} }}";
}

/// <summary>A scope of a service account, as the server parsed it.</summary>
public sealed class ServiceAccountScope
{
    /// <summary>The id.</summary>
    public string? Id { get; set; }

    /// <summary>The scope as written (e.g. <c>agents:read</c>).</summary>
    public string? Raw { get; set; }

    /// <summary>The namespace (e.g. <c>agents</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>The resource (e.g. an agent id), if any.</summary>
    public string? SubNamespace { get; set; }

    /// <summary>The permission (e.g. <c>read</c>, <c>run</c>).</summary>
    public string? Permission { get; set; }

    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    public string? Value { get; set; }
}

/// <summary>A scope to grant a new service account.</summary>
/// <param name="Scope">The scope (e.g. <c>agents:read</c>, <c>agents:echo-agent:run</c>).</param>
/// <param name="Effect"><c>allow</c> or <c>deny</c>.</param>
public sealed record ServiceAccountScopeGrant(string Scope, string Effect = "allow");

/// <summary>A new service account (<c>POST /service-accounts</c>, needs an admin JWT).</summary>
public sealed class CreateServiceAccountRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="name">The name (unique among active accounts).</param>
    public CreateServiceAccountRequest(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The scopes (none: agno's defaults, agents/teams/workflows run and sessions read).</summary>
    public List<ServiceAccountScopeGrant>? Scopes { get; set; }

    /// <summary>How many days the token is valid.</summary>
    public int? ExpiresInDays { get; set; }
}
