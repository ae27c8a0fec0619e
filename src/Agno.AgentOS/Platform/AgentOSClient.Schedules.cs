using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Schedules (agno's /schedules: AgentOS(scheduler=True) with croniter, and an OS database).
public partial class AgentOSClient
{
    private const string SchedulesFeature = "Schedules";

    /// <summary>Lists schedules, one page (<c>GET /schedules</c>).</summary>
    /// <param name="enabled">Only enabled (true) or disabled (false) ones.</param>
    /// <param name="limit">Page size (server default 100).</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="AgentOSFeatureUnavailableException">The server has no OS database (503).</exception>
    public virtual Task<Page<Schedule>> ListSchedulesAsync(bool? enabled = null, int? limit = null, int? page = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = Paths.WithQuery("schedules", ("enabled", enabled is null ? null : enabled.Value ? "true" : "false"), ("limit", Number(limit)), ("page", Number(page)));
        return FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.PageSchedule, options, cancellationToken));
    }

    /// <summary>Creates a schedule (<c>POST /schedules</c>, 201).</summary>
    /// <param name="request">The schedule.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created schedule.</returns>
    /// <exception cref="AgentOSFeatureUnavailableException">The server lacks <c>croniter</c> (503) or an OS database (503).</exception>
    /// <exception cref="AgentOSServerException">agno answers an invalid name with a 500 (its 422 handler fails on the validator's error).</exception>
    public virtual async Task<Schedule> CreateScheduleAsync(CreateScheduleRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.CreateScheduleRequest);
        return await FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Post, "schedules", content, AgentOSPlatformJsonContext.Default.Schedule, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gets a schedule (<c>GET /schedules/{id}</c>).</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="AgentOSNotFoundException">No such schedule.</exception>
    public virtual Task<Schedule> GetScheduleAsync(string scheduleId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, SchedulePath(scheduleId), null, AgentOSPlatformJsonContext.Default.Schedule, options, cancellationToken));

    /// <summary>Changes a schedule (<c>PATCH /schedules/{id}</c>): only the fields set are sent.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated schedule.</returns>
    public virtual async Task<Schedule> UpdateScheduleAsync(string scheduleId, UpdateScheduleRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = SchedulePath(scheduleId);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.UpdateScheduleRequest);
        return await FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Patch, path, content, AgentOSPlatformJsonContext.Default.Schedule, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes a schedule (<c>DELETE /schedules/{id}</c>, 204).</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    public virtual Task DeleteScheduleAsync(string scheduleId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, SchedulePath(scheduleId), null, options, cancellationToken));

    /// <summary>Enables a schedule (<c>POST /schedules/{id}/enable</c>); the server computes its next run.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="AgentOSFeatureUnavailableException">The server lacks <c>croniter</c> (503).</exception>
    public virtual Task<Schedule> EnableScheduleAsync(string scheduleId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Post, SchedulePath(scheduleId) + "/enable", null, AgentOSPlatformJsonContext.Default.Schedule, options, cancellationToken));

    /// <summary>Disables a schedule (<c>POST /schedules/{id}/disable</c>; the answer holds id, name, enabled and times).</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schedule, as far as the server answers it.</returns>
    public virtual Task<Schedule> DisableScheduleAsync(string scheduleId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Post, SchedulePath(scheduleId) + "/disable", null, AgentOSPlatformJsonContext.Default.Schedule, options, cancellationToken));

    /// <summary>Runs a schedule now (<c>POST /schedules/{id}/trigger</c>): the server calls its endpoint and answers the schedule run.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schedule run (status, the run id, input and output).</returns>
    /// <exception cref="AgentOSConflictException">The schedule is disabled (409).</exception>
    public virtual Task<ScheduleRun> TriggerScheduleAsync(string scheduleId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Post, SchedulePath(scheduleId) + "/trigger", null, AgentOSPlatformJsonContext.Default.ScheduleRun, options, cancellationToken));

    /// <summary>Lists a schedule's runs, one page (<c>GET /schedules/{id}/runs</c>).</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<ScheduleRun>> ListScheduleRunsAsync(string scheduleId, int? limit = null, int? page = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery(SchedulePath(scheduleId) + "/runs", ("limit", Number(limit)), ("page", Number(page))), null, AgentOSPlatformJsonContext.Default.PageScheduleRun, options, cancellationToken));

    /// <summary>Gets one run of a schedule (<c>GET /schedules/{id}/runs/{runId}</c>).</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="scheduleRunId">The schedule run id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schedule run.</returns>
    public virtual Task<ScheduleRun> GetScheduleRunAsync(string scheduleId, string scheduleRunId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(SchedulesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, SchedulePath(scheduleId) + "/runs/" + Paths.Segment(scheduleRunId, nameof(scheduleRunId)), null, AgentOSPlatformJsonContext.Default.ScheduleRun, options, cancellationToken));

    private static string SchedulePath(string scheduleId) => "schedules/" + Paths.Segment(scheduleId, nameof(scheduleId));
}
