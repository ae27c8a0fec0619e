using System.Net;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class JwtTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    private static AgentOSRequestOptions As(string fixture) => new() { ApiKey = RecordedToken(fixture) };

    [Fact]
    public async Task Bearer_jwts_run_and_read_under_user_isolation()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("440", "441", "442", "443", "452", "454", "455", "456", "457", "458", "459");
        using var client = TestSupport.Client(server, apiKey: RecordedToken("441"));

        var info = await client.GetInfoAsync(As("441"));
        RequestAssert.Matches(Fixtures.Get("440"), server.Last, checkAuthorization: false); // /info needs no token
        var agents = await client.ListAgentsAsync();
        RequestAssert.Matches(Fixtures.Get("441"), server.Last);
        var run = await client.RunAgentAsync("echo-agent", new RunRequest("hello from a") { SessionId = "jwt-a-s1" }, As("442"));
        RequestAssert.Matches(Fixtures.Get("442"), server.Last);
        var streamed = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("stream from a") { SessionId = "jwt-a-s1", UserId = "someone-else" }, As("443")).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("443"), server.Last);
        var onlyEcho = await client.ListAgentsAsync(As("452"));
        RequestAssert.Matches(Fixtures.Get("452"), server.Last);
        var own = await client.GetSessionAsync("jwt-a-s1", SessionType.Agent, options: As("454"));
        RequestAssert.Matches(Fixtures.Get("454"), server.Last);
        var others = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync("jwt-a-s1", SessionType.Agent, options: As("455")));
        RequestAssert.Matches(Fixtures.Get("455"), server.Last);
        var listB = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent }, As("456"));
        RequestAssert.Matches(Fixtures.Get("456"), server.Last);
        var listBAsA = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, UserId = "user-a" }, As("457"));
        RequestAssert.Matches(Fixtures.Get("457"), server.Last);
        var listAdmin = await client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent }, As("458"));
        RequestAssert.Matches(Fixtures.Get("458"), server.Last);
        var intruder = await client.RunAgentAsync("echo-agent", new RunRequest("b intrudes") { SessionId = "jwt-a-s1" }, As("459"));
        RequestAssert.Matches(Fixtures.Get("459"), server.Last);

        Assert.Equal("jwt", info.AuthMode);
        Assert.Equal(4, agents.Count);
        Assert.Equal("user-a", run.UserId);
        Assert.Equal(RunStatus.Completed, streamed.Status);
        Assert.Equal("echo-agent", Assert.Single(onlyEcho).Id);
        Assert.Equal("user-a", own.UserId);
        Assert.Equal("Agent Session with id 'jwt-a-s1' not found", others.Detail);
        Assert.Empty(listB.Data);
        Assert.Empty(listBAsA.Data);
        Assert.Contains(listAdmin.Data, s => s.SessionId == "jwt-a-s1");
        Assert.Equal("user-b", intruder.UserId);
    }

    [Fact]
    public async Task Refused_tokens_are_typed_and_a_missing_scope_names_the_scope()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("444", "445", "446", "447", "448", "449", "450", "451", "453");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var missing = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync());
        RequestAssert.Matches(Fixtures.Get("444"), server.Last);
        var details = new List<string?>();
        foreach (var f in new[] { "445", "446", "447", "448", "449" })
        {
            var e = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync(As(f)));
            RequestAssert.Matches(Fixtures.Get(f), server.Last);
            details.Add(e.Detail);
        }

        var noRun = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.RunAgentAsync("echo-agent", new RunRequest("not allowed"), As("450")));
        RequestAssert.Matches(Fixtures.Get("450"), server.Last);
        var noSessions = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.ListSessionsAsync(null, As("451")));
        RequestAssert.Matches(Fixtures.Get("451"), server.Last);
        AgentOSPermissionException otherAgent = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.GetAgentAsync("tool-agent", As("453")));
        RequestAssert.Matches(Fixtures.Get("453"), server.Last);

        Assert.Equal("Authorization header missing", missing.Detail);
        Assert.Equal(["Token has expired", "Invalid token: Signature verification failed", "Invalid token audience - token not valid for this AgentOS instance"], details.Take(3));
        Assert.StartsWith("Invalid token: Token is missing the \"aud\" claim", details[3], StringComparison.Ordinal);
        Assert.Equal("Invalid token: Not enough segments", details[4]);
        Assert.Equal(["agents:run"], noRun.RequiredScopes);
        Assert.Equal(HttpStatusCode.Forbidden, noRun.StatusCode);
        Assert.Equal(["sessions:read"], noSessions.RequiredScopes);
        Assert.Equal(["agents:read"], ((AgentOSMissingScopeException)otherAgent).RequiredScopes);
        Assert.DoesNotContain(RecordedToken("450"), noRun.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approvals_under_authorization_need_an_admin_and_the_run_waits_for_it()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("460", "461", "462", "463", "464", "465", "466", "467", "468", "469");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("approval-agent");

        var paused = await agent.RunAsync(new RunRequest("delete rec-10") { SessionId = "jwt-appr-a" }, As("460"));
        RequestAssert.Matches(Fixtures.Get("460"), server.Last);
        var waits = await Assert.ThrowsAsync<AgentOSAdminApprovalRequiredException>(() => agent.ContinueAfterApprovalAsync(paused, As("461")));
        RequestAssert.Matches(Fixtures.Get("461"), server.Last);
        var mine = await client.ListApprovalsAsync(options: As("462"));
        RequestAssert.Matches(Fixtures.Get("462"), server.Last);
        var theirs = await client.ListApprovalsAsync(options: As("463"));
        RequestAssert.Matches(Fixtures.Get("463"), server.Last);
        string approvalId = paused.Tools![0].ApprovalId!;
        var hidden = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetApprovalAsync(approvalId, As("464")));
        RequestAssert.Matches(Fixtures.Get("464"), server.Last);
        var noWrite = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.ResolveApprovalAsync(approvalId, ApprovalResolution.Approve(), As("465")));
        RequestAssert.Matches(Fixtures.Get("465"), server.Last);
        var notAdmin = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ResolveApprovalAsync(approvalId, ApprovalResolution.Approve(), As("466")));
        RequestAssert.Matches(Fixtures.Get("466"), server.Last);
        var approved = await client.ResolveApprovalAsync(approvalId, ApprovalResolution.Approve("spoofed"), As("467"));
        RequestAssert.Matches(Fixtures.Get("467"), server.Last);
        var done = (AgentRunOutput)await client.ContinueAfterApprovalAsync(approved, As("468"));
        RequestAssert.Matches(Fixtures.Get("468"), server.Last);
        int pending = await client.CountPendingApprovalsAsync(options: As("469"));
        RequestAssert.Matches(Fixtures.Get("469"), server.Last);

        Assert.IsAssignableFrom<AgentOSPermissionException>(waits);
        Assert.Equal("This run requires admin approval before it can be continued", waits.Detail);
        Assert.Equal(approvalId, Assert.Single(mine.Data).Id);
        Assert.Empty(theirs.Data);
        Assert.Equal("Approval not found", hidden.Detail);
        Assert.Equal(["approvals:write"], noWrite.RequiredScopes);
        Assert.Equal("Approval not found", notAdmin.Detail);
        Assert.Equal("admin-1", approved.ResolvedBy); // the JWT's subject, not the body's value
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(0, pending);
    }

    [Fact]
    public async Task Service_accounts_are_minted_and_their_agno_pat_tokens_work_as_bearer_keys()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("470", "471", "472", "473", "474", "475", "476", "477", "478", "479", "480");
        using var admin = TestSupport.Client(server, apiKey: RecordedToken("471"));

        var denied = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => admin.CreateServiceAccountAsync(new CreateServiceAccountRequest("ci-bot"), As("470")));
        RequestAssert.Matches(Fixtures.Get("470"), server.Last);
        var ci = await admin.CreateServiceAccountAsync(new CreateServiceAccountRequest("ci-bot")
        {
            Scopes = [new ServiceAccountScopeGrant("agents:read"), new ServiceAccountScopeGrant("sessions:read")],
            ExpiresInDays = 30,
        });
        RequestAssert.Matches(Fixtures.Get("471"), server.Last);
        var runner = await admin.CreateServiceAccountAsync(new CreateServiceAccountRequest("runner-bot"));
        RequestAssert.Matches(Fixtures.Get("472"), server.Last);
        var duplicate = await Assert.ThrowsAsync<AgentOSConflictException>(() => admin.CreateServiceAccountAsync(new CreateServiceAccountRequest("ci-bot")));
        RequestAssert.Matches(Fixtures.Get("473"), server.Last);
        var accounts = await admin.ListServiceAccountsAsync();
        RequestAssert.Matches(Fixtures.Get("474"), server.Last);

        // the 3.0 recording of 475 used the token its own server minted
        using (var ciClient = TestSupport.Client(server, apiKey: IsAgno3 ? RecordedToken("475") : ci.Token))
        {
            var agents = await ciClient.ListAgentsAsync();
            RequestAssert.Matches(Fixtures.Get("475"), server.Last);
            Assert.NotEmpty(agents);
        }

        using var ciRuns = TestSupport.Client(server, apiKey: ci.Token);
        var noRun = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => ciRuns.RunAgentAsync("echo-agent", new RunRequest("pat run")));
        RequestAssert.Matches(Fixtures.Get("476"), server.Last);
        var ran = await admin.RunAgentAsync("echo-agent", new RunRequest("pat run ok") { SessionId = "pat-s1" }, new AgentOSRequestOptions { ApiKey = runner.Token });
        RequestAssert.Matches(Fixtures.Get("477"), server.Last);
        var bogus = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => admin.ListAgentsAsync(As("478")));
        RequestAssert.Matches(Fixtures.Get("478"), server.Last);
        await admin.DeleteServiceAccountAsync(ci.Id!);
        RequestAssert.Matches(Fixtures.Get("479"), server.Last);
        var revoked = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => ciRuns.ListAgentsAsync());
        RequestAssert.Matches(Fixtures.Get("480"), server.Last);

        Assert.Equal(["service_accounts:write"], denied.RequiredScopes);
        Assert.StartsWith("agno_pat_", ci.Token, StringComparison.Ordinal);
        Assert.StartsWith(ci.TokenPrefix!, ci.Token, StringComparison.Ordinal);
        Assert.Equal(("sa:ci-bot", "admin-1"), (ci.Principal, ci.CreatedBy));
        Assert.Equal(["agents:read", "sessions:read"], ci.Scopes.Select(s => s.Raw));
        Assert.Equal(("agents", "read", "allow"), (ci.Scopes[0].Namespace, ci.Scopes[0].Permission, ci.Scopes[0].Value));
        Assert.Contains("agents:run", runner.Scopes.Select(s => s.Raw));
        Assert.DoesNotContain(ci.Token!, ci.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("An active service account named 'ci-bot' already exists", duplicate.Detail, StringComparison.Ordinal);
        Assert.Equal(["runner-bot", "ci-bot"], accounts.Data.Select(a => a.Name));
        Assert.All(accounts.Data, a => Assert.Null(a.Token));
        Assert.Equal(["agents:run"], noRun.RequiredScopes);
        Assert.Equal("sa:runner-bot", ran.UserId);
        Assert.Equal("Invalid or expired service account token", bogus.Detail);
        Assert.Equal("Invalid or expired service account token", revoked.Detail);
    }
}

public sealed class JwtTests_More29() : JwtTests(FixtureSet.More29);

public sealed class JwtTests_More30() : JwtTests(FixtureSet.More30);
