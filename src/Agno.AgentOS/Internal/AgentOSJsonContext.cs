using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Internal;

/// <summary>The source-generated JSON context for every type of the protocol (snake_case names, nulls omitted when writing).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(UnixOrIsoDateTimeOffsetConverter), typeof(EmptyFastJsonObjectConverter)])]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(ApiHome))]
[JsonSerializable(typeof(OSInfo))]
[JsonSerializable(typeof(OSConfig))]
[JsonSerializable(typeof(AgentDetails))]
[JsonSerializable(typeof(TeamDetails))]
[JsonSerializable(typeof(WorkflowDetails))]
[JsonSerializable(typeof(List<AgentDetails>))]
[JsonSerializable(typeof(List<TeamDetails>))]
[JsonSerializable(typeof(List<WorkflowSummary>))]
[JsonSerializable(typeof(List<ModelInfo>))]
[JsonSerializable(typeof(AgentRunOutput))]
[JsonSerializable(typeof(TeamRunOutput))]
[JsonSerializable(typeof(WorkflowRunOutput))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(List<RunRecord>))]
[JsonSerializable(typeof(BackgroundRunHandle))]
[JsonSerializable(typeof(List<ToolExecution>))]
[JsonSerializable(typeof(List<RunRequirement>))]
[JsonSerializable(typeof(List<StepRequirement>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(Page<SessionInfo>))]
[JsonSerializable(typeof(SessionDetails))]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(UpdateSessionRequest))]
[JsonSerializable(typeof(UserMemory))]
[JsonSerializable(typeof(Page<UserMemory>))]
[JsonSerializable(typeof(Page<QueueJob>))]
[JsonSerializable(typeof(QueueJob))]
[JsonSerializable(typeof(QueueStats))]
[JsonSerializable(typeof(Page<UserMemoryStats>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(MetricsReport))]
[JsonSerializable(typeof(List<DayMetrics>))]
[JsonSerializable(typeof(MetricsRefreshStatus))]
[JsonSerializable(typeof(Page<EvalRun>))]
[JsonSerializable(typeof(EvalRun))]
[JsonSerializable(typeof(KnowledgeContent))]
[JsonSerializable(typeof(KnowledgeContentStatus))]
[JsonSerializable(typeof(Page<KnowledgeContent>))]
[JsonSerializable(typeof(Page<KnowledgeSearchResult>))]
[JsonSerializable(typeof(KnowledgeConfig))]
[JsonSerializable(typeof(UnknownEvent))]
[JsonSerializable(typeof(CustomEvent))]
[JsonSerializable(typeof(WorkflowRunOutputEvent))]
[JsonSerializable(typeof(RunStartedEvent))]
[JsonSerializable(typeof(RunContentEvent))]
[JsonSerializable(typeof(RunIntermediateContentEvent))]
[JsonSerializable(typeof(RunContentCompletedEvent))]
[JsonSerializable(typeof(RunCompletedEvent))]
[JsonSerializable(typeof(RunErrorEvent))]
[JsonSerializable(typeof(RunCancelledEvent))]
[JsonSerializable(typeof(RunPausedEvent))]
[JsonSerializable(typeof(RunContinuedEvent))]
[JsonSerializable(typeof(HookEvent))]
[JsonSerializable(typeof(ToolCallStartedEvent))]
[JsonSerializable(typeof(ToolCallCompletedEvent))]
[JsonSerializable(typeof(ToolCallErrorEvent))]
[JsonSerializable(typeof(ReasoningStartedEvent))]
[JsonSerializable(typeof(ReasoningStepEvent))]
[JsonSerializable(typeof(ReasoningContentDeltaEvent))]
[JsonSerializable(typeof(ReasoningCompletedEvent))]
[JsonSerializable(typeof(MemoryUpdateEvent))]
[JsonSerializable(typeof(SessionSummaryEvent))]
[JsonSerializable(typeof(ParserModelResponseEvent))]
[JsonSerializable(typeof(OutputModelResponseEvent))]
[JsonSerializable(typeof(ModelRequestStartedEvent))]
[JsonSerializable(typeof(ModelRequestCompletedEvent))]
[JsonSerializable(typeof(CompressionEvent))]
[JsonSerializable(typeof(FollowupsEvent))]
[JsonSerializable(typeof(TeamTaskEvent))]
[JsonSerializable(typeof(WorkflowAgentEvent))]
[JsonSerializable(typeof(StepStartedEvent))]
[JsonSerializable(typeof(StepCompletedEvent))]
[JsonSerializable(typeof(StepPausedEvent))]
[JsonSerializable(typeof(StepContinuedEvent))]
[JsonSerializable(typeof(StepExecutorPausedEvent))]
[JsonSerializable(typeof(StepExecutorContinuedEvent))]
[JsonSerializable(typeof(StepOutputReviewEvent))]
[JsonSerializable(typeof(StepErrorEvent))]
[JsonSerializable(typeof(StepOutputEvent))]
[JsonSerializable(typeof(LoopExecutionEvent))]
[JsonSerializable(typeof(ParallelExecutionEvent))]
[JsonSerializable(typeof(ConditionExecutionEvent))]
[JsonSerializable(typeof(RouterExecutionEvent))]
[JsonSerializable(typeof(StepsExecutionEvent))]
[JsonSerializable(typeof(ResumeReplayEvent))]
[JsonSerializable(typeof(ResumeCatchUpEvent))]
[JsonSerializable(typeof(ResumeSubscribedEvent))]
[JsonSerializable(typeof(ResumeErrorEvent))]
[JsonSerializable(typeof(RunQueuedEvent))]
[JsonSerializable(typeof(StreamExpiredEvent))]
internal sealed partial class AgentOSJsonContext : JsonSerializerContext
{
}

/// <summary>An AgentOS error body: <c>{"detail": "..."}</c>, or FastAPI's 422 <c>{"detail": [...]}</c>.</summary>
internal sealed class ErrorBody
{
    public JsonElement? Detail { get; set; }

    public string? Message { get; set; }

    public string? Error { get; set; }

    /// <summary>agno 3.x: the id of an agno error (<c>error_id</c>).</summary>
    public JsonElement? ErrorId { get; set; }

    /// <summary>agno 3.x: the type of an agno error (<c>error_type</c>).</summary>
    public JsonElement? ErrorType { get; set; }
}
