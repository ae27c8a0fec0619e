using Agno.AgentOS;
using Agno.SemanticKernel;
using Microsoft.SemanticKernel.Agents;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Remote AgentOS agents, teams and workflows as Semantic Kernel <see cref="Agent"/>s: for direct use
/// (<c>InvokeAsync</c> / <c>InvokeStreamingAsync</c> in an <see cref="AgentOSAgentThread"/>), as members of an
/// <c>AgentGroupChat</c>, and of the Sequential, Concurrent, GroupChat and Handoff orchestrations.
/// </summary>
/// <remarks>
/// <para>What an invocation sends: the new messages of the turn as the run's <c>message</c> (one user message
/// as its text; otherwise a transcript with each message's author), images, audio and other binary content
/// as media, <c>session_id</c> from the thread (none on the first turn: the server creates the session) and
/// <c>user_id</c> from <see cref="AgentOSAgentThread.UserId"/>.</para>
/// <para><see cref="AgentInvokeOptions.AdditionalInstructions"/> has no AgentOS run field: it, the instructions the
/// thread's AI context providers contribute, and the system messages of the turn lead the message, one
/// <c>system: ...</c> paragraph each (the instructions policy of <c>Agno.Extensions.AI</c>'s chat client too; agno has
/// no per-run instructions field). <see cref="AgentInvokeOptions.KernelArguments"/> (over the
/// agent's own <see cref="Agent.Arguments"/>): the arguments <c>user_id</c>, <c>session_state</c>,
/// <c>dependencies</c>, <c>metadata</c>, <c>knowledge_filters</c>, <c>output_schema</c>, <c>use_json_schema</c>,
/// <c>add_history_to_context</c>, <c>add_dependencies_to_context</c>, <c>add_session_state_to_context</c>,
/// <c>version</c> and <c>additional_data</c> set the run field of that name; other arguments stay local unless
/// <see cref="AgentOSAgentOptions.ForwardArgumentsAsDependencies"/> sends their JSON values in
/// <c>dependencies</c>; execution settings are ignored (the remote component's model is configured on the
/// server), and so are <see cref="AgentInvokeOptions.Kernel"/> and its functions: a remote agent cannot call
/// local functions (in a Handoff orchestration it can be a handoff target, not hand off itself).</para>
/// <para>The answer is one message with the run's own content (team members' and workflow steps' text is not
/// mixed in), the reasoning as a <c>ReasoningContent</c> when there is one, and the run id, session id,
/// status and usage in its metadata (<see cref="AgentOSMetadataKeys"/>). Every invocation reports it through
/// <see cref="AgentInvokeOptions.OnIntermediateMessage"/> (orchestrations take an agent's result from there).
/// A run that pauses for a human (human in the loop) gives no answer: the invocation throws
/// <see cref="Agno.Extensions.AI.AgnoRunPausedException"/> (after the content streamed before the pause) with the
/// run id, the session id, the paused output and the requests; continue the run with the core client
/// (e.g. <c>ContinueRunRequest.From((AgentRunOutput)ex.Output)</c>) or the component's chat client.
/// Cancelling the invocation closes the stream and asks the server to cancel the run.</para>
/// </remarks>
public static class AgentOSSemanticKernelExtensions
{
    /// <summary>
    /// The remote agent, team or workflow as an SK <see cref="AgentOSAgent"/>, with its id, name and description from
    /// the server's configuration (fetched, or taken from the handle's cache; not fetched when
    /// <paramref name="options"/> give both a name and a description). A team can be a member wherever an agent can;
    /// a workflow's answer is its output.
    /// </summary>
    /// <param name="component">The remote agent, team or workflow (<see cref="RemoteAgent"/>, <see cref="RemoteTeam"/>, <see cref="RemoteWorkflow"/>).</param>
    /// <param name="options">Options (name, description, request options, message formatting).</param>
    /// <param name="cancellationToken">Cancels fetching the configuration.</param>
    /// <returns>The SK agent.</returns>
    public static async Task<AgentOSAgent> AsSemanticKernelAgentAsync(this RemoteComponent component, AgentOSAgentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (options is not { Name: not null, Description: not null })
        {
            await component.GetDetailsAsync(cancellationToken).ConfigureAwait(false);
        }

        return new AgentOSAgent(component, options);
    }

    /// <summary>
    /// The remote agent, team or workflow as an SK <see cref="AgentOSAgent"/> without a call to the server: name and
    /// description come from <paramref name="options"/>, else from the configuration the handle has cached (after
    /// <see cref="RemoteComponent.GetDetailsAsync"/>), else from the id. The same as
    /// <see cref="AgentOSAgent(RemoteComponent, AgentOSAgentOptions?)"/>; prefer
    /// <see cref="AsSemanticKernelAgentAsync"/> for the server's name and description.
    /// </summary>
    /// <param name="component">The remote agent, team or workflow.</param>
    /// <param name="options">Options.</param>
    /// <returns>The SK agent.</returns>
    public static AgentOSAgent AsSemanticKernelAgent(this RemoteComponent component, AgentOSAgentOptions? options = null)
        => new(component, options);
}
