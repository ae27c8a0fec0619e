using System.Text.Json.Nodes;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>The behaviour both built-in session stores share.</summary>
public abstract class SessionStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 23, 57, 50, TimeSpan.Zero);

    protected abstract IAgentOSSessionStore Store { get; }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public async Task A_saved_session_comes_back_with_its_runs_and_state()
    {
        var session = Session("s-1", "agent", "echo-agent", "u-1", "first", T0);
        session.SessionState = new JsonObject { ["cart"] = new JsonArray("apple") };
        session.Runs.Add(new AgentOSStoredRun
        {
            RunId = "r-1",
            Output = new JsonObject { ["run_id"] = "r-1", ["status"] = "PAUSED" },
            ResumeState = new JsonObject { ["pending"] = new JsonArray() },
        });

        await Store.SaveSessionAsync(session);
        var loaded = await Store.GetSessionAsync("s-1");

        Assert.NotNull(loaded);
        Assert.Equal(("agent", "echo-agent", "u-1", "first"), (loaded.SessionType, loaded.ComponentId, loaded.UserId, loaded.SessionName));
        Assert.Equal("apple", loaded.SessionState!["cart"]![0]!.GetValue<string>());
        Assert.Equal("PAUSED", loaded.FindRun("r-1")!.Status);
        Assert.NotNull(loaded.Runs[0].ResumeState);
        Assert.Equal(T0, loaded.CreatedAt);
    }

    [Fact]
    public async Task Changing_a_loaded_session_does_not_change_the_stored_one_until_saved()
    {
        await Store.SaveSessionAsync(Session("s-2", "agent", "a", null, "before", T0));

        var loaded = await Store.GetSessionAsync("s-2");
        loaded!.SessionName = "after";
        var again = await Store.GetSessionAsync("s-2");
        await Store.SaveSessionAsync(loaded);
        var saved = await Store.GetSessionAsync("s-2");

        Assert.Equal("before", again!.SessionName);
        Assert.Equal("after", saved!.SessionName);
    }

    [Fact]
    public async Task Deleting_removes_the_session_once()
    {
        await Store.SaveSessionAsync(Session("s-3", "team", "t", null, "x", T0));

        Assert.True(await Store.DeleteSessionAsync("s-3"));
        Assert.False(await Store.DeleteSessionAsync("s-3"));
        Assert.Null(await Store.GetSessionAsync("s-3"));
    }

    [Fact]
    public async Task Listing_filters_pages_and_sorts()
    {
        await Store.SaveSessionAsync(Session("p-0", "agent", "echo-agent", "paging", "charlie", T0));
        await Store.SaveSessionAsync(Session("p-1", "agent", "echo-agent", "paging", "alpha", T0.AddSeconds(1)));
        await Store.SaveSessionAsync(Session("p-2", "agent", "echo-agent", "paging", "bravo", T0.AddSeconds(2)));
        await Store.SaveSessionAsync(Session("other-user", "agent", "echo-agent", "someone", "zulu", T0));
        await Store.SaveSessionAsync(Session("a-team", "team", "echo-team", "paging", "team", T0));

        var newest = await Store.ListSessionsAsync(new AgentOSSessionQuery { SessionType = "agent", UserId = "paging" });
        var page2 = await Store.ListSessionsAsync(new AgentOSSessionQuery { SessionType = "agent", UserId = "paging", Limit = 1, Page = 2 });
        var byName = await Store.ListSessionsAsync(new AgentOSSessionQuery { SessionType = "agent", UserId = "paging", SortBy = "session_name", SortDescending = false });
        var named = await Store.ListSessionsAsync(new AgentOSSessionQuery { SessionName = "RAV" });
        var teams = await Store.ListSessionsAsync(new AgentOSSessionQuery { SessionType = "team", ComponentId = "echo-team" });

        Assert.Equal(["p-2", "p-1", "p-0"], newest.Sessions.Select(s => s.SessionId));
        Assert.Equal(3, newest.TotalCount);
        Assert.Equal("p-1", Assert.Single(page2.Sessions).SessionId);
        Assert.Equal(3, page2.TotalCount);
        Assert.Equal(["alpha", "bravo", "charlie"], byName.Sessions.Select(s => s.SessionName!));
        Assert.Equal("p-2", Assert.Single(named.Sessions).SessionId);
        Assert.Equal("a-team", Assert.Single(teams.Sessions).SessionId);
    }

    [Fact]
    public async Task Sessions_created_in_the_same_second_keep_their_creation_order()
    {
        foreach (var id in new[] { "t-0", "t-1", "t-2" })
        {
            await Store.SaveSessionAsync(Session(id, "workflow", "wf", "same-second", id, T0.AddMilliseconds(id[^1] * 10)));
        }

        var desc = await Store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "same-second" });
        var asc = await Store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "same-second", SortDescending = false });

        Assert.Equal(["t-0", "t-1", "t-2"], desc.Sessions.Select(s => s.SessionId));
        Assert.Equal(["t-0", "t-1", "t-2"], asc.Sessions.Select(s => s.SessionId));
    }

    private static AgentOSSession Session(string id, string type, string component, string? user, string name, DateTimeOffset created) => new()
    {
        SessionId = id,
        SessionType = type,
        ComponentId = component,
        UserId = user,
        SessionName = name,
        CreatedAt = created,
        UpdatedAt = created,
    };
}

public sealed class InMemorySessionStoreTests : SessionStoreTests
{
    protected override IAgentOSSessionStore Store { get; } = new InMemoryAgentOSSessionStore();
}

public sealed class SqliteSessionStoreTests : SessionStoreTests
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentos-store-{Guid.NewGuid():N}.db");

    public SqliteSessionStoreTests() => Store = new SqliteAgentOSSessionStore($"Data Source={_file};Pooling=False");

    protected override IAgentOSSessionStore Store { get; }

    public override void Dispose()
    {
        File.Delete(_file);
        base.Dispose();
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_sees_the_sessions()
    {
        await Store.SaveSessionAsync(new AgentOSSession { SessionId = "kept", SessionType = "agent", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch });

        var reopened = new SqliteAgentOSSessionStore($"Data Source={_file};Pooling=False");
        var session = await reopened.GetSessionAsync("kept");

        Assert.NotNull(session);
        Assert.Equal("agent", session.SessionType);
    }
}
