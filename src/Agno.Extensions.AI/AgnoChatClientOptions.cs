using Agno.AgentOS;
using Microsoft.Extensions.Logging;

namespace Agno.Extensions.AI;

/// <summary>Options of the <c>IChatClient</c> returned by <c>AsIChatClient()</c> on a remote agent, team or workflow.</summary>
public sealed class AgnoChatClientOptions
{
    /// <summary>
    /// Per-call options sent with every request (e.g. the end user's token or extra headers), unless a call
    /// passes its own under <see cref="AgnoPropertyNames.RequestOptions"/>.
    /// </summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>The user every run is for, unless a call passes <see cref="AgnoPropertyNames.UserId"/>.</summary>
    public string? UserId { get; set; }

    /// <summary>
    /// Whether streaming yields an update for events that carry no answer content: lifecycle events of the run
    /// and the activity of team members and workflow steps. Such updates have no contents and their
    /// <c>RawRepresentation</c> is the <see cref="AgentOSEvent"/>. Default true; set false to get only the updates
    /// that carry content (text, reasoning, tool calls, requests, usage) or a finish reason.
    /// </summary>
    public bool IncludeActivityUpdates { get; set; } = true;

    /// <summary>Logging (best-effort server-side cancellations, paused runs fetched from the server).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal AgnoChatClientOptions Clone() => (AgnoChatClientOptions)MemberwiseClone();
}
