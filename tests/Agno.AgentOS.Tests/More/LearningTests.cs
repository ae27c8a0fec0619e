using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests.More;

public abstract class LearningTests(FixtureSet fixtures) : MoreProtocolTests(fixtures)
{
    [Fact]
    public async Task Learnings_are_created_listed_read_patched_and_deleted()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("390", "391", "392", "393", "394", "395", "396", "397", "398", "399", "400");
        using var client = TestSupport.Client(server, configure: o => o.Retry.Enabled = false);

        var empty = await client.ListLearningsAsync();
        RequestAssert.Matches(Fixtures.Get("390"), server.Last);
        var profile = await client.CreateLearningAsync(new CreateLearningRequest("user_profile", new JsonObject { ["name"] = "Ada", ["likes"] = new JsonArray("tea") }) { Namespace = "user", UserId = "learn-user" });
        RequestAssert.Matches(Fixtures.Get("391"), server.Last);
        var entity = await client.CreateLearningAsync(new CreateLearningRequest("entity_memory", new JsonObject { ["fact"] = "Acme ships on Fridays" })
        {
            Namespace = "global",
            EntityId = "acme",
            EntityType = "company",
            Metadata = new JsonObject { ["source"] = "fixture" },
        });
        RequestAssert.Matches(Fixtures.Get("392"), server.Last);
        var listed = await client.ListLearningsAsync(new LearningQuery { LearningType = "user_profile", UserId = "learn-user" });
        RequestAssert.Matches(Fixtures.Get("393"), server.Last);
        var read = await client.GetLearningAsync(profile.LearningId!);
        RequestAssert.Matches(Fixtures.Get("394"), server.Last);
        var patched = await client.UpdateLearningAsync(profile.LearningId!, new UpdateLearningRequest
        {
            Content = new JsonObject { ["name"] = "Ada", ["likes"] = new JsonArray("tea", "chess") },
            Metadata = new JsonObject { ["edited"] = true },
        });
        RequestAssert.Matches(Fixtures.Get("395"), server.Last);
        var users = await client.ListLearningUsersAsync();
        RequestAssert.Matches(Fixtures.Get("396"), server.Last);
        await client.DeleteLearningAsync(profile.LearningId!);
        RequestAssert.Matches(Fixtures.Get("397"), server.Last);
        var gone = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.GetLearningAsync(profile.LearningId!));
        RequestAssert.Matches(Fixtures.Get("398"), server.Last);
        await client.DeleteUserLearningsAsync("learn-user");
        RequestAssert.Matches(Fixtures.Get("399"), server.Last);
        var invalid = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.CreateLearningAsync(new CreateLearningRequest("user_profile", null)));
        RequestAssert.Matches(Fixtures.Get("400"), server.Last);

        Assert.Empty(empty.Data);
        Assert.Equal("user_profile_learn-user", profile.LearningId);
        Assert.Equal("Ada", (string?)profile.Content!["name"]);
        Assert.Equal(("entity_global_company_acme", "acme", "company"), (entity.LearningId, entity.EntityId, entity.EntityType));
        Assert.Equal(profile.LearningId, Assert.Single(listed.Data).LearningId);
        Assert.Equal("user", read.Namespace);
        Assert.Equal(["tea", "chess"], patched.Content!["likes"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(true, (bool?)patched.Metadata!["edited"]);
        Assert.True(patched.UpdatedAt >= patched.CreatedAt);
        Assert.Equal("learn-user", Assert.Single(users.Data).UserId);
        Assert.Equal("Learning not found", gone.Detail);
        Assert.Equal("body.content", Assert.Single(invalid.ValidationErrors).Location);
    }
}

public sealed class LearningTests_More29() : LearningTests(FixtureSet.More29);

public sealed class LearningTests_More30() : LearningTests(FixtureSet.More30);
