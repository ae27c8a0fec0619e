using System.Globalization;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Stored components and their config versions (agno Studio's /components), and the OS registry (/registry).
public partial class AgentOSClient
{
    private const string ComponentsFeature = "Components";
    private const string RegistryFeature = "Registry";

    /// <summary>Lists stored components, one page (<c>GET /components</c>; code-defined agents are not listed).</summary>
    /// <param name="componentType">Only <c>agent</c>, <c>team</c> or <c>workflow</c>.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="AgentOSFeatureUnavailableException">The server has no OS database (503).</exception>
    public virtual Task<Page<Component>> ListComponentsAsync(string? componentType = null, int? limit = null, int? page = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("components", ("component_type", componentType), ("limit", Number(limit)), ("page", Number(page))), null, AgentOSPlatformJsonContext.Default.PageComponent, options, cancellationToken));

    /// <summary>Creates a component with its first config (<c>POST /components</c>, 201).</summary>
    /// <param name="request">The component.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The component.</returns>
    /// <exception cref="AgentOSBadRequestException">The server refuses it (422, e.g. an unknown type).</exception>
    public virtual async Task<Component> CreateComponentAsync(CreateComponentRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.CreateComponentRequest);
        return await FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Post, "components", content, AgentOSPlatformJsonContext.Default.Component, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gets a component (<c>GET /components/{id}</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The component.</returns>
    /// <exception cref="AgentOSNotFoundException">No such component.</exception>
    public virtual Task<Component> GetComponentAsync(string componentId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, ComponentPath(componentId), null, AgentOSPlatformJsonContext.Default.Component, options, cancellationToken));

    /// <summary>Changes a component's name, description or metadata (<c>PATCH /components/{id}</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The component.</returns>
    public virtual async Task<Component> UpdateComponentAsync(string componentId, UpdateComponentRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = ComponentPath(componentId);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.UpdateComponentRequest);
        return await FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Patch, path, content, AgentOSPlatformJsonContext.Default.Component, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes a component (<c>DELETE /components/{id}</c>, 204).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    public virtual Task DeleteComponentAsync(string componentId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, ComponentPath(componentId), null, options, cancellationToken));

    /// <summary>Lists a component's config versions (<c>GET /components/{id}/configs</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The configs.</returns>
    public virtual async Task<IReadOnlyList<ComponentConfig>> ListComponentConfigsAsync(string componentId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => await FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, ComponentPath(componentId) + "/configs", null, AgentOSPlatformJsonContext.Default.ListComponentConfig, options, cancellationToken)).ConfigureAwait(false);

    /// <summary>Adds a config version (<c>POST /components/{id}/configs</c>, 201).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="request">The config.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new config.</returns>
    public virtual async Task<ComponentConfig> CreateComponentConfigAsync(string componentId, ComponentConfigRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = ComponentPath(componentId) + "/configs";
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.ComponentConfigRequest);
        return await FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Post, path, content, AgentOSPlatformJsonContext.Default.ComponentConfig, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gets the current config (<c>GET /components/{id}/configs/current</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The current config.</returns>
    public virtual Task<ComponentConfig> GetCurrentComponentConfigAsync(string componentId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, ComponentPath(componentId) + "/configs/current", null, AgentOSPlatformJsonContext.Default.ComponentConfig, options, cancellationToken));

    /// <summary>Gets a config version (<c>GET /components/{id}/configs/{version}</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="version">The version.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The config.</returns>
    public virtual Task<ComponentConfig> GetComponentConfigAsync(string componentId, int version, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, ConfigPath(componentId, version), null, AgentOSPlatformJsonContext.Default.ComponentConfig, options, cancellationToken));

    /// <summary>Changes a config version (<c>PATCH /components/{id}/configs/{version}</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="version">The version.</param>
    /// <param name="request">The changes.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The config.</returns>
    public virtual async Task<ComponentConfig> UpdateComponentConfigAsync(string componentId, int version, ComponentConfigRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = ConfigPath(componentId, version);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.ComponentConfigRequest);
        return await FeatureAsync(ComponentsFeature, Pipeline.SendJsonAsync(HttpMethod.Patch, path, content, AgentOSPlatformJsonContext.Default.ComponentConfig, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Makes a published config version current (<c>POST /components/{id}/configs/{version}/set-current</c>).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="version">The version.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is current.</returns>
    /// <exception cref="AgentOSBadRequestException">The version is a draft (400).</exception>
    public virtual Task SetCurrentComponentConfigAsync(string componentId, int version, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendNoContentAsync(HttpMethod.Post, ConfigPath(componentId, version) + "/set-current", null, options, cancellationToken));

    /// <summary>Deletes a config version (<c>DELETE /components/{id}/configs/{version}</c>, 204).</summary>
    /// <param name="componentId">The component id.</param>
    /// <param name="version">The version.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    /// <exception cref="AgentOSBadRequestException">The version is current (2.9) or published (3.0): 400.</exception>
    public virtual Task DeleteComponentConfigAsync(string componentId, int version, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ComponentsFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, ConfigPath(componentId, version), null, options, cancellationToken));

    /// <summary>Lists the OS registry, one page (<c>GET /registry</c>): its agents, teams, tools, models, databases, ...</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="AgentOSBadRequestException">An unknown resource type (422).</exception>
    public virtual Task<Page<RegistryEntry>> ListRegistryAsync(RegistryQuery? query = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new RegistryQuery();
        string path = Paths.WithQuery("registry", ("resource_type", query.ResourceType), ("name", query.Name), ("limit", Number(query.Limit)), ("page", Number(query.Page)));
        return FeatureAsync(RegistryFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.PageRegistryEntry, options, cancellationToken));
    }

    private static string ComponentPath(string componentId) => "components/" + Paths.Segment(componentId, nameof(componentId));

    private static string ConfigPath(string componentId, int version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return $"{ComponentPath(componentId)}/configs/{version.ToString(CultureInfo.InvariantCulture)}";
    }
}
