using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agno.AgentOS.Internal;

internal sealed partial class AgentOSPipeline
{
    /// <summary>A 403: a missing scope the server names, an admin approval the run waits for, or another refusal.</summary>
    private static AgentOSPermissionException Forbidden(string message, HttpResponseMessage response, string? detail, JsonElement? detailJson, HttpMethod method, string path, string? excerpt)
    {
        if (RequiredScopes(detail) is { Count: > 0 } scopes)
        {
            return new AgentOSMissingScopeException(message) { RequiredScopes = scopes, StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = excerpt };
        }

        if (detail?.Contains("requires admin approval", StringComparison.OrdinalIgnoreCase) == true)
        {
            return new AgentOSAdminApprovalRequiredException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = excerpt };
        }

        return new AgentOSPermissionException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = excerpt };
    }

    /// <summary>A 503 naming a feature the server has not enabled, or null for any other 503.</summary>
    private static AgentOSFeatureUnavailableException? FeatureUnavailable(string message, HttpResponseMessage response, string? detail, JsonElement? detailJson, HttpMethod method, string path)
        => response.StatusCode == HttpStatusCode.ServiceUnavailable && UnavailableFeature(detail) is { } feature
            ? new AgentOSFeatureUnavailableException(message) { Feature = feature, StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path }
            : null;

    /// <summary>The scopes of agno's <c>Insufficient permissions. Required scope(s): a, b</c>.</summary>
    internal static IReadOnlyList<string> RequiredScopes(string? detail)
    {
        if (detail is null)
        {
            return [];
        }

        var match = RequiredScopesPattern().Match(detail);
        return match.Success
            ? [.. match.Groups[1].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.TrimEnd('.'))]
            : [];
    }

    /// <summary>The feature of agno's <c>X not available: pass a `db` ...</c> (or a `registry`) or <c>`pkg` not installed</c>.</summary>
    internal static string? UnavailableFeature(string? detail)
    {
        if (detail is null)
        {
            return null;
        }

        var match = NotAvailablePattern().Match(detail);
        if (match.Success)
        {
            return match.Groups[1].Value;
        }

        match = NotInstalledPattern().Match(detail);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"Required scope\(s\):\s*(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredScopesPattern();

    [GeneratedRegex(@"^(.+?) not available: pass a `[^`]+`", RegexOptions.CultureInvariant)]
    private static partial Regex NotAvailablePattern();

    [GeneratedRegex(@"`([A-Za-z0-9_.\-]+)` not installed", RegexOptions.CultureInvariant)]
    private static partial Regex NotInstalledPattern();
}
