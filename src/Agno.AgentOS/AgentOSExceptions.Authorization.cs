namespace Agno.AgentOS;

/// <summary>
/// 403 <c>Insufficient permissions. Required scope(s): ...</c>: agno's RBAC refused the token because it lacks a
/// scope; <see cref="RequiredScopes"/> names them (e.g. <c>agents:run</c>, <c>approvals:write</c>).
/// </summary>
public sealed class AgentOSMissingScopeException : AgentOSPermissionException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSMissingScopeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSMissingScopeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSMissingScopeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The scopes the server requires, as it named them (any one of them may be enough).</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];
}

/// <summary>
/// 403 <c>This run requires admin approval before it can be continued</c>: the paused run waits for an admin to resolve
/// its approval (<see cref="AgentOSClient.ResolveApprovalAsync"/>); continue it after that. Servers without
/// authorization answer the same case with a 400 (<see cref="AgentOSBadRequestException"/>).
/// </summary>
public sealed class AgentOSAdminApprovalRequiredException : AgentOSPermissionException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSAdminApprovalRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSAdminApprovalRequiredException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSAdminApprovalRequiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The server does not offer a feature: agno's 503 <c>&lt;Feature&gt; not available: pass a `db` to AgentOS ...</c>
/// (approvals, schedules, service accounts, components need an OS database), a 503 for a missing optional package
/// (<c>`croniter` not installed</c>: the scheduler), or a 404 <c>Not Found</c> of a route the server does not have at
/// all (an older agno, or another AgentOS implementation). Not retried: configuring the server is the fix.
/// </summary>
public sealed class AgentOSFeatureUnavailableException : AgentOSException
{
    /// <summary>Creates the exception.</summary>
    public AgentOSFeatureUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSFeatureUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentOSFeatureUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The feature, as the server or the client names it (e.g. <c>Approvals</c>, <c>Schedules</c>, <c>croniter</c>).</summary>
    public string? Feature { get; init; }
}
