using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>
/// The components of the server the fixtures were recorded from (agno 2.9.0 with a deterministic EchoModel),
/// rebuilt on this host with scripted chat clients that behave the same way.
/// </summary>
internal static class FixtureComponents
{
    public const string EchoAgentDescription = "Echoes the last user message back, in chunks when streaming.";
    public const string ToolAgentDescription = "Calls add(a,b) for 'add A B'; calls delete_record(record_id) (requires confirmation) for 'delete X'.";

    /// <summary>The first recording's server (port 7777): echo-agent, tool-agent, echo-team, echo-workflow.</summary>
    public static void AddBasic(AgentOSHostBuilder b)
    {
        b.AddAgent(new HostedAgent("echo-agent", new SlowableEcho("Echo: "))
        {
            Name = "Echo Agent",
            Description = EchoAgentDescription,
        });
        b.AddAgent(ToolAgent());
        b.AddTeam(EchoTeam());
        b.AddWorkflow(EchoWorkflow());
    }

    /// <summary>The extended server (port 7779): the basic components plus the failing, thinking and HITL ones.</summary>
    public static void AddExtended(AgentOSHostBuilder b)
    {
        AddBasic(b);
        b.AddAgent(new HostedAgent("fail-agent", new FailingChatClient())
        {
            Name = "Fail Agent",
            Description = "Its model always fails with a provider error (ModelProviderError 503); streaming fails after 2 chunks.",
            ModelId = "echo-failing-model",
        });
        b.AddTeam(new HostedTeam("fail-team", new FailingChatClient(chunks: 0), new HostedAgent("fail-team-member", new EchoChatClient("Member: ")) { Name = "Fail Team Member" })
        {
            Name = "Fail Team",
            ModelId = "echo-failing-model",
        });
        b.AddWorkflow(FailWorkflow());
        b.AddAgent(new HostedAgent("thinking-agent", ThinkingClient())
        {
            Name = "Thinking Agent",
            Description = "Returns reasoning_content before its answer.",
            ModelId = "echo-thinking-model",
            ModelProvider = "Echo",
        });
        b.AddAgent(HitlAgent());
        b.AddTeam(HitlTeam());
        b.AddWorkflow(HitlWorkflow());
    }

    public static HostedAgent ToolAgent()
    {
        var client = new ScriptedChatClient(turn =>
        {
            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent("Tool result: " + MessageText(turn.FunctionResults[^1].Result))];
            }

            var words = turn.LastUserText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int add = Array.IndexOf(words, "add");
            if (add >= 0 && words.Length > add + 3)
            {
                return [Call("add", new JsonObject { ["a"] = int.Parse(words[add + 1]), ["b"] = int.Parse(words[add + 3]) })];
            }

            int delete = Array.IndexOf(words, "delete");
            if (delete >= 0 && words.Length > delete + 1)
            {
                return [Call("delete_record", new JsonObject { ["record_id"] = words[delete + 1] })];
            }

            return [new TextContent("Echo: " + turn.LastUserText + $" (turn {turn.Turn})")];
        }, "echo-model", "Echo");
        var agent = new HostedAgent("tool-agent", client)
        {
            Name = "Tool Agent",
            Description = ToolAgentDescription,
        };
        agent.Tools.Add(AIFunctionFactory.Create(([Description("(int) first addend")] int a, [Description("(int) second addend")] int b) => a + b, "add", "Add two integers and return the sum."));
        agent.Tools.Add(new ApprovalRequiredAIFunction(AIFunctionFactory.Create(([Description("(str) id of the record to delete")] string record_id) => $"Record {record_id} deleted", "delete_record", "Delete a record by id. Requires human confirmation.")));
        return agent;
    }

    public static HostedTeam EchoTeam()
    {
        var leader = LeaderScript("echo-member");
        var team = new HostedTeam(
            "echo-team",
            leader,
            new HostedAgent("echo-member", new SlowableEcho("Member: ")) { Name = "Echo Member", Role = "Echoes the delegated task" },
            new HostedAgent("shout-member", new EchoChatClient("SHOUT: ")) { Name = "Shout Member", Role = "Second member (not delegated to by the fake leader)" })
        {
            Name = "Echo Team",
            Description = "Leader delegates every request to echo-member and reports 'Team: <member answer>'.",
        };
        return team;
    }

    public static HostedWorkflow EchoWorkflow()
        => new(
            "echo-workflow",
            Described(WorkflowStep.ForAgent("echo", new HostedAgent("workflow-echo-agent", new SlowableEcho("WF: ")) { Name = "Workflow Echo Agent" }), "Echo agent step"),
            Described(WorkflowStep.ForFunction("upper", input => "UPPER: " + (input.PreviousStepContent ?? input.Input).ToUpperInvariant(), "upper_step"), "Upper-case the previous step"))
        {
            Name = "Echo Workflow",
            Description = "Step 1 'echo' runs echo-member-style agent; step 2 'upper' is a python function upper-casing step 1.",
        };

    public static HostedWorkflow FailWorkflow()
        => new(
            "fail-workflow",
            WorkflowStep.ForAgent("fail", new HostedAgent("workflow-fail-agent", new FailingChatClient(chunks: 0)) { Name = "Workflow Fail Agent", ModelId = "echo-failing-model" }),
            WorkflowStep.ForFunction("guard", input => string.IsNullOrEmpty(input.PreviousStepContent)
                ? throw new InvalidOperationException($"Step 'fail' produced no usable output (error: {input.PreviousStepError ?? "None"})")
                : input.PreviousStepContent, "guard_step"))
        {
            Name = "Fail Workflow",
        };

    public static HostedAgent HitlAgent()
    {
        var client = new ScriptedChatClient(turn =>
        {
            if (turn.InputResponses.Count > 0)
            {
                var response = turn.InputResponses[0];
                var toolCall = response.ToolCall!;
                var args = new Dictionary<string, object?>(toolCall.Arguments ?? new Dictionary<string, object?>());
                foreach (var (name, value) in response.Values)
                {
                    args[name] = value?.ToString();
                }

                string result = $"Ticket '{args["title"]}' created with priority {args["priority"]}";
                return
                [
                    new FunctionCallContent(toolCall.CallId, "create_ticket", args),
                    new FunctionResultContent(toolCall.CallId, result),
                    new TextContent("Tool result: " + result),
                ];
            }

            if (turn.ApprovalResponses.Count > 0)
            {
                var approval = turn.ApprovalResponses[0];
                var call = (FunctionCallContent)approval.ToolCall;
                if (!approval.Approved)
                {
                    return [new TextContent("Tool result: " + (approval.Reason ?? "rejected"))];
                }

                string result = $"Record {call.Arguments?["record_id"]} deleted";
                return [call, new FunctionResultContent(call.CallId, result), new TextContent("Tool result: " + result)];
            }

            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent("Tool result: " + MessageText(turn.FunctionResults[^1].Result))];
            }

            string text = turn.LastUserText;
            if (text.Contains("ticket ", StringComparison.Ordinal))
            {
                string title = text[(text.IndexOf("ticket ", StringComparison.Ordinal) + 7)..];
                var call = Call("create_ticket", new JsonObject { ["title"] = title });
                return
                [
                    new AgnoInputRequestContent(Guid.NewGuid().ToString())
                    {
                        ToolCall = call,
                        Fields =
                        [
                            new UserInputField { Name = "title", FieldType = "str", Description = "ticket title", Value = title },
                            new UserInputField { Name = "priority", FieldType = "str", Description = "ticket priority (low, normal or high), provided by the user" },
                        ],
                    },
                ];
            }

            if (text.Contains("run ", StringComparison.Ordinal))
            {
                return [Call("run_shell_command", new JsonObject { ["command"] = text[(text.IndexOf("run ", StringComparison.Ordinal) + 4)..] })];
            }

            if (text.Contains("delete ", StringComparison.Ordinal))
            {
                string id = text[(text.IndexOf("delete ", StringComparison.Ordinal) + 7)..].Split(' ')[0];
                return [new ToolApprovalRequestContent(Guid.NewGuid().ToString(), Call("delete_record", new JsonObject { ["record_id"] = id }))];
            }

            return [new TextContent("Echo: " + text + $" (turn {turn.Turn})")];
        }, "echo-model", "Echo");
        return new HostedAgent("hitl-agent", client)
        {
            Name = "HITL Agent",
            AddHistoryToContext = false,
            Description = "'ticket <title>' -> create_ticket (requires user input: priority); 'run <command>' -> run_shell_command (external execution); 'delete X' -> delete_record (confirmation).",
        };
    }

    public static HostedTeam HitlTeam()
    {
        var leader = new ScriptedChatClient(turn =>
        {
            if (turn.ApprovalResponses.Count > 0)
            {
                var approval = turn.ApprovalResponses[0];
                var call = (FunctionCallContent)approval.ToolCall;
                return approval.Approved
                    ? [call, new FunctionResultContent(call.CallId, "purged"), new TextContent("Team: purged " + call.Arguments?["cache_name"])]
                    : [new TextContent("Team: " + (approval.Reason ?? "rejected"))];
            }

            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent("Team: " + MessageText(turn.FunctionResults[^1].Result))];
            }

            string text = turn.LastUserText;
            if (text.StartsWith("purge ", StringComparison.Ordinal))
            {
                return [new ToolApprovalRequestContent(Guid.NewGuid().ToString(), Call("purge_cache", new JsonObject { ["cache_name"] = text[6..] }))];
            }

            return [Call(HostedTeam.DelegateToolName, new JsonObject { ["member_id"] = "confirm-member", ["task"] = text })];
        }, "echo-model", "Echo");
        var member = new HostedAgent("confirm-member", new ScriptedChatClient(turn =>
        {
            if (turn.FunctionResults.Count > 0)
            {
                return [new TextContent("Tool result: " + MessageText(turn.FunctionResults[^1].Result))];
            }

            var words = turn.LastUserText.Split(' ');
            return [Call("delete_record", new JsonObject { ["record_id"] = words.Length > 1 ? words[1] : "?" })];
        }, "echo-model", "Echo"))
        {
            Name = "Confirm Member",
            Role = "Deletes records (with confirmation)",
        };
        member.Tools.Add(new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string record_id) => $"Record {record_id} deleted", "delete_record", "Delete a record by id.")));
        return new HostedTeam("hitl-team", leader, member) { Name = "HITL Team" };
    }

    public static HostedWorkflow HitlWorkflow()
    {
        var confirm = WorkflowStep.ForAgent("confirm-echo", new HostedAgent("workflow-hitl-agent", new EchoChatClient("WF-HITL: ")) { Name = "Workflow HITL Agent" });
        confirm.RequiresConfirmation = true;
        confirm.ConfirmationMessage = "Run the echo step?";
        var annotate = WorkflowStep.ForFunction("annotate", input => $"NOTE[{input.UserInput["note"]}]: {input.PreviousStepContent}", "annotate_step");
        annotate.UserInputFields.Add(new UserInputFieldDefinition("note", "str", "A note to add"));
        annotate.UserInputMessage = "Add a note";
        return new HostedWorkflow("hitl-workflow", confirm, annotate) { Name = "HITL Workflow" };
    }

    public static ScriptedChatClient LeaderScript(string memberId)
        => new(turn => turn.FunctionResults.Count > 0
            ? [new TextContent("Team: " + MessageText(turn.FunctionResults[^1].Result))]
            : [Call(HostedTeam.DelegateToolName, new JsonObject { ["member_id"] = memberId, ["task"] = turn.LastUserText })],
            "echo-model", "Echo");

    public static ScriptedChatClient ThinkingClient()
        => new(turn =>
        {
            var contents = new List<AIContent>();
            contents.AddRange(ScriptedChatClient.Words($"Thinking about '{turn.LastUserText}': I will echo it back.").Select(w => new TextReasoningContent(w)));
            contents.Add(new TextContent($"Think: {turn.LastUserText} (turn {turn.Turn})"));
            return contents;
        }, "echo-thinking-model", "Echo");

    public static FunctionCallContent Call(string name, JsonObject args)
        => new("call_" + Guid.NewGuid().ToString("N")[..16], name, args.ToDictionary(kv => kv.Key, kv => (object?)JsonSerializer.SerializeToElement(kv.Value)));

    public static string MessageText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        _ => result.ToString() ?? string.Empty,
    };

    private static WorkflowStep Described(WorkflowStep step, string description)
    {
        step.Description = description;
        return step;
    }
}

/// <summary>The echo model; for a message starting with "slow" it streams "tickN " every 40 ms until cancelled.</summary>
internal sealed class SlowableEcho(string prefix) : DelegatingChatClient(new EchoChatClient(prefix))
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        string last = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        if (!last.StartsWith("slow", StringComparison.Ordinal))
        {
            await foreach (var u in base.GetStreamingResponseAsync(list, options, cancellationToken))
            {
                yield return u;
            }

            yield break;
        }

        for (int i = 0; i < 500; i++)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"tick{i} ") { MessageId = "slow" };
            await Task.Delay(40, cancellationToken);
        }
    }
}

/// <summary>A model that fails: streams <paramref name="chunks"/> words, then throws a provider error.</summary>
internal sealed class FailingChatClient(int chunks = 2) : IChatClient
{
    public const string Message = "Simulated provider outage (FailingEchoModel)";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException(Message);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string last = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var words = ScriptedChatClient.Words("Fail: " + last).Take(chunks).ToList();
        foreach (var w in words)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, w);
        }

        throw new InvalidOperationException(Message);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("Echo", null, "echo-failing-model") : null;

    public void Dispose()
    {
    }
}
