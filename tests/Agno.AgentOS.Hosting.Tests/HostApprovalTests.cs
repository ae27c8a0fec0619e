using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.MoreFixtures;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// Admin approvals served by the host (a tool wrapped in <see cref="AdminApprovalAIFunction"/>, agno's <c>@approval</c>),
/// driven by the core client over loopback: the pause creates the record, <c>/approvals</c> lists (every filter),
/// counts, gets, reports the status, resolves and deletes it with agno's answers, and the run continues after the
/// resolution (and not before). Shapes and error bodies are compared with the real agno server's recordings
/// (Fixtures/agentos-more 300-333).
/// </summary>
public sealed class HostApprovalTests
{
    private static JsonNode? RecordedJson(string name) => JsonNode.Parse(Fixture(name).ResponseBody);

    [Fact]
    public async Task A_run_pauses_for_an_admin_approval_which_is_listed_resolved_and_then_continues_the_run()
    {
        var counters = new ApprovalComponents.Counters();
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b, counters));
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("delete rec-7") { SessionId = "appr-s1", UserId = "appr-user" });
        Assert.Equal(RunStatus.Paused, paused.Status);
        var tool = Assert.Single(paused.Tools!);
        Assert.Equal(("delete_record", "required", true), (tool.ToolName, tool.ApprovalType, tool.RequiresConfirmation));
        Assert.NotNull(tool.ApprovalId);
        Assert.Equal(tool.ApprovalId, Assert.Single(paused.Requirements!).ToolExecution!.ApprovalId);
        Assert.Equal(0, counters.Deleted);

        // list (with every filter), count, get, status
        var page = await client.ListApprovalsAsync();
        var approval = Assert.Single(page.Data!);
        Assert.Equal((tool.ApprovalId, paused.RunId, "appr-s1", "pending", "agent", "required", "confirmation"), (approval.Id, approval.RunId, approval.SessionId, approval.Status, approval.SourceType, approval.ApprovalType, approval.PauseType));
        Assert.Equal(("delete_record", "approval-agent", "appr-user", "Approval Agent", "PAUSED"), (approval.ToolName, approval.AgentId, approval.UserId, approval.SourceName, approval.RunStatus));
        Assert.Equal("rec-7", approval.ToolArgs!["record_id"]!.GetValue<string>());
        var filtered = await client.ListApprovalsAsync(new ApprovalQuery { Status = "pending", ApprovalType = "required", AgentId = "approval-agent", UserId = "appr-user", SourceType = "agent", PauseType = "confirmation", RunId = paused.RunId, Limit = 10, Page = 1 });
        Assert.Equal(approval.Id, Assert.Single(filtered.Data!).Id);
        foreach (var miss in new[] { new ApprovalQuery { Status = "approved" }, new ApprovalQuery { TeamId = "approval-team" }, new ApprovalQuery { WorkflowId = "w" }, new ApprovalQuery { ScheduleId = "s" }, new ApprovalQuery { UserId = "nobody" }, new ApprovalQuery { Page = 2 } })
        {
            Assert.Empty((await client.ListApprovalsAsync(miss)).Data!);
        }

        Assert.Equal((1, 0), (await client.CountPendingApprovalsAsync(), await client.CountPendingApprovalsAsync("nobody")));
        Assert.Equal("pending", (await client.GetApprovalAsync(approval.Id!)).Status);
        var status = await client.GetApprovalStatusAsync(approval.Id!);
        Assert.Equal((approval.Id, "pending", paused.RunId, (string?)null), (status.ApprovalId, status.Status, status.RunId, status.ResolvedBy));

        // the same shapes as agno's
        Assert.Empty(Shape.Compare(RecordedJson("301-approvals-list"), JsonNode.Parse(await http.GetStringAsync("approvals"))));
        Assert.Empty(Shape.Compare(RecordedJson("306-approval-get"), JsonNode.Parse(await http.GetStringAsync($"approvals/{approval.Id}"))));
        Assert.Empty(Shape.Compare(RecordedJson("307-approval-status-pending"), JsonNode.Parse(await http.GetStringAsync($"approvals/{approval.Id}/status"))));
        Assert.Empty(Shape.Compare(RecordedJson("304-approvals-count"), JsonNode.Parse(await http.GetStringAsync("approvals/count"))));

        // continuing before the resolution is refused (400 on a host without authorization, as agno)
        var early = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ContinueAfterApprovalAsync(approval));
        Assert.Equal(Detail("317-approval-continue-pending-noauth"), early.Detail);
        Assert.Equal(0, counters.Deleted);

        var resolved = await client.ResolveApprovalAsync(approval.Id!, ApprovalResolution.Approve("admin-1", new JsonObject { ["note"] = "looks fine" }));
        Assert.Equal(("approved", "admin-1", "looks fine"), (resolved.Status, resolved.ResolvedBy, resolved.ResolutionData!["note"]!.GetValue<string>()));
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Equal("approved", (await client.GetApprovalStatusAsync(approval.Id!)).Status);
        Assert.Equal(0, await client.CountPendingApprovalsAsync());
        var again = await Assert.ThrowsAsync<AgentOSConflictException>(() => client.ResolveApprovalAsync(approval.Id!, ApprovalResolution.Reject()));
        Assert.Equal(Detail("310-approval-resolve-again-409"), again.Detail);

        var done = Assert.IsType<AgentRunOutput>(await client.ContinueAfterApprovalAsync(resolved));
        Assert.Equal((RunStatus.Completed, "Tool result: Record rec-7 deleted (approved)"), (done.Status, done.Content));
        Assert.Equal(1, counters.Deleted);
        var afterwards = Assert.Single((await client.ListApprovalsAsync(new ApprovalQuery { RunId = paused.RunId })).Data!);
        Assert.Equal(("approved", "COMPLETED"), (afterwards.Status, afterwards.RunStatus));
    }

    [Fact]
    public async Task The_paused_run_the_resolution_and_the_continued_run_have_agnos_shapes()
    {
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        async Task<JsonNode?> SendAsync(string fixture, Func<string, string>? rewrite = null)
        {
            var recorded = Fixture(fixture);
            using var request = new HttpRequestMessage(new HttpMethod(recorded.Method), rewrite?.Invoke(recorded.Target.TrimStart('/')) ?? recorded.Target.TrimStart('/'));
            string body = Encoding.UTF8.GetString(recorded.RequestBody);
            if (body.Length > 0)
            {
                request.Content = new StringContent(body, Encoding.UTF8, recorded.RequestHeader("Content-Type") ?? "application/x-www-form-urlencoded");
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(recorded.RequestHeader("Content-Type")!);
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(recorded.StatusCode, (int)response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }

        // agno's run output has fields the host leaves out everywhere (see FidelityTests); only the approval parts are compared here
        var paused = (await SendAsync("300-approval-run-paused-nonstream"))!;
        var recordedPaused = RecordedJson("300-approval-run-paused-nonstream")!;
        Assert.Empty(Shape.Compare(recordedPaused["tools"], paused["tools"], "$.tools"));
        Assert.Empty(Shape.Compare(recordedPaused["requirements"], paused["requirements"], "$.requirements"));
        Assert.Equal((recordedPaused["status"]!.GetValue<string>(), recordedPaused["content"]!.GetValue<string>()), (paused["status"]!.GetValue<string>(), paused["content"]!.GetValue<string>()));

        string recordedId = recordedPaused["tools"]![0]!["approval_id"]!.GetValue<string>();
        string recordedRun = recordedPaused["run_id"]!.GetValue<string>();
        string id = paused["tools"]![0]!["approval_id"]!.GetValue<string>();
        string run = paused["run_id"]!.GetValue<string>();
        string Ids(string target) => target.Replace(recordedId, id, StringComparison.Ordinal).Replace(recordedRun, run, StringComparison.Ordinal);

        Assert.Empty(Shape.Compare(RecordedJson("302-approvals-list-filtered"), await SendAsync("302-approvals-list-filtered")));
        Assert.Empty(Shape.Compare(RecordedJson("303-approvals-list-filter-empty"), await SendAsync("303-approvals-list-filter-empty")));
        Assert.Empty(Shape.Compare(RecordedJson("305-approvals-count-user"), await SendAsync("305-approvals-count-user")));
        Assert.Empty(Shape.Compare(RecordedJson("308-approval-resolve-approved"), await SendAsync("308-approval-resolve-approved", Ids)));
        Assert.Empty(Shape.Compare(RecordedJson("309-approval-status-approved"), await SendAsync("309-approval-status-approved", Ids)));
        var continued = (await SendAsync("311-approval-continue-after-approve-nonstream", Ids))!;
        var recordedContinued = RecordedJson("311-approval-continue-after-approve-nonstream")!;
        Assert.Equal((recordedContinued["status"]!.GetValue<string>(), recordedContinued["content"]!.GetValue<string>()), (continued["status"]!.GetValue<string>(), continued["content"]!.GetValue<string>()));
        Assert.Empty(Shape.Compare(RecordedJson("312-approvals-list-after-continue"), await SendAsync("312-approvals-list-after-continue", Ids)));
    }

    [Fact]
    public async Task A_rejected_approval_continues_the_run_without_running_the_tool()
    {
        var counters = new ApprovalComponents.Counters();
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b, counters));
        using var client = host.CreateClient();

        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("delete rec-8") { SessionId = "appr-s2", UserId = "appr-user" });
        string approvalId = Assert.Single(paused.Tools!).ApprovalId!;
        var rejected = await client.ResolveApprovalAsync(approvalId, ApprovalResolution.Reject());
        Assert.Equal(("rejected", (string?)null), (rejected.Status, rejected.ResolvedBy));

        var events = new List<string>();
        await foreach (var e in client.ContinueAgentRunStreamingAsync("approval-agent", paused.RunId!, ContinueRunRequest.AfterApproval("appr-s2")))
        {
            events.Add(e.Event);
        }

        Assert.Equal("RunContinued", events[0]);
        Assert.Equal("RunCompleted", events[^1]);
        var stored = await client.GetAgentRunAsync("approval-agent", paused.RunId!, "appr-s2");
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Contains("rejected", stored.Content, StringComparison.Ordinal);
        Assert.Equal(0, counters.Deleted);
    }

    [Fact]
    public async Task An_audit_tool_pauses_for_the_callers_confirmation_and_records_an_already_resolved_approval_after_it()
    {
        var counters = new ApprovalComponents.Counters();
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b, counters));
        using var client = host.CreateClient();

        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("purge cache-a") { SessionId = "appr-audit", UserId = "appr-user" });
        var tool = Assert.Single(paused.Tools!);
        Assert.Equal((RunStatus.Paused, "audit", (string?)null), (paused.Status, tool.ApprovalType, tool.ApprovalId));
        Assert.Empty((await client.ListApprovalsAsync(new ApprovalQuery { ApprovalType = "audit" })).Data!);

        var done = await client.ContinueAgentRunAsync("approval-agent", paused.RunId!, ContinueRunRequest.From(paused, [tool.Confirm()]));
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(1, counters.Purged);
        var audit = Assert.Single((await client.ListApprovalsAsync(new ApprovalQuery { ApprovalType = "audit" })).Data!);
        Assert.Equal(("approved", "audit", "purge_cache", paused.RunId, (string?)null), (audit.Status, audit.ApprovalType, audit.ToolName, audit.RunId, audit.ResolvedBy));
        Assert.NotNull(audit.ResolvedAt);
        Assert.Equal(0, await client.CountPendingApprovalsAsync());
    }

    [Fact]
    public async Task A_team_leaders_tool_needs_an_approval_and_the_team_run_continues_after_it()
    {
        var counters = new ApprovalComponents.Counters();
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b, counters));
        using var client = host.CreateClient();

        var paused = await client.RunTeamAsync("approval-team", new RunRequest("purge sessions") { SessionId = "appr-team", UserId = "appr-user" });
        Assert.Equal(RunStatus.Paused, paused.Status);
        var approval = Assert.Single((await client.ListApprovalsAsync(new ApprovalQuery { TeamId = "approval-team", SourceType = "team" })).Data!);
        Assert.Equal(("approval-team", (string?)null, "Approval Team", "purge_cache"), (approval.TeamId, approval.AgentId, approval.SourceName, approval.ToolName));
        Assert.Empty((await client.ListApprovalsAsync(new ApprovalQuery { AgentId = "approval-team" })).Data!);

        await client.ResolveApprovalAsync(approval.Id!, ApprovalResolution.Approve("admin-1"));
        var done = Assert.IsType<TeamRunOutput>(await client.ContinueAfterApprovalAsync(approval));
        Assert.Equal((RunStatus.Completed, "Team: Cache sessions purged"), (done.Status, done.Content));
        Assert.Equal(1, counters.Purged);
    }

    [Fact]
    public async Task Unknown_and_invalid_approvals_answer_as_agno()
    {
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b));
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("delete rec-9") { SessionId = "appr-s3", UserId = "appr-user" });
        string id = Assert.Single(paused.Tools!).ApprovalId!;

        // agno's exact bodies: 404s, 422s, the 500 of an unknown id's delete
        await AssertSameAnswerAsync(http, HttpMethod.Get, "approvals/00000000-0000-0000-0000-000000000000/status", null, "333-approval-status-unknown-404");
        await AssertSameAnswerAsync(http, HttpMethod.Post, "approvals/00000000-0000-0000-0000-000000000000/resolve", "{\"status\": \"approved\"}", "329-approval-resolve-unknown-404");
        await AssertSameAnswerAsync(http, HttpMethod.Post, $"approvals/{id}/resolve", "{\"status\": \"maybe\"}", "330-approval-resolve-bad-status-422");
        await AssertSameAnswerAsync(http, HttpMethod.Get, "approvals?status=bogus", null, "331-approvals-list-bad-status-422");
        await AssertSameAnswerAsync(http, HttpMethod.Delete, "approvals/00000000-0000-0000-0000-000000000000", null, "332-approval-delete-unknown");

        // the same through the client, typed
        await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetApprovalAsync("nope"));
        var bad = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ResolveApprovalAsync(id, new ApprovalResolution("maybe")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ListApprovalsAsync(new ApprovalQuery { Limit = 1001 }));

        // delete: 204, then gone
        await client.DeleteApprovalAsync(id);
        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetApprovalAsync(id));
        Assert.Equal(Detail("328-approval-get-deleted-404"), gone.Detail);
    }

    [Fact]
    public async Task Discovery_shows_the_approval_type_of_each_tool_as_agno()
    {
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var tools = JsonNode.Parse(await http.GetStringAsync("agents/approval-agent"))!["tools"]!["tools"]!.AsArray();
        var recorded = RecordedJson("439-plain-approval-agent")!["tools"]!["tools"]!.AsArray();
        Assert.Equal(
            recorded.Select(t => (t!["name"]!.GetValue<string>(), t["approval_type"]!.GetValue<string>(), t["requires_confirmation"]!.GetValue<bool>())),
            tools.Select(t => (t!["name"]!.GetValue<string>(), t["approval_type"]!.GetValue<string>(), t["requires_confirmation"]!.GetValue<bool>())));
    }

    [Fact]
    public void AdminApprovalAIFunction_refuses_an_undefined_type_and_keeps_an_existing_confirmation()
    {
        var inner = Microsoft.Extensions.AI.AIFunctionFactory.Create(() => "x", "t");
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdminApprovalAIFunction(inner, (AdminApprovalType)7));
        Assert.Throws<ArgumentNullException>(() => new AdminApprovalAIFunction(null!));
        var confirmed = new Microsoft.Extensions.AI.ApprovalRequiredAIFunction(inner);
        var wrapped = new AdminApprovalAIFunction(confirmed, AdminApprovalType.Audit);
        Assert.Same(confirmed, wrapped.GetService(typeof(Microsoft.Extensions.AI.ApprovalRequiredAIFunction)));
        Assert.NotNull(new AdminApprovalAIFunction(inner).GetService(typeof(Microsoft.Extensions.AI.ApprovalRequiredAIFunction)));
        Assert.Equal((AdminApprovalType.Audit, "t"), (wrapped.ApprovalType, wrapped.Name));
    }

    [Fact]
    public async Task The_in_memory_store_resolves_a_pending_approval_once_and_pages_newest_first()
    {
        var store = new InMemoryAgentOSApprovalStore();
        for (int i = 0; i < 3; i++)
        {
            await store.CreateAsync(new AgentOSApproval { Id = $"a{i}", RunId = "r", SessionId = "s", CreatedAt = 100 + i, UserId = i == 0 ? "u" : null });
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(new AgentOSApproval { Id = "a1", RunId = "r", SessionId = "s" }).AsTask());
        var page = await store.ListAsync(new AgentOSApprovalQuery { Limit = 2 });
        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["a2", "a1"], page.Items.Select(a => a.Id));
        Assert.Equal(["a0"], (await store.ListAsync(new AgentOSApprovalQuery { Limit = 2, Page = 2 })).Items.Select(a => a.Id));
        Assert.Equal((3, 1), (await store.CountPendingAsync(null), await store.CountPendingAsync("u")));

        var resolved = await store.ResolveAsync("a0", new AgentOSApprovalResolution("approved", "admin", new JsonObject { ["k"] = 1 }, 500));
        Assert.Equal(("approved", "admin", 500L, 500L), (resolved!.Status, resolved.ResolvedBy, resolved.ResolvedAt, resolved.UpdatedAt));
        Assert.Null(await store.ResolveAsync("a0", new AgentOSApprovalResolution("rejected", null, null, 600)));
        Assert.Null(await store.ResolveAsync("missing", new AgentOSApprovalResolution("rejected", null, null, 600)));
        resolved.ResolutionData!["k"] = 2; // a copy: the store keeps its own
        Assert.Equal(1, (await store.GetAsync("a0"))!.ResolutionData!["k"]!.GetValue<int>());
        Assert.Equal((true, false), (await store.DeleteAsync("a0"), await store.DeleteAsync("a0")));
    }

    [Fact]
    public async Task Rejected_team_and_audit_approval_bodies_have_agnos_keys_in_agnos_order()
    {
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b));
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        async Task<JsonNode?> CompareAsync(HttpMethod method, string path, string? json, string fixture)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(Fixture(fixture).StatusCode, (int)response.StatusCode);
            var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            var recorded = RecordedJson(fixture);
            Assert.Equal(string.Empty, string.Join("\n", Shape.Compare(recorded, actual)));
            Assert.Equal(KeyOrder(recorded), KeyOrder(actual));
            return actual;
        }

        // an agent's approval: list, get, status, count in agno's key order, then rejected with data (314)
        var paused = await client.RunAgentAsync("approval-agent", new RunRequest("delete rec-7") { SessionId = "appr-s1", UserId = "appr-user" });
        string id = Assert.Single(paused.Tools!).ApprovalId!;
        await CompareAsync(HttpMethod.Get, "approvals", null, "301-approvals-list");
        await CompareAsync(HttpMethod.Get, $"approvals/{id}", null, "306-approval-get");
        await CompareAsync(HttpMethod.Get, $"approvals/{id}/status", null, "307-approval-status-pending");
        await CompareAsync(HttpMethod.Get, "approvals/count", null, "304-approvals-count");
        var rejected = (await CompareAsync(HttpMethod.Post, $"approvals/{id}/resolve", Encoding.UTF8.GetString(Fixture("314-approval-resolve-rejected").RequestBody), "314-approval-resolve-rejected"))!;
        Assert.Equal(("rejected", "admin-2", "not allowed"), (rejected["status"]!.GetValue<string>(), rejected["resolved_by"]!.GetValue<string>(), rejected["resolution_data"]!["reason"]!.GetValue<string>()));

        // a team's approval (324, 325). agno records no user_id on team and audit approvals even when the run has one
        // (the host keeps the run's user, which isolation filters on); these runs have none, so the kinds compare.
        var teamPaused = await client.RunTeamAsync("approval-team", new RunRequest("purge sessions") { SessionId = "appr-team" });
        Assert.Equal(RunStatus.Paused, teamPaused.Status);
        var teamList = (await CompareAsync(HttpMethod.Get, "approvals?team_id=approval-team&source_type=team", null, "324-approvals-list-team"))!;
        string teamId = teamList["data"]![0]!["id"]!.GetValue<string>();
        await CompareAsync(HttpMethod.Post, $"approvals/{teamId}/resolve", "{\"status\": \"approved\"}", "325-team-approval-resolve");

        // an audit record, before and after the confirmation (320, 322)
        await CompareAsync(HttpMethod.Get, "approvals?approval_type=audit", null, "320-approvals-list-audit-before");
        var audit = await client.RunAgentAsync("approval-agent", new RunRequest("purge cache-a") { SessionId = "appr-audit" });
        await client.ContinueAgentRunAsync("approval-agent", audit.RunId!, ContinueRunRequest.From(audit, [Assert.Single(audit.Tools!).Confirm()]));
        await CompareAsync(HttpMethod.Get, "approvals?approval_type=audit", null, "322-approvals-list-audit-after");

        // delete: 204 with no body (327)
        using var deleted = await http.DeleteAsync($"approvals/{teamId}");
        Assert.Equal((Fixture("327-approval-delete").StatusCode, string.Empty), ((int)deleted.StatusCode, await deleted.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Every_approval_422_is_pydantics_body_with_its_ctx()
    {
        await using var host = await FixtureHost.StartAsync(b => ApprovalComponents.Add(b));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        async Task AssertBodyAsync(HttpMethod method, string path, string? json, string expected)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }

        // the recorded ones (330: pattern, 331: literal) are compared byte for byte in Unknown_and_invalid_approvals_answer_as_agno;
        // these follow pydantic 2's forms of the same rules (FastAPI's Query(ge=1, le=1000), Field(max_length=255))
        const string Id = "00000000-0000-0000-0000-000000000000";
        await AssertBodyAsync(HttpMethod.Get, "approvals?limit=1001", null,
            """{"detail":[{"type":"less_than_equal","loc":["query","limit"],"msg":"Input should be less than or equal to 1000","input":"1001","ctx":{"le":1000}}]}""");
        await AssertBodyAsync(HttpMethod.Get, "approvals?page=0&limit=x", null,
            """{"detail":[{"type":"int_parsing","loc":["query","limit"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"greater_than_equal","loc":["query","page"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]}""");
        await AssertBodyAsync(HttpMethod.Get, "approvals?approval_type=blocking", null,
            """{"detail":[{"type":"literal_error","loc":["query","approval_type"],"msg":"Input should be 'required' or 'audit'","input":"blocking","ctx":{"expected":"'required' or 'audit'"}}]}""");
        string longName = new('a', 256);
        await AssertBodyAsync(HttpMethod.Post, $"approvals/{Id}/resolve", $$$"""{"status":"approved","resolved_by":"{{{longName}}}"}""",
            $$$"""{"detail":[{"type":"string_too_long","loc":["body","resolved_by"],"msg":"String should have at most 255 characters","input":"{{{longName}}}","ctx":{"max_length":255}}]}""");
        await AssertBodyAsync(HttpMethod.Post, $"approvals/{Id}/resolve", """{"resolved_by":"x"}""",
            """{"detail":[{"type":"missing","loc":["body","status"],"msg":"Field required","input":{"resolved_by":"x"}}]}""");
        await AssertBodyAsync(HttpMethod.Post, $"approvals/{Id}/resolve", """{"status":"maybe","resolved_by":7}""",
            """{"detail":[{"type":"string_type","loc":["body","resolved_by"],"msg":"Input should be a valid string","input":7}]}""");
    }

    /// <summary>Every object's keys in order, by path (arrays by position): agno's bodies are dataclasses written in field order.</summary>
    private static List<string> KeyOrder(JsonNode? node, string path = "$")
    {
        var result = new List<string>();
        switch (node)
        {
            case JsonObject o:
                result.Add(path + ": " + string.Join(',', o.Select(kv => kv.Key)));
                foreach (var (k, v) in o)
                {
                    result.AddRange(KeyOrder(v, path + "." + k));
                }

                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    result.AddRange(KeyOrder(a[i], $"{path}[{i}]"));
                }

                break;
        }

        return result;
    }

    private static string Detail(string fixture) => RecordedJson(fixture)!["detail"]!.GetValue<string>();

    private static async Task AssertSameAnswerAsync(HttpClient http, HttpMethod method, string path, string? json, string fixture)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var recorded = Fixture(fixture);
        Assert.Equal(recorded.StatusCode, (int)response.StatusCode);
        Assert.Equal(recorded.ResponseText, await response.Content.ReadAsStringAsync());
    }
}
