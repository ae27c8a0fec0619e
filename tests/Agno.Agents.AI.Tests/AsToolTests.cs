using System.Text.Json;
using Agno.AgentOS.Hosting;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

public sealed class AsToolTests
{
    [Fact]
    public async Task A_remote_team_is_a_tool_of_a_local_ChatClientAgent_whose_function_invocation_runs_it_on_the_server()
    {
        await using var host = await TestHost.StartAsync();
        var team = host.Client.GetRemoteTeam("research-team").AsAIAgent(new AgentOSAIAgentOptions { Name = "research_team", Description = "Researches a topic." });
        AIFunction tool = team.AsAIFunction();
        string? argumentName = null;
        var model = new ScriptedChatClient(turn =>
        {
            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent($"Found: {TestHost.Text(turn.FunctionResults[^1].Result)}")];
            }

            var offered = turn.Options!.Tools!.OfType<AIFunctionDeclaration>().Single();
            argumentName = offered.JsonSchema.GetProperty("properties").EnumerateObject().First().Name;
            return [new FunctionCallContent("call_team", offered.Name, new Dictionary<string, object?> { [argumentName] = "bread" })];
        });
        var local = new ChatClientAgent(model, new ChatClientAgentOptions { Name = "planner", ChatOptions = new ChatOptions { Tools = [tool] } });

        var response = await local.RunAsync("Research bread.");

        Assert.NotNull(argumentName);
        Assert.Equal("research_team", tool.Name);
        Assert.Equal("bread", host.Leader.Calls[0].Last(m => m.Role == ChatRole.User).Text);
        Assert.Equal("bread", host.Researcher.Calls.Single().Last(m => m.Role == ChatRole.User).Text);
        Assert.Equal(2, model.CallCount);
        Assert.Contains("Team says: Facts about bread", response.Text, StringComparison.Ordinal);
    }
}
