using Agno.Extensions.AI;
using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Internal;

/// <summary>Maps a stored run's output (a polled background run) to an <see cref="AgentResponse"/>, as the stream mapping would.</summary>
internal static class OutputMapper
{
    public static AgentResponse ToResponse(RunOutput output, AgentOSComponentKind kind, string agentId, string authorName)
    {
        var contents = new List<AIContent>(4);
        if (output.ReasoningContent is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

        if (output.Tools is { } tools && kind != AgentOSComponentKind.Workflow)
        {
            foreach (var tool in tools)
            {
                if (tool?.ToolCallId is not { Length: > 0 } callId || tool.NeedsHumanAction)
                {
                    continue;
                }

                contents.Add(AgnoContentMapper.ToServerFunctionCall(tool));
                if (tool.Result is not null || tool.ToolCallError == true)
                {
                    contents.Add(new FunctionResultContent(callId, tool.Result) { RawRepresentation = tool });
                }
            }
        }

        // The text agno puts on a paused run ("I have tools to execute...") is not answer text.
        if (!output.Status.IsPaused && output.Content is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        contents.AddRange(AgnoContentMapper.CreateRequests(kind, output));

        var message = new ChatMessage(ChatRole.Assistant, contents)
        {
            MessageId = output.RunId,
            AuthorName = authorName,
            CreatedAt = output.CreatedAt,
        };

        return new AgentResponse(message)
        {
            AgentId = agentId,
            ResponseId = output.RunId,
            CreatedAt = output.CreatedAt,
            FinishReason = output.Status.IsCompleted ? ChatFinishReason.Stop
                : output.Status.IsPaused ? ChatFinishReason.ToolCalls
                : output.Status.IsCancelled ? AgnoContentMapper.CancelledFinishReason
                : null,
            Usage = AgnoContentMapper.ToUsage(output.Metrics),
            RawRepresentation = output,
        };
    }
}
