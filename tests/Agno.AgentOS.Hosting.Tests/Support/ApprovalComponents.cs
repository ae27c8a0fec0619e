using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static Agno.AgentOS.Hosting.Tests.Support.FixtureComponents;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>
/// The components of the approvals recording server (tests/Agno.AgentOS.Tests/Fixtures/agentos-more, server_more.py):
/// approval-agent ('delete X' calls delete_record, which needs an admin approval; 'purge X' calls purge_cache, a
/// confirmation with an audit record) and approval-team (its leader's purge_cache needs an admin approval).
/// </summary>
internal static class ApprovalComponents
{
    /// <summary>How many times each tool ran (the tests check a rejected tool never ran).</summary>
    public sealed class Counters
    {
        public int Deleted;
        public int Purged;
    }

    public static void Add(AgentOSHostBuilder b, Counters? counters = null)
    {
        counters ??= new Counters();
        AddBasic(b);
        b.AddAgent(ApprovalAgent(counters));
        b.AddTeam(ApprovalTeam(counters));
    }

    public static HostedAgent ApprovalAgent(Counters counters)
    {
        var client = new ScriptedChatClient(turn =>
        {
            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent("Tool result: " + MessageText(turn.FunctionResults[^1].Result))];
            }

            var words = turn.LastUserText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words switch
            {
                ["delete", var id, ..] => [Call("delete_record", new JsonObject { ["record_id"] = id })],
                ["purge", var cache, ..] => [Call("purge_cache", new JsonObject { ["cache_name"] = cache })],
                _ => [new TextContent("Echo: " + turn.LastUserText)],
            };
        }, "echo-model", "Echo");
        var agent = new HostedAgent("approval-agent", client)
        {
            Name = "Approval Agent",
            Description = "'delete X' -> delete_record (@approval required); 'purge X' -> purge_cache (@approval audit + confirmation).",
            Instructions = "'delete X' -> delete_record (@approval required); 'purge X' -> purge_cache (@approval audit + confirmation).",
        };
        agent.Tools.Add(new AdminApprovalAIFunction(AIFunctionFactory.Create(
            ([Description("(str) id of the record to delete")] string record_id) =>
            {
                Interlocked.Increment(ref counters.Deleted);
                return $"Record {record_id} deleted (approved)";
            },
            "delete_record",
            "Delete a record by id. Needs an admin approval (blocking).")));
        agent.Tools.Add(new AdminApprovalAIFunction(
            new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
                ([Description("(str) name of the cache to purge")] string cache_name) =>
                {
                    Interlocked.Increment(ref counters.Purged);
                    return $"Cache {cache_name} purged";
                },
                "purge_cache",
                "Purge a cache. Needs a confirmation; an audit approval record is written afterwards.")),
            AdminApprovalType.Audit));
        return agent;
    }

    public static HostedTeam ApprovalTeam(Counters counters)
    {
        var leader = new ScriptedChatClient(turn =>
        {
            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent("Team: " + MessageText(turn.FunctionResults[^1].Result))];
            }

            string text = turn.LastUserText;
            return text.StartsWith("purge ", StringComparison.Ordinal)
                ? [Call("purge_cache", new JsonObject { ["cache_name"] = text[6..] })]
                : [Call(HostedTeam.DelegateToolName, new JsonObject { ["member_id"] = "approval-team-member", ["task"] = text })];
        }, "echo-model", "Echo");
        var team = new HostedTeam("approval-team", leader, new HostedAgent("approval-team-member", new EchoChatClient("Member: ")) { Name = "Approval Team Member" })
        {
            Name = "Approval Team",
            Description = "Leader tool purge_cache needs an admin approval ('purge X'); otherwise delegates to echo-member.",
        };
        team.Tools.Add(new AdminApprovalAIFunction(AIFunctionFactory.Create(
            (string cache_name) =>
            {
                Interlocked.Increment(ref counters.Purged);
                return $"Cache {cache_name} purged";
            },
            "purge_cache",
            "Purge a cache (admin approval).")));
        return team;
    }
}
