using System.Text.Json;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// The web flow of a human in the loop: a run pauses in one request, is stored as JSON, and is answered later by
/// another client (another request or process) with decisions that leave the stored output as it came.
/// </summary>
public sealed class PausedRunPersistenceTests
{
    [Fact]
    public async Task A_paused_run_stored_as_json_is_continued_by_another_client_with_a_decision()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("082", "083");
        string stored;
        using (var first = TestSupport.Client(server))
        {
            var paused = await first.GetRemoteAgent("tool-agent").RunAsync(new RunRequest("delete rec-42") { SessionId = "fixture-hitl-session" });
            stored = JsonSerializer.Serialize(paused, AgentOSJsonUtilities.DefaultOptions.GetTypeInfo<AgentRunOutput>());
        }

        using var second = TestSupport.Client(server);
        var restored = JsonSerializer.Deserialize(stored, AgentOSJsonUtilities.DefaultOptions.GetTypeInfo<AgentRunOutput>())!;
        var tool = Assert.Single(restored.Tools!);
        var decision = tool.Approved();
        var done = await second.GetRemoteAgent("tool-agent").ContinueAsync(restored, [decision]);

        RequestAssert.Matches(Fixtures.Get("083"), server.Last); // the same request as continuing the live output
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.True(restored.IsPaused);
        Assert.Null(tool.Confirmed);              // the stored output is not changed by the decision
        Assert.True(tool.NeedsHumanAction);
        Assert.True(decision.Confirmed);
        Assert.Equal(tool.ToolCallId, decision.ToolCallId);
        Assert.Equal("rec-42", (string?)decision.ToolArgs!["record_id"]);
        Assert.Equal(stored, JsonSerializer.Serialize(restored, AgentOSJsonUtilities.DefaultOptions.GetTypeInfo<AgentRunOutput>()));
    }

    [Fact]
    public void The_default_options_are_read_only_snake_case_and_know_the_protocol_types()
    {
        var options = AgentOSJsonUtilities.DefaultOptions;

        Assert.True(options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => options.WriteIndented = true);
        var json = JsonSerializer.Serialize(new ToolExecution { ToolCallId = "c1", RequiresConfirmation = true }, options.GetTypeInfo<ToolExecution>());
        Assert.Equal("{\"tool_call_id\":\"c1\",\"requires_confirmation\":true}", json);
        Assert.Throws<NotSupportedException>(() => options.GetTypeInfo<Uri>());
    }

    [Fact]
    public void Decisions_are_new_tools_and_leave_the_paused_tool_as_it_came()
    {
        var paused = new ToolExecution
        {
            ToolCallId = "c1",
            ToolName = "ask",
            RequiresUserInput = true,
            UserInputSchema = [new UserInputField { Name = "priority", FieldType = "str" }],
            ExternalExecutionRequired = true,
        };

        var rejected = paused.Rejected("not today");
        var input = paused.WithUserInput("priority", "high");
        var result = paused.WithResult("42");

        Assert.Equal((false, "not today"), (rejected.Confirmed, rejected.ConfirmationNote));
        Assert.Equal("high", (string?)input.UserInputSchema![0].Value);
        Assert.Equal("42", result.Result);
        Assert.Null(paused.Confirmed);
        Assert.Null(paused.UserInputSchema[0].Value);
        Assert.Null(paused.Result);
        Assert.Throws<ArgumentException>(() => paused.WithUserInput("no-such-field", "x"));
    }

    [Fact]
    public void A_decision_for_a_tool_the_run_did_not_pause_on_is_refused()
    {
        var paused = new AgentRunOutput { RunId = "r1", SessionId = "s1", Tools = [new ToolExecution { ToolCallId = "c1", RequiresConfirmation = true }] };

        var ex = Assert.Throws<ArgumentException>(() => ContinueRunRequest.From(paused, [new ToolExecution { ToolCallId = "other" }.Approved()]));
        Assert.Contains("names no tool of the paused run", ex.Message, StringComparison.Ordinal);
        var request = ContinueRunRequest.From(paused, []);
        Assert.Same(paused.Tools[0], Assert.Single(request.Tools!)); // undecided tools go as they came
    }
}
