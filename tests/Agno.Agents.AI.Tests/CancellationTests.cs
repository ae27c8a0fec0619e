using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// Cancelling the caller's token cancels the run on the server. The gated agent streams one update and then waits
/// until its run's token is cancelled on the server: no sleeps, the gates say when each side got there.
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cancelling_a_stream_closes_it_asks_the_server_to_cancel_the_run_by_id_and_the_server_cancels_it()
    {
        await using var host = await TestHost.StartAsync();
        using var client = RecordingHandler.Client(host, out var http);
        var agent = client.GetRemoteAgent("gated-agent").AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();
        using var cts = new CancellationTokenSource();
        var seen = new List<AgentResponseUpdate>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in agent.RunStreamingAsync("go", session, cancellationToken: cts.Token))
            {
                seen.Add(u);
                if (u.Text == "tick0 ")
                {
                    await cts.CancelAsync();
                }
            }
        });

        await host.Gated.Cancelled.Task.WaitAsync(HangGuard);
        string runId = Assert.IsType<string>(session.LastRunId);
        Assert.Contains($"POST /agents/gated-agent/runs/{runId}/cancel", http.Requests);
        await host.Store.RunSavedAsync(runId, "CANCELLED").WaitAsync(HangGuard);
        var stored = await client.GetAgentRunAsync("gated-agent", runId, session.SessionId!);
        Assert.Equal(RunStatus.Cancelled, stored.Status);
        Assert.Equal("tick0 ", string.Concat(seen.Select(u => u.Text)));
    }

    [Fact]
    public async Task Cancelling_a_non_streaming_run_cancels_it_on_the_server_too()
    {
        await using var host = await TestHost.StartAsync();
        using var client = RecordingHandler.Client(host, out var http);
        var agent = client.GetRemoteAgent("gated-agent").AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();
        using var cts = new CancellationTokenSource();

        var run = agent.RunAsync("go", session, cancellationToken: cts.Token);
        await client.FirstContentConsumed.Task.WaitAsync(HangGuard);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await host.Gated.Cancelled.Task.WaitAsync(HangGuard);
        Assert.Contains(http.Requests, r => r.StartsWith("POST /agents/gated-agent/runs/", StringComparison.Ordinal) && r.EndsWith("/cancel", StringComparison.Ordinal));
        await host.Store.RunSavedAsync(session.LastRunId!, "CANCELLED").WaitAsync(HangGuard);
        Assert.Equal(RunStatus.Cancelled, (await client.GetAgentRunAsync("gated-agent", session.LastRunId!, session.SessionId!)).Status);
    }

    [Fact]
    public async Task Abandoning_a_stream_before_its_end_cancels_the_run_on_the_server()
    {
        await using var host = await TestHost.StartAsync();
        using var client = RecordingHandler.Client(host, out var http);
        var agent = client.GetRemoteAgent("gated-agent").AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();

        await foreach (var u in agent.RunStreamingAsync("go", session))
        {
            if (u.Text == "tick0 ")
            {
                break;
            }
        }

        await host.Gated.Cancelled.Task.WaitAsync(HangGuard);
        Assert.Contains($"POST /agents/gated-agent/runs/{session.LastRunId}/cancel", http.Requests);
    }

    [Fact]
    public async Task A_run_that_finishes_is_never_cancelled()
    {
        await using var host = await TestHost.StartAsync();
        using var client = RecordingHandler.Client(host, out var http);
        var agent = client.GetRemoteAgent("echo-agent").AsAIAgent();

        var updates = await agent.RunStreamingAsync("hello").ToListAsync();
        await agent.RunAsync("hello again");

        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.DoesNotContain(http.Requests, r => r.EndsWith("/cancel", StringComparison.Ordinal));
        Assert.Equal(2, http.Requests.Count(r => r == "POST /agents/echo-agent/runs"));
    }
}
