using Agno.AgentOS;
using Agno.SemanticKernel.Tests.Support;
using Agno.Testing;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

public sealed class AgentTests
{
    [Fact]
    public async Task Agent_takes_id_name_and_description_from_the_remote_config()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006", "009", "011");
        using var client = TestHelpers.Client(server);

        var agent = await client.GetRemoteAgent("echo-agent").AsSemanticKernelAgentAsync();
        var team = await client.GetRemoteTeam("echo-team").AsSemanticKernelAgentAsync();
        var workflow = await client.GetRemoteWorkflow("echo-workflow").AsSemanticKernelAgentAsync();

        Assert.Equal(("echo-agent", "Echo_Agent", "Echoes the last user message back, in chunks when streaming."), (agent.Id, agent.Name, agent.Description));
        Assert.Equal(("echo-team", "Echo_Team"), (team.Id, team.Name));
        Assert.StartsWith("Leader delegates every request", team.Description, StringComparison.Ordinal);
        Assert.Equal(("echo-workflow", "Echo_Workflow"), (workflow.Id, workflow.Name));
        Assert.StartsWith("Step 1 'echo'", workflow.Description, StringComparison.Ordinal);
        Assert.Equal(["GET /agents/echo-agent", "GET /teams/echo-team", "GET /workflows/echo-workflow"], server.Received.Select(r => r.ToString()));
        Assert.Equal("echo-agent", Assert.IsType<RemoteAgent>(agent.Component).Id);
        Assert.Equal(AgentOSComponentKind.Team, team.Component.Kind);
        Assert.IsType<RemoteWorkflow>(workflow.Component);
    }

    [Fact]
    public async Task The_public_constructor_makes_no_call_and_names_the_agent_from_options_the_cache_or_the_id()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006");
        using var client = TestHelpers.Client(server);
        var remote = client.GetRemoteAgent("echo-agent");

        var fromId = new AgentOSAgent(remote);
        var fromOptions = new AgentOSAgent(remote, new AgentOSAgentOptions { Name = "Echoer", Description = "Echoes." });
        Assert.Empty(server.Received);
        await remote.GetDetailsAsync();
        var fromCache = new AgentOSAgent(remote);

        Assert.Equal(("echo-agent", "echo_agent"), (fromId.Id, fromId.Name));
        Assert.Equal($"Remote Agno agent 'echo-agent' served by AgentOS at {client.BaseAddress}.", fromId.Description);
        Assert.Equal(("Echoer", "Echoes."), (fromOptions.Name, fromOptions.Description));
        Assert.Equal(("Echo_Agent", "Echoes the last user message back, in chunks when streaming."), (fromCache.Name, fromCache.Description));
        Assert.Same(remote, fromCache.Component);
        Assert.Equal(["GET /agents/echo-agent"], server.Received.Select(r => r.ToString()));
    }

    [Fact]
    public async Task The_threads_AI_context_providers_are_asked_and_their_instructions_travel_with_the_run()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Repeats.", t => $"Echo: {t.Message}");
        var agent = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var memory = new RecordingMemory("The user's name is Ada.");
        var thread = new AgentOSAgentThread(os.Client);
        thread.AIContextProviders.Add(memory);

        var reply = Assert.Single(await agent.InvokeAsync(
            new ChatMessageContent(AuthorRole.User, "What is my name?"), thread, new AgentInvokeOptions { AdditionalInstructions = "Be brief." }).ToListAsync()).Message;

        var run = Assert.Single(os.RunsOf("echo"));
        Assert.Equal("system: Be brief.\n\nsystem: The user's name is Ada.\n\nWhat is my name?", run.Message);
        Assert.Equal(["What is my name?"], memory.Asked);
        Assert.Equal(["What is my name?", reply.Content!], memory.Added);
        Assert.Equal(run.SessionId, memory.CreatedConversation);
    }

    [Fact]
    public async Task A_provider_without_instructions_leaves_the_message_as_it_is()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Repeats.", t => $"Echo: {t.Message}");
        var agent = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var memory = new RecordingMemory(instructions: null);
        var thread = new AgentOSAgentThread(os.Client);
        thread.AIContextProviders.Add(memory);

        await agent.InvokeStreamingAsync("hello", thread).ToListAsync();

        Assert.Equal("hello", Assert.Single(os.RunsOf("echo")).Message);
        Assert.Equal(["hello"], memory.Asked);
    }

    private sealed class RecordingMemory(string? instructions) : AIContextProvider
    {
        public List<string> Asked { get; } = [];

        public List<string> Added { get; } = [];

        public string? CreatedConversation { get; private set; }

        public override Task ConversationCreatedAsync(string? conversationId, CancellationToken cancellationToken = default)
        {
            CreatedConversation = conversationId;
            return Task.CompletedTask;
        }

        public override Task MessageAddingAsync(string? conversationId, Microsoft.Extensions.AI.ChatMessage newMessage, CancellationToken cancellationToken = default)
        {
            Added.Add(newMessage.Text);
            return Task.CompletedTask;
        }

        public override Task<AIContext> ModelInvokingAsync(ICollection<Microsoft.Extensions.AI.ChatMessage> newMessages, CancellationToken cancellationToken = default)
        {
            Asked.AddRange(newMessages.Select(m => m.Text));
            return Task.FromResult(new AIContext { Instructions = instructions });
        }
    }

    [Fact]
    public async Task Description_is_never_null_even_when_the_server_has_none()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("quiet", "Quiet one", description: null, _ => "ok");

        var fetched = await os.Client.GetRemoteAgent("quiet").AsSemanticKernelAgentAsync();
        var offline = os.Client.GetRemoteTeam("never-fetched").AsSemanticKernelAgent();
        var named = os.Client.GetRemoteAgent("quiet").AsSemanticKernelAgent(new AgentOSAgentOptions { Name = "Custom", Description = "Mine." });

        Assert.Equal("Quiet_one", fetched.Name);
        Assert.Contains("'Quiet one'", fetched.Description, StringComparison.Ordinal);
        Assert.Equal("never_fetched", offline.Name);
        Assert.Contains("team 'never-fetched'", offline.Description, StringComparison.Ordinal);
        Assert.Equal(("Custom", "Mine."), (named.Name, named.Description));
        Assert.Single(os.Requests); // only the first one fetched the configuration
    }

    [Fact]
    public async Task Invoke_sends_the_user_message_and_answers_with_the_run_output()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        var reported = new List<ChatMessageContent>();

        var items = await agent.InvokeAsync("hello streaming world", options: AgentTestHelpers.Recording(reported)).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("021"), server.Last);
        var answer = Assert.Single(items).Message;
        Assert.Equal("Echo: hello streaming world (turn 1)", answer.Content);
        Assert.Equal(AuthorRole.Assistant, answer.Role);
        Assert.Equal("echo_agent", answer.AuthorName);
        Assert.Equal("echo-model", answer.ModelId);
        Assert.Equal("37c25b58-f49e-44be-8aa0-7cd15514d865", answer.Metadata![AgentOSMetadataKeys.RunId]);
        Assert.Equal("f761e891-1422-4433-949b-be5672e2e3cd", answer.Metadata[AgentOSMetadataKeys.SessionId]);
        Assert.Equal("COMPLETED", answer.Metadata[AgentOSMetadataKeys.Status]);
        Assert.Equal(15, Assert.IsType<RunMetrics>(answer.Metadata[AgentOSMetadataKeys.Usage]).TotalTokens);
        var thread = Assert.IsType<AgentOSAgentThread>(items[0].Thread);
        Assert.Equal("f761e891-1422-4433-949b-be5672e2e3cd", thread.Id);
        Assert.Equal("37c25b58-f49e-44be-8aa0-7cd15514d865", thread.LastRunId);
        Assert.Same(answer, Assert.Single(reported));
    }

    [Fact]
    public async Task Streaming_yields_deltas_as_they_arrive_and_reports_the_complete_message()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        var reported = new List<ChatMessageContent>();

        var chunks = await agent.InvokeStreamingAsync("hello streaming world", options: AgentTestHelpers.Recording(reported)).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("021"), server.Last);
        Assert.Equal(["Echo: ", "hello ", "streaming ", "world ", "(turn ", "1)"], chunks.Select(c => c.Message.Content));
        Assert.All(chunks, c => Assert.IsType<RunContentEvent>(c.Message.InnerContent));
        Assert.All(chunks, c => Assert.Equal("echo_agent", c.Message.AuthorName));
        var complete = Assert.Single(reported);
        Assert.Equal("Echo: hello streaming world (turn 1)", complete.Content);
        Assert.Equal("f761e891-1422-4433-949b-be5672e2e3cd", chunks[^1].Thread.Id);
    }

    [Fact]
    public async Task Streaming_is_real_the_first_delta_arrives_before_the_run_ends()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { StallAfterEvents = 3 }); // RunStarted, ModelRequestStarted, one RunContent; then silence
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        using var cts = new CancellationTokenSource(TestHelpers.Patience);

        await using var stream = agent.InvokeStreamingAsync("hello streaming world", cancellationToken: cts.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("Echo: ", stream.Current.Message.Content);
        Assert.False(server.ClientGone.Task.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.MoveNextAsync());
    }

    [Fact]
    public async Task Reasoning_streams_as_reasoning_content_and_stays_out_of_the_answer_text()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("131");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("thinking-agent").AsSemanticKernelAgent();
        var reported = new List<ChatMessageContent>();

        var chunks = await agent.InvokeStreamingAsync("why is the sky blue", options: AgentTestHelpers.Recording(reported)).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("131"), server.Last);
        string reasoning = string.Concat(chunks.SelectMany(c => c.Message.Items.OfType<StreamingReasoningContent>()).Select(r => r.Text));
        Assert.Equal("Thinking about 'why is the sky blue': I will echo it back.", reasoning);
        Assert.Equal("Think: why is the sky blue (turn 1)", chunks.Text());
        var answer = Assert.Single(reported);
        Assert.Equal("Think: why is the sky blue (turn 1)", answer.Content);
        Assert.Equal(reasoning, Assert.Single(answer.Items.OfType<ReasoningContent>()).Text);
    }

    [Fact]
    public async Task A_resumed_thread_sends_its_session_and_user_with_only_the_new_message()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("032");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        var thread = new AgentOSAgentThread(client, "fixture-session-1") { UserId = "fixture-user" };

        var chunks = await agent.InvokeStreamingAsync("third message", thread).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("032"), server.Last);
        Assert.Equal("Echo: third message (turn 3)", chunks.Text());
        Assert.Equal("fixture-session-1", thread.SessionId);
        Assert.All(chunks, c => Assert.Same(thread, c.Thread));
    }

    [Fact]
    public async Task The_first_run_creates_the_session_and_later_turns_continue_it_with_new_messages_only()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Echoes.", t => $"turn {t.Turn}: {t.Message}");
        var agent = await os.Client.GetRemoteAgent("echo").AsSemanticKernelAgentAsync();
        var thread = new AgentOSAgentThread(os.Client);
        Assert.Null(thread.Id);

        var first = await agent.InvokeAsync("one", thread).ToListAsync();
        var second = await agent.InvokeAsync("two", thread).ToListAsync();
        var third = await agent.InvokeStreamingAsync(new ChatMessageContent(AuthorRole.User, "three"), thread).ToListAsync();

        Assert.Equal(["turn 1: one", "turn 2: two"], first.Concat(second).Select(i => i.Message.Content));
        Assert.Equal("turn 3: three", third.Text());
        var runs = os.RunsOf("echo");
        Assert.Equal(["one", "two", "three"], runs.Select(r => r.Message));
        Assert.Null(runs[0].SentSessionId);
        Assert.Equal(runs[0].SessionId, thread.Id);
        Assert.Equal([thread.Id, thread.Id], runs.Skip(1).Select(r => r.SentSessionId));
    }

    [Fact]
    public async Task A_team_answers_with_its_own_text_not_its_members()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("061", "061");
        using var client = TestHelpers.Client(server);
        var team = client.GetRemoteTeam("echo-team").AsSemanticKernelAgent();

        var chunks = await team.InvokeStreamingAsync("team streaming hello").ToListAsync();
        var answer = Assert.Single(await team.InvokeAsync("team streaming hello").ToListAsync()).Message;

        RequestAssert.Matches(Fixtures.Get("061"), server.Received[0]);
        RequestAssert.Matches(Fixtures.Get("061"), server.Received[1]);
        Assert.Equal("Team: Member: team streaming hello (turn 1)", chunks.Text());
        Assert.Equal("Team: ", chunks[0].Message.Content); // the member's "Member: " deltas came first in the stream, and are not here
        Assert.Equal("Team: Member: team streaming hello (turn 1)", answer.Content);
        Assert.Equal("d9ba8e70-f770-476d-a694-915444c79cec", answer.Metadata![AgentOSMetadataKeys.RunId]);
    }

    [Fact]
    public async Task A_workflow_answers_with_its_output_not_its_steps_text()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("071", "071");
        using var client = TestHelpers.Client(server);
        var workflow = client.GetRemoteWorkflow("echo-workflow").AsSemanticKernelAgent();
        var reported = new List<ChatMessageContent>();

        var chunks = await workflow.InvokeStreamingAsync("workflow streaming hello", options: AgentTestHelpers.Recording(reported)).ToListAsync();
        var answer = Assert.Single(await workflow.InvokeAsync("workflow streaming hello").ToListAsync()).Message;

        RequestAssert.Matches(Fixtures.Get("071"), server.Received[0]);
        const string Output = "UPPER: WF: WORKFLOW STREAMING HELLO (TURN 1)";
        Assert.Equal(Output, Assert.Single(chunks).Message.Content); // a workflow streams no content of its own: its output comes whole
        Assert.Equal(Output, Assert.Single(reported).Content);
        Assert.Equal(Output, answer.Content);
        Assert.Equal("445b5b6d-e622-43c0-8f97-557574784407", chunks[0].Thread.Id);
    }

    [Fact]
    public async Task Member_and_step_text_stays_out_of_scripted_team_and_workflow_answers()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddTeam("crew", "Crew", "A team.", t => $"team says {t.Message}");
        os.AddWorkflow("flow", "Flow", "A workflow.", t => $"flow output for {t.Message}");
        var team = await os.Client.GetRemoteTeam("crew").AsSemanticKernelAgentAsync();
        var workflow = await os.Client.GetRemoteWorkflow("flow").AsSemanticKernelAgentAsync();

        var teamChunks = await team.InvokeStreamingAsync("hi").ToListAsync();
        var flowChunks = await workflow.InvokeStreamingAsync("go").ToListAsync();

        Assert.Equal(["team ", "says ", "hi"], teamChunks.Select(c => c.Message.Content));
        Assert.Equal("flow output for go", flowChunks.Text());
        Assert.DoesNotContain("member text", teamChunks.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("step text", flowChunks.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_the_stream_and_cancels_the_run_on_the_server()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("090", new ServeOptions { StallAfterEvents = 3 });
        server.Serve("091");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        var thread = new AgentOSAgentThread(client, "fixture-cancel-agents");
        using var cts = new CancellationTokenSource(TestHelpers.Patience);

        var read = new List<string?>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in agent.InvokeStreamingAsync("slow please", thread, cancellationToken: cts.Token))
            {
                read.Add(chunk.Message.Content);
                await cts.CancelAsync();
            }
        });

        Assert.Equal(["tick0 "], read);
        RequestAssert.Matches(Fixtures.Get("090"), server.Received[0]);
        var cancel = server.Received[1];
        Assert.Equal(("POST", "/agents/echo-agent/runs/ff4a412f-4b9f-4599-8a68-4d4693079236/cancel"), (cancel.Method, cancel.Path));
        Assert.Equal("?session_id=fixture-cancel-agents", cancel.Query);
        await server.ClientGone.Task.WaitAsync(TestHelpers.Patience);
    }

    [Fact]
    public async Task Cancelling_a_non_streaming_invocation_cancels_the_run_too()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("090", new ServeOptions { StallAfterEvents = 3 });
        server.Serve("091");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        using var cts = new CancellationTokenSource();

        var thread = new AgentOSAgentThread(client);
        var invoke = agent.InvokeAsync("slow please", thread, cancellationToken: cts.Token).ToListAsync();
        while (thread.Id is null && !invoke.IsCompleted)
        {
            await Task.Delay(10); // the thread takes the session id from the run's first event
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoke);
        Assert.Equal("fixture-cancel-agents", thread.Id);
        var cancel = server.Received[1];
        Assert.Equal("/agents/echo-agent/runs/ff4a412f-4b9f-4599-8a68-4d4693079236/cancel?session_id=fixture-cancel-agents", cancel.Path + cancel.Query);
    }

    [Fact]
    public async Task A_run_error_surfaces_as_the_core_exception()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("121");
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("fail-agent").AsSemanticKernelAgent();

        var error = await Assert.ThrowsAsync<AgentOSRunFailedException>(
            () => agent.InvokeAsync("hello streaming failure", new AgentOSAgentThread(client, "fixture-fail-session")).ToListAsync());

        RequestAssert.Matches(Fixtures.Get("121"), server.Last);
        Assert.Equal("model_provider_error", error.ErrorType);
    }

    [Fact]
    public async Task Deleting_the_thread_deletes_the_remote_session()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("047");
        using var client = TestHelpers.Client(server);
        var thread = new AgentOSAgentThread(client, "fixture-session-del");

        await thread.DeleteAsync();
        await thread.DeleteAsync(); // once deleted, nothing more to do

        RequestAssert.Matches(Fixtures.Get("047"), Assert.Single(server.Received));
        Assert.True(thread.IsDeleted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent().InvokeAsync("again", thread).ToListAsync());
    }

    [Fact]
    public async Task Deleting_a_thread_that_never_ran_calls_nothing_and_a_missing_session_is_no_error()
    {
        await using var server = await ReplayServer.StartAsync();
        server.AnswerWith(404, "application/json", "{\"detail\":\"Session not found\"}");
        using var client = TestHelpers.Client(server);
        var fresh = new AgentOSAgentThread(client);
        var gone = new AgentOSAgentThread(client, "already-gone");

        await fresh.DeleteAsync();
        await gone.DeleteAsync();

        Assert.True(fresh.IsDeleted);
        Assert.True(gone.IsDeleted);
        Assert.Equal(["DELETE /sessions/already-gone"], server.Received.Select(r => r.ToString()));
    }

    [Fact]
    public async Task A_thread_the_agent_creates_deletes_its_session_with_the_agents_request_options()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Echoes.", _ => "ok");
        var requestOptions = new AgentOSRequestOptions { ApiKey = "end-user-token" };
        requestOptions.Headers["X-Tenant"] = "acme";
        var agent = os.Client.GetRemoteAgent("echo").AsSemanticKernelAgent(new AgentOSAgentOptions { RequestOptions = requestOptions });

        var thread = Assert.IsType<AgentOSAgentThread>(Assert.Single(await agent.InvokeAsync("hi").ToListAsync()).Thread);
        await thread.DeleteAsync();

        Assert.Same(requestOptions, thread.RequestOptions);
        var delete = Assert.Single(os.RequestHeaders, r => r.Request.StartsWith("DELETE ", StringComparison.Ordinal));
        Assert.Equal($"DELETE /sessions/{thread.Id}", delete.Request);
        Assert.Equal("Bearer end-user-token", delete.Headers["Authorization"]);
        Assert.Equal("acme", delete.Headers["X-Tenant"]);
    }

    [Fact]
    public async Task A_callers_thread_without_request_options_takes_the_agents_and_its_own_win()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Echoes.", _ => "ok");
        var agentOptions = new AgentOSRequestOptions { ApiKey = "agent-token" };
        var own = new AgentOSRequestOptions { ApiKey = "thread-token" };
        var agent = os.Client.GetRemoteAgent("echo").AsSemanticKernelAgent(new AgentOSAgentOptions { RequestOptions = agentOptions });
        var plain = new AgentOSAgentThread(os.Client);
        var configured = new AgentOSAgentThread(os.Client) { RequestOptions = own };

        await agent.InvokeAsync("hi", plain).ToListAsync();
        await agent.InvokeAsync("hi", configured).ToListAsync();
        await plain.DeleteAsync();
        await configured.DeleteAsync();

        var deletes = os.RequestHeaders.Where(r => r.Request.StartsWith("DELETE ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [($"DELETE /sessions/{plain.Id}", "Bearer agent-token"), ($"DELETE /sessions/{configured.Id}", "Bearer thread-token")],
            deletes.Select(d => (d.Request, d.Headers["Authorization"])));
    }

    [Fact]
    public async Task Completed_content_beyond_the_streamed_deltas_arrives_as_one_last_chunk()
    {
        static string Event(string name, string extra)
            => $"event: {name}\ndata: {{\"created_at\":1795305470,\"event\":\"{name}\",\"agent_id\":\"echo-agent\",\"agent_name\":\"Echo Agent\",\"run_id\":\"r-1\",\"session_id\":\"s-1\",\"nested_depth\":0{extra}}}\n\n";
        string Stream(string completed)
            => Event("RunStarted", ",\"model\":\"echo-model\"")
                + Event("RunContent", ",\"content\":\"Hello \",\"content_type\":\"str\"")
                + Event("RunCompleted", $",\"content\":\"{completed}\",\"content_type\":\"str\"");
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021", new ServeOptions { BodyOverride = System.Text.Encoding.UTF8.GetBytes(Stream("Hello world")) });
        server.Serve("021", new ServeOptions { BodyOverride = System.Text.Encoding.UTF8.GetBytes(Stream("Goodbye")) });
        using var client = TestHelpers.Client(server);
        var agent = client.GetRemoteAgent("echo-agent").AsSemanticKernelAgent();
        var reported = new List<ChatMessageContent>();

        var extended = await agent.InvokeStreamingAsync("hello streaming world", options: AgentTestHelpers.Recording(reported)).ToListAsync();
        var replaced = await agent.InvokeStreamingAsync("hello streaming world", options: AgentTestHelpers.Recording(reported)).ToListAsync();

        Assert.Equal(["Hello ", "world"], extended.Select(c => c.Message.Content));
        Assert.IsType<RunCompletedEvent>(extended[1].Message.InnerContent);
        Assert.Equal(["Hello "], replaced.Select(c => c.Message.Content)); // not a continuation of the deltas: nothing added
        Assert.Equal(["Hello world", "Goodbye"], reported.Select(m => m.Content));
    }

    [Fact]
    public async Task A_thread_of_another_agent_type_is_refused()
    {
        await using var os = await FakeAgentOS.StartAsync();
        var agent = os.Client.GetRemoteAgent("echo").AsSemanticKernelAgent();

        var error = Assert.Throws<KernelException>(() => agent.InvokeAsync("hi", new ChatHistoryAgentThread()));

        Assert.Contains(nameof(AgentOSAgentThread), error.Message, StringComparison.Ordinal);
        Assert.Empty(os.Requests);
    }
}
