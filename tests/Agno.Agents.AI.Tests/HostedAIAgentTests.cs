using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Agno.AgentOS.Hosting;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// Both directions at once: a local MAF <see cref="ChatClientAgent"/> served by the host
/// (<c>AddAgent(id, AIAgent)</c>) and called through this package's <see cref="AgentOSAIAgent"/>, as any AgentOS
/// agent: sessions, streaming, and an approval asked by the served agent and answered by the caller.
/// </summary>
public sealed class HostedAIAgentTests
{
    [Fact]
    public async Task A_MAF_agent_served_over_AgentOS_is_called_as_an_AIAgent_with_its_session_and_its_approvals()
    {
        int deleted = 0;
        var model = new ScriptedChatClient(turn => turn.FunctionResults.Count > 0
            ? [new TextContent($"Done: {TestHost.Text(turn.FunctionResults[^1].Result)}")]
            : turn.LastUserText.StartsWith("delete ", StringComparison.Ordinal)
                ? [new FunctionCallContent("call_x", "delete_record", new Dictionary<string, object?> { ["record_id"] = turn.LastUserText[7..] })]
                : [new TextContent($"Served: {turn.LastUserText} ({turn.Turn})")]);
        var served = new ChatClientAgent(model, "Serve.", "Served Agent", "A local MAF agent.",
        [
            new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string record_id) => $"Record {record_id} deleted{(deleted++ > 0 ? " again" : string.Empty)}", "delete_record", "Deletes a record.")),
        ]);
        await using var host = await TestHost.StartAsync(b => b.AddAgent("served-agent", served));
        var agent = host.Client.GetRemoteAgent("served-agent").AsAIAgent();
        var session = (AgentOSAgentSession)await agent.CreateSessionAsync();

        var first = await agent.RunAsync("hello", session);
        var second = string.Concat((await agent.RunStreamingAsync("again", session).ToListAsync()).Select(u => u.Text));
        var paused = await agent.RunAsync("delete rec-1", session);
        var request = Assert.Single(paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        var done = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), session);

        Assert.Equal("Served: hello (1)", first.Text);
        Assert.Equal("Served: again (2)", second);
        Assert.Equal("delete_record", ((FunctionCallContent)request.ToolCall).Name);
        Assert.Equal("Done: Record rec-1 deleted", done.Text);
        Assert.Equal(1, deleted);

        // The served agent's model saw one conversation: its own session kept across the AgentOS runs.
        Assert.Equal(["hello", "again", "delete rec-1"], model.Calls[^1].Where(m => m.Role == ChatRole.User && m.Text.Length > 0).Select(m => m.Text));
    }
}
