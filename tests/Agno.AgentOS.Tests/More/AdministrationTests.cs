using System.Net;
using System.Text.Json.Nodes;
using Agno.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class AdministrationTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    [Fact]
    public async Task A_component_and_its_config_versions_are_managed()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("410", "411", "412", "413", "414", "415", "416", "417", "418", "419", "420", "421", "422", "423", "424", "425", "426");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var none = await client.ListComponentsAsync();
        RequestAssert.Matches(Fixtures.Get("410"), server.Last);
        var created = await client.CreateComponentAsync(new CreateComponentRequest("Stored Echo", "agent")
        {
            ComponentId = "stored-echo",
            Description = "agent stored as a component",
            Metadata = new JsonObject { ["owner"] = "fixtures" },
            Config = new JsonObject { ["id"] = "stored-echo", ["name"] = "Stored Echo", ["instructions"] = "Echo back." },
            Label = "v1",
            Stage = "draft",
            Notes = "first config",
        });
        RequestAssert.Matches(Fixtures.Get("411"), server.Last);
        var read = await client.GetComponentAsync("stored-echo");
        RequestAssert.Matches(Fixtures.Get("412"), server.Last);
        var agents = await client.ListComponentsAsync("agent");
        RequestAssert.Matches(Fixtures.Get("413"), server.Last);
        var renamed = await client.UpdateComponentAsync("stored-echo", new UpdateComponentRequest { Name = "Stored Echo Renamed", Description = "renamed", Metadata = new JsonObject { ["owner"] = "fixtures", ["rev"] = 2 } });
        RequestAssert.Matches(Fixtures.Get("414"), server.Last);
        var configs = await client.ListComponentConfigsAsync("stored-echo");
        RequestAssert.Matches(Fixtures.Get("415"), server.Last);
        var v2 = await client.CreateComponentConfigAsync("stored-echo", new ComponentConfigRequest
        {
            Config = new JsonObject { ["id"] = "stored-echo", ["name"] = "Stored Echo", ["instructions"] = "Echo back, loudly." },
            Label = "v2",
            Stage = "published",
            Notes = "second",
        });
        RequestAssert.Matches(Fixtures.Get("416"), server.Last);
        var current = await client.GetCurrentComponentConfigAsync("stored-echo");
        RequestAssert.Matches(Fixtures.Get("417"), server.Last);
        var v1 = await client.GetComponentConfigAsync("stored-echo", 1);
        RequestAssert.Matches(Fixtures.Get("418"), server.Last);
        var edited = await client.UpdateComponentConfigAsync("stored-echo", 1, new ComponentConfigRequest { Notes = "edited" });
        RequestAssert.Matches(Fixtures.Get("419"), server.Last);
        var draft = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.SetCurrentComponentConfigAsync("stored-echo", 1));
        RequestAssert.Matches(Fixtures.Get("420"), server.Last);
        var published = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.DeleteComponentConfigAsync("stored-echo", 2));
        RequestAssert.Matches(Fixtures.Get("421"), server.Last);
        var unknown = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetComponentAsync("no-such-component"));
        RequestAssert.Matches(Fixtures.Get("422"), server.Last);
        var badType = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.CreateComponentAsync(new CreateComponentRequest("x", "robot")));
        RequestAssert.Matches(Fixtures.Get("423"), server.Last);
        await client.DeleteComponentConfigAsync("stored-echo", 1);
        RequestAssert.Matches(Fixtures.Get("424"), server.Last);
        await client.DeleteComponentAsync("stored-echo");
        RequestAssert.Matches(Fixtures.Get("425"), server.Last);
        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetComponentAsync("stored-echo"));
        RequestAssert.Matches(Fixtures.Get("426"), server.Last);

        Assert.Empty(none.Data);
        Assert.Equal(("stored-echo", "agent", "fixtures"), (created.ComponentId, created.ComponentType, (string?)created.Metadata!["owner"]));
        Assert.Equal(created.ComponentId, read.ComponentId);
        Assert.Equal("stored-echo", Assert.Single(agents.Data).ComponentId);
        Assert.Equal(("Stored Echo Renamed", 2), (renamed.Name, (int?)renamed.Metadata!["rev"]));
        var first = Assert.Single(configs);
        Assert.Equal((1, "draft", "Echo back."), (first.Version, first.Stage, (string?)first.Config!["instructions"]));
        Assert.Equal((2, "published"), (v2.Version, v2.Stage));
        Assert.Equal(2, current.Version);
        Assert.Equal("first config", v1.Notes);
        Assert.Equal("edited", edited.Notes);
        Assert.Contains("Only published configs can be current", draft.Detail, StringComparison.Ordinal);
        Assert.Equal(IsAgno3 ? "Cannot delete published config stored-echo v2; only drafts are deletable" : "Cannot delete current config stored-echo v2", published.Detail);
        Assert.Equal("Component no-such-component not found", unknown.Detail);
        Assert.Equal("body.component_type", Assert.Single(badType.ValidationErrors).Location);
        Assert.Equal("Component stored-echo not found", gone.Detail);
    }

    [Fact]
    public async Task The_registry_lists_the_os_resources_with_filters()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("430", "431", "432", "433", "435");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var all = await client.ListRegistryAsync();
        RequestAssert.Matches(Fixtures.Get("430"), server.Last);
        var tools = await client.ListRegistryAsync(new RegistryQuery { ResourceType = "tool" });
        RequestAssert.Matches(Fixtures.Get("431"), server.Last);
        var page = await client.ListRegistryAsync(new RegistryQuery { Name = "echo", Limit = 2, Page = 1 });
        RequestAssert.Matches(Fixtures.Get("432"), server.Last);
        var bad = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.ListRegistryAsync(new RegistryQuery { ResourceType = "spaceship" }));
        RequestAssert.Matches(Fixtures.Get("433"), server.Last);
        var withoutRegistry = await client.ListRegistryAsync();
        RequestAssert.Matches(Fixtures.Get("435"), server.Last);

        Assert.Equal(18, all.Meta.TotalCount);
        Assert.Contains(all.Data, e => e is { Type: "agent", Id: "approval-agent" });
        Assert.Equal("agno.agent.agent.Agent", (string?)all.Data.First(e => e.Id == "echo-agent").Metadata!["class_path"]);
        Assert.All(tools.Data, e => Assert.Equal("tool", e.Type));
        Assert.Contains(tools.Data, e => e.Name == "add");
        Assert.Equal((2, 2, true), (page.Data.Count, page.Meta.TotalPages, page.HasNextPage));
        Assert.Equal("query.resource_type", Assert.Single(bad.ValidationErrors).Location);
        Assert.Equal(all.Data.Select(e => e.Name), withoutRegistry.Data.Select(e => e.Name));
    }

    [Fact]
    public async Task Service_accounts_need_jwt_to_be_minted()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("405", "406", "407");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var none = await client.ListServiceAccountsAsync();
        RequestAssert.Matches(Fixtures.Get("405"), server.Last);
        var noJwt = await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => client.CreateServiceAccountAsync(new CreateServiceAccountRequest("ci-bot")));
        RequestAssert.Matches(Fixtures.Get("406"), server.Last);
        var unknown = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.DeleteServiceAccountAsync("00000000-0000-0000-0000-000000000000"));
        RequestAssert.Matches(Fixtures.Get("407"), server.Last);

        Assert.Empty(none.Data);
        Assert.Equal("JWT authentication is required to mint a service account.", noJwt.Detail);
        Assert.Contains("not found", unknown.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Features_the_server_has_not_enabled_are_a_typed_error_and_are_not_retried()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("485", "486", "487", "488", "489");
        using var client = TestSupport.Client(server); // retries on (the default): a 503 that names a missing feature is not retried

        var errors = new List<AgentOSFeatureUnavailableException>
        {
            await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.ListApprovalsAsync()),
            await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.ListSchedulesAsync()),
            await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.CreateScheduleAsync(new CreateScheduleRequest("nightly-echo", "0 3 * * *", "/agents/echo-agent/runs"))),
            await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.ListServiceAccountsAsync()),
            await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.ListComponentsAsync()),
        };

        string[] order = ["485", "486", "487", "488", "489"];
        Assert.Equal(order.Length, server.Received.Count);
        for (int i = 0; i < order.Length; i++)
        {
            RequestAssert.Matches(Fixtures.Get(order[i]), server.Received[i]);
        }

        Assert.Equal(["Approvals", "Schedules", "Schedules", "Service Accounts", "Components"], errors.Select(e => e.Feature));
        Assert.All(errors, e => Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode));
        Assert.All(errors, e => Assert.Contains("pass a `db` to AgentOS", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_route_the_server_does_not_have_is_a_feature_unavailable_error()
    {
        await using var server = await ReplayServer.StartAsync();
        // what FastAPI answers for a route it does not have (an older agno, or another AgentOS implementation)
        server.Handler = async context =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"detail\":\"Not Found\"}");
        };
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var approvals = await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.ListApprovalsAsync());
        var traces = await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => client.GetTraceAsync("t-1"));
        var session = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetSessionAsync("s-1"));

        Assert.Equal(("Approvals", HttpStatusCode.NotFound), (approvals.Feature, approvals.StatusCode));
        Assert.Equal("Traces", traces.Feature);
        Assert.IsType<AgentOSNotFoundException>(approvals.InnerException);
        Assert.Equal("Not Found", session.Detail); // outside the optional features a 404 stays a 404
    }

    [Fact]
    public async Task The_configuration_shows_which_tools_need_an_approval()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("438", "439");
        using var client = TestSupport.Client(server);

        var config = await client.GetConfigAsync();
        RequestAssert.Matches(Fixtures.Get("438"), server.Last);
        var agent = await client.GetRemoteAgent("approval-agent").FetchDetailsAsync();
        RequestAssert.Matches(Fixtures.Get("439"), server.Last);

        Assert.Contains(config.Agents!, a => a.Id == "approval-agent");
        var tools = agent.Tools!.Tools!;
        Assert.Equal(("required", true), (tools.Single(t => t.Name == "delete_record").ApprovalType, tools.Single(t => t.Name == "delete_record").RequiresConfirmation));
        Assert.Equal("audit", tools.Single(t => t.Name == "purge_cache").ApprovalType);
    }
}

public sealed class AdministrationTests_More29() : AdministrationTests(FixtureSet.More29);

public sealed class AdministrationTests_More30() : AdministrationTests(FixtureSet.More30);
