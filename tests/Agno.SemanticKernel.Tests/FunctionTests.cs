using System.Text.Json;
using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.SemanticKernel.Tests.Support;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Agno.SemanticKernel.Tests;

/// <summary>A server's teams and workflows as kernel functions, called by a model through SK's automatic function calling.</summary>
public sealed class FunctionTests
{
    [Fact]
    public async Task The_plugin_has_the_servers_teams_and_workflows_named_and_described_from_its_config()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004", "004");
        using var client = TestHelpers.Client(server);

        var plugin = await client.CreatePluginFromAgentOSAsync();
        var withAgents = await client.CreatePluginFromAgentOSAsync("Everything", new AgentOSPluginOptions { IncludeAgents = true });

        RequestAssert.Matches(Fixtures.Get("004"), server.Received[0]);
        Assert.Equal("AgentOS", plugin.Name);
        Assert.Equal(["echo_team", "echo_workflow"], plugin.Select(f => f.Name));
        Assert.StartsWith("Leader delegates every request", plugin["echo_team"].Description, StringComparison.Ordinal);
        Assert.StartsWith("Step 1 'echo'", plugin["echo_workflow"].Description, StringComparison.Ordinal);
        var parameters = plugin["echo_team"].Metadata.Parameters;
        Assert.Equal([("input", true), ("session_id", false)], parameters.Select(p => (p.Name, p.IsRequired)));
        Assert.Equal(["echo_agent", "tool_agent", "echo_team", "echo_workflow"], withAgents.Select(f => f.Name));
    }

    [Fact]
    public async Task A_function_runs_its_team_and_returns_the_answer_with_run_id_session_and_usage()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004", "060");
        using var client = TestHelpers.Client(server);
        var kernel = new Kernel();
        var plugin = await kernel.ImportPluginFromAgentOSAsync(client);

        var result = await kernel.InvokeAsync(plugin["echo_team"], new KernelArguments { ["input"] = "team hello", ["session_id"] = "fixture-team-session" });

        RequestAssert.Matches(Fixtures.Get("060"), server.Last);
        Assert.Equal("Team: Member: team hello (turn 1)", result.GetValue<string>());
        Assert.Equal("f92aa304-44d2-4d64-8988-70ab7bb14faa", result.Metadata![AgentOSMetadataKeys.RunId]);
        Assert.Equal("fixture-team-session", result.Metadata[AgentOSMetadataKeys.SessionId]);
        Assert.Equal("COMPLETED", result.Metadata[AgentOSMetadataKeys.Status]);
        Assert.Equal(30, Assert.IsType<RunMetrics>(result.Metadata[AgentOSMetadataKeys.Usage]).TotalTokens);
        Assert.Same(plugin, Assert.Single(kernel.Plugins));
    }

    [Fact]
    public async Task A_single_workflow_becomes_a_function_too()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("011", "070");
        using var client = TestHelpers.Client(server);

        var function = await client.GetRemoteWorkflow("echo-workflow").AsKernelFunctionAsync();
        var result = await function.InvokeAsync(new Kernel(), new KernelArguments { ["input"] = "workflow hello", ["session_id"] = "fixture-wf-session" });

        RequestAssert.Matches(Fixtures.Get("070"), server.Last);
        Assert.Equal("echo_workflow", function.Name);
        Assert.Equal("UPPER: WF: WORKFLOW HELLO (TURN 1)", result.GetValue<string>());
        Assert.Equal("cc496bc2-d4bf-4ca1-b87d-b63aadc01ec5", result.Metadata![AgentOSMetadataKeys.RunId]);
    }

    [Fact]
    public async Task A_run_that_pauses_for_a_human_throws_instead_of_answering()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("007", "082");
        using var client = TestHelpers.Client(server);
        var function = await client.GetRemoteAgent("tool-agent").AsKernelFunctionAsync();

        var error = await Assert.ThrowsAsync<AgnoRunPausedException>(
            () => function.InvokeAsync(new Kernel(), new KernelArguments { ["input"] = "delete rec-42", ["session_id"] = "fixture-hitl-session" }));

        RequestAssert.Matches(Fixtures.Get("082"), server.Last);
        Assert.Equal(("fc877b43-0ed4-4522-b0b4-79abad79e9c9", "fixture-hitl-session"), (error.RunId, error.SessionId));
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(error.Requests)); // as the AIFunction tool reports it
        Assert.Equal("delete_record", ((Microsoft.Extensions.AI.FunctionCallContent)request.ToolCall).Name);
        Assert.Contains("approval of 'delete_record'", error.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsType<AgentRunOutput>(error.Output).IsPaused);
    }

    [Fact]
    public async Task Without_session_ids_the_functions_neither_offer_nor_accept_one()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddTeam("crew", "Crew", "A team.", t => $"turn {t.Turn}");
        var kernel = new Kernel();
        var crew = (await kernel.ImportPluginFromAgentOSAsync(os.Client, options: new AgentOSPluginOptions { IncludeSessionId = false }))["crew"];

        var result = await kernel.InvokeAsync(crew, new KernelArguments { ["input"] = "start", ["session_id"] = "made-up" });

        Assert.Equal(["input"], crew.Metadata.Parameters.Select(p => p.Name));
        Assert.Equal("turn 1", result.GetValue<string>());
        var run = Assert.Single(os.Runs);
        Assert.Null(run.SentSessionId);
        Assert.Equal(run.SessionId, result.Metadata![AgentOSMetadataKeys.SessionId]);
    }

    [Fact]
    public async Task A_model_with_automatic_function_calling_delegates_to_the_remote_team()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Echoes.", t => "not a function");
        os.AddTeam("research-team", "Research Team", "Researches any topic and reports findings.", t => $"Findings on {t.Message}");
        os.AddWorkflow("publish", "Publish", "Publishes an article.", t => "published");
        var model = new ScriptedChatClient(call =>
        {
            if (call.Index == 0)
            {
                var tool = call.Options!.Tools!.OfType<AIFunction>().Single(t => t.Name.EndsWith("research_team", StringComparison.Ordinal));
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, [new Microsoft.Extensions.AI.FunctionCallContent("call-1", tool.Name, new Dictionary<string, object?> { ["input"] = "AgentOS" })]));
            }

            var result = call.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>().Single();
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"The team reports: {result.Result}"));
        });
        var results = new List<FunctionResult>();
        var kernel = model.CreateKernel(b => b.Services.AddSingleton<IAutoFunctionInvocationFilter>(new RecordingFilter(results)));
        await kernel.ImportPluginFromAgentOSAsync(os.Client);
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        var answer = await kernel.GetRequiredService<IChatCompletionService>()
            .GetChatMessageContentAsync(new ChatHistory("What do we know about AgentOS?", AuthorRole.User), settings, kernel);

        Assert.Equal("The team reports: Findings on AgentOS", answer.Content);
        var offered = model.Calls[0].Options!.Tools!.OfType<AIFunction>().ToList();
        Assert.Equal(2, offered.Count); // teams and workflows; agents only on request
        Assert.Contains(offered, t => t.Name.EndsWith("publish", StringComparison.Ordinal));
        Assert.Contains(offered, t => t.Description == "Researches any topic and reports findings.");
        var run = Assert.Single(os.Runs);
        Assert.Equal(("research-team", "AgentOS", "false"), (run.ComponentId, run.Message, run.Form["stream"]));
        var metadata = Assert.Single(results).Metadata!;
        Assert.Equal(run.RunId, metadata[AgentOSMetadataKeys.RunId]);
        Assert.Equal(run.SessionId, metadata[AgentOSMetadataKeys.SessionId]);
        Assert.Equal(18, Assert.IsType<RunMetrics>(metadata[AgentOSMetadataKeys.Usage]).TotalTokens);
    }

    [Fact]
    public async Task The_model_can_continue_a_session_it_got_back()
    {
        await using var os = await FakeAgentOS.StartAsync();
        os.AddTeam("crew", "Crew", "A team.", t => $"turn {t.Turn}");
        var kernel = new Kernel();
        var crew = (await kernel.ImportPluginFromAgentOSAsync(os.Client))["crew"];

        var first = await kernel.InvokeAsync(crew, new KernelArguments { ["input"] = "start" });
        var second = await kernel.InvokeAsync(crew, new KernelArguments { ["input"] = JsonSerializer.SerializeToElement("go on"), ["session_id"] = first.Metadata![AgentOSMetadataKeys.SessionId] });

        Assert.Equal(["turn 1", "turn 2"], new[] { first, second }.Select(r => r.GetValue<string>()));
        Assert.Equal([null, os.Runs[0].SessionId], os.Runs.Select(r => r.SentSessionId));
        Assert.Equal("go on", os.Runs[1].Message);
    }

    private sealed class RecordingFilter(List<FunctionResult> results) : IAutoFunctionInvocationFilter
    {
        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            await next(context);
            results.Add(context.Result);
        }
    }
}
