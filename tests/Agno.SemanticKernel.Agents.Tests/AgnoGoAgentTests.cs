using Agno.AgentOS;
using Agno.Testing;
using Microsoft.SemanticKernel;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

/// <summary>The Semantic Kernel agent over an agno-go agent (the agno-go exchanges of Fixtures/agno-go).</summary>
public sealed class AgnoGoAgentTests
{
    [Fact]
    public async Task AgnoGo_sk_agent_streams_the_answer_and_invokes_with_the_exact_text()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.AgnoGo);
        server.Serve("030", "030");
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress, Dialect = AgentOSDialect.AgnoGo });
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var item in agent.InvokeStreamingAsync("hello world"))
        {
            chunks.Add(item.Message);
        }

        RequestAssert.Matches(FixtureSet.AgnoGo.Get("030"), server.Last);
        Assert.Equal("Echo: hello world", string.Concat(chunks.Select(c => c.Content)));

        var answers = new List<ChatMessageContent>();
        await foreach (var item in agent.InvokeAsync("hello world"))
        {
            answers.Add(item.Message);
        }

        RequestAssert.Matches(FixtureSet.AgnoGo.Get("030"), server.Last);
        Assert.Equal("Echo: hello world", Assert.Single(answers).Content);
    }
}
