using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.MoreFixtures;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// Bearer JWTs and RBAC on the host, as agno's JWT middleware (recorded against agno with
/// <c>authorization=True</c>, HS256, an audience and user isolation: Fixtures/agentos-more 440-469): the 401 and 403
/// bodies are agno's, the core client gets <see cref="AgentOSMissingScopeException"/> naming the scope, refreshes its
/// token once on a 401, and a user's token only sees that user's sessions and approvals. Expiry is on a
/// <see cref="FakeTimeProvider"/> shared by the host and the token minting.
/// </summary>
public sealed class HostAuthorizationTests
{
    private const string Key = "fixture-hs256-secret-0123456789abcdef";
    private const string Audience = "agno-fixtures";
    private static readonly string[] UserScopes = ["agents:read", "agents:run", "sessions:read", "approvals:read", "teams:read"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 21, 0, 0, TimeSpan.Zero));

    private static string RecordedDetail(string name) => JsonNode.Parse(Fixture(name).ResponseBody)!["detail"]!.GetValue<string>();

    private string Token(string? sub, IEnumerable<string> scopes, string? audience = Audience, TimeSpan? lifetime = null, string key = Key)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject { ["scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode?)s)]), ["iat"] = now, ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds };
        if (sub is not null) { payload["sub"] = sub; }
        if (audience is not null) { payload["aud"] = audience; }
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        return new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), credentials);
    }

    private string Admin => Token("admin", ["agent_os:admin"]);

    private Task<EmbeddedAgentOS> StartAsync(bool userIsolation = true, string? securityKey = null, ApprovalComponents.Counters? counters = null)
        => EmbeddedAgentOS.StartAsync(
            b =>
            {
                ApprovalComponents.Add(b, counters);
                b.Services.AddSingleton<TimeProvider>(_time);
            },
            o =>
            {
                o.OsId = "echo-os";
                o.SecurityKey = securityKey;
                o.Authorization.Enabled = true;
                o.Authorization.Algorithm = "HS256";
                o.Authorization.VerificationKeys.Add(Key);
                o.Authorization.VerifyAudience = true;
                o.Authorization.Audience = Audience;
                o.Authorization.UserIsolation = userIsolation;
            });

    private static AgentOSRequestOptions As(string token) => new() { ApiKey = token };

    [Fact]
    public async Task The_time_claims_are_checked_as_pyjwt_checks_them()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        long now = _time.GetUtcNow().ToUnixTimeSeconds();

        async Task<(HttpStatusCode, string?)> GetAgents(Action<JsonObject> claims)
        {
            var payload = new JsonObject { ["sub"] = "user-a", ["aud"] = Audience, ["scopes"] = new JsonArray([.. UserScopes.Select(x => (JsonNode?)x)]) };
            claims(payload);
            var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)), SecurityAlgorithms.HmacSha256);
            using var request = new HttpRequestMessage(HttpMethod.Get, "agents");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), credentials));
            using var response = await http.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, body is JsonObject error ? error["detail"]!.GetValue<string>() : null);
        }

        Assert.Equal((HttpStatusCode.OK, (string?)null), await GetAgents(p => { p["exp"] = now + 60.5; p["nbf"] = now + 10; }));
        Assert.Equal((HttpStatusCode.Unauthorized, "Invalid token: The token is not yet valid (iat)"), await GetAgents(p => p["iat"] = now + 11));
        Assert.Equal((HttpStatusCode.Unauthorized, "Invalid token: The token is not yet valid (nbf)"), await GetAgents(p => p["nbf"] = now + 11));
        Assert.Equal((HttpStatusCode.Unauthorized, "Token has expired"), await GetAgents(p => p["exp"] = now - 10));
    }

    [Fact]
    public async Task Bad_tokens_get_agnos_401_bodies_and_open_routes_stay_open()
    {
        await using var host = await StartAsync(securityKey: "the-security-key");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        async Task<(HttpStatusCode, string)> GetAgents(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "agents");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, body is JsonObject error ? error["detail"]!.GetValue<string>() : string.Empty);
        }

        string expiresSoon = Token("user-a", UserScopes, lifetime: TimeSpan.FromSeconds(30));
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("444-jwt-no-token-401")), await GetAgents(null));
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("446-jwt-bad-signature-401")), await GetAgents(Token("user-a", UserScopes, key: "another-hs256-secret-0123456789abcdef")));
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("447-jwt-wrong-audience-401")), await GetAgents(Token("user-a", UserScopes, audience: "someone-else")));
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("448-jwt-no-audience-401")), await GetAgents(Token("user-a", UserScopes, audience: null)));
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("449-jwt-garbage-token-401")), await GetAgents("not-a-jwt"));
        Assert.Equal((HttpStatusCode.Unauthorized, "Invalid token subject"), await GetAgents(Token("sa:robot", UserScopes)));

        // with JWT on, the security key is no credential (as agno)
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("449-jwt-garbage-token-401")), await GetAgents("the-security-key"));

        // expiry on the host's clock, with agno's 10 s leeway
        Assert.Equal(HttpStatusCode.OK, (await GetAgents(expiresSoon)).Item1);
        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(HttpStatusCode.OK, (await GetAgents(expiresSoon)).Item1);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal((HttpStatusCode.Unauthorized, RecordedDetail("445-jwt-expired-401")), await GetAgents(expiresSoon));

        // /, /health and /info need no token; /info says jwt
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
        var info = JsonNode.Parse(await http.GetStringAsync("info"))!;
        Assert.Equal("jwt", info["auth_mode"]!.GetValue<string>());

        // the client: a 401 is AgentOSAuthenticationException
        using var client = host.CreateClient();
        await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync());
    }

    [Fact]
    public async Task A_missing_scope_is_a_403_naming_it_which_the_client_raises_as_AgentOSMissingScopeException()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        string readOnly = Token("user-a", ["agents:read"]);

        var run = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hi"), As(readOnly)));
        Assert.Equal(["agents:run"], run.RequiredScopes);
        Assert.Equal(RecordedDetail("450-jwt-missing-scope-run-403"), run.Detail);
        var sessions = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.ListSessionsAsync(options: As(readOnly)));
        Assert.Equal(["sessions:read"], sessions.RequiredScopes);
        Assert.Equal(RecordedDetail("451-jwt-missing-scope-sessions-403"), sessions.Detail);
        var approvals = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.ListApprovalsAsync(options: As(readOnly)));
        Assert.Equal(["approvals:read"], approvals.RequiredScopes);

        // a per-resource scope lists only its agent and refuses the others
        string one = Token("user-a", ["agents:echo-agent:read"]);
        var listed = await client.ListAgentsAsync(As(one));
        Assert.Equal(["echo-agent"], listed.Select(a => a.Id));
        var other = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.GetAgentAsync("tool-agent", As(one)));
        Assert.Equal(RecordedDetail("453-jwt-agent-other-403"), other.Detail);
        Assert.Equal("echo-agent", (await client.GetAgentAsync("echo-agent", As(one))).Id);

        // wildcards and admin
        Assert.Equal("Echo: hi (turn 1)", (await client.RunAgentAsync("echo-agent", new RunRequest("hi"), As(Token("user-a", ["agents:*:run"])))).Content);
        Assert.True((await client.ListAgentsAsync(As(Admin))).Count > 1);
    }

    [Fact]
    public async Task The_token_provider_is_asked_again_after_a_401_and_the_call_succeeds_with_the_new_token()
    {
        await using var host = await StartAsync();
        var asked = new List<bool>();
        string current = Token("user-a", UserScopes, lifetime: TimeSpan.FromMinutes(5));
        var provider = AgentOSTokenProvider.Create((request, _) =>
        {
            asked.Add(request.ForceRefresh);
            if (request.ForceRefresh)
            {
                current = Token("user-a", UserScopes, lifetime: TimeSpan.FromMinutes(5));
            }

            return ValueTask.FromResult<string?>(current);
        });
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = host.BaseAddress, TokenProvider = provider, AllowUnencryptedAuthentication = true });

        Assert.NotEmpty(await client.ListAgentsAsync());
        Assert.Equal([false], asked);
        _time.Advance(TimeSpan.FromMinutes(6)); // the cached token expired on the host's clock
        Assert.NotEmpty(await client.ListAgentsAsync());
        Assert.Equal([false, false, true], asked);
    }

    [Fact]
    public async Task Under_user_isolation_a_token_sees_only_its_users_sessions_through_every_session_route()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        string userA = Token("user-a", UserScopes);
        string userB = Token("user-b", [.. UserScopes, "sessions:write", "sessions:delete"]);

        // the run is user-a's whatever user_id the form names (the token's sub wins)
        var run = await client.RunAgentAsync("echo-agent", new RunRequest("secret of a") { SessionId = "jwt-a-s1", UserId = "someone-else" }, As(userA));
        Assert.Equal("user-a", run.UserId);
        Assert.Equal("user-a", (await client.GetSessionAsync("jwt-a-s1", SessionType.Agent, options: As(userA))).UserId);

        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync("jwt-a-s1", SessionType.Agent, options: As(userB)));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync("jwt-a-s1", SessionType.Agent, userId: "user-a", options: As(userB)));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionRunsAsync("jwt-a-s1", SessionType.Agent, options: As(userB)));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionRunAsync("jwt-a-s1", run.RunId!, SessionType.Agent, options: As(userB)));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RenameSessionAsync("jwt-a-s1", "pwned", SessionType.Agent, options: As(userB)));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.UpdateSessionAsync("jwt-a-s1", new UpdateSessionRequest { SessionName = "pwned", SessionState = new JsonObject { ["x"] = 1 } }, SessionType.Agent, options: As(userB)));
        Assert.Empty((await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent }, As(userB))).Data!);
        Assert.Empty((await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "user-a" }, As(userB))).Data!);
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetAgentRunAsync("echo-agent", run.RunId!, "jwt-a-s1", As(userB)));
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ListAgentRunsAsync("echo-agent", "jwt-a-s1", options: As(userB)));
        await client.DeleteSessionAsync("jwt-a-s1", options: As(userB)); // deletes nothing of user-a's
        var created = await client.CreateSessionAsync(new CreateSessionRequest { SessionId = "jwt-b-created", UserId = "user-a", AgentId = "echo-agent" }, options: As(userB));
        Assert.Equal("user-b", created.UserId); // a session created by user-b is user-b's whatever user_id it names
        Assert.Equal(["jwt-b-created"], (await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "user-a" }, As(userB))).Data!.Select(x => x.SessionId));

        var own = await client.GetSessionAsync("jwt-a-s1", SessionType.Agent, options: As(userA));
        Assert.Equal("secret of a", own.SessionName);
        Assert.Equal(run.RunId, Assert.Single(await client.GetSessionRunsAsync("jwt-a-s1", SessionType.Agent, options: As(userA))).RunId);
        Assert.Equal(["jwt-a-s1"], (await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent }, As(userA))).Data!.Select(s => s.SessionId));
        Assert.Equal("user-a", (await client.GetAgentRunAsync("echo-agent", run.RunId!, "jwt-a-s1", As(userA))).UserId);
        Assert.Single(await client.ListAgentRunsAsync("echo-agent", "jwt-a-s1", options: As(userA)));

        // an admin sees everyone's
        Assert.Equal(["jwt-a-s1"], (await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "user-a" }, As(Admin))).Data!.Select(s => s.SessionId));
        Assert.Equal("user-a", (await client.GetSessionAsync("jwt-a-s1", SessionType.Agent, options: As(Admin))).UserId);
    }

    [Fact]
    public async Task Approvals_under_authorization_wait_for_an_admin_as_in_agno()
    {
        var counters = new ApprovalComponents.Counters();
        await using var host = await StartAsync(counters: counters);
        using var client = host.CreateClient();
        string userA = Token("user-a", UserScopes);
        string userB = Token("user-b", UserScopes);

        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("delete rec-10") { SessionId = "jwt-appr-a" }, As(userA));
        Assert.Equal((RunStatus.Paused, "user-a"), (paused.Status, paused.UserId));

        // the run's owner cannot continue it while the approval is pending (403, not agno's 400 of an open server)
        var blocked = await Assert.ThrowsAsync<AgentOSAdminApprovalRequiredException>(() => client.ContinueAgentRunAsync("approval-agent", paused.RunId!, ContinueRunRequest.AfterApproval("jwt-appr-a"), As(userA)));
        Assert.Equal(RecordedDetail("461-jwt-approval-continue-pending-403"), blocked.Detail);

        var mine = Assert.Single((await client.ListApprovalsAsync(options: As(userA))).Data!);
        Assert.Empty((await client.ListApprovalsAsync(new ApprovalQuery { UserId = "user-a" }, As(userB))).Data!);

        // the bodies as agno's (keys and kinds): a user's list, another user's empty one
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        async Task CompareAsync(HttpMethod method, string path, string token, string fixture, string? json = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(Fixture(fixture).StatusCode, (int)response.StatusCode);
            Assert.Equal(string.Empty, string.Join("\n", Shape.Compare(JsonNode.Parse(Fixture(fixture).ResponseBody), JsonNode.Parse(await response.Content.ReadAsStringAsync()))));
        }

        await CompareAsync(HttpMethod.Get, "approvals", userA, "462-jwt-approvals-list-user-a");
        await CompareAsync(HttpMethod.Get, "approvals", userB, "463-jwt-approvals-list-user-b");
        Assert.Equal((1, 0), (await client.CountPendingApprovalsAsync(options: As(userA)), await client.CountPendingApprovalsAsync("user-a", As(userB))));
        var hidden = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetApprovalAsync(mine.Id!, As(userB)));
        Assert.Equal(RecordedDetail("464-jwt-approval-get-user-b-404"), hidden.Detail);

        var noWrite = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.ResolveApprovalAsync(mine.Id!, ApprovalResolution.Approve(), As(userA)));
        Assert.Equal(["approvals:write"], noWrite.RequiredScopes);
        var writer = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ResolveApprovalAsync(mine.Id!, ApprovalResolution.Approve(), As(Token("user-a", [.. UserScopes, "approvals:write"]))));
        Assert.Equal(RecordedDetail("466-jwt-approval-resolve-scoped-writer-404"), writer.Detail);

        var resolved = await client.ResolveApprovalAsync(mine.Id!, ApprovalResolution.Approve("spoofed"), As(Admin));
        Assert.Equal(("approved", "admin"), (resolved.Status, resolved.ResolvedBy)); // the JWT's sub, not the body's
        await CompareAsync(HttpMethod.Get, "approvals/count", userA, "469-jwt-approvals-count-user-a");
        await CompareAsync(HttpMethod.Get, $"approvals/{mine.Id}", Admin, "467-jwt-approval-resolve-admin"); // the record agno answered the admin's resolve with
        await CompareAsync(HttpMethod.Post, $"approvals/{mine.Id}/resolve", Admin, "310-approval-resolve-again-409", "{\"status\": \"approved\"}");
        var done = await client.ContinueAgentRunAsync("approval-agent", paused.RunId!, ContinueRunRequest.AfterApproval("jwt-appr-a"), As(userA));
        Assert.Equal((RunStatus.Completed, 1), (done.Status, counters.Deleted));
    }

    [Fact]
    public async Task Rs256_tokens_are_verified_with_a_pem_public_key_or_a_jwks_and_config_takes_the_legacy_scope()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var signing = new RsaSecurityKey(rsa) { KeyId = "k1" };
        string pem = rsa.ExportSubjectPublicKeyInfoPem();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" });
        string jwks = new JsonObject { ["keys"] = new JsonArray(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new { kty = jwk.Kty, kid = jwk.Kid, n = jwk.N, e = jwk.E }))) }.ToJsonString();

        string Rs256(RsaSecurityKey key, params string[] scopes)
        {
            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            var payload = new JsonObject { ["sub"] = "rsa-user", ["scopes"] = new JsonArray([.. scopes.Select(x => (JsonNode?)x)]), ["exp"] = now + 600 };
            return new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        }

        foreach (Action<AgentOSAuthorizationOptions> keys in new Action<AgentOSAuthorizationOptions>[] { a => a.VerificationKeys.Add(pem), a => a.Jwks = jwks })
        {
            await using var host = await EmbeddedAgentOS.StartAsync(
                b => { FixtureComponents.AddBasic(b); b.Services.AddSingleton<TimeProvider>(_time); },
                o => { o.Authorization.Enabled = true; keys(o.Authorization); });   // RS256 is the default algorithm
            using var client = host.CreateClient();
            Assert.NotNull((await client.GetConfigAsync(As(Rs256(signing, "system:read")))).OsId);   // legacy alias of config:read
            Assert.NotNull((await client.GetConfigAsync(As(Rs256(signing, "config:read")))).OsId);
            var denied = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.GetConfigAsync(As(Rs256(signing, "agents:read"))));
            Assert.Equal(["config:read"], denied.RequiredScopes);
            var forged = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.GetConfigAsync(As(Rs256(new RsaSecurityKey(other) { KeyId = "k1" }, "config:read"))));
            Assert.Equal("Invalid token: Signature verification failed", forged.Detail);
            var hs = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.GetConfigAsync(As(Token("rsa-user", ["config:read"]))));
            Assert.Equal("Invalid token: The specified alg value is not allowed", hs.Detail);
        }
    }

    [Fact]
    public async Task Jwt_without_rbac_only_identifies_the_user()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(
            b => { FixtureComponents.AddBasic(b); b.Services.AddSingleton<TimeProvider>(_time); },
            o =>
            {
                o.Authorization.Enabled = true;
                o.Authorization.EnforceScopes = false;
                o.Authorization.Algorithm = "HS256";
                o.Authorization.VerificationKeys.Add(Key);
            });
        using var client = host.CreateClient();
        var run = await client.RunAgentAsync("echo-agent", new RunRequest("hi") { UserId = "form-user" }, As(Token("token-user", [], audience: null)));
        Assert.Equal("token-user", run.UserId);
        await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync());
    }

    [Fact]
    public async Task Jwt_options_bind_from_configuration_and_a_missing_key_is_refused_at_start()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOS:Authorization:Enabled"] = "true",
            ["AgentOS:Authorization:Algorithm"] = "HS256",
            ["AgentOS:Authorization:VerificationKeys:0"] = Key,
            ["AgentOS:Authorization:UserIsolation"] = "true",
            ["AgentOS:Authorization:Leeway"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddAgentOS(config.GetSection("AgentOS"));
        var options = services.BuildServiceProvider().GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentOSHostOptions>>().Value.Authorization;
        Assert.Equal((true, "HS256", true, TimeSpan.FromSeconds(5)), (options.Enabled, options.Algorithm, options.UserIsolation, options.Leeway));
        Assert.Equal([Key], options.VerificationKeys);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic, o => o.Authorization.Enabled = true));
        Assert.Contains("verification key", refused.Message, StringComparison.Ordinal);
    }
}
