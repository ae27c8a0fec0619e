using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The workflow WebSocket (<c>/workflows/ws</c>) against a real WebSocket server on a loopback socket that speaks as
/// agno's router does (2.9 and 3.0.0a3 source: <c>os/router.py</c>, <c>os/managers.py</c>,
/// <c>os/routers/workflows/router.py</c>) and sends the recorded workflow streams of both recordings: SSE-wrapped text
/// messages on the inline path, flat JSON objects on reconnect and under agno 3.x's durable queue.
/// </summary>
public abstract class WorkflowSocketTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    [Fact]
    public async Task A_run_streams_the_recorded_events_typed_and_ends_after_its_terminal_event()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        server.OnStart = (ws, _) => server.SendRecordedAsync(ws, "071", flat: false);
        using var client = Client(server);

        var events = await client.RunWorkflowOverWebSocketAsync("echo-workflow", new RunRequest("hello") { SessionId = "s-1", UserId = "ada", Version = 2 }).ToListAsync();

        Assert.Equal(TestSupport.RecordedEventNames("071"), events.Select(e => e.Event));
        Assert.DoesNotContain(events, e => e is UnknownEvent or MalformedEvent);
        Assert.IsType<RunCompletedEvent>(events[^1]);
        var sent = Assert.Single(server.Messages, m => (string?)m["action"] == "start-workflow");
        Assert.Equal("""{"action":"start-workflow","workflow_id":"echo-workflow","message":"hello","session_id":"s-1","user_id":"ada","version":2}""", sent.ToJsonString());
    }

    [Fact]
    public async Task Flat_json_frames_decode_as_the_sse_wrapped_ones_and_a_durable_queue_acknowledgement_comes_first()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        server.OnStart = async (ws, _) =>
        {
            await server.SendTextAsync(ws, """{"event":"queued","run_id":"r-q","session_id":"s-q"}""");
            await server.SendRecordedAsync(ws, "071", flat: true);
        };
        using var client = Client(server);
        await using var socket = await client.ConnectWorkflowSocketAsync();

        var events = await socket.RunWorkflowAsync("echo-workflow", new RunRequest("hello")).ToListAsync();

        var queued = Assert.IsType<RunQueuedEvent>(events[0]);
        Assert.Equal(("r-q", "s-q", EventScope.Resume), (queued.RunId, queued.SessionId, queued.Scope));
        Assert.Equal(TestSupport.RecordedEventNames("071"), events.Skip(1).Select(e => e.Event));
        Assert.Equal(Enumerable.Range(0, events.Count - 1), events.Skip(1).Select(e => e.EventIndex!.Value));
        Assert.DoesNotContain(events, e => e is UnknownEvent or MalformedEvent);
    }

    [Fact]
    public async Task A_broken_socket_is_reopened_and_the_run_followed_from_its_last_event_index_with_no_event_twice()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        var frames = server.Recorded("071");
        server.OnStart = async (ws, _) =>
        {
            for (int i = 0; i < 5; i++)
            {
                await server.SendTextAsync(ws, SocketServer.Sse(frames[i]));
            }

            // the server restarts mid-run (1012); a TCP reset could discard the messages still unread on the client
            await ws.CloseOutputAsync((WebSocketCloseStatus)1012, "service restart", CancellationToken.None);
        };
        server.OnReconnect = async (ws, message) =>
        {
            int last = (int)message["last_event_index"]!;
            await server.SendTextAsync(ws, $$"""{"event":"catch_up","run_id":"{{message["run_id"]}}","status":"running","missed_events":{{frames.Count - last - 1}}}""");
            for (int i = last - 1; i < frames.Count; i++) // one already received event again: the client drops it
            {
                await server.SendTextAsync(ws, frames[i].ToJsonString());
            }
        };
        using var client = Client(server, o => o.ResumeInterruptedBackgroundStreams = true);

        var events = await client.RunWorkflowOverWebSocketAsync("echo-workflow", new RunRequest("hello") { SessionId = "s-1" }).ToListAsync();

        var reconnect = Assert.Single(server.Messages, m => (string?)m["action"] == "reconnect");
        string runId = TestSupport.RecordedEventJson("071", 0).GetProperty("run_id").GetString()!;
        Assert.Equal(runId, (string?)reconnect["run_id"]);
        Assert.Equal(4, (int)reconnect["last_event_index"]!);
        Assert.Equal("echo-workflow", (string?)reconnect["workflow_id"]);
        Assert.Equal(TestSupport.RecordedEventNames("071"), events.Where(e => e.Scope != EventScope.Resume).Select(e => e.Event));
        Assert.IsType<ResumeCatchUpEvent>(Assert.Single(events, e => e.Scope == EventScope.Resume));
    }

    [Fact]
    public async Task Without_resumption_a_broken_socket_is_an_interruption_that_names_the_run_and_its_last_index()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        var frames = server.Recorded("071");
        server.OnStart = async (ws, _) =>
        {
            for (int i = 0; i < 3; i++)
            {
                await server.SendTextAsync(ws, SocketServer.Sse(frames[i]));
            }

            await ws.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server restart", CancellationToken.None);
        };
        using var client = Client(server);

        var seen = new List<AgentOSEvent>();
        var ex = await Assert.ThrowsAsync<AgentOSStreamInterruptedException>(async () =>
        {
            await foreach (var e in client.RunWorkflowOverWebSocketAsync("echo-workflow", new RunRequest("hello")))
            {
                seen.Add(e);
            }
        });

        Assert.Equal(3, seen.Count);
        Assert.Equal((TestSupport.RecordedEventJson("071", 0).GetProperty("run_id").GetString(), 2, 3), (ex.RunId, ex.LastEventIndex, ex.EventsReceived));
        Assert.Contains("server restart", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_run_is_replayed_on_reconnect_and_the_replay_ends_after_its_stored_events()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        var frames = server.Recorded("071");
        server.OnReconnect = async (ws, message) =>
        {
            await server.SendTextAsync(ws, $$"""{"event":"replay","run_id":"{{message["run_id"]}}","status":"COMPLETED","total_events":{{frames.Count}},"message":"Run completed. Replaying stored events from database."}""");
            foreach (var frame in frames)
            {
                await server.SendTextAsync(ws, frame.ToJsonString());
            }
        };
        using var client = Client(server);
        await using var socket = await client.ConnectWorkflowSocketAsync();

        var events = await socket.ReconnectAsync("r-1", workflowId: "echo-workflow", sessionId: "s-1").ToListAsync();
        var rtt = await socket.PingAsync(); // the connection is still usable afterwards

        var replay = Assert.IsType<ResumeReplayEvent>(events[0]);
        Assert.Equal(("COMPLETED", frames.Count), (replay.Status, replay.TotalEvents));
        Assert.Equal(TestSupport.RecordedEventNames("071"), events.Skip(1).Select(e => e.Event));
        Assert.Equal("""{"action":"reconnect","run_id":"r-1","workflow_id":"echo-workflow","session_id":"s-1"}""", server.Messages.Single(m => (string?)m["action"] == "reconnect").ToJsonString());
        Assert.True(rtt >= TimeSpan.Zero);
        Assert.Contains(server.Messages, m => (string?)m["action"] == "ping");
    }

    [Fact]
    public async Task A_paused_workflow_is_continued_over_the_socket_with_its_step_requirements()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        server.OnStart = (ws, _) => server.SendRecordedAsync(ws, "178", flat: false);
        server.OnContinue = (ws, _) => server.SendRecordedAsync(ws, "177", flat: false);
        using var client = Client(server);
        await using var socket = await client.ConnectWorkflowSocketAsync();

        var first = await socket.RunWorkflowAsync("hitl-workflow", new RunRequest("please confirm")).ToListAsync();
        var paused = Assert.IsType<RunPausedEvent>(first[^1]);
        var requirements = paused.StepRequirements!;
        foreach (var r in requirements)
        {
            r.Confirmed = true;
        }

        var rest = await socket.ContinueWorkflowAsync("hitl-workflow", paused.RunId!, new ContinueRunRequest(paused.SessionId!) { StepRequirements = requirements }).ToListAsync();

        Assert.Equal(["WorkflowStarted", "StepPaused", "WorkflowPaused"], first.Select(e => e.Event)); // the WorkflowRunOutput after the pause is not the continue's
        Assert.Equal(TestSupport.RecordedEventNames("177"), rest.Select(e => e.Event));
        var sent = server.Messages.Single(m => (string?)m["action"] == "continue-workflow");
        Assert.Equal((paused.RunId, paused.SessionId), ((string?)sent["run_id"], (string?)sent["session_id"]));
        Assert.True((bool)sent["step_requirements"]![0]!["confirmed"]!);
    }

    [Fact]
    public async Task A_workflow_error_is_a_run_failure_and_error_messages_are_typed_by_what_the_server_says()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        server.OnStart = async (ws, message) =>
        {
            switch ((string?)message["workflow_id"])
            {
                case "fail-workflow": await server.SendRecordedAsync(ws, "126", flat: false); break;
                case "remote": await server.SendTextAsync(ws, """{"event":"error","error":"Remote workflows are not supported via WebSocket"}"""); break;
                case "full": await server.SendTextAsync(ws, """{"event":"error","error":"Job queue is full; retry later"}"""); break;
                case "forbidden": await server.SendTextAsync(ws, """{"event":"error","error":"Insufficient permissions to run this workflow"}"""); break;
                default: await server.SendTextAsync(ws, $$"""{"event":"error","error":"Workflow {{message["workflow_id"]}} not found"}"""); break;
            }
        };
        using var client = Client(server);
        await using var socket = await client.ConnectWorkflowSocketAsync();

        var failed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => socket.RunWorkflowAsync("fail-workflow", new RunRequest("x")).ToListAsync());
        var missing = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => socket.RunWorkflowAsync("nope", new RunRequest("x")).ToListAsync());
        var remote = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => socket.RunWorkflowAsync("remote", new RunRequest("x")).ToListAsync());
        var full = await Assert.ThrowsAsync<AgentOSRateLimitException>(() => socket.RunWorkflowAsync("full", new RunRequest("x")).ToListAsync());
        var forbidden = await Assert.ThrowsAsync<AgentOSPermissionException>(() => socket.RunWorkflowAsync("forbidden", new RunRequest("x")).ToListAsync());

        Assert.Equal(TestSupport.RecordedEventJson("126", 0).GetProperty("run_id").GetString(), failed.RunId);
        Assert.NotNull(failed.ErrorEvent);
        Assert.Equal("Workflow nope not found", missing.Detail);
        Assert.Contains("not supported", remote.Detail, StringComparison.Ordinal);
        Assert.Contains("queue is full", full.Detail, StringComparison.Ordinal);
        Assert.Contains("Insufficient permissions", forbidden.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_authenticates_the_socket_and_a_wrong_or_missing_one_is_an_authentication_error()
    {
        await using var server = await SocketServer.StartAsync(Recording, securityKey: "secret");
        server.OnStart = (ws, _) => server.SendRecordedAsync(ws, "071", flat: false);
        using var good = Client(server, o => o.ApiKey = "secret");
        using var wrong = Client(server, o => o.ApiKey = "guess");
        using var none = Client(server);

        var events = await good.RunWorkflowOverWebSocketAsync("echo-workflow", new RunRequest("hi")).ToListAsync();
        var refused = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => wrong.ConnectWorkflowSocketAsync());
        var missing = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => none.ConnectWorkflowSocketAsync());

        Assert.IsType<RunCompletedEvent>(events[^1]);
        Assert.Equal("""{"action":"authenticate","token":"secret"}""", server.Messages.First().ToJsonString());
        Assert.Equal("Invalid token", refused.Detail);
        Assert.Contains("ApiKey", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Messages, m => (string?)m["token"] == null && (string?)m["action"] == "authenticate");
    }

    [Fact]
    public async Task A_token_provider_authenticates_the_socket_and_a_refused_token_is_refreshed_once()
    {
        await using var server = await SocketServer.StartAsync(Recording, securityKey: "rotated");
        var asked = new List<bool>();
        using var client = Client(server, o => o.TokenProvider = AgentOSTokenProvider.Create((request, _) =>
        {
            asked.Add(request.ForceRefresh);
            return ValueTask.FromResult<string?>(request.ForceRefresh ? "rotated" : "stale");
        }));
        using var never = Client(server, o => o.TokenProvider = AgentOSTokenProvider.Create((_, _) => ValueTask.FromResult<string?>("wrong")));

        await using (var socket = await client.ConnectWorkflowSocketAsync())
        {
            Assert.True(socket.RequiresAuthentication);
        }

        var refused = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => never.ConnectWorkflowSocketAsync());

        Assert.Equal([false, true], asked);
        Assert.Equal(["stale", "rotated", "wrong", "wrong"], server.Messages.Where(m => (string?)m["action"] == "authenticate").Select(m => (string?)m["token"]));
        Assert.Equal("Invalid token", refused.Detail);
    }

    [Fact]
    public async Task Cancelling_a_run_asks_the_server_to_cancel_it()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        var frames = server.Recorded("071");
        server.OnStart = async (ws, _) =>
        {
            for (int i = 0; i < 2; i++)
            {
                await server.SendTextAsync(ws, SocketServer.Sse(frames[i]));
            }

            await server.Cancelled.Task; // the run goes on, silent, until it is cancelled
        };
        using var client = Client(server);
        using var cts = new CancellationTokenSource();

        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.RunWorkflowOverWebSocketAsync("echo-workflow", new RunRequest("hello") { SessionId = "s-1" }, cancellationToken: cts.Token))
            {
                if (++seen == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        var cancel = await server.Cancelled.Task;
        string runId = TestSupport.RecordedEventJson("071", 0).GetProperty("run_id").GetString()!;
        Assert.Equal($"/workflows/echo-workflow/runs/{runId}/cancel", cancel);
    }

    [Fact]
    public async Task A_silent_socket_times_out_on_the_clients_clock()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        var frames = server.Recorded("071");
        var release = new TaskCompletionSource();
        server.OnStart = async (ws, _) =>
        {
            await server.SendTextAsync(ws, SocketServer.Sse(frames[0]));
            await release.Task;
        };
        var time = new FakeTimeProvider();
        using var client = TestSupport.Client(server.Replay, configure: o => { o.BaseAddress = server.BaseAddress; o.StreamIdleTimeout = TimeSpan.FromSeconds(30); }, time: time);
        await using var socket = await client.ConnectWorkflowSocketAsync();
        socket.CancelRunOnCancellation = false;

        await using var events = socket.RunWorkflowAsync("echo-workflow", new RunRequest("hello")).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var next = events.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(next.IsCompleted);
        while (!next.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(30)); // the wait's timer exists once the reader waits; each advance passes it
            await Task.WhenAny(next, Task.Delay(10));
        }

        var ex = await Assert.ThrowsAsync<AgentOSTimeoutException>(() => next);
        release.SetResult();
        Assert.Equal(TimeSpan.FromSeconds(30), ex.Timeout);
        Assert.Equal(TestSupport.RecordedEventJson("071", 0).GetProperty("run_id").GetString(), ex.RunId);
    }

    [Fact]
    public async Task Hostile_messages_are_typed_errors_or_malformed_events_and_bad_arguments_fail_before_sending()
    {
        await using var server = await SocketServer.StartAsync(Recording);
        server.OnStart = async (ws, message) =>
        {
            switch ((string?)message["workflow_id"])
            {
                case "binary": await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None); break;
                case "huge": await server.SendTextAsync(ws, "{\"event\":\"RunContent\",\"content\":\"" + new string('x', 5000) + "\"}"); break;
                default:
                    await server.SendTextAsync(ws, "event: WorkflowStarted\ndata: {not json\n\n");
                    await server.SendTextAsync(ws, """{"event":"SomethingNew","run_id":"r"}""");
                    await server.SendRecordedAsync(ws, "071", flat: true);
                    break;
            }
        };
        using var client = Client(server, o => o.MaxStreamEventSize = 4096);

        await using (var socket = await client.ConnectWorkflowSocketAsync())
        {
            var events = await socket.RunWorkflowAsync("odd", new RunRequest("x")).ToListAsync();
            Assert.IsType<MalformedEvent>(events[0]);
            Assert.Equal("SomethingNew", Assert.IsType<UnknownEvent>(events[1]).Event);
            Assert.IsType<RunCompletedEvent>(events[^1]);
        }

        await using (var socket = await client.ConnectWorkflowSocketAsync())
        {
            await Assert.ThrowsAsync<AgentOSProtocolException>(() => socket.RunWorkflowAsync("binary", new RunRequest("x")).ToListAsync());
        }

        await using (var socket = await client.ConnectWorkflowSocketAsync())
        {
            var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => socket.RunWorkflowAsync("huge", new RunRequest("x")).ToListAsync());
            Assert.Contains("MaxStreamEventSize", ex.Message, StringComparison.Ordinal);
        }

        int before = server.Messages.Count;
        await using (var socket = await client.ConnectWorkflowSocketAsync())
        {
            var withMedia = new RunRequest("x");
            withMedia.Images.Add(new MediaItem { Url = new Uri("https://example.com/a.png") });
            Assert.Throws<ArgumentException>(() => socket.RunWorkflowAsync("echo-workflow", withMedia));
            Assert.Throws<ArgumentException>(() => socket.ContinueWorkflowAsync("echo-workflow", "r", new ContinueRunRequest("s")));
            Assert.Throws<ArgumentOutOfRangeException>(() => socket.ReconnectAsync("r", -1));
        }

        Assert.Equal(before, server.Messages.Count);
    }

    private static AgentOSClient Client(SocketServer server, Action<AgentOSClientOptions>? configure = null)
        => TestSupport.Client(server.Replay, configure: o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.Retry.Enabled = false;
            configure?.Invoke(o);
        });

    /// <summary>A WebSocket server on 127.0.0.1:0 that answers as agno's <c>/workflows/ws</c> router, plus the cancel route.</summary>
    internal sealed class SocketServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly FixtureSet _fixtures;
        private readonly string? _securityKey;

        private SocketServer(WebApplication app, FixtureSet fixtures, string? securityKey, ReplayServer replay)
        {
            _app = app;
            _fixtures = fixtures;
            _securityKey = securityKey;
            Replay = replay;
        }

        public Uri BaseAddress { get; private set; } = null!;

        /// <summary>An unused replay server, for <see cref="TestSupport.Client"/>'s signature.</summary>
        public ReplayServer Replay { get; }

        public ConcurrentQueue<JsonObject> Received { get; } = new();

        public List<JsonObject> Messages => [.. Received];

        public Func<WebSocket, JsonObject, Task>? OnStart { get; set; }

        public Func<WebSocket, JsonObject, Task>? OnReconnect { get; set; }

        public Func<WebSocket, JsonObject, Task>? OnContinue { get; set; }

        public TaskCompletionSource<string> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<SocketServer> StartAsync(FixtureSet fixtures, string? securityKey = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var replay = await ReplayServer.StartAsync(fixtures);
            var server = new SocketServer(app, fixtures, securityKey, replay);
            app.UseWebSockets();
            app.Map("/workflows/ws", server.HandleAsync);
            app.MapPost("/workflows/{id}/runs/{runId}/cancel", (HttpContext ctx) =>
            {
                server.Cancelled.TrySetResult(ctx.Request.Path.Value!);
                return Results.Json(new { });
            });
            await app.StartAsync();
            server.BaseAddress = new Uri(app.Urls.First());
            return server;
        }

        public List<JsonObject> Recorded(string fixture)
        {
            var list = new List<JsonObject>();
            int index = 0;
            foreach (var frame in _fixtures.Get(fixture).SseFrames())
            {
                var text = Encoding.UTF8.GetString(frame);
                if (text.StartsWith("event: WorkflowRunOutput", StringComparison.Ordinal))
                {
                    continue; // the SSE router's closing snapshot of a paused run; the socket handler sends the workflow's events only
                }

                var data = string.Join("\n", text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart()));
                var json = JsonNode.Parse(data)!.AsObject();
                json["event_index"] ??= index; // agno's socket handler stamps every event
                index++;
                list.Add(json);
            }

            return list;
        }

        public static string Sse(JsonObject data) => $"event: {(string?)data["event"]}\ndata: {data.ToJsonString()}\n\n";

        public async Task SendRecordedAsync(WebSocket ws, string fixture, bool flat)
        {
            foreach (var frame in Recorded(fixture))
            {
                await SendTextAsync(ws, flat ? frame.ToJsonString() : Sse(frame));
            }
        }

        public Task SendTextAsync(WebSocket ws, string text)
            => ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task HandleAsync(HttpContext context)
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            bool requiresAuth = _securityKey is not null;
            bool authenticated = false;
            await SendTextAsync(ws, JsonSerializer.Serialize(new { @event = "connected", message = requiresAuth ? "Connected to AgentOS. Please authenticate to continue." : "Connected to AgentOS.", requires_auth = requiresAuth }));
            var buffer = new byte[64 * 1024];
            try
            {
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    var message = JsonNode.Parse(buffer.AsSpan(0, result.Count))!.AsObject();
                    Received.Enqueue(message);
                    string? action = (string?)message["action"];
                    if (action == "authenticate")
                    {
                        if ((string?)message["token"] == _securityKey)
                        {
                            authenticated = true;
                            await SendTextAsync(ws, """{"event":"authenticated","message":"Authentication successful. You can now send commands."}""");
                        }
                        else
                        {
                            await SendTextAsync(ws, """{"event":"auth_error","error":"Invalid token"}""");
                        }

                        continue;
                    }

                    if (requiresAuth && !authenticated)
                    {
                        await SendTextAsync(ws, """{"event":"auth_required","error":"Authentication required. Send authenticate action with valid bearer token."}""");
                        continue;
                    }

                    var handler = action switch
                    {
                        "ping" => (s, _) => SendTextAsync(s, """{"event":"pong"}"""),
                        "start-workflow" => OnStart,
                        "reconnect" => OnReconnect,
                        "continue-workflow" => OnContinue,
                        _ => (s, _) => SendTextAsync(s, $$"""{"event":"error","error":"Unknown action: {{action}}"}"""),
                    };
                    if (handler is not null)
                    {
                        await handler(ws, message);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // the client went away
            }
        }

        public async ValueTask DisposeAsync()
        {
            Cancelled.TrySetResult("");
            await _app.DisposeAsync();
            await Replay.DisposeAsync();
        }
    }
}

public sealed class WorkflowSocketTests_Agno29() : WorkflowSocketTests(FixtureSet.Agno29);

public sealed class WorkflowSocketTests_Agno30() : WorkflowSocketTests(FixtureSet.Agno30);
