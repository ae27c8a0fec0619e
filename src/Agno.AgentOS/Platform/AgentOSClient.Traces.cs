using System.Globalization;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Traces (agno's /traces, /trace_session_stats): needs AgentOS(tracing=True) and OpenTelemetry on the server.
public partial class AgentOSClient
{
    private const string TracesFeature = "Traces";

    /// <summary>
    /// Lists traces, one page (<c>GET /traces</c>). A server with tracing off, or without OpenTelemetry installed, answers
    /// an empty page.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<TraceSummary>> ListTracesAsync(TraceQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new TraceQuery();
        string path = Paths.WithQuery("traces",
            ("run_id", query.RunId), ("session_id", query.SessionId), ("user_id", query.UserId), ("agent_id", query.AgentId),
            ("team_id", query.TeamId), ("workflow_id", query.WorkflowId), ("status", query.Status),
            ("start_time", Iso(query.StartTime)), ("end_time", Iso(query.EndTime)),
            ("page", Number(query.Page)), ("limit", Number(query.Limit)), ("db_id", query.Database?.DbId), ("table", query.Database?.Table));
        return FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.PageTraceSummary, options, cancellationToken));
    }

    /// <summary>What traces can be searched on (<c>GET /traces/filter-schema</c>).</summary>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The fields and operators.</returns>
    public virtual Task<TraceFilterSchema> GetTraceFilterSchemaAsync(AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, "traces/filter-schema", null, AgentOSPlatformJsonContext.Default.TraceFilterSchema, options, cancellationToken));

    /// <summary>Gets a trace with its span tree (<c>GET /traces/{id}</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="AgentOSNotFoundException">No such trace (agno 2.9 without OpenTelemetry answers this for every trace).</exception>
    public virtual Task<TraceDetail> GetTraceAsync(string traceId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery(TracePath(traceId), ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSPlatformJsonContext.Default.TraceDetail, options, cancellationToken));

    /// <summary>Gets one span of a trace (<c>GET /traces/{id}?span_id=</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="spanId">The span id.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The span with its children.</returns>
    public virtual Task<TraceSpan> GetTraceSpanAsync(string traceId, string spanId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spanId);
        string path = Paths.WithQuery(TracePath(traceId), ("span_id", spanId), ("db_id", database?.DbId), ("table", database?.Table));
        return FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.TraceSpan, options, cancellationToken));
    }

    /// <summary>Trace statistics per session, one page (<c>GET /trace_session_stats</c>).</summary>
    /// <param name="query">Filters (user, agent, team, workflow, time range) and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<TraceSessionStats>> GetTraceSessionStatsAsync(TraceQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new TraceQuery();
        string path = Paths.WithQuery("trace_session_stats",
            ("user_id", query.UserId), ("agent_id", query.AgentId), ("team_id", query.TeamId), ("workflow_id", query.WorkflowId),
            ("start_time", Iso(query.StartTime)), ("end_time", Iso(query.EndTime)),
            ("page", Number(query.Page)), ("limit", Number(query.Limit)), ("db_id", query.Database?.DbId), ("table", query.Database?.Table));
        return FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.PageTraceSessionStats, options, cancellationToken));
    }

    /// <summary>Searches traces with a filter expression, one trace per item (<c>POST /traces/search</c>, grouped by run).</summary>
    /// <param name="request">The filter and paging (none: every trace).</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="AgentOSBadRequestException">The filter is invalid (e.g. an unknown operator).</exception>
    public virtual async Task<Page<TraceSummary>> SearchTracesAsync(TraceSearchRequest? request = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        request ??= new TraceSearchRequest();
        using var content = JsonOf(new TraceSearchBody { Filter = request.Filter, GroupBy = request.GroupByRun ? "run" : null, Page = request.Page, Limit = request.Limit }, AgentOSPlatformJsonContext.Default.TraceSearchBody);
        return await FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Post, "traces/search", content, AgentOSPlatformJsonContext.Default.PageTraceSummary, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Searches traces with a filter expression, grouped by session (<c>POST /traces/search</c>, <c>group_by: session</c>).</summary>
    /// <param name="request">The filter and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page of session statistics.</returns>
    public virtual async Task<Page<TraceSessionStats>> SearchTraceSessionsAsync(TraceSearchRequest? request = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        request ??= new TraceSearchRequest();
        using var content = JsonOf(new TraceSearchBody { Filter = request.Filter, GroupBy = "session", Page = request.Page, Limit = request.Limit }, AgentOSPlatformJsonContext.Default.TraceSearchBody);
        return await FeatureAsync(TracesFeature, Pipeline.SendJsonAsync(HttpMethod.Post, "traces/search", content, AgentOSPlatformJsonContext.Default.PageTraceSessionStats, options, cancellationToken)).ConfigureAwait(false);
    }

    private static string TracePath(string traceId) => "traces/" + Paths.Segment(traceId, nameof(traceId));

    private static string? Iso(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
