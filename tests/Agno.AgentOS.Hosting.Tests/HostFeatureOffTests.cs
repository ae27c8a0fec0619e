using System.Net;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Agno.Testing;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.MoreFixtures;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// What the host does not serve answers as agno does when the feature is off: schedules, service accounts and
/// components with agno's 503 of a server without an OS database (Fixtures/agentos-more 485-489, byte for byte), the
/// registry with agno's 503 of a server without a registry; traces, learnings and checkpoints with FastAPI's 404
/// <c>Not Found</c> of a route the server lacks. The core client raises <see cref="AgentOSFeatureUnavailableException"/>
/// for each, naming the feature, without retrying.
/// </summary>
public sealed class HostFeatureOffTests
{
    [Theory]
    [InlineData("GET", "schedules", "486-nodb-schedules")]
    [InlineData("POST", "schedules", "487-nodb-schedule-create")]
    [InlineData("GET", "service-accounts", "488-nodb-service-accounts")]
    [InlineData("GET", "components", "489-nodb-components")]
    public async Task Routes_of_features_off_answer_agnos_503_byte_for_byte(string method, string path, string fixture)
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(System.Text.Encoding.UTF8.GetString(Fixture(fixture).RequestBody), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var recorded = Fixture(fixture);
        Assert.Equal(recorded.StatusCode, (int)response.StatusCode);
        Assert.Equal(recorded.ResponseText, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sub_paths_and_every_method_of_a_feature_off_answer_the_same_503()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        foreach (var (method, path, detail) in new[]
        {
            (HttpMethod.Post, "schedules/s1/trigger", "Schedules not available: pass a `db` to AgentOS to enable this feature."),
            (HttpMethod.Delete, "service-accounts/x", "Service Accounts not available: pass a `db` to AgentOS to enable this feature."),
            (HttpMethod.Patch, "components/c/configs/1", "Components not available: pass a `db` to AgentOS to enable this feature."),
            (HttpMethod.Get, "registry", "Registry not available: pass a `registry` to AgentOS to enable this feature."),
        })
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(detail, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_client_raises_AgentOSFeatureUnavailableException_for_each_feature_the_host_lacks()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var run = await client.RunAgentAsync("echo-agent", new RunRequest("hi") { SessionId = "f-s1" });

        async Task<string?> Feature(Func<Task> call) => (await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(call)).Feature;

        Assert.Equal("Schedules", await Feature(() => client.ListSchedulesAsync()));
        Assert.Equal("Service Accounts", await Feature(() => client.ListServiceAccountsAsync()));
        Assert.Equal("Components", await Feature(() => client.ListComponentsAsync()));
        Assert.Equal("Registry", await Feature(() => client.ListRegistryAsync()));
        Assert.NotNull(await Feature(() => client.ListTracesAsync()));
        Assert.NotNull(await Feature(() => client.ListLearningsAsync()));
        Assert.Equal("Checkpoints", await Feature(() => client.ListAgentRunCheckpointsAsync("echo-agent", run.RunId!, "f-s1")));
        Assert.Equal("Checkpoints", await Feature(() => client.ForkAgentSessionAsync("echo-agent", "f-s1")));
    }

    [Fact]
    public async Task A_feature_off_still_needs_the_security_key_first()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "k");
        using var anonymous = host.CreateClient();
        using var keyed = host.CreateClient("k");
        await Assert.ThrowsAsync<AgentOSAuthenticationException>(() => anonymous.ListSchedulesAsync());
        Assert.Equal("Schedules", (await Assert.ThrowsAsync<AgentOSFeatureUnavailableException>(() => keyed.ListSchedulesAsync())).Feature);
    }
}
