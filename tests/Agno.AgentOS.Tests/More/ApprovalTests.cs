using System.Net;
using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class ApprovalTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    [Fact]
    public async Task A_run_paused_for_an_admin_approval_is_listed_resolved_and_continued()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("300", "301", "302", "303", "304", "305", "306", "307", "308", "309", "310", "311", "312");
        using var client = TestSupport.Client(server);

        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("delete rec-7") { SessionId = "appr-s1", UserId = "appr-user" });
        RequestAssert.Matches(Fixtures.Get("300"), server.Last);
        Assert.True(paused.IsPaused);
        var tool = Assert.Single(paused.Tools!);
        Assert.Equal("required", tool.ApprovalType);
        string approvalId = tool.ApprovalId!;

        var all = await client.ListApprovalsAsync();
        RequestAssert.Matches(Fixtures.Get("301"), server.Last);
        var filtered = await client.ListApprovalsAsync(new ApprovalQuery { Status = ApprovalStatuses.Pending, ApprovalType = "required", AgentId = "approval-agent", UserId = "appr-user", Limit = 10, Page = 1 });
        RequestAssert.Matches(Fixtures.Get("302"), server.Last);
        var none = await client.ListApprovalsAsync(new ApprovalQuery { Status = ApprovalStatuses.Approved });
        RequestAssert.Matches(Fixtures.Get("303"), server.Last);
        int pending = await client.CountPendingApprovalsAsync();
        RequestAssert.Matches(Fixtures.Get("304"), server.Last);
        int nobody = await client.CountPendingApprovalsAsync("nobody");
        RequestAssert.Matches(Fixtures.Get("305"), server.Last);
        var approval = await client.GetApprovalAsync(approvalId);
        RequestAssert.Matches(Fixtures.Get("306"), server.Last);
        var status = await client.GetApprovalStatusAsync(approvalId);
        RequestAssert.Matches(Fixtures.Get("307"), server.Last);
        var resolved = await client.ResolveApprovalAsync(approvalId, ApprovalResolution.Approve("admin-1", new JsonObject { ["note"] = "looks fine" }));
        RequestAssert.Matches(Fixtures.Get("308"), server.Last);
        var after = await client.GetApprovalStatusAsync(approvalId);
        RequestAssert.Matches(Fixtures.Get("309"), server.Last);
        var again = await Assert.ThrowsAsync<AgentOSConflictException>(() => client.ResolveApprovalAsync(approvalId, ApprovalResolution.Reject()));
        RequestAssert.Matches(Fixtures.Get("310"), server.Last);
        var continued = (AgentRunOutput)await client.ContinueAfterApprovalAsync(resolved);
        RequestAssert.Matches(Fixtures.Get("311"), server.Last);
        var byRun = await client.ListApprovalsAsync(new ApprovalQuery { RunId = paused.RunId });
        RequestAssert.Matches(Fixtures.Get("312"), server.Last);

        var listed = Assert.Single(all.Data);
        Assert.Equal(approvalId, listed.Id);
        Assert.True(listed.IsPending);
        Assert.Equal(("agent", "confirmation", "delete_record", "rec-7"), (listed.SourceType, listed.PauseType, listed.ToolName, (string?)listed.ToolArgs!["record_id"]));
        Assert.Equal(paused.RunId, listed.RunId);
        Assert.Equal("PAUSED", listed.RunStatus);
        Assert.Equal("delete_record", listed.Requirements![0].ToolExecution!.ToolName);
        Assert.Equal(100, all.Meta.Limit);
        Assert.Equal(approvalId, Assert.Single(filtered.Data).Id);
        Assert.Equal(10, filtered.Meta.Limit);
        Assert.Empty(none.Data);
        Assert.Equal((1, 0), (pending, nobody));
        Assert.Equal("Approval Agent", approval.SourceName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(TestSupport.RecordedJson("306").GetProperty("created_at").GetInt64()), approval.CreatedAt);
        Assert.Equal((ApprovalStatuses.Pending, (string?)null), (status.Status, status.ResolvedBy));
        Assert.Equal((ApprovalStatuses.Approved, "admin-1", "looks fine"), (resolved.Status, resolved.ResolvedBy, (string?)resolved.ResolutionData!["note"]));
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Equal((ApprovalStatuses.Approved, "admin-1"), (after.Status, after.ResolvedBy));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Approval is already 'approved' and cannot be resolved", again.Detail);
        Assert.Equal("", TestSupport.Form("311")["tools"]);
        Assert.Equal(RunStatus.Completed, continued.Status);
        Assert.Equal("Tool result: Record rec-7 deleted (approved)", continued.Content);
        Assert.Equal("COMPLETED", Assert.Single(byRun.Data).RunStatus);
    }

    [Fact]
    public async Task A_rejected_approval_continues_a_streamed_run_without_the_tool()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("313", "314", "315");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("approval-agent");

        var paused = await agent.RunStreamingAsync(new RunRequest("delete rec-8") { SessionId = "appr-s2", UserId = "appr-user" }).CollectAsync();
        RequestAssert.Matches(Fixtures.Get("313"), server.Last);
        var tool = Assert.Single(paused.Tools);
        var rejected = await client.ResolveApprovalAsync(tool.ApprovalId!, ApprovalResolution.Reject("admin-2", new JsonObject { ["reason"] = "not allowed" }));
        RequestAssert.Matches(Fixtures.Get("314"), server.Last);
        var events = new List<AgentOSEvent>();
        // the 3.0 recording of the continue (315-v3) belongs to its own paused run, with its own id
        string runId = IsAgno3 ? TestSupport.RecordedPathSegment("315", 3) : paused.RunId!;
        var continued = await agent.ContinueStreamingAsync(runId, ContinueRunRequest.AfterApproval(paused.SessionId!)).CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("315"), server.Last);

        Assert.True(paused.IsPaused);
        Assert.Equal("required", tool.ApprovalType);
        Assert.True(IsAgno3 || runId == TestSupport.RecordedPathSegment("315", 3));
        Assert.Equal(ApprovalStatuses.Rejected, rejected.Status);
        Assert.Equal(("admin-2", "not allowed"), (rejected.ResolvedBy, (string?)rejected.ResolutionData!["reason"]));
        Assert.Equal(TestSupport.RecordedEventNames("315"), events.Select(e => e.Event));
        Assert.Equal("", TestSupport.Form("315")["tools"]);
        Assert.Contains("rejected", continued.Content, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, continued.Status);
    }

    [Fact]
    public async Task Continuing_while_the_approval_is_pending_is_a_bad_request_without_authorization()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("316", "317", "318");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("approval-agent");

        var paused = await agent.RunAsync(new RunRequest("delete rec-9") { SessionId = "appr-s3", UserId = "appr-user" });
        RequestAssert.Matches(Fixtures.Get("316"), server.Last);
        var refused = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => agent.ContinueAfterApprovalAsync(paused));
        RequestAssert.Matches(Fixtures.Get("317"), server.Last);
        var still = await client.GetApprovalAsync(paused.Tools![0].ApprovalId!);
        RequestAssert.Matches(Fixtures.Get("318"), server.Last);

        Assert.Contains("unresolved HITL requirements", refused.Detail, StringComparison.Ordinal);
        Assert.True(still.IsPending);
    }

    [Fact]
    public async Task An_audit_approval_is_recorded_after_the_confirmation()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("319", "320", "321", "322");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("approval-agent");

        var paused = await agent.RunAsync(new RunRequest("purge cache-a") { SessionId = "appr-s4", UserId = "appr-user" });
        RequestAssert.Matches(Fixtures.Get("319"), server.Last);
        var before = await client.ListApprovalsAsync(new ApprovalQuery { ApprovalType = "audit" });
        RequestAssert.Matches(Fixtures.Get("320"), server.Last);
        paused.Tools![0].Confirm();
        var done = await agent.ContinueAsync(paused);
        RequestAssert.Matches(Fixtures.Get("321"), server.Last);
        var audit = await client.ListApprovalsAsync(new ApprovalQuery { ApprovalType = "audit" });
        RequestAssert.Matches(Fixtures.Get("322"), server.Last);

        Assert.Equal("audit", paused.Tools[0].ApprovalType);
        Assert.Empty(before.Data);
        Assert.Equal(RunStatus.Completed, done.Status);
        var row = Assert.Single(audit.Data);
        Assert.Equal((ApprovalStatuses.Approved, (string?)null, "purge_cache"), (row.Status, row.ResolvedBy, row.ToolName));
    }

    [Fact]
    public async Task A_team_run_paused_for_an_approval_continues_after_it_is_resolved()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("323", "324", "325", "326");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("approval-team");

        var paused = await team.RunAsync(new RunRequest("purge sessions") { SessionId = "appr-t1", UserId = "appr-user" });
        RequestAssert.Matches(Fixtures.Get("323"), server.Last);
        var listed = await client.ListApprovalsAsync(new ApprovalQuery { TeamId = "approval-team", SourceType = "team" });
        RequestAssert.Matches(Fixtures.Get("324"), server.Last);
        var approval = Assert.Single(listed.Data);
        await client.ResolveApprovalAsync(approval.Id!, ApprovalResolution.Approve());
        RequestAssert.Matches(Fixtures.Get("325"), server.Last);
        var done = await team.ContinueAfterApprovalAsync(paused);
        RequestAssert.Matches(Fixtures.Get("326"), server.Last);

        Assert.True(paused.IsPaused);
        Assert.Equal(("team", "approval-team", paused.RunId), (approval.SourceType, approval.TeamId, approval.RunId));
        Assert.DoesNotContain("requirements", TestSupport.Form("326").Keys);
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal("Team: Cache sessions purged (approved)", done.Content);
    }

    [Fact]
    public async Task Deletes_and_errors_reach_the_caller_typed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("327", "328", "329", "330", "331", "332", "333");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);
        string deleted = TestSupport.RecordedPathSegment("327", 1);

        await client.DeleteApprovalAsync(deleted);
        RequestAssert.Matches(Fixtures.Get("327"), server.Last);
        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetApprovalAsync(deleted));
        RequestAssert.Matches(Fixtures.Get("328"), server.Last);
        var unknown = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ResolveApprovalAsync(TestSupport.RecordedPathSegment("329", 1), ApprovalResolution.Approve()));
        RequestAssert.Matches(Fixtures.Get("329"), server.Last);
        var badStatus = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ResolveApprovalAsync(TestSupport.RecordedPathSegment("330", 1), new ApprovalResolution("maybe")));
        RequestAssert.Matches(Fixtures.Get("330"), server.Last);
        var badFilter = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ListApprovalsAsync(new ApprovalQuery { Status = "bogus" }));
        RequestAssert.Matches(Fixtures.Get("331"), server.Last);
        var failed = await Assert.ThrowsAsync<AgentOSServerException>(() => client.DeleteApprovalAsync(TestSupport.RecordedPathSegment("332", 1)));
        RequestAssert.Matches(Fixtures.Get("332"), server.Last);
        var noStatus = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetApprovalStatusAsync(TestSupport.RecordedPathSegment("333", 1)));
        RequestAssert.Matches(Fixtures.Get("333"), server.Last);

        Assert.All([gone, unknown, noStatus], e => Assert.Equal("Approval not found", e.Detail));
        Assert.Equal("body.status", Assert.Single(badStatus.ValidationErrors).Location);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFilter.StatusCode);
        Assert.Equal("query.status", Assert.Single(badFilter.ValidationErrors).Location);
        Assert.Equal((HttpStatusCode.InternalServerError, "Failed to delete approval"), (failed.StatusCode, failed.Detail));
        Assert.Empty(server.Unmatched);
    }
}

public sealed class ApprovalTests_More29() : ApprovalTests(FixtureSet.More29);

public sealed class ApprovalTests_More30() : ApprovalTests(FixtureSet.More30);
