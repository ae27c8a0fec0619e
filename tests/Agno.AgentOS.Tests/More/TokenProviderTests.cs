using System.Collections.Concurrent;
using Agno.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class TokenProviderTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    /// <summary>A rotating-token source: hands out its tokens in order, one more each time it is forced to refresh.</summary>
    private sealed class RotatingTokens(params string[] tokens) : AgentOSTokenProvider
    {
        private int _current;

        public ConcurrentQueue<bool> Requests { get; } = new();

        public override ValueTask<string?> GetTokenAsync(AgentOSTokenRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request.ForceRefresh);
            if (request.ForceRefresh)
            {
                _current = Math.Min(_current + 1, tokens.Length - 1);
            }

            return ValueTask.FromResult<string?>(tokens[_current]);
        }
    }

    [Fact]
    public async Task A_401_refreshes_the_token_and_sends_the_call_once_more_discovery_included()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("445", "441", "440");
        var tokens = new RotatingTokens(RecordedToken("445"), RecordedToken("441"));
        using var client = TestSupport.Client(server, configure: o => o.TokenProvider = tokens);

        var agents = await client.ListAgentsAsync();
        var info = await client.GetInfoAsync();

        Assert.Equal([false, true, false], tokens.Requests);
        Assert.Equal(3, server.Received.Count);
        RequestAssert.Matches(Fixtures.Get("445"), server.Received[0]); // the expired token
        RequestAssert.Matches(Fixtures.Get("441"), server.Received[1]); // the refreshed one
        RequestAssert.Matches(Fixtures.Get("440"), server.Received[2], checkAuthorization: false);
        Assert.Equal("Bearer " + RecordedToken("441"), server.Received[2].Authorization);
        Assert.Equal(4, agents.Count);
        Assert.Equal("jwt", info.AuthMode);
    }

    [Fact]
    public async Task A_second_401_is_thrown_the_call_is_not_sent_a_third_time()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("449", "449", "441");
        var tokens = new RotatingTokens(RecordedToken("449"));
        using var client = TestSupport.Client(server, configure: o => o.TokenProvider = tokens);

        var refused = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync());

        Assert.Equal([false, true], tokens.Requests);
        Assert.Equal(2, server.Received.Count);
        Assert.Equal("Invalid token: Not enough segments", refused.Detail);
        Assert.DoesNotContain(RecordedToken("449"), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_to_a_streamed_run_is_refreshed_before_any_event()
    {
        await using var server = await ReplayServer.StartAsync();
        var run = Fixtures.Get("443");
        var expired = Fixtures.Get("445");
        // the real server's 401 for an expired token (445), answered to the streamed run's request (443)
        server.Serve(new RecordedExchange
        {
            Name = "445-as-443",
            Method = run.Method,
            Target = run.Target,
            RequestHeaders = expired.RequestHeaders,
            RequestBody = run.RequestBody,
            StatusCode = expired.StatusCode,
            ResponseHeaders = expired.ResponseHeaders,
            ResponseBody = expired.ResponseBody,
        }, new ServeOptions());
        server.Serve("443");
        var tokens = new RotatingTokens(RecordedToken("445"), RecordedToken("443"));
        using var client = TestSupport.Client(server, configure: o => o.TokenProvider = tokens);

        var events = new List<AgentOSEvent>();
        var result = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("stream from a") { SessionId = "jwt-a-s1", UserId = "someone-else" }).CollectAsync(events.Add);

        Assert.Equal([false, true], tokens.Requests);
        Assert.Equal("Bearer " + RecordedToken("445"), server.Received[0].Authorization);
        RequestAssert.Matches(run, server.Received[1]);
        Assert.Equal(server.Received[0].Body, server.Received[1].Body);
        Assert.Equal(TestSupport.RecordedEventNames("443"), events.Select(e => e.Event));
        Assert.Equal(RunStatus.Completed, result.Status);
    }

    [Fact]
    public async Task A_per_call_token_replaces_the_provider_and_is_not_refreshed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("450", "446");
        var tokens = new RotatingTokens("never-sent");
        using var client = TestSupport.Client(server, configure: o => o.TokenProvider = tokens);

        var scope = await Assert.ThrowsAsync<AgentOSMissingScopeException>(() => client.RunAgentAsync("echo-agent", new RunRequest("not allowed"), new AgentOSRequestOptions { ApiKey = RecordedToken("450") }));
        RequestAssert.Matches(Fixtures.Get("450"), server.Last);
        var refused = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync(new AgentOSRequestOptions { ApiKey = RecordedToken("446") }));
        RequestAssert.Matches(Fixtures.Get("446"), server.Last);

        Assert.Empty(tokens.Requests);
        Assert.Equal(2, server.Received.Count);
        Assert.Equal(["agents:run"], scope.RequiredScopes);
        Assert.Equal("Invalid token: Signature verification failed", refused.Detail);
    }

    [Fact]
    public async Task A_failing_provider_is_an_authentication_error_and_nothing_is_sent()
    {
        await using var server = await ReplayServer.StartAsync();
        var provider = AgentOSTokenProvider.Create((_, _) => throw new InvalidOperationException("vault sealed"));
        using var client = TestSupport.Client(server, configure: o => o.TokenProvider = provider);

        var failed = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.ListAgentsAsync());

        Assert.IsType<InvalidOperationException>(failed.InnerException);
        Assert.Contains("vault sealed", failed.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_cancelled_call_cancels_the_token_request()
    {
        await using var server = await ReplayServer.StartAsync();
        var seen = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = AgentOSTokenProvider.Create(async (_, ct) =>
        {
            seen.TrySetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        using var client = TestSupport.Client(server, configure: o => o.TokenProvider = provider);
        using var cts = new CancellationTokenSource();

        var call = client.ListAgentsAsync(cancellationToken: cts.Token);
        await seen.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_provider_registered_in_the_container_is_used_by_the_registered_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("441");
        var services = new ServiceCollection();
        services.AddSingleton<AgentOSTokenProvider>(new RotatingTokens(RecordedToken("441")));
        services.AddAgnoAgentOS(o => o.BaseAddress = server.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AgentOSClient>();
        var agents = await client.ListAgentsAsync();

        RequestAssert.Matches(Fixtures.Get("441"), server.Last);
        Assert.NotEmpty(agents);
        Assert.NotNull(client.Options.TokenProvider);
        Assert.Contains("RotatingTokens", client.Options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_from_a_provider_are_refused_over_plain_http_to_another_host()
    {
        var options = new AgentOSClientOptions { BaseAddress = new Uri("http://agentos.example.com"), TokenProvider = new RotatingTokens("t") };

        var refused = Assert.Throws<ArgumentException>(() => new AgentOSClient(options));

        Assert.Contains("TokenProvider", refused.Message, StringComparison.Ordinal);
        options.AllowUnencryptedAuthentication = true;
        using var allowed = new AgentOSClient(options);
        Assert.Same(options.TokenProvider, allowed.Options.TokenProvider);
    }
}

public sealed class TokenProviderTests_More29() : TokenProviderTests(FixtureSet.More29);

public sealed class TokenProviderTests_More30() : TokenProviderTests(FixtureSet.More30);
