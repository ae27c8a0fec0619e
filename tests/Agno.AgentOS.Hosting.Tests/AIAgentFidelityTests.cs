using System.ComponentModel;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// The recorded agno requests (tests/Agno.AgentOS.Tests/Fixtures/agentos) sent to Microsoft Agent Framework agents
/// served by this host, under the recording's ids: real <see cref="ChatClientAgent"/>s on the recording's scripted
/// models (the echo model; the tool model whose <c>delete_record</c> needs confirmation). The answers are compared
/// with agno's like <see cref="FidelityTests"/> does, with one deliberate difference: the agent keeps its own
/// instructions and history, so a run's messages hold no system or history message (see <see cref="Differences"/>).
/// </summary>
public sealed class AIAgentFidelityTests
{
    [Fact]
    public Task Agent_runs_sessions_and_stored_runs_of_an_AIAgent_answer_like_the_recorded_server()
        => ReplayAsync("020", "021", "022", "023", "030", "031", "032", "033", "034", "040", "041", "042", "043", "044", "045", "046", "047", "048");

    [Fact]
    public Task Tool_calls_pauses_and_continues_of_an_AIAgent_answer_like_the_recorded_server()
        => ReplayAsync("080", "081", "082", "083", "084", "085", "086", "087");

    internal static void AddMafAgents(AgentOSHostBuilder b)
    {
        b.AddAgent("echo-agent", new ChatClientAgent(new SlowableEcho("Echo: "), instructions: null, "Echo Agent", FixtureComponents.EchoAgentDescription));
        var toolModel = (ScriptedChatClient)FixtureComponents.ToolAgent().ChatClient;
        var tools = new List<AITool>
        {
            AIFunctionFactory.Create(([Description("(int) first addend")] int a, [Description("(int) second addend")] int b) => a + b, "add", "Add two integers and return the sum."),
            new ApprovalRequiredAIFunction(AIFunctionFactory.Create(([Description("(str) id of the record to delete")] string record_id) => $"Record {record_id} deleted", "delete_record", "Delete a record by id. Requires human confirmation.")),
        };
        b.AddAgent("tool-agent", new ChatClientAgent(toolModel, instructions: null, "Tool Agent", FixtureComponents.ToolAgentDescription, tools));
    }

    private static async Task ReplayAsync(params string[] fixtures)
    {
        await using var host = await FixtureHost.StartAsync(AddMafAgents);
        using var replayer = new FixtureReplayer(host.BaseAddress);
        var report = new StringBuilder();
        foreach (var name in fixtures)
        {
            var fixture = Fixtures.Get(name);
            var answer = await replayer.SendAsync(fixture);
            var diffs = Differences(answer);
            if (diffs.Count > 0)
            {
                report.Append("## ").AppendLine(answer.Fixture.Name);
                foreach (var d in diffs)
                {
                    report.Append("  ").AppendLine(d);
                }
            }
        }

        Assert.True(report.Length == 0, "Differences from the recorded server:\n" + report);
    }

    /// <summary>
    /// As <see cref="FixtureReplayer.Differences"/>, but a JSON answer is compared with the recording without its system
    /// and history messages: the agent has its own instructions and history, so a run's <c>messages</c> hold only what
    /// the run added (the one deliberate difference of a served AIAgent).
    /// </summary>
    private static List<string> Differences(HostAnswer answer)
    {
        var fixture = answer.Fixture;
        if (fixture.IsEventStream || fixture.ResponseBody.Length == 0 || fixture.StatusCode != answer.StatusCode)
        {
            return FixtureReplayer.Differences(answer);
        }

        var expected = JsonNode.Parse(fixture.ResponseBody);
        int removed = WithoutSystemAndHistory(expected);
        var diffs = FixtureReplayer.Differences(answer).Where(d => !d.StartsWith("$", StringComparison.Ordinal)).ToList();
        diffs.AddRange(Shape.Compare(expected, answer.Json));
        if (removed > 0 && answer.Json is not null && CountSystemAndHistory(answer.Json) > 0)
        {
            diffs.Add("messages: the host sent the agent's run a system or history message");
        }

        return diffs;
    }

    private static int WithoutSystemAndHistory(JsonNode? node)
    {
        int removed = 0;
        switch (node)
        {
            case JsonObject o:
                if (o["messages"] is JsonArray messages)
                {
                    foreach (var m in messages.OfType<JsonObject>().Where(IsSystemOrHistory).ToList())
                    {
                        messages.Remove(m);
                        removed++;
                    }
                }

                foreach (var (_, value) in o.ToList())
                {
                    removed += WithoutSystemAndHistory(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    removed += WithoutSystemAndHistory(item);
                }

                break;
        }

        return removed;
    }

    private static int CountSystemAndHistory(JsonNode node) => node switch
    {
        JsonObject o => (o["messages"] is JsonArray m ? m.OfType<JsonObject>().Count(IsSystemOrHistory) : 0) + o.Where(p => p.Key != "messages" && p.Value is not null).Sum(p => CountSystemAndHistory(p.Value!)),
        JsonArray a => a.Where(i => i is not null).Sum(i => CountSystemAndHistory(i!)),
        _ => 0,
    };

    private static bool IsSystemOrHistory(JsonObject message)
        => message["role"]?.GetValue<string>() == "system" || message["from_history"]?.GetValue<bool>() == true;
}
