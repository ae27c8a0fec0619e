using System.Text.RegularExpressions;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// agno's RBAC (<c>agno/os/scopes.py</c>): scope strings <c>resource:action</c>, <c>resource:&lt;id&gt;:action</c>,
/// <c>resource:*:action</c> and the admin scope; the route table (method and path pattern to required scopes, first
/// match wins, <c>*</c> matching across segments as fnmatch does); listing routes that filter instead of refusing.
/// </summary>
internal static partial class Scopes
{
    private static readonly (string Method, Regex Path, string[] Required)[] Table = Build(
        ("GET /config", "config:read"), ("GET /models", "config:read"),
        ("GET /agents", "agents:read"), ("GET /agents/*", "agents:read"), ("POST /agents", "agents:write"), ("PATCH /agents/*", "agents:write"),
        ("DELETE /agents/*", "agents:delete"), ("POST /agents/*/runs", "agents:run"), ("POST /agents/*/runs/*/continue", "agents:run"), ("POST /agents/*/runs/*/cancel", "agents:run"),
        ("GET /teams", "teams:read"), ("GET /teams/*", "teams:read"), ("POST /teams", "teams:write"), ("PATCH /teams/*", "teams:write"),
        ("DELETE /teams/*", "teams:delete"), ("POST /teams/*/runs", "teams:run"), ("POST /teams/*/runs/*/continue", "teams:run"), ("POST /teams/*/runs/*/cancel", "teams:run"),
        ("GET /workflows", "workflows:read"), ("GET /workflows/*", "workflows:read"), ("POST /workflows", "workflows:write"), ("PATCH /workflows/*", "workflows:write"),
        ("DELETE /workflows/*", "workflows:delete"), ("POST /workflows/*/runs", "workflows:run"), ("POST /workflows/*/runs/*/continue", "workflows:run"), ("POST /workflows/*/runs/*/cancel", "workflows:run"),
        ("GET /sessions", "sessions:read"), ("GET /sessions/*", "sessions:read"), ("POST /sessions", "sessions:write"), ("POST /sessions/*/rename", "sessions:write"),
        ("PATCH /sessions/*", "sessions:write"), ("DELETE /sessions", "sessions:delete"), ("DELETE /sessions/*", "sessions:delete"),
        ("GET /memories", "memories:read"), ("GET /memories/*", "memories:read"), ("GET /memory_topics", "memories:read"), ("GET /user_memory_stats", "memories:read"),
        ("POST /memories", "memories:write"), ("PATCH /memories/*", "memories:write"), ("DELETE /memories", "memories:delete"), ("DELETE /memories/*", "memories:delete"),
        ("POST /optimize-memories", "memories:write"),
        ("GET /learnings", "learnings:read"), ("GET /learnings/*", "learnings:read"), ("POST /learnings", "learnings:write"), ("PATCH /learnings/*", "learnings:write"), ("DELETE /learnings/*", "learnings:delete"),
        ("GET /knowledge/content", "knowledge:read"), ("GET /knowledge/content/*", "knowledge:read"), ("GET /knowledge/config", "knowledge:read"), ("POST /knowledge/content", "knowledge:write"),
        ("PATCH /knowledge/content/*", "knowledge:write"), ("POST /knowledge/search", "knowledge:read"), ("DELETE /knowledge/content", "knowledge:delete"), ("DELETE /knowledge/content/*", "knowledge:delete"),
        ("GET /metrics", "metrics:read"), ("POST /metrics/refresh", "metrics:write"),
        ("GET /eval-runs", "evals:read"), ("GET /eval-runs/*", "evals:read"), ("POST /eval-runs", "evals:write"), ("PATCH /eval-runs/*", "evals:write"), ("DELETE /eval-runs", "evals:delete"),
        ("GET /traces", "traces:read"), ("GET /traces/*", "traces:read"), ("GET /trace_session_stats", "traces:read"),
        ("POST /service-accounts", "service_accounts:write"), ("GET /service-accounts", "service_accounts:read"), ("DELETE /service-accounts/*", "service_accounts:delete"),
        ("GET /schedules", "schedules:read"), ("GET /schedules/*", "schedules:read"), ("POST /schedules", "schedules:write"), ("PATCH /schedules/*", "schedules:write"),
        ("DELETE /schedules/*", "schedules:delete"), ("POST /schedules/*/enable", "schedules:write"), ("POST /schedules/*/disable", "schedules:write"), ("POST /schedules/*/trigger", "schedules:write"),
        ("GET /schedules/*/runs", "schedules:read"), ("GET /schedules/*/runs/*", "schedules:read"),
        ("GET /approvals", "approvals:read"), ("GET /approvals/count", "approvals:read"), ("GET /approvals/*", "approvals:read"), ("GET /approvals/*/status", "approvals:read"),
        ("POST /approvals/*/resolve", "approvals:write"), ("DELETE /approvals/*", "approvals:delete"),
        ("POST /traces/search", "traces:read"),
        ("POST /databases/all/migrate", "config:write"), ("POST /databases/*/migrate", "config:write"),
        ("POST /knowledge/remote-content", "knowledge:write"), ("GET /knowledge/*/sources", "knowledge:read"), ("GET /knowledge/*/sources/*/files", "knowledge:read"),
        ("GET /registry", "registry:read"),
        ("GET /components", "components:read"), ("GET /components/*", "components:read"), ("POST /components", "components:write"), ("PATCH /components/*", "components:write"),
        ("DELETE /components/*", "components:delete"), ("GET /components/*/configs", "components:read"), ("GET /components/*/configs/*", "components:read"),
        ("GET /components/*/configs/current", "components:read"), ("POST /components/*/configs", "components:write"), ("PATCH /components/*/configs/*", "components:write"),
        ("DELETE /components/*/configs/*", "components:delete"), ("POST /components/*/configs/*/set-current", "components:write"));

    /// <summary>The result of a route check: allowed, the scopes the route needs, and for a listing the ids the caller may see.</summary>
    public readonly record struct RouteCheck(bool Allowed, IReadOnlyList<string> Required, HashSet<string>? AccessibleIds);

    /// <summary>agno's <c>Insufficient permissions. Required scope(s): a, b</c>.</summary>
    public static string InsufficientDetail(IReadOnlyList<string> required)
        => required.Count == 0 ? "Insufficient permissions" : "Insufficient permissions. Required scope(s): " + string.Join(", ", required);

    /// <summary>The scopes a route needs (none for a route the table does not name: allowed).</summary>
    public static IReadOnlyList<string> RequiredFor(string method, string path)
    {
        foreach (var (m, pattern, required) in Table)
        {
            if (m == method && pattern.IsMatch(path))
            {
                return required;
            }
        }

        return [];
    }

    /// <summary>agno's <c>check_route_scopes</c>.</summary>
    public static RouteCheck Check(IReadOnlyList<string> userScopes, string method, string path, string adminScope)
    {
        var required = RequiredFor(method, path);
        if (required.Count == 0)
        {
            return new RouteCheck(true, required, null);
        }

        var (resourceType, resourceId) = ResourceOf(path);
        bool allowed = Has(userScopes, required, resourceType, resourceId, adminScope);
        HashSet<string>? accessible = null;
        string family = required[0].Split(':')[0];
        if (!allowed && method == "GET" && resourceId is null && resourceType is not null && family == resourceType)
        {
            accessible = AccessibleIds(userScopes, resourceType, adminScope, required[0][(required[0].LastIndexOf(':') + 1)..]);
            allowed = true;
        }

        return new RouteCheck(allowed, required, accessible);
    }

    /// <summary>agno's <c>has_required_scopes</c>.</summary>
    public static bool Has(IReadOnlyList<string> userScopes, IReadOnlyList<string> required, string? resourceType, string? resourceId, string adminScope)
    {
        if (required.Count == 0)
        {
            return true;
        }

        var parsed = userScopes.Select(s => Parse(s, adminScope)).ToList();
        if (parsed.Any(s => s.Type == ScopeType.Admin))
        {
            return true;
        }

        foreach (string need in required)
        {
            var parts = need.Split(':');
            var target = parts.Length == 2 && resourceId is not null && resourceType is not null
                ? Parse($"{resourceType}:<resource-id>:{parts[1]}", adminScope)
                : Parse(need, adminScope);
            if (!parsed.Any(u => Matches(u, target, resourceId)))
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<string> AccessibleIds(IReadOnlyList<string> userScopes, string resourceType, string adminScope, string action)
    {
        var parsed = userScopes.Select(s => Parse(s, adminScope)).ToList();
        foreach (var s in parsed)
        {
            if (s.Type == ScopeType.Admin || (s.Resource == resourceType && s.Action == action && (s.ResourceId is null || s.ResourceId == "*")))
            {
                return ["*"];
            }
        }

        return [.. parsed.Where(s => s.Resource == resourceType && s.Action == action && s.ResourceId is not null and not "*").Select(s => s.ResourceId!)];
    }

    private static bool Matches(ParsedScope user, ParsedScope required, string? resourceId)
    {
        if (user.Type == ScopeType.Admin)
        {
            return true;
        }

        if (user.Type == ScopeType.Unknown || required.Type == ScopeType.Unknown || user.Resource != required.Resource || user.Action != required.Action)
        {
            return false;
        }

        if (required.ResourceId is not null)
        {
            return user.ResourceId is null or "*" || user.ResourceId == resourceId;
        }

        return user.ResourceId is null or "*";
    }

    /// <summary>The resource type and id of <c>/agents|teams|workflows/{id}/...</c>.</summary>
    public static (string? Type, string? Id) ResourceOf(string path)
    {
        var match = ResourcePattern().Match(path);
        if (!match.Success)
        {
            return (null, null);
        }

        return (match.Groups[1].Value, match.Groups[2].Success && match.Groups[2].Length > 0 ? match.Groups[2].Value : null);
    }

    private enum ScopeType { Admin, Global, PerResource, Unknown }

    private readonly record struct ParsedScope(ScopeType Type, string? Resource, string? ResourceId, string? Action);

    private static ParsedScope Parse(string scope, string adminScope)
    {
        if (scope == adminScope)
        {
            return new ParsedScope(ScopeType.Admin, null, null, null);
        }

        var parts = scope.Split(':');
        string Alias(string resource) => resource == "system" ? "config" : resource;
        return parts.Length switch
        {
            2 => new ParsedScope(ScopeType.Global, Alias(parts[0]), null, parts[1]),
            3 => new ParsedScope(ScopeType.PerResource, Alias(parts[0]), parts[1], parts[2]),
            _ => new ParsedScope(ScopeType.Unknown, null, null, null),
        };
    }

    private static (string, Regex, string[])[] Build(params (string Route, string Scope)[] rows)
        => [.. rows.Select(r =>
        {
            int space = r.Route.IndexOf(' ', StringComparison.Ordinal);
            string pattern = "^" + Regex.Escape(r.Route[(space + 1)..]).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
            return (r.Route[..space], new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled), new[] { r.Scope });
        })];

    [GeneratedRegex(@"^/(?:a2a/)?(agents|teams|workflows)(?:/([^/]*))?", RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePattern();
}
