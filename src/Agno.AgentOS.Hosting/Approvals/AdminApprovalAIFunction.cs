using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>The kind of an admin approval, as agno's <c>@approval(type=...)</c>.</summary>
public enum AdminApprovalType
{
    /// <summary>
    /// Blocking (agno's default <c>@approval</c>): the run pauses, a <c>pending</c> approval is created, and the run
    /// continues only once an admin resolved it through <c>/approvals/{id}/resolve</c>.
    /// </summary>
    Required,

    /// <summary>
    /// An audit trail (<c>@approval(type="audit")</c>): the run pauses for the caller's ordinary confirmation, and once
    /// the caller answered an already resolved approval row records it.
    /// </summary>
    Audit,
}

/// <summary>
/// A host tool that needs an admin approval, agno's <c>@approval</c>: wrap the <see cref="AIFunction"/> of a
/// <see cref="HostedAgent"/> (or a team leader) in it. A call pauses the run like an
/// <see cref="ApprovalRequiredAIFunction"/> (the tool shows <c>requires_confirmation</c>, <c>approval_type</c> and
/// <c>approval_id</c>) and creates an approval record served by <c>/approvals</c>; for
/// <see cref="AdminApprovalType.Required"/> the run is continued (with no answers) after an admin resolved it: approved,
/// the tool runs; rejected, it does not.
/// </summary>
/// <example>
/// <code>
/// agent.Tools.Add(new AdminApprovalAIFunction(AIFunctionFactory.Create((string record_id) => $"Record {record_id} deleted", "delete_record")));
/// </code>
/// </example>
public sealed class AdminApprovalAIFunction : DelegatingAIFunction
{
    /// <summary>Marks a function as needing an admin approval.</summary>
    /// <param name="innerFunction">The tool (wrapped in an <see cref="ApprovalRequiredAIFunction"/> unless it is one already).</param>
    /// <param name="approvalType">Blocking (the default) or an audit record.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approvalType"/> is not a defined value.</exception>
    public AdminApprovalAIFunction(AIFunction innerFunction, AdminApprovalType approvalType = AdminApprovalType.Required)
        : base(RequiringConfirmation(innerFunction))
    {
        if (!Enum.IsDefined(approvalType))
        {
            throw new ArgumentOutOfRangeException(nameof(approvalType), approvalType, "Not an AdminApprovalType.");
        }

        ApprovalType = approvalType;
    }

    /// <summary>Blocking or audit.</summary>
    public AdminApprovalType ApprovalType { get; }

    /// <summary>The wire name of the approval type (<c>required</c> or <c>audit</c>).</summary>
    internal string WireType => ApprovalType == AdminApprovalType.Audit ? "audit" : "required";

    /// <summary>The admin approval a tool needs, or null.</summary>
    internal static AdminApprovalAIFunction? Of(AITool tool)
        => tool as AdminApprovalAIFunction ?? tool.GetService(typeof(AdminApprovalAIFunction)) as AdminApprovalAIFunction;

    private static AIFunction RequiringConfirmation(AIFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function is ApprovalRequiredAIFunction || function.GetService(typeof(ApprovalRequiredAIFunction)) is not null
            ? function
            : new ApprovalRequiredAIFunction(function);
    }
}
