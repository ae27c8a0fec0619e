using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Internal;

/// <summary>
/// Connection hygiene. agno 3.x resets a keep-alive connection after its generic 500 without saying
/// <c>Connection: close</c>, so the next request on that pooled connection would fail. With the client's own
/// handler every connection is a <see cref="TrackedConnectionStream"/>: after a 5xx answer the connection is
/// retired (never handed out again), and a request is sent again only where provably none of its bytes reached
/// a socket, so a run never executes twice. With a caller's <see cref="HttpClient"/> neither applies.
/// </summary>
internal sealed partial class AgentOSPipeline
{
    private readonly bool _tracksConnections;

    /// <summary>Whether the transport is the client's own tracked handler (see the class remarks).</summary>
    internal bool TracksConnections => _tracksConnections;

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, HttpContent? content, bool streaming, AgentOSRequestOptions? requestOptions, string? token)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
    // Pre-formatted values (the same text as the typed headers), so they are not formatted again on every request.
            request.Headers.TryAddWithoutValidation("Accept", streaming ? AcceptSse : AcceptJson);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);

            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (requestOptions is not null)
            {
                foreach (var (name, value) in requestOptions.Headers)
                {
                    if (!request.Headers.TryAddWithoutValidation(name, value))
                    {
                        throw new ArgumentException($"The header '{name}' cannot be set on a request.");
                    }
                }
            }

        return request;
    }

    /// <summary>Whether the failed attempt provably sent nothing: the client's own connection saw no byte of it.</summary>
    private static bool NeverSent(RequestAttempt attempt) => attempt.Tracked && attempt.BytesSent == 0;

    /// <summary>After an error answer: a 5xx (agno 3.x may reset the connection next) retires the connection it came on.</summary>
    private static void RetireAfterError(HttpResponseMessage response, RequestAttempt attempt)
    {
        if ((int)response.StatusCode >= 500)
        {
            attempt.Connection?.Retire();
        }
    }

    /// <summary>For a failure after bytes were sent: says that the request may have reached the server (so it was not sent again).</summary>
    private static string MaySendAgainNote(HttpMethod method, RequestAttempt attempt)
        => attempt.Tracked && attempt.BytesSent > 0 && method != HttpMethod.Get
            ? $" (the request was {(attempt.Reused ? "sent on a reused connection" : "sent")}, so it may have reached the server: it was not sent again)"
            : string.Empty;

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "AgentOS {Method} {Path}: the connection failed before any byte of the request was sent ({Error}); sending it again on a new connection")]
    private static partial void LogResent(ILogger logger, string method, string path, string error);
}
