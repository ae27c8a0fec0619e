using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>A stored component (agno Studio's <c>/components</c>): an agent, team or workflow defined by configs in the database.</summary>
public sealed class Component
{
    /// <summary>The id.</summary>
    public string? ComponentId { get; set; }

    /// <summary><c>agent</c>, <c>team</c> or <c>workflow</c>.</summary>
    public string? ComponentType { get; set; }

    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The current config's version.</summary>
    public int? CurrentVersion { get; set; }

    /// <summary>The owner (agno 3.x).</summary>
    public string? UserId { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>When it was deleted (agno 3.x, with <c>include_deleted</c>).</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A version of a component's config.</summary>
public sealed class ComponentConfig
{
    /// <summary>The component.</summary>
    public string? ComponentId { get; set; }

    /// <summary>The version, from 1.</summary>
    public int Version { get; set; }

    /// <summary>A label.</summary>
    public string? Label { get; set; }

    /// <summary><c>draft</c> or <c>published</c> (only a published config can be current).</summary>
    public string? Stage { get; set; }

    /// <summary>The config (the component's definition).</summary>
    public JsonObject? Config { get; set; }

    /// <summary>Notes.</summary>
    public string? Notes { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A new component with its first config (<c>POST /components</c>).</summary>
public sealed class CreateComponentRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="name">The name.</param>
    /// <param name="componentType"><c>agent</c>, <c>team</c> or <c>workflow</c>.</param>
    public CreateComponentRequest(string name, string componentType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentType);
        Name = name;
        ComponentType = componentType;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The id (the server derives one from the name when absent).</summary>
    public string? ComponentId { get; set; }

    /// <summary>The type.</summary>
    public string ComponentType { get; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The first config.</summary>
    public JsonObject? Config { get; set; }

    /// <summary>The first config's label.</summary>
    public string? Label { get; set; }

    /// <summary>The first config's stage.</summary>
    public string? Stage { get; set; }

    /// <summary>The first config's notes.</summary>
    public string? Notes { get; set; }
}

/// <summary>Changes to a component (<c>PATCH /components/{id}</c>).</summary>
public sealed class UpdateComponentRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; set; }

    /// <summary>A new description.</summary>
    public string? Description { get; set; }

    /// <summary>New metadata.</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>A new config version, or changes to one (<c>POST|PATCH /components/{id}/configs[/{version}]</c>).</summary>
public sealed class ComponentConfigRequest
{
    /// <summary>The config.</summary>
    public JsonObject? Config { get; set; }

    /// <summary>A label.</summary>
    public string? Label { get; set; }

    /// <summary><c>draft</c> or <c>published</c>.</summary>
    public string? Stage { get; set; }

    /// <summary>Notes.</summary>
    public string? Notes { get; set; }
}

/// <summary>An entry of the OS registry (<c>GET /registry</c>): an agent, team, tool, model, database, ...</summary>
public sealed class RegistryEntry
{
    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>The resource type (<c>tool</c>, <c>model</c>, <c>db</c>, <c>vector_db</c>, <c>schema</c>, <c>function</c>, <c>agent</c>, <c>team</c>, ...).</summary>
    public string? Type { get; set; }

    /// <summary>The id, for resources that have one.</summary>
    public string? Id { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>What the server says about it (class path, parameters, signature, ...).</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Filters and paging of <c>GET /registry</c>.</summary>
public sealed class RegistryQuery
{
    /// <summary>Only this resource type (see <see cref="RegistryEntry.Type"/>).</summary>
    public string? ResourceType { get; set; }

    /// <summary>Only names containing this.</summary>
    public string? Name { get; set; }

    /// <summary>Page size.</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }
}
