using Agno.Benchmarks.Load;
using Agno.Benchmarks.Micro;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Agno.Benchmarks;

/// <summary>
/// Verbs:
/// <list type="bullet">
/// <item><c>load [--quick] [--reps N] [--w4-reps N] [--only W1,W2,W3,W4] [--client ours|floor] [--server-cpu N | --no-pin] [--out FILE]</c>: the load runner (<c>--client</c> runs one side only, for a profiler).</item>
/// <item><c>micro [--quick] [--artifacts DIR] [BenchmarkDotNet arguments, e.g. --filter *Decode*]</c>: the micro-benchmarks.</item>
/// <item><c>serve [--port N] [--trickle-ms N]</c>: the replay server alone (the load runner starts it itself).</item>
/// <item>Profiling aids: <c>spin CASE[,CASE...] [SECONDS] [ROUNDS]</c> (CPU per call of <see cref="DecodeBenchmarks"/> cases, interleaved),
/// <c>minspin CASE[,CASE...] [CALLS]</c> (wall time per call, each call timed, the cases interleaved call by call: the minimum and
/// the 10th percentile, for A/B comparisons on a loaded machine where CPU time per call swings by 2x),
/// <c>allocs CASE [CALLS]</c> (bytes per call, sampled by type), <c>probe URL N ours|floor run|stream [--allocs]</c> (N requests against a running server; <c>--allocs</c>: bytes per call by type).</item>
/// </list>
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string verb = args.Length > 0 ? args[0] : "help";
        string[] rest = args.Length > 0 ? args[1..] : [];
        switch (verb)
        {
            case "serve":
                return await BenchServer.RunAsync(rest);
            case "load":
                return await LoadRunner.RunAsync(rest);
            case "stores":
                return await StoreRunner.RunAsync(rest);
            case "micro":
                return Micro(rest);
            case "first":
                return await FirstCallAsync(rest);
            case "probe":
                return await ProbeAsync(rest);
            case "allocs":
                return await AllocsAsync(rest);
            case "spin":
                return await SpinAsync(rest);
            case "minspin":
                return await MinSpinAsync(rest);
            default:
                Console.WriteLine("usage: Agno.Benchmarks load [--quick] [--reps N] [--only W1,W2,W3,W4] [--out FILE]");
                Console.WriteLine("       Agno.Benchmarks micro [--quick] [--artifacts DIR] [BenchmarkDotNet args, e.g. --filter *Decode*]");
                Console.WriteLine("       Agno.Benchmarks serve [--port N] [--trickle-ms N]");
                Console.WriteLine("       Agno.Benchmarks stores [--runs N] [--concurrency N] [--sessions N]   (host session stores; run.sh --stores)");
                Console.WriteLine("       Agno.Benchmarks spin CASE[,CASE...] [SECONDS] [ROUNDS] | allocs CASE [CALLS] | probe URL N ours|floor run|stream");
                Console.WriteLine("or run everything: bash tests/Agno.Benchmarks/run.sh [--quick] [--micro]");
                return verb == "help" ? 0 : 2;
        }
    }

    /// <summary>
    /// Runs micro-benchmark cases of <see cref="DecodeBenchmarks"/> in interleaved rounds and prints the minimum and median
    /// CPU time per call (for A/B comparisons on a busy machine, and for a profiler): <c>spin CASE[,CASE...] [SECONDS] [ROUNDS]</c>.
    /// </summary>
    private static async Task<int> SpinAsync(string[] args)
    {
        string[] names = (args.Length > 0 ? args[0] : "Stream_Floor,Stream_OursReader").Split(',');
        double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        int rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var bench = new DecodeBenchmarks();
        bench.Setup();
        var methods = names.Select(n => typeof(DecodeBenchmarks).GetMethod(n) ?? throw new ArgumentException($"No case {n}.")).ToArray();
        var results = names.Select(_ => new List<double>()).ToArray();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        for (int round = -1; round < rounds; round++)
        {
            for (int m = 0; m < methods.Length; m++)
            {
                self.Refresh();
                var cpu0 = self.TotalProcessorTime;
                var stop = System.Diagnostics.Stopwatch.StartNew();
                long calls = 0;
                while (stop.Elapsed.TotalSeconds < seconds)
                {
                    object? result = methods[m].Invoke(bench, null);
                    if (result is Task task)
                    {
                        await task;
                    }

                    calls++;
                }

                self.Refresh();
                if (round >= 0)
                {
                    results[m].Add((self.TotalProcessorTime - cpu0).TotalMicroseconds / calls);
                }
            }
        }

        for (int m = 0; m < methods.Length; m++)
        {
            Console.WriteLine($"{names[m],-22} CPU per call: min {results[m].Min(),10:0.00} µs, median {Load.Stats.Median(results[m]),10:0.00} µs");
        }

        bench.Cleanup();
        return 0;
    }

    /// <summary>
    /// Times every call of micro-benchmark cases of <see cref="DecodeBenchmarks"/>, the cases interleaved call by call, and
    /// prints the minimum and the 10th percentile of the wall time per call: <c>minspin CASE[,CASE...] [CALLS]</c>. On a
    /// machine loaded by other processes the fastest calls are the ones nothing interrupted.
    /// </summary>
    private static async Task<int> MinSpinAsync(string[] args)
    {
        string[] names = args[0].Split(',');
        int calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        var bench = new DecodeBenchmarks();
        bench.Setup();
        var cases = names.Select(n => typeof(DecodeBenchmarks).GetMethod(n) ?? throw new ArgumentException($"No case {n}.")).Select(m => m.ReturnType.IsAssignableTo(typeof(Task))
            ? (Func<Task>)(() => (Task)m.Invoke(bench, null)!)
            : () => { m.Invoke(bench, null); return Task.CompletedTask; }).ToArray();
        var times = names.Select(_ => new double[calls]).ToArray();
        for (int i = -calls / 4; i < calls; i++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                long t = System.Diagnostics.Stopwatch.GetTimestamp();
                await cases[c]();
                double us = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                if (i >= 0)
                {
                    times[c][i] = us;
                }
            }
        }

        for (int c = 0; c < cases.Length; c++)
        {
            Array.Sort(times[c]);
            Console.WriteLine($"{names[c],-24} wall per call: min {times[c][0],10:0.000} µs, p10 {times[c][calls / 10],10:0.000} µs, median {times[c][calls / 2],10:0.000} µs");
        }

        bench.Cleanup();
        return 0;
    }

    /// <summary>
    /// Runs N requests of one kind with one client against a running replay server, for strace or a packet capture:
    /// <c>probe URL N ours|floor run|stream</c>.
    /// </summary>
    /// <summary>
    /// One call in this fresh process (workload W7, started by the load runner once per measurement):
    /// <c>first URL ours|floor run|stream</c>; prints the process's CPU time so far (runtime start-up included) in µs.
    /// </summary>
    private static async Task<int> FirstCallAsync(string[] args)
    {
        var baseAddress = new Uri(args[0]);
        bool ours = args[1] == "ours";
        bool stream = args[2] == "stream";
        int events = 0;
        if (ours)
        {
            using var client = new Agno.AgentOS.AgentOSClient(baseAddress);
            if (stream)
            {
                await foreach (var e in client.RunAgentStreamingAsync(Workloads.AgentId, new Agno.AgentOS.RunRequest(Workloads.W3Message)))
                {
                    events++;
                }
            }
            else
            {
                events = (await client.RunAgentAsync(Workloads.AgentId, new Agno.AgentOS.RunRequest(Workloads.W1Message))).Content is null ? 0 : 1;
            }
        }
        else
        {
            using var http = new HttpClient(new SocketsHttpHandler());
            var floor = new Floor.RawFloorClient(http, baseAddress);
            if (stream)
            {
                await foreach (var e in floor.StreamAsync(Workloads.W3Message))
                {
                    events++;
                }
            }
            else
            {
                events = (await floor.RunAsync(Workloads.W1Message)).Content is null ? 0 : 1;
            }
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cpu_us {self.TotalProcessorTime.TotalMicroseconds:0} events {events} jitted {System.Runtime.JitInfo.GetCompiledMethodCount()}"));
        return 0;
    }

    private static async Task<int> ProbeAsync(string[] args)
    {
        var baseAddress = new Uri(args[0]);
        int n = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        bool ours = args[2] == "ours";
        bool stream = args[3] == "stream";
        using var client = new Agno.AgentOS.AgentOSClient(baseAddress);
        using var http = new HttpClient(new SocketsHttpHandler());
        var floor = new Floor.RawFloorClient(http, baseAddress);
        await RunAsync(20_000);
        Console.WriteLine("WARM");
        await Task.Delay(2000);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        using var listener = args.Contains("--allocs") ? new AllocationListener() : null;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu0 = self.TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await RunAsync(n);
        self.Refresh();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine($"{n} requests, {clock.Elapsed.TotalMicroseconds / n:0.0} µs each, CPU {(self.TotalProcessorTime - cpu0).TotalMicroseconds / n:0.0} µs each, {allocated / (double)n:0} B allocated each");
        if (listener is not null)
        {
            foreach (var (type, count) in listener.Counts.OrderByDescending(kv => kv.Value).Take(40))
            {
                Console.WriteLine($"  {count * 100_000d / n,8:0} B/call  {type}");
            }
        }

        return 0;

        async Task RunAsync(int count)
        {
        for (int i = 0; i < count; i++)
        {
            if (ours && stream)
            {
                await foreach (var e in client.RunAgentStreamingAsync(Workloads.AgentId, new Agno.AgentOS.RunRequest(Workloads.W3Message)))
                {
                }
            }
            else if (ours)
            {
                await client.RunAgentAsync(Workloads.AgentId, new Agno.AgentOS.RunRequest(Workloads.W1Message));
            }
            else if (stream)
            {
                await foreach (var e in floor.StreamAsync(Workloads.W3Message))
                {
                }
            }
            else
            {
                await floor.RunAsync(Workloads.W1Message);
            }
        }
        }
    }

    /// <summary>Samples what a micro-benchmark case allocates, by type (the runtime's allocation ticks): <c>allocs CASE [CALLS]</c>.</summary>
    private static async Task<int> AllocsAsync(string[] args)
    {
        var bench = new DecodeBenchmarks();
        bench.Setup();
        var method = typeof(DecodeBenchmarks).GetMethod(args[0]) ?? throw new ArgumentException($"No case {args[0]}.");
        int calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        for (int i = 0; i < 100; i++)
        {
            if (method.Invoke(bench, null) is Task warm)
            {
                await warm;
            }
        }

        using var listener = new AllocationListener();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < calls; i++)
        {
            if (method.Invoke(bench, null) is Task task)
            {
                await task;
            }
        }

        long total = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"{args[0]}: {total / (double)calls:0} B per call; sampled types (one sample per ~100 KB):");
        foreach (var (type, count) in listener.Counts.OrderByDescending(kv => kv.Value).Take(25))
        {
            Console.WriteLine($"  {count * 100_000d / calls,8:0} B/call  {type}");
        }

        bench.Cleanup();
        return 0;
    }

    private sealed class AllocationListener : System.Diagnostics.Tracing.EventListener
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, int> Counts { get; } = new();

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.PayloadNames is { } names)
            {
                int i = names.IndexOf("TypeName");
                if (i >= 0 && eventData.Payload![i] is string type)
                {
                    Counts.AddOrUpdate(type, 1, (_, c) => c + 1);
                }
            }
        }
    }

    private static int Micro(string[] args)
    {
        bool quick = args.Contains("--quick");
        string artifacts = args.SkipWhile(a => a != "--artifacts").Skip(1).FirstOrDefault() ?? Path.Combine("artifacts", "benchmarks", "micro");
        var bdnArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                continue;
            }

            if (args[i] == "--artifacts")
            {
                i++;
                continue;
            }

            bdnArgs.Add(args[i]);
        }

        if (!bdnArgs.Contains("--filter"))
        {
            bdnArgs.AddRange(["--filter", "*"]);
        }

        // In-process: no generated project to build (the repository's build rules would apply to it), bounded
        // iteration counts so a full run takes minutes, not an open-ended number of iterations.
        var job = (quick
                ? Job.Default.WithWarmupCount(3).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(250))
                : Job.Default.WithWarmupCount(6).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(500)))
            .WithLaunchCount(1)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(quick ? "quick" : "full");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .WithArtifactsPath(artifacts)
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(80))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
        var summaries = BenchmarkSwitcher.FromTypes([typeof(DecodeBenchmarks), typeof(EncodeBenchmarks), typeof(ChatMappingBenchmarks), typeof(GuardBenchmarks)]).Run([.. bdnArgs], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
