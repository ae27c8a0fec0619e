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
/// <c>stores [--runs N] [--concurrency N] [--sessions N]</c>: non-streaming runs of an echo agent on the host, end to end
/// over loopback, with each session store: in memory, SQLite, PostgreSQL with one instance and with two behind a
/// round-robin client (PostgreSQL from <c>AGNO_TEST_POSTGRES</c>; run.sh starts one with eng/postgres.sh). Reports runs/s
/// and p50/p99 latency. Everything runs in this process, so compare the rows of one run with each other.
/// </summary>
internal static class StoreRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = Arg(args, "--runs", 2000), concurrency = Arg(args, "--concurrency", 16), sessions = Arg(args, "--sessions", 50);
        string? pg = Environment.GetEnvironmentVariable("AGNO_TEST_POSTGRES");
        var rows = new List<string>
        {
            $"{runs} non-streaming runs, {concurrency} at a time, over {sessions} sessions (echo agent, loopback; one process)",
            "",
            "| store | instances | runs/s | p50 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|",
        };
        rows.Add(await MeasureAsync("in memory", 1, _ => new InMemoryAgentOSSessionStore(), runs, concurrency, sessions));
        string sqlite = Path.Combine(Path.GetTempPath(), $"agno-bench-{Guid.NewGuid():N}.db");
        rows.Add(await MeasureAsync("SQLite", 1, _ => new SqliteAgentOSSessionStore($"Data Source={sqlite}"), runs, concurrency, sessions));
        if (string.IsNullOrEmpty(pg))
        {
            rows.Add("| PostgreSQL | - | not measured: no server (set AGNO_TEST_POSTGRES or use run.sh) | | | |");
        }
        else
        {
            rows.Add(await MeasureAsync("PostgreSQL", 1, _ => new PostgreSqlAgentOSSessionStore(pg), runs, concurrency, sessions, reset: pg));
            rows.Add(await MeasureAsync("PostgreSQL", 2, _ => new PostgreSqlAgentOSSessionStore(pg), runs, concurrency, sessions, reset: pg));
        }

        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        Directory.CreateDirectory("artifacts/benchmarks");
        await File.WriteAllLinesAsync("artifacts/benchmarks/stores.md", rows);
        return 0;
    }

    private static async Task<string> MeasureAsync(string name, int instances, Func<int, IAgentOSSessionStore> store, int runs, int concurrency, int sessions, string? reset = null)
    {
        if (reset is not null)
        {
            await using var s = new PostgreSqlAgentOSSessionStore(reset);
            await s.InitializeAsync();
            await using var source = Npgsql.NpgsqlDataSource.Create(reset);
            await using var truncate = source.CreateCommand($"TRUNCATE {PostgreSqlAgentOSSessionStore.TableName}");
            await truncate.ExecuteNonQueryAsync();
        }

        var hosts = new List<(WebApplication App, AgentOSClient Client)>();
        for (int i = 0; i < instances; i++)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddAgentOS().AddAgent("echo-agent", new EchoChatClient()).UseSessionStore(store(i));
            var app = builder.Build();
            app.MapAgentOS();
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            hosts.Add((app, new AgentOSClient(new AgentOSClientOptions { BaseAddress = address, Retry = { Enabled = false } })));
        }

        for (int i = 0; i < 50; i++)
        {
            await hosts[i % instances].Client.RunAgentAsync("echo-agent", new RunRequest("warm up") { SessionId = $"warm-{i % 5}" });
        }

        var latencies = new double[runs];
        int errors = 0, next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    await hosts[i % instances].Client.RunAgentAsync("echo-agent", new RunRequest($"message {i}") { SessionId = $"s-{i % sessions}" });
                }
                catch (AgentOSException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        total.Stop();
        foreach (var (app, client) in hosts)
        {
            client.Dispose();
            await app.DisposeAsync();
        }

        Array.Sort(latencies);
        return $"| {name} | {instances} | {runs / total.Elapsed.TotalSeconds:0} | {Stats.Percentile(latencies, 50):0.0} | {Stats.Percentile(latencies, 99):0.0} | {errors} |";
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
