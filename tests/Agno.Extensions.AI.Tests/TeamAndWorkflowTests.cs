using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Extensions.AI.Tests;

public sealed class TeamAndWorkflowTests
{
    [Fact]
    public async Task Team_response_is_the_leaders_answer_with_its_delegation_as_an_informational_call()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("060");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteTeam("echo-team").AsIChatClient();

        var response = await chat.GetResponseAsync("team hello", new ChatOptions { ConversationId = "fixture-team-session" });

        RequestAssert.Matches(Fixtures.Get("060"), server.Last);
        Assert.Equal("Team: Member: team hello (turn 1)", response.Text);
        Assert.Equal("Echo Team", response.Messages[0].AuthorName);
        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.True(call.InformationalOnly);
        Assert.Equal("delegate_task_to_member", call.Name);
        Assert.Single(response.Messages[0].Contents.OfType<FunctionResultContent>());
        var raw = Assert.IsType<TeamRunOutput>(response.RawRepresentation);
        Assert.NotEmpty(raw.MemberResponses!);
        Assert.Equal("fixture-team-session", response.ConversationId);
    }

    [Fact]
    public async Task Team_stream_text_is_the_leaders_content_and_member_activity_stays_out_of_it()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("061");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteTeam("echo-team").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("team streaming hello").ToListAsync();

        RequestAssert.Matches(Fixtures.Get("061"), server.Last);
        Assert.Equal("Team: Member: team streaming hello (turn 1)", updates.Text());
        var memberUpdates = updates.Where(u => u.RawRepresentation is AgentOSEvent { IsNested: true }).ToList();
        Assert.Equal(11, memberUpdates.Count);
        Assert.All(memberUpdates, u => Assert.Empty(u.Contents));
        Assert.Contains(memberUpdates, u => u.RawRepresentation is RunContentEvent { Content: "Member: " });
        Assert.All(updates, u => Assert.Equal("d9ba8e70-f770-476d-a694-915444c79cec", u.ResponseId));
        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal("delegate_task_to_member", Assert.Single(calls).Name);
        Assert.True(calls[0].InformationalOnly);

        var response = updates.ToChatResponse();
        Assert.Equal("Team: Member: team streaming hello (turn 1)", response.Text);
        Assert.Equal(30, response.Usage!.TotalTokenCount);
        Assert.Equal("Echo Team", response.Messages[0].AuthorName);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Workflow_response_is_the_final_step_content_with_usage_summed_over_steps()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("070");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteWorkflow("echo-workflow").AsIChatClient();

        var response = await chat.GetResponseAsync("workflow hello", new ChatOptions { ConversationId = "fixture-wf-session" });

        RequestAssert.Matches(Fixtures.Get("070"), server.Last);
        Assert.Equal("UPPER: WF: WORKFLOW HELLO (TURN 1)", response.Text);
        Assert.Equal("Echo Workflow", response.Messages[0].AuthorName);
        Assert.IsType<WorkflowRunOutput>(response.RawRepresentation);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task Workflow_stream_answers_with_the_completed_content_and_streams_steps_as_activity()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("071");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteWorkflow("echo-workflow").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("workflow streaming hello").ToListAsync();

        RequestAssert.Matches(Fixtures.Get("071"), server.Last);
        Assert.Equal("UPPER: WF: WORKFLOW STREAMING HELLO (TURN 1)", updates.Text());
        var withText = Assert.Single(updates, u => u.Text.Length > 0);
        Assert.IsType<RunCompletedEvent>(withText.RawRepresentation);
        Assert.Same(withText, updates[^1]);
        Assert.Contains(updates, u => u.RawRepresentation is StepStartedEvent { StepName: "upper" } && u.Contents.Count == 0);
        Assert.Contains(updates, u => u.RawRepresentation is RunContentEvent { Content: "WF: " } && u.Contents.Count == 0);
        Assert.All(updates, u => Assert.Equal("9d0365b0-fb34-48f1-9611-76bf16d9279a", u.ResponseId));
        var usage = Assert.Single(updates[^1].Contents.OfType<UsageContent>());
        Assert.Equal(15, usage.Details.TotalTokenCount);
    }
}
