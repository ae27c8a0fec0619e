using System.Runtime.CompilerServices;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// Where the host keeps the events of background runs (<c>background=true</c> streams), so that
/// <c>POST .../runs/{run_id}/resume</c> can replay them (the run finished), catch up and follow the live ones (the run
/// goes on), on this instance or on another one sharing the store. Events carry their <c>event_index</c>, from 0.
/// </summary>
/// <remarks>
/// <para>The host opens a stream when a background stream starts (<see cref="OpenAsync"/>), appends every event in
/// index order (<see cref="AppendAsync"/>), and closes it with the run's final status (<see cref="FinishAsync"/>).
/// Readers take what follows an index (<see cref="ReadAsync"/>) and wait for more (<see cref="WaitForEventsAsync"/>);
/// <see cref="AgentOSRunEventStoreExtensions.FollowAsync"/> combines both.</para>
/// <para>Retention is bounded: a store keeps at most its configured number of events per run (the oldest are dropped
/// first) and the host removes, with <see cref="PurgeAsync"/>, every stream idle (no append, no finish) for
/// <see cref="AgentOSHostOptions.RunEventRetention"/>.</para>
/// </remarks>
public interface IAgentOSRunEventStore
{
    /// <summary>Starts the event stream of a run (replacing an earlier stream of the same run id).</summary>
    /// <param name="stream">The run's identity; <see cref="AgentOSRunEventStream.Status"/> is ignored (a new stream runs).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the stream is stored.</returns>
    ValueTask OpenAsync(AgentOSRunEventStream stream, CancellationToken cancellationToken = default);

    /// <summary>Appends an event to a run's stream; indexes grow (they need not be contiguous).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="runEvent">The event with its index.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the event is stored and readers waiting for it are woken.</returns>
    ValueTask AppendAsync(string runId, AgentOSRunEvent runEvent, CancellationToken cancellationToken = default);

    /// <summary>Marks a run's stream finished with the run's final status; readers waiting on it are woken.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status">The final status (<c>COMPLETED</c>, <c>PAUSED</c>, <c>CANCELLED</c>, <c>ERROR</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the status is stored.</returns>
    ValueTask FinishAsync(string runId, string status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a run's stream: its identity and status, then the events whose index is above
    /// <paramref name="afterIndex"/>. The status is read before the events, so a finished stream's events are complete.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="afterIndex">The last index the reader has (-1 for everything).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stream and the events, or null when the store has no stream of that run (never kept, or expired).</returns>
    ValueTask<AgentOSRunEventSlice?> ReadAsync(string runId, int afterIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the run's stream holds an event above <paramref name="afterIndex"/>, is finished, or is gone; at once
    /// when that is already so. Appends of any instance sharing the store wake it.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="afterIndex">The last index the reader has.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes on news.</returns>
    ValueTask WaitForEventsAsync(string runId, int afterIndex, CancellationToken cancellationToken = default);

    /// <summary>Removes every stream whose last append or finish is older than <paramref name="idleSince"/>.</summary>
    /// <param name="idleSince">The cutoff.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many streams were removed.</returns>
    ValueTask<int> PurgeAsync(DateTimeOffset idleSince, CancellationToken cancellationToken = default);
}

/// <summary>One event of a background run as sent on the wire.</summary>
/// <param name="Index">Its <c>event_index</c>.</param>
/// <param name="Name">The event name (the SSE <c>event:</c> line).</param>
/// <param name="Data">The event's JSON (the SSE <c>data:</c> line, <c>event_index</c> and <c>run_id</c> included).</param>
public sealed record AgentOSRunEvent(int Index, string Name, string Data);

/// <summary>The identity and state of a background run's event stream.</summary>
public sealed record AgentOSRunEventStream
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The user the run belongs to, if any (another user's resume finds nothing).</summary>
    public string? UserId { get; init; }

    /// <summary>The component's kind: <c>agent</c>, <c>team</c> or <c>workflow</c>.</summary>
    public required string ComponentKind { get; init; }

    /// <summary>The component id.</summary>
    public required string ComponentId { get; init; }

    /// <summary>The final status once the run has finished; null while it runs.</summary>
    public string? Status { get; init; }

    /// <summary>When the stream last changed (an append, the finish, the start).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether the run has finished.</summary>
    public bool IsFinished => Status is not null;
}

/// <summary>What <see cref="IAgentOSRunEventStore.ReadAsync"/> found.</summary>
/// <param name="Stream">The stream (its status read before the events).</param>
/// <param name="Events">The events above the requested index, in index order.</param>
/// <param name="TotalEvents">How many events the store keeps for the run.</param>
/// <param name="LastIndex">The highest index stored (-1 when none).</param>
public sealed record AgentOSRunEventSlice(AgentOSRunEventStream Stream, IReadOnlyList<AgentOSRunEvent> Events, int TotalEvents, int LastIndex);

/// <summary>Reading helpers over <see cref="IAgentOSRunEventStore"/>.</summary>
public static class AgentOSRunEventStoreExtensions
{
    /// <summary>
    /// The events of a run above <paramref name="afterIndex"/>: the stored ones, then the live ones as they are appended,
    /// until the run finishes (or its stream disappears). No event is yielded twice, none is skipped.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="afterIndex">The last index the reader has (-1 for everything).</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>The events.</returns>
    public static async IAsyncEnumerable<AgentOSRunEvent> FollowAsync(this IAgentOSRunEventStore store, string runId, int afterIndex, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        int last = afterIndex;
        while (true)
        {
            var slice = await store.ReadAsync(runId, last, cancellationToken).ConfigureAwait(false);
            if (slice is null)
            {
                yield break;
            }

            foreach (var e in slice.Events)
            {
                last = e.Index;
                yield return e;
            }

            if (slice.Stream.IsFinished)
            {
                yield break;
            }

            await store.WaitForEventsAsync(runId, last, cancellationToken).ConfigureAwait(false);
        }
    }
}
