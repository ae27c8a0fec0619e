using System.Text.Json;

namespace Agno.AgentOS;

/// <summary>
/// A session's history on an agno-go server (<c>GET /api/v1/sessions/{id}/history</c>): the messages of its runs and
/// the runs. agno-go's agents keep one memory for all their runs, so the messages of each run repeat the earlier ones
/// and may include runs of other sessions of the same agent.
/// </summary>
public sealed class AgnoGoSessionHistory
{
    /// <summary>The session id.</summary>
    public string? SessionId { get; set; }

    /// <summary>The messages, run by run (the last <c>numMessages</c> when asked).</summary>
    public List<RunMessage> Messages { get; set; } = [];

    /// <summary>The session's runs: id, status, start time (<see cref="RunRecord.CreatedAt"/>) and <c>completed_at</c>.</summary>
    public List<RunRecord> Runs { get; set; } = [];

    /// <summary>The session's summary, when one was generated.</summary>
    public JsonElement? Summary { get; set; }
}
