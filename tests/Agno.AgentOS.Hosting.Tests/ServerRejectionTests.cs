using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Agno.AgentOS.Hosting.Tests.Support;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// What Kestrel itself rejects while parsing a request head, over a raw socket: a request line or headers over its
/// limits get the host's <c>{"detail": ...}</c> answer (the host enforces the app's limits and raises Kestrel's),
/// at exactly Kestrel's boundaries; what Kestrel cannot parse is the request guard's (see RequestGuardTests).
/// </summary>
public sealed class ServerRejectionTests
{
    // Kestrel's defaults, the limits an app that configures nothing has
    private const int LineLimit = 8192;
    private const int HeadersLimit = 32 * 1024;
    private const int CountLimit = 100;

    [Fact]
    public async Task A_request_line_over_the_limit_is_a_414_with_a_detail_at_exactly_Kestrels_boundary()
    {
        await using var host = await StartAsync(answer: true);
        await using var plain = await StartAsync(answer: false);

        var atLimit = await SendAsync(host, Line(LineLimit));
        var over = await SendAsync(host, Line(LineLimit + 1));
        var plainAtLimit = await SendAsync(plain, Line(LineLimit));
        var plainOver = await SendAsync(plain, Line(LineLimit + 1));

        Assert.Equal((200, 200), (atLimit.Status, plainAtLimit.Status));
        Assert.Equal((414, 414), (over.Status, plainOver.Status));
        Assert.Equal("application/json", over.Header("Content-Type"));
        Assert.Equal("close", over.Header("Connection"));
        Assert.Equal("URI Too Long", JsonNode.Parse(over.Body)!["detail"]!.GetValue<string>());
        Assert.Equal(string.Empty, plainOver.Body); // Kestrel's own answer, which the option replaces
    }

    [Fact]
    public async Task Headers_over_the_total_size_or_count_are_a_431_with_a_detail_at_exactly_Kestrels_boundaries()
    {
        await using var host = await StartAsync(answer: true);
        await using var plain = await StartAsync(answer: false);

        var results = new List<(int Host, int Plain)>();
        string body = string.Empty;
        foreach (string request in new[] { HeadersOfSize(HeadersLimit), HeadersOfSize(HeadersLimit + 1), HeadersOfCount(CountLimit), HeadersOfCount(CountLimit + 1) })
        {
            var answer = await SendAsync(host, request);
            results.Add((answer.Status, (await SendAsync(plain, request)).Status));
            if (answer.Status == 431)
            {
                body = answer.Body;
                Assert.Equal("application/json", answer.Header("Content-Type"));
            }
        }

        Assert.Equal([(200, 200), (431, 431), (200, 200), (431, 431)], results);
        Assert.Equal("{\"detail\":\"Request Header Fields Too Large\"}", body);
    }

    [Fact]
    public async Task Limits_the_app_configures_for_Kestrel_are_the_ones_enforced()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(
            b =>
            {
                FixtureComponents.AddBasic(b);
                b.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestLineSize = 1000);
            });

        var atLimit = await SendAsync(host, Line(1000));
        var over = await SendAsync(host, Line(1001));

        Assert.Equal(200, atLimit.Status);
        Assert.Equal((414, "URI Too Long"), (over.Status, JsonNode.Parse(over.Body)!["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Over_http2_the_header_count_limit_stays_the_configured_one()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        FixtureComponents.AddBasic(builder.Services.AddAgentOS());
        await using var app = builder.Build();
        app.MapAgentOS();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address };

        using var few = await http.SendAsync(WithHeaders(50));
        using var many = await http.SendAsync(WithHeaders(CountLimit + 50)); // within Kestrel's raised limit, over the configured one

        Assert.Equal(HttpVersion.Version20, many.Version);
        Assert.Equal(200, (int)few.StatusCode);
        Assert.Equal(431, (int)many.StatusCode);
        Assert.Equal("{\"detail\":\"Request Header Fields Too Large\"}", await many.Content.ReadAsStringAsync());

        static HttpRequestMessage WithHeaders(int count)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "health") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            for (int i = 0; i < count; i++)
            {
                request.Headers.TryAddWithoutValidation($"x-h{i}", "v");
            }

            return request;
        }
    }

    [Fact]
    public async Task Beyond_the_headroom_Kestrel_answers_itself_and_what_it_cannot_parse_gets_the_guards_answers()
    {
        await using var host = await StartAsync(answer: true);

        var beyond = await SendAsync(host, Line((LineLimit * 4) + 1));
        var rawNul = await SendAsync(host, "GET /he\0alth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var encodedNul = await SendAsync(host, "GET /he%00alth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var withinHeadroom = await SendAsync(host, Line(LineLimit * 2));

        Assert.Equal((414, string.Empty), (beyond.Status, beyond.Body));
        Assert.Equal((400, "Invalid HTTP request received."), (rawNul.Status, rawNul.Body)); // the request guard's
        Assert.Equal((404, "{\"detail\":\"Not Found\"}"), (encodedNul.Status, encodedNul.Body));
        Assert.Equal(414, withinHeadroom.Status); // within the headroom: the host's answer
        Assert.Equal("{\"detail\":\"URI Too Long\"}", withinHeadroom.Body);
    }

    private static Task<EmbeddedAgentOS> StartAsync(bool answer)
        => EmbeddedAgentOS.StartAsync(FixtureComponents.AddBasic, o => o.AnswerRequestHeadLimits = answer);

    /// <summary>A request whose request line (with its CRLF) is <paramref name="length"/> bytes.</summary>
    private static string Line(int length)
    {
        const string Prefix = "GET /health?x=";
        const string Suffix = " HTTP/1.1\r\n";
        return Prefix + new string('a', length - Prefix.Length - Suffix.Length) + Suffix + "Host: x\r\nConnection: close\r\n\r\n";
    }

    /// <summary>A request whose header lines ("Name: value" CRLF each, not the final CRLF) add up to <paramref name="total"/> bytes.</summary>
    private static string HeadersOfSize(int total)
    {
        const string Fixed = "Host: x\r\nConnection: close\r\n";
        int padding = total - Fixed.Length - "X-Pad: \r\n".Length;
        return "GET /health HTTP/1.1\r\n" + Fixed + "X-Pad: " + new string('p', padding) + "\r\n\r\n";
    }

    /// <summary>A request with <paramref name="count"/> header lines.</summary>
    private static string HeadersOfCount(int count)
        => "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + string.Concat(Enumerable.Range(0, count - 2).Select(i => $"X-H{i}: v\r\n")) + "\r\n";

    private static async Task<RawAnswer> SendAsync(EmbeddedAgentOS host, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received); // every request says Connection: close, and rejections close too
        }
        catch (IOException)
        {
            // a reset after the answer
        }

        return RawAnswer.Parse(Encoding.Latin1.GetString(received.ToArray()));
    }

    private sealed record RawAnswer(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
    {
        public string? Header(string name)
            => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault() is { } v
                ? v.Split(';')[0].Trim()
                : null;

        public static RawAnswer Parse(string text)
        {
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(end > 0, $"no response head in: {text}");
            var lines = text[..end].Split("\r\n");
            int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
            string body = text[(end + 4)..];
            if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Item2 == "chunked"))
            {
                var decoded = new StringBuilder();
                int at = 0;
                while (true)
                {
                    int lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                    int size = Convert.ToInt32(body[at..lineEnd], 16);
                    if (size == 0)
                    {
                        break;
                    }

                    decoded.Append(body, lineEnd + 2, size);
                    at = lineEnd + 2 + size + 2;
                }

                body = decoded.ToString();
            }

            return new RawAnswer(status, headers, body);
        }
    }
}
