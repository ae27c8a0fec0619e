using System.Text.Json;

namespace Agno.AgentOS.Internal.AgnoGo;

/// <summary>agno-go's error answers: <c>{"error","message"?,"code"?}</c>, with <c>"status":"error"</c> on most session routes.</summary>
internal static class AgnoGoErrors
{
    /// <summary>
    /// The error's code: <c>code</c> (e.g. <c>SESSION_NOT_FOUND</c>, <c>EXECUTION_ERROR</c>), or for the bodies of
    /// <c>/run/stream</c>, which have none, their snake_case <c>error</c> (e.g. <c>agent_not_found</c>) upper-cased. Null for a
    /// body that is not such JSON (gin's plain-text <c>404 page not found</c>).
    /// </summary>
    public static string? Code(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart() is not ['{', ..])
        {
            return null;
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(body, AgnoGoJsonContext.Default.GoErrorBody);
            if (parsed?.Code is { ValueKind: JsonValueKind.String } code && code.GetString() is { Length: > 0 } c)
            {
                return c;
            }

            return parsed?.Error is { ValueKind: JsonValueKind.String } error && error.GetString() is { Length: > 0 } e && IsSnakeCode(e)
                ? e.ToUpperInvariant()
                : null;
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return null;
        }
    }

    private static bool IsSnakeCode(string s) => s.All(ch => ch is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9'));
}
