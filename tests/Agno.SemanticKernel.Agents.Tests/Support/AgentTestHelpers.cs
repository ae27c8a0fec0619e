using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;

namespace Agno.SemanticKernel.Tests.Support;

/// <summary>Helpers of the SK agent tests (the shared ones are linked from Agno.SemanticKernel.Tests/Support).</summary>
internal static class AgentTestHelpers
{
    public static string Text(this IEnumerable<AgentResponseItem<StreamingChatMessageContent>> chunks)
    {
        var sb = new StringBuilder();
        foreach (var c in chunks)
        {
            sb.Append(c.Message.Content);
        }

        return sb.ToString();
    }

    /// <summary>Invocation options that record the complete messages reported by the agent.</summary>
    public static AgentInvokeOptions Recording(List<ChatMessageContent> into, AgentInvokeOptions? template = null)
        => new(template ?? new AgentInvokeOptions())
        {
            OnIntermediateMessage = m =>
            {
                lock (into)
                {
                    into.Add(m);
                }

                return Task.CompletedTask;
            },
        };

    /// <summary>A local SK agent answering from the script.</summary>
    public static ChatCompletionAgent CreateAgent(this ScriptedChatClient model, string name, string description = "A local scripted agent.")
        => new() { Name = name, Description = description, Instructions = $"You are {name}.", Kernel = model.CreateKernel() };
}
