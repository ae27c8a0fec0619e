using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>The checkpoints of a run (<c>GET /agents|teams/{id}/runs/{runId}/checkpoints</c>).</summary>
public sealed class RunCheckpointList
{
    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>The run's session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The checkpoints, oldest first.</summary>
    public List<RunCheckpoint> Checkpoints { get; set; } = [];

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// A point of a run's message history a run can be continued (or forked) from: pass <see cref="MessageIndex"/> to
/// <see cref="ContinueRunRequest.FromCheckpoint(string, int, string?, bool)"/>.
/// </summary>
public sealed class RunCheckpoint
{
    /// <summary>The checkpoint id.</summary>
    public string? CheckpointId { get; set; }

    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>The session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The index of the message in the run's history.</summary>
    public int MessageIndex { get; set; }

    /// <summary>The <c>continue_from</c> value that continues from here.</summary>
    public int? ContinueFrom { get; set; }

    /// <summary>The run's status at this point (e.g. <c>COMPLETED</c>).</summary>
    public string? Status { get; set; }

    /// <summary>Why the checkpoint exists (e.g. <c>end</c>, <c>snapshot</c>).</summary>
    public string? Reason { get; set; }

    /// <summary>When it was taken.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The message at this point.</summary>
    public string? MessageId { get; set; }

    /// <summary>The message's role.</summary>
    public string? MessageRole { get; set; }

    /// <summary>The start of the message.</summary>
    public string? MessagePreview { get; set; }

    /// <summary>Whether it is the run's latest checkpoint.</summary>
    public bool IsLatest { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A checkpoint with the run as it was there (truncated to that message).</summary>
/// <typeparam name="TOutput">The run output type (<see cref="AgentRunOutput"/> or <see cref="TeamRunOutput"/>).</typeparam>
public sealed class RunCheckpointSnapshot<TOutput>
    where TOutput : RunOutput
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="snapshot">The run at the checkpoint.</param>
    public RunCheckpointSnapshot(RunCheckpoint checkpoint, TOutput snapshot)
    {
        Checkpoint = checkpoint;
        Snapshot = snapshot;
    }

    /// <summary>The checkpoint.</summary>
    public RunCheckpoint Checkpoint { get; }

    /// <summary>The run as it was at the checkpoint.</summary>
    public TOutput Snapshot { get; }
}

/// <summary>A forked session (<c>POST /agents|teams/{id}/sessions/{sessionId}/fork</c>): a copy with fresh run ids.</summary>
public sealed class SessionFork
{
    /// <summary>The new session's id.</summary>
    public string? SessionId { get; set; }

    /// <summary>The session it was copied from.</summary>
    public string? ForkedFromSessionId { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The wire shape of a checkpoint snapshot; the snapshot is decoded with the run output's own type.</summary>
internal sealed class CheckpointSnapshotBody
{
    public RunCheckpoint? Checkpoint { get; set; }

    public JsonElement Snapshot { get; set; }
}
