using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

using Agno.AgentOS.Hosting.Tests;

namespace Agno.AgentOS.Hosting.PostgreSql.Tests;

/// <summary>The PostgreSQL store on a real server, alone and under two host instances on one database.</summary>
public sealed class PostgreSqlStoreTests
{
    [PostgresFact]
    public async Task Sessions_are_saved_read_listed_with_filters_and_paging_and_deleted()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSSessionStore(cs);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        for (int i = 0; i < 5; i++)
        {
            var session = new AgentOSSession
            {
                SessionId = $"s-{i}",
                SessionType = i < 3 ? AgentOSSessionTypes.Agent : AgentOSSessionTypes.Team,
                ComponentId = i < 3 ? "echo-agent" : "echo-team",
                UserId = i % 2 == 0 ? "ada" : "bob",
                SessionName = $"chat {i}",
                CreatedAt = t0.AddSeconds(i),
                UpdatedAt = t0.AddSeconds(10 - i),
                SessionState = new JsonObject { ["n"] = i },
            };
            await store.SaveRunAsync(session, Run($"r-{i}", "COMPLETED", "hé \"quoted\" \u2603"));
        }

        var read = await store.GetSessionAsync("s-2", includeRuns: true);
        var header = await store.GetSessionAsync("s-2", includeRuns: false);
        var agents = await store.ListSessionsAsync(new AgentOSSessionQuery { SessionType = AgentOSSessionTypes.Agent, Limit = 2, Page = 1 });
        var page2 = await store.ListSessionsAsync(new AgentOSSessionQuery { SessionType = AgentOSSessionTypes.Agent, Limit = 2, Page = 2 });
        var ada = await store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "ada", SortBy = "updated_at", SortDescending = false });
        var named = await store.ListSessionsAsync(new AgentOSSessionQuery { SessionName = "CHAT 4" });
        var past = await store.ListSessionsAsync(new AgentOSSessionQuery { Page = 9 });
        bool deleted = await store.DeleteSessionAsync("s-1");
        bool again = await store.DeleteSessionAsync("s-1");

        Assert.NotNull(read);
        Assert.Equal(("s-2", "ada", "chat 2", 2), (read.SessionId, read.UserId, read.SessionName, (int)read.SessionState!["n"]!));
        Assert.Equal(t0.AddSeconds(2), read.CreatedAt);
        Assert.Equal("hé \"quoted\" \u2603", (string?)read.Runs.Single().OutputJson()["content"]);
        Assert.Empty(header!.Runs);
        Assert.Equal(3, agents.TotalCount);
        Assert.Equal(["s-2", "s-1"], agents.Sessions.Select(s => s.Session.SessionId)); // created_at descending
        Assert.Equal(["r-2"], agents.Sessions[0].Runs.Select(r => r.RunId)); // the runs' summaries
        Assert.All(agents.Sessions.SelectMany(s => s.Runs), r => Assert.Equal(("echo-agent", 3L), (r.AgentId, r.Metrics!.TotalTokens)));
        Assert.Equal(["s-0"], page2.Sessions.Select(s => s.Session.SessionId));
        Assert.Equal(["s-4", "s-2", "s-0"], ada.Sessions.Select(s => s.Session.SessionId)); // updated_at ascending
        Assert.Equal(["s-4"], named.Sessions.Select(s => s.Session.SessionId)); // case-insensitive
        Assert.Equal((5, 0), (past.TotalCount, past.Sessions.Count));
        Assert.Equal((true, false), (deleted, again));
        Assert.Null(await store.GetSessionAsync("s-1", includeRuns: true));
        Assert.Empty(await store.GetRunsAsync("s-1")); // its runs went with it
    }

    [PostgresFact]
    public async Task Runs_are_rows_appended_in_order_replaced_in_place_and_read_by_query()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSSessionStore(cs);
        var session = new AgentOSSession { SessionId = "q", SessionType = AgentOSSessionTypes.Agent, ComponentId = "echo-agent", SessionName = "before" };
        await store.SaveRunAsync(session, Run("r-1", "PAUSED", "first", resume: true));
        await store.SaveRunAsync(session, Run("r-2", "COMPLETED", "second"));
        await store.SaveRunAsync(session, Run("r-3", "COMPLETED", "third", agent: "other-agent"));
        await store.SaveRunAsync(session, Run("r-4", "COMPLETED", "fourth"));
        await store.SaveRunAsync(session, Run("r-1", "COMPLETED", "continued"));
        var header = (await store.GetSessionAsync("q", includeRuns: false))!;
        header.SessionName = "after";
        await store.SaveSessionAsync(header); // the session's own fields only: its runs stay

        var all = await store.GetRunsAsync("q");
        var lastTwo = await store.GetRunsAsync("q", new AgentOSRunQuery { ComponentId = "echo-agent", Status = "COMPLETED", Last = 2 });
        var other = await store.GetRunsAsync("q", new AgentOSRunQuery { ComponentId = "other-agent" });
        var paused = await store.GetRunsAsync("q", new AgentOSRunQuery { Status = "PAUSED" });
        var one = await store.GetRunAsync("q", "r-1");
        var renamed = await store.GetSessionAsync("q", includeRuns: true);

        Assert.Equal(["r-1", "r-2", "r-3", "r-4"], all.Select(r => r.RunId));
        Assert.Equal(["r-2", "r-4"], lastTwo.Select(r => r.RunId));
        Assert.Equal("r-3", Assert.Single(other).RunId);
        Assert.Empty(paused);
        Assert.Equal(("continued", null), ((string?)one!.OutputJson()["content"], one!.ResumeJson()));
        Assert.Null(await store.GetRunAsync("q", "missing"));
        Assert.Equal(("after", 4), (renamed!.SessionName, renamed.Runs.Count));
    }

    [PostgresFact]
    public async Task A_run_summary_an_earlier_version_wrote_is_read_typed()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSSessionStore(cs);
        await store.SaveRunAsync(new AgentOSSession { SessionId = "old", SessionType = AgentOSSessionTypes.Agent, ComponentId = "echo-agent" }, Run("r-1", "COMPLETED", "one"));
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            // a status in lower case, a field the typed summary does not keep, metrics with their details
            await using var update = new NpgsqlCommand($"UPDATE {PostgreSqlAgentOSSessionStore.RunsTableName} SET summary = '" + """{"run_id":"r-1","status":"completed","created_at":1700000000,"agent_id":"echo-agent","model":"m","content":"ignored","metrics":{"input_tokens":2,"total_tokens":9,"details":{"model":[{"id":"m"}]}}}""" + "' WHERE run_id = 'r-1'", connection);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var summary = Assert.Single(Assert.Single((await store.ListSessionsAsync(new AgentOSSessionQuery())).Sessions).Runs);

        Assert.Equal(("r-1", 1700000000L, "echo-agent", "m"), (summary.RunId, summary.CreatedAt, summary.AgentId, summary.Model));
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Equal((2L, 9L), (summary.Metrics!.InputTokens, summary.Metrics.TotalTokens));
        Assert.Equal("m", summary.Metrics.Details!.Value.GetProperty("model")[0].GetProperty("id").GetString());
    }

    [PostgresFact]
    public async Task Runs_are_filtered_on_their_run_status_whatever_the_case_of_the_stored_status_and_of_the_query()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSSessionStore(cs);
        var session = new AgentOSSession { SessionId = "cases", SessionType = AgentOSSessionTypes.Agent, ComponentId = "echo-agent" };
        await store.SaveRunAsync(session, Run("r-1", "completed", "one"));
        await store.SaveRunAsync(session, Run("r-2", "Paused", "two"));
        await store.SaveRunAsync(session, Run("r-3", "COMPLETED", "three"));
        await store.SaveRunAsync(session, Run("r-4", "Completed", "four"));

        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var written = await ColumnAsync(connection);
        await using (var lower = new NpgsqlCommand($"UPDATE {PostgreSqlAgentOSSessionStore.RunsTableName} SET status = lower(status) WHERE run_id IN ('r-1', 'r-2')", connection))
        {
            // the column as an earlier version left it: the status in the case the run's output had
            await lower.ExecuteNonQueryAsync();
        }

        var completed = await store.GetRunsAsync("cases", new AgentOSRunQuery { Status = RunStatus.Completed });
        var lowerQuery = await store.GetRunsAsync("cases", new AgentOSRunQuery { ComponentId = "echo-agent", Status = new RunStatus("completed"), Last = 2 });
        var paused = await store.GetRunsAsync("cases", new AgentOSRunQuery { Status = new RunStatus("PAUSED") });
        var cancelled = await store.GetRunsAsync("cases", new AgentOSRunQuery { Status = RunStatus.Cancelled });

        Assert.Equal(["COMPLETED", "PAUSED", "COMPLETED", "COMPLETED"], written);
        Assert.Equal(["completed", "paused", "COMPLETED", "COMPLETED"], await ColumnAsync(connection));
        Assert.Equal(["r-1", "r-3", "r-4"], completed.Select(r => r.RunId));
        Assert.Equal(["r-3", "r-4"], lowerQuery.Select(r => r.RunId));
        Assert.Equal("r-2", Assert.Single(paused).RunId);
        Assert.Equal(RunStatus.Paused, paused[0].Status);
        Assert.Empty(cancelled);

        static async Task<List<string>> ColumnAsync(NpgsqlConnection connection)
        {
            await using var select = new NpgsqlCommand($"SELECT status FROM {PostgreSqlAgentOSSessionStore.RunsTableName} WHERE session_id = 'cases' ORDER BY seq", connection);
            await using var reader = await select.ExecuteReaderAsync();
            var statuses = new List<string>();
            while (await reader.ReadAsync())
            {
                statuses.Add(reader.GetString(0));
            }

            return statuses;
        }
    }

    [PostgresFact]
    public async Task A_database_of_schema_version_1_is_migrated_once_with_its_sessions_runs_and_order()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            // the schema and rows as version 1 of this store wrote them (the whole session as JSON in `data`)
            await using var create = new NpgsqlCommand("""
                CREATE TABLE agentos_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                INSERT INTO agentos_schema VALUES ('sessions', 1);
                CREATE TABLE agentos_sessions (
                  session_id TEXT NOT NULL PRIMARY KEY, seq BIGSERIAL NOT NULL, session_type TEXT NOT NULL, component_id TEXT NULL,
                  user_id TEXT NULL, session_name TEXT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                  revision BIGINT NOT NULL DEFAULT 1, data JSON NOT NULL);
                CREATE INDEX ix_agentos_sessions_type_created ON agentos_sessions (session_type, created_at);
                CREATE INDEX ix_agentos_sessions_user ON agentos_sessions (user_id);
                INSERT INTO agentos_sessions (session_id, session_type, component_id, user_id, session_name, created_at, updated_at, data)
                  VALUES ('b-first', 'agent', 'echo-agent', 'ada', 'first', 1800000000000, 1800000000000,
                  '{"session_id":"b-first","session_type":"agent","component_id":"echo-agent","user_id":"ada","session_name":"first","session_state":{"n":1},"metadata":{"m":true},"created_at":"2027-01-15T08:00:00+00:00","updated_at":"2027-01-15T08:00:00+00:00","runs":[{"run_id":"r-1","output":{"run_id":"r-1","agent_id":"echo-agent","status":"COMPLETED","content":"one","metrics":{"total_tokens":4}}},{"run_id":"r-2","output":{"run_id":"r-2","agent_id":"echo-agent","status":"PAUSED"},"resume_state":{"pending":[1]}}]}');
                INSERT INTO agentos_sessions (session_id, session_type, component_id, user_id, session_name, created_at, updated_at, data)
                  VALUES ('a-second', 'agent', 'echo-agent', 'ada', 'second', 1800000000000, 1800000000000,
                  '{"session_id":"a-second","session_type":"agent","component_id":"echo-agent","user_id":"ada","session_name":"second","created_at":"2027-01-15T08:00:00+00:00","updated_at":"2027-01-15T08:00:00+00:00","runs":[]}');
                """, connection);
            await create.ExecuteNonQueryAsync();
        }

        var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlAgentOSSessionStore(cs)).ToList();
        await Task.WhenAll(stores.Select(s => s.InitializeAsync())); // several instances start at once: one migrates
        var store = stores[0];
        var migrated = await store.GetSessionAsync("b-first", includeRuns: true);
        var page = await store.ListSessionsAsync(new AgentOSSessionQuery { UserId = "ada" });
        await store.SaveRunAsync(migrated!, Run("r-3", "COMPLETED", "three"));

        Assert.NotNull(migrated);
        Assert.Equal(("echo-agent", "ada", "first", 1, true), (migrated.ComponentId, migrated.UserId, migrated.SessionName, (int)migrated.SessionState!["n"]!, (bool)migrated.Metadata!["m"]!));
        Assert.Equal(["r-1", "r-2"], migrated.Runs.Select(r => r.RunId));
        Assert.Equal(("one", 1), ((string?)migrated.Runs[0].OutputJson()["content"], (int)migrated.Runs[1].ResumeJson()!["pending"]![0]!));
        Assert.Equal(["b-first", "a-second"], page.Sessions.Select(s => s.Session.SessionId)); // same second: creation order kept
        Assert.Equal(4L, page.Sessions[0].Runs[0].Metrics!.TotalTokens);
        Assert.Equal(["r-1", "r-2", "r-3"], (await store.GetRunsAsync("b-first")).Select(r => r.RunId));
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("SELECT version FROM agentos_schema WHERE component = 'sessions'", connection);
            await using var data = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'agentos_sessions' AND column_name = 'data'", connection);
            Assert.Equal(PostgreSqlAgentOSSessionStore.SchemaVersion, (int)(await version.ExecuteScalarAsync())!);
            Assert.Equal(0L, (long)(await data.ExecuteScalarAsync())!);
        }

        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_database_of_schema_version_2_is_migrated_once_to_bytea_outputs_read_back_identical()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        // outputs as version 2 kept them (json: the text as sent), with escapes, non-ASCII and a 300 KB content
        string big = string.Concat(Enumerable.Repeat("""h\u00e9 \"x\" \u2603 \ud83d\ude00 é€😀 \\ """, 12_000)); // JSON text
        string[] outputs =
        [
            """{"run_id":"r-1","agent_id":"echo-agent","status":"COMPLETED","content":"one \u00e9 ☃","metrics":{"total_tokens":4}}""",
            """{"run_id":"r-2","agent_id":"echo-agent","status":"PAUSED","content":null}""",
            $$"""{"run_id":"r-3","agent_id":"echo-agent","status":"COMPLETED","content":"{{big}}","messages":[{"role":"user","content":"{{big}}"}]}""",
        ];
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("""
                CREATE TABLE agentos_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                INSERT INTO agentos_schema VALUES ('sessions', 2);
                CREATE TABLE agentos_sessions (
                  session_id TEXT NOT NULL PRIMARY KEY, seq BIGSERIAL NOT NULL, session_type TEXT NOT NULL, component_id TEXT NULL,
                  user_id TEXT NULL, session_name TEXT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                  revision BIGINT NOT NULL DEFAULT 1, session_state JSON NULL, metadata JSON NULL, summary JSON NULL);
                CREATE INDEX ix_agentos_sessions_type_created ON agentos_sessions (session_type, created_at);
                CREATE INDEX ix_agentos_sessions_user ON agentos_sessions (user_id);
                CREATE TABLE agentos_runs (
                  seq BIGSERIAL PRIMARY KEY,
                  session_id TEXT NOT NULL REFERENCES agentos_sessions (session_id) ON DELETE CASCADE,
                  run_id TEXT NOT NULL, component_id TEXT NULL, status TEXT NULL, output JSON NOT NULL,
                  resume_state JSON NULL, summary JSON NOT NULL, UNIQUE (session_id, run_id));
                ALTER TABLE agentos_runs ALTER COLUMN output SET STORAGE EXTERNAL;
                CREATE INDEX ix_agentos_runs_session ON agentos_runs (session_id, seq);
                CREATE INDEX ix_agentos_runs_history ON agentos_runs (session_id, component_id, status, seq);
                INSERT INTO agentos_sessions (session_id, session_type, component_id, user_id, session_name, created_at, updated_at, session_state)
                  VALUES ('v2', 'agent', 'echo-agent', 'ada', 'old', 1800000000000, 1800000000000, '{"n":1}');
                """, connection);
            await create.ExecuteNonQueryAsync();
            for (int i = 0; i < outputs.Length; i++)
            {
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO agentos_runs (session_id, run_id, component_id, status, output, resume_state, summary)
                      VALUES ('v2', $1, 'echo-agent', $2, $3::json, $4::json, $5::json)
                    """, connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = $"r-{i + 1}" });
                insert.Parameters.Add(new NpgsqlParameter { Value = i == 1 ? "PAUSED" : "COMPLETED" });
                insert.Parameters.Add(new NpgsqlParameter { Value = outputs[i] });
                insert.Parameters.Add(new NpgsqlParameter { Value = i == 1 ? """{"pending":[1]}""" : DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter { Value = $$"""{"run_id":"r-{{i + 1}}"}""" });
                await insert.ExecuteNonQueryAsync();
            }
        }

        var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlAgentOSSessionStore(cs)).ToList();
        await Task.WhenAll(stores.Select(s => s.InitializeAsync())); // several instances start at once: one migrates
        var store = stores[0];
        var session = await store.GetSessionAsync("v2", includeRuns: true);
        var one = await stores[1].GetRunAsync("v2", "r-3");
        await store.SaveRunAsync(session!, Run("r-4", "COMPLETED", "four"));

        Assert.NotNull(session);
        Assert.Equal(["r-1", "r-2", "r-3"], session.Runs.Select(r => r.RunId));
        Assert.All(session.Runs, (r, i) => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(outputs[i]), r.OutputJson())));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(outputs[2]), one!.OutputJson()));
        Assert.Equal((string?)JsonNode.Parse(outputs[2])!["content"], (string?)one!.OutputJson()["content"]);
        Assert.Equal(1, (int)session.Runs[1].ResumeJson()!["pending"]![0]!);
        Assert.Equal((RunStatus.Paused, "echo-agent", 4L), (session.Runs[1].Status!.Value, session.Runs[1].ComponentId, session.Runs[0].ToSummary().Metrics!.TotalTokens)); // read from the bytes' top level
        Assert.Equal(["r-1", "r-2", "r-3", "r-4"], (await store.GetRunsAsync("v2")).Select(r => r.RunId));
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("SELECT version FROM agentos_schema WHERE component = 'sessions'", connection);
            await using var column = new NpgsqlCommand("SELECT format_type(atttypid, atttypmod), attstorage::text FROM pg_attribute WHERE attrelid = 'agentos_runs'::regclass AND attname = 'output'", connection);
            await using var text = new NpgsqlCommand("SELECT convert_from(output, 'UTF8') FROM agentos_runs WHERE run_id <> 'r-4' ORDER BY seq", connection);
            Assert.Equal(3, (int)(await version.ExecuteScalarAsync())!);
            await using (var reader = await column.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal(("bytea", "e"), (reader.GetString(0), reader.GetString(1)));
            }

            // a version-2 table's session names were compressed in line: stored out of line from now on, the old name kept
            await using (var name = new NpgsqlCommand("SELECT a.attstorage::text, s.session_name FROM pg_attribute a, agentos_sessions s WHERE a.attrelid = 'agentos_sessions'::regclass AND a.attname = 'session_name' AND s.session_id = 'v2'", connection))
            await using (var reader = await name.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal(("e", "old"), (reader.GetString(0), reader.GetString(1)));
            }

            var stored = new List<string>();
            await using (var reader = await text.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    stored.Add(reader.GetString(0));
                }
            }

            Assert.Equal(outputs, stored); // the rows' text byte for byte
        }

        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_run_of_megabytes_is_stored_as_bytea_and_read_back_exactly()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSSessionStore(cs);
        string content = LargeContent(6 * 1024 * 1024);
        var session = new AgentOSSession { SessionId = "big", SessionType = AgentOSSessionTypes.Agent, ComponentId = "echo-agent" };
        var run = Run("r-big", "COMPLETED", content);

        Assert.True(await store.SaveNewRunAsync(session, run));
        var read = await store.GetRunAsync("big", "r-big");
        var all = await store.GetSessionAsync("big", includeRuns: true);

        Assert.Equal(content, (string?)read!.OutputJson()["content"]);
        Assert.Equal(content, (string?)read!.OutputJson()["messages"]![0]!["content"]);
        Assert.True(run.OutputUtf8.Span.SequenceEqual(all!.Runs.Single().OutputUtf8.Span)); // the bytes as they were given
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var column = new NpgsqlCommand("SELECT pg_typeof(output)::text, octet_length(output) FROM agentos_runs WHERE run_id = 'r-big'", connection);
        await using var reader = await column.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("bytea", (long)run.OutputUtf8.Length), (reader.GetString(0), (long)reader.GetInt32(1)));
    }

    /// <summary>Text of about that many characters: words, newlines, quotes, backslashes, control characters, 2-, 3- and 4-byte UTF-8.</summary>
    private static string LargeContent(int chars)
    {
        var text = new System.Text.StringBuilder(chars + 64);
        for (int i = 0; text.Length < chars; i++)
        {
            text.Append("word").Append(i).Append(i % 7 == 0 ? "\n" : " ").Append(i % 11 == 0 ? "\"q\\ \t\u0001 " : string.Empty)
                .Append(i % 5 == 0 ? "é€😀 " : string.Empty);
        }

        return text.ToString();
    }

    [PostgresFact]
    public async Task Runs_saved_at_once_on_one_session_through_two_stores_all_land()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var a = new PostgreSqlAgentOSSessionStore(cs);
        await using var b = new PostgreSqlAgentOSSessionStore(cs);
        var session = new AgentOSSession { SessionId = "busy", SessionType = AgentOSSessionTypes.Agent };
        const int runs = 300;

        await Task.WhenAll(Enumerable.Range(0, runs).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? a : b).SaveRunAsync(session.CloneWithoutRuns(), Run($"r-{i}", "COMPLETED", "x")))));
        var fromA = await a.GetRunsAsync("busy");
        var fromB = await b.GetRunsAsync("busy");

        Assert.Equal(runs, fromA.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(fromA.Select(r => r.RunId), fromB.Select(r => r.RunId));
    }

    [PostgresFact]
    public async Task New_runs_saved_at_once_through_two_stores_all_land_and_fill_the_session_without_overwriting_it()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var a = new PostgreSqlAgentOSSessionStore(cs);
        await using var b = new PostgreSqlAgentOSSessionStore(cs);
        var created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        AgentOSSession Fields(int i) => new()
        {
            SessionId = "busy",
            SessionType = AgentOSSessionTypes.Agent,
            ComponentId = "echo-agent",
            UserId = "ana",
            SessionName = $"name {i}",
            CreatedAt = created.AddSeconds(i),
            UpdatedAt = created.AddSeconds(i),
            SessionState = i == 7 ? new JsonObject { ["step"] = 7 } : null,
        };
        const int runs = 300;

        // 200 of them queued at once per store: sent together in batches (group commit)
        var stored = await Task.WhenAll(Enumerable.Range(0, runs).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? a : b).SaveNewRunAsync(Fields(i), Run($"r-{i}", "COMPLETED", $"answer {i}")))));
        var session = await b.GetSessionAsync("busy", includeRuns: true);

        Assert.All(stored, Assert.True);
        Assert.NotNull(session);
        Assert.Equal(runs, session.Runs.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, runs).Select(i => $"r-{i}").Order(), session.Runs.Select(r => r.RunId).Order());
        Assert.Equal($"answer 42", session.Runs.Single(r => r.RunId == "r-42").OutputJson()["content"]!.GetValue<string>());
        // the first save created the session; the others filled nothing (all set) and overwrote neither its name nor its creation time
        Assert.Matches("^name [0-9]+$", session.SessionName);
        Assert.Equal(session.CreatedAt, Fields(int.Parse(session.SessionName!["name ".Length..], System.Globalization.CultureInfo.InvariantCulture)).CreatedAt);
        Assert.Equal("ana", session.UserId);
        // the state of run 7 stayed: the saves without a state kept it
        Assert.Equal(7, session.SessionState!["step"]!.GetValue<int>());
    }

    [PostgresFact]
    public async Task A_new_run_is_not_stored_in_another_users_session_and_fills_the_fields_a_session_lacks()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var store = new PostgreSqlAgentOSSessionStore(cs);
        await store.SaveSessionAsync(new AgentOSSession { SessionId = "owned", SessionType = AgentOSSessionTypes.Agent, UserId = "ana", SessionState = new JsonObject { ["kept"] = true } });
        await store.SaveSessionAsync(new AgentOSSession { SessionId = "bare", SessionType = AgentOSSessionTypes.Team });
        var later = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        bool intruder = await store.SaveNewRunAsync(new AgentOSSession { SessionId = "owned", SessionType = AgentOSSessionTypes.Agent, UserId = "bob", UpdatedAt = later }, Run("r-bob", "COMPLETED", "x"));
        bool anonymous = await store.SaveNewRunAsync(new AgentOSSession { SessionId = "owned", SessionType = AgentOSSessionTypes.Agent, UpdatedAt = later }, Run("r-any", "COMPLETED", "x"));
        bool filled = await store.SaveNewRunAsync(new AgentOSSession { SessionId = "bare", SessionType = AgentOSSessionTypes.Agent, ComponentId = "echo-agent", UserId = "cy", SessionName = "hello", UpdatedAt = later }, Run("r-cy", "COMPLETED", "x"));
        var owned = await store.GetSessionAsync("owned", includeRuns: true);
        var bare = await store.GetSessionAsync("bare", includeRuns: true);

        Assert.False(intruder);
        Assert.True(anonymous); // no user named: stored, as AgentOS does
        Assert.Equal(["r-any"], owned!.Runs.Select(r => r.RunId));
        Assert.Equal("ana", owned.UserId);
        Assert.True(owned.SessionState!["kept"]!.GetValue<bool>());
        Assert.Equal(later, owned.UpdatedAt);
        Assert.True(filled);
        Assert.Equal((AgentOSSessionTypes.Team, "echo-agent", "cy", "hello"), (bare!.SessionType, bare.ComponentId, bare.UserId, bare.SessionName));
        Assert.Empty(bare.SessionState!); // had none: an empty object, as the host's cycle leaves it
        Assert.Equal(["r-cy"], bare.Runs.Select(r => r.RunId));
    }

    [PostgresFact]
    public async Task A_new_run_waits_for_another_instances_session_lock()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var a = new PostgreSqlAgentOSSessionStore(cs);
        await using var b = new PostgreSqlAgentOSSessionStore(cs);
        await a.InitializeAsync();
        var held = await a.LockSessionAsync("locked");

        var save = b.SaveNewRunAsync(new AgentOSSession { SessionId = "locked", SessionType = AgentOSSessionTypes.Agent }, Run("r-1", "COMPLETED", "x")).AsTask();
        await using (var connection = new NpgsqlConnection(cs))
        {
            // the server shows the save waiting on the advisory lock (polled, not timed)
            await connection.OpenAsync();
            await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((long)(await waiting.ExecuteScalarAsync(timeout.Token))! == 0)
            {
                Assert.False(save.IsCompleted);
                await Task.Yield();
            }
        }

        Assert.False(save.IsCompleted);
        Assert.Null(await a.GetSessionAsync("locked", includeRuns: false)); // nothing written while the cycle holds the lock
        await held.DisposeAsync();
        Assert.True(await save);
        Assert.Equal(["r-1"], (await a.GetRunsAsync("locked")).Select(r => r.RunId));
    }

    private static AgentOSStoredRun Run(string id, string status, string content, string agent = "echo-agent", bool resume = false) => new()
    {
        RunId = id,
        OutputUtf8 = StoredRunJson.Utf8(new JsonObject
        {
            ["run_id"] = id,
            ["agent_id"] = agent,
            ["status"] = status,
            ["content"] = content,
            ["metrics"] = new JsonObject { ["total_tokens"] = 3 },
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
        }),
        ResumeStateUtf8 = resume ? StoredRunJson.Utf8(new JsonObject { ["pending"] = new JsonArray() }) : default,
    };

    [PostgresFact]
    public async Task The_schema_is_created_once_when_several_instances_start_at_once_and_again_idempotently()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgreSqlAgentOSSessionStore(cs)).ToList();

        await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
        await using var later = new PostgreSqlAgentOSSessionStore(cs);
        await later.InitializeAsync();

        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM agentos_schema WHERE component = 'sessions'", connection);
        Assert.Equal(PostgreSqlAgentOSSessionStore.SchemaVersion, (int)(await command.ExecuteScalarAsync())!);
        // a run's output is kept out of line without compression (pglz would spend seconds on one of tens of megabytes)
        await using var storage = new NpgsqlCommand($"SELECT attstorage FROM pg_attribute WHERE attrelid = '{PostgreSqlAgentOSSessionStore.RunsTableName}'::regclass AND attname = 'output'", connection);
        Assert.Equal('e', (char)(await storage.ExecuteScalarAsync())!);
        // so is a session's name, its first message until renamed
        await using var nameStorage = new NpgsqlCommand($"SELECT attstorage FROM pg_attribute WHERE attrelid = '{PostgreSqlAgentOSSessionStore.TableName}'::regclass AND attname = 'session_name'", connection);
        Assert.Equal('e', (char)(await nameStorage.ExecuteScalarAsync())!);
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Concurrent_runs_on_one_session_through_two_instances_all_land()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var a = await Host.StartAsync(cs);
        await using var b = await Host.StartAsync(cs);
        const int runs = 120;

        var outputs = await Task.WhenAll(Enumerable.Range(0, runs).Select(i => (i % 2 == 0 ? a : b).Client.RunAgentAsync("echo-agent", new RunRequest($"message {i}") { SessionId = "shared" })));
        var session = await a.Client.GetSessionAsync("shared");
        var runsSeenByB = await b.Client.GetSessionRunsAsync("shared");

        Assert.Equal(runs, outputs.Select(o => o.RunId).Distinct().Count());
        Assert.Equal(runs, runsSeenByB.Count); // none lost: every instance's write landed on the others'
        Assert.Equal(outputs.Select(o => o.RunId).Order(), runsSeenByB.Select(r => r.RunId).Order());
        Assert.Equal("shared", session.SessionId);
    }

    [PostgresFact]
    public async Task A_thousand_runs_spread_over_two_instances_are_all_stored_with_consistent_histories()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var a = await Host.StartAsync(cs);
        await using var b = await Host.StartAsync(cs);
        const int total = 1000, sessions = 40;
        using var gate = new SemaphoreSlim(16);

        var outputs = await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await (i % 2 == 0 ? a : b).Client.RunAgentAsync("echo-agent", new RunRequest($"m{i}") { SessionId = $"s-{i % sessions}" });
            }
            finally
            {
                gate.Release();
            }
        }));

        var listed = await a.Client.ListSessionsAsync(new SessionQuery { Limit = 100 });
        int stored = 0;
        foreach (var s in listed.Data)
        {
            var fromA = await a.Client.GetSessionRunsAsync(s.SessionId!);
            var fromB = await b.Client.GetSessionRunsAsync(s.SessionId!);
            Assert.Equal(fromA.Select(r => r.RunId), fromB.Select(r => r.RunId)); // one history, the same from both
            Assert.Equal(total / sessions, fromA.Count);
            stored += fromA.Count;
        }

        Assert.Equal(sessions, listed.Meta.TotalCount);
        Assert.Equal(total, stored);
        Assert.Equal(total, outputs.Select(o => o.RunId).Distinct().Count());
    }

    [PostgresFact]
    public async Task A_cancel_that_reaches_one_instance_stops_the_run_executing_on_the_other()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        var waiting = new WaitingChatClient();
        await using var a = await Host.StartAsync(cs, waiting);
        await using var b = await Host.StartAsync(cs, waiting);
        await a.Store.WhenListeningAsync();

        var events = new List<AgentOSEvent>();
        await foreach (var e in a.Client.RunAgentStreamingAsync("waiting-agent", new RunRequest("wait") { SessionId = "c-1" }))
        {
            events.Add(e);
            if (e is RunContentEvent)
            {
                await b.Client.CancelAgentRunAsync("waiting-agent", e.RunId!, "c-1"); // instance B does not execute it
            }
        }

        Assert.Contains(events, e => e is RunCancelledEvent);
        Assert.True(waiting.Cancelled.Task.IsCompletedSuccessfully);
        var stored = await b.Client.GetSessionRunsAsync("c-1");
        Assert.Equal(RunStatus.Cancelled, Assert.Single(stored).Status);
    }

    [PostgresFact]
    public async Task When_one_instance_dies_mid_stream_the_other_serves_the_session()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        var waiting = new WaitingChatClient();
        var a = await Host.StartAsync(cs, waiting);
        await using var b = await Host.StartAsync(cs, waiting);
        var first = await a.Client.RunAgentAsync("echo-agent", new RunRequest("before") { SessionId = "k-1" });

        var ex = await Assert.ThrowsAnyAsync<AgentOSException>(async () =>
        {
            await foreach (var e in a.Client.RunAgentStreamingAsync("waiting-agent", new RunRequest("during") { SessionId = "k-1" }))
            {
                if (e is RunContentEvent)
                {
                    await a.App.StopAsync(new CancellationToken(canceled: true)); // the instance goes away, its stream with it
                    await a.DisposeAsync();
                }
            }
        });
        var after = await b.Client.RunAgentAsync("echo-agent", new RunRequest("after") { SessionId = "k-1" });
        var runs = await b.Client.GetSessionRunsAsync("k-1");

        Assert.IsAssignableFrom<AgentOSException>(ex);
        Assert.Contains(runs, r => r.RunId == first.RunId);
        Assert.Contains(runs, r => r.RunId == after.RunId);
        Assert.Equal("Echo: after (turn 2)", after.Content); // B answered with the history A had stored
    }

    [PostgresFact]
    public async Task A_run_paused_on_one_instance_continues_on_the_other()
    {
        string cs = await PostgresServer.CreateDatabaseAsync();
        await using var a = await Host.StartAsync(cs);
        await using var b = await Host.StartAsync(cs);

        var paused = await a.Client.GetRemoteAgent("tool-agent").RunAsync("delete rec-9", "p-1");
        paused.Tools!.Single().Confirm();
        var done = await b.Client.GetRemoteAgent("tool-agent").ContinueAsync(paused);
        var runs = await a.Client.GetSessionRunsAsync("p-1");

        Assert.Equal(RunStatus.Paused, paused.Status);
        Assert.Equal(("Tool result: Record rec-9 deleted", paused.RunId), (done.Content, done.RunId));
        Assert.Equal(RunStatus.Completed, Assert.Single(runs).Status);
    }

    [Fact]
    public async Task The_connection_string_comes_from_configuration_and_a_missing_one_fails_clearly()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:AgentOS"] = "Host=127.0.0.1;Port=1;Database=x" });
        builder.Services.AddAgentOS().AddAgent("echo-agent", new EchoChatClient()).UsePostgreSqlSessionStoreFromConfiguration();
        await using var app = builder.Build();
        var missing = WebApplication.CreateSlimBuilder();
        missing.Services.AddAgentOS().UsePostgreSqlSessionStoreFromConfiguration("Other");
        await using var broken = missing.Build();

        Assert.IsType<PostgreSqlAgentOSSessionStore>(app.Services.GetRequiredService<IAgentOSSessionStore>());
        var ex = Assert.Throws<InvalidOperationException>(() => broken.Services.GetRequiredService<IAgentOSSessionStore>());
        Assert.Contains("ConnectionStrings:Other", ex.Message, StringComparison.Ordinal);
    }

    private sealed class Host : IAsyncDisposable
    {
        private bool _disposed;

        public required WebApplication App { get; init; }

        public required AgentOSClient Client { get; init; }

        public required PostgreSqlAgentOSSessionStore Store { get; init; }

        public static async Task<Host> StartAsync(string connectionString, IChatClient? waiting = null)
        {
            var store = new PostgreSqlAgentOSSessionStore(connectionString);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var host = builder.Services.AddAgentOS().AddAgent("echo-agent", new EchoChatClient()).AddAgent(ToolAgent()).UseSessionStore(store);
            if (waiting is not null)
            {
                host.AddAgent("waiting-agent", waiting);
            }

            var app = builder.Build();
            app.MapAgentOS();
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new Host { App = app, Store = store, Client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = address, Retry = { Enabled = false } }) };
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Client.Dispose();
            await App.DisposeAsync();
            await Store.DisposeAsync();
        }
    }

    /// <summary>Calls <c>delete_record</c> (which needs a confirmation) for "delete X", then reports the tool's result.</summary>
    private static HostedAgent ToolAgent()
    {
        var client = new ScriptedChatClient(turn => turn.FunctionResults.Count > 0
            ? [new TextContent("Tool result: " + turn.FunctionResults[^1].Result)]
            : [new FunctionCallContent("call-" + turn.Turn, "delete_record", new Dictionary<string, object?> { ["record_id"] = turn.LastUserText.Split(' ')[^1] })]);
        var agent = new HostedAgent("tool-agent", client);
        agent.Tools.Add(new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string record_id) => $"Record {record_id} deleted", "delete_record", "Deletes a record.")));
        return agent;
    }

    /// <summary>Answers one chunk, then waits until the run is cancelled (a server-side gate, no clock).</summary>
    private sealed class WaitingChatClient : IChatClient
    {
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("streaming only");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "working");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Cancelled.TrySetResult();
                }
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
