using System.Text;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// The one way the adapters report a run that paused for a human where they cannot ask for the answer (tools, and
/// through <see cref="AgnoRunPausedException.FromPausedRun"/> the kernel functions and agents of other adapters): an
/// <see cref="AgnoRunPausedException"/> with the paused output and the requests.
/// </summary>
internal static class RunPauses
{
    /// <summary>The exception for a paused run's output.</summary>
    public static AgnoRunPausedException Exception(RemoteComponent runner, RunOutput output)
    {
        var requests = new List<AIContent>();
        if (PausedRun.From(runner.Kind, output) is { } paused)
        {
            // The requests' raw objects are the output's own: confirming one and continuing from Output works.
            HumanInTheLoop.AddRequests(requests, paused);
        }

        var sb = new StringBuilder()
            .Append("The remote Agno ").Append(runner.KindName).Append(" '").Append(runner.Id)
            .Append("' paused its run and waits for a human: ");
        if (requests.Count == 0)
        {
            sb.Append("an action this client cannot express");
        }

        for (int i = 0; i < requests.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : "; ").Append(requests[i] switch
            {
                ToolApprovalRequestContent { ToolCall: FunctionCallContent call } approval when AdminApproval(approval) is { } id
                    => $"an admin's approval of '{call.Name}' (central approval{(id.Length > 0 ? " '" + id + "'" : string.Empty)}: an admin resolves it with AgentOSClient.ResolveApprovalAsync, then continue with ContinueAfterApprovalAsync; this caller cannot approve it)",
                ToolApprovalRequestContent { ToolCall: FunctionCallContent call } => $"approval of '{call.Name}'",
                AgnoInputRequestContent { ToolCall: { } call } => $"user input for '{call.Name}'",
                AgnoInputRequestContent input => input.Message ?? "user input",
                FunctionCallContent call => $"the result of '{call.Name}', which the caller runs",
                _ => "an answer",
            });
        }

        sb.Append(". Nothing was approved. Answer the requests through the ").Append(runner.KindName)
            .Append("'s chat client (AsIChatClient) with ConversationId '").Append(output.SessionId)
            .Append("', or continue run '").Append(output.RunId).Append("' with the AgentOS client.");
        return new AgnoRunPausedException(sb.ToString())
        {
            RunId = output.RunId,
            SessionId = output.SessionId,
            Output = output,
            Requests = requests,
        };
    }

    /// <summary>The central approval id ("" when the server gave none) of a request that waits for an admin (agno's <c>@approval</c>, type <c>required</c>), else null.</summary>
    private static string? AdminApproval(ToolApprovalRequestContent approval)
        => approval.AdditionalProperties?.TryGetValue(AgnoPropertyNames.ApprovalType, out var type) == true && type as string == "required"
            ? approval.AdditionalProperties.TryGetValue(AgnoPropertyNames.ApprovalId, out var id) && id is string s ? s : string.Empty
            : null;
}
