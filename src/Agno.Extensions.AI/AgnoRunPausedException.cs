using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// Thrown by an Agno <see cref="AIFunction"/> (and by the kernel functions of <c>Agno.SemanticKernel</c> and the agents of <c>Agno.SemanticKernel.Agents</c>)
/// when the remote run paused for a human (a tool needs a confirmation, user input or an external result). The run
/// waits on the server: show <see cref="Requests"/> to a person and answer them through the component's chat client
/// (<c>AsIChatClient()</c>) with <see cref="ChatOptions.ConversationId"/> = <see cref="SessionId"/>, or continue it
/// with the core client (<c>ContinueAsync</c>) from <see cref="Output"/> (for a streamed run, an output built from
/// the stream: ids, status, content, tools, requirements and step requirements).
/// </summary>
public sealed class AgnoRunPausedException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgnoRunPausedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public AgnoRunPausedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AgnoRunPausedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The exception for a paused run of <paramref name="component"/>: its message names what the run waits for, and
    /// <see cref="Requests"/> holds the approval and input requests built from the output's tools, requirements or step
    /// requirements (their raw objects are the output's own, so answering one and continuing from <see cref="Output"/>
    /// works). The one way every adapter built on Microsoft.Extensions.AI contents (this package, Semantic Kernel, Agent
    /// Framework) reports a pause where it cannot ask for the answer. For a streamed run, build the output with
    /// <see cref="RemoteComponent.ToRunOutput"/>.
    /// </summary>
    /// <param name="component">The component whose run paused.</param>
    /// <param name="output">The paused output.</param>
    /// <returns>The exception (not thrown).</returns>
    public static AgnoRunPausedException FromPausedRun(RemoteComponent component, RunOutput output)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(output);
        return Internal.RunPauses.Exception(component, output);
    }

    /// <summary>The paused run's id.</summary>
    public string? RunId { get; init; }

    /// <summary>The paused run's session (the conversation id to answer in).</summary>
    public string? SessionId { get; init; }

    /// <summary>The paused run's output.</summary>
    public RunOutput? Output { get; init; }

    /// <summary>What the run waits for: <see cref="ToolApprovalRequestContent"/>, <see cref="AgnoInputRequestContent"/> or <see cref="FunctionCallContent"/> (a tool the caller runs).</summary>
    public IReadOnlyList<AIContent> Requests { get; init; } = [];
}
