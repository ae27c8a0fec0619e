using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Helpers of the approvals, checkpoints, traces, schedules, learnings, service accounts, components and registry APIs.
public partial class AgentOSClient
{
    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static JsonContent JsonOf<T>(T body, JsonTypeInfo<T> typeInfo) => JsonContent.Create(body, typeInfo);

    /// <summary>
    /// Calls a route of an optional feature: a 404 <c>Not Found</c> (FastAPI's answer for a route the server does not
    /// have: an older agno or another server) becomes <see cref="AgentOSFeatureUnavailableException"/>; agno's own 404s
    /// name what was not found ("Approval not found") and stay <see cref="AgentOSNotFoundException"/>.
    /// </summary>
    private static async Task<T> FeatureAsync<T>(string feature, Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (AgentOSNotFoundException ex) when (IsMissingRoute(ex))
        {
            throw MissingRoute(feature, ex);
        }
    }

    private static async Task FeatureAsync(string feature, Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (AgentOSNotFoundException ex) when (IsMissingRoute(ex))
        {
            throw MissingRoute(feature, ex);
        }
    }

    private static bool IsMissingRoute(AgentOSNotFoundException ex) => string.Equals(ex.Detail, "Not Found", StringComparison.Ordinal);

    private static AgentOSFeatureUnavailableException MissingRoute(string feature, AgentOSNotFoundException ex)
        => new($"The AgentOS server does not serve {feature} ({ex.Method} {ex.RequestPath} answered 404 Not Found): it predates the feature or does not implement it.", ex)
        {
            Feature = feature,
            StatusCode = ex.StatusCode,
            Detail = ex.Detail,
            DetailJson = ex.DetailJson,
            Method = ex.Method,
            RequestPath = ex.RequestPath,
        };
}
