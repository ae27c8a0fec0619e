using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.AgentOS.Internal;
using Agno.Benchmarks.Floor;
using Agno.Extensions.AI;
using Agno.Extensions.AI.Internal;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agno.Benchmarks.Micro;

/// <summary>Decoding: one RunContent event, the whole 1,005-event stream from memory, the non-streaming run output.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DecodeBenchmarks
{
    private readonly EventDecoderState _state = new();

    private readonly byte[] _runContent = Workloads.RunContentData;
    private readonly byte[] _stream = Workloads.StreamLong;
    private readonly byte[] _streamReal = Workloads.StreamReal;
    private readonly byte[] _realContent = Workloads.RealContentData;
    private readonly EventDecoderState _realState = new();
    private readonly (string Name, byte[] Data)[] _realOthers = Workloads.RealOtherEvents;
    private readonly byte[][] _realDeltas = Workloads.RealDeltas;
    private readonly byte[][] _realDeltasBare = [.. Workloads.RealDeltas.Select(WithoutProviderData)];

    private static byte[] WithoutProviderData(byte[] data)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(data)!.AsObject();
        node.Remove("model_provider_data");
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }
    private readonly byte[] _runOutput = Workloads.RunResponse;
    private AgentOSClient _client = null!;
    private AgentOSClient _smallClient = null!;
    private HttpClient _smallHttp = null!;
    private RawFloorClient _smallFloor = null!;
    private HttpClient _jsonHttp = null!;
    private AgentOSClient _jsonClient = null!;
    private RawFloorClient _jsonFloor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var http = new HttpClient(new InMemorySseHandler(_stream)) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://bench.local/") }, http);
        _smallHttp = new HttpClient(new InMemorySseHandler(Workloads.StreamSmall)) { Timeout = Timeout.InfiniteTimeSpan };
        _smallClient = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://bench.local/") }, _smallHttp);
        _smallFloor = new RawFloorClient(_smallHttp, new Uri("http://bench.local/"));
        _jsonHttp = new HttpClient(new InMemorySseHandler(Workloads.RunResponse, "application/json")) { Timeout = Timeout.InfiniteTimeSpan };
        _jsonClient = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://bench.local/") }, _jsonHttp);
        _jsonFloor = new RawFloorClient(_jsonHttp, new Uri("http://bench.local/"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _smallClient.Dispose();
        _smallHttp.Dispose();
        _jsonClient.Dispose();
        _jsonHttp.Dispose();
    }

    [Benchmark(Baseline = true, Description = "RunContent: floor (Utf8JsonReader)")]
    [BenchmarkCategory("RunContent")]
    public RawEvent RunContent_Floor() => RawDecoder.Decode("RunContent", _runContent);

    [Benchmark(Description = "RunContent: ours (EventDecoder, within a stream)")]
    [BenchmarkCategory("RunContent")]
    public AgentOSEvent RunContent_Ours() => EventDecoder.Decode("RunContent", _runContent, _state);

    [Benchmark(Description = "RunContent: ours (EventDecoder, a stream's first event)")]
    [BenchmarkCategory("RunContent")]
    public AgentOSEvent RunContent_OursFirst() => EventDecoder.Decode("RunContent", _runContent, new EventDecoderState());

    [Benchmark(Baseline = true, Description = "W5's RunContent (provider data): floor (Utf8JsonReader)")]
    [BenchmarkCategory("RealContent")]
    public RawEvent RealContent_Floor() => RawDecoder.Decode("RunContent", _realContent);

    [Benchmark(Description = "W5's RunContent (provider data): ours (EventDecoder, within a stream)")]
    [BenchmarkCategory("RealContent")]
    public AgentOSEvent RealContent_Ours() => EventDecoder.Decode("RunContent", _realContent, _realState);

    [Benchmark(Baseline = true, Description = "W5's 996 content deltas (no SSE): floor")]
    [BenchmarkCategory("RealDeltas")]
    public int RealDeltas_Floor() => DeltasFloor(_realDeltas);

    [Benchmark(Description = "W5's 996 content deltas (no SSE): ours (EventDecoder, one stream)")]
    [BenchmarkCategory("RealDeltas")]
    public int RealDeltas_Ours() => DeltasOurs(_realDeltas);

    [Benchmark(Baseline = true, Description = "W5's 996 content deltas without their provider data (no SSE): floor")]
    [BenchmarkCategory("RealDeltasBare")]
    public int RealDeltasBare_Floor() => DeltasFloor(_realDeltasBare);

    [Benchmark(Description = "W5's 996 content deltas without their provider data (no SSE): ours")]
    [BenchmarkCategory("RealDeltasBare")]
    public int RealDeltasBare_Ours() => DeltasOurs(_realDeltasBare);

    [Benchmark(Baseline = true, Description = "W5's 996 content deltas, each with its own name string as SseParser gives it: floor")]
    [BenchmarkCategory("RealDeltasNamed")]
    public int RealDeltasNamed_Floor()
    {
        int n = 0;
        foreach (var data in _realDeltas)
        {
            n += RawDecoder.Decode(new string("RunContent"), data).Content is null ? 0 : 1;
        }

        return n;
    }

    [Benchmark(Description = "W5's 996 content deltas, each with its own name string as SseParser gives it: ours")]
    [BenchmarkCategory("RealDeltasNamed")]
    public int RealDeltasNamed_Ours()
    {
        int n = 0;
        var state = new EventDecoderState();
        foreach (var data in _realDeltas)
        {
            n += EventDecoder.Decode(new string("RunContent"), data, state) is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    private static int DeltasFloor(byte[][] deltas)
    {
        int n = 0;
        foreach (var data in deltas)
        {
            n += RawDecoder.Decode("RunContent", data).Content is null ? 0 : 1;
        }

        return n;
    }

    private static int DeltasOurs(byte[][] deltas)
    {
        int n = 0;
        var state = new EventDecoderState();
        foreach (var data in deltas)
        {
            n += EventDecoder.Decode("RunContent", data, state) is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "W5's 9 events other than content deltas (tool calls, model request, completed run): floor")]
    [BenchmarkCategory("RealOthers")]
    public int RealOthers_Floor()
    {
        int n = 0;
        foreach (var (name, data) in _realOthers)
        {
            n += RawDecoder.Decode(name, data).Content is null ? 0 : 1;
        }

        return n;
    }

    [Benchmark(Description = "W5's 9 events other than content deltas (tool calls, model request, completed run): ours (EventDecoder, one stream)")]
    [BenchmarkCategory("RealOthers")]
    public int RealOthers_Ours()
    {
        int n = 0;
        var state = new EventDecoderState();
        foreach (var (name, data) in _realOthers)
        {
            n += EventDecoder.Decode(name, data, state) is RunCompletedEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "1,005 events: floor (SseParser + Utf8JsonReader)")]
    [BenchmarkCategory("Stream1000")]
    public async Task<int> Stream_Floor()
    {
        int n = 0;
        await foreach (var item in SseParser.Create(new MemoryStream(_stream, writable: false), RawDecoder.Parser).EnumerateAsync())
        {
            n += item.Data.Content is null ? 0 : 1;
        }

        return n;
    }

    [Benchmark(Description = "1,005 events: ours (SseParser + EventDecoder)")]
    [BenchmarkCategory("Stream1000")]
    public async Task<int> Stream_OursDecoder()
    {
        int n = 0;
        await foreach (var item in SseParser.Create(new MemoryStream(_stream, writable: false), new EventDecoderState().Parse).EnumerateAsync())
        {
            n += item.Data is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Description = "1,005 events: ours (EventStreamReader: + idle timer, terminal check)")]
    [BenchmarkCategory("Stream1000")]
    public async Task<int> Stream_OursReader()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_stream) };
        var context = new StreamContext(EventScope.Agent, RequireTerminal: true, "POST", "agents/echo-agent/runs", AgentOSClientOptions.DefaultStreamIdleTimeout, TimeProvider.System);
        int n = 0;
        await foreach (var e in EventStreamReader.ReadAsync(response, context, NullLogger.Instance, CancellationToken.None))
        {
            n += e is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Description = "1,005 events: ours (AgentOSClient over an in-memory handler)")]
    [BenchmarkCategory("Stream1000")]
    public async Task<int> Stream_OursClient()
    {
        int n = 0;
        await foreach (var e in _client.RunAgentStreamingAsync(Workloads.AgentId, new RunRequest(Workloads.W2Message)))
        {
            n += e is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "W5's 1,005 events (real model fields): floor (SseParser + Utf8JsonReader)")]
    [BenchmarkCategory("StreamReal")]
    public async Task<int> StreamReal_Floor()
    {
        int n = 0;
        await foreach (var item in SseParser.Create(new MemoryStream(_streamReal, writable: false), RawDecoder.Parser).EnumerateAsync())
        {
            n += item.Data.Content is null ? 0 : 1;
        }

        return n;
    }

    [Benchmark(Description = "W5's 1,005 events (real model fields): ours (SseParser + EventDecoder)")]
    [BenchmarkCategory("StreamReal")]
    public async Task<int> StreamReal_OursDecoder()
    {
        int n = 0;
        await foreach (var item in SseParser.Create(new MemoryStream(_streamReal, writable: false), new EventDecoderState().Parse).EnumerateAsync())
        {
            n += item.Data is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Description = "W5's 1,005 events (real model fields): ours (EventStreamReader)")]
    [BenchmarkCategory("StreamReal")]
    public async Task<int> StreamReal_OursReader()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_streamReal) };
        var context = new StreamContext(EventScope.Agent, RequireTerminal: true, "POST", "agents/echo-agent/runs", AgentOSClientOptions.DefaultStreamIdleTimeout, TimeProvider.System);
        int n = 0;
        await foreach (var e in EventStreamReader.ReadAsync(response, context, NullLogger.Instance, CancellationToken.None))
        {
            n += e is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "11-event run: floor (HttpClient + SseParser + Utf8JsonReader, in-memory handler)")]
    [BenchmarkCategory("SmallRun")]
    public async Task<int> SmallRun_Floor()
    {
        int n = 0;
        await foreach (var e in _smallFloor.StreamAsync(Workloads.W3Message))
        {
            n++;
        }

        return n;
    }

    [Benchmark(Description = "11-event run: ours (AgentOSClient, in-memory handler)")]
    [BenchmarkCategory("SmallRun")]
    public async Task<int> SmallRun_Ours()
    {
        int n = 0;
        await foreach (var e in _smallClient.RunAgentStreamingAsync(Workloads.AgentId, new RunRequest(Workloads.W3Message)))
        {
            n++;
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "1,005 events, one per asynchronous read: floor")]
    [BenchmarkCategory("Stream1000Async")]
    public async Task<int> StreamAsync_Floor()
    {
        int n = 0;
        await foreach (var item in SseParser.Create(new OneEventPerReadStream(Workloads.StreamLongFrames), RawDecoder.Parser).EnumerateAsync())
        {
            n += item.Data.Content is null ? 0 : 1;
        }

        return n;
    }

    [Benchmark(Description = "1,005 events, one per asynchronous read: ours (EventStreamReader)")]
    [BenchmarkCategory("Stream1000Async")]
    public async Task<int> StreamAsync_OursReader()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new OneEventPerReadStream(Workloads.StreamLongFrames)) };
        var context = new StreamContext(EventScope.Agent, RequireTerminal: true, "POST", "agents/echo-agent/runs", AgentOSClientOptions.DefaultStreamIdleTimeout, TimeProvider.System);
        int n = 0;
        await foreach (var e in EventStreamReader.ReadAsync(response, context, NullLogger.Instance, CancellationToken.None))
        {
            n += e is RunContentEvent ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "non-streaming run: floor (HttpClient + Utf8JsonReader, in-memory handler)")]
    [BenchmarkCategory("Run")]
    public async Task<string?> Run_Floor() => (await _jsonFloor.RunAsync(Workloads.W1Message)).Content;

    [Benchmark(Description = "non-streaming run: ours (AgentOSClient.RunAgentAsync, in-memory handler)")]
    [BenchmarkCategory("Run")]
    public async Task<string?> Run_Ours() => (await _jsonClient.RunAgentAsync(Workloads.AgentId, new RunRequest(Workloads.W1Message))).Content;

    [Benchmark(Baseline = true, Description = "run output: floor (Utf8JsonReader, 5 fields)")]
    [BenchmarkCategory("RunOutput")]
    public RawRunOutput RunOutput_Floor() => RawDecoder.DecodeRunOutput(_runOutput);

    [Benchmark(Description = "run output: ours (AgentRunOutput, every field)")]
    [BenchmarkCategory("RunOutput")]
    public AgentRunOutput? RunOutput_Ours() => JsonSerializer.Deserialize(_runOutput, AgentOSJsonContext.Default.AgentRunOutput);

    [Benchmark(Description = "run output: ours (RunOutputReader, every field, what RunAgentAsync decodes by)")]
    [BenchmarkCategory("RunOutput")]
    public AgentRunOutput? RunOutput_OursReader() => RunOutputReader.TryReadAgent(_runOutput);
}

/// <summary>Encoding a run request: urlencoded form and multipart (one 1 KB file).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EncodeBenchmarks
{
    private static readonly byte[] File1K = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
    private RunRequest _form = null!;
    private RunRequest _multipart = null!;

    [GlobalSetup]
    public void Setup()
    {
        _form = new RunRequest("hello world") { SessionId = "cb0cc367-022a-444d-8a5c-9a2c4735d9fb", UserId = "user-1", Metadata = new JsonObject { ["source"] = "bench" } };
        _multipart = new RunRequest("hello world") { SessionId = "cb0cc367-022a-444d-8a5c-9a2c4735d9fb", UserId = "user-1" };
        _multipart.Files.Add(new FileUpload("notes.txt", "text/plain", File1K));
    }

    [Benchmark(Baseline = true, Description = "form: floor (FormUrlEncodedContent)")]
    [BenchmarkCategory("Form")]
    public async Task<long> Form_Floor()
    {
        using var content = new FormUrlEncodedContent(
        [
            new("message", "hello world"), new("stream", "true"), new("session_id", "cb0cc367-022a-444d-8a5c-9a2c4735d9fb"),
            new("user_id", "user-1"), new("metadata", "{\"source\":\"bench\"}"),
        ]);
        return await Drain(content);
    }

    [Benchmark(Description = "form: ours (FormEncoder.EncodeRun)")]
    [BenchmarkCategory("Form")]
    public async Task<long> Form_Ours()
    {
        using var content = FormEncoder.EncodeRun(_form, stream: true, background: false);
        return await Drain(content);
    }

    [Benchmark(Baseline = true, Description = "multipart: floor (MultipartFormDataContent)")]
    [BenchmarkCategory("Multipart")]
    public async Task<long> Multipart_Floor()
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in new[] { ("message", "hello world"), ("stream", "true"), ("session_id", "cb0cc367-022a-444d-8a5c-9a2c4735d9fb"), ("user_id", "user-1") })
        {
            var part = new StringContent(value);
            part.Headers.ContentType = null;
            content.Add(part, name);
        }

        var file = new ByteArrayContent(File1K);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        content.Add(file, "files", "notes.txt");
        return await Drain(content);
    }

    [Benchmark(Description = "multipart: ours (FormEncoder.EncodeRun)")]
    [BenchmarkCategory("Multipart")]
    public async Task<long> Multipart_Ours()
    {
        using var content = FormEncoder.EncodeRun(_multipart, stream: true, background: false);
        return await Drain(content);
    }

    private static async Task<long> Drain(HttpContent content)
    {
        var sink = new CountingStream();
        await content.CopyToAsync(sink);
        return sink.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}

/// <summary>The Microsoft.Extensions.AI streaming mapping: one RunContent event to one ChatResponseUpdate, and a whole stream through IChatClient.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ChatMappingBenchmarks
{
    private RunContentEvent _event = null!;
    private AgnoStreamingMapper _mapper = null!;
    private AgentOSClient _client = null!;
    private IChatClient _chat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _event = (RunContentEvent)EventDecoder.Decode("RunContent", Workloads.RunContentData);
        _mapper = new AgnoStreamingMapper(AgentOSComponentKind.Agent, EventScope.Agent, runId: null, sessionId: null, includeActivity: false, answerAlreadyStreamed: false);
        var http = new HttpClient(new InMemorySseHandler(Workloads.StreamLong)) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://bench.local/") }, http);
        _chat = _client.GetRemoteAgent(Workloads.AgentId).AsIChatClient();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _chat.Dispose();
        _client.Dispose();
    }

    [Benchmark(Description = "map one RunContent event (AgnoStreamingMapper)")]
    [BenchmarkCategory("Map")]
    public ChatResponseUpdate? Map_RunContent() => _mapper.Map(_event);

    [Benchmark(Description = "1,005 events through IChatClient.GetStreamingResponseAsync (in-memory handler)")]
    [BenchmarkCategory("ChatStream")]
    public async Task<int> ChatClient_Stream1000()
    {
        int n = 0;
        await foreach (var update in _chat.GetStreamingResponseAsync(Workloads.W2Message))
        {
            n += update.Contents.Count;
        }

        return n;
    }
}

/// <summary>A stream that returns one SSE frame per read, each read completing asynchronously (as a socket does when every event is its own chunk).</summary>
internal sealed class OneEventPerReadStream(byte[][] frames) : Stream
{
    private int _next;
    private int _offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        if (_next == frames.Length)
        {
            return 0;
        }

        var rest = frames[_next].AsSpan(_offset);
        int n = Math.Min(rest.Length, buffer.Length);
        rest[..n].CopyTo(buffer.Span);
        _offset += n;
        if (_offset == frames[_next].Length)
        {
            _next++;
            _offset = 0;
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>An HttpMessageHandler that answers every request with the same SSE body from memory.</summary>
internal sealed class InMemorySseHandler(byte[] body, string mediaType = "text/event-stream") : HttpMessageHandler
{
    private readonly MediaTypeHeaderValue _contentType = new(mediaType);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body), RequestMessage = request };
        response.Content.Headers.ContentType = _contentType;
        return response;
    }
}
