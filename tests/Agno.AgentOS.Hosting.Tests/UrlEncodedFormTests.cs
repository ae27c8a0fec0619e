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
