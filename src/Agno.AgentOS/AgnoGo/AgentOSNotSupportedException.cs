namespace Agno.AgentOS;

/// <summary>
/// The server's AgentOS dialect cannot do what was asked (e.g. cancel a run, continue a paused run, run a team or a
/// workflow, memories or knowledge of the Python kind on an agno-go server). Thrown before any request of the operation
/// is sent (in <see cref="AgentOSDialect.Auto"/> mode the dialect may first have been detected with <c>GET /health</c>).
/// </summary>
public sealed class AgentOSNotSupportedException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public AgentOSNotSupportedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSNotSupportedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AgentOSNotSupportedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The dialect that lacks the operation.</summary>
    public AgentOSDialect Dialect { get; init; }

    /// <summary>The operation, e.g. <c>cancelling a run</c> or <c>teams</c>.</summary>
    public string? Operation { get; init; }
}
