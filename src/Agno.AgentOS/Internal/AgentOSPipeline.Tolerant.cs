using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Internal;

internal sealed partial class AgentOSPipeline
{
    /// <summary>
    /// After the strict decode of a buffered answer failed: decodes it again without the fields whose shape
    /// changed (see <see cref="TolerantJson"/>), logging each one. Returns the decoded value, or the error to
    /// report (a broken document, the wrong root, or a relied-on field of the wrong shape).
    /// </summary>
    private (T? Value, Exception? Error) RecoverBody<T>(ReadOnlySpan<byte> body, HttpMethod method, string path, JsonTypeInfo<T> typeInfo, JsonException failure)
    {
        try
        {
            var value = TolerantJson.Recover(body, typeInfo, failure, skipped => LogSkippedField(_logger, method.Method, path, skipped.Path, skipped.Found, skipped.Error));
            return (value, null);
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return (default, ex);
        }
    }

    /// <summary>The <c>error_id</c> and <c>error_type</c> agno 3.x sends next to <c>detail</c> for its own errors (strings; anything else is ignored).</summary>
    internal static (string? ErrorId, string? ErrorType) ParseErrorIdentity(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart() is not ['{', ..])
        {
            return (null, null);
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(body, AgentOSJsonContext.Default.ErrorBody);
            return (Text(parsed?.ErrorId), Text(parsed?.ErrorType));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? Text(JsonElement? value) => value switch
        {
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            _ => null,
        };
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "AgentOS {Method} {Path}: the field {Field} has an unexpected shape ({Found}) and was left out of the answer: {Error}")]
    private static partial void LogSkippedField(ILogger logger, string method, string path, string field, JsonValueKind found, string error);
}
