using System.Net.ServerSentEvents;
using System.Text;
using Agno.AgentOS.Internal;
using Agno.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The client's SSE framer (<see cref="SseFrameReader"/>) against <see cref="SseParser"/>, which it replaced: the same
/// bytes, delivered whole, byte by byte, split at every boundary (a sample of them in long bodies) and in seeded random
/// chunks, give the same events (type and data; the framer does not expose the id, which the reader does not use).
/// Then the event size limit, cancellation, and the real client over Kestrel with a body written in tiny chunks.
/// </summary>
public sealed class SseFrameConformanceTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>One event as a parser hands it over: its type, and its data byte for byte (Latin-1: one char a byte).</summary>
    private readonly record struct Item(string Type, string Data)
    {
        public override string ToString() => $"[{Type}] {Escape(Data)}";
    }

    // ---- the streams fed to both parsers

    public static TheoryData<string> StreamFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in FixtureFiles())
        {
            data.Add(file);
        }

        return data;
    }

    /// <summary>Every recorded exchange whose answer is an event stream (all folders, the agno 3 copies included).</summary>
    private static IEnumerable<string> FixtureFiles()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        return Directory.GetFiles(root, "*.http", SearchOption.AllDirectories)
            .Where(f => RecordedExchange.Load(f).IsEventStream)
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal);
    }

    private static byte[] FixtureBody(string relative) => RecordedExchange.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", relative)).ResponseBody;

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Cat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static readonly Dictionary<string, byte[]> Cases = new(StringComparer.Ordinal)
    {
        ["lf"] = B("event: a\ndata: 1\n\nevent: b\ndata: 2\ndata: 3\n\ndata: 4\n\n"),
        ["crlf"] = B("event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\ndata: 3\r\n\r\ndata: 4\r\n\r\n"),
        ["cr"] = B("event: a\rdata: 1\r\revent: b\rdata: 2\rdata: 3\r\rdata: 4\r\r"),
        ["mixed"] = B("event: a\r\ndata: 1\r\r\nevent: b\rdata: 2\ndata: 3\r\n\rdata: 4\n\r\ndata: 5\r\n\n"),
        ["cr-lf-pairs"] = B("data: a\r\n\r\ndata: b\r\r\n\ndata: c\n\r\ndata: d\r\r\r\r\n\n\n"),
        ["bom"] = Cat(Bom, B("data: x\n\n")),
        ["bom-only"] = Bom,
        ["bom-then-blank"] = Cat(Bom, B("\n\ndata: y\n\n")),
        ["bom-then-cr"] = Cat(Bom, B("\rdata: y\r\r")),
        ["bom-two-bytes"] = [0xEF, 0xBB],
        ["bom-two-bytes-then-data"] = Cat([0xEF, 0xBB], B("data: x\n\n\ndata: y\n\n")),
        ["bom-two-bytes-then-newline"] = Cat([0xEF, 0xBB], B("\ndata: x\n\n")),
        ["bom-twice"] = Cat(Bom, Bom, B("data: x\n\ndata: y\n\n")),
        ["bom-later"] = Cat(B("data: a\n\n"), Bom, B("data: b\n\n"), Bom, B("\ndata: c\n\n")),
        ["bom-in-data"] = Cat(B("data: "), Bom, B("x\n\ndata:"), Bom, B("\n\n")),
        ["comments"] = B(": hello\n:\n: keep-alive\n\ndata: x\n: inside\ndata: y\n\n:no space\n\n:\r\n\r\ndata: z\n\n"),
        ["no-colon"] = B("data\n\nevent\ndata\ndata\n\nfoo\nretry\nid\ndata: z\n\n"),
        ["spaces"] = B("data:x\n\ndata: x\n\ndata:  x\n\ndata:\n\ndata: \n\ndata:   \n\ndata:\tx\n\n"),
        ["colons"] = B("data:x:y\n\ndata: a: b\n\nevent:t:u\ndata:1\n\nevent: v\ndata::\n\n"),
        ["names-exact"] = B("DATA: x\n\n data: x\n\ndata : x\n\nData: x\n\nevent : e\ndata: ok\n\nEVENT: e\ndata: ok2\n\n"),
        ["multi-line"] = B("data: a\ndata:\ndata: b\ndata\n\ndata\ndata\n\n"),
        ["event-without-data"] = B("event: a\n\ndata: x\n\nevent: b\nid: 1\n\nevent: c\ndata: y\n\nevent: d\n\n"),
        ["empty-event"] = B("event:\ndata: x\n\nevent: \ndata: y\n\nevent:  \ndata: z\n\nevent\ndata: w\n\nevent: t\nevent:\ndata: v\n\n"),
        ["types"] = B(string.Concat(Enumerable.Range(0, 40).Select(i => $"event: {"ABCDEF"[(i * 7 + i / 5) % 6]}\ndata: {i}\n\n"))),
        ["id-retry"] = B("id: 7\nretry: 1000\ndata: x\n\nid\nretry: abc\ndata: y\n\nid: a\0b\ndata: z\n\nretry: 99999999999999999999\ndata: w\n\nid: 8\n\n"),
        ["no-final-blank-lf"] = B("data: a\n\ndata: b\n"),
        ["no-final-blank"] = B("data: a\n\ndata: b"),
        ["no-final-blank-event"] = B("data: a\n\nevent: x\ndata: b\nid: 1"),
        ["final-cr-cr"] = B("data: a\r\r"),
        ["final-lf-cr"] = B("data: a\n\r"),
        ["final-cr"] = B("data: a\r"),
        ["empty"] = [],
        ["blank-lines"] = B("\n\n\r\n\r\r\n"),
        ["one-byte"] = B("x"),
        ["utf8"] = B("event: ünï\ndata: 日本語 🎉\n\nevent: ünï\ndata: é\ndata: ü\n\n"),
        ["nul-and-controls"] = B("event: a\0b\ndata: \0\x01\x7f\n\n"),
        ["long-4k"] = B("event: big\ndata: " + new string('x', 5000) + "\n\ndata: after\n\n"),
        ["long-4k-multi"] = B("data: " + new string('a', 3000) + "\ndata: " + new string('b', 3000) + "\n: " + new string('c', 5000) + "\ndata: " + new string('d', 100) + "\n\n"),
        ["long-64k"] = B("data: " + new string('x', 70000) + "\ndata: " + new string('y', 70000) + "\n\n: " + new string('z', 70000) + "\ndata: tail\n\n"),
        ["long-event-name"] = B("event: " + new string('e', 5000) + "\ndata: x\n\nevent: " + new string('e', 5000) + "\ndata: y\n\n"),
        ["crlf-at-4k"] = B("data: " + new string('x', 4096 - 6 - 1) + "\r\n\r\ndata: " + new string('y', 4096 - 6 - 2) + "\r\n\r\ndata: z\r\n\r\n"),
        ["cr-at-4k"] = B("data: " + new string('x', 4096 - 6 - 1) + "\r\rdata: " + new string('y', 4096 - 6 - 2) + "\r\rdata: z\r\r"),
        ["many"] = B(string.Concat(Enumerable.Range(0, 300).Select(i => i % 10 == 0 ? ": ping\n\n" : $"event: RunContent\ndata: {{\"i\":{i}}}\n\n"))),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    // ---- conformance

    [Theory]
    [MemberData(nameof(StreamFixtures))]
    public async Task Recorded_streams_frame_as_SseParser_frames_them(string fixture)
    {
        var body = FixtureBody(fixture);
        var expected = await ParseAsync(new ChunkedStream(body));
        Assert.Equal(expected, await ParseAsync(new ChunkedStream(body, maxChunk: 1))); // SseParser itself does not depend on the reads

        AssertAllChunkings(body, expected, everyBoundaryUpTo: 2048, sampleStep: 61, randomSeeds: 4);
    }

    [Fact]
    public async Task The_recorded_streams_are_found()
    {
        // the theory above takes every recorded event stream: a moved fixture folder must not leave it with a few
        var files = FixtureFiles().ToList();
        int withEvents = 0;
        foreach (var file in files)
        {
            withEvents += (await ParseAsync(new ChunkedStream(FixtureBody(file)))).Count > 0 ? 1 : 0;
        }

        Assert.True(withEvents >= 80, $"{withEvents} of {files.Count} recorded event streams have events");
        Assert.Contains(files, f => f.StartsWith("agentos-3.0", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("agno-go", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Edge_cases_frame_as_SseParser_frames_them(string name)
    {
        var body = Cases[name];
        var expected = await ParseAsync(new ChunkedStream(body));
        Assert.Equal(expected, await ParseAsync(new ChunkedStream(body, maxChunk: 1)));

        AssertAllChunkings(body, expected, everyBoundaryUpTo: 8192, sampleStep: 97, randomSeeds: 16);
        if (body.Length <= 48)
        {
            // three reads, at every pair of boundaries
            for (int i = 1; i < body.Length; i++)
            {
                for (int j = i + 1; j < body.Length; j++)
                {
                    AssertFrames(expected, body, new ChunkedStream(body, cuts: [i, j]), $"cuts at {i} and {j}");
                }
            }
        }
    }

    [Fact]
    public async Task SseParser_behaviours_the_framer_matches_are_the_ones_documented()
    {
        // what the framer's remarks say of SseParser, checked on SseParser itself (so that a change in it shows here)
        Assert.Equal([new Item("", "x"), new Item("", "y"), new Item(" ", "z"), new Item("", "w"), new Item("", "v")], await ParseAsync(new ChunkedStream(Cases["empty-event"])));
        Assert.Equal([new Item("a", "x"), new Item("c", "y")], await ParseAsync(new ChunkedStream(Cases["event-without-data"])));
        Assert.Equal([new Item("message", "x")], await ParseAsync(new ChunkedStream(Cases["bom"], maxChunk: 1)));
        Assert.Equal([new Item("message", "a"), new Item("message", "c")], await ParseAsync(new ChunkedStream(Cases["bom-later"]))); // a later BOM is a field name's
        Assert.Equal([new Item("message", "a")], await ParseAsync(new ChunkedStream(Cases["no-final-blank"])));
        Assert.Equal([new Item("message", "x"), new Item("message", "x"), new Item("message", " x"), new Item("message", ""), new Item("message", ""), new Item("message", "  "), new Item("message", "\tx")], await ParseAsync(new ChunkedStream(Cases["spaces"])));
    }

    [Fact]
    public async Task A_CR_that_ends_a_read_waits_for_the_LF_of_the_next()
    {
        // every read ends just after a CR: a CRLF split so must stay one line end, a lone CR must still end its line
        foreach (var name in new[] { "crlf", "cr", "mixed", "cr-lf-pairs", "crlf-at-4k", "cr-at-4k", "final-cr-cr", "final-cr" })
        {
            var body = Cases[name];
            var cuts = Enumerable.Range(0, body.Length).Where(i => body[i] == '\r').Select(i => i + 1).ToArray();
            Assert.NotEmpty(cuts);
            var expected = await ParseAsync(new ChunkedStream(body));
            AssertFrames(expected, body, new ChunkedStream(body, cuts: cuts), name + " cut after each CR");
            AssertFrames(expected, body, new ChunkedStream(body, cuts: [.. cuts.Select(c => c - 1).Where(c => c > 0)]), name + " cut before each CR");
        }
    }

    // ---- the event size limit: one event's bytes, never the bytes read ahead

    [Fact]
    public async Task Many_small_events_read_ahead_do_not_trip_a_small_limit()
    {
        // 500 events of at most 80 bytes (keep-alive comments among them), with a 512 B limit: a 4 KiB read holds
        // dozens of events, which must not count toward the one being read
        var events = Enumerable.Range(0, 500).Select(i => B(i % 7 == 0
            ? ": keep-alive\n\n"
            : $"event: RunContent\r\nid: {i}\r\ndata: {{\"event\":\"RunContent\",\"content\":\"{new string('c', i % 40)}\"}}\r\n\r\n")).ToList();
        var body = Cat([.. events]);
        var expected = await ParseAsync(new ChunkedStream(body));
        Assert.True(expected.Count > 400);

        AssertAllChunkings(body, expected, everyBoundaryUpTo: 2048, sampleStep: 31, randomSeeds: 8, maxEventSize: 512);

        // and a limit of the largest event's size, exactly
        AssertAllChunkings(body, expected, everyBoundaryUpTo: 512, sampleStep: 97, randomSeeds: 4, maxEventSize: events.Max(e => e.Length));
    }

    public static TheoryData<string, bool, bool> LimitShapes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var newline in new[] { "\n", "\r\n", "\r" })
        {
            foreach (bool first in new[] { true, false })
            {
                foreach (bool multiLine in new[] { true, false })
                {
                    data.Add(newline.Replace("\r", "CR", StringComparison.Ordinal).Replace("\n", "LF", StringComparison.Ordinal), first, multiLine);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LimitShapes))]
    public async Task One_event_over_the_limit_trips_it_wherever_it_is_split(string newlineName, bool first, bool multiLine)
    {
        string nl = newlineName.Replace("CR", "\r", StringComparison.Ordinal).Replace("LF", "\n", StringComparison.Ordinal);
        byte[] Small(int i) => B($"event: e{i % 3}{nl}data: {{\"i\":{i}}}{nl}{nl}");
        string payload = new('p', 700);
        var big = B(multiLine
            ? $": before it{nl}event: big{nl}data: {payload}{nl}id: 9{nl}data: {payload}{nl}data:{nl}{nl}"
            : $": before it{nl}event: big{nl}data: {payload}{nl}retry: 5{nl}{nl}");
        var before = first ? [] : Enumerable.Range(0, 40).Select(Small).ToList();
        // first: right after a BOM, which is not the event's; else after small events and a keep-alive comment, which
        // has its own blank line: the big event's bytes are from after it to the big event's own blank line
        var body = first
            ? Cat([Bom, big, .. Enumerable.Range(40, 40).Select(Small)])
            : Cat([.. before, B($": ping{nl}{nl}"), big, .. Enumerable.Range(40, 40).Select(Small)]);
        int size = big.Length;
        var expected = await ParseAsync(new ChunkedStream(body));
        int bigIndex = expected.FindIndex(e => e.Type == "big");
        Assert.Equal(before.Count, bigIndex);

        // at the limit: it passes, however it is split
        AssertAllChunkings(body, expected, everyBoundaryUpTo: 0, sampleStep: 1, randomSeeds: 8, maxEventSize: size);

        // one byte under: it trips at the big event, after the events before it, however it is split
        foreach (var (stream, how) in Chunkings(body, everyBoundaryUpTo: 0, sampleStep: 1, randomSeeds: 8))
        {
            var (items, error) = Frame(stream, size - 1);
            Assert.True(error is not null, $"{how}: no EventTooLargeException");
            Assert.Equal(expected.Take(bigIndex), items);
        }
    }

    [Fact]
    public void An_unfinished_event_over_the_limit_trips_it_and_one_under_is_dropped()
    {
        var body = B("data: a\n\n: ping\n\nevent: x\ndata: " + new string('y', 600));
        int partial = body.Length - "data: a\n\n: ping\n\n".Length;
        foreach (var (stream, how) in Chunkings(body, everyBoundaryUpTo: 0, sampleStep: 1, randomSeeds: 4))
        {
            var (items, error) = Frame(stream, partial - 1);
            Assert.True(error is not null, how);
            Assert.Equal([new Item("message", "a")], items);
        }

        foreach (var (stream, how) in Chunkings(body, everyBoundaryUpTo: 0, sampleStep: 1, randomSeeds: 4))
        {
            var (items, error) = Frame(stream, partial);
            Assert.True(error is null, how);
            Assert.Equal([new Item("message", "a")], items);
        }
    }

    [Fact]
    public void Lines_without_a_blank_line_count_toward_one_event()
    {
        // comment lines that never end an event (no blank line) are the next event's bytes: they trip the limit
        var body = B(string.Concat(Enumerable.Repeat(": still thinking\n", 100)) + "data: late\n\n");
        var (items, error) = Frame(new ChunkedStream(body, maxChunk: 7), 1000);
        Assert.NotNull(error);
        Assert.Empty(items);
        (items, error) = Frame(new ChunkedStream(body, maxChunk: 7), body.Length);
        Assert.Null(error);
        Assert.Equal([new Item("message", "late")], items);
    }

    [Fact]
    public async Task An_event_over_the_limit_in_the_stream_is_a_protocol_exception_with_the_events_before_it()
    {
        var frames = FixtureSet.Agno29.Get("021").SseFrames();
        var body = Cat([frames[0], frames[1], B("event: RunContent\ndata: {\"event\":\"RunContent\",\"content\":\"" + new string('x', 2000) + "\"}\n\n"), .. frames.Skip(2)]);
        using var response = EventStreamResponse(new ChunkedStream(body));
        var received = new List<AgentOSEvent>();

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(async () =>
        {
            await foreach (var e in EventStreamReader.ReadAsync(response, Context(maxEventSize: 1024), NullLogger.Instance, CancellationToken.None))
            {
                received.Add(e);
            }
        });

        Assert.Equal(2, received.Count);
        Assert.IsType<EventTooLargeException>(ex.InnerException);
        Assert.Contains("MaxStreamEventSize", ex.Message, StringComparison.Ordinal);
    }

    // ---- cancellation

    [Fact]
    public async Task A_token_cancelled_while_a_read_waits_ends_the_stream_and_disposes_the_response()
    {
        var frames = FixtureSet.Agno29.Get("021").SseFrames();
        using var body = new ScriptedBodyStream();
        var content = new TrackedContent(body);
        var response = EventStreamResponse(content);
        using var cts = new CancellationTokenSource();
        await using var stream = EventStreamReader.ReadAsync(response, Context(), NullLogger.Instance, cts.Token).GetAsyncEnumerator();

        body.Send(frames[0]);
        Assert.True(await stream.MoveNextAsync());
        Assert.IsType<RunStartedEvent>(stream.Current);
        var next = stream.MoveNextAsync();
        await body.WaitForPendingReadAsync();
        Assert.False(next.IsCompleted);
        cts.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(content.Disposed);
        Assert.False(await stream.MoveNextAsync());
    }

    [Fact]
    public async Task A_token_cancelled_with_events_buffered_hands_over_none_and_disposes_the_response()
    {
        var fixture = FixtureSet.Agno29.Get("021");
        using var body = new ScriptedBodyStream();
        var content = new TrackedContent(body);
        var response = EventStreamResponse(content);
        using var cts = new CancellationTokenSource();
        await using var stream = EventStreamReader.ReadAsync(response, Context(), NullLogger.Instance, cts.Token).GetAsyncEnumerator();

        body.Send(fixture.ResponseBody); // every event in one read: the next ones are buffered
        Assert.True(await stream.MoveNextAsync());
        cts.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.MoveNextAsync());
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(content.Disposed);
    }

    // ---- the real client over Kestrel

    [Fact]
    public async Task The_client_reads_a_stream_written_in_tiny_chunks_with_every_line_end_as_the_recorded_one()
    {
        var fixture = FixtureSet.Agno29.Get("021");
        var frames = fixture.SseFrames();
        var body = new List<byte>(Bom);
        for (int k = 0; k < frames.Count; k++)
        {
            // frame k: LF, CRLF, CR, or a mix of them; with comments, ids and retries the reader reads past
            var lines = Encoding.UTF8.GetString(frames[k]).Split('\n')[..^1]; // its lines, the blank one last
            string[] ends = (k % 4) switch
            {
                0 => ["\n"],
                1 => ["\r\n"],
                2 => ["\r"],
                _ => ["\r\n", "\r", "\n"],
            };
            body.AddRange(B($": comment {k}{ends[0]}id: {k}{ends[0]}"));
            for (int i = 0; i < lines.Length; i++)
            {
                // a CR line end before an empty LF-ended line would make one CRLF: the blank line takes the CR's style
                string end = i == lines.Length - 1 ? ends[(i - 1 + ends.Length) % ends.Length] : ends[i % ends.Length];
                body.AddRange(B(lines[i] + end));
            }

            body.AddRange(B(k % 3 == 0 ? ": keep-alive\n\n" : "retry: 1000\n\n"));
        }

        byte[] bytes = [.. body];
        var sizes = new[] { 1, 2, 3, 5, 8, 13, 1, 1, 21 };
        await using var server = await ReplayServer.StartAsync();
        int largest = frames.Max(f => f.Length) + 64;
        using var client = TestSupport.Client(server, configure: o => o.MaxStreamEventSize = largest);
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            await ctx.Response.StartAsync();
            for (int at = 0, i = 0; at < bytes.Length; i++)
            {
                int n = Math.Min(sizes[i % sizes.Length], bytes.Length - at);
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(at, n));
                await ctx.Response.Body.FlushAsync();
                at += n;
            }
        };

        var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync();

        server.Handler = null;
        server.Serve(fixture, new ServeOptions());
        var recorded = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).ToListAsync();
        Assert.Equal(frames.Count, events.Count);
        Assert.Equal(recorded.Select(Describe), events.Select(Describe));
        Assert.IsType<RunCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task The_client_reads_small_events_written_at_once_under_a_limit_of_the_largest()
    {
        // the whole body in one write: the client reads many events ahead, and the limit is one event's size
        var fixture = FixtureSet.Agno29.Get("021");
        int largest = fixture.SseFrames().Max(f => f.Length);
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            await ctx.Response.Body.WriteAsync(fixture.ResponseBody);
        };

        using (var client = TestSupport.Client(server, configure: o => o.MaxStreamEventSize = largest))
        {
            var events = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync();
            Assert.Equal(TestSupport.RecordedEventNames("021"), events.Select(e => e.Event));
        }

        using (var client = TestSupport.Client(server, configure: o => o.MaxStreamEventSize = largest - 1))
        {
            var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest("x")).ToListAsync());
            Assert.Contains("MaxStreamEventSize", ex.Message, StringComparison.Ordinal);
        }
    }

    // ---- helpers

    private static string Describe(AgentOSEvent e)
        => $"{e.GetType().Name} {e.Event} {e.RunId} {e.EventIndex} {(e as RunContentEvent)?.Content}";

    private static void AssertAllChunkings(byte[] body, List<Item> expected, int everyBoundaryUpTo, int sampleStep, int randomSeeds, int maxEventSize = int.MaxValue)
    {
        foreach (var (stream, how) in Chunkings(body, everyBoundaryUpTo, sampleStep, randomSeeds))
        {
            AssertFrames(expected, body, stream, how, maxEventSize);
        }
    }

    /// <summary>
    /// The ways a body is delivered: whole, byte by byte, in two reads split at every boundary up to
    /// <paramref name="everyBoundaryUpTo"/> (all of them in a body up to that size), then at every
    /// <paramref name="sampleStep"/>-th one and the last 64, and around each 4 KiB and 64 KiB mark; and in seeded random chunks.
    /// </summary>
    private static IEnumerable<(ChunkedStream Stream, string How)> Chunkings(byte[] body, int everyBoundaryUpTo, int sampleStep, int randomSeeds)
    {
        yield return (new ChunkedStream(body), "whole");
        yield return (new ChunkedStream(body, maxChunk: 1), "1-byte reads");
        var splits = new SortedSet<int>();
        for (int i = 1; i < body.Length; i++)
        {
            if (i <= everyBoundaryUpTo || i % sampleStep == 0 || i >= body.Length - 64 || Math.Abs((i % 4096) - 2048) >= 2045 || Math.Abs(i - 65536) <= 3)
            {
                splits.Add(i);
            }
        }

        foreach (int split in splits)
        {
            yield return (new ChunkedStream(body, cuts: [split]), $"split at {split}");
        }

        for (int seed = 0; seed < randomSeeds; seed++)
        {
            var random = new Random(seed);
            var cuts = new List<int>();
            int largest = seed % 2 == 0 ? 16 : Math.Max(2, body.Length / 5);
            for (int at = random.Next(1, largest + 1); at < body.Length; at += random.Next(1, largest + 1))
            {
                cuts.Add(at);
            }

            yield return (new ChunkedStream(body, cuts: [.. cuts]), $"random chunks (seed {seed})");
        }
    }

    private static void AssertFrames(List<Item> expected, byte[] body, ChunkedStream stream, string how, int maxEventSize = int.MaxValue)
    {
        var (items, error) = Frame(stream, maxEventSize);
        if (error is not null)
        {
            Assert.Fail($"{how} ({body.Length} bytes): EventTooLargeException with a limit of {maxEventSize} after {items.Count} event(s)");
        }

        if (!expected.SequenceEqual(items))
        {
            int at = 0;
            while (at < expected.Count && at < items.Count && expected[at] == items[at])
            {
                at++;
            }

            Assert.Fail($"{how} ({body.Length} bytes): {expected.Count} event(s) expected, {items.Count} framed; first difference at {at}: expected {(at < expected.Count ? expected[at] : "none")}, framed {(at < items.Count ? items[at] : "none")}");
        }
    }

    /// <summary>What <see cref="SseParser"/> hands its item parser: the type and the data.</summary>
    private static async Task<List<Item>> ParseAsync(Stream body)
    {
        var items = new List<Item>();
        await foreach (var item in SseParser.Create(body, static (type, data) => new Item(type, Encoding.Latin1.GetString(data))).EnumerateAsync())
        {
            Assert.Equal(item.Data.Type, item.EventType); // the type the item parser gets is the item's
            items.Add(item.Data);
        }

        return items;
    }

    /// <summary>What <see cref="SseFrameReader"/> hands over, read as the client reads (until a size limit trips).</summary>
    private static (List<Item> Items, EventTooLargeException? Error) Frame(Stream body, int maxEventSize)
    {
        using var frames = new SseFrameReader(maxEventSize);
        var items = new List<Item>();
        try
        {
            while (true)
            {
                while (frames.TryNext(out var type, out var data))
                {
                    items.Add(new Item(type, Encoding.Latin1.GetString(data)));
                }

                if (frames.Eof)
                {
                    return (items, null);
                }

                frames.Advance(body.Read(frames.GetReadBuffer().Span));
            }
        }
        catch (EventTooLargeException ex)
        {
            return (items, ex);
        }
    }

    private static StreamContext Context(int maxEventSize = AgentOSClientOptions.DefaultMaxStreamEventSize)
        => new(EventScope.Agent, false, "POST", "/agents/echo-agent/runs", Timeout.InfiniteTimeSpan, TimeProvider.System, maxEventSize);

    private static HttpResponseMessage EventStreamResponse(Stream body) => EventStreamResponse(new StreamContent(body));

    private static HttpResponseMessage EventStreamResponse(HttpContent content)
    {
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content };
    }

    private static string Escape(string text)
        => text.Length > 80 ? Escape(text[..40]) + $"...({text.Length} chars)..." + Escape(text[^20..]) : text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A response content that records its disposal (the response's), over a body stream.</summary>
    private sealed class TrackedContent(Stream body) : HttpContent
    {
        public bool Disposed { get; private set; }

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(body);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => body.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// A body that returns at most <c>maxChunk</c> bytes a read, and never reads across a cut: the reads end at each
    /// cut position (and where the reader's buffer ends).
    /// </summary>
    private sealed class ChunkedStream(byte[] bytes, int maxChunk = int.MaxValue, int[]? cuts = null) : Stream
    {
        private int _pos;
        private int _cut;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _pos; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            while (cuts is not null && _cut < cuts.Length && cuts[_cut] <= _pos)
            {
                _cut++;
            }

            int end = cuts is not null && _cut < cuts.Length ? cuts[_cut] : bytes.Length;
            int n = Math.Min(Math.Min(buffer.Length, maxChunk), end - _pos);
            bytes.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<int>(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
