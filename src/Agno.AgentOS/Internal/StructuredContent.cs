using System.Text.Json;

namespace Agno.AgentOS.Internal;

internal static class StructuredContent
{
    /// <summary>Parses content as JSON when it is structured output (a JSON object or list whose type is not plain text).</summary>
    public static JsonElement? TryParse(string? content, string? contentType)
    {
        if (string.IsNullOrEmpty(content) || contentType == "str")
        {
            return null;
        }

        var trimmed = content.AsSpan().TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(content);
            return doc.RootElement.Clone();
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return null;
        }
    }
}
