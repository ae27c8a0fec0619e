namespace Agno.SemanticKernel;

/// <summary>
/// Keys of the <see cref="Microsoft.SemanticKernel.KernelContent.Metadata"/> of the messages an AgentOS agent
/// answers with, and of the <see cref="Microsoft.SemanticKernel.FunctionResult.Metadata"/> of AgentOS kernel
/// functions.
/// </summary>
public static class AgentOSMetadataKeys
{
    /// <summary>The run id (string).</summary>
    public const string RunId = "agno.run_id";

    /// <summary>The session id (string): pass it back to continue the conversation.</summary>
    public const string SessionId = "agno.session_id";

    /// <summary>The run's status (string: <c>COMPLETED</c>, <c>PAUSED</c>, <c>CANCELLED</c>, ...).</summary>
    public const string Status = "agno.status";

    /// <summary>The run's metrics (<see cref="Agno.AgentOS.RunMetrics"/>: tokens, duration), when the server sent them.</summary>
    public const string Usage = "agno.usage";

    /// <summary>The content type (string: <c>str</c>, or the output schema's name for structured output).</summary>
    public const string ContentType = "agno.content_type";

    /// <summary>The tool calls the remote component made in the run (list of <see cref="Agno.AgentOS.ToolExecution"/>), when there were any.</summary>
    public const string ToolCalls = "agno.tool_calls";
}
