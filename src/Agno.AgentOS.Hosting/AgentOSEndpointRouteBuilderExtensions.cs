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
    /// create, rename, update, delete, runs).
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
        return group;
    }

    private static void Get(RouteGroupBuilder group, AgentOSRuntime runtime, string pattern, Func<HttpContext, AgentOSRuntime, Task> handler, bool open = false)
        => group.MapGet(pattern, EndpointSupport.Wrap(runtime, open, handler));

    private static void Post(RouteGroupBuilder group, AgentOSRuntime runtime, string pattern, Func<HttpContext, AgentOSRuntime, Task> handler)
        => group.MapPost(pattern, EndpointSupport.Wrap(runtime, false, handler));
}
