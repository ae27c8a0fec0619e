using Agno.AgentOS;
using Agno.AgentOS.Hosting;
using Microsoft.Agents.AI.Workflows.Checkpointing;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// Remote AgentOS agents in MAF workflows next to local ChatClientAgents on scripted chat clients; the assertions
/// look at what the server received (the conversation each run handed the remote model, the sessions it created).
/// </summary>
public sealed class WorkflowTests
{
    private static ChatClientAgent Local(string name, Func<ScriptedChatContext, IEnumerable<AIContent>> script, out ScriptedChatClient client)
    {
        client = new ScriptedChatClient(script);
        // A fixed id: a workflow restored from a checkpoint must have the same executors.
        return new ChatClientAgent(client, new ChatClientAgentOptions { Id = name, Name = name, Description = $"The local {name}" });
    }

    internal static async Task<(List<ChatMessage> Output, List<AgentResponseUpdateEvent> Updates)> RunAsync(Workflow workflow, List<ChatMessage> input)
    {
        await using StreamingRun run = await InProcessExecution.RunStreamingAsync(workflow, input);
        return await WatchAsync(run);
    }

    internal static async Task<(List<ChatMessage> Output, List<AgentResponseUpdateEvent> Updates)> WatchAsync(StreamingRun run)
    {
        await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
        var updates = new List<AgentResponseUpdateEvent>();
        List<ChatMessage>? output = null;
        await foreach (var e in run.WatchStreamAsync())
        {
            switch (e)
            {
                case AgentResponseUpdateEvent u:
                    updates.Add(u);
                    break;
                case WorkflowOutputEvent o when o.Is<List<ChatMessage>>(out var messages):
                    output = messages;
                    break;
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException("The workflow failed: " + error.Data, error.Data as Exception);
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException($"Executor {failed.ExecutorId} failed: {failed.Data}", failed.Data as Exception);
            }
        }

        return (output ?? throw new InvalidOperationException("The workflow produced no output."), updates);
    }

    [Fact]
    public async Task Sequential_a_local_writer_then_the_remote_agent_which_receives_the_conversation_as_text()
    {
        await using var host = await TestHost.StartAsync();
        var writer = Local("writer", _ => [new TextContent("Fresh bread daily.")], out var writerClient);
        var remote = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo Agent" });

        var (output, updates) = await RunAsync(AgentWorkflowBuilder.BuildSequential(writer, remote), [new ChatMessage(ChatRole.User, "Write a slogan for a bakery.")]);

        string received = host.Echo.Calls.Single().Last(m => m.Role == ChatRole.User).Text;
        Assert.Equal("user: Write a slogan for a bakery.\n\nwriter: Fresh bread daily.", received);
        Assert.Equal(
            "user/: Write a slogan for a bakery. | assistant/writer: Fresh bread daily. | assistant/Echo_Agent: Echo: user: Write a slogan for a bakery.\n\nwriter: Fresh bread daily.",
            string.Join(" | ", output.Select(m => $"{m.Role}/{m.AuthorName}: {m.Text}")));
    }

    [Fact]
    public async Task Sequential_the_remote_agent_first_then_a_local_agent_which_receives_a_valid_author_name()
    {
        await using var host = await TestHost.StartAsync();
        var remote = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo Agent (remote)" });
        var reviewer = Local("reviewer", t => [new TextContent("Approved.")], out var reviewerClient);

        var (output, _) = await RunAsync(AgentWorkflowBuilder.BuildSequential(remote, reviewer), [new ChatMessage(ChatRole.User, "Slogan: fresh bread.")]);

        Assert.Equal("Slogan: fresh bread.", host.Echo.Calls.Single().Last(m => m.Role == ChatRole.User).Text);
        var fromRemote = Assert.Single(reviewerClient.Calls.Single(), m => m.Text == "Echo: Slogan: fresh bread.");
        Assert.Equal("Echo_Agent_remote", fromRemote.AuthorName);
        Assert.Matches("^[A-Za-z0-9_-]+$", fromRemote.AuthorName);
        Assert.Equal("Approved.", output[^1].Text);
        var sessions = await host.Client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, ComponentId = "echo-agent" });
        Assert.Single(sessions.Data!);
    }

    [Fact]
    public async Task Concurrent_the_local_and_the_remote_agent_both_answer_the_same_input()
    {
        await using var host = await TestHost.StartAsync();
        var local = Local("local", t => [new TextContent("Local view.")], out var localClient);
        var remote = host.Client.GetRemoteTeam("research-team").AsAIAgent(new AgentOSAIAgentOptions { Name = "Research Team" });

        var (output, updates) = await RunAsync(AgentWorkflowBuilder.BuildConcurrent([local, remote], null), [new ChatMessage(ChatRole.User, "bread")]);

        Assert.Equal("bread", host.Leader.Calls[0].Last(m => m.Role == ChatRole.User).Text);
        Assert.Equal("bread", localClient.Calls.Single().Last(m => m.Role == ChatRole.User).Text);
        Assert.Contains(output, m => m.AuthorName == "Research_Team" && m.Text == "Team says: Facts about bread");
        Assert.Contains(output, m => m.Text == "Local view.");
        Assert.DoesNotContain(output, m => m.Role == ChatRole.Assistant && m.Text.Length == 0 && m.Contents.Count == 0);
        Assert.Contains(updates, u => u.Update.AdditionalProperties?.ContainsKey(AgentOSPropertyNames.Member) == true);
    }

    [Fact]
    public async Task Group_chat_round_robin_the_remote_agent_keeps_one_server_session_and_gets_only_new_messages()
    {
        await using var host = await TestHost.StartAsync();
        int turn = 0;
        var writer = Local("writer", t => [new TextContent($"Draft {++turn}.")], out _);
        var remote = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo Agent" });
        var workflow = AgentWorkflowBuilder.CreateGroupChatBuilderWith(agents => new RoundRobinGroupChatManager(agents) { MaximumIterationCount = 4 })
            .AddParticipants(writer, remote)
            .Build();

        var (output, _) = await RunAsync(workflow, [new ChatMessage(ChatRole.User, "Write a slogan.")]);

        Assert.Equal(2, host.Echo.Calls.Count);
        Assert.Equal("user: Write a slogan.\n\nwriter: Draft 1.", host.Echo.Calls[0].Last(m => m.Role == ChatRole.User).Text);
        // The second turn: the server supplied the first exchange from its history; MAF handed only the new draft.
        Assert.Equal(["user: Write a slogan.\n\nwriter: Draft 1.", "Draft 2."], TestHost.UserTexts(host.Echo, 1));
        Assert.Equal("Echo: Draft 2.", output.Last(m => m.AuthorName == "Echo_Agent").Text);
        var sessions = await host.Client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, ComponentId = "echo-agent" });
        var session = Assert.Single(sessions.Data!);
        Assert.Equal(2, (await host.Client.ListAgentRunsAsync("echo-agent", session.SessionId!)).Count);
    }

    [Fact]
    public async Task A_checkpointed_workflow_restored_in_a_new_scope_continues_the_same_remote_session()
    {
        await using var host = await TestHost.StartAsync();
        var directory = Directory.CreateTempSubdirectory("agno-maf-checkpoints-");
        try
        {
            CheckpointInfo checkpoint;
            string firstSession;

            // Scope 1: its own client, agents, workflow and checkpoint store; only the files on disk survive it.
            {
                using var store = new FileSystemJsonCheckpointStore(directory);
                using var client = host.Os.CreateClient();
                var workflow = AgentWorkflowBuilder.BuildSequential(Local("writer", t => [new TextContent("Draft A.")], out _), client.GetRemoteAgent("echo-agent").AsAIAgent());
                await using var run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, "Turn 1.") }, CheckpointManager.CreateJson(store));
                var (output, _) = await WatchAsync(run);
                Assert.Equal("Echo: user: Turn 1.\n\nwriter: Draft A.", output[^1].Text);
                checkpoint = Assert.IsType<CheckpointInfo>(run.LastCheckpoint);
                var sessions = await host.Client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, ComponentId = "echo-agent" });
                firstSession = Assert.Single(sessions.Data!).SessionId!;
            }

            // Scope 2: everything new, restored from the checkpoint, then a second turn.
            {
                using var store = new FileSystemJsonCheckpointStore(directory);
                using var client = host.Os.CreateClient();
                var workflow = AgentWorkflowBuilder.BuildSequential(Local("writer", t => [new TextContent("Draft B.")], out _), client.GetRemoteAgent("echo-agent").AsAIAgent());
                await using var run = await InProcessExecution.ResumeStreamingAsync(workflow, checkpoint, CheckpointManager.CreateJson(store));
                await run.TrySendMessageAsync(new List<ChatMessage> { new(ChatRole.User, "Turn 2.") });
                var (output, _) = await WatchAsync(run);
                Assert.StartsWith("Echo: ", output[^1].Text, StringComparison.Ordinal);
            }

            Assert.Equal(2, host.Echo.Calls.Count);
            var all = await host.Client.ListSessionsAsync(new SessionQuery { Type = SessionType.Agent, ComponentId = "echo-agent" });
            Assert.Equal(firstSession, Assert.Single(all.Data!).SessionId);
            Assert.Equal(2, (await host.Client.ListAgentRunsAsync("echo-agent", firstSession)).Count);

            // The second run: turn 1 from the server's history, then only what was new.
            Assert.Equal(["user: Turn 1.\n\nwriter: Draft A.", "user: Turn 2.\n\nwriter: Draft B."], TestHost.UserTexts(host.Echo, 1));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Handoff_a_local_triage_agent_hands_off_to_the_remote_agent_which_answers_on_the_server()
    {
        await using var host = await TestHost.StartAsync();
        string? offered = null;
        var triage = Local("triage", t =>
        {
            var handoff = t.Options?.Tools?.OfType<AIFunctionDeclaration>().FirstOrDefault(f => f.Name.StartsWith("handoff", StringComparison.OrdinalIgnoreCase));
            offered = handoff?.Name;
            return handoff is null
                ? [new TextContent("No one to hand off to.")]
                : [new FunctionCallContent("call_handoff", handoff.Name, new Dictionary<string, object?>())];
        }, out var triageClient);
        var remote = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo Agent", Description = "Echoes what it is told." });
        var workflow = AgentWorkflowBuilder.CreateHandoffBuilderWith(triage).WithHandoffs(triage, [remote]).Build();

        var (output, _) = await RunAsync(workflow, [new ChatMessage(ChatRole.User, "Please echo: hello.")]);

        Assert.NotNull(offered);
        var sent = Assert.Single(host.Echo.Calls).Last(m => m.Role == ChatRole.User).Text;

        // The triage's handoff call and its result carry no text: only the user's request reaches the server.
        Assert.Equal("Please echo: hello.", sent);
        var answer = Assert.Single(output, m => m.AuthorName == "Echo_Agent");
        Assert.Equal("Echo: Please echo: hello.", answer.Text);
        Assert.Single(triageClient.Calls);
    }

    [Fact]
    public async Task Group_chat_with_a_custom_manager_that_ends_when_the_remote_agent_approves()
    {
        await using var host = await TestHost.StartAsync();
        int drafts = 0;
        var writer = Local("writer", t => [new TextContent(++drafts < 2 ? "Draft: bread" : "Final: APPROVE bread")], out _);
        var remote = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo Agent" });
        var workflow = AgentWorkflowBuilder.CreateGroupChatBuilderWith(agents => new ApprovalManager(agents, remote))
            .AddParticipants(writer, remote)
            .Build();

        var (output, _) = await RunAsync(workflow, [new ChatMessage(ChatRole.User, "Write about bread.")]);

        // writer, remote, writer, remote: the remote's second echo contains APPROVE and ends the chat.
        Assert.Equal(2, host.Echo.Calls.Count);
        Assert.Equal(["user: Write about bread.\n\nwriter: Draft: bread", "Final: APPROVE bread"], TestHost.UserTexts(host.Echo, 1));
        Assert.Equal("Echo: Final: APPROVE bread", output[^1].Text);
    }

    /// <summary>Alternates writer and remote; ends once the remote agent's last message contains APPROVE.</summary>
    private sealed class ApprovalManager(IReadOnlyList<AIAgent> agents, AIAgent reviewer) : GroupChatManager
    {
        private int _next;

        protected override ValueTask<AIAgent> SelectNextAgentAsync(IReadOnlyList<ChatMessage> history, CancellationToken cancellationToken = default)
            => new(agents[_next++ % agents.Count]);

        protected override ValueTask<bool> ShouldTerminateAsync(IReadOnlyList<ChatMessage> history, CancellationToken cancellationToken = default)
            => new(IterationCount >= 10 || history.LastOrDefault(m => m.AuthorName == ((AgentOSAIAgent)reviewer).AuthorName)?.Text.Contains("APPROVE", StringComparison.Ordinal) == true);
    }
}
