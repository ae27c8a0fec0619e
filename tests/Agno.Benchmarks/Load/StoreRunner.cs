using System.Diagnostics;
using System.Net;
using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Agno.AgentOS.Hosting.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agno.Benchmarks.Load;

/// <summary>
/// <c>stores [--only mixed,same,streams,large,list] [--stores memory,sqlite,pg1,pg2] [--runs N] [--concurrency N]
/// [--sessions N] [--mb N] [--large-reps N]</c>: runs of an echo agent on the host, end to end over loopback, with each session store (in
/// memory, SQLite, PostgreSQL with one instance and with two behind a round-robin client; PostgreSQL from
/// <c>AGNO_TEST_POSTGRES</c>, run.sh starts one with eng/postgres.sh). Workloads:
/// <list type="bullet">
/// <item><c>mixed</c>: non-streaming runs, 16 at a time over 50 sessions: runs/s, p50/p99.</item>
/// <item><c>same</c>: 1,000 non-streaming runs, 200 at a time, all on one session (target: at least 300 runs/s).</item>
/// <item><c>streams</c>: 1,000 streaming runs started at once, one session each (target: SQLite within 2x of memory).</item>
/// <item><c>large</c>: runs whose message is 5 MB, then 20 MB, non-streaming, end to end, the median of <c>--large-reps</c> (3) each (target: 20 MB under 1 s).</item>
/// <item><c>list</c>: 1,000 sessions each holding a 100 KB message (their second; the first, short, names the session), then <c>GET /sessions?limit=1000</c> (target: under 100 ms) and a page of 20.</item>
/// </list>
/// Everything runs in this process, so compare the rows of one run with each other. No figure is asserted.
/// </summary>
internal static class StoreRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = Arg(args, "--runs", 2000), concurrency = Arg(args, "--concurrency", 16), sessions = Arg(args, "--sessions", 50), mb = Arg(args, "--mb", 20), largeReps = Math.Max(1, Arg(args, "--large-reps", 3));
        var only = ArgList(args, "--only", ["mixed", "same", "streams", "large", "list"]);
        var which = ArgList(args, "--stores", ["memory", "sqlite", "pg1", "pg2"]);
        string? pg = Environment.GetEnvironmentVariable("AGNO_TEST_POSTGRES");
        var stores = new List<StoreCase>();
        if (which.Contains("memory"))
        {
            stores.Add(new StoreCase("in memory", 1, () => new InMemoryAgentOSSessionStore(), null));
        }

        if (which.Contains("sqlite"))
        {
            stores.Add(new StoreCase("SQLite", 1, () => new SqliteAgentOSSessionStore($"Data Source={SqliteFile()}"), null));
        }

        if (!string.IsNullOrEmpty(pg))
        {
            if (which.Contains("pg1"))
            {
                stores.Add(new StoreCase("PostgreSQL", 1, () => new PostgreSqlAgentOSSessionStore(pg), pg));
            }

            if (which.Contains("pg2"))
            {
                stores.Add(new StoreCase("PostgreSQL", 2, () => new PostgreSqlAgentOSSessionStore(pg), pg));
            }
        }

        var rows = new List<string>();
        void Table(string title, string header, IEnumerable<string> lines)
        {
            rows.Add(title);
            rows.Add(string.Empty);
            rows.Add(header);
            rows.Add(string.Concat(Enumerable.Repeat("|---", header.Count(c => c == '|') - 1)) + "|");
            rows.AddRange(lines);
            rows.Add(string.Empty);
            Console.WriteLine(string.Join(Environment.NewLine, [title, string.Empty, header, rows[^(lines.Count() + 2)], .. lines, string.Empty]));
        }

        if (string.IsNullOrEmpty(pg) && (which.Contains("pg1") || which.Contains("pg2")))
        {
            Console.WriteLine("PostgreSQL not measured: no server (set AGNO_TEST_POSTGRES or use run.sh --stores)");
        }

        if (only.Contains("mixed"))
        {
            var lines = new List<string>();
            foreach (var s in stores)
            {
                var r = await WithHostsAsync(s, hosts => LoadAsync(hosts, runs, concurrency, i => $"s-{i % sessions}", stream: false));
                lines.Add($"| {s.Name} | {s.Instances} | {r.RunsPerSecond:0} | {r.P50:0.0} | {r.P99:0.0} | {r.Errors} |");
            }

            Table($"mixed: {runs} non-streaming runs, {concurrency} at a time, over {sessions} sessions", "| store | instances | runs/s | p50 ms | p99 ms | errors |", lines);
        }

        if (only.Contains("same"))
        {
            var lines = new List<string>();
            foreach (var s in stores)
            {
                var r = await WithHostsAsync(s, async hosts =>
                {
                    var result = await LoadAsync(hosts, 1000, 200, _ => "one-session", stream: false);
                    var stored = await hosts[0].Client.GetSessionRunsAsync("one-session");
                    return result with { Stored = stored.Count };
                });
                lines.Add($"| {s.Name} | {s.Instances} | {r.RunsPerSecond:0} | {r.P50:0.0} | {r.P99:0.0} | {r.Errors} | {r.Stored} | {(r.RunsPerSecond >= 300 ? "met" : "not met")} |");
            }

            Table("same session: 1,000 non-streaming runs, 200 at a time, on one session", "| store | instances | runs/s | p50 ms | p99 ms | errors | runs stored | >= 300/s |", lines);
        }

        if (only.Contains("streams"))
        {
            var lines = new List<string>();
            double memory = 0;
            foreach (var s in stores)
            {
                var r = await WithHostsAsync(s, hosts => LoadAsync(hosts, 1000, 1000, i => $"stream-{i}", stream: true));
                memory = s.Name == "in memory" ? r.RunsPerSecond : memory;
                string ratio = memory > 0 ? $"{memory / r.RunsPerSecond:0.00}x" : "-";
                lines.Add($"| {s.Name} | {s.Instances} | {r.RunsPerSecond:0} | {r.P50:0.0} | {r.P99:0.0} | {r.Errors} | {ratio} |");
            }

            Table("streams: 1,000 streaming runs started at once, one session each", "| store | instances | runs/s | p50 ms | p99 ms | errors | memory runs/s / this |", lines);
        }

        if (only.Contains("large"))
        {
            var lines = new List<string>();
            foreach (var s in stores)
            {
                var cells = await WithHostsAsync(s, async hosts =>
                {
                    var client = hosts[0].Client;
                    await client.RunAgentAsync("echo-agent", new RunRequest(Payload(64 * 1024)) { SessionId = "large-warm" });
                    var times = new List<string>();
                    foreach (int size in new[] { Math.Max(1, mb / 4), mb })
                    {
                        string message = Payload(size * 1024 * 1024);
                        var walls = new double[largeReps];
                        var cpus = new double[largeReps];
                        var allocated = new double[largeReps];
                        var collections = new int[largeReps];
                        for (int rep = 0; rep < largeReps; rep++)
                        {
                            long bytes = GC.GetTotalAllocatedBytes(precise: true);
                            int gcs = GC.CollectionCount(0);
                            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                            var watch = Stopwatch.StartNew();
                            var output = await client.RunAgentAsync("echo-agent", new RunRequest(message) { SessionId = $"large-{size}-{rep}" });
                            watch.Stop();
                            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                            if (output.Content is not { } content || content.Length < message.Length)
                            {
                                throw new InvalidOperationException("The large message did not come back.");
                            }

                            walls[rep] = watch.Elapsed.TotalMilliseconds;
                            cpus[rep] = cpu.TotalMilliseconds;
                            allocated[rep] = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (1024.0 * 1024.0); // client and host: one process
                            collections[rep] = GC.CollectionCount(0) - gcs;
                        }

                        Array.Sort(walls);
                        Array.Sort(cpus);
                        times.Add($"{walls[largeReps / 2]:0}");
                        times.Add($"{cpus[largeReps / 2]:0}");
                        Array.Sort(allocated);
                        Array.Sort(collections);
                        times.Add($"{allocated[largeReps / 2]:0}");
                        times.Add($"{collections[largeReps / 2]}");
                    }

                    return times;
                });
                lines.Add($"| {s.Name} | {s.Instances} | {cells[0]} ({cells[1]}) | {cells[4]} ({cells[5]}) | {cells[6]} | {cells[7]} | {(double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture) < 1000 ? "met" : "not met")} |");
            }

            Table($"large message: non-streaming runs, end to end, median of {largeReps} (the message: {Math.Max(1, mb / 4)} MB, then {mb} MB of base64-like text, echoed back)", $"| store | instances | {Math.Max(1, mb / 4)} MB: ms (CPU ms) | {mb} MB: ms (CPU ms) | {mb} MB: allocated MB | {mb} MB: collections | {mb} MB < 1 s |", lines);
        }

        if (only.Contains("list"))
        {
            var lines = new List<string>();
            foreach (var s in stores)
            {
                var cells = await WithHostsAsync(s, async hosts =>
                {
                    var client = hosts[0].Client;
                    string message = Payload(100 * 1024);
                    int next = -1;
                    await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
                    {
                        int i;
                        while ((i = Interlocked.Increment(ref next)) < 1000)
                        {
                            // a short first message (the host names the session after it), then the large one
                            await hosts[i % hosts.Count].Client.RunAgentAsync("echo-agent", new RunRequest($"hello {i}") { SessionId = $"listed-{i}" });
                            await hosts[i % hosts.Count].Client.RunAgentAsync("echo-agent", new RunRequest(message) { SessionId = $"listed-{i}" });
                        }
                    }));
                    var all = new double[7];
                    var page = new double[7];
                    int count = 0;
                    for (int rep = 0; rep < all.Length; rep++)
                    {
                        var watch = Stopwatch.StartNew();
                        var listed = await client.ListSessionsAsync(new SessionQuery { Limit = 1000 });
                        all[rep] = watch.Elapsed.TotalMilliseconds;
                        count = listed.Data.Count;
                        watch.Restart();
                        _ = await client.ListSessionsAsync(new SessionQuery { Limit = 20 });
                        page[rep] = watch.Elapsed.TotalMilliseconds;
                    }

                    Array.Sort(all);
                    Array.Sort(page);
                    return (All: all[all.Length / 2], Page: page[page.Length / 2], Count: count);
                });
                lines.Add($"| {s.Name} | {s.Instances} | {cells.Count} | {cells.All:0.0} | {cells.Page:0.0} | {(cells.All < 100 ? "met" : "not met")} |");
            }

            Table("list: 1,000 sessions each holding a 100 KB message (after a short first one, which names the session); GET /sessions, median of 7", "| store | instances | sessions listed | limit=1000 ms | limit=20 ms | 1,000 < 100 ms |", lines);
        }

        Directory.CreateDirectory("artifacts/benchmarks");
        await File.WriteAllLinesAsync("artifacts/benchmarks/stores.md", rows);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in SqliteFiles)
        {
            foreach (string path in new[] { file, file + "-wal", file + "-shm" })
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // still open: left in the temp folder
                }
            }
        }

        return 0;
    }

    private static readonly List<string> SqliteFiles = [];

    /// <summary>A new database file in the temp folder for each SQLite case, deleted at the end.</summary>
    private static string SqliteFile()
    {
        string file = Path.Combine(Path.GetTempPath(), $"agno-bench-{Guid.NewGuid():N}.db");
        SqliteFiles.Add(file);
        return file;
    }

    /// <summary>
    /// A pasted document of <paramref name="length"/> characters without spaces (base64-like), so the echo agent answers
    /// it in one chunk: what is measured is the message's way through the host and the store, not one event per word.
    /// </summary>
    private static string Payload(int length)
    {
        const string words = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==";
        return string.Create(length, words, (span, w) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = w[i % w.Length];
            }
        });
    }

    private sealed record StoreCase(string Name, int Instances, Func<IAgentOSSessionStore> Create, string? Reset);

    private sealed record LoadResult(double RunsPerSecond, double P50, double P99, int Errors, int Stored = 0);

    private static async Task<T> WithHostsAsync<T>(StoreCase store, Func<List<(WebApplication App, AgentOSClient Client)>, Task<T>> body)
    {
        if (store.Reset is not null)
        {
            await using var s = new PostgreSqlAgentOSSessionStore(store.Reset);
            await s.InitializeAsync();
            await using var source = Npgsql.NpgsqlDataSource.Create(store.Reset);
            await using var truncate = source.CreateCommand($"TRUNCATE {PostgreSqlAgentOSSessionStore.TableName}, {PostgreSqlAgentOSSessionStore.RunsTableName}");
            await truncate.ExecuteNonQueryAsync();
        }

        var created = new List<IAgentOSSessionStore>();
        var hosts = new List<(WebApplication App, AgentOSClient Client)>();
        for (int i = 0; i < store.Instances; i++)
        {
            var instance = store.Create();
            created.Add(instance);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, 0);
                k.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            });
            builder.Services.AddAgentOS(o => o.MaxRequestBodySize = 64L * 1024 * 1024).AddAgent("echo-agent", new EchoChatClient()).UseSessionStore(instance);
            var app = builder.Build();
            app.MapAgentOS();
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            hosts.Add((app, new AgentOSClient(new AgentOSClientOptions { BaseAddress = address, Retry = { Enabled = false }, Timeout = TimeSpan.FromMinutes(10), MaxResponseBodySize = 512L * 1024 * 1024 })));
        }

        for (int i = 0; i < 50; i++)
        {
            await hosts[i % store.Instances].Client.RunAgentAsync("echo-agent", new RunRequest("warm up") { SessionId = $"warm-{i % 5}" });
        }

        try
        {
            return await body(hosts);
        }
        finally
        {
            foreach (var (app, client) in hosts)
            {
                client.Dispose();
                await app.DisposeAsync();
            }

            foreach (var s in created)
            {
                (s as IDisposable)?.Dispose();
            }
        }
    }

    private static async Task<LoadResult> LoadAsync(List<(WebApplication App, AgentOSClient Client)> hosts, int runs, int concurrency, Func<int, string> session, bool stream)
    {
        var latencies = new double[runs];
        int errors = 0, next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    var client = hosts[i % hosts.Count].Client;
                    var request = new RunRequest($"message {i}") { SessionId = session(i) };
                    if (stream)
                    {
                        bool completed = false;
                        await foreach (var e in client.RunAgentStreamingAsync("echo-agent", request))
                        {
                            completed |= e is RunCompletedEvent;
                        }

                        if (!completed)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    else
                    {
                        await client.RunAgentAsync("echo-agent", request);
                    }
                }
                catch (AgentOSException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        return new LoadResult(runs / total.Elapsed.TotalSeconds, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), errors);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static HashSet<string> ArgList(string[] args, string name, string[] fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? [.. args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries)] : [.. fallback];
    }
}
