using Agno.AgentOS;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;

namespace Agno.SemanticKernel;

/// <summary>
/// Options of a Semantic Kernel <see cref="Agent"/> over a remote AgentOS agent, team or workflow
/// (see <see cref="AgentOSSemanticKernelExtensions"/>).
/// </summary>
public sealed class AgentOSAgentOptions
{
    /// <summary>
    /// The SK agent's name. By default the remote component's name with every character other than
    /// letters, digits and <c>_</c> replaced by <c>_</c> (<c>Echo Agent</c> becomes <c>Echo_Agent</c>), so
    /// that it is valid where SK and model APIs use agent names: handoff function names
    /// (<c>transfer_to_{name}</c>) and message author names.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// The SK agent's description. By default the remote component's description, or a sentence naming
    /// the component when it has none (orchestrations require a description).
    /// </summary>
    public string? Description { get; set; }

    /// <summary>Per-call options of every run (e.g. the end user's token as <see cref="AgentOSRequestOptions.ApiKey"/>).</summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>
    /// Turns the new messages of a turn into the run's <c>message</c> text. By default a single user message
    /// is sent as its text, and anything else as a transcript: one paragraph per message, <c>author: text</c>,
    /// where the author is the message's <see cref="ChatMessageContent.AuthorName"/> or else its role.
    /// Images, audio and other binary content travel separately as media, whatever the formatter.
    /// </summary>
    public Func<IReadOnlyList<ChatMessageContent>, string>? MessageFormatter { get; set; }

    /// <summary>
    /// The message sent when a turn has no text to send (AgentOS requires a non-empty message), e.g. an
    /// invocation without messages, or a group chat turn with nothing new. Default <c>Continue.</c>.
    /// </summary>
    public string EmptyInputMessage { get; set; } = "Continue.";

    /// <summary>
    /// Called with each run request just before it is sent, with the invocation's options (null when none
    /// were given): the place for anything the default mapping does not cover.
    /// </summary>
    public Action<RunRequest, AgentInvokeOptions?>? ConfigureRequest { get; set; }

    /// <summary>
    /// Default kernel arguments of every invocation (the agent's <see cref="Agent.Arguments"/>); those of an
    /// invocation's <see cref="AgentInvokeOptions.KernelArguments"/> win. See
    /// <see cref="AgentOSSemanticKernelExtensions"/> for how they map to the run.
    /// </summary>
    public KernelArguments? Arguments { get; set; }

    /// <summary>
    /// Whether kernel arguments that are not run fields (anything but <c>user_id</c>, <c>session_state</c>,
    /// <c>dependencies</c>, <c>metadata</c>, ...) are sent to the remote component in the run's <c>dependencies</c>.
    /// Default false: prompt variables and secrets in the arguments stay in the process. When true, only JSON values
    /// are sent (strings, booleans, numbers, <c>JsonNode</c> / <c>JsonElement</c>, and objects that serialize to
    /// JSON); a <see cref="Kernel"/>, a delegate, or a value that fails to serialize is left out (and logged). To send
    /// chosen values whatever this setting, pass them in the <c>dependencies</c> argument.
    /// </summary>
    public bool ForwardArgumentsAsDependencies { get; set; }

    /// <summary>
    /// Whether, in a <c>HandoffOrchestration</c>, the agent ends the task with its answer as the summary, as a local agent
    /// does by calling the orchestration's <c>end_task_with_summary</c> function. Default false. A remote agent never
    /// sees the orchestration's handoff functions (<c>transfer_to_*</c>, <c>end_task_with_summary</c>): without this, an
    /// orchestration with an <c>InteractiveCallback</c> asks the human again after each of its answers and never
    /// completes while it is the current agent. With it, the agent calls that function itself (from the invocation's
    /// kernel, after reporting the answer), so the orchestration's result is the answer. Outside a handoff orchestration
    /// (no such function in the invocation's kernel) it does nothing.
    /// </summary>
    public bool EndHandoffTaskWithAnswer { get; set; }

    /// <summary>Logging of the SK agent.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal AgentOSAgentOptions Clone() => (AgentOSAgentOptions)MemberwiseClone();
}
