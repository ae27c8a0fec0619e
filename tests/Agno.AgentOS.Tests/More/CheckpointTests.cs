using System.Net;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class CheckpointTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    [Fact]
    public async Task An_agent_run_has_checkpoints_and_continues_from_them_as_sibling_runs()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("340", "341", "342", "350", "351", "352", "354");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");

        var run = await agent.RunAsync(new RunRequest("checkpoint turn two") { SessionId = "ckpt-s1", UserId = "ckpt-user" });
        RequestAssert.Matches(Fixtures.Get("340"), server.Last);
        var list = await agent.ListCheckpointsAsync(run.RunId!, "ckpt-s1");
        RequestAssert.Matches(Fixtures.Get("341"), server.Last);
        var checkpoint = Assert.Single(list.Checkpoints);
        var snapshot = await agent.GetCheckpointAsync(run.RunId!, checkpoint.MessageIndex, "ckpt-s1");
        RequestAssert.Matches(Fixtures.Get("342"), server.Last);
        var fromLastUser = await agent.ContinueAsync(run.RunId!, ContinueRunRequest.FromLastUserMessage("ckpt-s1", fork: true));
        RequestAssert.Matches(Fixtures.Get("350"), server.Last);
        var events = new List<AgentOSEvent>();
        var regenerated = await agent.ContinueStreamingAsync(run.RunId!, ContinueRunRequest.Regenerate("ckpt-s1")).CollectAsync(events.Add);
        RequestAssert.Matches(Fixtures.Get("351"), server.Last);
        var fromIndex = await agent.ContinueAsync(run.RunId!, ContinueRunRequest.FromCheckpoint("ckpt-s1", checkpoint.MessageIndex, "branch here", fork: true));
        RequestAssert.Matches(Fixtures.Get("352"), server.Last);
        var runs = await client.GetSessionRunsAsync("ckpt-s1", SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("354"), server.Last);

        Assert.Equal((run.RunId, "ckpt-s1"), (list.RunId, list.SessionId));
        Assert.Equal((3, 3, "assistant", true), (checkpoint.MessageIndex, checkpoint.ContinueFrom, checkpoint.MessageRole, checkpoint.IsLatest));
        Assert.Equal("Echo: checkpoint turn two (turn 2)", checkpoint.MessagePreview);
        Assert.Equal("snapshot", snapshot.Checkpoint.Reason);
        Assert.Equal(run.RunId, snapshot.Snapshot.RunId);
        Assert.Equal("echo-agent", snapshot.Snapshot.AgentId);
        Assert.Equal(run.RunId, fromLastUser.ForkedFromRunId);
        Assert.NotEqual(run.RunId, fromLastUser.RunId);
        Assert.Equal(2, fromLastUser.AdditionalProperties!["forked_from_message_index"].GetInt32());
        Assert.Equal(TestSupport.RecordedEventNames("351"), events.Select(e => e.Event));
        Assert.Equal(RunStatus.Completed, regenerated.Status);
        Assert.Equal(run.RunId, fromIndex.ForkedFromRunId);
        Assert.Equal(3, fromIndex.AdditionalProperties!["forked_from_message_index"].GetInt32());
        Assert.Equal(["3bb7f46c", "e22657a2", "41871241"], runs.Where(r => r.AdditionalProperties?.ContainsKey("forked_from_run_id") == true && r.AdditionalProperties["forked_from_run_id"].GetString() == run.RunId).Select(r => r.RunId![..8]));
        Assert.DoesNotContain("tools", TestSupport.Form("352").Keys);
    }

    [Fact]
    public async Task A_session_is_forked_into_a_copy_with_fresh_run_ids()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("347", "348", "349");
        using var client = TestSupport.Client(server);

        var fork = await client.ForkAgentSessionAsync("echo-agent", "ckpt-s1");
        RequestAssert.Matches(Fixtures.Get("347"), server.Last);
        var copy = await client.GetSessionAsync(fork.SessionId!, SessionType.Agent);
        RequestAssert.Matches(Fixtures.Get("348"), server.Last);
        var unknown = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.GetRemoteAgent("echo-agent").ForkSessionAsync("no-such-session"));
        RequestAssert.Matches(Fixtures.Get("349"), server.Last);

        Assert.Equal("ckpt-s1", fork.ForkedFromSessionId);
        Assert.True(Guid.TryParse(fork.SessionId, out _));
        Assert.Equal(fork.SessionId, copy.SessionId);
        Assert.Equal("ckpt-user", copy.UserId);
        Assert.Equal("Source session has no runs to fork.", unknown.Detail);
    }

    [Fact]
    public async Task Team_runs_have_checkpoints_and_team_sessions_fork()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("355", "356", "357", "358");
        using var client = TestSupport.Client(server);
        var team = client.GetRemoteTeam("echo-team");

        var run = await team.RunAsync(new RunRequest("team checkpoint") { SessionId = "ckpt-team-s1", UserId = "ckpt-user" });
        RequestAssert.Matches(Fixtures.Get("355"), server.Last);
        var list = await team.ListCheckpointsAsync(run.RunId!, "ckpt-team-s1");
        RequestAssert.Matches(Fixtures.Get("356"), server.Last);
        var snapshot = await team.GetCheckpointAsync(run.RunId!, list.Checkpoints[^1].MessageIndex, "ckpt-team-s1");
        RequestAssert.Matches(Fixtures.Get("357"), server.Last);
        var fork = await team.ForkSessionAsync("ckpt-team-s1");
        RequestAssert.Matches(Fixtures.Get("358"), server.Last);

        Assert.Equal(5, snapshot.Checkpoint.MessageIndex);
        Assert.Equal(("echo-team", run.RunId), (snapshot.Snapshot.TeamId, snapshot.Snapshot.RunId));
        Assert.Equal("ckpt-team-s1", fork.ForkedFromSessionId);
    }

    [Fact]
    public async Task Checkpoint_errors_are_typed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("344", "345", "346", "353");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);
        string runId = TestSupport.RecordedPathSegment("344", 3);

        var outOfRange = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.GetAgentRunCheckpointAsync("echo-agent", runId, 999, "ckpt-s1"));
        RequestAssert.Matches(Fixtures.Get("344"), server.Last);
        var unknownRun = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ListAgentRunCheckpointsAsync("echo-agent", TestSupport.RecordedPathSegment("346", 3), "ckpt-s1"));
        RequestAssert.Matches(Fixtures.Get("346"), server.Last);
        var badPoint = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ContinueAgentRunAsync("echo-agent", runId, ContinueRunRequest.FromPoint("ckpt-s1", "sideways")));
        RequestAssert.Matches(Fixtures.Get("353"), server.Last);

        // 345: agno answers 422 (query.session_id missing) without a session id; the client requires one and sends nothing
        int sent = server.Received.Count;
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.ListAgentRunCheckpointsAsync("echo-agent", runId, ""));
        Assert.Equal(sent, server.Received.Count);
        Assert.Equal("query.session_id", TestSupport.RecordedJson("345").GetProperty("detail")[0].GetProperty("loc").EnumerateArray().Select(e => e.GetString()).Aggregate((a, b) => a + "." + b));

        Assert.Equal("message_index must be between 0 and 3", outOfRange.Detail);
        Assert.Equal((HttpStatusCode.NotFound, "Run not found"), (unknownRun.StatusCode, unknownRun.Detail));
        Assert.StartsWith("Invalid continue_from", badPoint.Detail, StringComparison.Ordinal);
    }
}

public sealed class CheckpointTests_More29() : CheckpointTests(FixtureSet.More29);

public sealed class CheckpointTests_More30() : CheckpointTests(FixtureSet.More30);
