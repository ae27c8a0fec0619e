using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// An approval as agno answers it (<c>ApprovalResponse</c> of <c>agno/os/routers/approvals/schema.py</c>): the stored
/// record in agno's field order (times in Unix seconds, every field written, null included) and the run's current
/// status. The core's <see cref="Approval"/> reads this shape; it cannot write it (it keeps times as
/// <see cref="DateTimeOffset"/> and requirements as the core's model, which writes fields agno leaves out).
/// </summary>
internal sealed record ApprovalBody(
    string Id,
    string RunId,
    string SessionId,
    string Status,
    string SourceType,
    string ApprovalType,
    string? PauseType,
    string? ToolName,
    JsonObject? ToolArgs,
    long? ExpiresAt,
    string? AgentId,
    string? TeamId,
    string? WorkflowId,
    string? UserId,
    string? ScheduleId,
    string? ScheduleRunId,
    string? SourceName,
    JsonArray? Requirements,
    JsonObject? Context,
    JsonObject? ResolutionData,
    string? ResolvedBy,
    long? ResolvedAt,
    long CreatedAt,
    long? UpdatedAt,
    string? RunStatus)
{
    /// <summary>The record with the status of its run (copies of its JSON parts: the body owns what it writes).</summary>
    public static ApprovalBody From(AgentOSApproval a, string? runStatus) => new(
        a.Id, a.RunId, a.SessionId, a.Status, a.SourceType, a.ApprovalType, a.PauseType, a.ToolName,
        (JsonObject?)a.ToolArgs?.DeepClone(), a.ExpiresAt, a.AgentId, a.TeamId, a.WorkflowId, a.UserId, a.ScheduleId,
        a.ScheduleRunId, a.SourceName, (JsonArray?)a.Requirements?.DeepClone(), (JsonObject?)a.Context?.DeepClone(),
        (JsonObject?)a.ResolutionData?.DeepClone(), a.ResolvedBy, a.ResolvedAt, a.CreatedAt, a.UpdatedAt, runStatus);
}

/// <summary>The short status of an approval (<c>GET /approvals/{id}/status</c>).</summary>
internal sealed record ApprovalStatusBody(string ApprovalId, string Status, string RunId, long? ResolvedAt, string? ResolvedBy);

/// <summary>The count of pending approvals (<c>GET /approvals/count</c>).</summary>
internal sealed record ApprovalCountBody(int Count);

/// <summary>The body of <c>POST /approvals/{id}/resolve</c> (read after its fields' types were checked).</summary>
internal sealed record ApprovalResolveBody(string? Status, string? ResolvedBy, JsonObject? ResolutionData);

/// <summary>The <c>context</c> agno stores with an approval: the tools it covers and the component's name.</summary>
internal sealed record ApprovalContextBody(List<string?> ToolNames, string? SourceName);
