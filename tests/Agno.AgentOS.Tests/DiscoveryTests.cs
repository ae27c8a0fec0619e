using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Health_root_and_info_are_typed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("001", "002", "003");
        using var client = TestSupport.Client(server);

        var health = await client.GetHealthAsync();
        RequestAssert.Matches(Fixtures.Get("001"), server.Last);
        var home = await client.GetApiHomeAsync();
        RequestAssert.Matches(Fixtures.Get("002"), server.Last);
        var info = await client.GetInfoAsync();
        RequestAssert.Matches(Fixtures.Get("003"), server.Last);

        Assert.Equal("ok", health.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 23, 57, 44, 734, TimeSpan.Zero), health.InstantiatedAt!.Value.AddTicks(-(health.InstantiatedAt.Value.Ticks % TimeSpan.TicksPerMillisecond)));
        Assert.Equal("AgentOS API", home.Name);
        Assert.Equal("echo-os", home.Id);
        Assert.Equal("1.0.0", home.Version);
        Assert.Equal("echo-os", info.OsId);
        Assert.Equal("2.9.0", info.AgnoVersion);
        Assert.Equal(2, info.AgentCount);
        Assert.Equal(1, info.TeamCount);
        Assert.Equal(1, info.WorkflowCount);
        Assert.Equal("none", info.AuthMode);
        Assert.False(info.Mcp!.Value.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Config_lists_components_and_databases()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004");
        using var client = TestSupport.Client(server);

        var config = await client.GetConfigAsync();

        RequestAssert.Matches(Fixtures.Get("004"), server.Last);
        Assert.Equal("echo-os", config.OsId);
        Assert.Equal("agno-db", config.OsDatabase);
        Assert.Equal(["agno-db"], config.Databases!);
        Assert.Equal(["echo-agent", "tool-agent"], config.Agents!.Select(a => a.Id));
        Assert.Equal("Echo Agent", config.Agents![0].Name);
        Assert.Equal("echo-model", config.Agents![0].Model!.EffectiveId);
        Assert.Equal("Echo", config.Agents![0].Model!.Provider);
        Assert.Equal("coordinate", config.Teams!.Single().Mode);
        Assert.Equal("echo-workflow", config.Workflows!.Single().Id);
        Assert.Equal("agno_sessions", config.Session!.Dbs!.Single().Tables!.Single());
        // fields the model does not type stay reachable
        Assert.True(config.AdditionalProperties!.ContainsKey("learning"));
    }

    [Fact]
    public async Task Agents_teams_workflows_and_models_are_listed_and_fetched()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("005", "006", "007", "008", "009", "010", "011", "012");
        using var client = TestSupport.Client(server);

        var agents = await client.ListAgentsAsync();
        RequestAssert.Matches(Fixtures.Get("005"), server.Last);
        var echo = await client.GetAgentAsync("echo-agent");
        RequestAssert.Matches(Fixtures.Get("006"), server.Last);
        var tool = await client.GetAgentAsync("tool-agent");
        RequestAssert.Matches(Fixtures.Get("007"), server.Last);
        var teams = await client.ListTeamsAsync();
        RequestAssert.Matches(Fixtures.Get("008"), server.Last);
        var team = await client.GetTeamAsync("echo-team");
        RequestAssert.Matches(Fixtures.Get("009"), server.Last);
        var workflows = await client.ListWorkflowsAsync();
        RequestAssert.Matches(Fixtures.Get("010"), server.Last);
        var workflow = await client.GetWorkflowAsync("echo-workflow");
        RequestAssert.Matches(Fixtures.Get("011"), server.Last);
        var models = await client.GetModelsAsync();
        RequestAssert.Matches(Fixtures.Get("012"), server.Last);

        Assert.Equal(["echo-agent", "tool-agent"], agents.Select(a => a.Id));
        Assert.Equal("Echo Agent", echo.Name);
        Assert.Equal("echo-model", echo.Model!.EffectiveId);
        Assert.Equal("EchoModel", echo.Model.Name);
        Assert.Equal("agno-db", echo.DbId);
        Assert.True(echo.Sessions!["add_history_to_context"]!.GetValue<bool>());
        var deleteRecord = tool.Tools!.Tools!.Single(t => t.Name == "delete_record");
        Assert.True(deleteRecord.RequiresConfirmation);
        Assert.Equal("object", deleteRecord.Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal("echo-team", teams.Single().Id);
        Assert.Equal("coordinate", team.Mode);
        Assert.Equal(["echo-member", "shout-member"], team.Members!.Select(m => m.Id));
        Assert.Equal("Echoes the delegated task", team.Members![0].Role);
        Assert.Equal("echo-workflow", workflows.Single().Id);
        Assert.Equal(["echo", "upper"], workflow.Steps!.Select(s => (string?)s["name"]));
        Assert.Equal(["echo-model|Echo"], models.Select(m => $"{m.Id}|{m.Provider}"));
    }

    [Theory]
    [InlineData("100", "agent")]
    [InlineData("102", "team")]
    [InlineData("103", "workflow")]
    public async Task Unknown_component_is_not_found(string fixture, string kind)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve(fixture);
        using var client = TestSupport.Client(server);

        Func<Task> call = kind switch
        {
            "agent" => () => client.GetAgentAsync("no-such-agent"),
            "team" => () => client.GetTeamAsync("no-such-team"),
            _ => () => client.GetWorkflowAsync("no-such-workflow"),
        };
        var ex = await Assert.ThrowsAsync<AgentOSNotFoundException>(call);

        RequestAssert.Matches(Fixtures.Get(fixture), server.Last);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal($"{char.ToUpperInvariant(kind[0])}{kind[1..]} not found", ex.Detail);
        Assert.Equal("GET", ex.Method);
        Assert.StartsWith($"{kind}s/no-such-", ex.RequestPath);
        Assert.Contains("404", ex.Message);
    }
}
