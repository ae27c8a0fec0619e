using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>
/// Shapes the recorded exchanges do not show, checked field by field (null-valued keys included) on the JSON the host
/// sends over HTTP: the typed wire models must write exactly agno's keys.
/// </summary>
public sealed class WireShapeTests
{
    private static readonly string[] ToolExecutionKeys =
    [
        "tool_call_id", "tool_name", "tool_args", "tool_call_error", "result", "metrics", "child_run_id", "stop_after_tool_call",
        "created_at", "requires_confirmation", "confirmed", "confirmation_note", "requires_user_input", "user_input_schema",
        "user_feedback_schema", "answered", "external_execution_required", "external_execution_silent", "approval_type", "approval_id",
    ];

    [Fact]
    public async Task A_paused_tool_has_all_of_agnos_tool_execution_fields_in_order_nulls_included()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddExtended);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.PostAsync("agents/hitl-agent/runs", new FormUrlEncodedContent([new("message", "please run uname -a"), new("stream", "false"), new("session_id", "shape-tools")]));
        var output = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var tool = output["tools"]!.AsArray().Single()!.AsObject();

        Assert.Equal("PAUSED", output["status"]!.GetValue<string>());
        Assert.Equal(ToolExecutionKeys, tool.Select(kv => kv.Key));
        Assert.Null(tool["result"]);
        Assert.Null(tool["confirmed"]);
        Assert.True(tool["external_execution_required"]!.GetValue<bool>());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, tool["created_at"]!.GetValueKind());
        var requirement = output["requirements"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["id", "created_at", "tool_execution"], requirement.Select(kv => kv.Key));
        Assert.Equal(ToolExecutionKeys, requirement["tool_execution"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public async Task An_agent_description_marks_tools_that_need_a_confirmation_or_an_external_execution()
    {
        var approval = new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string city) => "sunny", "get_weather", "The weather."));
        var external = AIFunctionFactory.CreateDeclaration("run_shell", null, System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement);
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("tools-agent", new EchoChatClient(), a =>
        {
            a.Tools.Add(approval);
            a.Tools.Add(external);
        }));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var agent = JsonNode.Parse(await http.GetStringAsync("agents/tools-agent"))!.AsObject();
        var tools = agent["tools"]!["tools"]!.AsArray().Select(t => t!.AsObject()).ToList();

        Assert.Equal(["id", "name", "db_id", "is_factory", "model", "tools", "sessions", "is_component"], agent.Select(kv => kv.Key));
        Assert.Equal(["name", "description", "parameters", "requires_confirmation"], tools[0].Select(kv => kv.Key));
        Assert.True(tools[0]["requires_confirmation"]!.GetValue<bool>());
        Assert.Equal(["name", "description", "parameters", "external_execution"], tools[1].Select(kv => kv.Key));
        Assert.Equal(string.Empty, tools[1]["description"]!.GetValue<string>()); // MEAI reports a missing description as empty
        Assert.True(tools[1]["external_execution"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_step_paused_for_a_confirmation_without_message_writes_the_message_as_null_and_no_user_input_fields()
    {
        var step = WorkflowStep.ForFunction("check", _ => "checked");
        step.RequiresConfirmation = true;
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddWorkflow(new HostedWorkflow("confirm-flow", step)));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.PostAsync("workflows/confirm-flow/runs", new FormUrlEncodedContent([new("message", "go"), new("stream", "true"), new("session_id", "shape-step")]));
        string body = await response.Content.ReadAsStringAsync();
        var events = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!.AsObject()).ToList();
        var paused = events.Single(e => e["event"]?.GetValue<string>() == "StepPaused");
        var workflowPaused = events.Single(e => e["event"]?.GetValue<string>() == "WorkflowPaused");

        Assert.True(paused.ContainsKey("confirmation_message"));
        Assert.Null(paused["confirmation_message"]);
        Assert.False(paused.ContainsKey("user_input_message"));
        Assert.False(paused.ContainsKey("user_input_schema"));
        Assert.False(paused["requires_user_input"]!.GetValue<bool>());
        Assert.Equal("PAUSED", workflowPaused["status"]!.GetValue<string>());
        var requirement = workflowPaused["step_requirements"]!.AsArray().Single()!.AsObject();
        Assert.True(requirement.ContainsKey("confirmed"));
        Assert.Null(requirement["confirmed"]);
        Assert.False(requirement.ContainsKey("user_input_schema"));
        Assert.Equal("cancel", requirement["on_timeout"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_query_below_its_minimum_answers_fastapis_validation_error_with_its_ctx()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync("sessions?limit=0");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.AsArray().Single()!.AsObject();

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal(["type", "loc", "msg", "input", "ctx"], error.Select(kv => kv.Key));
        Assert.Equal("greater_than_equal", error["type"]!.GetValue<string>());
        Assert.Equal(1, error["ctx"]!["ge"]!.GetValue<long>());
        Assert.Equal("0", error["input"]!.GetValue<string>());
    }
}
