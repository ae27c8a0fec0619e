using System.Text.Json;
using Agno.AgentOS;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// Deep copies of what a paused run needs back (tools, requirements, step requirements), so answers are applied
/// to a private copy: the objects handed to callers (as <c>RawRepresentation</c>) and the copy kept by the paused
/// run cache are never changed. <see cref="JsonElement"/> values are immutable and shared; JSON nodes and lists
/// are copied.
/// </summary>
internal static class DeepCopy
{
    public static List<T> Of<T>(IEnumerable<T> items, Func<T, T> copy)
    {
        var list = items is ICollection<T> c ? new List<T>(c.Count) : [];
        foreach (var item in items)
        {
            list.Add(copy(item));
        }

        return list;
    }

    public static ToolExecution Of(ToolExecution tool)
    {
        if (tool is null)
        {
            return null!;
        }

        return new ToolExecution
        {
            ToolCallId = tool.ToolCallId,
            ToolName = tool.ToolName,
            ToolArgs = tool.ToolArgs?.DeepClone().AsObject(),
            ToolCallError = tool.ToolCallError,
            Result = tool.Result,
            Metrics = tool.Metrics,
            ChildRunId = tool.ChildRunId,
            StopAfterToolCall = tool.StopAfterToolCall,
            CreatedAt = tool.CreatedAt,
            RequiresConfirmation = tool.RequiresConfirmation,
            Confirmed = tool.Confirmed,
            ConfirmationNote = tool.ConfirmationNote,
            RequiresUserInput = tool.RequiresUserInput,
            UserInputSchema = Fields(tool.UserInputSchema),
            UserFeedbackSchema = tool.UserFeedbackSchema,
            Answered = tool.Answered,
            ExternalExecutionRequired = tool.ExternalExecutionRequired,
            ExternalExecutionSilent = tool.ExternalExecutionSilent,
            ApprovalType = tool.ApprovalType,
            ApprovalId = tool.ApprovalId,
            AdditionalProperties = Extra(tool.AdditionalProperties),
        };
    }

    public static RunRequirement Of(RunRequirement requirement)
    {
        if (requirement is null)
        {
            return null!;
        }

        return new RunRequirement
        {
            Id = requirement.Id,
            CreatedAt = requirement.CreatedAt,
            Confirmation = requirement.Confirmation,
            ConfirmationNote = requirement.ConfirmationNote,
            ExternalExecutionResult = requirement.ExternalExecutionResult,
            MemberAgentId = requirement.MemberAgentId,
            MemberAgentName = requirement.MemberAgentName,
            MemberRunId = requirement.MemberRunId,
            ToolExecution = requirement.ToolExecution is { } tool ? Of(tool) : null,
            UserInputSchema = Fields(requirement.UserInputSchema),
            UserFeedbackSchema = requirement.UserFeedbackSchema,
            AdditionalProperties = Extra(requirement.AdditionalProperties),
        };
    }

    public static StepRequirement Of(StepRequirement step)
    {
        if (step is null)
        {
            return null!;
        }

        return new StepRequirement
        {
            StepId = step.StepId,
            StepName = step.StepName,
            StepIndex = step.StepIndex,
            StepType = step.StepType,
            RequiresConfirmation = step.RequiresConfirmation,
            ConfirmationMessage = step.ConfirmationMessage,
            Confirmed = step.Confirmed,
            OnReject = step.OnReject,
            RequiresUserInput = step.RequiresUserInput,
            UserInputMessage = step.UserInputMessage,
            UserInputSchema = Fields(step.UserInputSchema),
            UserInput = step.UserInput?.DeepClone().AsObject(),
            RequiresRouteSelection = step.RequiresRouteSelection,
            AvailableChoices = step.AvailableChoices is { } available ? [.. available] : null,
            AllowMultipleSelections = step.AllowMultipleSelections,
            SelectedChoices = step.SelectedChoices is { } selected ? [.. selected] : null,
            RequiresExecutorInput = step.RequiresExecutorInput,
            ExecutorRequirements = step.ExecutorRequirements is { } inner ? Of(inner, Of) : null,
            ExecutorId = step.ExecutorId,
            ExecutorName = step.ExecutorName,
            ExecutorRunId = step.ExecutorRunId,
            ExecutorType = step.ExecutorType,
            RequiresOutputReview = step.RequiresOutputReview,
            OutputReviewMessage = step.OutputReviewMessage,
            AdditionalProperties = Extra(step.AdditionalProperties),
        };
    }

    public static UserInputField Of(UserInputField field)
    {
        if (field is null)
        {
            return null!;
        }

        return new UserInputField
        {
            Name = field.Name,
            FieldType = field.FieldType,
            Description = field.Description,
            Value = field.Value?.DeepClone(),
            AdditionalProperties = Extra(field.AdditionalProperties),
        };
    }

    private static List<UserInputField>? Fields(List<UserInputField>? fields) => fields is null ? null : Of(fields, Of);

    private static Dictionary<string, JsonElement>? Extra(Dictionary<string, JsonElement>? extra)
        => extra is null ? null : new Dictionary<string, JsonElement>(extra, extra.Comparer);
}
