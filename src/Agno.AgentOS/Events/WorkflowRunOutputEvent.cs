namespace Agno.AgentOS;

/// <summary>
/// The legacy <c>WorkflowRunOutput</c> event that a paused workflow stream ends with: its data is the whole
/// run (with no <c>event</c> field), available as <see cref="Output"/>.
/// </summary>
public sealed class WorkflowRunOutputEvent : AgentOSEvent
{
    /// <summary>The whole workflow run as the server holds it.</summary>
    public WorkflowRunOutput Output { get; set; } = new();
}
