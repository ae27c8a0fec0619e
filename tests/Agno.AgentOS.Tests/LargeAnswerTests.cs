using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Non-streaming answers read from a raw loopback socket: bodies of several megabytes arrive byte-exact (multi-byte UTF-8
/// split across reads and chunks, escapes), with or without a declared length; a body that is cut short, or whose
/// declared length lies, is a typed error; identical large texts of one answer come back as one string.
/// </summary>
public sealed class LargeAnswerTests
{
    private static AgentOSClient Client(RawHttpServer server, Action<AgentOSClientOptions>? configure = null)
    {
        var options = new AgentOSClientOptions { BaseAddress = server.BaseAddress, Retry = { Enabled = false } };
        configure?.Invoke(options);
        return new AgentOSClient(options);
    }

    /// <summary>About <paramref name="chars"/> characters of text with 2-, 3- and 4-byte UTF-8 sequences, quotes, backslashes and newlines.</summary>
    private static string Text(int chars, int seed)
    {
        string[] words = ["Ünïcödé", "日本語のテキスト", "emoji 😀🚀", "\"quoted\"", "back\\slash", "tab\tand\nnewline", $"word{seed}", "Ελληνικά", "\u00e9t\u00e9"];
        var sb = new StringBuilder(chars + 32);
        for (int i = 0; sb.Length < chars; i++)
        {
            sb.Append(words[(i * 7 + seed) % words.Length]).Append(' ').Append(i % 1000).Append(' ');
        }

        return sb.ToString();
    }

    private static byte[] RunOutput(string content, string userText, string? inputText = null)
    {
        var node = new JsonObject
        {
            ["run_id"] = "r1",
            ["session_id"] = "s1",
            ["agent_id"] = "echo-agent",
            ["status"] = "COMPLETED",
            ["content"] = content,
            ["content_type"] = "str",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = userText },
                new JsonObject { ["role"] = "assistant", ["content"] = content }),
            ["input"] = new JsonObject { ["input_content"] = inputText ?? userText },
            ["an_unknown_field"] = new JsonObject { ["kept"] = true },
        };
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static async Task AnswerAsync(RawRequest r, byte[] body, bool chunked, int piece)
    {
        if (!chunked)
        {
            await r.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
            for (int i = 0; i < body.Length; i += piece)
            {
                await r.WriteAsync(body[i..Math.Min(i + piece, body.Length)]);
            }

            return;
        }

        await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < body.Length; i += piece)
        {
            await r.WriteChunkAsync(body[i..Math.Min(i + piece, body.Length)]);
        }

        await r.WriteAsync("0\r\n\r\n");
    }

    [Theory]
    [InlineData(false, 65_521)]
    [InlineData(true, 65_521)]
    [InlineData(true, 3_333)]
    public async Task A_multi_megabyte_answer_arrives_byte_exact_declared_or_chunked(bool chunked, int piece)
    {
        // pieces of an odd size: multi-byte sequences and escapes are split across reads and chunks
        string content = Text(3 * 1024 * 1024, 1);
        string user = Text(1024 * 1024, 2);
        byte[] body = RunOutput(content, user);
        await using var server = RawHttpServer.Start(async r => { await AnswerAsync(r, body, chunked, piece); return true; });
        using var client = Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello"));

        Assert.Equal(content, output.Content);
        Assert.Equal(user, output.Messages![0].Content);
        Assert.Equal(content, output.Messages[1].Content);
        Assert.Equal(user, output.Input!.Value.GetProperty("input_content").GetString());
        Assert.True(output.AdditionalProperties!["an_unknown_field"].GetProperty("kept").GetBoolean());
        Assert.Equal(RunStatus.Completed, output.Status);
    }

    [Fact]
    public async Task Identical_large_texts_of_one_answer_are_one_string_and_different_ones_stay_apart()
    {
        string content = Text(300 * 1024, 3);
        string same = new(content.AsSpan()); // equal, not the same instance
        string other = Text(300 * 1024, 4);
        // same length in UTF-8 as the content, one character different
        string near = content[..^1] + (content[^1] == 'x' ? 'y' : 'x');
        var node = JsonNode.Parse(RunOutput(content, other))!;
        node["messages"]!.AsArray().Add(new JsonObject { ["role"] = "assistant", ["content"] = near });
        node["messages"]!.AsArray().Add(new JsonObject { ["role"] = "assistant", ["content"] = same });
        byte[] body = Encoding.UTF8.GetBytes(node.ToJsonString());
        await using var server = RawHttpServer.Start(async r => { await AnswerAsync(r, body, chunked: false, 1 << 20); return true; });
        using var client = Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello"));

        var messages = output.Messages!;
        Assert.Equal(content, output.Content);
        Assert.Same(output.Content, messages[1].Content);
        Assert.Same(output.Content, messages[3].Content);
        Assert.Equal(other, messages[0].Content);
        Assert.Equal(near, messages[2].Content);
        Assert.NotEqual(output.Content, messages[2].Content);
    }

    [Fact]
    public async Task The_same_text_escaped_differently_decodes_equal()
    {
        string content = Text(200 * 1024, 5);
        var node = JsonNode.Parse(RunOutput(content, "hi"))!;
        string json = node.ToJsonString(); // the serializer escapes non-ASCII as \uXXXX by default
        // the assistant message's copy written with the characters themselves
        string literal = JsonSerializer.Serialize(content, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        int at = json.LastIndexOf(JsonSerializer.Serialize(content), StringComparison.Ordinal);
        json = json[..at] + literal + json[(at + JsonSerializer.Serialize(content).Length)..];
        byte[] body = Encoding.UTF8.GetBytes(json);
        await using var server = RawHttpServer.Start(async r => { await AnswerAsync(r, body, chunked: true, 40_000); return true; });
        using var client = Client(server);

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello"));

        Assert.Equal(content, output.Content);
        Assert.Equal(content, output.Messages![1].Content);
    }

    [Fact]
    public async Task Values_of_one_answer_survive_the_next_answers_read_into_the_same_buffers()
    {
        string first = Text(100 * 1024, 6);
        string second = Text(100 * 1024, 7);
        int call = 0;
        await using var server = RawHttpServer.Start(async r =>
        {
            string text = Interlocked.Increment(ref call) == 1 ? first : second;
            await AnswerAsync(r, RunOutput(text, text, inputText: text), chunked: call % 2 == 0, 8192);
            return true;
        });
        using var client = Client(server);

        var a = await client.RunAgentAsync("echo-agent", new RunRequest("one"));
        var b = await client.RunAgentAsync("echo-agent", new RunRequest("two"));

        Assert.Equal(first, a.Content);
        Assert.Equal(first, a.Input!.Value.GetProperty("input_content").GetString());
        Assert.True(a.AdditionalProperties!["an_unknown_field"].GetProperty("kept").GetBoolean());
        Assert.Equal(second, b.Content);
        Assert.Equal(second, b.Input!.Value.GetProperty("input_content").GetString());
    }

    [Fact]
    public async Task A_large_body_cut_before_its_declared_length_is_a_protocol_error()
    {
        byte[] body = RunOutput(Text(2 * 1024 * 1024, 8), "hi");
        await using var server = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
            await r.WriteAsync(body[..(body.Length / 2)]);
            return false; // closed after half of it
        });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello")));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("could not be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_cut_in_the_middle_is_a_protocol_error()
    {
        byte[] body = RunOutput(Text(1024 * 1024, 9), "hi");
        await using var server = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            await r.WriteChunkAsync(body[..(body.Length / 3)]);
            return false; // no last chunk
        });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello")));

        Assert.Contains("could not be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_length_shorter_than_the_json_gives_a_typed_malformed_json_error()
    {
        byte[] body = RunOutput(Text(200 * 1024, 10), "hi");
        await using var server = RawHttpServer.Start(async r =>
        {
            // the declared length stops in the middle of the document; the rest is left on the connection
            await r.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length - 1000}\r\n\r\n");
            await r.WriteAsync(body);
            return false;
        });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello")));

        Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.ResponseBodyExcerpt);
        Assert.StartsWith("{\"run_id\":\"r1\"", ex.ResponseBodyExcerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1000)] // the content declares more bytes than its stream has
    [InlineData(1000)] // the content's stream has more bytes than it declares
    public async Task A_content_whose_declared_length_lies_is_a_protocol_error(int missing)
    {
        byte[] body = RunOutput(Text(300 * 1024, 11), "hi");
        var handler = new LyingLengthHandler(body, body.Length - missing);
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = new Uri("http://agentos.test/"), Retry = { Enabled = false } }, new HttpClient(handler));

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello")));

        Assert.Contains(missing < 0 ? "declared bytes" : "longer than its Content-Length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_answer_with_a_declared_length_of_zero_is_a_typed_error()
    {
        await using var server = RawHttpServer.Start(async r =>
        {
            await r.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n");
            return true;
        });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello")));

        Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers with the body in a stream content whose Content-Length header says <c>declared</c>.</summary>
    private sealed class LyingLengthHandler(byte[] body, long declared) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new MemoryStream(body));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            content.Headers.ContentLength = declared;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
