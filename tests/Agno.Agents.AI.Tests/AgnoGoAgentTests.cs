using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>The Agent Framework AIAgent over an agno-go agent (the agno-go exchanges of Fixtures/agno-go).</summary>
public sealed class AgnoGoAgentTests
{
    [Fact]
    public async Task AgnoGo_agent_runs_in_a_session_made_on_the_server()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        var recorded = FixtureSet.AgnoGo.Get("031");
        // agno-go runs POST .../run with "stream": true (031) and POST .../run/stream with one handler (streamAgentRun,
        // agent_handlers.go:249-446); the client streams on /run/stream, so 031's answer is served there
        var body = JsonNode.Parse(recorded.RequestBody)!.AsObject();
        body.Remove("stream");
        var onStreamRoute = new RecordedExchange
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
        server.Serve("010");
        server.Serve(onStreamRoute, new ServeOptions());
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress, Dialect = AgentOSDialect.AgnoGo });

        var created = await client.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent", UserId = "user-1", SessionName = "Fixture session", Metadata = new JsonObject { ["topic"] = "demo" } });
        var agent = client.GetRemoteAgent("echo-agent").AsAIAgent();
        var session = agent.OpenSession(created.SessionId!);
        var message = new ChatMessage(ChatRole.User, [new TextContent("second turn"), new UriContent(new Uri("https://example.com/cat.png"), "image/*")]);

        var response = await agent.RunAsync([message], session);

        RequestAssert.Matches(FixtureSet.AgnoGo.Get("010"), server.Received[0]);
        RequestAssert.Matches(onStreamRoute, server.Last);
        Assert.Equal("Echo: second turn", response.Text);
        Assert.Equal(created.SessionId, session.SessionId);
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_agent_streams_the_words_and_fails_with_the_run_code()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("030", "035");
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress, Dialect = AgentOSDialect.AgnoGo });

        var updates = new List<AgentResponseUpdate>();
        await foreach (var u in client.GetRemoteAgent("echo-agent").AsAIAgent().RunStreamingAsync("hello world"))
        {
            updates.Add(u);
        }

        RequestAssert.Matches(FixtureSet.AgnoGo.Get("030"), server.Last);
        Assert.Equal("Echo: hello world", string.Concat(updates.Select(u => u.Text)));
        var failure = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.GetRemoteAgent("fail-agent").AsAIAgent().RunAsync("hi"));
        RequestAssert.Matches(FixtureSet.AgnoGo.Get("035"), server.Last);
        Assert.Equal("API_ERROR", failure.ErrorType);
    }
}
