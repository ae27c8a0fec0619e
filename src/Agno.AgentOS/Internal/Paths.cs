using System.Text;

namespace Agno.AgentOS.Internal;

/// <summary>Builds request paths. Every id is one escaped path segment, so no id can reach another route.</summary>
internal static class Paths
{
    public static string Segment(string id, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id is "." or "..")
        {
            throw new ArgumentException($"'{id}' is not a valid id.", paramName);
        }

        return Uri.EscapeDataString(id);
    }

    public static string Component(ComponentKind kind, string id) => $"{kind.Segment()}/{Segment(id, "id")}";

    public static string Run(ComponentKind kind, string id, string runId) => $"{Component(kind, id)}/runs/{Segment(runId, nameof(runId))}";

    /// <summary>Appends a query string built from the non-null parameters.</summary>
    public static string WithQuery(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        StringBuilder? sb = null;
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            sb ??= new StringBuilder(path);
            sb.Append(sb.Length == path.Length ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb?.ToString() ?? path;
    }
}
