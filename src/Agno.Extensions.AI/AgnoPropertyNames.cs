namespace Agno.Extensions.AI;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> that the Agno chat clients read, and
/// keys of the <c>AdditionalProperties</c> they write on responses and contents.
/// </summary>
/// <example>
/// <code>
/// var options = new ChatOptions
/// {
///     ConversationId = sessionId,
///     AdditionalProperties = new()
///     {
///         [AgnoPropertyNames.UserId] = "user-42",
///         [AgnoPropertyNames.SessionState] = new JsonObject { ["cart"] = new JsonArray("apple") },
///         [AgnoPropertyNames.RunParameters] = new Dictionary&lt;string, object?&gt; { ["add_history_to_context"] = false },
///     },
/// };
/// </code>
/// </example>
public static class AgnoPropertyNames
{
    /// <summary>Input: the user the run is for (<c>user_id</c>); a string.</summary>
    public const string UserId = "agno.user_id";

    /// <summary>
    /// Input: state merged into the session's state (<c>session_state</c>): a <c>JsonObject</c>, a JSON object
    /// <c>JsonElement</c>, JSON text, or a dictionary. Output: the session state after the run, as a <c>JsonObject</c>,
    /// on <see cref="Microsoft.Extensions.AI.ChatResponse.AdditionalProperties"/> (and on the final streaming update).
    /// </summary>
    public const string SessionState = "agno.session_state";

    /// <summary>Input: dependencies of the run (<c>dependencies</c>), in the forms accepted for <see cref="SessionState"/>.</summary>
    public const string Dependencies = "agno.dependencies";

    /// <summary>Input: metadata stored with the run (<c>metadata</c>), in the forms accepted for <see cref="SessionState"/>.</summary>
    public const string Metadata = "agno.metadata";

    /// <summary>Input: knowledge filters (<c>knowledge_filters</c>): a JSON object or a list of filter expressions (<c>JsonNode</c>, <c>JsonElement</c> or JSON text).</summary>
    public const string KnowledgeFilters = "agno.knowledge_filters";

    /// <summary>
    /// Input: any other run parameter passed to the component's <c>arun</c> (e.g. <c>add_history_to_context</c>,
    /// <c>debug_mode</c>): a dictionary of name to value, with the value types of <c>RunRequest.AdditionalFields</c>.
    /// </summary>
    public const string RunParameters = "agno.run_parameters";

    /// <summary>Input: per-call <c>AgentOSRequestOptions</c> (e.g. the end user's token, extra headers); replaces the client's default.</summary>
    public const string RequestOptions = "agno.request_options";

    /// <summary>Output: on a <see cref="Microsoft.Extensions.AI.ToolApprovalRequestContent"/> for a workflow step, the step's question (<c>confirmation_message</c>).</summary>
    public const string Message = "agno.message";

    /// <summary>
    /// Output: on a <see cref="Microsoft.Extensions.AI.ToolApprovalRequestContent"/> for a tool declared with agno's
    /// <c>@approval</c>, its approval type. <c>required</c>: the run waits for an admin to resolve the central approval
    /// (<c>AgentOSClient.ResolveApprovalAsync</c> with <see cref="ApprovalId"/>), not for this caller's answer; continue it
    /// afterwards with <c>ContinueRunRequest.AfterApproval</c>. <c>audit</c>: an ordinary confirmation, recorded.
    /// </summary>
    public const string ApprovalType = "agno.approval_type";

    /// <summary>Output: with <see cref="ApprovalType"/> <c>required</c>, the id of the central approval an admin resolves.</summary>
    public const string ApprovalId = "agno.approval_id";
}
