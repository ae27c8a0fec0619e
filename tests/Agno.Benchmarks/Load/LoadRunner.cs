using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using Agno.AgentOS;
using Agno.Benchmarks.Floor;

namespace Agno.Benchmarks.Load;

/// <summary>
/// The load runner (<c>load</c> verb): starts the replay server as a separate process pinned to its own core,
/// then runs W1–W4 over real loopback HTTP with our client (A) and the raw floor (B), alternating A B A B,
/// and prints medians (min–max) and the ratios ours/floor. Every loop has a fixed count and a time limit.
/// </summary>
internal sealed class LoadRunner
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly Settings _s;
    private readonly List<Metric> _metrics = [];
    private readonly List<string> _notes = [];
    private Process _server = null!;
    private Uri _baseAddress = null!;

    // The clients measured in each repetition, in this order: ours, ours with telemetry listeners (--telemetry), the floor.
    private readonly Client[] _clients;

    private LoadRunner(Settings settings)
    {
        _s = settings;
        _clients = settings.Clients switch
        {
            "ours" => settings.Telemetry ? [Client.Ours, Client.OursTelemetry] : [Client.Ours],
            "floor" => [Client.Floor],
            _ => settings.Telemetry ? [Client.Ours, Client.OursTelemetry, Client.Floor] : [Client.Ours, Client.Floor],
        };
    }

    private sealed record Settings(
        bool Quick, int Reps, int W4Reps, int W1N, int W1Warmup, int W2N, int W2Warmup, int W3N, int W3Warmup, int W3Concurrency,
        int W4Streams, int TrickleMs, HashSet<string> Only, string? ServerCpu, string? OutFile, TimeSpan RepLimit, string Clients, string? ReadyToRunDir, bool Telemetry);

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = args.Contains("--quick");
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim().ToUpperInvariant()).ToHashSet()
            ?? ["W1", "W2", "W5", "W6", "W3", "W4", "W7"];
        int reps = BenchServer.IntArg(args, "--reps", quick ? 3 : 5);
        string? serverCpu = args.Contains("--no-pin") ? null : args.SkipWhile(a => a != "--server-cpu").Skip(1).FirstOrDefault() ?? "1";
        var settings = new Settings(
            Quick: quick,
            Reps: reps,
            W4Reps: BenchServer.IntArg(args, "--w4-reps", quick ? 1 : 3),
            W1N: quick ? 5_000 : 20_000,
            W1Warmup: quick ? 500 : 1_000,
            W2N: quick ? 100 : 300,
            W2Warmup: quick ? 5 : 10,
            W3N: 2_000,
            W3Warmup: 128,
            W3Concurrency: 64,
            W4Streams: 1_000,
            TrickleMs: 20,
            Only: only,
            ServerCpu: serverCpu,
            OutFile: args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault(),
            RepLimit: TimeSpan.FromSeconds(180),
            Clients: args.SkipWhile(a => a != "--client").Skip(1).FirstOrDefault() ?? "both",
            ReadyToRunDir: args.SkipWhile(a => a != "--r2r").Skip(1).FirstOrDefault(),
            Telemetry: args.Contains("--telemetry"));
        var runner = new LoadRunner(settings);
        if (settings.Telemetry)
        {
            runner._notes.Add("Telemetry on (--telemetry): the column \"ours, telemetry on\" is this client measured in the same repetitions with an ActivityListener recording every Agno activity and a MeterListener recording every Agno instrument attached for that measurement only (the floor has no telemetry to record); W7 (fresh processes) is measured without.");
        }

        return await runner.RunAllAsync();
    }

    private async Task<int> RunAllAsync()
    {
        var started = Stopwatch.StartNew();
        StartServer();
        try
        {
            PrintMachine();
            if (_s.Only.Contains("W1"))
            {
                await W1Async();
            }

            if (_s.Only.Contains("W2"))
            {
                await W2Async();
            }

            if (_s.Only.Contains("W5"))
            {
                await W5Async();
            }

            if (_s.Only.Contains("W6"))
            {
                await W6Async();
            }

            if (_s.Only.Contains("W7"))
            {
                await W7Async();
            }

            if (_s.Only.Contains("W3"))
            {
                await W3Async();
            }

            if (_s.Only.Contains("W4"))
            {
                await W4Async();
            }
        }
        finally
        {
            StopServer();
        }

        string report = Report(started.Elapsed);
        Console.WriteLine();
        Console.WriteLine(report);
        if (_s.OutFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, report);
            Console.WriteLine($"(written to {file})");
        }

        return 0;
    }

    // ------------------------------------------------------------------ server process

    private void StartServer()
    {
        string self = Environment.ProcessPath!;
        var serveArgs = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            serveArgs.Add(typeof(LoadRunner).Assembly.Location);
        }

        serveArgs.AddRange(["serve", "--port", "0", "--trickle-ms", _s.TrickleMs.ToString(Inv)]);
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (_s.ServerCpu is { } cpu && File.Exists("/usr/bin/taskset"))
        {
            psi.FileName = "/usr/bin/taskset";
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(cpu);
            psi.ArgumentList.Add(self);
        }
        else
        {
            psi.FileName = self;
            _notes.Add("The replay server was not pinned to a core (no taskset or --no-pin).");
        }

        foreach (string a in serveArgs)
        {
            psi.ArgumentList.Add(a);
        }

        // The server is a plain workstation-GC process like the client.
        psi.Environment["DOTNET_gcServer"] = "0";
        _server = Process.Start(psi) ?? throw new InvalidOperationException("The replay server did not start.");
        var readLine = _server.StandardOutput.ReadLineAsync();
        if (!readLine.Wait(TimeSpan.FromSeconds(60)) || readLine.Result is not { } line || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            _server.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The replay server did not report its address within 60 s.");
        }

        _baseAddress = new Uri(line["listening ".Length..].Trim() + "/");
        Console.WriteLine($"replay server: pid {_server.Id}, {_baseAddress}, cpus {AffinityOf(_server.Id)}");
    }

    private void StopServer()
    {
        try
        {
            _server.StandardInput.WriteLine("quit");
            _server.StandardInput.Close();
            if (!_server.WaitForExit(10_000))
            {
                _server.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _server.Dispose();
    }

    private static string AffinityOf(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                {
                    return line["Cpus_allowed_list:".Length..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return "?";
    }

    private TimeSpan ServerCpu()
    {
        _server.Refresh();
        return _server.TotalProcessorTime;
    }

    private static TimeSpan ClientCpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    private void PrintMachine()
    {
        string cpuModel = "?";
        try
        {
            cpuModel = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
        }

        _notes.Insert(0, $"Machine: {cpuModel}, {System.Environment.ProcessorCount} core(s) visible to the client (of {AllCores()}), {RuntimeInformation.OSDescription}, .NET {System.Environment.Version}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, client cpus {AffinityOf(System.Environment.ProcessId)}, server cpus {AffinityOf(_server.Id)}.");
        _notes.Insert(1, $"Mode: {(_s.Quick ? "quick" : "full")}; {_s.Reps} repetitions of W1–W3 and {_s.W4Reps} of W4 per client, alternating ours, floor, ours, floor, ... (with --telemetry: ours, ours with telemetry, floor, ...); each after its own warm-up.");
        Console.WriteLine(_notes[0]);
        Console.WriteLine(_notes[1]);
    }

    private static int AllCores()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return System.Environment.ProcessorCount;
        }
    }

    // ------------------------------------------------------------------ the two clients

    private AgentOSClient NewOurs() => new(_baseAddress);

    private (HttpClient Http, RawFloorClient Client) NewFloor()
    {
        var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        return (http, new RawFloorClient(http, _baseAddress));
    }

    private Metric AddMetric(string workload, string name, string unit, bool higherIsBetter, Func<Metric, (bool, string)>? target = null)
    {
        var m = new Metric(workload, name, unit, higherIsBetter) { Target = target };
        _metrics.Add(m);
        return m;
    }

    private static long _lastJitCount;

    private static void Progress(string text)
    {
        long jit = System.Runtime.JitInfo.GetCompiledMethodCount();
        Console.WriteLine($"  {DateTime.Now:HH:mm:ss} {text} [jit +{jit - _lastJitCount}]");
        _lastJitCount = jit;
    }

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    // ------------------------------------------------------------------ W1: sequential non-streaming runs

    private Task W1Async() => NonStreamingAsync("W1", Workloads.W1Message, "Echo: hello world (turn 1)", _s.W1N, _s.W1Warmup, cpuTarget: 1.1, allocTarget: 1.5);

    /// <summary>W6: sequential non-streaming runs answering about 1 MB and 10 MB of content.</summary>
    private async Task W6Async()
    {
        int n = _s.Quick ? 20 : 60;
        await NonStreamingAsync("W6 1 MB", Workloads.Big1Message, Workloads.BigContent(1 << 20), n, Math.Max(n / 4, 5), cpuTarget: 1.2, allocTarget: null);
        await NonStreamingAsync("W6 10 MB", Workloads.Big10Message, Workloads.BigContent(10 << 20), Math.Max(n / 6, 4), 3, cpuTarget: 1.2, allocTarget: null);
    }

    private async Task NonStreamingAsync(string workload, string message, string expected, int n, int warmup, double cpuTarget, double? allocTarget)
    {
        Console.WriteLine($"{workload}: {n} sequential non-streaming runs (warm-up {warmup})");
        var runsPerSec = AddMetric(workload, "runs/s", "runs/s", higherIsBetter: true);
        var p50 = AddMetric(workload, "latency p50", "ms", higherIsBetter: false);
        var p99 = AddMetric(workload, "latency p99", "ms", higherIsBetter: false);
        var cpu = AddMetric(workload, "client CPU per run", "µs", higherIsBetter: false, m => (m.Ratio <= cpuTarget, $"≤ {cpuTarget}× floor"));
        var alloc = AddMetric(workload, "allocated per run", "B", higherIsBetter: false, allocTarget is { } at ? m => (m.Ratio <= at, $"≤ {at}× floor") : null);
        var serverBusy = AddMetric(workload, "server CPU busy", "%", higherIsBetter: false);
        var errors = AddMetric(workload, "errors", "", higherIsBetter: false, m => (m.Ours.Sum() == 0, "0"));

        using var ours = NewOurs();
        var agent = ours.GetRemoteAgent(Workloads.AgentId);
        var (http, floor) = NewFloor();
        using var _ = http;
        async Task<bool> Ours() => (await agent.RunAsync(message)).Content == expected;
        async Task<bool> Floor() => (await floor.RunAsync(message)).Content == expected;

        await WarmUpAsync(() => SequentialAsync(Ours, warmup), () => SequentialAsync(Floor, warmup));
        for (int rep = 0; rep < _s.Reps; rep++)
        {
            foreach (var client in _clients)
            {
                bool isOurs = client != Client.Floor;
                using var listeners = client == Client.OursTelemetry ? new TelemetryListeners() : null;
                var r = await SequentialAsync(isOurs ? Ours : Floor, n);
                Record(runsPerSec, client, n / r.Elapsed.TotalSeconds);
                Record(p50, client, Stats.Percentile(r.LatenciesMs, 50));
                Record(p99, client, Stats.Percentile(r.LatenciesMs, 99));
                Record(cpu, client, r.ClientCpu.TotalMicroseconds / n);
                Record(alloc, client, r.Gc.AllocatedBytes / (double)n);
                Record(serverBusy, client, 100 * r.ServerCpu / r.Elapsed);
                Record(errors, client, r.Errors);
                Progress($"rep {rep + 1} {Label(client)}: {n / r.Elapsed.TotalSeconds:0} runs/s, p50 {Stats.Percentile(r.LatenciesMs, 50):0.000} ms, CPU {r.ClientCpu.TotalMicroseconds / n:0.0} µs/run, server busy {100 * r.ServerCpu / r.Elapsed:0}%, errors {r.Errors}, {r.Gc.Per(n, "run")}");
            }
        }
    }

    private sealed record SequentialResult(TimeSpan Elapsed, double[] LatenciesMs, TimeSpan ClientCpu, TimeSpan ServerCpu, int Errors, GcDelta Gc);

    /// <summary>Allocation and collections over a repetition (the whole process).</summary>
    private readonly record struct GcDelta(long AllocatedBytes, int Gen0, int Gen2, TimeSpan Pause)
    {
        public static GcDelta Now() => new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public GcDelta Since(GcDelta start) => new(AllocatedBytes - start.AllocatedBytes, Gen0 - start.Gen0, Gen2 - start.Gen2, Pause - start.Pause);

        public string Per(double count, string unit) => string.Create(CultureInfo.InvariantCulture, $"alloc {AllocatedBytes / count:0} B/{unit}, {Gen0} gen0 GCs, GC pause {Pause.TotalMilliseconds:0.0} ms");
    }

    private async Task<SequentialResult> SequentialAsync(Func<Task<bool>> call, int n)
    {
        var latencies = new double[n];
        int errors = 0;
        Collect();
        var deadline = Stopwatch.StartNew();
        var gc0 = GcDelta.Now();
        var cpu0 = ClientCpu();
        var server0 = ServerCpu();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            long t = Stopwatch.GetTimestamp();
            try
            {
                if (!await call())
                {
                    errors++;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors++;
                NoteError(ex);
            }

            latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (deadline.Elapsed > _s.RepLimit)
            {
                throw new TimeoutException($"A repetition exceeded {_s.RepLimit}.");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return new(elapsed, latencies, ClientCpu() - cpu0, ServerCpu() - server0, errors, GcDelta.Now().Since(gc0));
    }

    private static string? _firstError;

    private static void NoteError(Exception ex)
    {
        if (Interlocked.CompareExchange(ref _firstError, $"{ex.GetType().Name}: {ex.Message}", null) is null)
        {
            Console.WriteLine($"  first error: {ex}");
        }
    }

    /// <summary>
    /// Warms both clients up in rounds (each: the workload's warm-up count for ours, then for the floor, then a pause
    /// for the background compiler) until three rounds in a row compile at most two methods: tiered compilation with PGO
    /// first runs hot methods instrumented and replaces them in waves, and measuring before the last wave would measure
    /// the JIT. At most 40 rounds.
    /// </summary>
    private async Task WarmUpAsync(Func<Task> ours, Func<Task> floor)
    {
        Func<Task> none = () => Task.CompletedTask;
        if (!_clients.Contains(Client.Floor))
        {
            floor = none;
        }

        if (!_clients.Contains(Client.Ours))
        {
            ours = none;
        }
        else if (_clients.Contains(Client.OursTelemetry))
        {
            // the paths that record telemetry are warmed up too
            var plain = ours;
            ours = async () =>
            {
                await plain();
                using var listeners = new TelemetryListeners();
                await plain();
            };
        }

        const int MaxRounds = 40;
        const int QuietRounds = 3;
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        int round = 0;
        int quiet = 0;
        while (round < MaxRounds && quiet < QuietRounds)
        {
            round++;
            await ours();
            await floor();
            await Task.Delay(300);
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now - compiled <= 2 ? quiet + 1 : 0;
            compiled = now;
        }

        Progress($"warmed up in {round} round(s){(quiet < QuietRounds ? " (the JIT was still compiling)" : string.Empty)}");
    }

    private static void Record(Metric m, Client client, double value) => (client switch
    {
        Client.Ours => m.Ours,
        Client.OursTelemetry => m.OursTelemetry,
        _ => m.Floor,
    }).Add(value);

    private static string Label(Client client) => client switch
    {
        Client.Ours => "ours ",
        Client.OursTelemetry => "ours+telemetry",
        _ => "floor",
    };

    // ------------------------------------------------------------------ W2: sequential streaming of 1,005 events

    /// <summary>
    /// W7: the first call of a fresh process, streamed and not: each measurement starts <c>Agno.Benchmarks first</c> as a
    /// new process that makes one call and reports its whole CPU time (runtime start-up, JIT, type loading and the
    /// call), alternating ours and the floor. With <c>--r2r DIR</c> (run.sh publishes that copy) the same again from a
    /// copy of this program published with ReadyToRun code: a second set of rows.
    /// </summary>
    private async Task W7Async()
    {
        int n = _s.Quick ? 3 : 7;
        string? r2r = _s.ReadyToRunDir is { } dir && File.Exists(Path.Combine(dir, "Agno.Benchmarks.dll")) ? Path.GetFullPath(dir) : null;
        foreach (string? published in r2r is null ? new string?[] { null } : new string?[] { null, r2r })
        {
            foreach (bool stream in new[] { false, true })
            {
                string workload = (stream ? "W7 streamed" : "W7 not streamed") + (published is null ? string.Empty : ", ReadyToRun");
                Console.WriteLine($"{workload}: {n} fresh processes per client, one call each");
                var cpu = AddMetric(workload, "process CPU, first call", "ms", higherIsBetter: false, m => (m.Ratio <= 1.5, "≤ 1.5× floor"));
                var errors = AddMetric(workload, "errors", "", higherIsBetter: false, m => (m.Ours.Sum() == 0, "0"));
                for (int rep = 0; rep < n; rep++)
                {
                    foreach (var client in _clients)
                    {
                        bool isOurs = client != Client.Floor;
                        if (client == Client.OursTelemetry)
                        {
                            continue;
                        }

                        var (ms, ok) = await FirstCallProcessAsync(isOurs, stream, published);
                        Record(cpu, client, ms);
                        Record(errors, client, ok ? 0 : 1);
                        Progress($"rep {rep + 1} {Label(client)}: {ms:0.0} ms CPU{(ok ? string.Empty : " (failed)")}");
                    }
                }
            }
        }

        if (r2r is not null)
        {
            _notes.Add($"W7 ReadyToRun rows: the same processes started from a copy of this program published with PublishReadyToRun=true ({r2r}): every assembly of the app, this library's included, carries precompiled code; the floor's code is in the same program and compiled the same way.");
        }
    }

    private async Task<(double Ms, bool Ok)> FirstCallProcessAsync(bool ours, bool stream, string? publishedDir)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo { FileName = self, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.ArgumentList.Add(publishedDir is null ? typeof(LoadRunner).Assembly.Location : Path.Combine(publishedDir, "Agno.Benchmarks.dll"));
        }
        else if (publishedDir is not null)
        {
            psi.FileName = Path.Combine(publishedDir, Path.GetFileName(self));
        }

        foreach (string a in new[] { "first", _baseAddress.ToString(), ours ? "ours" : "floor", stream ? "stream" : "run" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("The first-call process did not start.");
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var parts = output.Trim().Split(' ');
        bool ok = p.ExitCode == 0 && parts.Length >= 4 && parts[0] == "cpu_us" && int.Parse(parts[3], Inv) == (stream ? Workloads.SmallStreamEvents : 1);
        return (ok ? double.Parse(parts[1], Inv) / 1000 : double.NaN, ok);
    }

    private Task W2Async() => StreamingAsync("W2", Workloads.W2Message, Workloads.LongStreamEvents, Workloads.LongStreamContent);

    /// <summary>W5: W2's length with the fields real models and tools send (<see cref="Workloads.StreamReal"/>).</summary>
    private Task W5Async() => StreamingAsync("W5", Workloads.W5Message, Workloads.RealStreamEvents, Workloads.RealStreamContent);

    private async Task StreamingAsync(string workload, string message, int eventsPerRun, string expectedContent)
    {
        Console.WriteLine($"{workload}: {_s.W2N} sequential streams of {eventsPerRun} events (warm-up {_s.W2Warmup})");
        var eventsPerSec = AddMetric(workload, "events/s", "events/s", higherIsBetter: true, m => (m.Ratio >= 0.95, "≥ 0.95× floor"));
        var ttfe = AddMetric(workload, "time to first event p50", "ms", higherIsBetter: false, m => (m.Ratio <= 1.2, "≤ 1.2× floor"));
        var streamP50 = AddMetric(workload, "stream p50", "ms", higherIsBetter: false);
        var cpu = AddMetric(workload, "client CPU per event", "µs", higherIsBetter: false);
        var alloc = AddMetric(workload, "allocated per event", "B", higherIsBetter: false, m => (m.Ratio <= 1.3, "≤ 1.3× floor"));
        var serverBusy = AddMetric(workload, "server CPU busy", "%", higherIsBetter: false);
        var errors = AddMetric(workload, "errors", "", higherIsBetter: false, m => (m.Ours.Sum() == 0, "0"));

        using var ours = NewOurs();
        var agent = ours.GetRemoteAgent(Workloads.AgentId);
        var (http, floor) = NewFloor();
        using var _ = http;
        int expectedLength = expectedContent.Length;

        async Task<(bool Ok, long First)> Ours()
        {
            long first = 0;
            int count = 0;
            int deltaChars = 0;
            bool completed = false;
            await foreach (var e in agent.RunStreamingAsync(message))
            {
                if (count++ == 0)
                {
                    first = Stopwatch.GetTimestamp();
                }

                switch (e)
                {
                    case RunContentEvent c:
                        deltaChars += c.Content?.Length ?? 0;
                        break;
                    case RunCompletedEvent done:
                        completed = done.Content?.Length == expectedLength;
                        break;
                }
            }

            return (count == eventsPerRun && completed && deltaChars == expectedLength, first);
        }

        async Task<(bool Ok, long First)> Floor()
        {
            long first = 0;
            int count = 0;
            int deltaChars = 0;
            bool completed = false;
            await foreach (var e in floor.StreamAsync(message))
            {
                if (count++ == 0)
                {
                    first = Stopwatch.GetTimestamp();
                }

                switch (e.Event)
                {
                    case "RunContent":
                        deltaChars += e.Content?.Length ?? 0;
                        break;
                    case "RunCompleted":
                        completed = e.Content?.Length == expectedLength;
                        break;
                }
            }

            return (count == eventsPerRun && completed && deltaChars == expectedLength, first);
        }

        await WarmUpAsync(() => StreamsAsync(Ours, _s.W2Warmup), () => StreamsAsync(Floor, _s.W2Warmup));
        for (int rep = 0; rep < _s.Reps; rep++)
        {
            foreach (var client in _clients)
            {
                bool isOurs = client != Client.Floor;
                using var listeners = client == Client.OursTelemetry ? new TelemetryListeners() : null;
                var r = await StreamsAsync(isOurs ? Ours : Floor, _s.W2N);
                double events = (double)_s.W2N * eventsPerRun;
                Record(eventsPerSec, client, events / r.Elapsed.TotalSeconds);
                Record(ttfe, client, Stats.Percentile(r.FirstMs, 50));
                Record(streamP50, client, Stats.Percentile(r.TotalMs, 50));
                Record(cpu, client, r.ClientCpu.TotalMicroseconds / events);
                Record(alloc, client, r.Gc.AllocatedBytes / events);
                Record(serverBusy, client, 100 * r.ServerCpu / r.Elapsed);
                Record(errors, client, r.Errors);
                Progress($"rep {rep + 1} {Label(client)}: {events / r.Elapsed.TotalSeconds:0} events/s, first event p50 {Stats.Percentile(r.FirstMs, 50):0.000} ms, CPU {r.ClientCpu.TotalMicroseconds / events:0.00} µs/event, server busy {100 * r.ServerCpu / r.Elapsed:0}%, errors {r.Errors}, {r.Gc.Per(events, "event")}");
            }
        }
    }

    private sealed record StreamsResult(TimeSpan Elapsed, double[] FirstMs, double[] TotalMs, TimeSpan ClientCpu, TimeSpan ServerCpu, int Errors, GcDelta Gc);

    private async Task<StreamsResult> StreamsAsync(Func<Task<(bool Ok, long First)>> call, int n)
    {
        var first = new double[n];
        var total = new double[n];
        int errors = 0;
        Collect();
        var deadline = Stopwatch.StartNew();
        var gc0 = GcDelta.Now();
        var cpu0 = ClientCpu();
        var server0 = ServerCpu();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            long t = Stopwatch.GetTimestamp();
            try
            {
                var (ok, firstAt) = await call();
                first[i] = Stopwatch.GetElapsedTime(t, firstAt).TotalMilliseconds;
                if (!ok)
                {
                    errors++;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors++;
                NoteError(ex);
            }

            total[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (deadline.Elapsed > _s.RepLimit)
            {
                throw new TimeoutException($"A repetition exceeded {_s.RepLimit}.");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return new(elapsed, first, total, ClientCpu() - cpu0, ServerCpu() - server0, errors, GcDelta.Now().Since(gc0));
    }

    // ------------------------------------------------------------------ W3: 64 concurrent small streams, 2,000 runs

    private async Task W3Async()
    {
        Console.WriteLine($"W3: {_s.W3N} streams of {Workloads.SmallStreamEvents} events, {_s.W3Concurrency} at a time (warm-up {_s.W3Warmup})");
        var runsPerSec = AddMetric("W3", "runs/s", "runs/s", higherIsBetter: true);
        var cpu = AddMetric("W3", "client CPU per run", "µs", higherIsBetter: false, m => (m.Ratio <= 1.1, "≤ 1.1× floor"));
        var alloc = AddMetric("W3", "allocated per run", "B", higherIsBetter: false, m => (m.Ratio <= 1.5, "≤ 1.5× floor"));
        var serverBusy = AddMetric("W3", "server CPU busy", "%", higherIsBetter: false);
        var errors = AddMetric("W3", "errors", "", higherIsBetter: false, m => (m.Ours.Sum() == 0, "0"));

        using var ours = NewOurs();
        var agent = ours.GetRemoteAgent(Workloads.AgentId);
        var (http, floor) = NewFloor();
        using var _ = http;
        const string expected = "Echo: hello streaming world (turn 1)";

        async Task<bool> Ours()
        {
            int count = 0;
            bool completed = false;
            await foreach (var e in agent.RunStreamingAsync(Workloads.W3Message))
            {
                count++;
                completed |= e is RunCompletedEvent { Content: expected };
            }

            return count == Workloads.SmallStreamEvents && completed;
        }

        async Task<bool> Floor()
        {
            int count = 0;
            bool completed = false;
            await foreach (var e in floor.StreamAsync(Workloads.W3Message))
            {
                count++;
                completed |= e.Event == "RunCompleted" && e.Content == expected;
            }

            return count == Workloads.SmallStreamEvents && completed;
        }

        await WarmUpAsync(() => ConcurrentAsync(Ours, _s.W3Warmup, _s.W3Concurrency), () => ConcurrentAsync(Floor, _s.W3Warmup, _s.W3Concurrency));
        for (int rep = 0; rep < _s.Reps; rep++)
        {
            foreach (var client in _clients)
            {
                bool isOurs = client != Client.Floor;
                using var listeners = client == Client.OursTelemetry ? new TelemetryListeners() : null;
                var r = await ConcurrentAsync(isOurs ? Ours : Floor, _s.W3N, _s.W3Concurrency);
                Record(runsPerSec, client, _s.W3N / r.Elapsed.TotalSeconds);
                Record(cpu, client, r.ClientCpu.TotalMicroseconds / _s.W3N);
                Record(alloc, client, r.Gc.AllocatedBytes / (double)_s.W3N);
                Record(serverBusy, client, 100 * r.ServerCpu / r.Elapsed);
                Record(errors, client, r.Errors);
                Progress($"rep {rep + 1} {Label(client)}: {_s.W3N / r.Elapsed.TotalSeconds:0} runs/s, CPU {r.ClientCpu.TotalMicroseconds / _s.W3N:0.0} µs/run, server busy {100 * r.ServerCpu / r.Elapsed:0}%, errors {r.Errors}, {r.Gc.Per(_s.W3N, "run")}");
            }
        }
    }

    private sealed record ConcurrentResult(TimeSpan Elapsed, TimeSpan ClientCpu, TimeSpan ServerCpu, int Errors, GcDelta Gc);

    private async Task<ConcurrentResult> ConcurrentAsync(Func<Task<bool>> call, int n, int concurrency)
    {
        int next = 0;
        int errors = 0;
        Collect();
        using var limit = new CancellationTokenSource(_s.RepLimit);
        var gc0 = GcDelta.Now();
        var cpu0 = ClientCpu();
        var server0 = ServerCpu();
        long start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= n && !limit.IsCancellationRequested)
            {
                try
                {
                    if (!await call())
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref errors);
                    NoteError(ex);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"A repetition exceeded {_s.RepLimit}.");
        }

        return new(elapsed, ClientCpu() - cpu0, ServerCpu() - server0, errors, GcDelta.Now().Since(gc0));
    }

    // ------------------------------------------------------------------ W4: 1,000 streams held open at once

    private async Task W4Async()
    {
        Console.WriteLine($"W4: {_s.W4Streams} streams held open at once (first event, then held until all are open, then trickled every {_s.TrickleMs} ms)");
        var heap = AddMetric("W4", "GC heap per open stream", "KB", higherIsBetter: false, m => (m.Ratio <= 1.1, "≤ 1.1× floor"));
        var ws = AddMetric("W4", "working set per open stream", "KB", higherIsBetter: false, m => (m.Ours.Max() <= 32, "≤ 32 KB"));
        var open = AddMetric("W4", "time to open all", "ms", higherIsBetter: false);
        var finished = AddMetric("W4", "streams finished correctly", "", higherIsBetter: true, m => (m.Ours.All(v => v == _s.W4Streams), $"all {_s.W4Streams}"));
        var errors = AddMetric("W4", "errors", "", higherIsBetter: false, m => (m.Ours.Sum() == 0, "0"));
        using var control = new HttpClient { BaseAddress = _baseAddress };

        // Warm both code paths on a few streams first (JIT, pools), so the deltas are about the open streams.
        await WarmUpAsync(() => HeldAsync(isOurs: true, 64, control), () => HeldAsync(isOurs: false, 64, control));
        for (int rep = 0; rep < _s.W4Reps; rep++)
        {
            foreach (var client in _clients)
            {
                bool isOurs = client != Client.Floor;
                using var listeners = client == Client.OursTelemetry ? new TelemetryListeners() : null;
                var r = await HeldAsync(isOurs, _s.W4Streams, control);
                Record(heap, client, r.HeapBytes / 1024d / _s.W4Streams);
                Record(ws, client, r.WorkingSetBytes / 1024d / _s.W4Streams);
                Record(open, client, r.OpenMs);
                Record(finished, client, r.Finished);
                Record(errors, client, r.Errors);
                Progress($"rep {rep + 1} {Label(client)}: heap {r.HeapBytes / 1024d / _s.W4Streams:0.0} KB/stream, working set {r.WorkingSetBytes / 1024d / _s.W4Streams:0.0} KB/stream, opened in {r.OpenMs:0} ms, finished {r.Finished}, errors {r.Errors}");
            }
        }
    }

    private sealed record HeldResult(long HeapBytes, long WorkingSetBytes, double OpenMs, int Finished, int Errors);

    private async Task<HeldResult> HeldAsync(bool isOurs, int streams, HttpClient control)
    {
        AgentOSClient? ours = null;
        HttpClient? floorHttp = null;
        RawFloorClient? floor = null;
        if (isOurs)
        {
            ours = NewOurs();
        }
        else
        {
            (floorHttp, floor) = NewFloor();
        }

        try
        {
            using var limit = new CancellationTokenSource(_s.RepLimit);
            int opened = 0;
            int finished = 0;
            int errors = 0;
            var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Opened()
            {
                if (Interlocked.Increment(ref opened) == streams)
                {
                    allOpen.TrySetResult();
                }
            }

            const string expected = "Echo: hello streaming world (turn 1)";
            var agent = ours?.GetRemoteAgent(Workloads.AgentId);
            Collect();
            using var self = Process.GetCurrentProcess();
            long heap0 = GC.GetTotalMemory(forceFullCollection: true);
            self.Refresh();
            long ws0 = self.WorkingSet64;
            long start = Stopwatch.GetTimestamp();
            var tasks = new Task[streams];
            for (int i = 0; i < streams; i++)
            {
                tasks[i] = Task.Run(async () =>
                {
                    bool signalled = false;
                    try
                    {
                        int count = 0;
                        bool completed = false;
                        if (agent is not null)
                        {
                            await foreach (var e in agent.RunStreamingAsync(new RunRequest(Workloads.W4Message), cancellationToken: limit.Token))
                            {
                                if (count++ == 0)
                                {
                                    signalled = true;
                                    Opened();
                                }

                                completed |= e is RunCompletedEvent { Content: expected };
                            }
                        }
                        else
                        {
                            await foreach (var e in floor!.StreamAsync(Workloads.W4Message, limit.Token))
                            {
                                if (count++ == 0)
                                {
                                    signalled = true;
                                    Opened();
                                }

                                completed |= e.Event == "RunCompleted" && e.Content == expected;
                            }
                        }

                        if (count == Workloads.SmallStreamEvents && completed)
                        {
                            Interlocked.Increment(ref finished);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        Interlocked.Increment(ref errors);
                        NoteError(ex);
                        if (!signalled)
                        {
                            Opened();
                        }
                    }
                });
            }

            await allOpen.Task.WaitAsync(limit.Token);
            double openMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            long heap1 = GC.GetTotalMemory(forceFullCollection: true);
            self.Refresh();
            long ws1 = self.WorkingSet64;
            if (int.TryParse(System.Environment.GetEnvironmentVariable("AGNO_BENCH_HOLD_SECONDS"), out int holdSeconds) && holdSeconds > 0)
            {
                // a profiling aid: the streams stay open this long, e.g. for dotnet-gcdump collect -p PID
                Console.WriteLine($"  holding {streams} open streams for {holdSeconds} s (process {System.Environment.ProcessId})");
                await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
            }

            using (var release = await control.PostAsync("bench/release", null, limit.Token))
            {
                release.EnsureSuccessStatusCode();
            }

            await Task.WhenAll(tasks).WaitAsync(limit.Token);
            return new(heap1 - heap0, ws1 - ws0, openMs, finished, errors);
        }
        finally
        {
            ours?.Dispose();
            floorHttp?.Dispose();
        }
    }

    // ------------------------------------------------------------------ report

    private string Report(TimeSpan took)
    {
        var sb = new StringBuilder();
        bool telemetry = _clients.Contains(Client.OursTelemetry);
        sb.AppendLine(telemetry
            ? "| workload | metric | ours: median (min–max) | ours, telemetry on | floor: median (min–max) | ours/floor | telemetry on/floor | target |"
            : "| workload | metric | ours: median (min–max) | floor: median (min–max) | ours/floor | target |");
        sb.AppendLine(telemetry ? "|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|---|");
        foreach (var m in _metrics)
        {
            string unit = m.Unit.Length == 0 || m.Unit == m.Name ? string.Empty : $" ({m.Unit})";
            string ratio = m.Name is "errors" or "streams finished correctly" || m.FloorMedian == 0 ? "–" : $"{m.Ratio:0.00}";
            string target = "–";
            if (m.Target is { } t && m.Ours.Count > 0)
            {
                var (pass, text) = t(m);
                target = $"{text}: {(pass ? "**met**" : "**missed**")}";
            }

            if (telemetry)
            {
                string telemetryRatio = ratio == "–" || m.OursTelemetry.Count == 0 ? "–" : $"{Stats.Median(m.OursTelemetry) / m.FloorMedian:0.00}";
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {m.Workload} | {m.Name}{unit} | {Metric.Range(m.Ours)} | {Metric.Range(m.OursTelemetry)} | {Metric.Range(m.Floor)} | {ratio} | {telemetryRatio} | {target} |");
            }
            else
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {m.Workload} | {m.Name}{unit} | {Metric.Range(m.Ours)} | {Metric.Range(m.Floor)} | {ratio} | {target} |");
            }
        }

        sb.AppendLine();
        foreach (string note in _notes)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"- Client CPU is the load runner process's CPU time (all threads, GC included) over the repetition, divided by its runs or events. Server CPU busy is the replay server process's CPU time over the repetition's wall time: near 100% its one core is saturated and the server is the limit of throughput (the figure also counts the .NET thread pool's spin-waiting, in both processes).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- W4 memory: GC heap = live managed bytes after a full blocking collection, and working set = resident memory of the process, each measured once all {_s.W4Streams} streams had decoded their first event, minus the same before they were opened, divided by {_s.W4Streams}.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Took {took.TotalSeconds:0} s.");
        return sb.ToString();
    }
}

/// <summary>The clients a repetition measures.</summary>
internal enum Client
{
    /// <summary>This library's client, no listeners.</summary>
    Ours,

    /// <summary>This library's client with <see cref="TelemetryListeners"/> attached (<c>--telemetry</c>).</summary>
    OursTelemetry,

    /// <summary>The raw floor (HttpClient + SseParser + Utf8JsonReader).</summary>
    Floor,
}

/// <summary>The listeners of <c>--telemetry</c>: every Agno activity recorded, every Agno instrument measured.</summary>
internal sealed class TelemetryListeners : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly System.Diagnostics.Metrics.MeterListener _meters;
    private long _measurements;

    public TelemetryListeners()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Agno", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _measurements),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("Agno", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
    }

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }
}
