using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.SemanticKernel.Tests.Support;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.Agents.Chat;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

/// <summary>A remote run that pauses for a human is no answer: the SK agent throws, as the tools and functions do.</summary>
public sealed class HumanInTheLoopTests
{
    [Fact]
    public async Task A_paused_run_throws_with_what_the_caller_needs_to_continue_it_through_the_core_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("084", "085");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("tool-agent").AsSemanticKernelAgent();
        var thread = new AgentOSAgentThread(client, "fixture-hitl-session");
        var reported = new List<ChatMessageContent>();

        var paused = await Assert.ThrowsAsync<AgnoRunPausedException>(
            () => agent.InvokeAsync("delete rec-77", thread, AgentTestHelpers.Recording(reported)).ToListAsync());

        RequestAssert.Matches(Fixtures.Get("084"), server.Last);
        Assert.Empty(reported); // no answer reached the thread or an orchestration
        Assert.Equal(("efa09113-6cde-429f-8cc2-4093c6d2dd01", "fixture-hitl-session"), (paused.RunId, paused.SessionId));
        Assert.Equal("efa09113-6cde-429f-8cc2-4093c6d2dd01", thread.LastRunId);
        Assert.Contains("approval of 'delete_record'", paused.Message, StringComparison.Ordinal);
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(paused.Requests));
        Assert.Equal("delete_record", ((Microsoft.Extensions.AI.FunctionCallContent)request.ToolCall).Name);
        var output = Assert.IsType<AgentRunOutput>(paused.Output);
        Assert.True(output.IsPaused);
        Assert.Equal("tool-agent", output.AgentId);

        // The caller asks a person, then continues the run with the core client.
        Assert.Single(output.Tools!).Reject("not allowed in fixtures");
        var continued = await client.GetRemoteAgent("tool-agent").ContinueStreamingAsync(output.RunId!, ContinueRunRequest.From(output)).CollectAsync();

        RequestAssert.Matches(Fixtures.Get("085"), server.Last);
        Assert.True(continued.Status.IsCompleted);
    }

    [Fact]
    public async Task A_streamed_team_pause_throws_after_the_streamed_content_instead_of_ending_with_a_placeholder_answer()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("172");
        using var client = TestHelpers.Client(server);
        var team = client.GetRemoteTeam("hitl-team").AsSemanticKernelAgent();
        var reported = new List<ChatMessageContent>();
        var chunks = new List<StreamingChatMessageContent>();

        var paused = await Assert.ThrowsAsync<AgnoRunPausedException>(async () =>
        {
            await foreach (var chunk in team.InvokeStreamingAsync("purge sessions", new AgentOSAgentThread(client, "fixture-hitl-team"), AgentTestHelpers.Recording(reported)))
            {
                chunks.Add(chunk.Message);
            }
        });

        RequestAssert.Matches(Fixtures.Get("172"), server.Last);
        Assert.Empty(reported);
        Assert.DoesNotContain(chunks, c => (c.Content ?? string.Empty).Contains("need confirmation", StringComparison.Ordinal));
        var output = Assert.IsType<TeamRunOutput>(paused.Output);
        Assert.Equal("purge_cache", Assert.Single(output.Requirements!).ToolExecution!.ToolName);
        Assert.Equal("purge_cache", ((Microsoft.Extensions.AI.FunctionCallContent)Assert.IsType<ToolApprovalRequestContent>(Assert.Single(paused.Requests)).ToolCall).Name);
    }

    [Fact]
    public async Task A_paused_workflow_throws_with_its_step_requirements()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("178");
        using var client = TestHelpers.Client(server);
        var workflow = client.GetRemoteWorkflow("hitl-workflow").AsSemanticKernelAgent();

        var paused = await Assert.ThrowsAsync<AgnoRunPausedException>(
            () => workflow.InvokeAsync("workflow hitl stream", new AgentOSAgentThread(client, "fixture-hitl-wf")).ToListAsync());

        RequestAssert.Matches(Fixtures.Get("178"), server.Last);
        var output = Assert.IsType<WorkflowRunOutput>(paused.Output);
        Assert.Equal("confirm-echo", Assert.Single(output.StepRequirements!).StepName);
        Assert.Equal("ae1365c6-f14c-46a8-891e-a26621411295", paused.RunId);
        Assert.Single(paused.Requests);
    }

    [Fact]
    public async Task A_pause_in_a_group_chat_is_no_reply_and_the_paused_turn_is_not_sent_again()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("reviewer", "Reviewer", "Reviews drafts.", t => "APPROVED", pauseWhen: t => t.Turn == 1);
        var writer = new ScriptedChatClient("Draft A", "Draft B").CreateAgent("Writer");
        var reviewer = await os.Client.GetRemoteAgent("reviewer").AsSemanticKernelAgentAsync();
        var chat = new AgentGroupChat(writer, reviewer)
        {
            ExecutionSettings = new AgentGroupChatSettings
            {
                SelectionStrategy = new SequentialSelectionStrategy(),
                TerminationStrategy = new RegexTerminationStrategy("APPROVED") { Agents = [reviewer], MaximumIterations = 10 },
            },
        };
        chat.AddChatMessage(new ChatMessageContent(AuthorRole.User, "Write a slogan"));
        var seen = new List<ChatMessageContent>();

        var paused = await Assert.ThrowsAsync<AgnoRunPausedException>(async () =>
        {
            await foreach (var message in chat.InvokeAsync())
            {
                seen.Add(message);
            }
        });

        Assert.Equal([("Writer", "Draft A")], seen.Select(m => (m.AuthorName, m.Content)));
        var history = await chat.GetChatMessagesAsync().ToListAsync();
        Assert.DoesNotContain(history, m => m.AuthorName == "Reviewer");
        Assert.Equal(os.RunsOf("reviewer")[0].RunId, paused.RunId);

        // After the run was dealt with, the chat goes on: the reviewer gets only what is new.
        var rest = await chat.InvokeAsync().ToListAsync();

        Assert.Equal([("Writer", "Draft B"), ("Reviewer", "APPROVED")], rest.Select(m => (m.AuthorName, m.Content)));
        Assert.Equal(["user: Write a slogan\n\nWriter: Draft A", "Writer: Draft B"], os.RunsOf("reviewer").Select(r => r.Message));
    }
}
