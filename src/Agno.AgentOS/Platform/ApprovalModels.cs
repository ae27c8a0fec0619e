using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>The statuses agno gives an approval (<c>status</c>; an open set: a newer server may add more).</summary>
public static class ApprovalStatuses
{
    /// <summary>Waiting for an admin.</summary>
    public const string Pending = "pending";

    /// <summary>Approved: continue the run and the tool runs.</summary>
    public const string Approved = "approved";

    /// <summary>Rejected: continue the run and the tool is not run.</summary>
    public const string Rejected = "rejected";

    /// <summary>Expired before anyone resolved it.</summary>
    public const string Expired = "expired";

    /// <summary>Cancelled (its run was cancelled).</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A central approval (<c>GET /approvals</c>): created when a run pauses at a tool declared with agno's
/// <c>@approval</c> (<see cref="ApprovalType"/> <c>required</c>: an admin must resolve it before the run can go on), or
/// recorded after the fact for <c>@approval(type="audit")</c>.
/// </summary>
public sealed class Approval
{
    /// <summary>The approval id.</summary>
    public string? Id { get; set; }

    /// <summary>The paused run.</summary>
    public string? RunId { get; set; }

    /// <summary>The run's session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The status (<see cref="ApprovalStatuses"/>).</summary>
    public string? Status { get; set; }

    /// <summary><c>agent</c>, <c>team</c> or <c>workflow</c>: what paused.</summary>
    public string? SourceType { get; set; }

    /// <summary><c>required</c> (an admin resolves it) or <c>audit</c> (a record of a confirmation).</summary>
    public string? ApprovalType { get; set; }

    /// <summary>The kind of pause (e.g. <c>confirmation</c>).</summary>
    public string? PauseType { get; set; }

    /// <summary>The tool waiting for the approval.</summary>
    public string? ToolName { get; set; }

    /// <summary>The tool's arguments.</summary>
    public JsonObject? ToolArgs { get; set; }

    /// <summary>When it expires, if it does.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The agent that paused.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team that paused.</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow that paused.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>The run's user.</summary>
    public string? UserId { get; set; }

    /// <summary>The schedule whose run paused, if any.</summary>
    public string? ScheduleId { get; set; }

    /// <summary>The schedule run that paused, if any.</summary>
    public string? ScheduleRunId { get; set; }

    /// <summary>The name of the agent, team or workflow.</summary>
    public string? SourceName { get; set; }

    /// <summary>The paused run's requirements (the tool executions waiting).</summary>
    public List<RunRequirement>? Requirements { get; set; }

    /// <summary>Context agno stores with the approval (e.g. <c>tool_names</c>).</summary>
    public JsonObject? Context { get; set; }

    /// <summary>What the resolver attached.</summary>
    public JsonObject? ResolutionData { get; set; }

    /// <summary>Who resolved it (with JWT authorization: the resolver's subject).</summary>
    public string? ResolvedBy { get; set; }

    /// <summary>When it was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>When it was created (when the run paused).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>The status of the run (e.g. <c>PAUSED</c>, <c>COMPLETED</c>).</summary>
    public string? RunStatus { get; set; }

    /// <summary>Whether an admin still has to resolve it.</summary>
    [JsonIgnore]
    public bool IsPending => string.Equals(Status, ApprovalStatuses.Pending, StringComparison.OrdinalIgnoreCase);

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The short status of an approval (<c>GET /approvals/{id}/status</c>).</summary>
public sealed class ApprovalStatusInfo
{
    /// <summary>The approval id.</summary>
    public string? ApprovalId { get; set; }

    /// <summary>The status (<see cref="ApprovalStatuses"/>).</summary>
    public string? Status { get; set; }

    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>When it was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Who resolved it.</summary>
    public string? ResolvedBy { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Filters and paging of <c>GET /approvals</c> (every filter agno has).</summary>
public sealed class ApprovalQuery
{
    /// <summary>Only approvals with this status (<see cref="ApprovalStatuses"/>).</summary>
    public string? Status { get; set; }

    /// <summary>Only approvals of this source type (<c>agent</c>, <c>team</c>, <c>workflow</c>).</summary>
    public string? SourceType { get; set; }

    /// <summary>Only approvals of this type (<c>required</c>, <c>audit</c>).</summary>
    public string? ApprovalType { get; set; }

    /// <summary>Only approvals of this pause type (e.g. <c>confirmation</c>).</summary>
    public string? PauseType { get; set; }

    /// <summary>Only approvals of this agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only approvals of this team.</summary>
    public string? TeamId { get; set; }

    /// <summary>Only approvals of this workflow.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>Only approvals of this user (ignored for a non-admin under user isolation: the token's subject wins).</summary>
    public string? UserId { get; set; }

    /// <summary>Only approvals of this schedule.</summary>
    public string? ScheduleId { get; set; }

    /// <summary>Only approvals of this run.</summary>
    public string? RunId { get; set; }

    /// <summary>Page size (server default 100, at most 1000).</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }
}

/// <summary>The resolution of an approval (<c>POST /approvals/{id}/resolve</c>).</summary>
public sealed class ApprovalResolution
{
    /// <summary>Creates a resolution with a status as sent (<see cref="Approve"/> and <see cref="Reject"/> are the usual ones).</summary>
    /// <param name="status"><c>approved</c> or <c>rejected</c>.</param>
    public ApprovalResolution(string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        Status = status;
    }

    /// <summary>Approves: the tool runs when the run is continued.</summary>
    /// <param name="resolvedBy">Who approves (a server with JWT authorization records the token's subject instead).</param>
    /// <param name="resolutionData">Data to attach.</param>
    /// <returns>The resolution.</returns>
    public static ApprovalResolution Approve(string? resolvedBy = null, JsonObject? resolutionData = null)
        => new(ApprovalStatuses.Approved) { ResolvedBy = resolvedBy, ResolutionData = resolutionData };

    /// <summary>Rejects: the tool is not run (its result says the call was rejected) when the run is continued.</summary>
    /// <param name="resolvedBy">Who rejects.</param>
    /// <param name="resolutionData">Data to attach.</param>
    /// <returns>The resolution.</returns>
    public static ApprovalResolution Reject(string? resolvedBy = null, JsonObject? resolutionData = null)
        => new(ApprovalStatuses.Rejected) { ResolvedBy = resolvedBy, ResolutionData = resolutionData };

    /// <summary><c>approved</c> or <c>rejected</c>.</summary>
    public string Status { get; }

    /// <summary>Who resolves it.</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>Data to attach (e.g. a note).</summary>
    public JsonObject? ResolutionData { get; init; }
}

/// <summary>The count of pending approvals (<c>GET /approvals/count</c>).</summary>
internal sealed class ApprovalCount
{
    public int Count { get; set; }
}

/// <summary>The body of a resolve.</summary>
internal sealed class ApprovalResolutionBody
{
    public string? Status { get; set; }

    public string? ResolvedBy { get; set; }

    public JsonObject? ResolutionData { get; set; }
}
