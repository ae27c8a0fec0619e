using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// What the parts of one agent or team-leader run share: the run's state, its spec, the conversation sent to the
/// model, and the emission of its events (recorded in the stored run, sent to the caller).
/// </summary>
internal sealed class ChatRunContext
{
    private readonly string _prefix;

    public ChatRunContext(RunEnvironment env, ChatSpec spec, ChatRun run, IEventSink sink)
    {
        Env = env;
        Spec = spec;
        Run = run;
        Sink = sink;
        _prefix = spec.Scope == EmitterScope.Team ? "Team" : string.Empty;
    }

    public RunEnvironment Env { get; }

    public ChatSpec Spec { get; }

    public ChatRun Run { get; }

    public IEventSink Sink { get; }

    /// <summary>The messages sent to the chat client.</summary>
    public List<ChatMessage> Conversation { get; } = [];

    /// <summary>Called once the run's state is final, before its last event is sent.</summary>
    public Func<ValueTask>? Persist { get; set; }

    public HostEvent Event(string name, EventPayload? payload = null) => new()
    {
        Name = _prefix + name,
        Source = Run.Source,
        CreatedAt = Env.Now,
        Payload = payload,
    };

    public HostEvent ContentEvent(string? text, System.Text.Json.Nodes.JsonNode? obj, string reasoning) => new()
    {
        Name = _prefix + "RunContent",
        Source = Run.Source,
        CreatedAt = Env.Now,
        IsContent = true,
        Content = text,
        ContentObject = obj,
        ContentType = Run.ContentType,
        ReasoningContent = reasoning,
    };

    /// <summary>The event, or null when <c>stream_events=false</c> suppresses it.</summary>
    public HostEvent? Lifecycle(HostEvent e) => Run.StreamEvents ? e : null;

    /// <summary>Records the last events, persists the run, then sends them.</summary>
    public Task FinishAsync(params HostEvent?[] events) => RunEventLog.FinishAsync(Sink, Run.RecordEvents, Run.Events, Persist, events);

    /// <summary>Emits an event that <c>stream_events=false</c> suppresses.</summary>
    public ValueTask EmitLifecycleAsync(HostEvent e) => Run.StreamEvents ? EmitAsync(e) : ValueTask.CompletedTask;

    public ValueTask EmitAsync(HostEvent e) => RunEventLog.EmitAsync(Sink, Run.RecordEvents, Run.Events, e);
}
