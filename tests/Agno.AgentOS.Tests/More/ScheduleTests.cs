using System.Net;
using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class ScheduleTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    [Fact]
    public async Task A_schedule_is_listed_read_patched_triggered_disabled_and_deleted()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("370", "381", "382", "383", "384", "385", "386", "387", "388", "401", "402", "437");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var empty = await client.ListSchedulesAsync();
        RequestAssert.Matches(Fixtures.Get("370"), server.Last);
        var seeded = await client.ListSchedulesAsync();
        RequestAssert.Matches(Fixtures.Get("381"), server.Last);
        var schedule = await client.GetScheduleAsync(TestSupport.RecordedPathSegment("382", 1));
        RequestAssert.Matches(Fixtures.Get("382"), server.Last);
        var patched = await client.UpdateScheduleAsync(TestSupport.RecordedPathSegment("383", 1), new UpdateScheduleRequest { Description = "patched", TimeoutSeconds = 120 });
        RequestAssert.Matches(Fixtures.Get("383"), server.Last);
        var triggered = await client.TriggerScheduleAsync(TestSupport.RecordedPathSegment("384", 1));
        RequestAssert.Matches(Fixtures.Get("384"), server.Last);
        var runs = await client.ListScheduleRunsAsync(TestSupport.RecordedPathSegment("385", 1));
        RequestAssert.Matches(Fixtures.Get("385"), server.Last);
        var run = await client.GetScheduleRunAsync(TestSupport.RecordedPathSegment("386", 1), TestSupport.RecordedPathSegment("386", 3));
        RequestAssert.Matches(Fixtures.Get("386"), server.Last);
        var disabled = await client.DisableScheduleAsync(TestSupport.RecordedPathSegment("387", 1));
        RequestAssert.Matches(Fixtures.Get("387"), server.Last);
        var refused = await Assert.ThrowsAsync<AgentOSConflictException>(() => client.TriggerScheduleAsync(TestSupport.RecordedPathSegment("388", 1)));
        RequestAssert.Matches(Fixtures.Get("388"), server.Last);
        await client.DeleteScheduleAsync(TestSupport.RecordedPathSegment("401", 1));
        RequestAssert.Matches(Fixtures.Get("401"), server.Last);
        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetScheduleAsync(TestSupport.RecordedPathSegment("402", 1)));
        RequestAssert.Matches(Fixtures.Get("402"), server.Last);
        var noScheduler = await client.ListSchedulesAsync();
        RequestAssert.Matches(Fixtures.Get("437"), server.Last);

        Assert.Empty(empty.Data);
        Assert.Empty(noScheduler.Data);
        var listed = Assert.Single(seeded.Data);
        Assert.Equal(("seeded-echo", "0 3 * * *", "UTC", "/agents/echo-agent/runs", "POST"), (listed.Name, listed.CronExpr, listed.Timezone, listed.Endpoint, listed.Method));
        Assert.Equal("scheduled hello", (string?)listed.Payload!["message"]);
        Assert.Equal(true, listed.Enabled);
        Assert.NotNull(listed.NextRunAt);
        Assert.Equal(listed.Id, schedule.Id);
        Assert.Equal(("patched", 120), (patched.Description, patched.TimeoutSeconds));
        Assert.Equal(("success", 200), (triggered.Status, triggered.StatusCode));
        Assert.Equal(schedule.Id, triggered.ScheduleId);
        Assert.Equal("Echo: scheduled hello (turn 1)", (string?)triggered.Output!["content"]);
        Assert.Equal(triggered.Id, Assert.Single(runs.Data).Id);
        Assert.Equal(triggered.RunId, run.RunId);
        Assert.Equal((false, "seeded-echo"), (disabled.Enabled, disabled.Name));
        Assert.Equal("Schedule is disabled", refused.Detail);
        Assert.Equal("Schedule not found", gone.Detail);
        if (IsAgno3)
        {
            Assert.True(listed.AdditionalProperties is null || !listed.AdditionalProperties.ContainsKey("managed_by"), "3.0's managed_by is a typed field");
            Assert.Null(listed.ManagedBy);
        }
    }

    [Fact]
    public async Task Schedule_errors_are_typed_and_agnos_500_for_an_invalid_name_reaches_the_caller()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("371", "372", "373", "374", "375", "376", "377", "378", "379", "380", "389");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);
        const string unknown = "00000000-0000-0000-0000-000000000000";

        var noCron = await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.CreateScheduleAsync(new CreateScheduleRequest("nightly-echo", "0 3 * * *", "/agents/echo-agent/runs")
        {
            Method = "POST",
            Payload = new JsonObject { ["message"] = "scheduled hello", ["stream"] = false },
            Timezone = "UTC",
        }));
        RequestAssert.Matches(Fixtures.Get("371"), server.Last);
        var badName = await Assert.ThrowsAsync<AgentOSServerException>(() => client.CreateScheduleAsync(new CreateScheduleRequest("Bad Name!", "0 3 * * *", "/agents/echo-agent/runs")));
        RequestAssert.Matches(Fixtures.Get("372"), server.Last);
        var notFound = new List<AgentOSNotFoundException>
        {
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetScheduleAsync(unknown)),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.UpdateScheduleAsync(unknown, new UpdateScheduleRequest { Description = "x" })),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.EnableScheduleAsync(unknown)),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.DisableScheduleAsync(unknown)),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.TriggerScheduleAsync(unknown)),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ListScheduleRunsAsync(unknown)),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetScheduleRunAsync(unknown, unknown)),
            await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.DeleteScheduleAsync(unknown)),
        };
        var noCronEnable = await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.EnableScheduleAsync(TestSupport.RecordedPathSegment("389", 1)));
        RequestAssert.Matches(Fixtures.Get("389"), server.Last);

        string[] order = ["373", "374", "375", "376", "377", "378", "379", "380"];
        for (int i = 0; i < order.Length; i++)
        {
            RequestAssert.Matches(Fixtures.Get(order[i]), server.Received[2 + i]);
        }

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "croniter"), (noCron.StatusCode, noCron.Feature));
        Assert.Equal("croniter", noCronEnable.Feature);
        Assert.Equal(HttpStatusCode.InternalServerError, badName.StatusCode);
        Assert.Equal(IsAgno3 ? "Internal server error (TypeError)" : "Object of type ValueError is not JSON serializable", badName.Detail);
        Assert.Equal("Schedule run not found", notFound[6].Detail);
        Assert.All(notFound.Where((_, i) => i != 6), e => Assert.Equal("Schedule not found", e.Detail));
        Assert.Empty(server.Unmatched);
    }
}

public sealed class ScheduleTests_More29() : ScheduleTests(FixtureSet.More29);

public sealed class ScheduleTests_More30() : ScheduleTests(FixtureSet.More30);
