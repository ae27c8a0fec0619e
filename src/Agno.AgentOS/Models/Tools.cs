using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>
/// A tool call made (or to be made) by a run: agno's <c>ToolExecution</c>. Paused runs carry the tools
/// that need a human: answer them with decisions (<see cref="Approved"/>, <see cref="Rejected"/>,
/// <see cref="WithUserInput"/>, <see cref="WithResult"/>: new tools, the paused output is not changed) or in place
/// (<see cref="Confirm"/>, <see cref="Reject"/>, <see cref="SetUserInput"/>, <see cref="SetResult"/>), and send them
/// back to continue the run.
/// </summary>
public sealed class ToolExecution
{
    /// <summary>The model's id for this call.</summary>
    public string? ToolCallId { get; set; }

    /// <summary>The tool's name.</summary>
    public string? ToolName { get; set; }

    /// <summary>The arguments the model chose.</summary>
    public JsonObject? ToolArgs { get; set; }

    /// <summary>Whether the tool call failed.</summary>
    public bool? ToolCallError { get; set; }

    /// <summary>The tool's result (set it for external execution).</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Result { get; set; }

    /// <summary>Timing of the call.</summary>
    public JsonElement? Metrics { get; set; }

    /// <summary>The run started by this tool call, if any.</summary>
    public string? ChildRunId { get; set; }

    /// <summary>Whether the run stops after this tool.</summary>
    public bool? StopAfterToolCall { get; set; }

    /// <summary>When the call was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Whether a human must confirm the call before it runs.</summary>
    public bool? RequiresConfirmation { get; set; }

    /// <summary>The human's decision: true to run the tool, false to reject it.</summary>
    public bool? Confirmed { get; set; }

    /// <summary>A note that goes with the decision.</summary>
    public string? ConfirmationNote { get; set; }

    /// <summary>Whether the tool needs values from the user.</summary>
    public bool? RequiresUserInput { get; set; }

    /// <summary>The fields the user fills in (<see cref="UserInputField.Value"/>).</summary>
    public List<UserInputField>? UserInputSchema { get; set; }

    /// <summary>Structured feedback questions (agno's <c>user_feedback_schema</c>).</summary>
    public JsonElement? UserFeedbackSchema { get; set; }

    /// <summary>Whether the user has answered.</summary>
    public bool? Answered { get; set; }

    /// <summary>Whether the caller must run the tool and send back its <see cref="Result"/>.</summary>
    public bool? ExternalExecutionRequired { get; set; }

    /// <summary>Whether the external execution is silent.</summary>
    public bool? ExternalExecutionSilent { get; set; }

    /// <summary>The approval type (e.g. <c>required</c> for admin approval).</summary>
    public string? ApprovalType { get; set; }

    /// <summary>The approval's id.</summary>
    public string? ApprovalId { get; set; }

    /// <summary>Fields this library does not model, kept and sent back as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Whether this tool still needs a human: an unanswered confirmation, user input or external result.</summary>
    [JsonIgnore]
    public bool NeedsHumanAction =>
        (RequiresConfirmation == true && Confirmed is null)
        || (RequiresUserInput == true && Answered != true && (UserInputSchema?.Exists(f => f is not null && f.Value is null) ?? true))
        || (ExternalExecutionRequired == true && Result is null);

    /// <summary>
    /// The decision to approve the call, as a new tool: this one (and the paused output that holds it) is left as it
    /// came. Send decisions with <c>RemoteAgent.ContinueAsync(paused, decisions)</c> or
    /// <see cref="ContinueRunRequest.From(AgentRunOutput, IEnumerable{ToolExecution})"/>.
    /// </summary>
    /// <param name="note">An optional note.</param>
    /// <returns>A copy of this tool, confirmed.</returns>
    public ToolExecution Approved(string? note = null) => Copy().Confirm(note);

    /// <summary>The decision to reject the call, as a new tool (this one is left as it came).</summary>
    /// <param name="note">An optional note the model sees.</param>
    /// <returns>A copy of this tool, rejected.</returns>
    public ToolExecution Rejected(string? note = null) => Copy().Reject(note);

    /// <summary>The user's answer to a user-input field, as a new tool (this one is left as it came).</summary>
    /// <param name="name">The field's name, as in <see cref="UserInputSchema"/>.</param>
    /// <param name="value">The value.</param>
    /// <returns>A copy of this tool with the value.</returns>
    /// <exception cref="ArgumentException">The tool has no such field.</exception>
    public ToolExecution WithUserInput(string name, JsonNode? value) => Copy().SetUserInput(name, value);

    /// <summary>The result of an externally executed tool, as a new tool (this one is left as it came).</summary>
    /// <param name="result">The result the model sees.</param>
    /// <returns>A copy of this tool with the result.</returns>
    public ToolExecution WithResult(string result) => Copy().SetResult(result);

    private ToolExecution Copy()
        => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(this, AgentOSJsonContext.Default.ToolExecution), AgentOSJsonContext.Default.ToolExecution)!;

    /// <summary>Approves the call, changing this tool in place (see <see cref="Approved"/> for a decision that leaves it as it came).</summary>
    /// <param name="note">An optional note.</param>
    /// <returns>This tool, for chaining.</returns>
    public ToolExecution Confirm(string? note = null)
    {
        Confirmed = true;
        ConfirmationNote = note ?? ConfirmationNote;
        return this;
    }

    /// <summary>Rejects the call: the tool does not run.</summary>
    /// <param name="note">An optional note the model sees.</param>
    /// <returns>This tool, for chaining.</returns>
    public ToolExecution Reject(string? note = null)
    {
        Confirmed = false;
        ConfirmationNote = note ?? ConfirmationNote;
        return this;
    }

    /// <summary>Sets the value of a user-input field.</summary>
    /// <param name="name">The field's name, as in <see cref="UserInputSchema"/>.</param>
    /// <param name="value">The value.</param>
    /// <returns>This tool, for chaining.</returns>
    /// <exception cref="ArgumentException">The tool has no such field.</exception>
    public ToolExecution SetUserInput(string name, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var field = UserInputSchema?.Find(f => f.Name == name)
            ?? throw new ArgumentException($"Tool '{ToolName}' has no user input field named '{name}'.", nameof(name));
        field.Value = value;
        return this;
    }

    /// <summary>Sets the result of an externally executed tool.</summary>
    /// <param name="result">The result the model sees.</param>
    /// <returns>This tool, for chaining.</returns>
    public ToolExecution SetResult(string result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
        return this;
    }
}

/// <summary>A field the user fills in for a tool that requires user input.</summary>
public sealed class UserInputField
{
    /// <summary>The field's name.</summary>
    public string? Name { get; set; }

    /// <summary>The field's type (<c>str</c>, <c>int</c>, <c>float</c>, <c>bool</c>, <c>list</c>, <c>dict</c>).</summary>
    public string? FieldType { get; set; }

    /// <summary>What the field means.</summary>
    public string? Description { get; set; }

    /// <summary>The value (null until given; the model may pre-fill some).</summary>
    public JsonNode? Value { get; set; }

    /// <summary>Fields this library does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// Something a paused run needs from a human (agno's <c>RunRequirement</c>). Teams are continued with
/// their requirements; requirements raised by a team member carry <see cref="MemberAgentId"/>.
/// </summary>
public sealed class RunRequirement
{
    /// <summary>The requirement's id.</summary>
    public string? Id { get; set; }

    /// <summary>When it was raised.</summary>
    [JsonConverter(typeof(IsoDateTimeOffsetConverter))]
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The human's decision on a confirmation.</summary>
    public bool? Confirmation { get; set; }

    /// <summary>A note that goes with the decision.</summary>
    public string? ConfirmationNote { get; set; }

    /// <summary>The result of an externally executed tool.</summary>
    public string? ExternalExecutionResult { get; set; }

    /// <summary>The member agent that raised it (team runs).</summary>
    public string? MemberAgentId { get; set; }

    /// <summary>The member agent's name.</summary>
    public string? MemberAgentName { get; set; }

    /// <summary>The member's run id.</summary>
    public string? MemberRunId { get; set; }

    /// <summary>The tool call in question.</summary>
    public ToolExecution? ToolExecution { get; set; }

    /// <summary>User-input fields, when the requirement asks for input.</summary>
    public List<UserInputField>? UserInputSchema { get; set; }

    /// <summary>Structured feedback questions.</summary>
    public JsonElement? UserFeedbackSchema { get; set; }

    /// <summary>Fields this library does not model, kept and sent back as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Approves the requirement (sets <see cref="Confirmation"/> and the tool's <c>confirmed</c>, as agno's own client does).</summary>
    /// <param name="note">An optional note.</param>
    /// <returns>This requirement, for chaining.</returns>
    public RunRequirement Confirm(string? note = null) => Decide(true, note);

    /// <summary>Rejects the requirement.</summary>
    /// <param name="note">An optional note the model sees.</param>
    /// <returns>This requirement, for chaining.</returns>
    public RunRequirement Reject(string? note = null) => Decide(false, note);

    /// <summary>Sets a user-input value (on the requirement and on its tool).</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This requirement, for chaining.</returns>
    /// <exception cref="ArgumentException">Neither the requirement nor its tool has such a field.</exception>
    public RunRequirement SetUserInput(string name, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        bool found = false;
        if (UserInputSchema?.Find(f => f.Name == name) is { } field)
        {
            field.Value = value;
            found = true;
        }

        if (ToolExecution?.UserInputSchema?.Find(f => f.Name == name) is { } toolField)
        {
            toolField.Value = value?.DeepClone();
            found = true;
        }

        return found ? this : throw new ArgumentException($"The requirement has no user input field named '{name}'.", nameof(name));
    }

    /// <summary>Sets the result of an externally executed tool.</summary>
    /// <param name="result">The result.</param>
    /// <returns>This requirement, for chaining.</returns>
    public RunRequirement SetExternalExecutionResult(string result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ExternalExecutionResult = result;
        ToolExecution?.SetResult(result);
        return this;
    }

    private RunRequirement Decide(bool confirmed, string? note)
    {
        Confirmation = confirmed;
        ConfirmationNote = note ?? ConfirmationNote;
        if (ToolExecution is not null)
        {
            ToolExecution.Confirmed = confirmed;
            ToolExecution.ConfirmationNote = note ?? ToolExecution.ConfirmationNote;
        }

        return this;
    }
}

/// <summary>
/// What a paused workflow step needs (agno's <c>StepRequirement</c>): a confirmation, user input, a route
/// choice, an output review, or the requirements of the step's own agent or team.
/// </summary>
public sealed class StepRequirement
{
    /// <summary>The step's id.</summary>
    public string? StepId { get; set; }

    /// <summary>The step's name.</summary>
    public string? StepName { get; set; }

    /// <summary>The step's index (a number, or a list for nested steps).</summary>
    public JsonElement? StepIndex { get; set; }

    /// <summary>The step's type.</summary>
    public string? StepType { get; set; }

    /// <summary>Whether the step needs a confirmation.</summary>
    public bool? RequiresConfirmation { get; set; }

    /// <summary>The question to show.</summary>
    public string? ConfirmationMessage { get; set; }

    /// <summary>The human's decision.</summary>
    public bool? Confirmed { get; set; }

    /// <summary>What happens on rejection (<c>skip</c>, <c>cancel</c>, <c>else_branch</c>).</summary>
    public string? OnReject { get; set; }

    /// <summary>Whether the step needs user input.</summary>
    public bool? RequiresUserInput { get; set; }

    /// <summary>The prompt to show.</summary>
    public string? UserInputMessage { get; set; }

    /// <summary>The fields to fill in.</summary>
    public List<UserInputField>? UserInputSchema { get; set; }

    /// <summary>The values given by the user (field name to value).</summary>
    public JsonObject? UserInput { get; set; }

    /// <summary>Whether a route must be chosen.</summary>
    public bool? RequiresRouteSelection { get; set; }

    /// <summary>The routes to choose from.</summary>
    public List<string>? AvailableChoices { get; set; }

    /// <summary>Whether several routes may be chosen.</summary>
    public bool? AllowMultipleSelections { get; set; }

    /// <summary>The chosen routes.</summary>
    public List<string>? SelectedChoices { get; set; }

    /// <summary>Whether the step's agent or team paused with requirements of its own.</summary>
    public bool? RequiresExecutorInput { get; set; }

    /// <summary>The requirements of the step's agent or team.</summary>
    public List<RunRequirement>? ExecutorRequirements { get; set; }

    /// <summary>The step's executor id.</summary>
    public string? ExecutorId { get; set; }

    /// <summary>The step's executor name.</summary>
    public string? ExecutorName { get; set; }

    /// <summary>The executor's run id.</summary>
    public string? ExecutorRunId { get; set; }

    /// <summary>The executor's type (<c>agent</c> or <c>team</c>).</summary>
    public string? ExecutorType { get; set; }

    /// <summary>Whether the step's output must be reviewed.</summary>
    public bool? RequiresOutputReview { get; set; }

    /// <summary>The review prompt.</summary>
    public string? OutputReviewMessage { get; set; }

    /// <summary>Fields this library does not model, kept and sent back as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Approves the step.</summary>
    /// <returns>This requirement, for chaining.</returns>
    public StepRequirement Confirm()
    {
        Confirmed = true;
        return this;
    }

    /// <summary>Rejects the step (what follows depends on <see cref="OnReject"/>).</summary>
    /// <returns>This requirement, for chaining.</returns>
    public StepRequirement Reject()
    {
        Confirmed = false;
        return this;
    }

    /// <summary>Sets a user-input value (in <see cref="UserInput"/>, where the server reads it).</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This requirement, for chaining.</returns>
    public StepRequirement SetUserInput(string name, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        UserInput ??= [];
        UserInput[name] = value;
        return this;
    }

    /// <summary>Chooses routes for a router step.</summary>
    /// <param name="choices">The chosen routes.</param>
    /// <returns>This requirement, for chaining.</returns>
    public StepRequirement SelectRoutes(params string[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        SelectedChoices = [.. choices];
        return this;
    }
}
