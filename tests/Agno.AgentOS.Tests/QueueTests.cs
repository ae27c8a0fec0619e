using System.Net;
using Agno.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// agno 3.x's durable queue routes (<c>/queue/*</c>). The recordings have no durable queue (3.0.0a3 answered every
/// <c>/queue</c> route with 503), so the answers are shaped by hand after agno's job queue router and schema
/// (<c>os/routers/job_queue/router.py</c>, <c>schema.py</c>, <c>job_queue/store.py</c> of 3.0.0a3).
/// </summary>
public sealed class QueueTests
{
    private const string JobJson = """{"id":"run-1","component_type":"agent","component_id":"echo-agent","session_id":"s-1","job_type":"run","user_id":"ada","payload":{"message":"hello"},"status":"failed","attempt":1,"max_attempts":1,"idempotency_key":"order-42","available_at":1764633600,"locked_by":null,"locked_at":null,"error":"worker crashed","created_at":1764633600,"updated_at":1764633660,"completed_at":1764633660}""";

    private static AgentOSClient Client(ReplayServer server) => TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

    [Fact]
    public async Task Jobs_are_listed_with_repeated_status_filters_read_and_requeued()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(ctx.Request.Path.Value switch
            {
                "/queue/jobs" => "{\"data\":[" + JobJson + "],\"meta\":{\"page\":1,\"limit\":5,\"total_pages\":1,\"total_count\":1}}",
                _ => JobJson.Replace("\"failed\"", ctx.Request.Method == "POST" ? "\"queued\"" : "\"failed\"", StringComparison.Ordinal),
            });
        };
        using var client = Client(server);

        var page = await client.ListQueueJobsAsync(new QueueJobQuery { Statuses = [QueueJobStatuses.Failed, QueueJobStatuses.Cancelled], Limit = 5, SortBy = "updated_at", SortOrder = SortOrder.Ascending });
        var job = await client.GetQueueJobAsync("run-1");
        var requeued = await client.RequeueQueueJobAsync("run-1", clearCancellation: true, force: true);

        Assert.Equal("?status=failed&status=cancelled&limit=5&sort_by=updated_at&sort_order=asc", server.Received[0].Query);
        Assert.Equal(("GET", "/queue/jobs/run-1"), (server.Received[1].Method, server.Received[1].Path));
        Assert.Equal(("POST", "/queue/jobs/run-1/requeue", "?clear_cancellation=true&force=true"), (server.Received[2].Method, server.Received[2].Path, server.Received[2].Query));
        var listed = Assert.Single(page.Data);
        Assert.Equal(("run-1", "agent", "echo-agent", "s-1", "ada"), (listed.Id, listed.ComponentType, listed.ComponentId, listed.SessionId, listed.UserId));
        Assert.Equal((1, 1, "order-42", "worker crashed"), (job.Attempt, job.MaxAttempts, job.IdempotencyKey, job.Error));
        Assert.Equal(RunStatus.Error, job.RunStatus);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764633660), job.CompletedAt);
        Assert.Equal("hello", (string?)job.Payload!["message"]);
        Assert.Equal((QueueJobStatuses.Queued, RunStatus.Pending), (requeued.Status, requeued.RunStatus));
    }

    [Fact]
    public async Task Stats_give_counts_by_status_and_the_oldest_queued_age()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(ctx.Request.Path == "/queue/stats" ? """{"counts":{"queued":3,"failed":1},"oldest_queued_age_seconds":42}""" : """{"counts":{},"oldest_queued_age_seconds":null}""");
        };
        using var client = Client(server);

        var stats = await client.GetQueueStatsAsync();

        Assert.Equal(3, stats.Counts[QueueJobStatuses.Queued]);
        Assert.Equal(1, stats.Counts[QueueJobStatuses.Failed]);
        Assert.Equal(TimeSpan.FromSeconds(42), stats.OldestQueuedAge);
    }

    [Theory]
    [InlineData(503, "Durable job queue is not enabled on this replica", typeof(AgentOSServerException))]
    [InlineData(403, "Job queue operations require an admin scope", typeof(AgentOSPermissionException))]
    [InlineData(404, "Job queue job run-9 not found", typeof(AgentOSNotFoundException))]
    [InlineData(409, "Job run-9 failed within the last 60s and its worker may still be executing", typeof(AgentOSConflictException))]
    [InlineData(400, "Job run-9 not found or not in a requeueable state", typeof(AgentOSBadRequestException))]
    public async Task Every_refusal_is_typed_with_the_servers_detail(int status, string detail, Type expected)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync($$"""{"detail":"{{detail}}"}""");
        };
        using var client = Client(server);

        var ex = await Assert.ThrowsAnyAsync<AgentOSException>(() => client.RequeueQueueJobAsync("run-9"));

        Assert.IsType(expected, ex);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(detail, ex.Detail);
        Assert.Single(server.Received); // a requeue is never retried
    }

    [Fact]
    public async Task Bad_arguments_fail_before_any_request()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = Client(server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ListQueueJobsAsync(new QueueJobQuery { Limit = 1001 }));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ListQueueJobsAsync(new QueueJobQuery { Statuses = [" "] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetQueueJobAsync(""));

        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Session_deletes_and_metrics_carry_agno3s_user_and_media_parameters()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            if (ctx.Request.Method == "DELETE")
            {
                ctx.Response.StatusCode = 204;
                return;
            }

            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("""{"metrics":[],"updated_at":null}""");
        };
        using var client = Client(server);

        await client.DeleteSessionAsync("s-1", new SessionDeleteOptions { UserId = "ada", DeleteMedia = true, Database = new DatabaseSelector("db") });
        await client.DeleteSessionsAsync([("s-1", SessionType.Team)], new SessionDeleteOptions { DeleteMedia = true });
        await client.DeleteSessionAsync("s-2");
        await client.GetMetricsAsync(userId: "ada");

        Assert.Equal("?user_id=ada&db_id=db&delete_media=true", server.Received[0].Query);
        Assert.Equal(("/sessions", "?delete_media=true"), (server.Received[1].Path, server.Received[1].Query));
        Assert.Equal("""{"session_ids":["s-1"],"session_types":["team"]}""", System.Text.Encoding.UTF8.GetString(server.Received[1].Body));
        Assert.Equal(("/sessions/s-2", ""), (server.Received[2].Path, server.Received[2].Query));
        Assert.Equal(("/metrics", "?user_id=ada"), (server.Received[3].Path, server.Received[3].Query));
    }
}
