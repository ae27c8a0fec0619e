using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Agno.AgentOS.Hosting.PostgreSql.Tests;

/// <summary>Background runs' events in PostgreSQL: a run on one instance is resumed from another, live.</summary>
public sealed class PostgreSqlRunEventStoreTests
{
    [PostgresFact]
    public async Task A_resume_on_instance_B_of_a_background_run_on_A_replays_then_follows_the_live_events_until_completion()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        var gate = new GatedChatClient();
        await using var a = await Host.StartAsync(cs, gate);
        await using var b = await Host.StartAsync(cs, gate);
        await b.Events.WhenListeningAsync();

        var first = new List<AgentOSEvent>();
        await using (var stream = a.Client.RunAgentInBackgroundStreamingAsync("gated", new RunRequest("go") { SessionId = "pg-bg" }).GetAsyncEnumerator())
        {
            gate.Send("a ");
            while (await stream.MoveNextAsync())
            {
                first.Add(stream.Current);
                if (stream.Current is RunContentEvent { Content: "a " })
                {
                    break; // the client leaves A; the run goes on there
                }
            }
        }

        string runId = first[0].RunId!;
        int last = first[^1].EventIndex!.Value;
        gate.Send("b ");
        await b.Events.WaitForEventsAsync(runId, last); // B sees A's append (LISTEN/NOTIFY)
        var resumed = new List<AgentOSEvent>();
        await foreach (var e in b.Client.ResumeAgentRunStreamingAsync("gated", runId, "pg-bg", last))
        {
            resumed.Add(e);
            if (e is ResumeSubscribedEvent)
            {
                gate.Send("c ");
                gate.Send("d ");
                gate.Finish();
            }
        }

        var replayOnB = await b.Client.ResumeAgentRunStreamingAsync("gated", runId, "pg-bg").ToListAsync();
        var stored = await b.Client.GetAgentRunAsync("gated", runId, "pg-bg");

        Assert.Equal(1, Assert.IsType<ResumeCatchUpEvent>(resumed[0]).MissedEvents);
        Assert.Equal("b ", Assert.IsType<RunContentEvent>(resumed[1]).Content);
        Assert.IsType<ResumeSubscribedEvent>(resumed[2]);
        var indexed = resumed.Where(e => e.EventIndex is not null).ToList();
        Assert.Equal(Enumerable.Range(last + 1, indexed.Count), indexed.Select(e => e.EventIndex!.Value)); // nothing lost, nothing twice
        Assert.Equal(["b ", "c ", "d "], indexed.OfType<RunContentEvent>().Select(e => e.Content));
        Assert.Equal("a b c d ", Assert.IsType<RunCompletedEvent>(resumed[^1]).Content);
        var replay = Assert.IsType<ResumeReplayEvent>(replayOnB[0]);
        Assert.Equal(("COMPLETED", last + 1 + indexed.Count), (replay.Status, replay.TotalEvents));
        Assert.Equal(first.Select(e => e.EventIndex).Concat(indexed.Select(e => e.EventIndex)), replayOnB.Skip(1).Select(e => e.EventIndex));
        Assert.Equal((RunStatus.Completed, "a b c d "), (stored.Status, stored.Content));
    }

    [PostgresFact]
    public async Task The_store_reads_after_an_index_wakes_readers_of_another_instance_caps_and_purges()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var writer = new PostgreSqlAgentOSRunEventStore(cs, maxEventsPerRun: 3);
        await using var reader = new PostgreSqlAgentOSRunEventStore(cs, maxEventsPerRun: 3);
        await reader.WhenListeningAsync();
        await writer.OpenAsync(new AgentOSRunEventStream { RunId = "r", SessionId = "s", UserId = "u", ComponentKind = "agent", ComponentId = "a" });
        await writer.AppendAsync("r", new AgentOSRunEvent(0, "RunStarted", "{}"));

        var waiting = reader.WaitForEventsAsync("r", 0).AsTask();
        bool early = waiting.IsCompleted;
        for (int i = 1; i < 5; i++)
        {
            await writer.AppendAsync("r", new AgentOSRunEvent(i, "RunContent", $"{{\"i\":{i}}}"));
        }

        await waiting; // woken by the other instance's notification
        var slice = await reader.ReadAsync("r", -1);
        await writer.FinishAsync("r", "COMPLETED");
        var finished = await reader.ReadAsync("r", 3);
        int purged = await reader.PurgeAsync(DateTimeOffset.UtcNow.AddMinutes(1));

        Assert.False(early);
        Assert.Equal([2, 3, 4], slice!.Events.Select(e => e.Index)); // at most 3 kept
        Assert.Equal((3, 4, false, "u"), (slice.TotalEvents, slice.LastIndex, slice.Stream.IsFinished, slice.Stream.UserId));
        Assert.Equal(("COMPLETED", "{\"i\":4}"), (finished!.Stream.Status, Assert.Single(finished.Events).Data));
        Assert.Equal(1, purged);
        Assert.Null(await reader.ReadAsync("r", -1));
    }

    private sealed class Host : IAsyncDisposable
    {
        public required WebApplication App { get; init; }

        public required AgentOSClient Client { get; init; }

        public required PostgreSqlAgentOSRunEventStore Events { get; init; }

        public static async Task<Host> StartAsync(string connectionString, IChatClient gated)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddAgentOS().AddAgent("gated", gated).UsePostgreSqlSessionStore(connectionString);
            var app = builder.Build();
            app.MapAgentOS();
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new Host
            {
                App = app,
                Events = Assert.IsType<PostgreSqlAgentOSRunEventStore>(app.Services.GetRequiredService<IAgentOSRunEventStore>()),
                Client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = address, Retry = { Enabled = false } }),
            };
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }

    /// <summary>A model that answers each chunk the test sends, and ends when the test says so (a server-side gate).</summary>
    private sealed class GatedChatClient : IChatClient
    {
        private readonly Channel<string> _chunks = Channel.CreateUnbounded<string>();

        public void Send(string chunk) => _chunks.Writer.TryWrite(chunk);

        public void Finish() => _chunks.Writer.TryComplete();

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("streaming only");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var chunk in _chunks.Reader.ReadAllAsync(cancellationToken))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { MessageId = "gated" };
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
