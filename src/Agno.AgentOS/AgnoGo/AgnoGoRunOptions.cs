using System.Text.Json.Nodes;

namespace Agno.AgentOS;

// The options of a run that only agno-go's AgentOS understands.
public sealed partial class RunRequest
{
    /// <summary>
    /// agno-go only: the run's <c>run_context</c> ids and the event types to stream. The Python dialect does not send
    /// them. <see cref="UserId"/> and <see cref="Metadata"/> travel in agno-go's <c>run_context</c> too.
    /// </summary>
    public AgnoGoRunOptions? AgnoGo { get; set; }
}

/// <summary>
/// Run options of agno-go's AgentOS: the ids of its <c>run_context</c> (echoed back, a given <see cref="RunId"/> becomes
/// the run's id) and the <c>types</c> filter of streamed events.
/// </summary>
public sealed class AgnoGoRunOptions
{
    /// <summary>The run id to use (<c>run_context.run_id</c>); agno-go makes one when absent and does not check it is unique.</summary>
    public string? RunId { get; set; }

    /// <summary>The parent run (<c>run_context.parent_run_id</c>).</summary>
    public string? ParentRunId { get; set; }

    /// <summary>The team the run belongs to (<c>run_context.team_id</c>, echoed only).</summary>
    public string? TeamId { get; set; }

    /// <summary>The workflow the run belongs to (<c>run_context.workflow_id</c>, echoed only).</summary>
    public string? WorkflowId { get; set; }

    /// <summary>
    /// For streamed runs: only these agno-go event types are sent (<c>?types=</c>: <c>run_start</c>, <c>token</c>,
    /// <c>reasoning</c>, <c>complete</c>, <c>error</c>); empty sends all. A stream filtered without <c>complete</c> is not
    /// required to end with one (its end is its end); with <c>complete</c> in the filter, a stream that ends without it
    /// throws <see cref="AgentOSStreamInterruptedException"/>.
    /// </summary>
    public IList<string> EventTypes { get; } = [];

    /// <summary>Extra <c>run_context</c> fields, sent as given (e.g. a field of a newer agno-go).</summary>
    public JsonObject? AdditionalRunContext { get; set; }
}
