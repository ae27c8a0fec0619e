using Agno.AgentOS.Hosting.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Agno.AgentOS.Hosting;

/// <summary>Maps the AgentOS protocol's routes (minimal API endpoints under a route group).</summary>
public static class AgentOSEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps AgentOS's routes: <c>/</c>, <c>/health</c>, <c>/info</c>, <c>/config</c>, <c>/models</c>; agents, teams and
    /// workflows (list, get, runs streaming or not, cancel, continue, get run, list runs); and sessions (list, get,
    /// create, rename, update, delete, runs); approvals (list, count, get, status, resolve, delete). Schedules, service
    /// accounts, components and the registry answer AgentOS's 503 for a feature that is not enabled.
    /// </summary>
    /// <param name="endpoints">The app or a route group.</param>
    /// <param name="prefix">A path prefix (AgentOS itself has none), e.g. <c>/agentos</c>.</param>
    /// <returns>The route group, to add metadata (CORS, rate limiting, ...).</returns>
    /// <exception cref="InvalidOperationException"><see cref="AgentOSHostServiceCollectionExtensions.AddAgentOS(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{AgentOSHostOptions}?)"/> was not called.</exception>
    public static RouteGroupBuilder MapAgentOS(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var runtime = endpoints.ServiceProvider.GetService<AgentOSRuntime>()
            ?? throw new InvalidOperationException("Call services.AddAgentOS(...) before app.MapAgentOS().");
        runtime.ResolveNowIfLocal();
        runtime.RoutePrefix = prefix.TrimEnd('/');
        var group = endpoints.MapGroup(prefix);

        Get(group, runtime, "/", DiscoveryEndpoints.Home, open: true);
        Get(group, runtime, "/health", DiscoveryEndpoints.Health, open: true);
        Get(group, runtime, "/info", DiscoveryEndpoints.Info, open: true);
        Get(group, runtime, "/config", DiscoveryEndpoints.Config);
        Get(group, runtime, "/models", DiscoveryEndpoints.Models);

        foreach (var (kind, segment) in new[] { (ComponentKind.Agent, "agents"), (ComponentKind.Team, "teams"), (ComponentKind.Workflow, "workflows") })
        {
            Get(group, runtime, $"/{segment}", (c, r) => DiscoveryEndpoints.List(c, r, kind));
            Get(group, runtime, $"/{segment}/{{id}}", (c, r) => DiscoveryEndpoints.Get(c, r, kind));
            Post(group, runtime, $"/{segment}/{{id}}/runs", (c, r) => RunEndpoints.RunAsync(c, r, kind));
            Get(group, runtime, $"/{segment}/{{id}}/runs", (c, r) => RunEndpoints.ListRunsAsync(c, r, kind));
            Get(group, runtime, $"/{segment}/{{id}}/runs/{{run_id}}", (c, r) => RunEndpoints.GetRunAsync(c, r, kind));
            Post(group, runtime, $"/{segment}/{{id}}/runs/{{run_id}}/cancel", (c, r) => RunEndpoints.CancelAsync(c, r, kind));
            Post(group, runtime, $"/{segment}/{{id}}/runs/{{run_id}}/continue", (c, r) => RunEndpoints.ContinueAsync(c, r, kind));
            Post(group, runtime, $"/{segment}/{{id}}/runs/{{run_id}}/resume", (c, r) => RunEndpoints.ResumeAsync(c, r, kind));
        }

        Get(group, runtime, "/sessions", SessionEndpoints.ListAsync);
        Post(group, runtime, "/sessions", SessionEndpoints.CreateAsync);
        group.MapDelete("/sessions", EndpointSupport.Wrap(runtime, false, SessionEndpoints.DeleteManyAsync));
        Get(group, runtime, "/sessions/{session_id}", SessionEndpoints.GetAsync);
        group.MapPatch("/sessions/{session_id}", EndpointSupport.Wrap(runtime, false, SessionEndpoints.PatchAsync));
        group.MapDelete("/sessions/{session_id}", EndpointSupport.Wrap(runtime, false, SessionEndpoints.DeleteAsync));
        Post(group, runtime, "/sessions/{session_id}/rename", SessionEndpoints.RenameAsync);
        Get(group, runtime, "/sessions/{session_id}/runs", SessionEndpoints.RunsAsync);
        Get(group, runtime, "/sessions/{session_id}/runs/{run_id}", SessionEndpoints.RunAsync);

        if (runtime.Approvals is not null)
        {
            Get(group, runtime, "/approvals", ApprovalEndpoints.ListAsync);
            Get(group, runtime, "/approvals/count", ApprovalEndpoints.CountAsync);
            Get(group, runtime, "/approvals/{approval_id}", ApprovalEndpoints.GetAsync);
            Get(group, runtime, "/approvals/{approval_id}/status", ApprovalEndpoints.StatusAsync);
            Post(group, runtime, "/approvals/{approval_id}/resolve", ApprovalEndpoints.ResolveAsync);
            group.MapDelete("/approvals/{approval_id}", EndpointSupport.Wrap(runtime, false, ApprovalEndpoints.DeleteAsync));
        }
        else
        {
            Unavailable(group, runtime, "/approvals", "Approvals", "db");
        }

        // What this host does not serve answers as AgentOS does without the feature (a 503 naming it).
        Unavailable(group, runtime, "/schedules", "Schedules", "db");
        Unavailable(group, runtime, "/service-accounts", "Service Accounts", "db");
        Unavailable(group, runtime, "/components", "Components", "db");
        Unavailable(group, runtime, "/registry", "Registry", "registry");
        return group;
    }

    /// <summary>AgentOS's <c>_get_disabled_feature_router</c>: the prefix and every path under it answer 503 for every method.</summary>
    private static void Unavailable(RouteGroupBuilder group, AgentOSRuntime runtime, string prefix, string tag, string requires)
    {
        string detail = $"{tag} not available: pass a `{requires}` to AgentOS to enable this feature.";
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
        var handler = EndpointSupport.Wrap(runtime, false, (c, _) => Wire.WriteDetailAsync(c, StatusCodes.Status503ServiceUnavailable, detail));
        group.MapMethods(prefix, methods, handler);
        group.MapMethods(prefix + "/{**path}", methods, handler);
    }

    private static void Get(RouteGroupBuilder group, AgentOSRuntime runtime, string pattern, Func<HttpContext, AgentOSRuntime, Task> handler, bool open = false)
        => group.MapGet(pattern, EndpointSupport.Wrap(runtime, open, handler));

    private static void Post(RouteGroupBuilder group, AgentOSRuntime runtime, string pattern, Func<HttpContext, AgentOSRuntime, Task> handler)
        => group.MapPost(pattern, EndpointSupport.Wrap(runtime, false, handler));
}
