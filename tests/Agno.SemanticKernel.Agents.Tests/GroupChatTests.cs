using Agno.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.Agents.Chat;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

/// <summary>A remote agent and a local scripted agent in one <see cref="AgentGroupChat"/>.</summary>
public sealed class GroupChatTests
{
    private static (AgentGroupChat Chat, ScriptedChatClient WriterModel, Agent Reviewer) NewChat(FakeAgentOS os, Agent? reviewer = null)
    {
        var writerModel = new ScriptedChatClient("Draft A", "Draft B", "Draft C");
        var writer = writerModel.CreateAgent("Writer");
        reviewer ??= os.Client.GetRemoteAgent("reviewer").AsSemanticKernelAgentAsync().GetAwaiter().GetResult();
        var chat = new AgentGroupChat(writer, reviewer)
        {
            ExecutionSettings = new AgentGroupChatSettings
            {
                SelectionStrategy = new SequentialSelectionStrategy(),
                TerminationStrategy = new RegexTerminationStrategy("APPROVED") { Agents = [reviewer], MaximumIterations = 10 },
            },
        };
        chat.AddChatMessage(new ChatMessageContent(AuthorRole.User, "Write a slogan"));
        return (chat, writerModel, reviewer);
    }

    private static FakeAgentOS Reviewing(FakeAgentOS os)
        => os.AddAgent("reviewer", "Reviewer", "Reviews drafts.", t => t.Turn < 2 ? "Needs work" : "APPROVED");

    [Fact]
    public async Task The_remote_agent_gets_the_new_messages_of_the_group_with_their_authors_on_its_turn()
    {
        await using var os = Reviewing(await FakeAgentOS.StartAsync());
        var (chat, writerModel, _) = NewChat(os);

        var messages = await chat.InvokeAsync().ToListAsync();

        Assert.Equal(
            [("Writer", "Draft A"), ("Reviewer", "Needs work"), ("Writer", "Draft B"), ("Reviewer", "APPROVED")],
            messages.Select(m => (m.AuthorName, m.Content)));
        Assert.True(chat.IsComplete);

        var runs = os.RunsOf("reviewer");
        Assert.Equal(2, runs.Count);
        Assert.Equal("user: Write a slogan\n\nWriter: Draft A", runs[0].Message);
        Assert.Null(runs[0].SentSessionId);
        Assert.Equal("Writer: Draft B", runs[1].Message); // only what is new since its last turn
        Assert.Equal(runs[0].SessionId, runs[1].SentSessionId);

        // The local agent heard the remote one, as an assistant message with its name.
        var heard = writerModel.Calls[1].Messages.Single(m => m.AuthorName == "Reviewer");
        Assert.Equal((ChatRole.Assistant, "Needs work"), (heard.Role, heard.Text));
    }

    [Fact]
    public async Task Streaming_group_chat_streams_the_remote_agent_and_records_its_complete_messages()
    {
        await using var os = Reviewing(await FakeAgentOS.StartAsync());
        var (chat, _, _) = NewChat(os);

        var chunks = await chat.InvokeStreamingAsync().ToListAsync();
        var history = (await chat.GetChatMessagesAsync().ToListAsync()).AsEnumerable().Reverse().ToList();

        Assert.Equal(["Needs ", "work", "APPROVED"], chunks.Where(c => c.AuthorName == "Reviewer").Select(c => c.Content));
        Assert.Equal(
            [("user", null, "Write a slogan"), ("assistant", "Writer", "Draft A"), ("assistant", "Reviewer", "Needs work"), ("assistant", "Writer", "Draft B"), ("assistant", "Reviewer", "APPROVED")],
            history.Select(m => (m.Role.Label, m.AuthorName, m.Content)));
        Assert.Equal(["user: Write a slogan\n\nWriter: Draft A", "Writer: Draft B"], os.RunsOf("reviewer").Select(r => r.Message));
    }

    [Fact]
    public async Task The_remote_agents_channel_history_holds_what_it_heard_and_said()
    {
        await using var os = Reviewing(await FakeAgentOS.StartAsync());
        var (chat, _, reviewer) = NewChat(os);

        await chat.InvokeAsync().ToListAsync();
        var channelHistory = await chat.GetChatMessagesAsync(reviewer).ToListAsync();

        Assert.Equal(
            ["APPROVED", "Draft B", "Needs work", "Draft A", "Write a slogan"],
            channelHistory.Select(m => m.Content)); // newest first, as SK channels report history
    }

    [Fact]
    public async Task Resetting_the_chat_deletes_the_remote_session()
    {
        await using var os = Reviewing(await FakeAgentOS.StartAsync());
        var (chat, _, _) = NewChat(os);
        await chat.InvokeAsync().ToListAsync();

        await chat.ResetAsync();

        Assert.Equal([os.RunsOf("reviewer")[0].SessionId], os.DeletedSessions);
    }

    [Fact]
    public async Task Resetting_the_chat_deletes_the_remote_session_with_the_agents_request_options()
    {
        await using var os = Reviewing(await FakeAgentOS.StartAsync());
        var reviewer = await os.Client.GetRemoteAgent("reviewer").AsSemanticKernelAgentAsync(new AgentOSAgentOptions { RequestOptions = new() { ApiKey = "end-user-token" } });
        var (chat, _, _) = NewChat(os, reviewer);
        await chat.InvokeAsync().ToListAsync();

        await chat.ResetAsync();

        var delete = Assert.Single(os.RequestHeaders, r => r.Request.StartsWith("DELETE ", StringComparison.Ordinal));
        Assert.Equal($"DELETE /sessions/{os.RunsOf("reviewer")[0].SessionId}", delete.Request);
        Assert.Equal("Bearer end-user-token", delete.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_serialized_chat_resumes_the_remote_session()
    {
        await using var os = Reviewing(await FakeAgentOS.StartAsync());
        var (chat, _, reviewer) = NewChat(os);
        await chat.InvokeAsync(chat.Agents[0]).ToListAsync();
        await chat.InvokeAsync(reviewer).ToListAsync();
        using var state = new MemoryStream();
        await AgentChatSerializer.SerializeAsync(chat, state);
        state.Position = 0;

        var (restored, _, restoredReviewer) = NewChat(os, await os.Client.GetRemoteAgent("reviewer").AsSemanticKernelAgentAsync());
        await restored.ResetAsync(); // drop the new chat's opening message: the restored history replaces it
        await (await AgentChatSerializer.DeserializeAsync(state)).DeserializeAsync(restored);
        await restored.InvokeAsync(restored.Agents[0]).ToListAsync();
        var last = await restored.InvokeAsync(restoredReviewer).ToListAsync();

        var runs = os.RunsOf("reviewer");
        Assert.Equal(2, runs.Count);
        Assert.Equal(runs[0].SessionId, runs[1].SentSessionId);
        Assert.Equal("Writer: Draft A", runs[1].Message); // the restored chat's writer starts its script again
        Assert.Equal("APPROVED", Assert.Single(last).Content);
    }
}
