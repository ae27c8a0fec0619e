using System.Text;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;

namespace Agno.SemanticKernel.Tests.Support;

internal static class TestHelpers
{
    /// <summary>Generous bound for waits that normally take milliseconds (never asserted as a timing).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static AgentOSClient Client(ReplayServer server) => new(new AgentOSClientOptions { BaseAddress = server.BaseAddress });

    /// <summary>The form fields of a received request.</summary>
    public static Dictionary<string, string?> Form(ReceivedRequest request)
        => RequestAssert.ParseBody(request.ContentType, request.Body)
            .Where(p => p.FileName is null)
            .ToDictionary(p => p.Name, p => p.Value);

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

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
}
