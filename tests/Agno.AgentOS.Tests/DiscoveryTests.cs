using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public abstract class DiscoveryTests(FixtureSet fixtures) : ProtocolTests(fixtures)
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
        var recordedStart = DateTimeOffset.Parse(TestSupport.RecordedString("001", "instantiated_at")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(recordedStart.AddTicks(-(recordedStart.Ticks % TimeSpan.TicksPerMillisecond)), health.InstantiatedAt!.Value.AddTicks(-(health.InstantiatedAt.Value.Ticks % TimeSpan.TicksPerMillisecond)));
        Assert.Equal(2026, health.InstantiatedAt.Value.Year);
        Assert.Equal("echo-os", info.OsId);
        Assert.Equal(Recording.AgnoVersion, info.AgnoVersion);
        Assert.Equal("none", info.AuthMode);
        Assert.False(info.Mcp!.Value.GetProperty("enabled").GetBoolean());
        if (IsAgno3)
        {
            // 3.x: GET / names the OS and points at /health, /info and /docs; the id and versions moved to /info
            Assert.Equal("Echo AgentOS", home.Name);
            Assert.Null(home.Id);
            Assert.Null(home.Version);
            Assert.Equal(("/health", "/info", "/docs"), (home.Health, home.Info, home.Docs));
            Assert.Equal("1.0.0", info.OsVersion);
            Assert.Equal((5, 3, 3), (info.AgentCount, info.TeamCount, info.WorkflowCount));
        }
        else
        {
            Assert.Equal("AgentOS API", home.Name);
            Assert.Equal("echo-os", home.Id);
            Assert.Equal("1.0.0", home.Version);
            Assert.Null(home.Health);
            Assert.Null(info.OsVersion);
            Assert.Equal((2, 1, 1), (info.AgentCount, info.TeamCount, info.WorkflowCount));
        }
    }

    [Fact]
    public async Task Server_version_is_read_once_from_info_and_cached()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("003");
        using var client = TestSupport.Client(server);

        var first = await client.GetServerVersionAsync();
        var second = await client.GetServerVersionAsync();

        RequestAssert.Matches(Fixtures.Get("003"), server.Last);
        Assert.Single(server.Received);
        Assert.Same(first, second);
        Assert.Equal(Recording.AgnoVersion, first.AgnoVersion);
        Assert.Equal(IsAgno3, first.IsAgno3OrLater);
        if (IsAgno3)
        {
            Assert.Equal((3, 0, 0, "a3", "1.0.0"), (first.Major, first.Minor, first.Patch, first.PreRelease, first.OsVersion));
        }
        else
        {
            Assert.Equal((2, 9, 0, (string?)null, (string?)null), (first.Major, first.Minor, first.Patch, first.PreRelease, first.OsVersion));
        }
    }

    [Fact]
    public async Task A_failed_version_read_is_not_cached()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);

        // nothing queued: the server answers 599
        await Assert.ThrowsAsync<AgentOSServerException>(() => client.GetServerVersionAsync());
        server.Serve("003");
        var version = await client.GetServerVersionAsync();

        Assert.Equal(2, server.Received.Count);
        Assert.Equal(Recording.AgnoVersion, version.AgnoVersion);
    }

    // the 3.0 recording's server hosted the components the later 2.9 fixtures (failures, reasoning, HITL) also use
    private string[] ExpectedAgents => IsAgno3 ? ["echo-agent", "tool-agent", "fail-agent", "thinking-agent", "hitl-agent"] : ["echo-agent", "tool-agent"];

    private string[] ExpectedTeams => IsAgno3 ? ["echo-team", "fail-team", "hitl-team"] : ["echo-team"];

    private string[] ExpectedWorkflows => IsAgno3 ? ["echo-workflow", "fail-workflow", "hitl-workflow"] : ["echo-workflow"];

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
        Assert.Equal(ExpectedAgents, config.Agents!.Select(a => a.Id));
        Assert.Equal("Echo Agent", config.Agents![0].Name);
        Assert.Equal("echo-model", config.Agents![0].Model!.EffectiveId);
        Assert.Equal("Echo", config.Agents![0].Model!.Provider);
        Assert.Equal(ExpectedTeams, config.Teams!.Select(t => t.Id));
        Assert.Equal("coordinate", config.Teams![0].Mode);
        Assert.Equal(ExpectedWorkflows, config.Workflows!.Select(w => w.Id));
        Assert.Equal("agno_sessions", config.Session!.Dbs!.Single().Tables!.Single());
        // fields the model does not type stay reachable
        Assert.True(config.AdditionalProperties!.ContainsKey("learning"));
        if (IsAgno3)
        {
            // 3.x: {id, provider} objects
            Assert.Equal(["echo-model|Echo", "echo-failing-model|Echo", "echo-thinking-model|Echo"], config.AvailableModels!.Select(m => $"{m.Id}|{m.Provider}"));
        }
        else
        {
            Assert.Empty(config.AvailableModels!);
        }
    }

    [Fact]
    public async Task Config_available_models_as_a_list_of_ids_are_typed_models()
    {
        // agno 2.9 lists model ids as strings (its recording has none configured): the recorded answer with ids
        string body = Fixtures.Get("004").ResponseText;
        string recorded = System.Text.RegularExpressions.Regex.Match(body, "\"available_models\":\\[[^\\]]*\\]").Value;
        Assert.NotEmpty(recorded);
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004", new ServeOptions { BodyOverride = System.Text.Encoding.UTF8.GetBytes(body.Replace(recorded, "\"available_models\":[\"gpt-x\",\"echo-model\"]", StringComparison.Ordinal)) });
        using var client = TestSupport.Client(server);

        var config = await client.GetConfigAsync();

        Assert.Equal(["gpt-x", "echo-model"], config.AvailableModels!.Select(m => m.Id!));
        Assert.All(config.AvailableModels!, m => Assert.Null(m.Provider));
        Assert.Equal(["echo-agent", "tool-agent"], config.Agents!.Take(2).Select(a => a.Id));
    }

    [Fact]
    public async Task Agents_teams_workflows_and_models_are_listed_and_fetched()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("005", "006", "007", "008", "009", "010", "011");
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

        Assert.Equal(ExpectedAgents, agents.Select(a => a.Id));
        Assert.Equal("Echo Agent", echo.Name);
        Assert.Equal("echo-model", echo.Model!.EffectiveId);
        Assert.Equal("EchoModel", echo.Model.Name);
        Assert.Equal("agno-db", echo.DbId);
        Assert.True(echo.Sessions!["add_history_to_context"]!.GetValue<bool>());
        var deleteRecord = tool.Tools!.Tools!.Single(t => t.Name == "delete_record");
        Assert.True(deleteRecord.RequiresConfirmation);
        Assert.Equal("object", deleteRecord.Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal(ExpectedTeams, teams.Select(t => t.Id));
        Assert.Equal("coordinate", team.Mode);
        Assert.Equal(["echo-member", "shout-member"], team.Members!.Select(m => m.Id));
        Assert.Equal("Echoes the delegated task", team.Members![0].Role);
        Assert.Equal(ExpectedWorkflows, workflows.Select(w => w.Id));
        if (IsAgno3)
        {
            // 3.x adds a reasoning section to agent, member and team details
            Assert.False(echo.Reasoning!["reasoning"]!.GetValue<bool>());
            Assert.False(team.Reasoning!["reasoning"]!.GetValue<bool>());
        }
        else
        {
            Assert.Null(echo.Reasoning);
        }
        Assert.Equal(["echo", "upper"], workflow.Steps!.Select(s => (string?)s["name"]));
    }

    [Fact]
    public async Task Models_come_from_the_models_route_on_2_9_and_from_config_on_3_x()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("003", IsAgno3 ? "004" : "012");
        using var client = TestSupport.Client(server);

        var models = await client.GetModelsAsync();

        Assert.Equal(["GET /info", IsAgno3 ? "GET /config" : "GET /models"], server.Received.Select(r => r.ToString()));
        RequestAssert.Matches(Fixtures.Get(IsAgno3 ? "004" : "012"), server.Last);
        Assert.Equal(IsAgno3 ? ["echo-model|Echo", "echo-failing-model|Echo", "echo-thinking-model|Echo"] : ["echo-model|Echo"], models.Select(m => $"{m.Id}|{m.Provider}"));
    }

    [Fact]
    public async Task Without_info_models_falls_back_from_a_404_on_the_models_route_to_config()
    {
        // a server (or a proxy) that does not answer /info: the recorded 3.0 404 of the removed /models route, served for /info
        var notFound = FixtureSet.Agno30.Get("012");
        await using var server = await ReplayServer.StartAsync();
        server.Serve(new RecordedExchange
        {
            Name = "info-404", Method = "GET", Target = "/info", RequestHeaders = notFound.RequestHeaders, RequestBody = [],
            StatusCode = notFound.StatusCode, ResponseHeaders = notFound.ResponseHeaders, ResponseBody = notFound.ResponseBody,
        }, new ServeOptions());
        server.Serve("012", "004");
        using var client = TestSupport.Client(server);

        var models = await client.GetModelsAsync();

        RequestAssert.Matches(Fixtures.Get("012"), server.Received[1]);
        if (IsAgno3)
        {
            Assert.Equal(["GET /info", "GET /models", "GET /config"], server.Received.Select(r => r.ToString()));
            Assert.Equal(["echo-model", "echo-failing-model", "echo-thinking-model"], models.Select(m => m.Id!));
        }
        else
        {
            Assert.Equal(["GET /info", "GET /models"], server.Received.Select(r => r.ToString()));
            Assert.Equal(["echo-model"], models.Select(m => m.Id!));
        }
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

public sealed class DiscoveryTests_Agno29() : DiscoveryTests(FixtureSet.Agno29);

public sealed class DiscoveryTests_Agno30() : DiscoveryTests(FixtureSet.Agno30);
