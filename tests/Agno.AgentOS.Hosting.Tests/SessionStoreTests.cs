using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>The behaviour every built-in session store shares (the PostgreSQL store runs the same checks in its own project).</summary>
public abstract class SessionStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 23, 57, 50, TimeSpan.Zero);

    protected abstract IAgentOSSessionStore Store { get; }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public async Task A_saved_session_comes_back_with_its_runs_and_state_or_without_its_runs()
    {
        var session = Session("s-1", "agent", "echo-agent", "u-1", "first", T0);
        session.SessionState = new JsonObject { ["cart"] = new JsonArray("apple") };
        session.Metadata = new JsonObject { ["tier"] = "gold" };
        session.Summary = new JsonObject { ["summary"] = "short" };

        await Store.SaveRunAsync(session, Run("r-1", "PAUSED", "echo-agent", resume: true));
        var loaded = await Store.GetSessionAsync("s-1", includeRuns: true);
        var header = await Store.GetSessionAsync("s-1", includeRuns: false);

        Assert.NotNull(loaded);
        Assert.Equal(("agent", "echo-agent", "u-1", "first"), (loaded.SessionType, loaded.ComponentId, loaded.UserId, loaded.SessionName));
        Assert.Equal("apple", loaded.SessionState!["cart"]![0]!.GetValue<string>());
        Assert.Equal("gold", (string?)loaded.Metadata!["tier"]);
        Assert.Equal("short", (string?)loaded.Summary!["summary"]);
        Assert.Equal("PAUSED", loaded.FindRun("r-1")!.Status);
        Assert.NotNull(loaded.Runs[0].ResumeJson());
        Assert.Equal(T0, loaded.CreatedAt);
        Assert.NotNull(header);
        Assert.Empty(header.Runs);
        Assert.Equal(("first", "gold"), (header.SessionName, (string?)header.Metadata!["tier"]));
    }

    [Fact]
    public async Task Runs_are_appended_in_order_and_a_run_saved_again_is_replaced_in_its_place()
    {
        var session = Session("order", "agent", "a", null, "n", T0);
        await Store.SaveRunAsync(session, Run("r-1", "PAUSED", "a"));
        await Store.SaveRunAsync(session, Run("r-2", "COMPLETED", "a"));
        await Store.SaveRunAsync(session, Run("r-3", "COMPLETED", "a"));
        await Store.SaveRunAsync(session, Run("r-1", "COMPLETED", "a", content: "continued"));

        var runs = await Store.GetRunsAsync("order");
        var one = await Store.GetRunAsync("order", "r-1");

        Assert.Equal(["r-1", "r-2", "r-3"], runs.Select(r => r.RunId));
        Assert.Equal("COMPLETED", runs[0].Status);
        Assert.Equal("continued", (string?)one!.OutputJson()["content"]);
        Assert.True(one!.OutputJson().ContainsKey("session_state")); // a null stays (GET .../runs/{id} shows it)
        Assert.Null(one!.OutputJson()["session_state"]);
        Assert.Null(await Store.GetRunAsync("order", "missing"));
        Assert.Null(await Store.GetRunAsync("no-such-session", "r-1"));
        Assert.Empty(await Store.GetRunsAsync("no-such-session"));
    }

    [Fact]
    public async Task Saving_a_session_changes_its_own_fields_and_keeps_its_runs()
    {
        var session = Session("header", "agent", "a", "u", "before", T0);
        await Store.SaveRunAsync(session, Run("r-1", "COMPLETED", "a"));

        var header = (await Store.GetSessionAsync("header", includeRuns: false))!;
        header.SessionName = "after";
        header.SessionState = new JsonObject { ["k"] = 1 };
        header.UpdatedAt = T0.AddMinutes(1);
        await Store.SaveSessionAsync(header); // no runs in it: the stored ones stay
        var saved = await Store.GetSessionAsync("header", includeRuns: true);

        Assert.Equal(("after", 1, T0.AddMinutes(1)), (saved!.SessionName, (int)saved.SessionState!["k"]!, saved.UpdatedAt));
        Assert.Equal("r-1", Assert.Single(saved.Runs).RunId);
    }

    [Fact]
    public async Task Saving_a_run_updates_the_sessions_own_fields_too()
    {
        var session = Session("fields", "agent", "a", "u", "first", T0);
        await Store.SaveRunAsync(session, Run("r-1", "COMPLETED", "a"));
        session.SessionState = new JsonObject { ["turns"] = 2 };
        session.UpdatedAt = T0.AddSeconds(30);
        await Store.SaveRunAsync(session, Run("r-2", "COMPLETED", "a"));

        var saved = await Store.GetSessionAsync("fields", includeRuns: false);

        Assert.Equal((2, T0.AddSeconds(30)), ((int)saved!.SessionState!["turns"]!, saved.UpdatedAt));
    }

    [Fact]
    public async Task Runs_are_read_by_component_status_and_the_newest_few_oldest_first()
    {
        var session = Session("query", "team", "t", null, "n", T0);
        await Store.SaveRunAsync(session, Run("r-1", "COMPLETED", "t"));
        await Store.SaveRunAsync(session, Run("r-2", "PAUSED", "t"));
        await Store.SaveRunAsync(session, Run("r-3", "COMPLETED", "other", team: true));
        await Store.SaveRunAsync(session, Run("r-4", "COMPLETED", "t"));
        await Store.SaveRunAsync(session, Run("r-5", "COMPLETED", "t"));

        var completed = await Store.GetRunsAsync("query", new AgentOSRunQuery { ComponentId = "t", Status = "COMPLETED" });
        var lastTwo = await Store.GetRunsAsync("query", new AgentOSRunQuery { ComponentId = "t", Status = "COMPLETED", Last = 2 });
        var ofOther = await Store.GetRunsAsync("query", new AgentOSRunQuery { ComponentId = "other" });
        var none = await Store.GetRunsAsync("query", new AgentOSRunQuery { Last = 0 });

        Assert.Equal(["r-1", "r-4", "r-5"], completed.Select(r => r.RunId));
        Assert.Equal(["r-4", "r-5"], lastTwo.Select(r => r.RunId));
        Assert.Equal("r-3", Assert.Single(ofOther).RunId);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Runs_are_filtered_on_their_run_status_whatever_the_case_of_the_stored_status_and_of_the_query()
    {
        var session = Session("cases", "agent", "a", null, "n", T0);
        await Store.SaveRunAsync(session, Run("r-1", "completed", "a"));
        await Store.SaveRunAsync(session, Run("r-2", "PAUSED", "a"));
        await Store.SaveRunAsync(session, Run("r-3", "Completed", "a"));
        await Store.SaveRunAsync(session, Run("r-4", "COMPLETED", "a"));
        await Store.SaveRunAsync(session, Run("r-5", "paused", "a"));

        var upper = await Store.GetRunsAsync("cases", new AgentOSRunQuery { Status = RunStatus.Completed });
        var lower = await Store.GetRunsAsync("cases", new AgentOSRunQuery { ComponentId = "a", Status = new RunStatus("completed") });
        var lastPaused = await Store.GetRunsAsync("cases", new AgentOSRunQuery { Status = new RunStatus("Paused"), Last = 1 });
        var cancelled = await Store.GetRunsAsync("cases", new AgentOSRunQuery { Status = RunStatus.Cancelled });
        var all = await Store.GetRunsAsync("cases");

        Assert.Equal(["r-1", "r-3", "r-4"], upper.Select(r => r.RunId));
        Assert.Equal(["r-1", "r-3", "r-4"], lower.Select(r => r.RunId));
        Assert.Equal("r-5", Assert.Single(lastPaused).RunId);
        Assert.Empty(cancelled);
        Assert.Equal([RunStatus.Completed, RunStatus.Paused, RunStatus.Completed, RunStatus.Completed, RunStatus.Paused], all.Select(r => r.Status!.Value));
    }

    [Fact]
    public async Task Changing_what_was_read_does_not_change_what_is_stored()
    {
        await Store.SaveRunAsync(Session("copies", "agent", "a", null, "before", T0), Run("r-1", "COMPLETED", "a"));

        var loaded = await Store.GetSessionAsync("copies", includeRuns: true);
        loaded!.SessionName = "after";
        loaded.Runs[0] = Run("r-1", "COMPLETED", "a", content: "changed"); // the copy's list, not the store's
        var listed = (await Store.ListSessionsAsync(new AgentOSSessionQuery())).Sessions.Single(s => s.Session.SessionId == "copies").Runs[0];
        listed.Metrics!.TotalTokens = 99;
        listed.Status = RunStatus.Error;
        var again = await Store.GetSessionAsync("copies", includeRuns: true);
        var relisted = (await Store.ListSessionsAsync(new AgentOSSessionQuery())).Sessions.Single(s => s.Session.SessionId == "copies").Runs[0];

        Assert.Equal("before", again!.SessionName);
        Assert.Equal("answer", (string?)again.Runs[0].OutputJson()["content"]);
        Assert.Equal((3L, RunStatus.Completed), (relisted.Metrics!.TotalTokens, relisted.Status!.Value));
    }

    [Fact]
    public async Task Deleting_removes_the_session_and_its_runs_once()
    {
        await Store.SaveRunAsync(Session("s-3", "team", "t", null, "x", T0), Run("r-1", "COMPLETED", "t", team: true));

        Assert.True(await Store.DeleteSessionAsync("s-3"));
        Assert.False(await Store.DeleteSessionAsync("s-3"));
        Assert.Null(await Store.GetSessionAsync("s-3", includeRuns: true));
        Assert.Empty(await Store.GetRunsAsync("s-3"));
        Assert.Null(await Store.GetRunAsync("s-3", "r-1"));

        // the id can be used again, without the old runs
        await Store.SaveRunAsync(Session("s-3", "team", "t", null, "x", T0), Run("r-2", "COMPLETED", "t", team: true));
        Assert.Equal(["r-2"], (await Store.GetRunsAsync("s-3")).Select(r => r.RunId));
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
        var past = await Store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "paging", Page = 9 });

        Assert.Equal(["p-2", "p-1", "p-0"], newest.Sessions.Select(s => s.Session.SessionId));
        Assert.Equal(3, newest.TotalCount);
        Assert.Equal("p-1", Assert.Single(page2.Sessions).Session.SessionId);
        Assert.Equal(3, page2.TotalCount);
        Assert.Equal(["alpha", "bravo", "charlie"], byName.Sessions.Select(s => s.Session.SessionName!));
        Assert.Equal("p-2", Assert.Single(named.Sessions).Session.SessionId);
        Assert.Equal("a-team", Assert.Single(teams.Sessions).Session.SessionId);
        Assert.Equal((4, 0), (past.TotalCount, past.Sessions.Count));
    }

    [Fact]
    public async Task A_list_carries_the_runs_summaries_without_their_messages()
    {
        var session = Session("listed", "agent", "a", "summaries", "n", T0);
        session.SessionState = new JsonObject { ["k"] = "v" };
        await Store.SaveRunAsync(session, Run("r-1", "COMPLETED", "a", content: new string('x', 10_000), tokens: 7));
        await Store.SaveRunAsync(session, Run("r-2", "COMPLETED", "a", tokens: 5));
        await Store.SaveSessionAsync(Session("empty", "agent", "a", "summaries", "m", T0.AddSeconds(-5)));

        var page = await Store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "summaries" });

        var listed = page.Sessions[0];
        Assert.Equal(("listed", "v"), (listed.Session.SessionId, (string?)listed.Session.SessionState!["k"]));
        Assert.Empty(listed.Session.Runs);
        Assert.Equal(["r-1", "r-2"], listed.Runs.Select(r => r.RunId));
        Assert.Equal([7L, 5L], listed.Runs.Select(r => r.Metrics!.TotalTokens));
        Assert.Equal([6L, 4L], listed.Runs.Select(r => r.Metrics!.OutputTokens));
        Assert.Equal(("gpt-test", "Test", "a", null, null), (listed.Runs[0].Model, listed.Runs[0].ModelProvider, listed.Runs[0].AgentId, listed.Runs[0].TeamId, listed.Runs[0].WorkflowId));
        Assert.All(listed.Runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Empty(page.Sessions[1].Runs);
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

        Assert.Equal(["t-0", "t-1", "t-2"], desc.Sessions.Select(s => s.Session.SessionId));
        Assert.Equal(["t-0", "t-1", "t-2"], asc.Sessions.Select(s => s.Session.SessionId));
    }

    [Fact]
    public async Task Runs_saved_at_once_on_one_session_all_land()
    {
        const int runs = 200;
        var session = Session("busy", "agent", "a", null, "n", T0);

        await Task.WhenAll(Enumerable.Range(0, runs).Select(i => Task.Run(async () =>
            await Store.SaveRunAsync(session.CloneWithoutRuns(), Run($"r-{i}", "COMPLETED", "a")))));
        var stored = await Store.GetRunsAsync("busy");

        Assert.Equal(runs, stored.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, runs).Select(i => $"r-{i}").Order(), stored.Select(r => r.RunId).Order());
    }

    internal static AgentOSSession Session(string id, string type, string component, string? user, string name, DateTimeOffset created) => new()
    {
        SessionId = id,
        SessionType = type,
        ComponentId = component,
        UserId = user,
        SessionName = name,
        CreatedAt = created,
        UpdatedAt = created,
    };

    internal static AgentOSStoredRun Run(string id, string status, string component, bool team = false, bool resume = false, string content = "answer", long tokens = 3) => new()
    {
        RunId = id,
        OutputUtf8 = StoredRunJson.Utf8(new JsonObject
        {
            ["run_id"] = id,
            [team ? "team_id" : "agent_id"] = component,
            ["status"] = status,
            ["content"] = content,
            ["model"] = "gpt-test",
            ["model_provider"] = "Test",
            ["metrics"] = new JsonObject { ["input_tokens"] = 1, ["output_tokens"] = tokens - 1, ["total_tokens"] = tokens },
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
            ["session_state"] = null,
        }),
        ResumeStateUtf8 = resume ? StoredRunJson.Utf8(new JsonObject { ["pending"] = new JsonArray() }) : default,
    };
}

public sealed class InMemorySessionStoreTests : SessionStoreTests
{
    protected override IAgentOSSessionStore Store { get; } = new InMemoryAgentOSSessionStore();
}

public sealed class SqliteSessionStoreTests : SessionStoreTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentos-store-").FullName;
    private readonly SqliteAgentOSSessionStore _store;

    public SqliteSessionStoreTests()
    {
        _store = new SqliteAgentOSSessionStore($"Data Source={File};Pooling=False");
    }

    protected override IAgentOSSessionStore Store => _store;

    private string File => Path.Combine(_folder, "agentos.db");

    public override void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
        base.Dispose();
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_sees_the_sessions()
    {
        await Store.SaveSessionAsync(new AgentOSSession { SessionId = "kept", SessionType = "agent", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch });

        using var reopened = new SqliteAgentOSSessionStore($"Data Source={File};Pooling=False");
        var session = await reopened.GetSessionAsync("kept", includeRuns: true);

        Assert.NotNull(session);
        Assert.Equal("agent", session.SessionType);
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode_with_a_table_per_kind_of_row()
    {
        await Store.SaveSessionAsync(Session("wal", "agent", "a", null, "n", DateTimeOffset.UnixEpoch));

        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        var names = new List<string>();
        using (var reader = tables.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal("wal", (string?)mode.ExecuteScalar());
        Assert.Equal((long)SqliteAgentOSSessionStore.SchemaVersion, (long)version.ExecuteScalar()!);
        Assert.Equal([SqliteAgentOSSessionStore.RunsTableName, SqliteAgentOSSessionStore.TableName], names);
    }

    [Fact]
    public async Task A_run_summary_an_earlier_version_wrote_as_text_is_read_typed()
    {
        await Store.SaveRunAsync(Session("old-summary", "agent", "a", "old", "n", DateTimeOffset.UnixEpoch), Run("r-1", "COMPLETED", "a"));
        using (var connection = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            // text, not UTF-8 bytes; a status in lower case; a field the typed summary does not keep; workflow step metrics
            update.CommandText = $"UPDATE {SqliteAgentOSSessionStore.RunsTableName} SET summary = '" + """{"run_id":"r-1","status":"completed","created_at":1700000000,"workflow_id":"wf","model":"m","model_provider":"P","content":"ignored","metrics":{"total_tokens":9,"steps":{"s":{}}}}""" + "' WHERE run_id = 'r-1'";
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        var summary = Assert.Single(Assert.Single((await Store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "old" })).Sessions).Runs);

        Assert.Equal(("r-1", 1700000000L, "wf", "m", "P"), (summary.RunId, summary.CreatedAt, summary.WorkflowId, summary.Model, summary.ModelProvider));
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Equal(9L, summary.Metrics!.TotalTokens);
        Assert.True(summary.Metrics.AdditionalProperties!.ContainsKey("steps"));
    }

    [Fact]
    public async Task A_runs_status_column_is_written_upper_cased_and_a_status_stored_in_another_case_still_matches()
    {
        var session = Session("column", "agent", "a", null, "n", DateTimeOffset.UnixEpoch);
        await Store.SaveRunAsync(session, Run("r-1", "completed", "a"));
        await Store.SaveRunAsync(session, Run("r-2", "Paused", "a"));
        await Store.SaveRunAsync(session, Run("r-3", "COMPLETED", "a"));

        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        var written = Column(connection);
        using (var lower = connection.CreateCommand())
        {
            // the column as an earlier version left it: the status in the case the run's output had
            lower.CommandText = $"UPDATE {SqliteAgentOSSessionStore.RunsTableName} SET status = lower(status) WHERE run_id IN ('r-1', 'r-2')";
            lower.ExecuteNonQuery();
        }

        var completed = await Store.GetRunsAsync("column", new AgentOSRunQuery { ComponentId = "a", Status = RunStatus.Completed });
        var paused = await Store.GetRunsAsync("column", new AgentOSRunQuery { Status = new RunStatus("PAUSED") });

        Assert.Equal(["COMPLETED", "PAUSED", "COMPLETED"], written);
        Assert.Equal(["completed", "paused", "COMPLETED"], Column(connection));
        Assert.Equal(["r-1", "r-3"], completed.Select(r => r.RunId));
        Assert.Equal("r-2", Assert.Single(paused).RunId);

        static List<string> Column(SqliteConnection connection)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT status FROM {SqliteAgentOSSessionStore.RunsTableName} WHERE session_id = 'column' ORDER BY seq";
            using var reader = select.ExecuteReader();
            var statuses = new List<string>();
            while (reader.Read())
            {
                statuses.Add(reader.GetString(0));
            }

            return statuses;
        }
    }

    [Fact]
    public async Task A_run_of_megabytes_is_stored_whole_beside_small_ones_and_read_back_by_another_store()
    {
        // a large run's commit leaves the log's checkpoint to the background; the small ones around it checkpoint as usual
        var session = Session("large", "agent", "a", null, "n", DateTimeOffset.UnixEpoch);
        string big = new('x', 3 * 1024 * 1024);
        await Store.SaveRunAsync(session, Run("r-small-1", "COMPLETED", "a", content: "before"));
        await Store.SaveRunAsync(session, Run("r-big", "COMPLETED", "a", content: big));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () => await Store.SaveRunAsync(session.CloneWithoutRuns(), Run($"r-after-{i}", "COMPLETED", "a", content: "after")))));
        await Store.SaveRunAsync(session, Run("r-big-2", "COMPLETED", "a", content: big + "y"));

        using var other = new SqliteAgentOSSessionStore($"Data Source={File};Pooling=False");
        var runs = await other.GetRunsAsync("large");

        Assert.Equal(23, runs.Count);
        Assert.Equal(["r-small-1", "r-big"], runs.Take(2).Select(r => r.RunId));
        Assert.Equal("r-big-2", runs[^1].RunId);
        Assert.Equal(big, runs[1].OutputJson()["content"]!.GetValue<string>());
        Assert.Equal(big.Length + 1, runs[^1].OutputJson()["content"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Runs_saved_at_once_through_two_stores_on_one_file_all_land()
    {
        using var other = new SqliteAgentOSSessionStore($"Data Source={File}");
        var session = Session("shared", "agent", "a", null, "n", DateTimeOffset.UnixEpoch);
        await Store.SaveSessionAsync(session);
        const int runs = 300;

        await Task.WhenAll(Enumerable.Range(0, runs).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? Store : other).SaveRunAsync(session.CloneWithoutRuns(), Run($"r-{i}", "COMPLETED", "a")))));
        var seenByOne = await Store.GetRunsAsync("shared");
        var seenByOther = await other.GetRunsAsync("shared");

        Assert.Equal(runs, seenByOne.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(seenByOne.Select(r => r.RunId), seenByOther.Select(r => r.RunId));
    }

    [Fact]
    public async Task A_database_of_the_one_table_schema_is_migrated_with_its_sessions_runs_and_order()
    {
        string file = Path.Combine(_folder, "old.db");
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            // the schema and rows as version 1 of this store wrote them (the whole session as JSON in `data`)
            create.CommandText = """
                CREATE TABLE agentos_sessions (
                  session_id TEXT NOT NULL PRIMARY KEY, session_type TEXT NOT NULL, component_id TEXT NULL, user_id TEXT NULL,
                  session_name TEXT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, data TEXT NOT NULL);
                CREATE INDEX ix_agentos_sessions_type_created ON agentos_sessions (session_type, created_at);
                INSERT INTO agentos_sessions VALUES ('b-second', 'agent', 'echo-agent', 'ada', 'second', 638000000000000000, 638000000000000000,
                  '{"session_id":"b-second","session_type":"agent","component_id":"echo-agent","user_id":"ada","session_name":"second","session_state":{"n":2},"created_at":"2022-10-23T09:46:40+00:00","updated_at":"2022-10-23T09:46:40+00:00","runs":[{"run_id":"r-1","output":{"run_id":"r-1","agent_id":"echo-agent","status":"COMPLETED","content":"one","metrics":{"total_tokens":4}}},{"run_id":"r-2","output":{"run_id":"r-2","agent_id":"echo-agent","status":"PAUSED"},"resume_state":{"pending":[1]}}]}');
                INSERT INTO agentos_sessions VALUES ('a-third', 'agent', 'echo-agent', 'ada', 'third', 638000000000000000, 638000000000000000,
                  '{"session_id":"a-third","session_type":"agent","component_id":"echo-agent","user_id":"ada","session_name":"third","created_at":"2022-10-23T09:46:40+00:00","updated_at":"2022-10-23T09:46:40+00:00","runs":[]}');
                """;
            create.ExecuteNonQuery();
        }

        using var store = new SqliteAgentOSSessionStore($"Data Source={file};Pooling=False");
        using var concurrent = new SqliteAgentOSSessionStore($"Data Source={file};Pooling=False");
        var both = await Task.WhenAll(store.GetSessionAsync("b-second", includeRuns: true).AsTask(), concurrent.GetSessionAsync("b-second", includeRuns: true).AsTask());
        var page = await store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "ada" });
        await store.SaveRunAsync(both[0]!, Run("r-3", "COMPLETED", "echo-agent"));

        foreach (var migrated in both)
        {
            Assert.NotNull(migrated);
            Assert.Equal(("agent", "echo-agent", "ada", "second", 2), (migrated.SessionType, migrated.ComponentId, migrated.UserId, migrated.SessionName, (int)migrated.SessionState!["n"]!));
            Assert.Equal(["r-1", "r-2"], migrated.Runs.Select(r => r.RunId));
            Assert.Equal("one", (string?)migrated.Runs[0].OutputJson()["content"]);
            Assert.Equal(1, (int)migrated.Runs[1].ResumeJson()!["pending"]![0]!);
        }

        Assert.Equal(["b-second", "a-third"], page.Sessions.Select(s => s.Session.SessionId)); // same second: creation (row) order kept
        Assert.Equal(4L, page.Sessions[0].Runs[0].Metrics!.TotalTokens);
        Assert.Equal(["r-1", "r-2", "r-3"], (await store.GetRunsAsync("b-second")).Select(r => r.RunId));
    }
}
