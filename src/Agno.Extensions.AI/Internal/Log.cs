using Microsoft.Extensions.Logging;

namespace Agno.Extensions.AI.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Asking AgentOS to cancel {Kind} run {RunId} after the caller cancelled.")]
    public static partial void CancellingRun(ILogger logger, string kind, string runId);

    [LoggerMessage(2, LogLevel.Warning, "AgentOS did not accept the cancellation of {Kind} run {RunId}; the run may go on on the server.")]
    public static partial void CancelFailed(ILogger logger, string kind, string runId, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "Paused {Kind} run {RunId} is not known to this client; fetching it from the server to continue it.")]
    public static partial void FetchingPausedRun(ILogger logger, string kind, string runId);

    [LoggerMessage(4, LogLevel.Warning, "The '{Tool}' tool takes no session id (IncludeSessionId is false): its session_id argument is ignored and the run starts a new session.")]
    public static partial void SessionIdIgnored(ILogger logger, string tool);
}
