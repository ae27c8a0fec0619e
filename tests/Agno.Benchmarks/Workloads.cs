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
