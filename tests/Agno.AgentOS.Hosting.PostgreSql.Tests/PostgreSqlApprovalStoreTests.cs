using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Agno.AgentOS.Hosting.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL approval store on a real server: records kept as given, filters, paging, counts, one resolution per
/// approval also when two instances race for it; and two host instances on one database (pause on A, list and resolve
/// on B, continue on A; both resolving at once answer one 200 and one agno 409).
/// </summary>
public sealed class PostgreSqlApprovalStoreTests
{
    private static AgentOSApproval Record(string id, long createdAt, string? user = null, string status = ApprovalStatuses.Pending, string run = "r-1", string type = "required", string? team = null) => new()
    {
        Id = id,
        RunId = run,
        SessionId = "s-1",
        Status = status,
        SourceType = team is null ? "agent" : "team",
        ApprovalType = type,
        PauseType = "confirmation",
        ToolName = "delete_record",
        ToolArgs = new JsonObject { ["record_id"] = "rec-é \"7\" \u2603", ["z"] = 1.50, ["a"] = null },
        AgentId = team is null ? "approval-agent" : null,
        TeamId = team,
        UserId = user,
        SourceName = "Approval Agent",
        Requirements = [new JsonObject { ["id"] = "req-1", ["tool_execution"] = new JsonObject { ["tool_call_id"] = "c1", ["confirmed"] = null } }],
        Context = new JsonObject { ["tool_names"] = new JsonArray("delete_record"), ["source_name"] = "Approval Agent" },
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    [PostgresFact]
    public async Task Approvals_are_kept_as_given_listed_with_every_filter_counted_resolved_once_and_deleted()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSApprovalStore(cs);
        await using var other = new PostgreSqlAgentOSApprovalStore(cs);
        var original = Record("a-0", 100, user: "ada");
        await store.CreateAsync(original);
        await store.CreateAsync(Record("a-1", 101, user: "bob", type: "audit", status: ApprovalStatuses.Approved));
        await store.CreateAsync(Record("a-2", 101, user: "ada", run: "r-2", team: "approval-team"));
        await store.CreateAsync(Record("a-3", 99));

        var read = await other.GetAsync("a-0");
        Assert.NotNull(read);
        Assert.Equal((original.RunId, original.Status, original.SourceType, original.ApprovalType, original.PauseType, original.ToolName, original.AgentId, original.UserId, original.SourceName, original.CreatedAt, original.UpdatedAt, (long?)null),
            (read.RunId, read.Status, read.SourceType, read.ApprovalType, read.PauseType, read.ToolName, read.AgentId, read.UserId, read.SourceName, read.CreatedAt, read.UpdatedAt, read.ResolvedAt));
        // the JSON text as given (keys in order, nulls kept: TEXT, not JSONB)
        Assert.Equal(original.ToolArgs!.ToJsonString(), read.ToolArgs!.ToJsonString());
        Assert.Equal(original.Requirements!.ToJsonString(), read.Requirements!.ToJsonString());
        Assert.Equal(original.Context!.ToJsonString(), read.Context!.ToJsonString());
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.CreateAsync(Record("a-0", 1)).AsTask());

        async Task<string[]> Ids(AgentOSApprovalQuery query) => [.. (await other.ListAsync(query)).Items.Select(a => a.Id)];
        Assert.Equal(["a-2", "a-1", "a-0", "a-3"], await Ids(new AgentOSApprovalQuery())); // equal times: the later insert first
        Assert.Equal(["a-2", "a-0", "a-3"], await Ids(new AgentOSApprovalQuery { Status = ApprovalStatuses.Pending }));
        Assert.Equal(["a-1"], await Ids(new AgentOSApprovalQuery { ApprovalType = "audit" }));
        Assert.Equal(["a-2", "a-0"], await Ids(new AgentOSApprovalQuery { UserId = "ada" }));
        Assert.Equal(["a-2"], await Ids(new AgentOSApprovalQuery { TeamId = "approval-team", SourceType = "team", RunId = "r-2" }));
        Assert.Equal(["a-1", "a-0", "a-3"], await Ids(new AgentOSApprovalQuery { AgentId = "approval-agent", PauseType = "confirmation" }));
        Assert.Empty(await Ids(new AgentOSApprovalQuery { WorkflowId = "w" }));
        Assert.Empty(await Ids(new AgentOSApprovalQuery { ScheduleId = "s" }));
        var second = await other.ListAsync(new AgentOSApprovalQuery { Limit = 3, Page = 2 });
        Assert.Equal((4, "a-3"), (second.TotalCount, Assert.Single(second.Items).Id));
        Assert.Equal((3, 2, 0), (await other.CountPendingAsync(null), await other.CountPendingAsync("ada"), await other.CountPendingAsync("bob")));

        var resolved = await other.ResolveAsync("a-0", new AgentOSApprovalResolution(ApprovalStatuses.Approved, "admin", new JsonObject { ["note"] = "fine" }, 500));
        Assert.Equal((ApprovalStatuses.Approved, "admin", 500L, 500L, "fine"), (resolved!.Status, resolved.ResolvedBy, resolved.ResolvedAt, resolved.UpdatedAt, resolved.ResolutionData!["note"]!.GetValue<string>()));
        Assert.Null(await store.ResolveAsync("a-0", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, null, null, 600)));
        Assert.Null(await store.ResolveAsync("missing", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, null, null, 600)));
        var kept = await store.ResolveAsync("a-3", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, null, null, 700));
        Assert.Equal((ApprovalStatuses.Rejected, (JsonObject?)null), (kept!.Status, kept.ResolutionData));
        Assert.Equal((true, false), (await other.DeleteAsync("a-0"), await store.DeleteAsync("a-0")));
        Assert.Null(await store.GetAsync("a-0"));
    }

    [PostgresFact]
    public async Task Two_instances_migrating_and_resolving_the_same_approvals_at_once_create_one_table_and_one_winner_each()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSApprovalStore(cs);
        await using var other = new PostgreSqlAgentOSApprovalStore(cs);
        const int Count = 20;
        // both first uses at once: the schema is created once (advisory lock), both then work
        await Task.WhenAll(
            Task.Run(() => store.CreateAsync(Record("race-0", 100)).AsTask()),
            Task.Run(() => other.CreateAsync(Record("race-1", 101)).AsTask()));
        for (int i = 2; i < Count; i++)
        {
            await store.CreateAsync(Record($"race-{i}", 100 + i));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, Count).SelectMany(i => new[]
        {
            Task.Run(async () => (Id: $"race-{i}", By: "store", Result: await store.ResolveAsync($"race-{i}", new AgentOSApprovalResolution(ApprovalStatuses.Approved, "store", null, 500)))),
            Task.Run(async () => (Id: $"race-{i}", By: "other", Result: await other.ResolveAsync($"race-{i}", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, "other", null, 500)))),
        }));

        foreach (var group in results.GroupBy(r => r.Id))
        {
            var winner = Assert.Single(group, r => r.Result is not null);
            var stored = await store.GetAsync(group.Key);
            Assert.Equal((winner.By, winner.Result!.Status), (stored!.ResolvedBy, stored.Status));
        }

        Assert.Equal(0, await other.CountPendingAsync(null));
    }

    [PostgresFact]
    public async Task A_run_paused_on_one_host_is_resolved_on_another_and_continued_on_the_first()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        var (deletedA, deletedB) = (new int[1], new int[1]);
        await using var a = await StartAsync(cs, deletedA);
        await using var b = await StartAsync(cs, deletedB);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var paused = await clientA.RunAgentAsync("approval-agent", new RunRequest("delete rec-7") { SessionId = "two-hosts", UserId = "appr-user" });
        Assert.Equal(RunStatus.Paused, paused.Status);
        var listed = Assert.Single((await clientB.ListApprovalsAsync()).Data!);
        Assert.Equal((Assert.Single(paused.Tools!).ApprovalId, "pending", "PAUSED", "appr-user"), (listed.Id, listed.Status, listed.RunStatus, listed.UserId));
        Assert.Equal(1, await clientB.CountPendingApprovalsAsync());
        await Assert.ThrowsAsync<AgentOSBadRequestException>(() => clientA.ContinueAfterApprovalAsync(listed)); // pending for A too

        var resolved = await clientB.ResolveApprovalAsync(listed.Id!, ApprovalResolution.Approve("admin-b"));
        Assert.Equal(("approved", "admin-b"), (resolved.Status, resolved.ResolvedBy));
        var done = Assert.IsType<AgentRunOutput>(await clientA.ContinueAfterApprovalAsync(resolved));
        Assert.Equal((RunStatus.Completed, "Tool result: Record rec-7 deleted"), (done.Status, done.Content));
        Assert.Equal((1, 0), (deletedA[0], deletedB[0]));
        Assert.Equal("COMPLETED", Assert.Single((await clientB.ListApprovalsAsync(new ApprovalQuery { RunId = paused.RunId })).Data!).RunStatus);
    }

    [PostgresFact]
    public async Task Two_hosts_resolving_the_same_approval_at_once_answer_one_200_and_one_409()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        var deleted = new int[1];
        await using var a = await StartAsync(cs, deleted);
        await using var b = await StartAsync(cs, deleted);
        using var clientA = a.CreateClient();
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress };
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };

        for (int i = 0; i < 5; i++)
        {
            var paused = await clientA.RunAgentAsync("approval-agent", new RunRequest($"delete rec-{i}") { SessionId = $"race-{i}" });
            string id = Assert.Single(paused.Tools!).ApprovalId!;

            async Task<(HttpStatusCode Status, string Body)> ResolveAsync(HttpClient http, string status)
            {
                using var response = await http.PostAsync($"approvals/{id}/resolve", new StringContent($"{{\"status\": \"{status}\"}}", Encoding.UTF8, "application/json"));
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            var answers = await Task.WhenAll(Task.Run(() => ResolveAsync(httpA, "approved")), Task.Run(() => ResolveAsync(httpB, "rejected")));
            var won = Assert.Single(answers, x => x.Status == HttpStatusCode.OK);
            var lost = Assert.Single(answers, x => x.Status == HttpStatusCode.Conflict);
            string winner = JsonNode.Parse(won.Body)!["status"]!.GetValue<string>();
            Assert.Equal($"{{\"detail\":\"Approval is already '{winner}' and cannot be resolved\"}}", lost.Body);
        }
    }

    [Fact]
    public async Task The_session_store_registrations_keep_approvals_in_postgresql_too()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:AgentOS"] = "Host=127.0.0.1;Port=1;Database=x" });
        builder.Services.AddAgentOS().AddAgent("echo-agent", new EchoChatClient()).UsePostgreSqlSessionStoreFromConfiguration();
        await using var app = builder.Build();
        var direct = WebApplication.CreateSlimBuilder();
        direct.Services.AddAgentOS().UsePostgreSqlSessionStore("Host=127.0.0.1;Port=1;Database=x");
        await using var directApp = direct.Build();
        var missing = WebApplication.CreateSlimBuilder();
        missing.Services.AddAgentOS().UsePostgreSqlApprovalStoreFromConfiguration("Other");
        await using var broken = missing.Build();

        Assert.IsType<PostgreSqlAgentOSApprovalStore>(app.Services.GetRequiredService<IAgentOSApprovalStore>());
        Assert.IsType<PostgreSqlAgentOSApprovalStore>(directApp.Services.GetRequiredService<IAgentOSApprovalStore>());
        var ex = Assert.Throws<InvalidOperationException>(() => broken.Services.GetRequiredService<IAgentOSApprovalStore>());
        Assert.Contains("ConnectionStrings:Other", ex.Message, StringComparison.Ordinal);
    }

    private static Task<EmbeddedAgentOS> StartAsync(string connectionString, int[] deleted)
        => EmbeddedAgentOS.StartAsync(b =>
        {
            b.AddAgent(ApprovalAgent(deleted));
            b.UsePostgreSqlSessionStore(connectionString);
        });

    /// <summary>"delete X" calls <c>delete_record</c>, which needs an admin approval (agno's <c>@approval</c>); then reports the tool's result.</summary>
    private static HostedAgent ApprovalAgent(int[] deleted)
    {
        var client = new ScriptedChatClient(turn => turn.FunctionResults.Count > 0
            ? [new TextContent("Tool result: " + turn.FunctionResults[^1].Result)]
            : [new FunctionCallContent("call-" + turn.Turn, "delete_record", new Dictionary<string, object?> { ["record_id"] = turn.LastUserText.Split(' ')[^1] })]);
        var agent = new HostedAgent("approval-agent", client) { Name = "Approval Agent" };
        agent.Tools.Add(new AdminApprovalAIFunction(AIFunctionFactory.Create(
            (string record_id) =>
            {
                Interlocked.Increment(ref deleted[0]);
                return $"Record {record_id} deleted";
            },
            "delete_record",
            "Deletes a record (needs an admin approval).")));
        return agent;
    }
}
