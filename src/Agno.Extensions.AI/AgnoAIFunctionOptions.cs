using Agno.AgentOS;
using Microsoft.Extensions.Logging;

namespace Agno.Extensions.AI;

/// <summary>Options of the <c>AIFunction</c> tools over remote agents, teams and workflows.</summary>
public sealed class AgnoAIFunctionOptions
{
    /// <summary>The user the runs are for.</summary>
    public string? UserId { get; set; }

    /// <summary>Per-call options sent with every run (e.g. the end user's token).</summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>
    /// Whether the tool lets a model continue a conversation: its schema offers the optional <c>session_id</c>
    /// parameter, and an invocation returns <c>{"content": ..., "session_id": ...}</c> so the model learns the session
    /// id to pass back. Default true. When false, the schema has no <c>session_id</c>, a <c>session_id</c> argument is
    /// ignored (and logged: every invocation starts a new session), and an invocation returns the answer text alone.
    /// </summary>
    public bool IncludeSessionId { get; set; } = true;

    /// <summary>Logging (e.g. a <c>session_id</c> argument ignored because <see cref="IncludeSessionId"/> is false).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal AgnoAIFunctionOptions Clone() => (AgnoAIFunctionOptions)MemberwiseClone();
}
