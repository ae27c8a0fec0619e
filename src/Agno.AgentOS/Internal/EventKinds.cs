namespace Agno.AgentOS.Internal;

/// <summary>
/// The event types <see cref="FastEventReader"/> creates and fills by hand, without their serializer contracts (a
/// process's first stream does not build the metadata of the types it meets, and a stream's events are not looked up
/// by name in the contracts' map): <see cref="None"/> for every other name, which goes through the contract.
/// </summary>
internal enum EventKind : byte
{
    /// <summary>Not read by hand: the event type's contract decodes it.</summary>
    None,
    RunStarted,
    RunContent,
    RunIntermediateContent,
    RunContentCompleted,
    RunCompleted,
    RunError,
    RunCancelled,
    RunContinued,
    Hook,
    ReasoningStarted,
    ReasoningStep,
    ReasoningContentDelta,
    ReasoningCompleted,
    MemoryUpdate,
    SessionSummary,
    ParserModelResponse,
    OutputModelResponse,
    ModelRequestStarted,
    ModelRequestCompleted,
    StepStarted,
    StepContinued,
    StepExecutorContinued,
}

/// <summary>Event names to <see cref="EventKind"/> and their <see cref="EventScope"/>, by one switch on the name (kept in step with <see cref="EventNames"/>: a test checks every name against its type and scope there).</summary>
internal static class EventKinds
{
    /// <summary>The kind and scope of an event name; <see cref="EventKind.None"/> (scope unset) for a name not read by hand.</summary>
    public static EventKind Of(string name, out EventScope scope)
    {
        (EventKind kind, scope) = name switch
        {
            "RunStarted" => (EventKind.RunStarted, EventScope.Agent),
            "TeamRunStarted" => (EventKind.RunStarted, EventScope.Team),
            "WorkflowStarted" => (EventKind.RunStarted, EventScope.Workflow),
            "RunContent" => (EventKind.RunContent, EventScope.Agent),
            "TeamRunContent" => (EventKind.RunContent, EventScope.Team),
            "RunIntermediateContent" => (EventKind.RunIntermediateContent, EventScope.Agent),
            "TeamRunIntermediateContent" => (EventKind.RunIntermediateContent, EventScope.Team),
            "RunContentCompleted" => (EventKind.RunContentCompleted, EventScope.Agent),
            "TeamRunContentCompleted" => (EventKind.RunContentCompleted, EventScope.Team),
            "RunCompleted" => (EventKind.RunCompleted, EventScope.Agent),
            "TeamRunCompleted" => (EventKind.RunCompleted, EventScope.Team),
            "WorkflowCompleted" => (EventKind.RunCompleted, EventScope.Workflow),
            "RunError" => (EventKind.RunError, EventScope.Agent),
            "TeamRunError" => (EventKind.RunError, EventScope.Team),
            "WorkflowError" => (EventKind.RunError, EventScope.Workflow),
            "RunCancelled" => (EventKind.RunCancelled, EventScope.Agent),
            "TeamRunCancelled" => (EventKind.RunCancelled, EventScope.Team),
            "WorkflowCancelled" => (EventKind.RunCancelled, EventScope.Workflow),
            "RunContinued" => (EventKind.RunContinued, EventScope.Agent),
            "TeamRunContinued" => (EventKind.RunContinued, EventScope.Team),
            "PreHookStarted" or "PreHookCompleted" or "PostHookStarted" or "PostHookCompleted" => (EventKind.Hook, EventScope.Agent),
            "TeamPreHookStarted" or "TeamPreHookCompleted" or "TeamPostHookStarted" or "TeamPostHookCompleted" => (EventKind.Hook, EventScope.Team),
            "ReasoningStarted" => (EventKind.ReasoningStarted, EventScope.Agent),
            "TeamReasoningStarted" => (EventKind.ReasoningStarted, EventScope.Team),
            "ReasoningStep" => (EventKind.ReasoningStep, EventScope.Agent),
            "TeamReasoningStep" => (EventKind.ReasoningStep, EventScope.Team),
            "ReasoningContentDelta" => (EventKind.ReasoningContentDelta, EventScope.Agent),
            "TeamReasoningContentDelta" => (EventKind.ReasoningContentDelta, EventScope.Team),
            "ReasoningCompleted" => (EventKind.ReasoningCompleted, EventScope.Agent),
            "TeamReasoningCompleted" => (EventKind.ReasoningCompleted, EventScope.Team),
            "MemoryUpdateStarted" or "MemoryUpdateCompleted" => (EventKind.MemoryUpdate, EventScope.Agent),
            "TeamMemoryUpdateStarted" or "TeamMemoryUpdateCompleted" => (EventKind.MemoryUpdate, EventScope.Team),
            "SessionSummaryStarted" or "SessionSummaryCompleted" => (EventKind.SessionSummary, EventScope.Agent),
            "TeamSessionSummaryStarted" or "TeamSessionSummaryCompleted" => (EventKind.SessionSummary, EventScope.Team),
            "ParserModelResponseStarted" or "ParserModelResponseCompleted" => (EventKind.ParserModelResponse, EventScope.Agent),
            "TeamParserModelResponseStarted" or "TeamParserModelResponseCompleted" => (EventKind.ParserModelResponse, EventScope.Team),
            "OutputModelResponseStarted" or "OutputModelResponseCompleted" => (EventKind.OutputModelResponse, EventScope.Agent),
            "TeamOutputModelResponseStarted" or "TeamOutputModelResponseCompleted" => (EventKind.OutputModelResponse, EventScope.Team),
            "ModelRequestStarted" => (EventKind.ModelRequestStarted, EventScope.Agent),
            "TeamModelRequestStarted" => (EventKind.ModelRequestStarted, EventScope.Team),
            "ModelRequestCompleted" => (EventKind.ModelRequestCompleted, EventScope.Agent),
            "TeamModelRequestCompleted" => (EventKind.ModelRequestCompleted, EventScope.Team),
            "StepStarted" => (EventKind.StepStarted, EventScope.Workflow),
            "StepContinued" => (EventKind.StepContinued, EventScope.Workflow),
            "StepExecutorContinued" => (EventKind.StepExecutorContinued, EventScope.Workflow),
            _ => (EventKind.None, EventScope.Unknown),
        };
        return kind;
    }

    /// <summary>A new event of a kind's type (null for <see cref="EventKind.None"/>).</summary>
    public static AgentOSEvent? Create(EventKind kind) => kind switch
    {
        EventKind.RunStarted => new RunStartedEvent(),
        EventKind.RunContent => new RunContentEvent(),
        EventKind.RunIntermediateContent => new RunIntermediateContentEvent(),
        EventKind.RunContentCompleted => new RunContentCompletedEvent(),
        EventKind.RunCompleted => new RunCompletedEvent(),
        EventKind.RunError => new RunErrorEvent(),
        EventKind.RunCancelled => new RunCancelledEvent(),
        EventKind.RunContinued => new RunContinuedEvent(),
        EventKind.Hook => new HookEvent(),
        EventKind.ReasoningStarted => new ReasoningStartedEvent(),
        EventKind.ReasoningStep => new ReasoningStepEvent(),
        EventKind.ReasoningContentDelta => new ReasoningContentDeltaEvent(),
        EventKind.ReasoningCompleted => new ReasoningCompletedEvent(),
        EventKind.MemoryUpdate => new MemoryUpdateEvent(),
        EventKind.SessionSummary => new SessionSummaryEvent(),
        EventKind.ParserModelResponse => new ParserModelResponseEvent(),
        EventKind.OutputModelResponse => new OutputModelResponseEvent(),
        EventKind.ModelRequestStarted => new ModelRequestStartedEvent(),
        EventKind.ModelRequestCompleted => new ModelRequestCompletedEvent(),
        EventKind.StepStarted => new StepStartedEvent(),
        EventKind.StepContinued => new StepContinuedEvent(),
        EventKind.StepExecutorContinued => new StepExecutorContinuedEvent(),
        _ => null,
    };
}
