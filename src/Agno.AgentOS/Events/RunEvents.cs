// Event types of the AgentOS stream protocol (agno 2.9.0: run/agent.py, run/team.py, run/workflow.py, os/routers resume).
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>A run started (<c>RunStarted</c>, <c>TeamRunStarted</c>, <c>WorkflowStarted</c>).</summary>
public sealed class RunStartedEvent : AgentOSEvent
{
    /// <summary>The model id.</summary>
    public string? Model { get; set; }

    /// <summary>The model provider.</summary>
    public string? ModelProvider { get; set; }
}

/// <summary>A piece of the answer (<c>RunContent</c>, <c>TeamRunContent</c>): <see cref="Content"/> is a delta to append, or the whole object for structured output; reasoning deltas arrive in <see cref="ReasoningContent"/>.</summary>
public sealed class RunContentEvent : AgentOSEvent
{
    /// <summary>The content delta (JSON text for structured output).</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary><c>str</c> or the output schema's name.</summary>
    public string? ContentType { get; set; }

    /// <summary>A reasoning delta.</summary>
    public string? ReasoningContent { get; set; }

    // The JSON-valued fields are rare on content deltas: they live in a side array, allocated only when one is set,
    // so the event that a stream sends hundreds of times stays small.
    private JsonElement?[]? _extras;

    /// <summary>Citations.</summary>
    public JsonElement? Citations { get => GetExtra(0); set => SetExtra(0, value); }

    /// <summary>Knowledge references.</summary>
    public JsonElement? References { get => GetExtra(1); set => SetExtra(1, value); }

    /// <summary>An image produced by the model.</summary>
    public JsonElement? Image { get => GetExtra(2); set => SetExtra(2, value); }

    /// <summary>Audio produced by the model.</summary>
    public JsonElement? ResponseAudio { get => GetExtra(3); set => SetExtra(3, value); }

    /// <summary>Provider-specific data (real providers send it on every delta: kept in the event itself).</summary>
    public JsonElement? ModelProviderData { get; set; }

    /// <summary>Additional input.</summary>
    public JsonElement? AdditionalInput { get => GetExtra(4); set => SetExtra(4, value); }

    /// <summary>Reasoning steps.</summary>
    public JsonElement? ReasoningSteps { get => GetExtra(5); set => SetExtra(5, value); }

    /// <summary>Reasoning messages.</summary>
    public JsonElement? ReasoningMessages { get => GetExtra(6); set => SetExtra(6, value); }

    /// <summary>Whether a workflow agent emitted the content.</summary>
    public bool? WorkflowAgent { get; set; }

    private JsonElement? GetExtra(int index) => _extras is { } extras ? extras[index] : null;

    private void SetExtra(int index, JsonElement? value)
    {
        if (_extras is null)
        {
            if (value is null)
            {
                return;
            }

            _extras = new JsonElement?[7];
        }

        _extras[index] = value;
    }
}

/// <summary>Intermediate content (<c>RunIntermediateContent</c>, <c>TeamRunIntermediateContent</c>), e.g. before an output model rewrites it.</summary>
public sealed class RunIntermediateContentEvent : AgentOSEvent
{
    /// <summary>The content.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; set; }
}

/// <summary>The model finished producing content (<c>RunContentCompleted</c>, <c>TeamRunContentCompleted</c>).</summary>
public sealed class RunContentCompletedEvent : AgentOSEvent
{
}

/// <summary>A run completed (<c>RunCompleted</c>, <c>TeamRunCompleted</c>, <c>WorkflowCompleted</c>) with its final content and metrics. Sent only when <c>stream_events</c> is on (the server's default). A cancelled run also ends with one, after the cancelled event.</summary>
public sealed class RunCompletedEvent : AgentOSEvent
{
    /// <summary>The whole answer (JSON text for structured output).</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; set; }

    /// <summary>The whole reasoning.</summary>
    public string? ReasoningContent { get; set; }

    /// <summary>Token counts and timings.</summary>
    public RunMetrics? Metrics { get; set; }

    /// <summary>The session state after the run.</summary>
    public JsonObject? SessionState { get; set; }

    /// <summary>Metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Images.</summary>
    public JsonElement? Images { get; set; }

    /// <summary>Videos.</summary>
    public JsonElement? Videos { get; set; }

    /// <summary>Audio.</summary>
    public JsonElement? Audio { get; set; }

    /// <summary>Files.</summary>
    public JsonElement? Files { get; set; }

    /// <summary>Audio response.</summary>
    public JsonElement? ResponseAudio { get; set; }

    /// <summary>Citations.</summary>
    public JsonElement? Citations { get; set; }

    /// <summary>References.</summary>
    public JsonElement? References { get; set; }

    /// <summary>Reasoning steps.</summary>
    public JsonElement? ReasoningSteps { get; set; }

    /// <summary>Reasoning messages.</summary>
    public JsonElement? ReasoningMessages { get; set; }

    /// <summary>The members' runs (teams).</summary>
    public List<AgentRunOutput>? MemberResponses { get; set; }

    /// <summary>The steps' outputs (workflows).</summary>
    public List<StepOutput>? StepResults { get; set; }

    /// <summary>The runs of the steps' agents and teams (workflows).</summary>
    public JsonElement? StepExecutorRuns { get; set; }
}

/// <summary>A run failed (<c>RunError</c>, <c>TeamRunError</c>, <c>WorkflowError</c>). Agents and teams put the message in <c>content</c>, workflows in <c>error</c>: <see cref="Message"/> reads either.</summary>
public sealed class RunErrorEvent : AgentOSEvent
{
    /// <summary>The error text (agents and teams).</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The error text (workflows).</summary>
    public string? Error { get; set; }

    /// <summary>The error type (e.g. <c>model_provider_error</c>).</summary>
    public string? ErrorType { get; set; }

    /// <summary>The error id.</summary>
    public string? ErrorId { get; set; }

    /// <summary>Additional data.</summary>
    public JsonElement? AdditionalData { get; set; }

    /// <summary>The error text, from <see cref="Content"/> or <see cref="Error"/>.</summary>
    [JsonIgnore]
    public string? Message => string.IsNullOrEmpty(Content) ? Error : Content;
}

/// <summary>A run was cancelled (<c>RunCancelled</c>, <c>TeamRunCancelled</c>, <c>WorkflowCancelled</c>).</summary>
public sealed class RunCancelledEvent : AgentOSEvent
{
    /// <summary>Why.</summary>
    public string? Reason { get; set; }

    /// <summary>Content produced before the cancellation.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }
}

/// <summary>A run paused for a human (<c>RunPaused</c>, <c>TeamRunPaused</c>, <c>WorkflowPaused</c>): agents carry <see cref="Tools"/>, teams <see cref="Requirements"/>, workflows <see cref="StepRequirements"/>.</summary>
public sealed class RunPausedEvent : AgentOSEvent
{
    /// <summary>The tools (agents: send them all back to continue).</summary>
    public List<ToolExecution>? Tools { get; set; }

    /// <summary>The requirements (teams: send them back to continue).</summary>
    public List<RunRequirement>? Requirements { get; set; }

    /// <summary>The step requirements (workflows).</summary>
    public List<StepRequirement>? StepRequirements { get; set; }

    /// <summary>The paused step's index (workflows).</summary>
    public JsonElement? PausedStepIndex { get; set; }

    /// <summary>The paused step's name (workflows).</summary>
    public string? PausedStepName { get; set; }

    /// <summary><c>step</c> or <c>executor</c> (workflows).</summary>
    public string? PauseKind { get; set; }

    /// <summary>Step outputs so far (workflows).</summary>
    public List<StepOutput>? StepResults { get; set; }

    /// <summary>Content so far.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The status (workflows).</summary>
    public string? Status { get; set; }
}

/// <summary>A paused run continued (<c>RunContinued</c>, <c>TeamRunContinued</c>).</summary>
public sealed class RunContinuedEvent : AgentOSEvent
{
}

/// <summary>A pre- or post-hook started or completed (<c>PreHookStarted</c>, <c>PreHookCompleted</c>, <c>PostHookStarted</c>, <c>PostHookCompleted</c> and their <c>Team</c> forms).</summary>
public sealed class HookEvent : AgentOSEvent
{
    /// <summary>The pre-hook.</summary>
    public string? PreHookName { get; set; }

    /// <summary>The post-hook.</summary>
    public string? PostHookName { get; set; }

    /// <summary>The run input seen by the hook.</summary>
    public JsonElement? RunInput { get; set; }
}

/// <summary>A tool call started (<c>ToolCallStarted</c>, <c>TeamToolCallStarted</c>).</summary>
public sealed class ToolCallStartedEvent : AgentOSEvent
{
    /// <summary>The call.</summary>
    public ToolExecution? Tool { get; set; }
}

/// <summary>A tool call completed (<c>ToolCallCompleted</c>, <c>TeamToolCallCompleted</c>); <see cref="ToolExecution.Result"/> holds the result.</summary>
public sealed class ToolCallCompletedEvent : AgentOSEvent
{
    /// <summary>The call and its result.</summary>
    public ToolExecution? Tool { get; set; }

    /// <summary>The result as text.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>Images.</summary>
    public JsonElement? Images { get; set; }

    /// <summary>Videos.</summary>
    public JsonElement? Videos { get; set; }

    /// <summary>Audio.</summary>
    public JsonElement? Audio { get; set; }

    /// <summary>Files.</summary>
    public JsonElement? Files { get; set; }
}

/// <summary>A tool call failed (<c>ToolCallError</c>, <c>TeamToolCallError</c>).</summary>
public sealed class ToolCallErrorEvent : AgentOSEvent
{
    /// <summary>The call.</summary>
    public ToolExecution? Tool { get; set; }

    /// <summary>The error.</summary>
    public string? Error { get; set; }
}

/// <summary>Reasoning started (<c>ReasoningStarted</c>, <c>TeamReasoningStarted</c>).</summary>
public sealed class ReasoningStartedEvent : AgentOSEvent
{
}

/// <summary>A reasoning step (<c>ReasoningStep</c>, <c>TeamReasoningStep</c>).</summary>
public sealed class ReasoningStepEvent : AgentOSEvent
{
    /// <summary>The step (JSON text when structured).</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; set; }

    /// <summary>The reasoning so far.</summary>
    public string? ReasoningContent { get; set; }
}

/// <summary>A reasoning delta (<c>ReasoningContentDelta</c>, <c>TeamReasoningContentDelta</c>).</summary>
public sealed class ReasoningContentDeltaEvent : AgentOSEvent
{
    /// <summary>The delta.</summary>
    public string? ReasoningContent { get; set; }
}

/// <summary>Reasoning completed (<c>ReasoningCompleted</c>, <c>TeamReasoningCompleted</c>).</summary>
public sealed class ReasoningCompletedEvent : AgentOSEvent
{
    /// <summary>The reasoning result.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; set; }
}

/// <summary>A memory update started or completed (<c>MemoryUpdateStarted</c>, <c>MemoryUpdateCompleted</c> and <c>Team</c> forms).</summary>
public sealed class MemoryUpdateEvent : AgentOSEvent
{
    /// <summary>The updated memories (completed).</summary>
    public JsonElement? Memories { get; set; }
}

/// <summary>A session summary started or completed (<c>SessionSummaryStarted</c>, <c>SessionSummaryCompleted</c> and <c>Team</c> forms).</summary>
public sealed class SessionSummaryEvent : AgentOSEvent
{
    /// <summary>The summary (completed).</summary>
    public JsonElement? SessionSummary { get; set; }
}

/// <summary>The parser model started or completed (<c>ParserModelResponseStarted</c>, <c>ParserModelResponseCompleted</c> and <c>Team</c> forms).</summary>
public sealed class ParserModelResponseEvent : AgentOSEvent
{
}

/// <summary>The output model started or completed (<c>OutputModelResponseStarted</c>, <c>OutputModelResponseCompleted</c> and <c>Team</c> forms).</summary>
public sealed class OutputModelResponseEvent : AgentOSEvent
{
}

/// <summary>A model request started (<c>ModelRequestStarted</c>, <c>TeamModelRequestStarted</c>).</summary>
public sealed class ModelRequestStartedEvent : AgentOSEvent
{
    /// <summary>The model id.</summary>
    public string? Model { get; set; }

    /// <summary>The provider.</summary>
    public string? ModelProvider { get; set; }
}

/// <summary>A model request completed with its token counts (<c>ModelRequestCompleted</c>, <c>TeamModelRequestCompleted</c>).</summary>
public sealed class ModelRequestCompletedEvent : AgentOSEvent
{
    /// <summary>The model id.</summary>
    public string? Model { get; set; }

    /// <summary>The provider.</summary>
    public string? ModelProvider { get; set; }

    /// <summary>Input tokens.</summary>
    public long? InputTokens { get; set; }

    /// <summary>Output tokens.</summary>
    public long? OutputTokens { get; set; }

    /// <summary>Total tokens.</summary>
    public long? TotalTokens { get; set; }

    /// <summary>Seconds to the first token.</summary>
    public double? TimeToFirstToken { get; set; }

    /// <summary>Reasoning tokens.</summary>
    public long? ReasoningTokens { get; set; }

    /// <summary>Cached input tokens read.</summary>
    public long? CacheReadTokens { get; set; }

    /// <summary>Cached input tokens written.</summary>
    public long? CacheWriteTokens { get; set; }
}

/// <summary>Tool-result compression started or completed (<c>CompressionStarted</c>, <c>CompressionCompleted</c> and <c>Team</c> forms).</summary>
public sealed class CompressionEvent : AgentOSEvent
{
    /// <summary>Number of tool results compressed.</summary>
    public int? ToolResultsCompressed { get; set; }

    /// <summary>Size before.</summary>
    public long? OriginalSize { get; set; }

    /// <summary>Size after.</summary>
    public long? CompressedSize { get; set; }
}

/// <summary>Follow-up suggestions started or completed (<c>FollowupsStarted</c>, <c>FollowupsCompleted</c> and <c>Team</c> forms).</summary>
public sealed class FollowupsEvent : AgentOSEvent
{
    /// <summary>The suggestions (completed).</summary>
    public List<string>? Followups { get; set; }
}

/// <summary>A task-mode team event (<c>TeamTaskIterationStarted</c>, <c>TeamTaskIterationCompleted</c>, <c>TeamTaskStateUpdated</c>, <c>TeamTaskCreated</c>, <c>TeamTaskUpdated</c>).</summary>
public sealed class TeamTaskEvent : AgentOSEvent
{
    /// <summary>The iteration.</summary>
    public int? Iteration { get; set; }

    /// <summary>The iteration limit.</summary>
    public int? MaxIterations { get; set; }

    /// <summary>The task summary.</summary>
    public string? TaskSummary { get; set; }

    /// <summary>Whether the goal is complete.</summary>
    public bool? GoalComplete { get; set; }

    /// <summary>The tasks.</summary>
    public JsonElement? Tasks { get; set; }

    /// <summary>The completion summary.</summary>
    public string? CompletionSummary { get; set; }

    /// <summary>The task id.</summary>
    public string? TaskId { get; set; }

    /// <summary>The task title.</summary>
    public string? Title { get; set; }

    /// <summary>The task description.</summary>
    public string? Description { get; set; }

    /// <summary>The assignee.</summary>
    public string? Assignee { get; set; }

    /// <summary>The task status.</summary>
    public string? Status { get; set; }

    /// <summary>The previous status.</summary>
    public string? PreviousStatus { get; set; }

    /// <summary>The task result.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Result { get; set; }

    /// <summary>The task's dependencies.</summary>
    public JsonElement? Dependencies { get; set; }
}

/// <summary>The workflow's agent started or completed (<c>WorkflowAgentStarted</c>, <c>WorkflowAgentCompleted</c>).</summary>
public sealed class WorkflowAgentEvent : AgentOSEvent
{
    /// <summary>The agent's answer (completed).</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }
}

/// <summary>A workflow step started (<c>StepStarted</c>).</summary>
public sealed class StepStartedEvent : AgentOSEvent
{
}

/// <summary>A workflow step completed (<c>StepCompleted</c>).</summary>
public sealed class StepCompletedEvent : AgentOSEvent
{
    /// <summary>The step's output.</summary>
    [JsonConverter(typeof(ContentTextConverter))]
    public string? Content { get; set; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; set; }

    /// <summary>Images.</summary>
    public JsonElement? Images { get; set; }

    /// <summary>Videos.</summary>
    public JsonElement? Videos { get; set; }

    /// <summary>Audio.</summary>
    public JsonElement? Audio { get; set; }

    /// <summary>Audio response.</summary>
    public JsonElement? ResponseAudio { get; set; }

    /// <summary>The step's output object.</summary>
    public StepOutput? StepResponse { get; set; }
}

/// <summary>A workflow step paused for a human (<c>StepPaused</c>).</summary>
public sealed class StepPausedEvent : AgentOSEvent
{
    /// <summary>Whether it needs a confirmation.</summary>
    public bool? RequiresConfirmation { get; set; }

    /// <summary>The question.</summary>
    public string? ConfirmationMessage { get; set; }

    /// <summary>Whether it needs user input.</summary>
    public bool? RequiresUserInput { get; set; }

    /// <summary>The prompt.</summary>
    public string? UserInputMessage { get; set; }

    /// <summary>The fields.</summary>
    public List<UserInputField>? UserInputSchema { get; set; }
}

/// <summary>A paused workflow step continued (<c>StepContinued</c>).</summary>
public sealed class StepContinuedEvent : AgentOSEvent
{
}

/// <summary>A workflow step's agent or team paused (<c>StepExecutorPaused</c>).</summary>
public sealed class StepExecutorPausedEvent : AgentOSEvent
{
    /// <summary>The executor id.</summary>
    public string? ExecutorId { get; set; }

    /// <summary>The executor name.</summary>
    public string? ExecutorName { get; set; }

    /// <summary>The executor's run.</summary>
    public string? ExecutorRunId { get; set; }

    /// <summary><c>agent</c> or <c>team</c>.</summary>
    public string? ExecutorType { get; set; }

    /// <summary>The executor's requirements.</summary>
    public List<RunRequirement>? ExecutorRequirements { get; set; }
}

/// <summary>A workflow step's agent or team continued (<c>StepExecutorContinued</c>).</summary>
public sealed class StepExecutorContinuedEvent : AgentOSEvent
{
}

/// <summary>A workflow step's output awaits review (<c>StepOutputReview</c>).</summary>
public sealed class StepOutputReviewEvent : AgentOSEvent
{
    /// <summary>The review prompt.</summary>
    public string? OutputReviewMessage { get; set; }

    /// <summary>Whether a review is needed.</summary>
    public bool? RequiresOutputReview { get; set; }
}

/// <summary>A workflow step failed (<c>StepError</c>).</summary>
public sealed class StepErrorEvent : AgentOSEvent
{
    /// <summary>The error.</summary>
    public string? Error { get; set; }
}

/// <summary>A workflow step's output (<c>StepOutput</c>).</summary>
public sealed class StepOutputEvent : AgentOSEvent
{
    /// <summary>The step output.</summary>
    [JsonPropertyName("step_output")]
    public StepOutput? Output { get; set; }
}

/// <summary>A loop in a workflow (<c>LoopExecutionStarted</c>, <c>LoopIterationStarted</c>, <c>LoopIterationCompleted</c>, <c>LoopExecutionCompleted</c>).</summary>
public sealed class LoopExecutionEvent : AgentOSEvent
{
    /// <summary>The iteration.</summary>
    public int? Iteration { get; set; }

    /// <summary>The iteration limit.</summary>
    public int? MaxIterations { get; set; }

    /// <summary>The iteration's results.</summary>
    public JsonElement? IterationResults { get; set; }

    /// <summary>Whether the loop goes on.</summary>
    public bool? ShouldContinue { get; set; }

    /// <summary>Iterations run.</summary>
    public int? TotalIterations { get; set; }

    /// <summary>All results.</summary>
    public JsonElement? AllResults { get; set; }
}

/// <summary>Parallel steps in a workflow (<c>ParallelExecutionStarted</c>, <c>ParallelExecutionCompleted</c>).</summary>
public sealed class ParallelExecutionEvent : AgentOSEvent
{
    /// <summary>Number of parallel steps.</summary>
    public int? ParallelStepCount { get; set; }

    /// <summary>Their outputs (completed).</summary>
    public List<StepOutput>? StepResults { get; set; }
}

/// <summary>A condition in a workflow (<c>ConditionExecutionStarted</c>, <c>ConditionExecutionCompleted</c>, <c>ConditionPaused</c>).</summary>
public sealed class ConditionExecutionEvent : AgentOSEvent
{
    /// <summary>The condition's value.</summary>
    public bool? ConditionResult { get; set; }

    /// <summary>Steps run.</summary>
    public JsonElement? ExecutedSteps { get; set; }

    /// <summary>The branch taken.</summary>
    public string? Branch { get; set; }

    /// <summary>Outputs.</summary>
    public List<StepOutput>? StepResults { get; set; }
}

/// <summary>A router in a workflow (<c>RouterExecutionStarted</c>, <c>RouterExecutionCompleted</c>, <c>RouterPaused</c>).</summary>
public sealed class RouterExecutionEvent : AgentOSEvent
{
    /// <summary>Steps selected.</summary>
    public JsonElement? SelectedSteps { get; set; }

    /// <summary>Steps run.</summary>
    public JsonElement? ExecutedSteps { get; set; }

    /// <summary>Outputs.</summary>
    public List<StepOutput>? StepResults { get; set; }

    /// <summary>Routes to choose from (paused).</summary>
    public List<string>? AvailableChoices { get; set; }

    /// <summary>The prompt (paused).</summary>
    public string? UserInputMessage { get; set; }

    /// <summary>Whether several routes may be chosen.</summary>
    public bool? AllowMultipleSelections { get; set; }
}

/// <summary>A group of steps in a workflow (<c>StepsExecutionStarted</c>, <c>StepsExecutionCompleted</c>).</summary>
public sealed class StepsExecutionEvent : AgentOSEvent
{
    /// <summary>Number of steps.</summary>
    public int? StepsCount { get; set; }

    /// <summary>Steps run.</summary>
    public JsonElement? ExecutedSteps { get; set; }

    /// <summary>Outputs.</summary>
    public List<StepOutput>? StepResults { get; set; }
}

/// <summary>First event of a resumed stream whose run has finished (<c>replay</c>): the missed events follow.</summary>
public sealed class ResumeReplayEvent : AgentOSEvent
{
    /// <summary>The run's status.</summary>
    public string? Status { get; set; }

    /// <summary>Events of the run.</summary>
    public int? TotalEvents { get; set; }

    /// <summary>Events buffered.</summary>
    public int? TotalBuffered { get; set; }

    /// <summary>The index the client sent.</summary>
    public int? LastEventIndexRequested { get; set; }

    /// <summary>A message.</summary>
    public string? Message { get; set; }
}

/// <summary>A resumed stream of a running run (<c>catch_up</c>): the missed events follow, then live ones.</summary>
public sealed class ResumeCatchUpEvent : AgentOSEvent
{
    /// <summary>The run's status.</summary>
    public string? Status { get; set; }

    /// <summary>Events missed.</summary>
    public int? MissedEvents { get; set; }

    /// <summary>Events so far.</summary>
    public int? CurrentEventCount { get; set; }

    /// <summary>A message.</summary>
    public string? Message { get; set; }
}

/// <summary>A resumed stream is now live (<c>subscribed</c>).</summary>
public sealed class ResumeSubscribedEvent : AgentOSEvent
{
    /// <summary>The run's status.</summary>
    public string? Status { get; set; }

    /// <summary>Events so far.</summary>
    public int? CurrentEventCount { get; set; }

    /// <summary>A message.</summary>
    public string? Message { get; set; }
}

/// <summary>
/// An <c>error</c> control frame: on agno 2.9 a resume that failed (the run is in neither the buffer nor the
/// database); on agno 3.x also a failed status probe or tail of the run's event stream (<c>/resume</c>, durable
/// streams). The stream throws after it, typed by what the server says: <see cref="AgentOSNotFoundException"/> for a run
/// that is not found, <see cref="AgentOSStreamInterruptedException"/> for a tail that failed while the run goes on
/// (resumable), <see cref="AgentOSServerException"/> for an unavailable event stream or database.
/// </summary>
public sealed class ResumeErrorEvent : AgentOSEvent
{
    /// <summary>The error.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// agno 3.x's <c>stream_expired</c> control frame: the durable tail lost the run's terminal event, or the stream
/// state expired, while the run goes on (or finished) on the server. The stream ends after it with
/// <see cref="AgentOSStreamInterruptedException"/>, which carries the run id: resume the stream or poll the run
/// (with <see cref="AgentOSClientOptions.ResumeInterruptedBackgroundStreams"/> the client resumes it).
/// </summary>
public sealed class StreamExpiredEvent : AgentOSEvent
{
    /// <summary>The run's status the server knows (<c>PENDING</c>, <c>RUNNING</c>, or a final one).</summary>
    public string? Status { get; set; }

    /// <summary>What the server says.</summary>
    public string? Message { get; set; }
}

/// <summary>
/// agno 3.x's <c>queued</c> acknowledgement on the workflow WebSocket: the durable queue accepted a start or continue;
/// the run's events follow once a worker claims it (<see cref="AgentOSEvent.RunId"/> and
/// <see cref="AgentOSEvent.SessionId"/> are the run's).
/// </summary>
public sealed class RunQueuedEvent : AgentOSEvent
{
}
