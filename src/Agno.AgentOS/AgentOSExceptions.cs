using System.Net;
using System.Text.Json;

namespace Agno.AgentOS;

/// <summary>
/// The base of every error this library raises for an AgentOS call: an HTTP error answer, a server that
/// cannot be reached, a run that failed, or a response that breaks the protocol. Catch the subclasses to
/// handle one case. <see cref="OperationCanceledException"/> from the caller's own token is never wrapped.
/// </summary>
public class AgentOSException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public AgentOSException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public AgentOSException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception.</summary>
    public AgentOSException()
    {
    }

    /// <summary>
    /// How long the server asked the caller to wait before trying again (its <c>Retry-After</c> header, as a delay or
    /// a date), on a 429, 503 or any other answer that carried one.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The server's <c>detail</c> as text (for a 422, the messages of its list joined).</summary>
    public string? Detail { get; init; }

    /// <summary>The server's <c>detail</c> as sent (a string, or the 422 list), when the body was JSON.</summary>
    public JsonElement? DetailJson { get; init; }

    /// <summary>The HTTP method of the request.</summary>
    public string? Method { get; init; }

    /// <summary>The path of the request (without the query string).</summary>
    public string? RequestPath { get; init; }

    /// <summary>The start of the response body (bounded), for bodies that are not AgentOS JSON.</summary>
    public string? ResponseBodyExcerpt { get; init; }

    /// <summary>
    /// The error id the server gave: <c>error_id</c> next to <c>detail</c> in an error answer (agno 3.x, for
    /// agno's own errors), or of a failed run's error event.
    /// </summary>
    public string? ErrorId { get => _errorId; init => _errorId = value; }

    /// <summary>
    /// The error type the server gave (e.g. <c>model_provider_error</c>, <c>migration_required_error</c>):
    /// <c>error_type</c> next to <c>detail</c> in an error answer (agno 3.x), or of a failed run's error event.
    /// </summary>
    public string? ErrorType { get => _errorType; init => _errorType = value; }

    private string? _errorId;
    private string? _errorType;

    /// <summary>Sets <see cref="ErrorId"/> and <see cref="ErrorType"/> from an error body read after the exception was made.</summary>
    internal void SetErrorIdentity(string? errorId, string? errorType)
    {
        _errorId = errorId;
        _errorType = errorType;
    }
}

/// <summary>The server cannot be reached: connection refused, DNS failure, or a timeout (agno's <c>RemoteServerUnavailableError</c>).</summary>
public class AgentOSServerUnavailableException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSServerUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSServerUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSServerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>The base address of the server.</summary>
    public Uri? BaseAddress { get; init; }
}

/// <summary>A timeout fired: the overall request timeout, or the idle timeout between stream events.</summary>
public sealed class AgentOSTimeoutException : AgentOSServerUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSTimeoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>The timeout that fired.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>For a stream that went silent: the run id, when an event carried it.</summary>
    public string? RunId { get; init; }

    /// <summary>For a stream that went silent: the session id, when an event carried it.</summary>
    public string? SessionId { get; init; }

    /// <summary>For a background stream that went silent: the index of the last event received, to resume from.</summary>
    public int? LastEventIndex { get; init; }
}

/// <summary>401: no token, or a wrong one.</summary>
public sealed class AgentOSAuthenticationException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSAuthenticationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// 403: the token lacks a scope (<see cref="AgentOSMissingScopeException"/>, when the server names it), the run waits
/// for an admin approval (<see cref="AgentOSAdminApprovalRequiredException"/>), or access is denied otherwise.
/// </summary>
public class AgentOSPermissionException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSPermissionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSPermissionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSPermissionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>404: no such agent, team, workflow, run, session or memory.</summary>
public sealed class AgentOSNotFoundException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>409: the run cannot be continued (cancelled, or a finished workflow).</summary>
public sealed class AgentOSConflictException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>400 or 422: the request was rejected. For a 422, <see cref="ValidationErrors"/> lists FastAPI's errors.</summary>
public sealed class AgentOSBadRequestException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSBadRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSBadRequestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSBadRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The validation errors of a 422 (empty for a 400).</summary>
    public IReadOnlyList<AgentOSValidationError> ValidationErrors { get; init; } = [];
}

/// <summary>One entry of a 422 <c>detail</c> list.</summary>
/// <param name="Type">The error type (e.g. <c>missing</c>).</param>
/// <param name="Location">Where (e.g. <c>body.message</c>).</param>
/// <param name="Message">The message.</param>
public sealed record AgentOSValidationError(string? Type, string? Location, string? Message);

/// <summary>
/// 429: the server (or a proxy in front of it) is rate limiting the caller, or agno's durable queue is full. Wait
/// <see cref="AgentOSException.RetryAfter"/> when the server said how long.
/// </summary>
public sealed class AgentOSRateLimitException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSRateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSRateLimitException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSRateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// 5xx: the server failed (e.g. a gateway's 502, or 503 with <see cref="AgentOSException.RetryAfter"/>). A 500 answer
/// to a non-streaming run or continue (agno's <c>Error running workflow: ...</c>) is thrown as
/// <see cref="AgentOSRunFailedException"/> with this exception inside.
/// </summary>
public sealed class AgentOSServerException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSServerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSServerException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSServerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A run failed: a non-streaming answer with status <c>ERROR</c>, a 500 answer to a non-streaming run or continue (what
/// agno answers when a workflow fails; the <see cref="AgentOSServerException"/> is the inner exception), or a
/// <c>RunError</c> / <c>TeamRunError</c> / <c>WorkflowError</c> event of the run itself. Streaming and not, the same
/// failure throws this exception.
/// </summary>
public sealed class AgentOSRunFailedException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSRunFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSRunFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSRunFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failed run's id.</summary>
    public string? RunId { get; init; }

    /// <summary>The failed run's session.</summary>
    public string? SessionId { get; init; }

    /// <summary>The error event (streaming).</summary>
    public RunErrorEvent? ErrorEvent { get; init; }

    /// <summary>The run output with status <c>ERROR</c> (non-streaming).</summary>
    public RunOutput? Output { get; init; }

    /// <summary>
    /// The exception for a run output with status <c>ERROR</c>, as the client throws it for a non-streaming run, and the
    /// adapters for a polled background run: the output's content is the detail.
    /// </summary>
    /// <param name="output">The failed output.</param>
    /// <param name="method">The request's method (<c>POST</c> for a run, <c>GET</c> for a poll).</param>
    /// <param name="requestPath">The request's path, when known.</param>
    /// <param name="runId">The run id when the output has none (e.g. from a continuation token).</param>
    /// <param name="sessionId">The session id when the output has none.</param>
    /// <returns>The exception (not thrown).</returns>
    public static AgentOSRunFailedException FromOutput(RunOutput output, string? method = null, string? requestPath = null, string? runId = null, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new AgentOSRunFailedException($"The run failed: {output.Content ?? "no message"}")
        {
            RunId = output.RunId ?? runId,
            SessionId = output.SessionId ?? sessionId,
            Output = output,
            Detail = output.Content,
            Method = method,
            RequestPath = requestPath,
            StatusCode = System.Net.HttpStatusCode.OK,
        };
    }

    /// <summary>The exception for a run's error event (HTTP stream or WebSocket); the event's ids win over the ones given.</summary>
    internal static AgentOSRunFailedException FromErrorEvent(RunErrorEvent error, string method, string? requestPath, string? runId, string? sessionId) =>
        new($"The run failed: {error.Message ?? "no message"}")
        {
            RunId = error.RunId ?? runId,
            SessionId = error.SessionId ?? sessionId,
            ErrorType = error.ErrorType,
            ErrorId = error.ErrorId,
            ErrorEvent = error,
            Detail = error.Message,
            Method = method,
            RequestPath = requestPath,
        };
}

/// <summary>
/// The server's answer breaks the protocol: malformed JSON, an unexpected content type, or a stream that
/// ended before the run finished (<see cref="AgentOSStreamInterruptedException"/>).
/// </summary>
public class AgentOSProtocolException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSProtocolException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSProtocolException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSProtocolException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A stream ended before the run finished: the connection closed, or the body ended with no completed,
/// paused, cancelled or error event. The events received before are not lost: they were yielded.
/// </summary>
public sealed class AgentOSStreamInterruptedException : AgentOSProtocolException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSStreamInterruptedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSStreamInterruptedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSStreamInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>The run id, when an event carried it.</summary>
    public string? RunId { get; init; }

    /// <summary>The session id, when an event carried it.</summary>
    public string? SessionId { get; init; }

    /// <summary>The index of the last event received from a resumable stream (to resume from), if any.</summary>
    public int? LastEventIndex { get; init; }

    /// <summary>How many events were received before the end.</summary>
    public int EventsReceived { get; init; }
}
