using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Who called: the JWT's user, session and scopes (set on the request by <see cref="HostAuthentication"/>).</summary>
internal sealed class AgentOSCaller
{
    public string? UserId { get; init; }

    public string? SessionId { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public bool EnforceScopes { get; init; }

    public bool UserIsolation { get; init; }

    public string AdminScope { get; init; } = "agent_os:admin";

    /// <summary>For a listing the caller may only partly see: the ids it may (<c>*</c> for all).</summary>
    public HashSet<string>? AccessibleIds { get; set; }

    public bool IsAdmin => Scopes.Contains(AdminScope, StringComparer.Ordinal);

    /// <summary>agno's <c>get_scoped_user_id</c>: the user whose data alone this caller sees, or null (everything).</summary>
    public string? ScopedUserId => UserIsolation && UserId is not null && !IsAdmin ? UserId : null;

    public bool Has(string scope) => Internal.Scopes.Has(Scopes, [scope], null, null, AdminScope);

    public bool MaySee(string id) => AccessibleIds is null || AccessibleIds.Contains("*") || AccessibleIds.Contains(id);

    public static AgentOSCaller? Of(HttpContext context) => context.Features.Get<AgentOSCaller>();
}

/// <summary>
/// agno's JWT middleware (<c>agno/os/middleware/jwt.py</c>): the bearer JWT is verified (signature with the configured
/// keys and algorithm, <c>exp</c>/<c>nbf</c>/<c>iat</c> with the leeway on the host's clock, the audience when asked),
/// its claims become the <see cref="AgentOSCaller"/>, the route's scopes are checked, and under user isolation the
/// caller's <c>user_id</c> query is replaced by the token's. Failures answer agno's 401 and 403 bodies.
/// </summary>
internal sealed class HostAuthentication
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly AgentOSAuthorizationOptions _options;
    private readonly string _osId;
    private readonly TimeProvider _time;
    private readonly List<SecurityKey> _keys;
    private readonly List<SecurityKey> _jwks;

    public HostAuthentication(AgentOSAuthorizationOptions options, string osId, TimeProvider time)
    {
        _options = options;
        _osId = osId;
        _time = time;
        _keys = [.. options.SigningKeys, .. options.VerificationKeys.Select(k => KeyOf(k, options.Algorithm))];
        _jwks = string.IsNullOrWhiteSpace(options.Jwks) ? [] : [.. new JsonWebKeySet(options.Jwks).GetSigningKeys()];
        if (_keys.Count == 0 && _jwks.Count == 0)
        {
            throw new InvalidOperationException("AgentOSAuthorizationOptions.Enabled needs a verification key (VerificationKeys, Jwks or SigningKeys).");
        }
    }

    /// <summary>Authenticates and authorizes the request; on failure writes agno's answer and returns false.</summary>
    public async Task<bool> AuthorizeAsync(HttpContext context, string relativePath)
    {
        string? header = context.Request.Headers.Authorization;
        string token = string.IsNullOrEmpty(header) ? string.Empty : header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header.Trim();
        if (token.Length == 0)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status401Unauthorized, "Authorization header missing").ConfigureAwait(false);
            return false;
        }

        var (payload, error) = await ValidateAsync(token).ConfigureAwait(false);
        if (payload is null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status401Unauthorized, error!).ConfigureAwait(false);
            return false;
        }

        string? userId = payload[_options.UserIdClaim] is JsonValue u && u.TryGetValue(out string? user) ? user : null;
        if (userId is not null && (userId.StartsWith("sa:", StringComparison.Ordinal) || userId.StartsWith("__oauth__:", StringComparison.Ordinal) || userId == "__scheduler__"))
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status401Unauthorized, "Invalid token subject").ConfigureAwait(false);
            return false;
        }

        var scopes = payload[_options.ScopesClaim] switch
        {
            JsonArray list => list.Select(s => s is JsonValue v && v.TryGetValue(out string? text) ? text : null).OfType<string>().ToList(),
            JsonValue one when one.TryGetValue(out string? text) => [text],
            _ => new List<string>(),
        };
        var caller = new AgentOSCaller
        {
            UserId = userId,
            SessionId = payload[_options.SessionIdClaim] is JsonValue s && s.TryGetValue(out string? session) ? session : null,
            Scopes = scopes,
            EnforceScopes = _options.EnforceScopes,
            UserIsolation = _options.UserIsolation,
            AdminScope = _options.AdminScope,
        };
        context.Features.Set(caller);
        if (_options.EnforceScopes)
        {
            var check = Scopes.Check(scopes, context.Request.Method, relativePath, _options.AdminScope);
            if (!check.Allowed)
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status403Forbidden, Scopes.InsufficientDetail(check.Required)).ConfigureAwait(false);
                return false;
            }

            caller.AccessibleIds = check.AccessibleIds;
        }

        if (caller.ScopedUserId is { } scoped)
        {
            ScopeQuery(context.Request, scoped);
        }

        return true;
    }

    /// <summary>Replaces (or adds) the <c>user_id</c> query value: every session route reads the user from it.</summary>
    private static void ScopeQuery(HttpRequest request, string userId)
    {
        var values = request.Query.Where(q => q.Key != "user_id").ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal);
        values["user_id"] = new StringValues(userId);
        request.QueryString = QueryString.Create(values);
    }

    /// <summary>PyJWT's checks and messages: the token's form, the signature, the time claims, the audience.</summary>
    private async Task<(JsonObject? Payload, string? Error)> ValidateAsync(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length < 3)
        {
            return (null, "Invalid token: Not enough segments");
        }

        if (Decode(parts[0]) is not JsonObject header)
        {
            return (null, "Invalid token: Invalid header padding");
        }

        if (parts.Length > 3 || Decode(parts[1]) is not JsonObject payload)
        {
            return (null, "Invalid token: Invalid payload padding");
        }

        if (header.GetString("alg") != _options.Algorithm)
        {
            return (null, "Invalid token: The specified alg value is not allowed");
        }

        string? kid = header.GetString("kid");
        var candidates = new List<SecurityKey>();
        if (_jwks.Count > 0)
        {
            candidates.AddRange(_jwks.Where(k => kid is null || k.KeyId is null || k.KeyId == kid));
        }

        candidates.AddRange(_keys);
        bool verified = false;
        foreach (var key in candidates)
        {
            var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
            {
                IssuerSigningKey = key,
                ValidAlgorithms = [_options.Algorithm],
                ValidateAudience = false,
                ValidateIssuer = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                RequireSignedTokens = true,
                TryAllIssuerSigningKeys = true,
            }).ConfigureAwait(false);
            if (result.IsValid)
            {
                verified = true;
                break;
            }
        }

        if (!verified)
        {
            return (null, "Invalid token: Signature verification failed");
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        long leeway = (long)_options.Leeway.TotalSeconds;
        // the time claims typed (a claim that is absent or null is not checked, as PyJWT)
        var times = payload.Deserialize(HostWireContext.Default.JwtTimeClaims)!;
        if (times.Exp is { } exp)
        {
            if (Wire.AsDouble(exp) is not { } expiry)
            {
                return (null, "Invalid token: Expiration Time claim (exp) must be an integer.");
            }

            if (expiry <= now - leeway)
            {
                return (null, "Token has expired");
            }
        }

        if (times.Iat is { } iat)
        {
            if (Wire.AsDouble(iat) is not { } issued)
            {
                return (null, "Invalid token: Issued At claim (iat) must be an integer.");
            }

            if (issued > now + leeway)
            {
                return (null, "Invalid token: The token is not yet valid (iat)");
            }
        }

        if (times.Nbf is { } nbf)
        {
            if (Wire.AsDouble(nbf) is not { } notBefore)
            {
                return (null, "Invalid token: Not Before claim (nbf) must be an integer.");
            }

            if (notBefore > now + leeway)
            {
                return (null, "Invalid token: The token is not yet valid (nbf)");
            }
        }

        if (_options.VerifyAudience)
        {
            string expected = string.IsNullOrEmpty(_options.Audience) ? _osId : _options.Audience;
            var audience = payload[_options.AudienceClaim];
            if (audience is null)
            {
                return (null, $"Invalid token: Token is missing the \"{_options.AudienceClaim}\" claim. Audience verification requires this claim to be present in the token.");
            }

            var audiences = audience is JsonArray list ? list.Select(a => Wire.AsText(a)).ToList() : [Wire.AsText(audience)];
            if (!audiences.Contains(expected, StringComparer.Ordinal))
            {
                return (null, "Invalid token audience - token not valid for this AgentOS instance");
            }
        }

        return (payload, null);
    }

    private static JsonNode? Decode(string segment)
    {
        try
        {
            byte[] bytes = Base64Url.DecodeFromChars(segment);
            return JsonNode.Parse(bytes);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static SecurityKey KeyOf(string key, string algorithm)
    {
        if (algorithm.StartsWith("HS", StringComparison.Ordinal))
        {
            return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key));
        }

        if (algorithm.StartsWith("ES", StringComparison.Ordinal))
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(key);
            return new ECDsaSecurityKey(ec);
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(key);
        return new RsaSecurityKey(rsa);
    }
}

/// <summary>The registered time claims of a JWT (<c>exp</c>, <c>iat</c>, <c>nbf</c>) as sent: PyJWT rejects one that is not a number.</summary>
internal sealed record JwtTimeClaims(JsonNode? Exp, JsonNode? Iat, JsonNode? Nbf);
