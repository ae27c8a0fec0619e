using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The host's log messages (never payloads above Trace, never the security key).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "AgentOS {Kind} '{Id}' run {RunId} failed")]
    public static partial void RunFailed(ILogger logger, Exception exception, string kind, string id, string runId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "AgentOS run {RunId} cancelled (was running: {WasRunning})")]
    public static partial void RunCancelRequested(ILogger logger, string runId, bool wasRunning);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "AgentOS request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "AgentOS workflow '{Id}' run {RunId} failed: {Message}")]
    public static partial void WorkflowFailed(ILogger logger, string id, string runId, string message);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "AgentOS gateway call to remote {Kind} '{Id}' failed")]
    public static partial void RemoteFailed(ILogger logger, Exception exception, string kind, string id);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "AgentOS rejected a request to {Path}: {Reason}")]
    public static partial void Unauthorized(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "AgentOS run {RunId} was not stored: session {SessionId} belongs to another user")]
    public static partial void RunNotStored(ILogger logger, string runId, string sessionId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "AgentOS approval of run {RunId} failed")]
    public static partial void ApprovalFailed(ILogger logger, Exception exception, string runId);
}
