using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.Extensions.AI.Internal;

namespace Microsoft.Extensions.AI;

/// <summary>
/// Remote AgentOS agents, teams and workflows as <see cref="IChatClient"/>.
/// </summary>
/// <remarks>
/// <para><b>Conversations.</b> AgentOS keeps the history per session. With <see cref="ChatOptions.ConversationId"/>
/// (a session id), only the messages after the last assistant message are sent. Without it, a single user
/// message is sent as text and a longer history as agno's JSON list of <c>{"role","content"}</c> messages (the
/// form agno's own clients use), so earlier turns still reach the component. The session id comes back as
/// <see cref="ChatResponse.ConversationId"/> (and on every streaming update): pass it back to continue.</para>
/// <para><b>Instructions.</b> AgentOS has no per-run instructions: <see cref="ChatOptions.Instructions"/> and the
/// system messages lead the text sent for the turn, one <c>system: ...</c> paragraph each (instructions first, then
/// the system messages in order, including those before the last assistant message: they are never dropped). In
/// the JSON list sent without a conversation id, system messages stay messages of role <c>system</c> and the
/// instructions come first as one more. The Semantic Kernel adapter treats <c>AdditionalInstructions</c> the same
/// way.</para>
/// <para><b>Input.</b> Text; <see cref="DataContent"/> and <see cref="UriContent"/> become the run's images, audio,
/// videos or documents; <see cref="ChatOptions.ResponseFormat"/> with a JSON schema becomes the run's output schema;
/// <see cref="ChatOptions.AdditionalProperties"/> carry the keys of <see cref="AgnoPropertyNames"/>;
/// <see cref="ChatOptions.RawRepresentationFactory"/> may return a <see cref="RunRequest"/> to start from (any
/// typed run field). AgentOS runs its own model and tools, so these options are ignored: <c>ModelId</c>,
/// <c>Temperature</c>, <c>MaxOutputTokens</c>, <c>TopP</c>, <c>TopK</c>, penalties, <c>Seed</c>,
/// <c>StopSequences</c>, <c>Reasoning</c>, <c>Tools</c>, <c>ToolMode</c>, <c>AllowMultipleToolCalls</c>, and a JSON
/// response format without a schema.</para>
/// <para><b>Output.</b> Answer text, reasoning as <see cref="TextReasoningContent"/>, the tool calls that ran on the
/// server as informational <see cref="FunctionCallContent"/> (<see cref="FunctionCallContent.InformationalOnly"/>)
/// with their <see cref="FunctionResultContent"/>, <c>ResponseId</c> = run id, <c>ModelId</c>, <c>CreatedAt</c>,
/// <c>FinishReason</c> (stop, tool calls for a paused run, <c>cancelled</c>), <c>Usage</c>, and
/// <c>RawRepresentation</c> = the typed run output (each streaming update: the <see cref="AgentOSEvent"/>).</para>
/// <para><b>Teams and workflows.</b> The answer is the team leader's own content (member runs never mix in) and a
/// workflow's final content (<c>WorkflowCompleted</c>). Member and step activity streams as updates without
/// contents whose <c>RawRepresentation</c> is the event (see <see cref="AgnoChatClientOptions.IncludeActivityUpdates"/>).</para>
/// <para><b>Human in the loop.</b> A paused run answers with a <see cref="ToolApprovalRequestContent"/> (a tool or a
/// workflow step needs a confirmation; its tool call is informational) or an <see cref="AgnoInputRequestContent"/>
/// (user input, a route), or a plain <see cref="FunctionCallContent"/> for a tool the caller must run itself
/// (external execution). Send <see cref="ToolApprovalResponseContent"/>, <see cref="AgnoInputResponseContent"/> or
/// <see cref="FunctionResultContent"/> in the next call: it continues the paused run on the server (any text next to
/// the answers is not sent: continuing takes no new message).</para>
/// <para><b>Background responses.</b> With <see cref="ChatOptions.AllowBackgroundResponses"/>, a run starts in the
/// background and the response (or every streaming update but the last) carries a <see cref="ResponseContinuationToken"/>;
/// passing it back in <see cref="ChatOptions.ContinuationToken"/> polls the run (non-streaming) or resumes its stream
/// after the last event seen (streaming).</para>
/// <para><b>Cancellation.</b> Cancelling stops the request; once the run id is known (streams, continues) the server
/// is also asked to cancel the run. Background runs are left running. Exceptions of the core client pass through.</para>
/// </remarks>
public static class AgnoChatClientExtensions
{
    /// <summary>Gets an <see cref="IChatClient"/> that chats with a remote agent.</summary>
    /// <param name="agent">The remote agent.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The chat client.</returns>
    /// <example>
    /// <code>
    /// IChatClient chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
    /// var response = await chat.GetResponseAsync("hello");
    /// var next = await chat.GetResponseAsync("and again", new ChatOptions { ConversationId = response.ConversationId });
    /// </code>
    /// </example>
    public static IChatClient AsIChatClient(this RemoteAgent agent, AgnoChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new AgnoChatClient(agent, options);
    }

    /// <summary>Gets an <see cref="IChatClient"/> that chats with a remote team (the answer is the leader's).</summary>
    /// <param name="team">The remote team.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The chat client.</returns>
    public static IChatClient AsIChatClient(this RemoteTeam team, AgnoChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        return new AgnoChatClient(team, options);
    }

    /// <summary>Gets an <see cref="IChatClient"/> that runs a remote workflow (the answer is its final content).</summary>
    /// <param name="workflow">The remote workflow.</param>
    /// <param name="options">Options (copied).</param>
    /// <returns>The chat client.</returns>
    public static IChatClient AsIChatClient(this RemoteWorkflow workflow, AgnoChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return new AgnoChatClient(workflow, options);
    }
}
