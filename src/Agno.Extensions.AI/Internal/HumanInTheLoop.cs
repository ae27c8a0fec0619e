using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>What a paused run needs back to continue: agents the whole tool list, teams the requirements, workflows the step requirements.</summary>
internal sealed class PausedRun
{
    public PausedRun(string runId, string sessionId)
    {
        RunId = runId;
        SessionId = sessionId;
    }

    public string RunId { get; }

    public string SessionId { get; }

    public IList<ToolExecution> Tools { get; init; } = [];

    public IList<RunRequirement> Requirements { get; init; } = [];

    public IList<StepRequirement> StepRequirements { get; init; } = [];

    /// <summary>A deep copy: answers are applied to a copy, never to objects a caller or the cache holds.</summary>
    public PausedRun Clone() => new(RunId, SessionId)
    {
        Tools = DeepCopy.Of(Tools, DeepCopy.Of),
        Requirements = DeepCopy.Of(Requirements, DeepCopy.Of),
        StepRequirements = DeepCopy.Of(StepRequirements, DeepCopy.Of),
    };

    /// <summary>From a paused output; only the list the kind is continued with is kept (agents also carry requirements, teams tools).</summary>
    public static PausedRun? From(AgentOSComponentKind kind, RunOutput output)
        => Create(kind, output.RunId, output.SessionId, output.Tools, output.Requirements, (output as WorkflowRunOutput)?.StepRequirements);

    /// <summary>From a paused event of the run itself.</summary>
    public static PausedRun? From(AgentOSComponentKind kind, RunPausedEvent paused, string? runId, string? sessionId)
        => Create(kind, paused.RunId ?? runId, paused.SessionId ?? sessionId, paused.Tools, paused.Requirements, paused.StepRequirements);

    private static PausedRun? Create(AgentOSComponentKind kind, string? runId, string? sessionId, List<ToolExecution>? tools, List<RunRequirement>? requirements, List<StepRequirement>? steps)
    {
        if (runId is not { Length: > 0 } || sessionId is not { Length: > 0 })
        {
            return null;
        }

        return kind switch
        {
            AgentOSComponentKind.Agent => new PausedRun(runId, sessionId) { Tools = tools ?? [] },
            AgentOSComponentKind.Team => new PausedRun(runId, sessionId) { Requirements = requirements ?? [] },
            _ => new PausedRun(runId, sessionId) { StepRequirements = steps ?? [] },
        };
    }
}

/// <summary>An answer found in the caller's messages: the content and the decoded request id.</summary>
internal readonly record struct HitlAnswer(string RunId, string SessionId, string ItemId, AIContent Content);

/// <summary>
/// Maps what a paused run needs to MEAI request contents and the caller's answers back onto the run.
/// Request ids (and the call ids of tools the caller executes) encode the run, its session and the item:
/// <c>agno:{runId}:{sessionId}:{itemId}</c>, each part URI-escaped, so an answer can be applied by any client
/// instance, even after the history was serialized.
/// </summary>
internal static class HumanInTheLoop
{
    private const string Prefix = "agno:";

    public static string EncodeId(string runId, string sessionId, string itemId)
        => string.Concat(Prefix, Uri.EscapeDataString(runId), ":", Uri.EscapeDataString(sessionId), ":", Uri.EscapeDataString(itemId));

    public static bool TryDecodeId(string? id, out string runId, out string sessionId, out string itemId)
    {
        runId = sessionId = itemId = string.Empty;
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = id.AsSpan(Prefix.Length);
        int a = rest.IndexOf(':');
        if (a <= 0)
        {
            return false;
        }

        var afterRun = rest[(a + 1)..];
        int b = afterRun.IndexOf(':');
        if (b <= 0 || b == afterRun.Length - 1)
        {
            return false;
        }

        runId = Uri.UnescapeDataString(rest[..a].ToString());
        sessionId = Uri.UnescapeDataString(afterRun[..b].ToString());
        itemId = Uri.UnescapeDataString(afterRun[(b + 1)..].ToString());
        return true;
    }

    /// <summary>Adds a content for everything the paused run waits for. Returns the number added.</summary>
    public static int AddRequests(IList<AIContent> contents, PausedRun paused)
    {
        int before = contents.Count;
        foreach (var tool in paused.Tools)
        {
            if (tool?.ToolCallId is { Length: > 0 } callId && tool.NeedsHumanAction)
            {
                AddToolRequest(contents, paused, callId, tool, tool, userInputSchema: null);
            }
        }

        foreach (var requirement in paused.Requirements)
        {
            AddRequirementRequest(contents, paused, requirement, itemPrefix: null);
        }

        foreach (var step in paused.StepRequirements)
        {
            AddStepRequests(contents, paused, step);
        }

        return contents.Count - before;
    }

    /// <summary>The answers to paused runs among <paramref name="messages"/>[<paramref name="start"/>..], or null.</summary>
    public static List<HitlAnswer>? FindAnswers(IList<ChatMessage> messages, int start)
    {
        List<HitlAnswer>? answers = null;
        for (int i = start; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                var content = contents[j];
                string? id = content switch
                {
                    ToolApprovalResponseContent approval => approval.RequestId,
                    AgnoInputResponseContent input => input.RequestId,
                    FunctionResultContent result => result.CallId,
                    _ => null,
                };

                if (TryDecodeId(id, out var runId, out var sessionId, out var itemId))
                {
                    (answers ??= []).Add(new HitlAnswer(runId, sessionId, itemId, content));
                }
            }
        }

        if (answers is not null)
        {
            for (int i = 1; i < answers.Count; i++)
            {
                if (answers[i].RunId != answers[0].RunId)
                {
                    throw new ArgumentException($"The messages answer two paused runs ('{answers[0].RunId}' and '{answers[i].RunId}'); answer one run per call.");
                }
            }
        }

        return answers;
    }

    /// <summary>Applies the answers onto the paused run's tools or requirements.</summary>
    public static void Apply(PausedRun paused, List<HitlAnswer> answers)
    {
        foreach (var answer in answers)
        {
            if (!ApplyToTools(paused, answer) && !ApplyToRequirements(paused.Requirements, answer.ItemId, answer) && !ApplyToSteps(paused, answer))
            {
                throw new ArgumentException($"The answer '{IdOf(answer.Content)}' matches nothing the paused run '{paused.RunId}' waits for.");
            }
        }
    }

    private static void AddToolRequest(IList<AIContent> contents, PausedRun paused, string itemId, ToolExecution tool, object raw, List<UserInputField>? userInputSchema)
    {
        string id = EncodeId(paused.RunId, paused.SessionId, itemId);
        if (tool.RequiresConfirmation == true && tool.Confirmed is null)
        {
            var approval = new ToolApprovalRequestContent(id, InformationalCall(tool)) { RawRepresentation = raw };
            if (tool.ApprovalType is { Length: > 0 } approvalType)
            {
                // agno's @approval: "required" waits for an admin (AgentOSClient.ResolveApprovalAsync), not for this caller
                approval.AdditionalProperties = new AdditionalPropertiesDictionary { [AgnoPropertyNames.ApprovalType] = approvalType };
                if (tool.ApprovalId is { Length: > 0 } approvalId)
                {
                    approval.AdditionalProperties[AgnoPropertyNames.ApprovalId] = approvalId;
                }
            }

            contents.Add(approval);
            return;
        }

        if (tool.RequiresUserInput == true)
        {
            contents.Add(new AgnoInputRequestContent(id)
            {
                Fields = userInputSchema ?? tool.UserInputSchema ?? [],
                ToolCall = InformationalCall(tool),
                RawRepresentation = raw,
            });
            return;
        }

        if (tool.ExternalExecutionRequired == true)
        {
            // The caller runs this tool and sends a FunctionResultContent with this call id.
            contents.Add(JsonValues.Call(id, tool.ToolName ?? "tool", tool.ToolArgs, raw));
        }
    }

    private static void AddRequirementRequest(IList<AIContent> contents, PausedRun paused, RunRequirement? requirement, string? itemPrefix)
    {
        if (requirement?.Id is not { Length: > 0 } reqId || requirement.ToolExecution is not { } tool || !NeedsAction(requirement))
        {
            return;
        }

        AddToolRequest(contents, paused, itemPrefix is null ? reqId : itemPrefix + "/" + reqId, tool, requirement, requirement.UserInputSchema);
    }

    private static bool NeedsAction(RunRequirement r)
    {
        var tool = r.ToolExecution!;
        if (tool.RequiresConfirmation == true)
        {
            return r.Confirmation is null && tool.Confirmed is null;
        }

        if (tool.RequiresUserInput == true)
        {
            return tool.NeedsHumanAction;
        }

        return tool.ExternalExecutionRequired == true && r.ExternalExecutionResult is null && tool.Result is null;
    }

    private static void AddStepRequests(IList<AIContent> contents, PausedRun paused, StepRequirement? step)
    {
        if (step?.StepId is not { Length: > 0 } stepId)
        {
            return;
        }

        string id = EncodeId(paused.RunId, paused.SessionId, stepId);
        if (step.RequiresConfirmation == true && step.Confirmed is null)
        {
            var request = new ToolApprovalRequestContent(id, new FunctionCallContent(stepId, step.StepName ?? stepId) { InformationalOnly = true, RawRepresentation = step })
            {
                RawRepresentation = step,
            };
            if (step.ConfirmationMessage is { } question)
            {
                request.AdditionalProperties = new() { [AgnoPropertyNames.Message] = question };
            }

            contents.Add(request);
        }
        else if (step.RequiresUserInput == true && step.UserInput is null)
        {
            contents.Add(new AgnoInputRequestContent(id) { Message = step.UserInputMessage, Fields = step.UserInputSchema ?? [], RawRepresentation = step });
        }
        else if (step.RequiresRouteSelection == true && step.SelectedChoices is null)
        {
            contents.Add(new AgnoInputRequestContent(id)
            {
                Message = step.UserInputMessage,
                Choices = step.AvailableChoices ?? [],
                AllowMultipleChoices = step.AllowMultipleSelections == true,
                RawRepresentation = step,
            });
        }

        if (step.ExecutorRequirements is { } inner)
        {
            foreach (var requirement in inner)
            {
                AddRequirementRequest(contents, paused, requirement, stepId);
            }
        }
    }

    private static FunctionCallContent InformationalCall(ToolExecution tool)
        => JsonValues.Call(tool.ToolCallId ?? string.Empty, tool.ToolName ?? "tool", tool.ToolArgs, tool, informational: true);

    private static bool ApplyToTools(PausedRun paused, HitlAnswer answer)
    {
        foreach (var tool in paused.Tools)
        {
            if (tool?.ToolCallId == answer.ItemId)
            {
                switch (answer.Content)
                {
                    case ToolApprovalResponseContent approval:
                        _ = approval.Approved ? tool.Confirm(approval.Reason) : tool.Reject(approval.Reason);
                        break;
                    case AgnoInputResponseContent input:
                        foreach (var (name, value) in input.Values)
                        {
                            tool.SetUserInput(name, value?.DeepClone());
                        }

                        break;
                    case FunctionResultContent result:
                        tool.SetResult(JsonValues.ResultText(result));
                        break;
                }

                return true;
            }
        }

        return false;
    }

    private static bool ApplyToRequirements(IList<RunRequirement>? requirements, string itemId, HitlAnswer answer)
    {
        if (requirements is null)
        {
            return false;
        }

        foreach (var requirement in requirements)
        {
            if (requirement?.Id == itemId)
            {
                switch (answer.Content)
                {
                    case ToolApprovalResponseContent approval:
                        _ = approval.Approved ? requirement.Confirm(approval.Reason) : requirement.Reject(approval.Reason);
                        break;
                    case AgnoInputResponseContent input:
                        foreach (var (name, value) in input.Values)
                        {
                            requirement.SetUserInput(name, value?.DeepClone());
                        }

                        break;
                    case FunctionResultContent result:
                        requirement.SetExternalExecutionResult(JsonValues.ResultText(result));
                        break;
                }

                return true;
            }
        }

        return false;
    }

    private static bool ApplyToSteps(PausedRun paused, HitlAnswer answer)
    {
        string itemId = answer.ItemId;
        int slash = itemId.IndexOf('/', StringComparison.Ordinal);
        string stepId = slash < 0 ? itemId : itemId[..slash];
        foreach (var step in paused.StepRequirements)
        {
            if (step?.StepId != stepId)
            {
                continue;
            }

            if (slash >= 0)
            {
                return ApplyToRequirements(step.ExecutorRequirements, itemId[(slash + 1)..], answer);
            }

            switch (answer.Content)
            {
                case ToolApprovalResponseContent approval:
                    _ = approval.Approved ? step.Confirm() : step.Reject();
                    break;
                case AgnoInputResponseContent input:
                    if (input.SelectedChoices is { } choices)
                    {
                        step.SelectRoutes([.. choices]);
                    }

                    if (input.Values.Count > 0)
                    {
                        // As agno's own client: the values go in user_input (the schema's values stay as sent).
                        step.UserInput ??= [];
                        foreach (var (name, value) in input.Values)
                        {
                            step.UserInput[name] = value?.DeepClone();
                        }
                    }

                    break;
                default:
                    return false;
            }

            return true;
        }

        return false;
    }

    private static string? IdOf(AIContent content) => content switch
    {
        InputResponseContent r => r.RequestId,
        FunctionResultContent f => f.CallId,
        _ => null,
    };
}
