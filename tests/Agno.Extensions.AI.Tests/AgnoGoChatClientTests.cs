using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Extensions.AI.Tests;

/// <summary>IChatClient over an agno-go agent (the agno-go exchanges of Fixtures/agno-go), unchanged above the client.</summary>
public sealed class AgnoGoChatClientTests
{
    private static AgentOSClient Client(ReplayServer server)
        => new(new AgentOSClientOptions { BaseAddress = server.BaseAddress, Dialect = AgentOSDialect.AgnoGo });

    private static string SessionId => JsonNode.Parse(FixtureSet.AgnoGo.Get("010").ResponseBody)!["session_id"]!.GetValue<string>();

    [Fact]
    public async Task AgnoGo_chat_streams_in_a_session_created_on_the_server()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("010");
        // agno-go streams POST .../run with "stream": true (fixture 031) and POST .../run/stream with one handler
        // (streamAgentRun, agent_handlers.go:249-446); the client uses /run/stream, so 031's answer is served there
        var recorded = FixtureSet.AgnoGo.Get("031");
        var onStreamRoute = OnStreamRoute(recorded);
        server.Serve(onStreamRoute, new ServeOptions());
        using var client = Client(server);

        var session = await client.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent", UserId = "user-1", SessionName = "Fixture session", Metadata = new JsonObject { ["topic"] = "demo" } });
        RequestAssert.Matches(FixtureSet.AgnoGo.Get("010"), server.Last);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var message = new ChatMessage(ChatRole.User, [new TextContent("second turn"), new UriContent(new Uri("https://example.com/cat.png"), "image/*")]);

        var updates = await chat.GetStreamingResponseAsync([message], new ChatOptions { ConversationId = session.SessionId }).ToListAsync();

        Assert.Equal(SessionId, session.SessionId);
        Assert.Equal("POST /api/v1/agents/echo-agent/run/stream", server.Last.ToString());
        RequestAssert.Matches(onStreamRoute, server.Last);
        var sent = JsonNode.Parse(server.Last.Body)!.AsObject();
        Assert.Equal("second turn", (string?)sent["input"]);
        Assert.Equal(SessionId, (string?)sent["session_id"]);
        Assert.Equal("image", (string?)sent["media"]![0]!["type"]);
        Assert.Equal("https://example.com/cat.png", (string?)sent["media"]![0]!["url"]);
        Assert.Equal("Echo: second turn", updates.Text());
        Assert.Equal(["Echo:", " second", " turn"], updates.Where(u => u.Contents.OfType<TextContent>().Any()).Select(u => u.Text));
        string runId = JsonNode.Parse(Encoding.UTF8.GetString(recorded.SseFrames()[0]).Split('\n')[1]["data: ".Length..])!["run_context_id"]!.GetValue<string>();
        Assert.All(updates, u =>
        {
            Assert.Equal(SessionId, u.ConversationId);
            Assert.Equal(runId, u.ResponseId);
            Assert.IsAssignableFrom<AgentOSEvent>(u.RawRepresentation);
        });
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is UsageContent); // agno-go streams no usage

        var response = updates.ToChatResponse();
        Assert.Equal("Echo: second turn", response.Text);
        Assert.Equal(SessionId, response.ConversationId);
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_chat_answers_in_a_session_with_usage()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("021");
        using var client = Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        var response = await chat.GetResponseAsync("first turn", new ChatOptions { ConversationId = SessionId });

        RequestAssert.Matches(FixtureSet.AgnoGo.Get("021"), server.Last);
        Assert.Equal("Echo: first turn", response.Text);
        Assert.Equal(SessionId, response.ConversationId);
        Assert.Equal((9L, 4L, 13L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task AgnoGo_chat_stream_failure_surfaces_the_run_failure_with_its_code()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("035");
        using var client = Client(server);
        using var chat = client.GetRemoteAgent("fail-agent").AsIChatClient();

        var error = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => chat.GetStreamingResponseAsync("hi").ToListAsync());

        RequestAssert.Matches(FixtureSet.AgnoGo.Get("035"), server.Last);
        Assert.Equal("API_ERROR", error.ErrorType);
    }

    [Fact]
    public async Task AgnoGo_agent_as_an_AIFunction_answers_and_continues_its_session()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("003", "021");
        using var client = Client(server);

        var tool = await client.GetRemoteAgent("echo-agent").AsAIFunctionAsync(); // described from agno-go's agent list
        var result = await tool.InvokeAsync(new AIFunctionArguments { ["input"] = "first turn", ["session_id"] = SessionId });

        Assert.Equal("GET /api/v1/agents", server.Received[0].ToString());
        RequestAssert.Matches(FixtureSet.AgnoGo.Get("021"), server.Last);
        Assert.Equal("echo-agent", tool.Name);
        var element = Assert.IsType<System.Text.Json.JsonElement>(result);
        Assert.Equal("Echo: first turn", element.GetProperty("content").GetString());
        Assert.Equal(SessionId, element.GetProperty("session_id").GetString());
    }

    private static RecordedExchange OnStreamRoute(RecordedExchange recorded)
    {
        var body = JsonNode.Parse(recorded.RequestBody)!.AsObject();
        body.Remove("stream");
        return new RecordedExchange
        {
            Name = recorded.Name + "-on-run-stream",
            Method = recorded.Method,
            Target = recorded.Path + "/stream",
            RequestHeaders = recorded.RequestHeaders,
            RequestBody = Encoding.UTF8.GetBytes(body.ToJsonString()),
            StatusCode = recorded.StatusCode,
            ResponseHeaders = recorded.ResponseHeaders,
            ResponseBody = recorded.ResponseBody,
        };
    }
}
