using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A workflow served over the AgentOS protocol: ordered steps (agents, teams or functions), each step's output
/// feeding the next. Streams carry <c>WorkflowStarted</c>, <c>StepStarted</c>, the step agent's or team's own
/// events, <c>StepOutput</c> (function steps), <c>StepCompleted</c> and <c>WorkflowCompleted</c>.
/// </summary>
public sealed class HostedWorkflow
{
    /// <summary>Creates a workflow.</summary>
    /// <param name="id">The workflow id (a URL segment: <c>/workflows/{id}</c>).</param>
    /// <param name="steps">The steps, in order.</param>
    public HostedWorkflow(string id, params IEnumerable<WorkflowStep> steps)
    {
        ComponentIds.Validate(id, nameof(id));
        ArgumentNullException.ThrowIfNull(steps);
        Id = id;
        foreach (var s in steps)
        {
            Steps.Add(s ?? throw new ArgumentException("A workflow step is null.", nameof(steps)));
        }
    }

    /// <summary>The workflow id.</summary>
    public string Id { get; }

    /// <summary>The steps, in order.</summary>
    public IList<WorkflowStep> Steps { get; } = [];

    /// <summary>The display name (defaults to the id).</summary>
    public string? Name { get; set; }

    /// <summary>What the workflow does.</summary>
    public string? Description { get; set; }

    /// <summary>Metadata shown by discovery.</summary>
    public JsonObject? Metadata { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"HostedWorkflow({Id})";
}

/// <summary>What happens to a step whose confirmation is rejected.</summary>
public enum StepRejectionBehavior
{
    /// <summary>The step is skipped; the workflow goes on (AgentOS's <c>skip</c>).</summary>
    Skip,

    /// <summary>The workflow is cancelled (AgentOS's <c>cancel</c>).</summary>
    Cancel,
}

/// <summary>A workflow step: an agent, a team or a function, optionally gated by a human confirmation or input.</summary>
public sealed class WorkflowStep
{
    private WorkflowStep(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The step's name.</summary>
    public string Name { get; }

    /// <summary>What the step does.</summary>
    public string? Description { get; set; }

    /// <summary>The step's agent (agent steps).</summary>
    public HostedAgent? Agent { get; private init; }

    /// <summary>The step's team (team steps).</summary>
    public HostedTeam? Team { get; private init; }

    /// <summary>The step's function (function steps).</summary>
    public Func<WorkflowStepInput, CancellationToken, ValueTask<string>>? Function { get; private init; }

    /// <summary>The function's name as reported (<c>executor_name</c>).</summary>
    public string? FunctionName { get; private init; }

    /// <summary>Whether the workflow pauses for a confirmation before this step runs.</summary>
    public bool RequiresConfirmation { get; set; }

    /// <summary>The question shown with the confirmation.</summary>
    public string? ConfirmationMessage { get; set; }

    /// <summary>What a rejection does.</summary>
    public StepRejectionBehavior OnReject { get; set; } = StepRejectionBehavior.Skip;

    /// <summary>Fields the user fills in before this step runs (the workflow pauses for them); the values reach the step in <see cref="WorkflowStepInput.UserInput"/>.</summary>
    public IList<UserInputFieldDefinition> UserInputFields { get; } = [];

    /// <summary>The prompt shown with the user-input fields.</summary>
    public string? UserInputMessage { get; set; }

    internal string ExecutorType => Agent is not null ? "agent" : Team is not null ? "team" : "function";

    internal string ExecutorName => Agent is not null ? (Agent.Name ?? Agent.Id) : Team is not null ? (Team.Name ?? Team.Id) : FunctionName ?? Name;

    /// <summary>A step run by an agent: it receives the workflow input (first step) or the previous step's output.</summary>
    /// <param name="name">The step's name.</param>
    /// <param name="agent">The agent.</param>
    /// <returns>The step.</returns>
    public static WorkflowStep ForAgent(string name, HostedAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new WorkflowStep(name) { Agent = agent };
    }

    /// <summary>A step run by a team: it receives the workflow input (first step) or the previous step's output.</summary>
    /// <param name="name">The step's name.</param>
    /// <param name="team">The team.</param>
    /// <returns>The step.</returns>
    public static WorkflowStep ForTeam(string name, HostedTeam team)
    {
        ArgumentNullException.ThrowIfNull(team);
        return new WorkflowStep(name) { Team = team };
    }

    /// <summary>A step run by a function. An exception thrown by it fails the workflow (<c>WorkflowError</c>).</summary>
    /// <param name="name">The step's name.</param>
    /// <param name="function">The function: it gets the step input and returns the step's output.</param>
    /// <param name="functionName">The name reported as the executor (defaults to the step name).</param>
    /// <returns>The step.</returns>
    public static WorkflowStep ForFunction(string name, Func<WorkflowStepInput, CancellationToken, ValueTask<string>> function, string? functionName = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new WorkflowStep(name) { Function = function, FunctionName = functionName };
    }

    /// <summary>A step run by a synchronous function.</summary>
    /// <param name="name">The step's name.</param>
    /// <param name="function">The function.</param>
    /// <param name="functionName">The name reported as the executor.</param>
    /// <returns>The step.</returns>
    public static WorkflowStep ForFunction(string name, Func<WorkflowStepInput, string> function, string? functionName = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return ForFunction(name, (input, _) => ValueTask.FromResult(function(input)), functionName);
    }

    /// <inheritdoc />
    public override string ToString() => $"WorkflowStep({Name}, {ExecutorType})";
}

/// <summary>What a workflow step receives.</summary>
public sealed class WorkflowStepInput
{
    internal WorkflowStepInput(string input, string? previousStepContent, string? previousStepError, IReadOnlyDictionary<string, string> previousStepOutputs, JsonObject? userInput, string workflowId, string runId, string sessionId)
    {
        Input = input;
        PreviousStepContent = previousStepContent;
        PreviousStepError = previousStepError;
        PreviousStepOutputs = previousStepOutputs;
        UserInput = userInput ?? [];
        WorkflowId = workflowId;
        RunId = runId;
        SessionId = sessionId;
    }

    /// <summary>The workflow's input message.</summary>
    public string Input { get; }

    /// <summary>The previous step's output (null for the first step).</summary>
    public string? PreviousStepContent { get; }

    /// <summary>The previous step's error, when its agent or team failed (its content is then empty).</summary>
    public string? PreviousStepError { get; }

    /// <summary>The outputs of the steps that ran, by step name.</summary>
    public IReadOnlyDictionary<string, string> PreviousStepOutputs { get; }

    /// <summary>The values the user gave for the step's <see cref="WorkflowStep.UserInputFields"/>.</summary>
    public JsonObject UserInput { get; }

    /// <summary>The workflow id.</summary>
    public string WorkflowId { get; }

    /// <summary>The workflow run id.</summary>
    public string RunId { get; }

    /// <summary>The session id.</summary>
    public string SessionId { get; }

    /// <summary>The text the step works on: the previous step's output, or the workflow input for the first step.</summary>
    public string Message => PreviousStepContent ?? Input;
}
