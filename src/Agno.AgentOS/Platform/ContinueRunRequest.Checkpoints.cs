using System.Globalization;

namespace Agno.AgentOS;

/// <summary>What a continue request sends: the answers to a pause, nothing after an admin approval, or a checkpoint.</summary>
internal enum ContinueMode
{
    Answers,
    AfterApproval,
    FromCheckpoint,
}

// Continuing after an admin approval, and from a checkpoint (agno's continue_from / fork / regenerate).
public sealed partial class ContinueRunRequest
{
    internal ContinueMode Mode { get; private init; }

    /// <summary>Whether the request continues after a resolved admin approval (it sends no answers).</summary>
    public bool IsAfterApproval => Mode == ContinueMode.AfterApproval;

    /// <summary>Whether the request continues from a checkpoint (it sends no answers).</summary>
    public bool IsFromCheckpoint => Mode == ContinueMode.FromCheckpoint;

    /// <summary>
    /// Continues a run paused for an admin approval once an admin resolved it (<see cref="AgentOSClient.ResolveApprovalAsync"/>):
    /// no answers are sent (an agent's <c>tools</c> is empty, a team sends no <c>requirements</c>), so the server applies
    /// the resolution. While the approval is pending the server answers 403
    /// (<see cref="AgentOSAdminApprovalRequiredException"/>) or, without authorization, 400.
    /// </summary>
    /// <param name="sessionId">The paused run's session.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest AfterApproval(string sessionId) => new(sessionId) { Mode = ContinueMode.AfterApproval };

    /// <summary>
    /// Continues a finished run from a message of its history (<c>continue_from=&lt;index&gt;</c>; see
    /// <see cref="RunCheckpoint.MessageIndex"/>): the server runs again from there, as a sibling run in the same session
    /// (its output's <c>forked_from_run_id</c> names the original).
    /// </summary>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="messageIndex">The message index (from <see cref="AgentOSClient.ListAgentRunCheckpointsAsync"/>).</param>
    /// <param name="input">A new input to continue with, if any.</param>
    /// <param name="fork">Keep the original run and write a new one (<c>fork=true</c>).</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest FromCheckpoint(string sessionId, int messageIndex, string? input = null, bool fork = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageIndex);
        return FromPoint(sessionId, messageIndex.ToString(CultureInfo.InvariantCulture), input, fork);
    }

    /// <summary>Continues a finished run from its last user message (<c>continue_from=last_user</c>), e.g. to answer it again.</summary>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="input">A new input to continue with, if any.</param>
    /// <param name="fork">Keep the original run and write a new one.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest FromLastUserMessage(string sessionId, string? input = null, bool fork = false)
        => FromPoint(sessionId, "last_user", input, fork);

    /// <summary>
    /// Continues a finished run from a point as agno names it: <c>end</c>, <c>last_user</c>, or a message index (the
    /// server answers 400 for anything else).
    /// </summary>
    /// <param name="sessionId">The run's session.</param>
    /// <param name="continueFrom">The point.</param>
    /// <param name="input">A new input, if any.</param>
    /// <param name="fork">Keep the original run and write a new one.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest FromPoint(string sessionId, string continueFrom, string? input = null, bool fork = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(continueFrom);
        var request = new ContinueRunRequest(sessionId) { Mode = ContinueMode.FromCheckpoint };
        request.AdditionalFields["continue_from"] = continueFrom;
        if (fork)
        {
            request.AdditionalFields["fork"] = true;
        }

        if (input is not null)
        {
            request.AdditionalFields["input"] = input;
        }

        return request;
    }

    /// <summary>Runs a finished run's last answer again (<c>regenerate=true</c>).</summary>
    /// <param name="sessionId">The run's session.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest Regenerate(string sessionId)
    {
        var request = new ContinueRunRequest(sessionId) { Mode = ContinueMode.FromCheckpoint };
        request.AdditionalFields["regenerate"] = true;
        return request;
    }
}
