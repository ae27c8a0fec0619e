using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Agno.AgentOS.Hosting.Internal;
using BenchmarkDotNet.Attributes;

namespace Agno.Benchmarks.Micro;

/// <summary>
/// The request guard's own cost (<c>UseAgentOSRequestGuard</c>): one keep-alive connection's 64 pipelined requests as
/// agno's clients send them (a form-encoded run POST and a session list GET, alternating), read to the end straight from
/// the pipe (the floor: what Kestrel reads without the guard) and through the guard's reader. The difference divided by
/// 64 is what the guard adds to each request, before Kestrel's own parsing (which neither case does).
/// </summary>
[MemoryDiagnoser]
public class GuardBenchmarks
{
    /// <summary>Requests per connection.</summary>
    public const int Requests = 64;

    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        const string body = "message=hello%20world&stream=false&session_id=cb0cc367-022a-444d-8a5c-9a2c4735d9fb&user_id=user-1";
        var text = new StringBuilder();
        for (int i = 0; i < Requests / 2; i++)
        {
            text.Append("POST /agents/echo-agent/runs HTTP/1.1\r\nHost: 127.0.0.1:7777\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\n")
                .Append("User-Agent: python-httpx/0.28.1\r\nContent-Type: application/x-www-form-urlencoded\r\n")
                .Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n").Append(body);
            text.Append("GET /sessions?type=agent&limit=20&page=1 HTTP/1.1\r\nHost: 127.0.0.1:7777\r\nAccept: */*\r\n")
                .Append("Accept-Encoding: gzip, deflate\r\nUser-Agent: python-httpx/0.28.1\r\n\r\n");
        }

        _bytes = Encoding.ASCII.GetBytes(text.ToString());
    }

    [Benchmark(Baseline = true, Description = "64 requests: the pipe read as it is (floor)")]
    public async Task<long> Plain() => await ReadAllAsync(Fill());

    [Benchmark(Description = "64 requests: through the request guard")]
    public async Task<long> Guarded() => await ReadAllAsync(new GuardReader(Fill(), new RequestGuardFeature(), 32 * 1024, 128 * 1024));

    private PipeReader Fill()
    {
        _pipe.Writer.Write(_bytes);
        _pipe.Writer.Complete();
        return _pipe.Reader;
    }

    private async Task<long> ReadAllAsync(PipeReader reader)
    {
        long total = 0;
        while (true)
        {
            var read = await reader.ReadAsync();
            total += read.Buffer.Length;
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync();
        _pipe.Reset();
        return total;
    }
}
