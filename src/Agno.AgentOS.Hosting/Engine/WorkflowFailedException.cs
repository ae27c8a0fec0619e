namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The error a failing workflow step raises (the run fails: <c>WorkflowError</c>, or HTTP 500 when not streaming).</summary>
internal sealed class WorkflowFailedException : Exception
{
    public WorkflowFailedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public WorkflowFailedException()
    {
    }

    public WorkflowFailedException(string message)
        : base(message)
    {
    }
}
