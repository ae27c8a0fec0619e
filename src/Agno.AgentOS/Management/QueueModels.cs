using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>
/// The statuses of a job of agno 3.x's durable queue (<c>queued</c>, <c>running</c>, <c>completed</c>, <c>failed</c>,
/// <c>cancelled</c>, <c>paused</c>), as the <c>status</c> filter of <see cref="QueueJobQuery"/> takes them.
/// </summary>
public static class QueueJobStatuses
{
    /// <summary>Accepted, waiting for a worker.</summary>
    public const string Queued = "queued";

    /// <summary>A worker executes it.</summary>
    public const string Running = "running";

    /// <summary>Finished successfully.</summary>
    public const string Completed = "completed";

    /// <summary>Failed terminally (the dead-letter list); can be requeued.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled; can be requeued.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The run waits for a human; it continues with a background continue.</summary>
    public const string Paused = "paused";

    /// <summary>The run status the server reports for a job status (agno's ticket-to-API map): <c>failed</c> is <see cref="RunStatus.Error"/>.</summary>
    /// <param name="status">A job status.</param>
    /// <returns>The run status, or <see langword="null"/> for a status this library does not know.</returns>
    public static RunStatus? ToRunStatus(string? status) => status switch
    {
        Queued => RunStatus.Pending,
        Running => RunStatus.Running,
        Paused => RunStatus.Paused,
        Completed => RunStatus.Completed,
        Failed => RunStatus.Error,
        Cancelled => RunStatus.Cancelled,
        _ => (RunStatus?)null,
    };
}

/// <summary>One job of agno 3.x's durable queue: a background run's queue ticket (<c>GET /queue/jobs/{id}</c>).</summary>
public sealed class QueueJob
{
    /// <summary>The job id, identical to the run's id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The component kind: <c>agent</c>, <c>team</c> or <c>workflow</c>.</summary>
    public string? ComponentType { get; set; }

    /// <summary>The id of the agent, team or workflow the run executes on.</summary>
    public string? ComponentId { get; set; }

    /// <summary>The session the run belongs to.</summary>
    public string? SessionId { get; set; }

    /// <summary>The kind of work (<c>run</c>).</summary>
    public string? JobType { get; set; }

    /// <summary>The user the run was submitted for.</summary>
    public string? UserId { get; set; }

    /// <summary>The serialized run parameters (verbatim user input: the queue routes need an admin scope).</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>The job status (<see cref="QueueJobStatuses"/>).</summary>
    public string? Status { get; set; }

    /// <summary>The run status the server reports for <see cref="Status"/>.</summary>
    [JsonIgnore]
    public RunStatus? RunStatus => QueueJobStatuses.ToRunStatus(Status);

    /// <summary>Executions started so far.</summary>
    public int Attempt { get; set; }

    /// <summary>The execution budget under any failure mode.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>The client's <c>Idempotency-Key</c>, if one was sent.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>When the job becomes claimable.</summary>
    public DateTimeOffset? AvailableAt { get; set; }

    /// <summary>The worker holding the job's lock.</summary>
    public string? LockedBy { get; set; }

    /// <summary>When the current lock was taken.</summary>
    public DateTimeOffset? LockedAt { get; set; }

    /// <summary>The terminal error of the last attempt.</summary>
    public string? Error { get; set; }

    /// <summary>When the job was accepted.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the job last changed state.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>When the job reached a terminal state.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>Health of agno 3.x's durable queue (<c>GET /queue/stats</c>).</summary>
public sealed class QueueStats
{
    /// <summary>Job counts by status (<see cref="QueueJobStatuses"/>).</summary>
    public Dictionary<string, int> Counts { get; set; } = [];

    /// <summary>The age of the oldest queued job, in seconds (<see langword="null"/> when none is queued).</summary>
    public long? OldestQueuedAgeSeconds { get; set; }

    /// <summary>The age of the oldest queued job.</summary>
    [JsonIgnore]
    public TimeSpan? OldestQueuedAge => OldestQueuedAgeSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
}

/// <summary>Filters, sorting and paging of <c>GET /queue/jobs</c>.</summary>
public sealed class QueueJobQuery
{
    /// <summary>Only jobs in any of these statuses (<see cref="QueueJobStatuses"/>; e.g. failed and cancelled for the requeueable set).</summary>
    public IReadOnlyList<string>? Statuses { get; set; }

    /// <summary>Page size (1 to 1000; the server's default is 20).</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }

    /// <summary>Sort field (<c>created_at</c> by default; <c>updated_at</c>, <c>completed_at</c>, <c>status</c>, <c>attempt</c>, ...).</summary>
    public string? SortBy { get; set; }

    /// <summary>Sort direction.</summary>
    public SortOrder? SortOrder { get; set; }
}
