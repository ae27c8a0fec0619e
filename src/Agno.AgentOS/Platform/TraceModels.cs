using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>Filters and paging of <c>GET /traces</c>.</summary>
public sealed class TraceQuery
{
    /// <summary>Only traces of this run.</summary>
    public string? RunId { get; set; }

    /// <summary>Only traces of this session.</summary>
    public string? SessionId { get; set; }

    /// <summary>Only traces of this user.</summary>
    public string? UserId { get; set; }

    /// <summary>Only traces of this agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only traces of this team.</summary>
    public string? TeamId { get; set; }

    /// <summary>Only traces of this workflow.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>Only traces with this status (<c>OK</c>, <c>ERROR</c>).</summary>
    public string? Status { get; set; }

    /// <summary>Only traces started at or after this time.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Only traces ended at or before this time.</summary>
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }

    /// <summary>Page size (server default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>The database to read.</summary>
    public DatabaseSelector? Database { get; set; }
}

/// <summary>A trace as listed (<c>GET /traces</c>, <c>POST /traces/search</c> grouped by run).</summary>
public class TraceSummary
{
    /// <summary>The trace id.</summary>
    public string? TraceId { get; set; }

    /// <summary>The name (usually the root span's).</summary>
    public string? Name { get; set; }

    /// <summary><c>OK</c>, <c>ERROR</c> or <c>UNSET</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The duration as agno formats it (e.g. <c>123ms</c>, <c>1.50s</c>).</summary>
    public string? Duration { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>How many spans it has.</summary>
    public int? TotalSpans { get; set; }

    /// <summary>How many spans failed.</summary>
    public int? ErrorCount { get; set; }

    /// <summary>The input of the run.</summary>
    public string? Input { get; set; }

    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>The session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team.</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A trace with its span tree (<c>GET /traces/{id}</c>).</summary>
public sealed class TraceDetail : TraceSummary
{
    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>The output of the run.</summary>
    public string? Output { get; set; }

    /// <summary>The error, when the status is <c>ERROR</c>.</summary>
    public string? Error { get; set; }

    /// <summary>The root spans, each with its children.</summary>
    public List<TraceSpan> Tree { get; set; } = [];
}

/// <summary>A span of a trace's tree (also <c>GET /traces/{id}?span_id=</c>).</summary>
public sealed class TraceSpan
{
    /// <summary>The span id.</summary>
    public string? Id { get; set; }

    /// <summary>The name (e.g. <c>agent.run</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The kind (<c>AGENT</c>, <c>LLM</c>, <c>TOOL</c>, ...).</summary>
    public string? Type { get; set; }

    /// <summary>The duration as agno formats it.</summary>
    public string? Duration { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTime { get; set; }

    /// <summary><c>OK</c> or <c>ERROR</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Its input.</summary>
    public string? Input { get; set; }

    /// <summary>Its output.</summary>
    public string? Output { get; set; }

    /// <summary>Its error.</summary>
    public string? Error { get; set; }

    /// <summary>The child spans.</summary>
    public List<TraceSpan>? Spans { get; set; }

    /// <summary>Key attributes (model, tokens, tool name, ...).</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Custom attributes.</summary>
    public JsonObject? ExtraData { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Trace statistics of a session (<c>GET /trace_session_stats</c>, search grouped by session).</summary>
public sealed class TraceSessionStats
{
    /// <summary>The session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team.</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>How many traces the session has.</summary>
    public int TotalTraces { get; set; }

    /// <summary>The first trace's time.</summary>
    public DateTimeOffset? FirstTraceAt { get; set; }

    /// <summary>The last trace's time.</summary>
    public DateTimeOffset? LastTraceAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>What <c>POST /traces/search</c> can filter on (<c>GET /traces/filter-schema</c>).</summary>
public sealed class TraceFilterSchema
{
    /// <summary>The fields.</summary>
    public List<TraceFilterField> Fields { get; set; } = [];

    /// <summary>The logical operators (<c>AND</c>, <c>OR</c>).</summary>
    public List<string>? LogicalOperators { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A field traces can be filtered on.</summary>
public sealed class TraceFilterField
{
    /// <summary>The key to use in a <see cref="TraceFilter"/>.</summary>
    public string? Key { get; set; }

    /// <summary>A label for display.</summary>
    public string? Label { get; set; }

    /// <summary><c>string</c>, <c>enum</c>, <c>number</c>, <c>datetime</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The operators allowed on it (<c>EQ</c>, <c>CONTAINS</c>, <c>GT</c>, ...).</summary>
    public List<string> Operators { get; set; } = [];

    /// <summary>The values of an enum field.</summary>
    public List<string>? Values { get; set; }
}

/// <summary>
/// A filter expression of <c>POST /traces/search</c>: a comparison (<see cref="Eq"/>, <see cref="Contains"/>,
/// <see cref="Compare"/>) or a combination (<see cref="And"/>, <see cref="Or"/>).
/// </summary>
public sealed class TraceFilter
{
    /// <summary>The operator (<c>EQ</c>, <c>NEQ</c>, <c>CONTAINS</c>, <c>STARTSWITH</c>, <c>IN</c>, <c>GT</c>, ..., <c>AND</c>, <c>OR</c>).</summary>
    public string? Op { get; set; }

    /// <summary>The field of a comparison (see <see cref="TraceFilterSchema"/>).</summary>
    public string? Key { get; set; }

    /// <summary>The value of a comparison.</summary>
    public JsonNode? Value { get; set; }

    /// <summary>The parts of an <c>AND</c> / <c>OR</c>.</summary>
    public List<TraceFilter>? Conditions { get; set; }

    /// <summary>A comparison with any operator.</summary>
    /// <param name="op">The operator.</param>
    /// <param name="key">The field.</param>
    /// <param name="value">The value.</param>
    /// <returns>The filter.</returns>
    public static TraceFilter Compare(string op, string key, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(op);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return new TraceFilter { Op = op, Key = key, Value = value };
    }

    /// <summary><paramref name="key"/> equals <paramref name="value"/>.</summary>
    /// <param name="key">The field.</param>
    /// <param name="value">The value.</param>
    /// <returns>The filter.</returns>
    public static TraceFilter Eq(string key, string value) => Compare("EQ", key, value);

    /// <summary><paramref name="key"/> contains <paramref name="value"/>.</summary>
    /// <param name="key">The field.</param>
    /// <param name="value">The value.</param>
    /// <returns>The filter.</returns>
    public static TraceFilter Contains(string key, string value) => Compare("CONTAINS", key, value);

    /// <summary>All conditions hold.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The filter.</returns>
    public static TraceFilter And(params TraceFilter[] conditions) => new() { Op = "AND", Conditions = [.. conditions] };

    /// <summary>Any condition holds.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The filter.</returns>
    public static TraceFilter Or(params TraceFilter[] conditions) => new() { Op = "OR", Conditions = [.. conditions] };
}

/// <summary>A trace search (<c>POST /traces/search</c>).</summary>
public sealed class TraceSearchRequest
{
    /// <summary>The filter (none: every trace).</summary>
    public TraceFilter? Filter { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }

    /// <summary>Page size (server default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>Send <c>group_by: run</c> explicitly (the server's default when absent).</summary>
    public bool GroupByRun { get; set; }
}

internal sealed class TraceSearchBody
{
    public TraceFilter? Filter { get; set; }

    public string? GroupBy { get; set; }

    public int? Page { get; set; }

    public int? Limit { get; set; }
}
