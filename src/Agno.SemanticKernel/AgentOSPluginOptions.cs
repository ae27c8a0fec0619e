using Agno.AgentOS;
using Microsoft.SemanticKernel;

namespace Agno.SemanticKernel;

/// <summary>
/// Options of a kernel plugin built from an AgentOS server (see <see cref="AgentOSKernelExtensions"/>): which
/// components become functions, and how they run.
/// </summary>
public sealed class AgentOSPluginOptions
{
    /// <summary>Whether the server's agents become functions too. Default false: teams and workflows only.</summary>
    public bool IncludeAgents { get; set; }

    /// <summary>Whether the server's teams become functions. Default true.</summary>
    public bool IncludeTeams { get; set; } = true;

    /// <summary>Whether the server's workflows become functions. Default true.</summary>
    public bool IncludeWorkflows { get; set; } = true;

    /// <summary>Keeps a component (of the included kinds) when it returns true; null keeps all.</summary>
    public Func<AgentOSComponentKind, ComponentSummary, bool>? Filter { get; set; }

    /// <summary>The plugin's description. Default: one naming the server.</summary>
    public string? Description { get; set; }

    /// <summary>The user the runs are for (<c>user_id</c>).</summary>
    public string? UserId { get; set; }

    /// <summary>Per-call options of every run (e.g. the end user's token).</summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>
    /// Whether the functions take the optional <c>session_id</c> parameter (to continue an earlier conversation; the
    /// session id of a call is in <see cref="FunctionResult.Metadata"/>). Default true. When false, the parameter is
    /// not offered and a <c>session_id</c> argument is ignored: every call starts a new session.
    /// </summary>
    public bool IncludeSessionId { get; set; } = true;

    internal AgentOSPluginOptions Clone() => (AgentOSPluginOptions)MemberwiseClone();
}
