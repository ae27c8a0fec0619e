using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Internal;

/// <summary>
/// Makes a continued run answer every approval it was given with the completed call and its result, as a local
/// function-invoking agent does. MAF's workflow host (<c>AIAgentHostOptions</c>) forwards an answered approval only
/// once the agent returned the matching <see cref="FunctionCallContent"/> and <see cref="FunctionResultContent"/>,
/// and fails the executor otherwise. The server reports a tool it ran after a confirmation (<c>ToolCallStarted</c> /
/// <c>ToolCallCompleted</c>), but not a rejected tool, a team member's tool (a nested event, kept as metadata) nor a
/// confirmed workflow step: those are completed here, marked informational (they ran, or were refused, on the server),
/// with the server's result when a nested event reported one, else the rejection note or a confirmation.
/// </summary>
internal sealed class ApprovalCompletions
{
    /// <summary>The result of a confirmed call the server did not report.</summary>
    public const string ConfirmedResult = "Confirmed by the user; the server continued the run.";

    /// <summary>The result of a rejected call without a note.</summary>
    public const string RejectedResult = "The tool call was rejected by the user.";

    private readonly List<ToolApprovalResponseContent> _approvals;
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _nestedResults = new(StringComparer.Ordinal);

    public ApprovalCompletions(IEnumerable<AIContent> answers)
        => _approvals = [.. answers.OfType<ToolApprovalResponseContent>()];

    /// <summary>Notes the results the stream reports (as contents of an update, or in nested events).</summary>
    public void Observe(AgentOSEvent e, AgentResponseUpdate? update)
    {
        foreach (var result in update?.Contents.OfType<FunctionResultContent>() ?? [])
        {
            _completed.Add(result.CallId);
        }

        if (e is ToolCallCompletedEvent { Tool: { ToolCallId: { Length: > 0 } callId } tool } completed)
        {
            _nestedResults[callId] = tool.Result ?? completed.Content;
        }
    }

    /// <summary>An update with the calls and results still missing, or null.</summary>
    public AgentResponseUpdate? Missing(string? runId, string agentId, string? authorName)
    {
        var contents = new List<AIContent>();
        foreach (var approval in _approvals)
        {
            if (approval.ToolCall?.CallId is not { Length: > 0 } callId || !_completed.Add(callId))
            {
                continue;
            }

            var call = approval.ToolCall as FunctionCallContent;
            contents.Add(new FunctionCallContent(callId, call?.Name ?? "tool", call?.Arguments) { InformationalOnly = true, RawRepresentation = approval });
            string? result = _nestedResults.GetValueOrDefault(callId)
                ?? (approval.Approved ? ConfirmedResult : approval.Reason ?? RejectedResult);
            contents.Add(new FunctionResultContent(callId, result) { RawRepresentation = approval });
        }

        return contents.Count == 0 ? null : new AgentResponseUpdate(ChatRole.Assistant, contents)
        {
            AgentId = agentId,
            ResponseId = runId,
            MessageId = runId,
            AuthorName = authorName,
        };
    }
}
