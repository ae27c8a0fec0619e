using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Testing;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// <see cref="AgentOSListenOptionsExtensions.UseAgentOSRequestGuard"/> over raw loopback sockets: what Kestrel rejects
/// before any middleware gets agno's answers, and everything else passes through exactly as without the guard.
/// </summary>
public sealed class RequestGuardTests
{
    private const string Invalid = "Invalid HTTP request received.";

    [Fact]
    public async Task A_path_with_an_encoded_NUL_reaches_the_app_decoded_and_gets_its_404()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic);

        var answers = await SendAsync(host.BaseAddress, "GET /he%00alth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        var answer = Assert.Single(answers);
        Assert.Equal(404, answer.Status);
        Assert.Equal("application/json", answer.Header("Content-Type"));
        Assert.Equal("{\"detail\":\"Not Found\"}", answer.Body);
    }

    [Fact]
    public async Task An_agent_id_of_NUL_gets_the_routes_own_not_found_answer()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic);

        var answers = await SendAsync(host.BaseAddress, "GET /agents/%00 HTTP/1.1\r\nHost: x\r\n\r\nGET /agents/no-such-agent HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal(2, answers.Count);
        Assert.Equal(404, answers[0].Status);
        Assert.Equal((answers[1].Status, answers[1].Body), (answers[0].Status, answers[0].Body));
        Assert.Equal("Agent not found", JsonNode.Parse(answers[0].Body)!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET /he\0alth HTTP/1.1")] // a raw NUL (Kestrel: empty 400)
    [InlineData("GET /health HTTP/1.2")] // an unknown version (Kestrel: empty 505)
    [InlineData("GET /health HTTP/5.6")]
    [InlineData("GET /health http/1.1")]
    [InlineData("GET /health HTTP/1.1 ")] // a space after the version (Kestrel: empty 400)
    [InlineData("GET  /health HTTP/1.1")] // two spaces before the target
    [InlineData("G@T /health HTTP/1.1")] // a method that is not a token
    [InlineData("GET /h\u00e9alth HTTP/1.1")] // a non-ASCII byte in the target
    [InlineData("GET health HTTP/1.1")] // an authority-form target without CONNECT (Kestrel: empty 405)
    public async Task A_request_line_Kestrel_cannot_take_gets_uvicorns_400_and_the_connection_closes(string line)
    {
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic);

        var answers = await SendAsync(host.BaseAddress, line + "\r\nHost: x\r\n\r\n");

        var answer = Assert.Single(answers);
        Assert.Equal(400, answer.Status);
        Assert.Equal("text/plain", answer.Header("Content-Type"));
        Assert.Equal("close", answer.Header("Connection"));
        Assert.Equal(Invalid, answer.Body);
    }

    [Fact]
    public async Task A_malformed_request_pipelined_after_good_ones_is_answered_after_them()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic);

        var answers = await SendAsync(
            host.BaseAddress,
            "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /he%00alth HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/9.9\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal([200, 404, 200, 400], answers.Select(a => a.Status));
        Assert.Equal(Invalid, answers[3].Body); // and nothing after it: the connection closed
    }

    [Fact]
    public async Task A_huge_request_line_still_gets_the_414_detail()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic);

        var answers = await SendAsync(host.BaseAddress, "GET /health?x=" + new string('a', 8192 * 2) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        var answer = Assert.Single(answers);
        Assert.Equal((414, "{\"detail\":\"URI Too Long\"}"), (answer.Status, answer.Body));
    }

    /// <summary>Keep-alive and pipelined requests with Content-Length and chunked bodies (holding request-line look-alikes).</summary>
    private static readonly string Sequence = string.Concat(
        "POST /echo?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 36\r\n\r\nGET /%00 HTTP/9.9\r\nHost: \0 body text",
        "\r\n", // an empty line between requests, which Kestrel skips
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nGET /\r\n14\r\n%00 HTTP/1.1\r\n\r\n\0\0\0\0\r\n0\r\nX-Trailer: t\r\n\r\n",
        "PUT /echo/%E2%82%AC/a/../b%2Fc HTTP/1.1\r\nHost: x\r\ncontent-length:3\r\n\r\nabc",
        "GET /echo/x%00y/%2e%2e/z?q=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        "DELETE /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET /echo/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    [Fact]
    public async Task Keep_alive_and_pipelined_requests_with_bodies_reach_the_app_byte_exact()
    {
        await using var guarded = await EchoServer.StartAsync(guard: true);
        await using var plain = await EchoServer.StartAsync(guard: false);

        var withGuard = await SendAsync(guarded.Address, Sequence);
        var without = await SendAsync(plain.Address, Sequence.Replace("GET /echo/x%00y", "GET /echo/x%2500y", StringComparison.Ordinal));

        Assert.Equal(
            [
                "POST /echo?a=1 /echo 36:GET /%00 HTTP/9.9\r\nHost: \0 body text",
                "POST /echo /echo 25:GET /%00 HTTP/1.1\r\n\r\n\0\0\0\0",
                "PUT /echo/%E2%82%AC/a/../b%2Fc /echo/\\u20ac/b%2Fc 3:abc",
                "GET /echo/x%00y/%2e%2e/z?q=%00 /echo/z 0:",
                "DELETE /echo /echo 0:",
                "GET /echo/last /echo/last 0:",
            ],
            withGuard.Select(a => a.Body));
        Assert.All(withGuard, a => Assert.Equal(200, a.Status));

        // without the guard the same bytes (less the NUL path Kestrel rejects) get the same answers
        Assert.Equal(withGuard.Count, without.Count);
        for (int i = 0; i < withGuard.Count; i++)
        {
            if (i != 3)
            {
                Assert.Equal(withGuard[i].Body, without[i].Body);
            }
        }
    }

    [Fact]
    public async Task Requests_split_across_many_small_writes_are_followed_as_one_stream()
    {
        await using var guarded = await EchoServer.StartAsync(guard: true);
        await using var plain = await EchoServer.StartAsync(guard: true);
        var whole = await SendAsync(plain.Address, Sequence);

        var split = await SendAsync(guarded.Address, Sequence, chunk: 3);

        Assert.Equal(whole.Select(a => (a.Status, a.Body)), split.Select(a => (a.Status, a.Body)));
        Assert.Equal(6, split.Count);
    }

    [Fact]
    public async Task A_malformed_request_line_sent_a_byte_at_a_time_gets_the_400()
    {
        await using var guarded = await EchoServer.StartAsync(guard: true);

        var answers = await SendAsync(guarded.Address, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.2\r\nHost: x\r\n\r\n", chunk: 1);

        Assert.Equal([(200, "GET /echo /echo 0:"), (400, Invalid)], answers.Select(a => (a.Status, a.Body)));
    }

    [Fact]
    public async Task Without_the_guard_Kestrel_answers_these_with_an_empty_body()
    {
        await using var plain = await EchoServer.StartAsync(guard: false);

        var nul = await SendAsync(plain.Address, "GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        var version = await SendAsync(plain.Address, "GET /a HTTP/1.2\r\nHost: x\r\n\r\n");

        Assert.Equal((400, string.Empty), (nul.Single().Status, nul.Single().Body));
        Assert.Equal((505, string.Empty), (version.Single().Status, version.Single().Body));
    }

    [Fact]
    public void A_decoded_path_follows_Kestrels_decoding_with_NUL_allowed()
    {
        Assert.Equal("/a\0b", Internal.RequestLine.DecodePath("/a%00b"));
        Assert.Equal("/\u20ac/%2F/%C0%80/%zz/%", Internal.RequestLine.DecodePath("/%E2%82%AC/%2F/%C0%80/%zz/%"));
        Assert.Equal("/b/", Internal.RequestLine.DecodePath("/a/%2E%2E/b/."));
        Assert.Equal("/", Internal.RequestLine.DecodePath("/.."));
        Assert.Equal("/a//b/..c", Internal.RequestLine.DecodePath("/a//b/..c"));
    }

    private static async Task<List<RawAnswer>> SendAsync(Uri address, string request, int chunk = 0)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var bytes = Encoding.Latin1.GetBytes(request);
        if (chunk <= 0)
        {
            await stream.WriteAsync(bytes);
        }
        else
        {
            for (int at = 0; at < bytes.Length; at += chunk)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at)));
                await stream.FlushAsync();
            }
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received); // every sequence ends with Connection: close or a rejection
        }
        catch (IOException)
        {
            // a reset after the answers
        }

        return RawAnswer.ParseAll(Encoding.Latin1.GetString(received.ToArray()));
    }

    private sealed record RawAnswer(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
    {
        public string? Header(string name)
            => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault() is { } v
                ? v.Split(';')[0].Trim()
                : null;

        public static List<RawAnswer> ParseAll(string text)
        {
            var answers = new List<RawAnswer>();
            int at = 0;
            while (at < text.Length)
            {
                int end = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
                Assert.True(end > 0, $"no response head in: {text[at..]}");
                var lines = text[at..end].Split("\r\n");
                int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
                at = end + 4;
                var body = new StringBuilder();
                if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
                {
                    while (true)
                    {
                        int lineEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
                        int size = Convert.ToInt32(text[at..lineEnd], 16);
                        at = lineEnd + 2 + size + 2;
                        if (size == 0)
                        {
                            break;
                        }

                        body.Append(text, lineEnd + 2, size);
                    }
                }
                else
                {
                    int length = headers.Where(h => h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Item2, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    body.Append(text, at, length);
                    at += length;
                }

                answers.Add(new RawAnswer(status, headers, body.ToString()));
            }

            return answers;
        }
    }

    /// <summary>A Kestrel app answering each request with its method, raw target, path and body, as the app received them.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EchoServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<EchoServer> StartAsync(bool guard)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
            {
                if (guard)
                {
                    l.UseAgentOSRequestGuard();
                }
            }));
            builder.Services.AddAgentOS(); // its pipeline restores a NUL path
            var app = builder.Build();
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                string raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
                string text = $"{context.Request.Method} {raw} {string.Concat(context.Request.Path.Value!.Select(c => c > 0xFF ? $"\\u{(int)c:x4}" : c.ToString()))} {body.Length}:{Encoding.Latin1.GetString(body.ToArray())}";
                var bytes = Encoding.Latin1.GetBytes(text);
                context.Response.ContentLength = bytes.Length;
                context.Response.ContentType = "text/plain; charset=iso-8859-1";
                await context.Response.Body.WriteAsync(bytes);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EchoServer(app, new Uri(address));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
