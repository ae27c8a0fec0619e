using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// A remote agent that pauses for a tool confirmation inside a running MAF workflow: the workflow raises the
/// approval as an external request (<see cref="RequestInfoEvent"/>); answering it continues the paused run on the
/// server and the workflow finishes.
/// </summary>
public sealed class WorkflowApprovalTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("agent", "ops-agent", "delete rec-5", true, "Done: Record rec-5 deleted")]
    [InlineData("agent", "ops-agent", "delete rec-5", false, "Done: keep it")]
    [InlineData("team", "ops-team", "delete rec-9", true, "Team: Done: Record rec-9 deleted")]
    [InlineData("team", "ops-team", "delete rec-9", false, "Team: Done: keep it")]
    [InlineData("workflow", "publish-workflow", "bread", true, "PUBLISHED: Draft on bread")]
    public async Task An_approval_answered_inside_a_running_workflow_continues_the_run_on_the_server_and_the_workflow_finishes(string kind, string id, string input, bool approve, string expected)
    {
        await using var host = await TestHost.StartAsync();
        var options = new AgentOSAIAgentOptions { Name = "Remote" };
        AIAgent remote = kind switch
        {
            "agent" => host.Client.GetRemoteAgent(id).AsAIAgent(options),
            "team" => host.Client.GetRemoteTeam(id).AsAIAgent(options),
            _ => host.Client.GetRemoteWorkflow(id).AsAIAgent(options),
        };
        var workflow = AgentWorkflowBuilder.BuildSequential(remote);
        using var guard = new CancellationTokenSource(HangGuard);

        await using StreamingRun run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, input) });
        await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
        var requests = new List<ToolApprovalRequestContent>();
        List<ChatMessage>? output = null;
        await foreach (var e in run.WatchStreamAsync(guard.Token))
        {
            switch (e)
            {
                case RequestInfoEvent info when info.Request.TryGetDataAs<ToolApprovalRequestContent>(out var approval):
                    requests.Add(approval);
                    await run.SendResponseAsync(info.Request.CreateResponse(approval.CreateResponse(approve, approve ? null : "keep it")));
                    break;
                case WorkflowOutputEvent o when o.Is<List<ChatMessage>>(out var messages):
                    output = messages;
                    break;
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException("The workflow failed: " + error.Data, error.Data as Exception);
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException($"Executor {failed.ExecutorId} failed: {failed.Data}", failed.Data as Exception);
            }
        }

        Assert.False(guard.IsCancellationRequested, "the workflow hung after the approval was answered");
        Assert.Single(requests);
        Assert.NotNull(output);
        Assert.Contains(output!, m => m.Text == expected);

        // The run paused on the server is the one that was continued, and it completed there.
        var sessionType = kind switch { "agent" => SessionType.Agent, "team" => SessionType.Team, _ => SessionType.Workflow };
        var session = Assert.Single((await host.Client.ListSessionsAsync(new SessionQuery { Type = sessionType, ComponentId = id })).Data);
        var runs = kind switch
        {
            "agent" => (await host.Client.ListAgentRunsAsync(id, session.SessionId!)),
            "team" => (await host.Client.ListTeamRunsAsync(id, session.SessionId!)),
            _ => (await host.Client.ListWorkflowRunsAsync(id, session.SessionId!)),
        };
        Assert.Equal(Agno.AgentOS.RunStatus.Completed, Assert.Single(runs).Status);
    }

    [Fact]
    public async Task The_completed_call_of_a_rejected_approval_carries_the_note_and_is_marked_as_run_on_the_server()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("ops-agent").AsAIAgent();
        var session = await agent.CreateSessionAsync();
        var paused = await agent.RunAsync("delete rec-6", session);
        var request = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

        var done = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(false, "not now")]), session);

        var contents = done.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<FunctionCallContent>());
        var result = Assert.Single(contents.OfType<FunctionResultContent>());
        Assert.Equal(("call_del", "delete_record", true), (call.CallId, call.Name, call.InformationalOnly));
        Assert.Equal(("call_del", "not now"), (result.CallId, result.Result as string));
        Assert.Equal("Done: not now", done.Text);
    }
}
