using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Learnings (agno's /learnings).
public partial class AgentOSClient
{
    private const string LearningsFeature = "Learnings";

    /// <summary>Lists learnings, one page (<c>GET /learnings</c>).</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<Learning>> ListLearningsAsync(LearningQuery? query = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        query ??= new LearningQuery();
        string path = Paths.WithQuery("learnings",
            ("learning_type", query.LearningType), ("user_id", query.UserId), ("agent_id", query.AgentId), ("team_id", query.TeamId),
            ("session_id", query.SessionId), ("namespace", query.Namespace), ("entity_id", query.EntityId), ("entity_type", query.EntityType),
            ("limit", Number(query.Limit)), ("page", Number(query.Page)), ("db_id", database?.DbId), ("table", database?.Table));
        return FeatureAsync(LearningsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, path, null, AgentOSPlatformJsonContext.Default.PageLearning, options, cancellationToken));
    }

    /// <summary>Stores a learning (<c>POST /learnings</c>, 201); the server derives its id.</summary>
    /// <param name="request">The learning.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored learning.</returns>
    /// <exception cref="AgentOSBadRequestException">The server refuses it (422, e.g. without content).</exception>
    public virtual async Task<Learning> CreateLearningAsync(CreateLearningRequest request, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.CreateLearningRequest);
        return await FeatureAsync(LearningsFeature, Pipeline.SendJsonAsync(HttpMethod.Post, WithDb("learnings", database), content, AgentOSPlatformJsonContext.Default.Learning, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gets a learning (<c>GET /learnings/{id}</c>).</summary>
    /// <param name="learningId">The learning id.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The learning.</returns>
    /// <exception cref="AgentOSNotFoundException">No such learning.</exception>
    public virtual Task<Learning> GetLearningAsync(string learningId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(LearningsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, WithDb(LearningPath(learningId), database), null, AgentOSPlatformJsonContext.Default.Learning, options, cancellationToken));

    /// <summary>Changes a learning's content or metadata (<c>PATCH /learnings/{id}</c>).</summary>
    /// <param name="learningId">The learning id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated learning.</returns>
    public virtual async Task<Learning> UpdateLearningAsync(string learningId, UpdateLearningRequest request, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = WithDb(LearningPath(learningId), database);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.UpdateLearningRequest);
        return await FeatureAsync(LearningsFeature, Pipeline.SendJsonAsync(HttpMethod.Patch, path, content, AgentOSPlatformJsonContext.Default.Learning, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes a learning (<c>DELETE /learnings/{id}</c>, 204).</summary>
    /// <param name="learningId">The learning id.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    public virtual Task DeleteLearningAsync(string learningId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(LearningsFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, WithDb(LearningPath(learningId), database), null, options, cancellationToken));

    /// <summary>Lists the users with learnings, one page (<c>GET /learnings/users</c>).</summary>
    /// <param name="limit">Page size.</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<LearningUser>> ListLearningUsersAsync(int? limit = null, int? page = null, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(LearningsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("learnings/users", ("limit", Number(limit)), ("page", Number(page)), ("db_id", database?.DbId), ("table", database?.Table)), null, AgentOSPlatformJsonContext.Default.PageLearningUser, options, cancellationToken));

    /// <summary>Deletes every learning of a user (<c>DELETE /learnings/users/{userId}</c>, 204).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are deleted.</returns>
    public virtual Task DeleteUserLearningsAsync(string userId, DatabaseSelector? database = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(LearningsFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, WithDb("learnings/users/" + Paths.Segment(userId, nameof(userId)), database), null, options, cancellationToken));

    private static string LearningPath(string learningId) => "learnings/" + Paths.Segment(learningId, nameof(learningId));

    private static string WithDb(string path, DatabaseSelector? database) => Paths.WithQuery(path, ("db_id", database?.DbId), ("table", database?.Table));
}
