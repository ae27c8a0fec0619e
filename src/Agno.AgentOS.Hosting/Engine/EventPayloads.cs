using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The fields of the events of agent and team runs, after their identity, in agno's order.</summary>
internal static class EventPayloads
{
    /// <summary><c>RunStarted</c>, <c>ModelRequestStarted</c>: the model.</summary>
    public static EventPayload Model(string model, string provider)
        => EventPayload.Of(new ModelPayload(model, provider), HostWireContext.Default.ModelPayload);

    /// <summary><c>ModelRequestCompleted</c>: the model and the call's token counts.</summary>
    public static EventPayload ModelCompleted(ModelCompletedPayload payload)
        => EventPayload.Of(payload, HostWireContext.Default.ModelCompletedPayload);

    /// <summary><c>ToolCallStarted</c>.</summary>
    public static EventPayload ToolStarted(JsonObject tool)
        => EventPayload.Of(new ToolStartedPayload(tool), HostWireContext.Default.ToolStartedPayload);

    /// <summary><c>ToolCallCompleted</c>: a one-line summary and the tool.</summary>
    public static EventPayload ToolCompleted(string summary, JsonObject tool)
        => EventPayload.Of(new ToolCompletedPayload(summary, tool), HostWireContext.Default.ToolCompletedPayload);

    /// <summary><c>RunPaused</c>.</summary>
    public static EventPayload Paused(string content, JsonArray tools, JsonArray requirements)
        => EventPayload.Of(new RunPausedPayload(content, tools, requirements), HostWireContext.Default.RunPausedPayload);

    /// <summary><c>RunCompleted</c> (also after a cancellation).</summary>
    public static EventPayload Completed(RunCompletedPayload payload)
        => EventPayload.Of(payload, HostWireContext.Default.RunCompletedPayload);

    /// <summary><c>RunCancelled</c>.</summary>
    public static EventPayload Cancelled(string content, string reason)
        => EventPayload.Of(new RunCancelledPayload(content, reason), HostWireContext.Default.RunCancelledPayload);

    /// <summary><c>RunError</c>.</summary>
    public static EventPayload Error(string content, string errorType)
        => EventPayload.Of(new RunErrorPayload(content, errorType), HostWireContext.Default.RunErrorPayload);

    /// <summary>The router's own <c>WorkflowError</c>.</summary>
    public static EventPayload WorkflowError(string error)
        => EventPayload.Of(new WorkflowErrorPayload(error), HostWireContext.Default.WorkflowErrorPayload);
}

internal sealed record ModelPayload(string Model, string ModelProvider);

internal sealed record ModelCompletedPayload(string Model, string ModelProvider)
{
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long TotalTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TimeToFirstToken { get; init; }

    public long ReasoningTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }
}

internal sealed record ToolStartedPayload(JsonObject Tool);

internal sealed record ToolCompletedPayload(string Content, JsonObject Tool);

internal sealed record RunPausedPayload(string Content, JsonArray Tools, JsonArray Requirements);

/// <summary>The end of a run: agents carry the session state and metadata, teams the members' runs.</summary>
internal sealed record RunCompletedPayload
{
    public required JsonNode? Content { get; init; }

    public required string ContentType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningContent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? SessionState { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? MemberResponses { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }

    public required RunMetrics Metrics { get; init; }
}

internal sealed record RunCancelledPayload(string Content, string Reason);

internal sealed record RunErrorPayload(string Content, string ErrorType);

internal sealed record WorkflowErrorPayload(string Error);
