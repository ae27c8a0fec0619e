using Agno.AgentOS;

namespace Agno.Extensions.AI;

/// <summary>Options of the <c>AIFunction</c> tools over remote agents, teams and workflows.</summary>
public sealed class AgnoAIFunctionOptions
{
    /// <summary>The user the runs are for.</summary>
    public string? UserId { get; set; }

    /// <summary>Per-call options sent with every run (e.g. the end user's token).</summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>
    /// Whether an invocation returns <c>{"content": ..., "session_id": ...}</c> rather than the answer text alone, so
    /// a model can pass the session id back to continue the conversation. Default false.
    /// </summary>
    public bool IncludeSessionId { get; set; }

    internal AgnoAIFunctionOptions Clone() => (AgnoAIFunctionOptions)MemberwiseClone();
}
