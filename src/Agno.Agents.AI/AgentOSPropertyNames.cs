namespace Agno.Agents.AI;

/// <summary>
/// Keys of the <c>AdditionalProperties</c> that <see cref="AgentOSAIAgent"/> writes on responses, updates and
/// contents, and reads from <see cref="Microsoft.Agents.AI.AgentRunOptions.AdditionalProperties"/>.
/// </summary>
public static class AgentOSPropertyNames
{
    /// <summary>Input: the user the run is for (<c>user_id</c>), a string; it replaces the session's and the agent's default.</summary>
    public const string UserId = "agentos.user_id";

    /// <summary>Output: on an update of team member or workflow step activity, the name of the AgentOS event (e.g. <c>RunCompleted</c>, <c>StepStarted</c>).</summary>
    public const string Event = "agentos.event";

    /// <summary>Output: on an update of team member activity, the member's name as AgentOS gives it (the update's <c>AuthorName</c> is its chat-safe form).</summary>
    public const string Member = "agentos.member";

    /// <summary>Output: on an update of workflow step activity, the step's name as AgentOS gives it.</summary>
    public const string Step = "agentos.step";

    /// <summary>Output: on an activity update that ends a member run or a step, the text it produced (never part of the answer).</summary>
    public const string Content = "agentos.content";

    /// <summary>Output: on a <see cref="Microsoft.Extensions.AI.ToolApprovalRequestContent"/> for a workflow step, the step's question (the key of the shared mapping, <see cref="Agno.Extensions.AI.AgnoPropertyNames.Message"/>).</summary>
    public const string Message = Agno.Extensions.AI.AgnoPropertyNames.Message;
}
