namespace Agno.AgentOS.Hosting;

internal static class ComponentIds
{
    public static void Validate(string id, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id.Contains('/', StringComparison.Ordinal) || id.Contains('?', StringComparison.Ordinal) || id.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The id '{id}' must be a single URL segment (no '/', '?' or '#').", paramName);
        }
    }
}
