using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Extensions.AI.Tests;

public sealed class BackgroundAndCancellationTests
{
    [Fact]
    public async Task Background_response_returns_a_token_and_polling_it_returns_the_answer_when_done()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("180", "181", "182");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        var started = await chat.GetResponseAsync("background slow job", new ChatOptions { ConversationId = "fixture-bg-session", AllowBackgroundResponses = true });

        RequestAssert.Matches(Fixtures.Get("180"), server.Last);
        Assert.NotNull(started.ContinuationToken);
        Assert.Equal("647916b6-5b58-483a-9b2e-054a22b250c6", started.ResponseId);
        Assert.Equal("fixture-bg-session", started.ConversationId);
        Assert.Empty(started.Messages);

        // The token survives its bytes (e.g. stored between requests).
        var token = ResponseContinuationToken.FromBytes(started.ContinuationToken!.ToBytes());
        var running = await chat.GetResponseAsync([], new ChatOptions { ContinuationToken = token });
        RequestAssert.Matches(Fixtures.Get("181"), server.Last);
        Assert.NotNull(running.ContinuationToken);
        Assert.Equal(string.Empty, running.Text);

        var done = await chat.GetResponseAsync([], new ChatOptions { ContinuationToken = running.ContinuationToken });
        RequestAssert.Matches(Fixtures.Get("182"), server.Last);
        Assert.Null(done.ContinuationToken);
        Assert.Equal("Echo: background slow job (turn 1)", done.Text);
        Assert.Equal(ChatFinishReason.Stop, done.FinishReason);
    }

    [Fact]
    public async Task Background_stream_carries_a_resumable_token_on_every_update_but_the_last()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("183", "184");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("background stream hello", new ChatOptions { ConversationId = "fixture-bg-session", AllowBackgroundResponses = true }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("183"), server.Last);
        Assert.All(updates.Take(updates.Count - 1), u => Assert.NotNull(u.ContinuationToken));
        Assert.Null(updates[^1].ContinuationToken);
        Assert.Equal("Echo: background stream hello (turn 2)", updates.Text());

        // Resume after event 3, as if the connection had dropped there.
        var resumed = await chat.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = updates[3].ContinuationToken }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("184"), server.Last);
        Assert.IsType<ResumeReplayEvent>(resumed[0].RawRepresentation);
        Assert.Equal("stream hello (turn 2)", resumed.Text());
        Assert.Equal("Echo: background stream hello (turn 2)", updates.Take(4).Text() + resumed.Text());
        Assert.Null(resumed[^1].ContinuationToken);
        Assert.Equal(ChatFinishReason.Stop, resumed[^1].FinishReason);
    }

    [Fact]
    public async Task Interrupted_background_stream_resumes_from_the_token_of_the_last_update()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("186", "187");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var seen = new List<ChatResponseUpdate>();

        await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var u in chat.GetStreamingResponseAsync("background slow stream", new ChatOptions { ConversationId = "fixture-bg-session", AllowBackgroundResponses = true }))
            {
                seen.Add(u);
            }
        });
        RequestAssert.Matches(Fixtures.Get("186"), server.Last);
        Assert.Equal("tick0 tick1 tick2 tick3 ", seen.Text());

        var resumed = await chat.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = seen[^1].ContinuationToken }).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("187"), server.Last);
        Assert.StartsWith("tick4 tick5 tick6 ", resumed.Text(), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, resumed[^1].FinishReason);
        Assert.Null(resumed[^1].ContinuationToken);
        Assert.All(resumed, u => Assert.Equal("e96e5755-8701-4712-90ab-9eee666a37e3", u.ResponseId));
    }

    [Fact]
    public async Task The_token_of_an_interrupted_stream_also_polls_the_run()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("186", "188");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        ChatResponseUpdate? last = null;

        await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var u in chat.GetStreamingResponseAsync("background slow stream", new ChatOptions { ConversationId = "fixture-bg-session", AllowBackgroundResponses = true }))
            {
                last = u;
            }
        });
        var done = await chat.GetResponseAsync([], new ChatOptions { ContinuationToken = last!.ContinuationToken });

        RequestAssert.Matches(Fixtures.Get("188"), server.Last);
        Assert.Null(done.ContinuationToken);
        Assert.StartsWith("tick0 tick1 tick2 ", done.Text, StringComparison.Ordinal);
        Assert.Equal("e96e5755-8701-4712-90ab-9eee666a37e3", done.ResponseId);
    }

    [Fact]
    public async Task Workflow_background_run_starts_with_a_token_that_only_the_workflow_client_accepts()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("189");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteWorkflow("echo-workflow").AsIChatClient();
        using var agentChat = client.GetRemoteAgent("echo-workflow").AsIChatClient();

        var started = await chat.GetResponseAsync("background workflow", new ChatOptions { ConversationId = "fixture-bg-wf", AllowBackgroundResponses = true });

        RequestAssert.Matches(Fixtures.Get("189"), server.Last);
        Assert.NotNull(started.ContinuationToken);
        await Assert.ThrowsAsync<ArgumentException>(() => agentChat.GetResponseAsync([], new ChatOptions { ContinuationToken = started.ContinuationToken }));
    }

    [Fact]
    public async Task Cancelling_a_stream_stops_it_and_asks_the_server_to_cancel_the_run()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("090", new ServeOptions { StallAfterEvents = 3 });
        server.Serve("091");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        using var cts = new CancellationTokenSource();
        var seen = new List<ChatResponseUpdate>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in chat.GetStreamingResponseAsync("slow please", new ChatOptions { ConversationId = "fixture-cancel-agents" }, cts.Token))
            {
                seen.Add(u);
                if (u.Text.Length > 0)
                {
                    await cts.CancelAsync();
                }
            }
        });

        RequestAssert.Matches(Fixtures.Get("090"), server.Received[0]);
        Assert.Equal("tick0 ", seen.Text());
        var cancel = server.Last;
        Assert.Equal("POST", cancel.Method);
        Assert.Equal("/agents/echo-agent/runs/ff4a412f-4b9f-4599-8a68-4d4693079236/cancel", cancel.Path);
        Assert.Equal("?session_id=fixture-cancel-agents", cancel.Query);
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task Cancelling_a_continue_asks_the_server_to_cancel_the_known_run()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082");
        string runId = "fc877b43-0ed4-4522-b0b4-79abad79e9c9";
        var cancelOk = Fixtures.Get("091");
        server.Serve(new RecordedExchange
        {
            Name = "cancel-tool-agent",
            Method = "POST",
            Target = $"/agents/tool-agent/runs/{runId}/cancel",
            RequestHeaders = [],
            RequestBody = [],
            StatusCode = 200,
            ResponseHeaders = cancelOk.ResponseHeaders,
            ResponseBody = cancelOk.ResponseBody,
        }, new ServeOptions());
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();
        var options = new ChatOptions { ConversationId = "fixture-hitl-session" };
        var paused = await chat.GetResponseAsync("delete rec-42", options);
        var request = Assert.Single(paused.Messages[0].Contents.OfType<ToolApprovalRequestContent>());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => chat.GetResponseAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]), options, new CancellationToken(canceled: true)));

        Assert.Equal($"/agents/tool-agent/runs/{runId}/cancel", server.Last.Path);
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task Cancelling_a_background_stream_leaves_the_run_going()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("186", new ServeOptions { StallAfterEvents = 3 });
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        using var cts = new CancellationTokenSource();
        ChatResponseUpdate? last = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in chat.GetStreamingResponseAsync("background slow stream", new ChatOptions { ConversationId = "fixture-bg-session", AllowBackgroundResponses = true }, cts.Token))
            {
                last = u;
                if (u.Text.Length > 0)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Single(server.Received);
        Assert.NotNull(last!.ContinuationToken);
    }
}
