using Agno.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.Agents.Orchestration;
using Microsoft.SemanticKernel.Agents.Orchestration.Concurrent;
using Microsoft.SemanticKernel.Agents.Orchestration.GroupChat;
using Microsoft.SemanticKernel.Agents.Orchestration.Handoff;
using Microsoft.SemanticKernel.Agents.Orchestration.Sequential;
using Microsoft.SemanticKernel.Agents.Runtime.InProcess;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

/// <summary>
/// Remote agents (served by <see cref="FakeAgentOS"/>) with local scripted agents in each SK orchestration.
/// The orchestrations take an agent's result from <see cref="AgentInvokeOptions.OnIntermediateMessage"/> only,
/// so these tests fail if a remote agent does not report its answer there.
/// </summary>
public sealed class OrchestrationTests
{
    private sealed class Spoken
    {
        private readonly List<ChatMessageContent> _messages = [];
        private readonly List<(string? Author, string Text)> _streamed = [];

        public OrchestrationResponseCallback Callback => m =>
        {
            lock (_messages)
            {
                _messages.Add(m);
            }

            return ValueTask.CompletedTask;
        };

        public OrchestrationStreamingCallback StreamingCallback => (chunk, _) =>
        {
            lock (_streamed)
            {
                _streamed.Add((chunk.AuthorName, chunk.Content ?? string.Empty));
            }

            return ValueTask.CompletedTask;
        };

        public IReadOnlyList<ChatMessageContent> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public IReadOnlyList<(string? Author, string Text)> Streamed
        {
            get
            {
                lock (_streamed)
                {
                    return [.. _streamed];
                }
            }
        }
    }

    private static async Task<TOutput> RunAsync<TOutput>(AgentOrchestration<string, TOutput> orchestration, string input)
    {
        await using var runtime = new InProcessRuntime();
        await runtime.StartAsync();
        var result = await orchestration.InvokeAsync(input, runtime);
        var value = await result.GetValueAsync(TestHelpers.Patience);
        await runtime.RunUntilIdleAsync();
        return value;
    }

    private static async Task<FakeAgentOS> StartAsync()
    {
        var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Repeats what it is told.", t => $"Echo: {t.Message}");
        os.AddAgent("reviewer", "Reviewer", "Reviews drafts.", t => $"Review {t.Turn}");
        os.AddTeam("crew", "Crew", "A team of researchers.", t => $"Crew found {t.Message}");
        os.AddWorkflow("flow", "Flow", "A publishing workflow.", t => $"Flow published {t.Message}");
        return os;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sequential_passes_each_answer_on_through_the_remote_agent(bool streaming)
    {
        await using var os = await StartAsync();
        var writer = new ScriptedChatClient("Draft A").CreateAgent("Writer");
        var editorModel = new ScriptedChatClient("Final copy");
        var editor = editorModel.CreateAgent("Editor");
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var spoken = new Spoken();
        var orchestration = new SequentialOrchestration(writer, echo, editor)
        {
            ResponseCallback = spoken.Callback,
            StreamingResponseCallback = streaming ? spoken.StreamingCallback : null,
        };

        string result = await RunAsync(orchestration, "Write a slogan");

        Assert.Equal("Final copy", result);
        Assert.Equal(["Writer", "Echo", "Editor"], spoken.Messages.Select(m => m.AuthorName));
        Assert.Equal("Echo: Writer: Draft A", spoken.Messages[1].Content);
        Assert.Equal("Writer: Draft A", Assert.Single(os.RunsOf("echo")).Message);
        Assert.Contains(editorModel.Calls[0].Messages, m => m.Text == "Echo: Writer: Draft A");
        if (streaming)
        {
            Assert.Equal("Echo: Writer: Draft A", string.Concat(spoken.Streamed.Where(s => s.Author == "Echo").Select(s => s.Text)));
        }
    }

    [Fact]
    public async Task Sequential_ending_with_a_remote_agent_gives_its_answer_as_the_result()
    {
        await using var os = await StartAsync();
        var writer = new ScriptedChatClient("Draft A").CreateAgent("Writer");
        var reviewer = await os.Client.GetRemoteAgent("reviewer").AsSemanticKernelAgentAsync();
        var spoken = new Spoken();

        string result = await RunAsync(new SequentialOrchestration(writer, reviewer) { ResponseCallback = spoken.Callback }, "Write a slogan");

        Assert.Equal("Review 1", result);
        Assert.Equal(["Writer", "Reviewer"], spoken.Messages.Select(m => m.AuthorName));
    }

    [Fact]
    public async Task Concurrent_collects_the_answers_of_local_and_remote_agents_teams_and_workflows()
    {
        await using var os = await StartAsync();
        var writer = new ScriptedChatClient("Draft A").CreateAgent("Writer");
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var crew = await os.Client.GetRemoteTeam("crew").AsSemanticKernelAgentAsync();
        var flow = await os.Client.GetRemoteWorkflow("flow").AsSemanticKernelAgentAsync();
        var spoken = new Spoken();

        string[] results = await RunAsync(new ConcurrentOrchestration(writer, echo, crew, flow) { ResponseCallback = spoken.Callback }, "the news");

        Assert.Equal(["Crew found the news", "Draft A", "Echo: the news", "Flow published the news"], results.Order(StringComparer.Ordinal));
        Assert.Equal(["Crew", "Echo", "Flow", "Writer"], spoken.Messages.Select(m => m.AuthorName!).Order(StringComparer.Ordinal));
        Assert.Equal(["the news", "the news", "the news"], os.Runs.Select(r => r.Message));
        Assert.All(os.Runs, r => Assert.Null(r.SentSessionId));
    }

    [Fact]
    public async Task Group_chat_orchestration_takes_turns_and_the_remote_agent_continues_its_session()
    {
        await using var os = await StartAsync();
        var writer = new ScriptedChatClient("Draft A", "Draft B").CreateAgent("Writer");
        var reviewer = await os.Client.GetRemoteAgent("reviewer").AsSemanticKernelAgentAsync();
        var spoken = new Spoken();
        var orchestration = new GroupChatOrchestration(new RoundRobinGroupChatManager { MaximumInvocationCount = 4 }, writer, reviewer)
        {
            ResponseCallback = spoken.Callback,
            StreamingResponseCallback = spoken.StreamingCallback,
        };

        string result = await RunAsync(orchestration, "Write a slogan");

        Assert.Equal("Review 2", result);
        Assert.Equal(
            [("Writer", "Draft A"), ("Reviewer", "Review 1"), ("Writer", "Draft B"), ("Reviewer", "Review 2")],
            spoken.Messages.Select(m => (m.AuthorName, m.Content)));
        var runs = os.RunsOf("reviewer");
        Assert.Equal(2, runs.Count);
        Assert.Equal("user: Write a slogan\n\nWriter: Draft A", runs[0].Message);
        Assert.Equal("Writer: Draft B", runs[1].Message);
        Assert.Equal(runs[0].SessionId, runs[1].SentSessionId);
    }

    [Fact]
    public async Task Handoff_to_a_remote_agent_ends_with_its_answer()
    {
        await using var os = await StartAsync();
        var triageModel = new ScriptedChatClient(call =>
        {
            var transfer = call.Options?.Tools?.OfType<AIFunction>().SingleOrDefault(t => t.Name.EndsWith("transfer_to_Echo", StringComparison.Ordinal));
            return transfer is null
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "no transfer offered"))
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new Microsoft.Extensions.AI.FunctionCallContent("call-1", transfer.Name)]));
        });
        var triage = triageModel.CreateAgent("Triage", "Routes requests.");
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var spoken = new Spoken();
        var handoffs = OrchestrationHandoffs.StartWith(triage).Add(triage, echo, "Transfer to Echo for anything to repeat.");

        string result = await RunAsync(new HandoffOrchestration(handoffs, triage, echo) { ResponseCallback = spoken.Callback }, "please repeat this");

        Assert.Equal("Echo: please repeat this", result);
        Assert.Equal("please repeat this", Assert.Single(os.RunsOf("echo")).Message);
        Assert.Equal("Echo", spoken.Messages[^1].AuthorName);
        Assert.Single(triageModel.Calls); // the triage agent handed off at once
    }

    [Fact]
    public async Task With_EndHandoffTaskWithAnswer_an_interactive_handoff_ends_with_the_current_remote_agents_answer()
    {
        await using var os = await StartAsync();
        var specialistModel = new ScriptedChatClient("never asked");
        var specialist = specialistModel.CreateAgent("Specialist");
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync(new AgentOSAgentOptions { EndHandoffTaskWithAnswer = true });
        var handoffs = OrchestrationHandoffs.StartWith(echo).Add(echo, specialist, "Transfer to the specialist.");
        int asked = 0;
        var orchestration = new HandoffOrchestration(handoffs, echo, specialist)
        {
            // Without the option the orchestration asks the human after each remote answer and runs the agent again,
            // for ever: this callback would be called and the result never come.
            InteractiveCallback = () =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(new ChatMessageContent(AuthorRole.User, "anything else?"));
            },
        };

        string result = await RunAsync(orchestration, "hello");

        Assert.Equal("Echo: hello", result);
        Assert.Equal(0, asked);
        Assert.Single(os.RunsOf("echo"));
        Assert.Empty(specialistModel.Calls);
    }

    [Fact]
    public async Task With_EndHandoffTaskWithAnswer_a_remote_handoff_target_ends_an_interactive_handoff_with_its_answer()
    {
        await using var os = await StartAsync();
        var triageModel = new ScriptedChatClient(call =>
        {
            var transfer = call.Options?.Tools?.OfType<AIFunction>().SingleOrDefault(t => t.Name.EndsWith("transfer_to_Echo", StringComparison.Ordinal));
            return transfer is null
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "no transfer offered"))
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new Microsoft.Extensions.AI.FunctionCallContent("call-1", transfer.Name)]));
        });
        var triage = triageModel.CreateAgent("Triage", "Routes requests.");
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync(new AgentOSAgentOptions { EndHandoffTaskWithAnswer = true });
        var handoffs = OrchestrationHandoffs.StartWith(triage).Add(triage, echo, "Transfer to Echo for anything to repeat.");
        int asked = 0;
        var orchestration = new HandoffOrchestration(handoffs, triage, echo)
        {
            InteractiveCallback = () =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(new ChatMessageContent(AuthorRole.User, "anything else?"));
            },
        };

        string result = await RunAsync(orchestration, "please repeat this");

        Assert.Equal("Echo: please repeat this", result);
        Assert.Equal(0, asked);
        Assert.Equal("please repeat this", Assert.Single(os.RunsOf("echo")).Message);
        Assert.Single(triageModel.Calls);
    }

    [Fact]
    public async Task EndHandoffTaskWithAnswer_does_nothing_outside_a_handoff()
    {
        await using var os = await StartAsync();
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync(new AgentOSAgentOptions { EndHandoffTaskWithAnswer = true });
        var spoken = new Spoken();

        string result = await RunAsync(new SequentialOrchestration(echo) { ResponseCallback = spoken.Callback }, "once");

        Assert.Equal("Echo: once", result);
        Assert.Single(os.RunsOf("echo"));
    }

    [Fact]
    public async Task A_remote_agent_first_in_a_handoff_cannot_hand_off_and_ends_the_task_with_its_answer()
    {
        await using var os = await StartAsync();
        var specialistModel = new ScriptedChatClient("never asked");
        var specialist = specialistModel.CreateAgent("Specialist");
        var echo = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var handoffs = OrchestrationHandoffs.StartWith(echo).Add(echo, specialist, "Transfer to the specialist.");

        string result = await RunAsync(new HandoffOrchestration(handoffs, echo, specialist), "hello");

        // The handoff functions live in the local kernel the remote agent never sees: it answers, and the task ends.
        Assert.Equal("Echo: hello", result);
        Assert.Empty(specialistModel.Calls);
    }
}
