using System.Text;

namespace Agno.Testing;

/// <summary>One recorded request/response exchange of a real AgentOS server (a fixture <c>.http</c> file).</summary>
public sealed class RecordedExchange
{
    private static readonly byte[] Separator = "\n=== RESPONSE ===\n"u8.ToArray();
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public required string Name { get; init; }
    public required string Method { get; init; }

    /// <summary>The request target as recorded (path and query).</summary>
    public required string Target { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; }
    public required byte[] RequestBody { get; init; }
    public required int StatusCode { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; }
    public required byte[] ResponseBody { get; init; }

    public string Path => Target.Split('?', 2)[0];
    public string Query => Target.Contains('?') ? Target.Split('?', 2)[1] : string.Empty;
    public string? RequestHeader(string name) => RequestHeaders.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    public string? ResponseHeader(string name) => ResponseHeaders.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    public bool IsEventStream => ResponseHeader("content-type")?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
    public string ResponseText => Encoding.UTF8.GetString(ResponseBody);

    /// <summary>The SSE events of the response as raw frames (each ending with the blank line).</summary>
    public IReadOnlyList<byte[]> SseFrames()
    {
        var frames = new List<byte[]>();
        int start = 0;
        var body = ResponseBody;
        for (int i = 0; i + 1 < body.Length; i++)
        {
            if (body[i] == '\n' && body[i + 1] == '\n')
            {
                frames.Add(body[start..(i + 2)]);
                start = i + 2;
                i++;
            }
        }

        if (start < body.Length)
        {
            frames.Add(body[start..]);
        }

        return frames;
    }

    public static RecordedExchange Load(string file)
    {
        byte[] all = File.ReadAllBytes(file);
        int sep = IndexOf(all, Separator, 0);
        if (sep < 0) { throw new InvalidDataException($"{file}: no response separator"); }
        var req = all.AsSpan(0, sep);
        var resp = all.AsSpan(sep + Separator.Length);

        int reqHeadEnd = IndexOf(req, HeaderEnd, 0);
        string reqHead = Encoding.ASCII.GetString(req[..reqHeadEnd]);
        byte[] reqBody = req[(reqHeadEnd + 4)..].ToArray();
        var reqLines = reqHead.Replace("=== REQUEST ===\n", string.Empty, StringComparison.Ordinal).Split("\r\n");
        var requestLine = reqLines[0].Split(' ');

        int respHeadEnd = IndexOf(resp, HeaderEnd, 0);
        string respHead = Encoding.ASCII.GetString(resp[..respHeadEnd]);
        byte[] respBody = resp[(respHeadEnd + 4)..].ToArray();
        var respLines = respHead.Split("\r\n");

        return new RecordedExchange
        {
            Name = System.IO.Path.GetFileNameWithoutExtension(file),
            Method = requestLine[0],
            Target = requestLine[1],
            RequestHeaders = ParseHeaders(reqLines.Skip(1)),
            RequestBody = reqBody,
            StatusCode = int.Parse(respLines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture),
            ResponseHeaders = ParseHeaders(respLines.Skip(1)),
            ResponseBody = respBody,
        };
    }

    private static List<KeyValuePair<string, string>> ParseHeaders(IEnumerable<string> lines)
        => lines.Where(l => l.Contains(':')).Select(l =>
        {
            int c = l.IndexOf(':');
            return new KeyValuePair<string, string>(l[..c].Trim(), l[(c + 1)..].Trim());
        }).ToList();

    private static int IndexOf(ReadOnlySpan<byte> hay, ReadOnlySpan<byte> needle, int from)
    {
        int i = hay[from..].IndexOf(needle);
        return i < 0 ? -1 : i + from;
    }

    public override string ToString() => Name;
}

/// <summary>
/// One recording of the protocol: the same requests answered by one agno version. The fixture files are
/// copied into the test output (Fixtures/&lt;folder&gt;).
/// </summary>
public sealed class FixtureSet
{
    private readonly Lazy<Dictionary<string, RecordedExchange>> _all;

    private FixtureSet(string name, string folderName, string agnoVersion, bool v3Copies = false)
    {
        Name = name;
        FolderName = folderName;
        AgnoVersion = agnoVersion;
        _all = new(() => Load(Folder, v3Copies));
    }

    /// <summary>
    /// The exchanges of a folder by name. A folder may hold <c>-v3</c> copies next to the 2.9 files (agentos-more: kept
    /// only where agno 3.0 answered differently): the 2.9 recording leaves them out, the 3.0 one uses each in place of
    /// its 2.9 file, under the 2.9 file's name.
    /// </summary>
    private static Dictionary<string, RecordedExchange> Load(string folder, bool v3Copies)
    {
        var files = Directory.GetFiles(folder, "*.http").ToDictionary(f => System.IO.Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var all = new Dictionary<string, RecordedExchange>(StringComparer.Ordinal);
        foreach (var (name, file) in files)
        {
            if (name.EndsWith("-v3", StringComparison.Ordinal))
            {
                continue;
            }

            all[name] = RecordedExchange.Load(v3Copies && files.TryGetValue(name + "-v3", out var copy) ? copy : file);
        }

        return all;
    }

    /// <summary>Recorded from a real agno 2.9.0 AgentOS.</summary>
    public static FixtureSet Agno29 { get; } = new(nameof(Agno29), "agentos", "2.9.0");

    /// <summary>The same requests replayed against a real agno 3.0.0a3 AgentOS.</summary>
    public static FixtureSet Agno30 { get; } = new(nameof(Agno30), "agentos-3.0", "3.0.0a3");

    /// <summary>
    /// agno-go's AgentOS (rexleimo/agno-go e1418882, <c>pkg/agentos</c>): exchanges derived from its source with Go's own
    /// net/http and encoding/json, not recorded from a running server (see Fixtures/agno-go/INDEX.md). Not in <see cref="All"/>:
    /// its requests are not the Python recordings'.
    /// </summary>
    public static FixtureSet AgnoGo { get; } = new(nameof(AgnoGo), "agno-go", "agno-go e1418882");

    /// <summary>Both recordings.</summary>
    public static IReadOnlyList<FixtureSet> All { get; } = [Agno29, Agno30];

    /// <summary>The second recording (approvals, checkpoints, traces, schedules, learnings, service accounts, components, registry, JWT) from agno 2.9.0.</summary>
    public static FixtureSet More29 { get; } = new(nameof(More29), "agentos-more", "2.9.0");

    /// <summary>The second recording as agno 3.0.0a3 answers it: the 2.9 files with each <c>-v3</c> copy in its place.</summary>
    public static FixtureSet More30 { get; } = new(nameof(More30), "agentos-more", "3.0.0a3", v3Copies: true);

    /// <summary>Both versions of the second recording.</summary>
    public static IReadOnlyList<FixtureSet> More { get; } = [More29, More30];

    /// <summary>The set's name (the name of its static property, e.g. <c>Agno30</c>).</summary>
    public string Name { get; }

    /// <summary>The folder under Fixtures.</summary>
    public string FolderName { get; }

    /// <summary>The agno version of the recorded server (its <c>/info</c> <c>agno_version</c>).</summary>
    public string AgnoVersion { get; }

    /// <summary>Whether the recorded server is agno 3.x.</summary>
    public bool IsAgno3 => AgnoVersion.StartsWith("3.", StringComparison.Ordinal);

    public string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", FolderName);

    public IReadOnlyCollection<string> Names => _all.Value.Keys;

    /// <summary>Gets a fixture by number prefix ("020") or full name.</summary>
    public RecordedExchange Get(string nameOrNumber)
    {
        if (_all.Value.TryGetValue(nameOrNumber, out var exact)) { return exact; }
        var match = _all.Value.Values.Where(e => e.Name.StartsWith(nameOrNumber + "-", StringComparison.Ordinal)).ToList();
        return match.Count == 1 ? match[0] : throw new ArgumentException($"No single fixture named '{nameOrNumber}' in {FolderName}.");
    }

    public override string ToString() => $"agno {AgnoVersion} ({FolderName}, {Name})";
}

/// <summary>
/// The fixtures of the recording in use: agno 2.9 unless a test class chose another with <see cref="Use"/>
/// (an async-local choice, so test classes running in parallel each keep their own).
/// </summary>
public static class Fixtures
{
    private static readonly AsyncLocal<FixtureSet?> CurrentSet = new();

    /// <summary>The recording in use in this async flow.</summary>
    public static FixtureSet Current => CurrentSet.Value ?? FixtureSet.Agno29;

    /// <summary>Uses this recording for the rest of the calling async flow (a test class's constructor).</summary>
    public static void Use(FixtureSet set) => CurrentSet.Value = set ?? throw new ArgumentNullException(nameof(set));

    public static string Folder => Current.Folder;

    public static IReadOnlyCollection<string> Names => Current.Names;

    /// <summary>Gets a fixture of the current recording by number prefix ("020") or full name.</summary>
    public static RecordedExchange Get(string nameOrNumber) => Current.Get(nameOrNumber);
}
