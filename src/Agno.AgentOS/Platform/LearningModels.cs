using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>What an agent learned and stored (<c>/learnings</c>): a user profile, an entity memory, ...</summary>
public sealed class Learning
{
    /// <summary>The id (derived by the server, e.g. <c>user_profile_&lt;user&gt;</c>).</summary>
    public string? LearningId { get; set; }

    /// <summary>The type (e.g. <c>user_profile</c>, <c>entity_memory</c>).</summary>
    public string? LearningType { get; set; }

    /// <summary>The namespace (e.g. <c>user</c>, <c>global</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team.</summary>
    public string? TeamId { get; set; }

    /// <summary>The session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The entity (entity memories).</summary>
    public string? EntityId { get; set; }

    /// <summary>The entity's type.</summary>
    public string? EntityType { get; set; }

    /// <summary>The content (any JSON).</summary>
    public JsonNode? Content { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A new learning (<c>POST /learnings</c>).</summary>
public sealed class CreateLearningRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="learningType">The type (e.g. <c>user_profile</c>, <c>entity_memory</c>).</param>
    /// <param name="content">The content (the server requires it; 422 without).</param>
    public CreateLearningRequest(string learningType, JsonNode? content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(learningType);
        LearningType = learningType;
        Content = content;
    }

    /// <summary>The type.</summary>
    public string LearningType { get; }

    /// <summary>The content.</summary>
    public JsonNode? Content { get; }

    /// <summary>The namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The team.</summary>
    public string? TeamId { get; set; }

    /// <summary>The session.</summary>
    public string? SessionId { get; set; }

    /// <summary>The entity.</summary>
    public string? EntityId { get; set; }

    /// <summary>The entity's type.</summary>
    public string? EntityType { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>Changes to a learning (<c>PATCH /learnings/{id}</c>).</summary>
public sealed class UpdateLearningRequest
{
    /// <summary>The new content.</summary>
    public JsonNode? Content { get; set; }

    /// <summary>The new metadata.</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>Filters and paging of <c>GET /learnings</c>.</summary>
public sealed class LearningQuery
{
    /// <summary>Only learnings of this type.</summary>
    public string? LearningType { get; set; }

    /// <summary>Only learnings of this user.</summary>
    public string? UserId { get; set; }

    /// <summary>Only learnings of this agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only learnings of this team.</summary>
    public string? TeamId { get; set; }

    /// <summary>Only learnings of this session.</summary>
    public string? SessionId { get; set; }

    /// <summary>Only learnings of this namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>Only learnings of this entity.</summary>
    public string? EntityId { get; set; }

    /// <summary>Only learnings of this entity type.</summary>
    public string? EntityType { get; set; }

    /// <summary>Page size.</summary>
    public int? Limit { get; set; }

    /// <summary>Page number from 1.</summary>
    public int? Page { get; set; }
}

/// <summary>A user with learnings (<c>GET /learnings/users</c>).</summary>
public sealed class LearningUser
{
    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>When one of the user's learnings last changed.</summary>
    public DateTimeOffset? LastLearningUpdatedAt { get; set; }

    /// <summary>Fields this version of the client does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
