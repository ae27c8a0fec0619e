using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// What every approval store does (the in-memory one and the SQLite one on a file in a temp folder): records kept as
/// given (the JSON fields' text too), copies handed out, every filter, newest first, paging, counts, a resolution
/// applied once (also when two stores on one database race for it), deletes.
/// </summary>
public abstract class ApprovalStoreTests : IDisposable
{
    protected abstract IAgentOSApprovalStore Store { get; }

    /// <summary>A second store on the same data (another host); the same store when there is no other.</summary>
    protected abstract IAgentOSApprovalStore Other { get; }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    internal static AgentOSApproval Record(string id, long createdAt, string? user = null, string status = ApprovalStatuses.Pending, string run = "r-1", string type = "required", string? agent = "approval-agent", string? team = null) => new()
    {
        Id = id,
        RunId = run,
        SessionId = "s-1",
        Status = status,
        SourceType = team is null ? "agent" : "team",
        ApprovalType = type,
        PauseType = "confirmation",
        ToolName = "delete_record",
        ToolArgs = new JsonObject { ["record_id"] = "rec-é \"7\" \u2603", ["n"] = 1.50 },
        AgentId = team is null ? agent : null,
        TeamId = team,
        UserId = user,
        SourceName = "Approval Agent",
        Requirements = [new JsonObject { ["id"] = "req-1", ["created_at"] = "2026-12-01T21:32:19.205401+00:00", ["tool_execution"] = new JsonObject { ["tool_call_id"] = "c1", ["confirmed"] = null } }],
        Context = new JsonObject { ["tool_names"] = new JsonArray("delete_record"), ["source_name"] = "Approval Agent" },
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    [Fact]
    public async Task An_approval_is_kept_as_given_and_handed_out_as_a_copy()
    {
        var original = Record("a-1", 1_796_160_739, user: "appr-user");
        await Store.CreateAsync(original);

        var read = await Other.GetAsync("a-1");
        Assert.NotNull(read);
        Assert.Equal(
            (original.Id, original.RunId, original.SessionId, original.Status, original.SourceType, original.ApprovalType, original.PauseType, original.ToolName, original.AgentId, original.TeamId, original.UserId, original.SourceName, original.CreatedAt, original.UpdatedAt, original.ExpiresAt, original.ResolvedAt),
            (read.Id, read.RunId, read.SessionId, read.Status, read.SourceType, read.ApprovalType, read.PauseType, read.ToolName, read.AgentId, read.TeamId, read.UserId, read.SourceName, read.CreatedAt, read.UpdatedAt, read.ExpiresAt, read.ResolvedAt));
        Assert.Equal(original.ToolArgs!.ToJsonString(), read.ToolArgs!.ToJsonString());
        Assert.Equal(original.Requirements!.ToJsonString(), read.Requirements!.ToJsonString());
        Assert.Equal(original.Context!.ToJsonString(), read.Context!.ToJsonString());
        Assert.Null(read.ResolutionData);

        read.ToolArgs["record_id"] = "changed"; // a copy: the store keeps its own
        Assert.Equal("rec-é \"7\" \u2603", (await Store.GetAsync("a-1"))!.ToolArgs!["record_id"]!.GetValue<string>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Other.CreateAsync(Record("a-1", 1)).AsTask());
        Assert.Null(await Store.GetAsync("missing"));
    }

    [Fact]
    public async Task Lists_filter_on_every_field_page_newest_first_and_count_the_pending_ones()
    {
        await Store.CreateAsync(Record("a-0", 100, user: "ada"));
        await Store.CreateAsync(Record("a-1", 101, user: "bob", type: "audit", status: ApprovalStatuses.Approved));
        await Store.CreateAsync(Record("a-2", 101, user: "ada", run: "r-2", team: "approval-team"));
        await Store.CreateAsync(Record("a-3", 99, user: null));

        async Task<string[]> Ids(AgentOSApprovalQuery query) => [.. (await Other.ListAsync(query)).Items.Select(a => a.Id)];

        Assert.Equal(["a-2", "a-1", "a-0", "a-3"], await Ids(new AgentOSApprovalQuery())); // equal times: the later insert first
        Assert.Equal(["a-2", "a-0", "a-3"], await Ids(new AgentOSApprovalQuery { Status = ApprovalStatuses.Pending }));
        Assert.Equal(["a-1"], await Ids(new AgentOSApprovalQuery { ApprovalType = "audit" }));
        Assert.Equal(["a-2", "a-0"], await Ids(new AgentOSApprovalQuery { UserId = "ada" }));
        Assert.Equal(["a-2"], await Ids(new AgentOSApprovalQuery { TeamId = "approval-team", SourceType = "team" }));
        Assert.Equal(["a-1", "a-0", "a-3"], await Ids(new AgentOSApprovalQuery { AgentId = "approval-agent", PauseType = "confirmation" }));
        Assert.Equal(["a-2"], await Ids(new AgentOSApprovalQuery { RunId = "r-2" }));
        Assert.Empty(await Ids(new AgentOSApprovalQuery { WorkflowId = "w" }));
        Assert.Empty(await Ids(new AgentOSApprovalQuery { ScheduleId = "s" }));

        var first = await Other.ListAsync(new AgentOSApprovalQuery { Limit = 3 });
        var second = await Other.ListAsync(new AgentOSApprovalQuery { Limit = 3, Page = 2 });
        var past = await Other.ListAsync(new AgentOSApprovalQuery { Limit = 3, Page = 3 });
        Assert.Equal((4, 3), (first.TotalCount, first.Items.Count));
        Assert.Equal((4, "a-3"), (second.TotalCount, Assert.Single(second.Items).Id));
        Assert.Equal((4, 0), (past.TotalCount, past.Items.Count));

        Assert.Equal((3, 2, 0), (await Other.CountPendingAsync(null), await Other.CountPendingAsync("ada"), await Other.CountPendingAsync("bob")));
    }

    [Fact]
    public async Task A_pending_approval_is_resolved_once_and_deleted()
    {
        await Store.CreateAsync(Record("a-1", 100));
        var withData = Record("a-2", 100);
        withData.ResolutionData = new JsonObject { ["kept"] = true };
        await Store.CreateAsync(withData);

        var resolved = await Other.ResolveAsync("a-1", new AgentOSApprovalResolution(ApprovalStatuses.Approved, "admin", new JsonObject { ["note"] = "fine ✓" }, 500));
        Assert.NotNull(resolved);
        Assert.Equal((ApprovalStatuses.Approved, "admin", 500L, 500L, "{\"note\":\"fine ✓\"}"), (resolved.Status, resolved.ResolvedBy, resolved.ResolvedAt, resolved.UpdatedAt, resolved.ResolutionData!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
        Assert.Equal(ApprovalStatuses.Approved, (await Store.GetAsync("a-1"))!.Status);
        Assert.Null(await Store.ResolveAsync("a-1", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, null, null, 600)));
        Assert.Equal((ApprovalStatuses.Approved, 500L), ((await Store.GetAsync("a-1"))!.Status, (await Store.GetAsync("a-1"))!.ResolvedAt));
        Assert.Null(await Store.ResolveAsync("missing", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, null, null, 600)));

        // no resolution data keeps the record's
        var rejected = await Store.ResolveAsync("a-2", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, null, null, 700));
        Assert.Equal((ApprovalStatuses.Rejected, (string?)null, "{\"kept\":true}"), (rejected!.Status, rejected.ResolvedBy, rejected.ResolutionData!.ToJsonString()));

        Assert.Equal((true, false), (await Other.DeleteAsync("a-1"), await Store.DeleteAsync("a-1")));
        Assert.Null(await Store.GetAsync("a-1"));
    }

    [Fact]
    public async Task Of_two_stores_resolving_the_same_approvals_at_once_exactly_one_wins_each()
    {
        const int Count = 20;
        for (int i = 0; i < Count; i++)
        {
            await Store.CreateAsync(Record($"race-{i}", 100 + i));
        }

        var attempts = Enumerable.Range(0, Count).SelectMany(i => new[]
        {
            Task.Run(async () => (Id: $"race-{i}", Winner: "store", Result: await Store.ResolveAsync($"race-{i}", new AgentOSApprovalResolution(ApprovalStatuses.Approved, "store", null, 500)))),
            Task.Run(async () => (Id: $"race-{i}", Winner: "other", Result: await Other.ResolveAsync($"race-{i}", new AgentOSApprovalResolution(ApprovalStatuses.Rejected, "other", null, 500)))),
        }).ToList();
        var results = await Task.WhenAll(attempts);

        foreach (var group in results.GroupBy(r => r.Id))
        {
            var winner = Assert.Single(group, r => r.Result is not null);
            var stored = await Store.GetAsync(group.Key);
            Assert.Equal((winner.Winner, winner.Result!.Status), (stored!.ResolvedBy, stored.Status));
        }

        Assert.Equal(0, await Store.CountPendingAsync(null));
    }
}

public sealed class InMemoryApprovalStoreTests : ApprovalStoreTests
{
    private readonly InMemoryAgentOSApprovalStore _store = new();

    protected override IAgentOSApprovalStore Store => _store;

    protected override IAgentOSApprovalStore Other => _store;
}

public sealed class SqliteApprovalStoreTests : ApprovalStoreTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentos-approvals-").FullName;

    public SqliteApprovalStoreTests()
    {
        Store = new SqliteAgentOSApprovalStore(ConnectionString);
        Other = new SqliteAgentOSApprovalStore(ConnectionString);
    }

    protected override IAgentOSApprovalStore Store { get; }

    protected override IAgentOSApprovalStore Other { get; }

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "agentos.db")};Pooling=False";

    public override void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        base.Dispose();
    }

    [Fact]
    public async Task The_table_is_created_once_by_stores_starting_at_once_and_the_file_runs_in_wal_mode()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteAgentOSApprovalStore(ConnectionString)).ToList();
        await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.CreateAsync(Record($"start-{i}", i)).AsTask())));

        Assert.Equal(4, (await Store.ListAsync(new AgentOSApprovalQuery())).TotalCount);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
        connection.Open();
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
    }
}

/// <summary>
/// Two hosts on one SQLite file (<c>UseSqliteSessionStore</c>, which keeps approvals there too): a run paused on host A
/// is listed and resolved on host B, continued on A with B's resolution; two hosts resolving the same approval at
/// once get one 200 and one agno 409.
/// </summary>
public sealed class SqliteApprovalsOnTwoHostsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentos-approval-hosts-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "agentos.db")};Pooling=False";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<EmbeddedAgentOS> StartAsync(ApprovalComponents.Counters counters)
        => EmbeddedAgentOS.StartAsync(b =>
        {
            ApprovalComponents.Add(b, counters);
            b.UseSqliteSessionStore(ConnectionString);
        });

    [Fact]
    public async Task A_run_paused_on_one_host_is_resolved_on_another_and_continued_on_the_first()
    {
        var (countersA, countersB) = (new ApprovalComponents.Counters(), new ApprovalComponents.Counters());
        await using var a = await StartAsync(countersA);
        await using var b = await StartAsync(countersB);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var paused = await clientA.RunAgentAsync("approval-agent", new RunRequest("delete rec-7") { SessionId = "two-hosts", UserId = "appr-user" });
        Assert.Equal(RunStatus.Paused, paused.Status);

        var listed = Assert.Single((await clientB.ListApprovalsAsync()).Data!);
        Assert.Equal((Assert.Single(paused.Tools!).ApprovalId, "pending", "PAUSED"), (listed.Id, listed.Status, listed.RunStatus));
        Assert.Equal(1, await clientB.CountPendingApprovalsAsync("appr-user"));
        await Assert.ThrowsAsync<AgentOSBadRequestException>(() => clientA.ContinueAfterApprovalAsync(listed)); // still pending on A too

        var resolved = await clientB.ResolveApprovalAsync(listed.Id!, ApprovalResolution.Approve("admin-b"));
        Assert.Equal(("approved", "admin-b"), (resolved.Status, resolved.ResolvedBy));
        Assert.Equal("approved", (await clientA.GetApprovalStatusAsync(listed.Id!)).Status);

        var done = Assert.IsType<AgentRunOutput>(await clientA.ContinueAfterApprovalAsync(resolved));
        Assert.Equal((RunStatus.Completed, "Tool result: Record rec-7 deleted (approved)"), (done.Status, done.Content));
        Assert.Equal((1, 0), (countersA.Deleted, countersB.Deleted));
        var afterwards = Assert.Single((await clientB.ListApprovalsAsync(new ApprovalQuery { RunId = paused.RunId })).Data!);
        Assert.Equal(("approved", "COMPLETED"), (afterwards.Status, afterwards.RunStatus));
    }

    [Fact]
    public async Task Two_hosts_resolving_the_same_approval_at_once_answer_one_200_and_one_409()
    {
        var counters = new ApprovalComponents.Counters();
        await using var a = await StartAsync(counters);
        await using var b = await StartAsync(counters);
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
            Assert.Equal(winner, (await clientA.GetApprovalStatusAsync(id)).Status);
        }
    }
}
