using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// Background responses against exchanges recorded from a real agno AgentOS (the embedded host keeps no background
/// runs), replayed by a real Kestrel server on loopback; each request sent is checked against the recorded one.
/// </summary>
public sealed class BackgroundTests
{
    private static AgentOSClient Client(ReplayServer server) => new(new AgentOSClientOptions { BaseAddress = server.BaseAddress });

    [Fact]
    public async Task A_background_run_answers_with_a_token_that_polls_it_until_it_is_done()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("180", "181", "182");
        using var client = Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsAIAgent();
        var session = agent.OpenSession("fixture-bg-session");

        var started = await agent.RunAsync("background slow job", session, new AgentRunOptions { AllowBackgroundResponses = true });

        RequestAssert.Matches(Fixtures.Get("180"), server.Last);
        Assert.NotNull(started.ContinuationToken);
        Assert.Equal("647916b6-5b58-483a-9b2e-054a22b250c6", started.ResponseId);
        Assert.Equal("647916b6-5b58-483a-9b2e-054a22b250c6", session.LastRunId);
        Assert.Empty(started.Messages);

        // The token survives its bytes (stored between requests, or in another process).
        var token = ResponseContinuationToken.FromBytes(started.ContinuationToken!.ToBytes());
        var running = await agent.RunAsync([], session, new AgentRunOptions { ContinuationToken = token });
        RequestAssert.Matches(Fixtures.Get("181"), server.Last);
        Assert.NotNull(running.ContinuationToken);
        Assert.Empty(running.Messages);

        var done = await agent.RunAsync([], session, new AgentRunOptions { ContinuationToken = running.ContinuationToken });
        RequestAssert.Matches(Fixtures.Get("182"), server.Last);
        Assert.Null(done.ContinuationToken);
        Assert.Equal("Echo: background slow job (turn 1)", done.Text);
        Assert.Equal(ChatFinishReason.Stop, done.FinishReason);
        Assert.Equal("echo-agent", Assert.Single(done.Messages).AuthorName);
    }

    [Fact]
    public async Task A_background_stream_carries_a_token_on_every_update_but_the_last_and_resumes_after_any_of_them()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", "184");
        using var client = Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsAIAgent();
        var session = agent.OpenSession("fixture-bg-session");

        var updates = await agent.RunStreamingAsync("background stream hello", session, new AgentRunOptions { AllowBackgroundResponses = true }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("183"), server.Last);
        Assert.All(updates.Take(updates.Count - 1), u => Assert.NotNull(u.ContinuationToken));
        Assert.Null(updates[^1].ContinuationToken);
        Assert.Equal("Echo: background stream hello (turn 2)", string.Concat(updates.Select(u => u.Text)));

        // Resume after the update whose token says event 3, as if the connection had dropped there.
        var at = updates.FindIndex(u => u.ContinuationToken is { } t && t.ToBytes().ToArray().AsSpan().IndexOf("\"last_event_index\":3"u8) >= 0);
        Assert.True(at >= 0, "an update carries the token of event 3");
        var resumed = await agent.RunStreamingAsync([], session, new AgentRunOptions { ContinuationToken = updates[at].ContinuationToken }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("184"), server.Last);
        Assert.Equal("Echo: background stream hello (turn 2)", string.Concat(updates.Take(at + 1).Select(u => u.Text)) + string.Concat(resumed.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, resumed[^1].FinishReason);
        Assert.Null(resumed[^1].ContinuationToken);
    }

    [Fact]
    public async Task An_interrupted_background_stream_resumes_from_the_token_of_the_last_update_and_is_never_cancelled()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("186", "187");
        using var client = Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsAIAgent();
        var session = agent.OpenSession("fixture-bg-session");
        var seen = new List<AgentResponseUpdate>();

        await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var u in agent.RunStreamingAsync("background slow stream", session, new AgentRunOptions { AllowBackgroundResponses = true }))
            {
                seen.Add(u);
            }
        });
        RequestAssert.Matches(Fixtures.Get("186"), server.Last);
        Assert.Equal("tick0 tick1 tick2 tick3 ", string.Concat(seen.Select(u => u.Text)));

        var resumed = await agent.RunStreamingAsync([], session, new AgentRunOptions { ContinuationToken = seen[^1].ContinuationToken }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("187"), server.Last);
        Assert.StartsWith("tick4 tick5 tick6 ", string.Concat(resumed.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, resumed[^1].FinishReason);
        Assert.All(resumed, u => Assert.Equal("e96e5755-8701-4712-90ab-9eee666a37e3", u.ResponseId));
        Assert.DoesNotContain(server.Received, r => r.Path.EndsWith("/cancel", StringComparison.Ordinal));
    }
}
