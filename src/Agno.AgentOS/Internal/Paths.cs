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

    /// <summary>
    /// <c>{kind}/{id}/runs</c>, the path every run of a component posts to: the last few are kept (the same few components
    /// are run over and over), so a run does not build its path again.
    /// </summary>
    public static string Runs(ComponentKind kind, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        ref var slot = ref RunsPaths[(id.Length + (id.Length > 0 ? id[^1] : 0) + (int)kind) & (RunsPaths.Length - 1)];
        var cached = Volatile.Read(ref slot);
        if (cached is not null && cached.Kind == kind && string.Equals(cached.Id, id, StringComparison.Ordinal))
        {
            return cached.Path;
        }

        string path = Component(kind, id) + "/runs"; // validates the id
        Volatile.Write(ref slot, new RunsPath(kind, id, path));
        return path;
    }

    private static readonly RunsPath?[] RunsPaths = new RunsPath?[8];

    private sealed record RunsPath(ComponentKind Kind, string Id, string Path);

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
