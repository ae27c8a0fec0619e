using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>agno 3.x's durable job queue: the operator surface of background runs (admin scope).</summary>
public partial class AgentOSClient
{
    /// <summary>
    /// Lists jobs of agno 3.x's durable queue, one page (<c>GET /queue/jobs</c>). Needs an admin scope under JWT
    /// (<see cref="AgentOSPermissionException"/>); a server without the durable queue answers 503
    /// (<see cref="AgentOSServerException"/>), an agno 2.9 server 404 (<see cref="AgentOSNotFoundException"/>).
    /// </summary>
    /// <param name="query">Filters, sorting and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<QueueJob>> ListQueueJobsAsync(QueueJobQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new QueueJobQuery();
        if (query.Limit is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "QueueJobQuery.Limit is 1 to 1000.");
        }

        var parameters = new List<(string, string?)>();
        foreach (var status in query.Statuses ?? [])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(status, nameof(query));
            parameters.Add(("status", status));
        }

        parameters.Add(("limit", Num(query.Limit)));
        parameters.Add(("page", Num(query.Page)));
        parameters.Add(("sort_by", query.SortBy));
        parameters.Add(("sort_order", Name(query.SortOrder)));
        return Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("queue/jobs", [.. parameters]), null, AgentOSJsonContext.Default.PageQueueJob, options, cancellationToken);
    }

    /// <summary>Enumerates jobs of the durable queue across pages.</summary>
    /// <param name="query">Filters and sorting; <see cref="QueueJobQuery.Page"/> is the first page read.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The jobs.</returns>
    public virtual IAsyncEnumerable<QueueJob> EnumerateQueueJobsAsync(QueueJobQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var source = query ?? new QueueJobQuery();
        var q = new QueueJobQuery { Statuses = source.Statuses, Limit = source.Limit, Page = source.Page, SortBy = source.SortBy, SortOrder = source.SortOrder };
        return EnumeratePagesAsync(FirstPage(q.Page), (page, token) =>
        {
            q.Page = page;
            return ListQueueJobsAsync(q, options, token);
        }, cancellationToken);
    }

    /// <summary>Gets one job of the durable queue (<c>GET /queue/jobs/{id}</c>; the job id is the run id).</summary>
    /// <param name="jobId">The job (run) id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job.</returns>
    public virtual Task<QueueJob> GetQueueJobAsync(string jobId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, "queue/jobs/" + Paths.Segment(jobId, nameof(jobId)), null, AgentOSJsonContext.Default.QueueJob, options, cancellationToken);

    /// <summary>
    /// Requeues a failed or cancelled job for one more execution (<c>POST /queue/jobs/{id}/requeue</c>). A job that is
    /// not requeueable answers 400; one that failed within the server's lock grace answers 409
    /// (<see cref="AgentOSConflictException"/>) unless <paramref name="force"/> is set. Never retried by the client.
    /// </summary>
    /// <param name="jobId">The job (run) id.</param>
    /// <param name="clearCancellation">Clears a live cancellation of a cancelled job (without it the new attempt is cancelled again).</param>
    /// <param name="force">Requeues a job that failed within the lock grace (its worker may still be executing).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The requeued job.</returns>
    public virtual Task<QueueJob> RequeueQueueJobAsync(string jobId, bool clearCancellation = false, bool force = false, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery("queue/jobs/" + Paths.Segment(jobId, nameof(jobId)) + "/requeue",
            ("clear_cancellation", clearCancellation ? "true" : null), ("force", force ? "true" : null));
        return Pipeline.SendJsonAsync(HttpMethod.Post, path, null, AgentOSJsonContext.Default.QueueJob, options, cancellationToken);
    }

    /// <summary>Job counts by status and the oldest queued job's age (<c>GET /queue/stats</c>).</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics.</returns>
    public virtual Task<QueueStats> GetQueueStatsAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => Pipeline.SendJsonAsync(HttpMethod.Get, "queue/stats", null, AgentOSJsonContext.Default.QueueStats, options, cancellationToken);
}
