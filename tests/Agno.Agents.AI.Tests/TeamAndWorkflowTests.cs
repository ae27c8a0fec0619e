using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

public sealed class TeamAndWorkflowTests
{
    [Fact]
    public async Task A_team_answers_with_the_leaders_text_and_member_activity_comes_as_metadata_never_as_messages()
    {
        await using var host = await TestHost.StartAsync();
        var remote = host.Client.GetRemoteTeam("research-team");
        await remote.GetDetailsAsync();
        var team = remote.AsAIAgent();

        var updates = await team.RunStreamingAsync("bread").ToListAsync();

        Assert.Equal("Team says: Facts about bread", string.Concat(updates.Select(u => u.Text)));
        var memberUpdates = updates.Where(u => u.AdditionalProperties?.ContainsKey(AgentOSPropertyNames.Member) == true).ToList();
        Assert.NotEmpty(memberUpdates);
        Assert.All(memberUpdates, u =>
        {
            Assert.Equal("Researcher", u.AdditionalProperties![AgentOSPropertyNames.Member]);
            Assert.Empty(u.Contents);
            Assert.Equal("Research_Team", u.AuthorName);
        });
        Assert.Contains(memberUpdates, u => Equals("Facts about bread", Prop(u, AgentOSPropertyNames.Content)));
        Assert.Contains(memberUpdates, u => u.RawRepresentation is RunStartedEvent { IsNested: true });

        var response = updates.ToAgentResponse();
        var message = Assert.Single(response.Messages);
        Assert.Equal("Team says: Facts about bread", message.Text);
        Assert.Equal("Research_Team", message.AuthorName);

        // The leader's delegation ran on the server: an informational call with its result.
        var delegation = Assert.Single(message.Contents.OfType<FunctionCallContent>());
        Assert.True(delegation.InformationalOnly);
        Assert.Equal("delegate_task_to_member", delegation.Name);
        Assert.Equal("bread", TestHost.UserTexts(host.Researcher, 0)[^1]);
    }

    [Fact]
    public async Task A_team_run_without_streaming_answers_with_one_message()
    {
        await using var host = await TestHost.StartAsync();
        var team = host.Client.GetRemoteTeam("research-team").AsAIAgent();
        var session = (AgentOSAgentSession)await team.CreateSessionAsync();

        var response = await team.RunAsync("salt", session);

        var message = Assert.Single(response.Messages);
        Assert.Equal("Team says: Facts about salt", message.Text);
        Assert.Equal("research-team", message.AuthorName);
        var stored = await host.Client.GetSessionAsync(session.SessionId!, SessionType.Team);
        Assert.Equal("research-team", stored.TeamId);
    }

    [Fact]
    public async Task A_workflow_answers_with_its_final_content_and_steps_come_as_metadata()
    {
        await using var host = await TestHost.StartAsync();
        var workflow = host.Client.GetRemoteWorkflow("report-workflow").AsAIAgent(new AgentOSAIAgentOptions { Name = "Report Workflow" });
        var session = (AgentOSAgentSession)await workflow.CreateSessionAsync();

        var updates = await workflow.RunStreamingAsync("bread", session).ToListAsync();

        Assert.Equal("REPORT: Draft on bread", string.Concat(updates.Select(u => u.Text)));
        var steps = updates.Where(u => u.AdditionalProperties?.ContainsKey(AgentOSPropertyNames.Step) == true).ToList();
        Assert.Contains(steps, u => Equals("draft", Prop(u, AgentOSPropertyNames.Step)) && u.RawRepresentation is StepStartedEvent);
        Assert.Contains(steps, u => Equals("polish", Prop(u, AgentOSPropertyNames.Step)) && Equals("REPORT: Draft on bread", Prop(u, AgentOSPropertyNames.Content)));
        Assert.All(steps, u => Assert.Empty(u.Contents));
        var message = Assert.Single(updates.ToAgentResponse().Messages);
        Assert.Equal("Report_Workflow", message.AuthorName);
        Assert.Equal("REPORT: Draft on bread", message.Text);
        Assert.NotNull(session.SessionId);
        var stored = await host.Client.GetSessionAsync(session.SessionId!, SessionType.Workflow);
        Assert.Equal("report-workflow", stored.WorkflowId);
    }

    private static object? Prop(AgentResponseUpdate u, string key)
        => u.AdditionalProperties is { } p && p.TryGetValue(key, out var v) ? v : null;
}
