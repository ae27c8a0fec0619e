using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// The relational layout of an <see cref="AgentOSApproval"/>: one column per field, JSON fields as their text (keys in
/// the order given), times as Unix seconds. The SQLite and PostgreSQL approval stores use it; a store for another SQL
/// database can too (<c>SELECT {Names} ...</c>, then <see cref="Read"/>; <see cref="Values"/> for an <c>INSERT</c>).
/// </summary>
public static class AgentOSApprovalColumns
{
    /// <summary>The column names, comma-separated, in the order of <see cref="Values"/> and <see cref="Read"/>.</summary>
    public const string Names = "id, run_id, session_id, status, source_type, approval_type, pause_type, tool_name, tool_args, expires_at, agent_id, team_id, workflow_id, user_id, schedule_id, schedule_run_id, source_name, requirements, context, resolution_data, resolved_by, resolved_at, created_at, updated_at";

    private static readonly JsonSerializerOptions TextOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The column names one by one (the parts of <see cref="Names"/>).</summary>
    public static IReadOnlyList<string> List { get; } = Names.Split(", ");

    /// <summary>An approval's values in the order of <see cref="Names"/> (null where a field is unset).</summary>
    /// <param name="approval">The approval.</param>
    /// <returns>24 values: strings, longs and JSON text.</returns>
    public static object?[] Values(AgentOSApproval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return
        [
            approval.Id, approval.RunId, approval.SessionId, approval.Status, approval.SourceType, approval.ApprovalType,
            approval.PauseType, approval.ToolName, Text(approval.ToolArgs), approval.ExpiresAt, approval.AgentId, approval.TeamId,
            approval.WorkflowId, approval.UserId, approval.ScheduleId, approval.ScheduleRunId, approval.SourceName,
            Text(approval.Requirements), Text(approval.Context), Text(approval.ResolutionData), approval.ResolvedBy,
            approval.ResolvedAt, approval.CreatedAt, approval.UpdatedAt,
        ];
    }

    /// <summary>A JSON field as the text stored for it (null stays null).</summary>
    /// <param name="node">The field's value.</param>
    /// <returns>The JSON text, non-ASCII characters kept as they are.</returns>
    public static string? Text(JsonNode? node) => node?.ToJsonString(TextOptions);

    /// <summary>Reads the approval of the reader's current row, whose first columns are <see cref="Names"/>.</summary>
    /// <param name="reader">A reader positioned on a row.</param>
    /// <returns>The approval.</returns>
    public static AgentOSApproval Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? Str(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        long? Long(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        JsonNode? Json(int i) => reader.IsDBNull(i) ? null : JsonNode.Parse(reader.GetString(i));
        return new AgentOSApproval
        {
            Id = reader.GetString(0),
            RunId = reader.GetString(1),
            SessionId = reader.GetString(2),
            Status = reader.GetString(3),
            SourceType = reader.GetString(4),
            ApprovalType = reader.GetString(5),
            PauseType = Str(6),
            ToolName = Str(7),
            ToolArgs = Json(8) as JsonObject,
            ExpiresAt = Long(9),
            AgentId = Str(10),
            TeamId = Str(11),
            WorkflowId = Str(12),
            UserId = Str(13),
            ScheduleId = Str(14),
            ScheduleRunId = Str(15),
            SourceName = Str(16),
            Requirements = Json(17) as JsonArray,
            Context = Json(18) as JsonObject,
            ResolutionData = Json(19) as JsonObject,
            ResolvedBy = Str(20),
            ResolvedAt = Long(21),
            CreatedAt = reader.GetInt64(22),
            UpdatedAt = Long(23),
        };
    }
}
