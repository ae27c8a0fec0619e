using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public sealed class AuthAndSecurityTests
{
    private const string Key = "test-key-123";

    [Fact]
    public async Task Health_is_open_and_protected_routes_answer_401_without_a_key()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("200", "201", "205", "207");
        using var client = TestSupport.Client(server);

        var health = await client.GetHealthAsync();
        RequestAssert.Matches(Fixtures.Get("200"), server.Last);
        var agents = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync());
        RequestAssert.Matches(Fixtures.Get("201"), server.Last);
        var run = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hi")));
        RequestAssert.Matches(Fixtures.Get("205"), server.Last);
        var config = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.GetConfigAsync());
        RequestAssert.Matches(Fixtures.Get("207"), server.Last);

        Assert.Equal("ok", health.Status);
        Assert.Equal("Authorization header required", agents.Detail);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, run.StatusCode);
        Assert.Equal("GET", config.Method);
    }

    [Fact]
    public async Task The_key_is_sent_as_a_bearer_token_on_every_call_including_streams()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("204", "206");
        using var client = TestSupport.Client(server, apiKey: Key);

        var agents = await client.ListAgentsAsync();
        RequestAssert.Matches(Fixtures.Get("204"), server.Last);
        var result = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("authorized hello")).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("206"), server.Last);

        Assert.NotEmpty(agents);
        Assert.Equal(RunStatus.Completed, result.Status);
    }

    [Fact]
    public async Task A_per_call_token_replaces_the_clients_and_a_wrong_one_is_rejected()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("202", "204");
        using var client = TestSupport.Client(server, apiKey: Key);

        var ex = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync(new AgentOSRequestOptions { ApiKey = "wrong-key" }));
        RequestAssert.Matches(Fixtures.Get("202"), server.Last);
        using var keyless = TestSupport.Client(server);
        var agents = await keyless.ListAgentsAsync(new AgentOSRequestOptions { ApiKey = Key });
        RequestAssert.Matches(Fixtures.Get("204"), server.Last);

        Assert.Equal("Invalid authentication token", ex.Detail);
        Assert.DoesNotContain("wrong-key", ex.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(agents);
    }

    [Fact]
    public async Task A_raw_key_header_is_accepted_by_the_server_and_can_be_sent_as_a_custom_header()
    {
        // 203: the server also accepts "Authorization: <key>" without a scheme. This client sends
        // "Bearer <key>"; a caller who needs the raw form can set the header per call.
        await using var server = await ReplayServer.StartAsync();
        server.Serve("203");
        using var client = TestSupport.Client(server);
        var options = new AgentOSRequestOptions();
        options.Headers["Authorization"] = Key;

        var agents = await client.ListAgentsAsync(options);

        RequestAssert.Matches(Fixtures.Get("203"), server.Last);
        Assert.NotEmpty(agents);
    }

    [Fact]
    public void The_key_never_appears_in_options_text()
    {
        var options = new AgentOSClientOptions { BaseAddress = new Uri("https://os.example"), ApiKey = "super-secret" };
        var request = new AgentOSRequestOptions { ApiKey = "per-call-secret" };

        Assert.DoesNotContain("super-secret", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("per-call-secret", request.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_not_sent_over_plain_http_to_a_remote_host_unless_allowed()
    {
        // visible at construction: the options are refused there (and by the DI validation at start-up)
        var ex = Assert.Throws<ArgumentException>(() => new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://agents.example.invalid"), ApiKey = "super-secret" }));
        Assert.Contains("AllowUnencryptedAuthentication", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("super-secret", ex.Message, StringComparison.Ordinal);

        // a per-call token: refused at the call, before anything is sent
        using var keyless = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://agents.example.invalid") });
        var perCall = await Assert.ThrowsAsync<ArgumentException>(() => keyless.ListAgentsAsync(new AgentOSRequestOptions { ApiKey = "per-call-secret" }));
        Assert.Contains("AllowUnencryptedAuthentication", perCall.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("per-call-secret", perCall.Message, StringComparison.Ordinal);

        // allowed: the call proceeds (and fails only because the host does not exist)
        using var allowed = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://agents.example.invalid"), ApiKey = "super-secret", AllowUnencryptedAuthentication = true });
        await Assert.ThrowsAsync<AgentOSServerUnavailableException>(() => allowed.ListAgentsAsync());
    }

    [Theory]
    [InlineData(null, "BaseAddress is required")]
    [InlineData("/relative", "absolute http or https")]
    [InlineData("ftp://host/", "absolute http or https")]
    [InlineData("http://host/?a=1", "query string")]
    public void Invalid_options_are_rejected_with_a_clear_message(string? baseAddress, string message)
    {
        var options = new AgentOSClientOptions { BaseAddress = baseAddress is null ? null : new Uri(baseAddress, UriKind.RelativeOrAbsolute) };

        var ex = Assert.Throws<ArgumentException>(() => new AgentOSClient(options));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_handles_cache_the_configuration_for_its_lifetime_and_refresh_on_demand()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006", "006", "006");
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var client = TestSupport.Client(server, configure: o => o.ConfigCacheDuration = TimeSpan.FromMinutes(5), time: clock);
        var agent = client.GetRemoteAgent("echo-agent");

        Assert.Null(agent.CachedDetails);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => agent.GetDetailsAsync().AsTask()));
        Assert.Single(server.Received);
        Assert.All(concurrent, d => Assert.Same(concurrent[0], d));
        Assert.Equal("Echo Agent", agent.CachedDetails!.Name);

        clock.Advance(TimeSpan.FromMinutes(4));
        await agent.GetDetailsAsync();
        Assert.Single(server.Received);

        clock.Advance(TimeSpan.FromMinutes(2));
        await agent.GetDetailsAsync();
        Assert.Equal(2, server.Received.Count);

        await agent.RefreshAsync();
        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => Assert.Equal("/agents/echo-agent", r.Path));
    }
}

public sealed class RemoteHandleTests
{
    private sealed class SyncHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(answer(request)); // completes synchronously
        }
    }

    [Fact]
    public async Task The_configuration_cache_expires_even_when_fetches_complete_synchronously()
    {
        var handler = new SyncHandler(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent("{\"id\":\"a\",\"name\":\"A\"}", System.Text.Encoding.UTF8, "application/json"),
        });
        using var http = new HttpClient(handler);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://127.0.0.1:9"), ConfigCacheDuration = TimeSpan.FromMinutes(1) }, http, timeProvider: clock);
        var agent = client.GetRemoteAgent("a");

        await agent.GetDetailsAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        await agent.GetDetailsAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        await agent.GetDetailsAsync();

        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task A_failed_fetch_is_not_cached()
    {
        int calls = 0;
        var handler = new SyncHandler(_ => ++calls == 1
            ? new HttpResponseMessage(System.Net.HttpStatusCode.NotFound) { Content = new StringContent("{\"detail\":\"Agent not found\"}", System.Text.Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"id\":\"a\",\"name\":\"A\"}", System.Text.Encoding.UTF8, "application/json") });
        using var http = new HttpClient(handler);
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://127.0.0.1:9") }, http);
        var agent = client.GetRemoteAgent("a");

        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => agent.GetDetailsAsync().AsTask());
        var details = await agent.GetDetailsAsync();

        Assert.Equal("A", details.Name);
    }

    [Fact]
    public async Task Handles_go_through_the_clients_virtual_members_so_a_mock_sees_them()
    {
        var mock = new Moq.Mock<AgentOSClient> { CallBase = false };
        var output = new TeamRunOutput { RunId = "r-1", Status = RunStatus.Completed, Content = "done" };
        mock.Setup(c => c.RunTeamAsync("team-1", Moq.It.Is<RunRequest>(r => r.Message == "hi"), null, Moq.It.IsAny<CancellationToken>())).Returns(Task.FromResult(output));
        mock.Setup(c => c.CancelTeamRunAsync("team-1", "r-1", "s-1", null, Moq.It.IsAny<CancellationToken>())).Returns(Task.CompletedTask).Verifiable();
        var team = new RemoteTeam(mock.Object, "team-1");

        var result = await team.RunAsync("hi");
        await team.CancelAsync("r-1", "s-1");

        Assert.Same(output, result);
        mock.Verify();
    }
}
