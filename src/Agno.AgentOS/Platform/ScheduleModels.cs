using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>A schedule: an AgentOS endpoint the server calls on a cron expression (<c>/schedules</c>).</summary>
public sealed class Schedule
{
    /// <summary>The schedule id.</summary>
    public string? Id { get; set; }

    /// <summary>The owner (agno 3.x).</summary>
    public string? UserId { get; set; }

    /// <summary>The name (lower-case letters, digits and dashes).</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The HTTP method called.</summary>
    public string? Method { get; set; }

    /// <summary>The endpoint called (e.g. <c>/agents/echo-agent/runs</c>).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The payload sent.</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>The cron expression.</summary>
    public string? CronExpr { get; set; }

    /// <summary>The time zone of the cron expression.</summary>
    public string? Timezone { get; set; }

    /// <summary>The timeout of one call, in seconds.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>How many times a failed call is retried.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>The delay between retries, in seconds.</summary>
    public int? RetryDelaySeconds { get; set; }

    /// <summary>Whether it is enabled.</summary>
    public bool? Enabled { get; set; }

    /// <summary>When it runs next.</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    /// <summary>What manages it (agno 3.x).</summary>
    public string? ManagedBy { get; set; }

    /// <summary>The target's type (agno 3.x).</summary>
    public string? TargetType { get; set; }

    /// <summary>The target's id (agno 3.x).</summary>
    public string? TargetId { get; set; }

    /// <summary>Why it was disabled (agno 3.x).</summary>
    public string? DisabledReason { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One execution of a schedule (<c>/schedules/{id}/runs</c>, or a trigger's answer).</summary>
public sealed class ScheduleRun
{
    /// <summary>The schedule run id.</summary>
    public string? Id { get; set; }

    /// <summary>The schedule.</summary>
    public string? ScheduleId { get; set; }

    /// <summary>The owner (agno 3.x).</summary>
    public string? UserId { get; set; }

    /// <summary>The attempt number.</summary>
    public int? Attempt { get; set; }

    /// <summary>When it was triggered.</summary>
    public DateTimeOffset? TriggeredAt { get; set; }

    /// <summary>When it completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The status (e.g. <c>success</c>, <c>failed</c>, <c>running</c>).</summary>
    public string? Status { get; set; }

    /// <summary>The HTTP status the endpoint answered.</summary>
    public int? StatusCode { get; set; }

    /// <summary>The run it started.</summary>
    public string? RunId { get; set; }

    /// <summary>The run's session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The error.</summary>
    public string? Error { get; set; }

    /// <summary>The run's input.</summary>
    public JsonObject? Input { get; set; }

    /// <summary>The run's output (content and content type).</summary>
    public JsonObject? Output { get; set; }

    /// <summary>The requirements of a run that paused.</summary>
    public JsonNode? Requirements { get; set; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A new schedule (<c>POST /schedules</c>).</summary>
public sealed class CreateScheduleRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="name">The name (lower-case letters, digits and dashes).</param>
    /// <param name="cronExpr">The cron expression.</param>
    /// <param name="endpoint">The endpoint to call (e.g. <c>/agents/echo-agent/runs</c>).</param>
    public CreateScheduleRequest(string name, string cronExpr, string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(cronExpr);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        Name = name;
        CronExpr = cronExpr;
        Endpoint = endpoint;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The cron expression.</summary>
    public string CronExpr { get; }

    /// <summary>The endpoint to call.</summary>
    public string Endpoint { get; }

    /// <summary>The HTTP method (server default <c>POST</c>).</summary>
    public string? Method { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The payload to send.</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>The time zone (server default UTC).</summary>
    public string? Timezone { get; set; }

    /// <summary>The timeout of one call, in seconds.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>How many times a failed call is retried.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>The delay between retries, in seconds.</summary>
    public int? RetryDelaySeconds { get; set; }
}

/// <summary>Changes to a schedule (<c>PATCH /schedules/{id}</c>): only the fields set are sent.</summary>
public sealed class UpdateScheduleRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; set; }

    /// <summary>A new description.</summary>
    public string? Description { get; set; }

    /// <summary>A new method.</summary>
    public string? Method { get; set; }

    /// <summary>A new endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>A new payload.</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>A new cron expression.</summary>
    public string? CronExpr { get; set; }

    /// <summary>A new time zone.</summary>
    public string? Timezone { get; set; }

    /// <summary>A new timeout, in seconds.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>A new retry count.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>A new retry delay, in seconds.</summary>
    public int? RetryDelaySeconds { get; set; }
}
