using System.Text;

namespace Agno.Benchmarks;

/// <summary>The fixed workload files (Workloads/, a copy of the shared benchmark inputs recorded from agno 2.9.0).</summary>
internal static class Workloads
{
    public const string AgentId = "echo-agent";

    /// <summary>The message of W1 (non-streaming).</summary>
    public const string W1Message = "hello world";

    /// <summary>The message of W2: contains "long", so the server answers with the 1,005-event stream.</summary>
    public const string W2Message = "long please";

    /// <summary>The message of W5: contains "real", so the server answers with the real-model stream (<see cref="StreamReal"/>).</summary>
    public const string W5Message = "real model please";

    /// <summary>The message of the large non-streaming answers: "big1" (1 MB of content) or "big10" (10 MB).</summary>
    public const string Big1Message = "big1";

    /// <summary>The 10 MB answer.</summary>
    public const string Big10Message = "big10";

    /// <summary>The message of W3: the 11-event stream.</summary>
    public const string W3Message = "hello streaming world";

    /// <summary>The message of W4: the 11-event stream, held after its first event until released, then trickled.</summary>
    public const string W4Message = "hold hello streaming world";

    public const int LongStreamEvents = 1005;
    public const int SmallStreamEvents = 11;

    private static readonly Lazy<string> Dir = new(FindDirectory);

    public static byte[] RunResponse { get; } = Read("run-response.json");

    public static byte[] Agent { get; } = Read("agent.json");

    public static byte[] StreamSmall { get; } = Read("stream-small.sse");

    public static byte[] StreamLong { get; } = Read("stream-1000.sse");

    /// <summary>The SSE frames of the small stream, each with its terminating blank line (one HTTP chunk each).</summary>
    public static byte[][] StreamSmallFrames { get; } = SplitFrames(StreamSmall);

    /// <summary>The SSE frames of the 1,005-event stream.</summary>
    public static byte[][] StreamLongFrames { get; } = SplitFrames(StreamLong);

    /// <summary>
    /// W5: a 1,005-event stream with the fields real models and tools send (agno 2.9's event models, run/agent.py):
    /// every content delta carries <c>model_provider_data</c> (an OpenAI-style completion id, fingerprint and creation
    /// time), every tenth is a reasoning delta, every hundredth carries citations, one an image and one references;
    /// two tool calls (started and completed, with arguments, result and metrics); the completed run carries its
    /// metrics with the per-model details, its messages (with tool calls) and the citations. Built here, deterministic.
    /// </summary>
    public static byte[] StreamReal { get; } = RealModelStream.Build();

    /// <summary>The SSE frames of the W5 stream.</summary>
    public static byte[][] StreamRealFrames { get; } = SplitFrames(StreamReal);

    public const int RealStreamEvents = RealModelStream.Events;

    /// <summary>The expected final content of the W5 stream (the content deltas, reasoning deltas excluded).</summary>
    public static string RealStreamContent => RealModelStream.Content;

    /// <summary>A non-streaming answer (run-response.json's shape) whose content is about 1 MB of text.</summary>
    public static byte[] RunResponse1MB { get; } = BigRunResponse(1 << 20);

    /// <summary>The same with about 10 MB.</summary>
    public static byte[] RunResponse10MB { get; } = BigRunResponse(10 << 20);

    /// <summary>The content of a large answer: words, a newline every 80 characters, a few non-ASCII letters and escapes.</summary>
    public static string BigContent(int bytes)
    {
        var sb = new StringBuilder(bytes + 64);
        int word = 0;
        while (sb.Length < bytes)
        {
            sb.Append(word % 50 == 0 ? "Ünïcödé \"quoted\" " : $"word{word % 1000:000} ");
            if (word++ % 12 == 11)
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    private static byte[] BigRunResponse(int bytes)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(RunResponse)!.AsObject();
        string content = BigContent(bytes);
        node["content"] = content;
        var messages = node["messages"]!.AsArray();
        messages[^1]!["content"] = content;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>The data of one of W5's content deltas (with provider data).</summary>
    public static byte[] RealContentData { get; } = DataOf(StreamRealFrames.Where(f => Encoding.UTF8.GetString(f).StartsWith("event: RunContent\n", StringComparison.Ordinal)).ElementAt(3));

    /// <summary>W5's events other than the content deltas (name and data).</summary>
    public static (string Name, byte[] Data)[] RealOtherEvents { get; } = [.. StreamRealFrames
        .Select(f => (Name: Encoding.UTF8.GetString(f).Split('\n')[0]["event: ".Length..], Frame: f))
        .Where(f => f.Name != "RunContent")
        .Select(f => (f.Name, DataOf(f.Frame)))];

    /// <summary>The data of W5's content deltas.</summary>
    public static byte[][] RealDeltas { get; } = [.. StreamRealFrames.Where(f => Encoding.UTF8.GetString(f).StartsWith("event: RunContent\n", StringComparison.Ordinal)).Select(DataOf)];

    /// <summary>The JSON data of the first RunContent event of the long stream (content "token0000 ").</summary>
    public static byte[] RunContentData { get; } = DataOf(StreamLongFrames.First(f => Encoding.UTF8.GetString(f).StartsWith("event: RunContent\n", StringComparison.Ordinal)));

    /// <summary>The expected final content of the long stream.</summary>
    public static string LongStreamContent { get; } = string.Concat(Enumerable.Range(0, 1000).Select(i => $"token{i:0000} "));

    private static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Dir.Value, name));

    private static string FindDirectory()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "Workloads");
                if (File.Exists(Path.Combine(candidate, "stream-1000.sse")))
                {
                    return candidate;
                }

                candidate = Path.Combine(dir.FullName, "tests", "Agno.Benchmarks", "Workloads");
                if (File.Exists(Path.Combine(candidate, "stream-1000.sse")))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("The Workloads folder (stream-1000.sse ...) was not found next to the executable.");
    }

    internal static byte[][] SplitFrames(byte[] body)
    {
        var frames = new List<byte[]>();
        int start = 0;
        var span = body.AsSpan();
        while (start < span.Length)
        {
            int end = span[start..].IndexOf("\n\n"u8);
            int stop = end < 0 ? span.Length : start + end + 2;
            frames.Add(span[start..stop].ToArray());
            start = stop;
        }

        return [.. frames];
    }

    private static byte[] DataOf(byte[] frame)
    {
        var span = frame.AsSpan();
        int data = span.IndexOf("\ndata: "u8) + "\ndata: ".Length;
        int end = span[data..].IndexOf((byte)'\n');
        return span.Slice(data, end).ToArray();
    }
}
