using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>The host's own reader of urlencoded run forms (linear in the body's size) decodes as ASP.NET's does.</summary>
public sealed class UrlEncodedFormTests
{
    [Fact]
    public async Task Plus_percent_escapes_utf8_repeated_and_valueless_fields_are_decoded()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var body = new StringContent("message=a+b%2Bc%C3%A9%25&stream=false&&session_id=first&session_id=second&flag&user_id=%zz", Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await http.PostAsync("agents/echo-agent/runs", body);
        var run = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Echo: a b+cé% (turn 1)", (string?)run["content"]);
        Assert.Equal("second", (string?)run["session_id"]); // the last of a repeated field, as before
        Assert.Equal("%zz", (string?)run["user_id"]); // a bad escape is kept as text
    }

    [Fact]
    public async Task A_message_of_megabytes_arrives_whole()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        string message = string.Concat(Enumerable.Repeat("0123456789+/=&é", 200_000)); // 3 MB of characters that all need escaping or decoding

        using var response = await http.PostAsync("agents/echo-agent/runs", new FormUrlEncodedContent([new("message", message), new("stream", "false")]));
        var run = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(message, (string?)run["input"]!["input_content"]);
    }

    [Fact]
    public async Task A_chunked_body_of_megabytes_without_a_declared_length_arrives_whole()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        string message = string.Concat(Enumerable.Repeat("ab+/=&%é😀 ", 300_000)); // the reader's buffer grows several times
        byte[] body = await new FormUrlEncodedContent([new("message", message), new("stream", "false"), new("session_id", "chunked")]).ReadAsByteArrayAsync();
        using var content = new UnsizedContent(body);

        using var response = await http.PostAsync("agents/echo-agent/runs", content);
        var run = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(message, (string?)run["input"]!["input_content"]);
        Assert.Equal("chunked", (string?)run["session_id"]);
    }

    /// <summary>A urlencoded body sent chunked: its length is not declared.</summary>
    private sealed class UnsizedContent : HttpContent
    {
        private readonly byte[] _body;

        public UnsizedContent(byte[] body)
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int i = 0; i < _body.Length; i += 100_000)
            {
                await stream.WriteAsync(_body.AsMemory(i, Math.Min(100_000, _body.Length - i)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task More_fields_than_the_limit_are_a_bad_request()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        string body = "message=hi&stream=false&" + string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=x"));

        using var response = await http.PostAsync("agents/echo-agent/runs", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("There was an error parsing the body", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
    }
}
