using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Why a tool call waits.</summary>
internal enum PendingKind
{
    /// <summary>The chat client asked for a confirmation (<c>ToolApprovalRequestContent</c>).</summary>
    Approval,

    /// <summary>The chat client asked for user input (<c>AgnoInputRequestContent</c> or another <c>InputRequestContent</c>).</summary>
    Input,

    /// <summary>A host tool (<c>ApprovalRequiredAIFunction</c>) needs a confirmation before the host runs it.</summary>
    HostApproval,

    /// <summary>Nobody here can run the tool: the caller runs it and sends the result.</summary>
    External,

    /// <summary>A team member paused (its own pending calls are in the member's run).</summary>
    Member,
}

/// <summary>A tool call a paused run waits on (kept in the stored run's resume state).</summary>
internal sealed class PendingCall
{
    [JsonConverter(typeof(JsonStringEnumConverter<PendingKind>))]
    public PendingKind Kind { get; init; } = PendingKind.External;

    public string CallId { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public JsonObject Arguments { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Fields { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MemberId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MemberRunId { get; init; }
}

/// <summary>What the host needs to continue a paused agent or team run, kept beside its stored output.</summary>
internal sealed record ChatResumeState
{
    public required string Scope { get; init; }

    public bool Continued { get; init; }

    public List<PendingCall> Pending { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? OutputSchema { get; init; }

    /// <summary>The members' runs of a team run, by run id: their full stored output and their own resume state.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, MemberResumeState>? Members { get; init; }
}

/// <summary>A member run of a paused team run: its stored output (read back as <see cref="StoredRunFields"/>) and its own resume state.</summary>
internal sealed record MemberResumeState(JsonElement Output, ChatResumeState Resume);

/// <summary>The session state a nested run shows: which session and run it belongs to.</summary>
internal sealed record CurrentRunState(string CurrentSessionId, string CurrentRunId);

/// <summary>How a run's JSON is rendered.</summary>
internal enum OutputView
{
    /// <summary>The answer of a non-streaming POST (history messages included, <c>tools</c> always present).</summary>
    Response,

    /// <summary>The stored run (<c>GET .../runs/{id}</c>): own messages, <c>events</c>.</summary>
    Stored,

    /// <summary>A member run inside a team run.</summary>
    Member,

    /// <summary>A step agent's run inside a workflow run (<c>step_executor_runs</c>).</summary>
    StepExecutor,
}

/// <summary>The state of one agent run or team-leader run: what its output and stored form are built from.</summary>
internal sealed class ChatRun
{
    public required EventSource Source { get; init; }

    public required string ModelId { get; init; }

    public required string ModelProvider { get; init; }

    public string? UserId { get; set; }

    public long CreatedAt { get; set; }

    public JsonObject Input { get; set; } = TextInput(string.Empty);

    public RunStatus Status { get; set; } = RunStatus.Running;

    /// <summary>The text content as the model sent it: its chunks, joined once when read (<see cref="TextChunks"/>).</summary>
    public TextChunks ContentText { get; } = new();

    public JsonNode? ContentObject { get; set; }

    public string ContentType { get; set; } = "str";

    public StringBuilder Reasoning { get; } = new();

    public List<MessageBody> Messages { get; set; } = [];

    public List<MessageBody> HistoryMessages { get; set; } = [];

    public List<ToolExecution> Tools { get; set; } = [];

    /// <summary>The requirements of a paused run (each a snapshot: its tool as it was when the run paused or ended).</summary>
    public List<RunRequirement> Requirements { get; set; } = [];

    public RunMetricsAccumulator Metrics { get; set; } = new();

    public JsonObject? SessionState { get; set; }

    public JsonObject? Metadata { get; set; }

    public List<JsonObject> Events { get; set; } = [];

    public bool RecordEvents { get; set; }

    public bool StreamEvents { get; set; } = true;

    public List<PendingCall> Pending { get; set; } = [];

    public List<ChatRun> Members { get; set; } = [];

    public string? WorkflowStepId { get; set; }

    public string? ErrorType { get; set; }

    /// <summary>The output schema of a structured-output run (kept for a continuation).</summary>
    public JsonObject? OutputSchema { get; set; }

    /// <summary>Whether the run was continued after a pause (AgentOS then shows its events).</summary>
    public bool Continued { get; set; }

    /// <summary>Whether the run is streamed (nested runs render a little differently, as AgentOS does).</summary>
    public bool Streaming { get; set; }

    public bool IsTeam => Source.Scope == EmitterScope.Team;

    /// <summary>The content as AgentOS writes it: the structured object, or the text.</summary>
    public JsonNode? ContentNode => ContentObject?.DeepClone() ?? JsonValue.Create(ContentTextString());

    public string ContentString => ContentObject is null ? ContentTextString() : ContentObject.ToJsonString(Wire.NodeOptions);

    /// <summary>
    /// The text content as one string, built once while <see cref="ContentText"/> stays the same: the run's end event,
    /// its stored version and its answer share it (a content of megabytes is not copied again for each).
    /// </summary>
    private string ContentTextString() => ContentText.ToString();

    /// <summary>
    /// Returns <paramref name="text"/>, and keeps it as the run's content string when it is the same text as
    /// <see cref="ContentText"/> (an answer of one model call): the assistant message and the content then share one
    /// string instead of each holding a copy (the chunks are then never joined).
    /// </summary>
    public string ShareContentText(string text)
    {
        if (ContentObject is null)
        {
            ContentText.Share(text);
        }

        return text;
    }

    public ChatRun? FindMember(string runId) => Members.Find(m => m.Source.RunId == runId);

    /// <summary>
    /// Writes the run's output in that view as the response: serialized once from the typed body, straight to pooled
    /// buffers (not built as a JSON tree first, as <see cref="ToOutput"/> does), sent with its length.
    /// </summary>
    public Task WriteOutputAsync(Microsoft.AspNetCore.Http.HttpContext context, OutputView view)
        => IsTeam
            ? Wire.WriteSizedJsonAsync(context, TeamOutput(view), HostWireContext.Default.TeamRunBody)
            : Wire.WriteSizedJsonAsync(context, AgentOutput(view), HostWireContext.Default.AgentRunBody);

    /// <summary>
    /// The run as its session keeps it: the stored view written from the typed body straight to UTF-8 (pooled buffers,
    /// then one array of the exact size), and a paused run's resume state. <paramref name="stampEvents"/> may change
    /// the stored events (copies of the run's) before they are written.
    /// </summary>
    public AgentOSStoredRun ToStoredRun(Action<List<JsonObject>>? stampEvents = null)
    {
        byte[] output;
        if (IsTeam)
        {
            var body = TeamOutput(OutputView.Stored);
            if (stampEvents is not null && body.Events is { } events)
            {
                stampEvents(events);
            }

            output = Wire.ToUtf8(body, HostWireContext.Default.TeamRunBody);
        }
        else
        {
            var body = AgentOutput(OutputView.Stored);
            if (stampEvents is not null && body.Events is { } events)
            {
                stampEvents(events);
            }

            output = Wire.ToUtf8(body, HostWireContext.Default.AgentRunBody);
        }

        return new AgentOSStoredRun
        {
            RunId = Source.RunId,
            OutputUtf8 = output,
            ResumeStateUtf8 = Status == RunStatus.Paused ? Wire.ToUtf8(ResumeState(), HostWireContext.Default.ChatResumeState) : default,
        };
    }

    /// <summary>The run's output as AgentOS renders it in that view, as a JSON tree (a member run inside an event's payload).</summary>
    public JsonObject ToOutput(OutputView view)
        => IsTeam
            ? JsonSerializer.SerializeToNode(TeamOutput(view), HostWireContext.Default.TeamRunBody)!.AsObject()
            : JsonSerializer.SerializeToNode(AgentOutput(view), HostWireContext.Default.AgentRunBody)!.AsObject();

    private AgentRunBody AgentOutput(OutputView view)
    {
        var s = Source;
        bool eventsKey = view switch
        {
            OutputView.Stored => true,
            OutputView.Response => Continued,
            OutputView.Member => Continued,
            _ => false,
        };
        bool toolsKey = view switch
        {
            OutputView.Response => !Status.IsError,
            OutputView.Stored => Tools.Count > 0,
            _ => Tools.Count > 0 || !Streaming,
        };
        return new AgentRunBody
        {
            RunId = s.RunId,
            AgentId = s.ComponentId,
            AgentName = s.ComponentName,
            SessionId = s.SessionId,
            ParentRunId = view is OutputView.Member or OutputView.StepExecutor ? s.ParentRunId : null,
            UserId = UserId,
            Content = ContentNode,
            ContentType = ContentType,
            ReasoningContent = Reasoning.Length > 0 ? Reasoning.ToString() : null,
            Model = ModelId,
            ModelProvider = ModelProvider,
            SessionState = view == OutputView.Member || (view == OutputView.StepExecutor && Streaming)
                ? CurrentRunState()
                : (JsonObject?)SessionState?.DeepClone() ?? [],
            Metadata = (JsonObject?)Metadata?.DeepClone(),
            CreatedAt = CreatedAt,
            Status = Status,
            WorkflowStepId = view == OutputView.StepExecutor ? WorkflowStepId : null,
            Metrics = MetricsJson(forceDetails: view == OutputView.Member),
            Events = eventsKey ? Copies(Events) : null,
            Messages = MessagesJson(view),
            Tools = toolsKey ? HostWire.ToNode(Tools) : null,
            Requirements = Requirements.Count > 0 ? RequirementNodes() : null,
            Input = (JsonObject)Input.DeepClone(),
        };
    }

    private TeamRunBody TeamOutput(OutputView view)
    {
        var s = Source;
        return new TeamRunBody
        {
            RunId = s.RunId,
            TeamId = s.ComponentId,
            TeamName = s.ComponentName,
            SessionId = s.SessionId,
            ParentRunId = view is OutputView.Member or OutputView.StepExecutor ? s.ParentRunId : null,
            UserId = UserId,
            Input = (JsonObject)Input.DeepClone(),
            Content = ContentNode,
            ContentType = ContentType,
            ReasoningContent = Reasoning.Length > 0 ? Reasoning.ToString() : null,
            Model = ModelId,
            ModelProvider = ModelProvider,
            MemberResponses = [.. Members.Select(m => m.AgentOutput(OutputView.Member))],
            SessionState = SessionState is { Count: > 0 } || Status.IsPaused || Continued ? (JsonObject?)SessionState?.DeepClone() ?? [] : null,
            Metadata = (JsonObject?)Metadata?.DeepClone(),
            CreatedAt = CreatedAt,
            Events = view == OutputView.Stored || Status != RunStatus.Completed || Continued ? Copies(Events) : null,
            Metrics = MetricsJson(),
            Status = Status,
            WorkflowStepId = view == OutputView.StepExecutor ? WorkflowStepId : null,
            Messages = MessagesJson(view),
            Requirements = Requirements.Count > 0 || Continued ? RequirementNodes() : null,
            Tools = (view != OutputView.Stored || Tools.Count > 0) && !Status.IsError ? HostWire.ToNode(Tools) : null,
        };
    }

    /// <summary>The session state a nested run shows: which session and run it belongs to.</summary>
    public JsonObject CurrentRunState()
        => JsonSerializer.SerializeToNode(new CurrentRunState(Source.SessionId, Source.RunId), HostWireContext.Default.CurrentRunState)!.AsObject();

    private static List<JsonObject> Copies(List<JsonObject> items) => items.ConvertAll(i => (JsonObject)i.DeepClone());

    /// <summary>The requirements as agno writes them.</summary>
    public List<JsonObject> RequirementNodes() => Requirements.ConvertAll(HostWire.ToNode);

    public RunMetrics MetricsJson(bool forceDetails = false)
        => Status == RunStatus.Error && Metrics.TotalTokens == 0
            ? new RunMetrics { Duration = Metrics.Duration }
            : Metrics.ToMetrics(ModelId, ModelProvider, forceDetails);

    private List<MessageBody> MessagesJson(OutputView view)
    {
        // the bodies are serialized right away: the run's own messages are shown, not copied
        var all = new List<MessageBody>(Messages.Count + HistoryMessages.Count);
        bool withHistory = view == OutputView.Response && HistoryMessages.Count > 0;
        int start = 0;
        if (withHistory && Messages.Count > 0 && Messages[0].Role == "system")
        {
            all.Add(Messages[0]);
            start = 1;
        }

        if (withHistory)
        {
            all.AddRange(HistoryMessages);
        }

        for (int i = start; i < Messages.Count; i++)
        {
            all.Add(Messages[i]);
        }

        return all;
    }

    private ChatResumeState ResumeState() => new()
    {
        Scope = Source.Scope.ToString(),
        Continued = Continued,
        Pending = [.. Pending],
        OutputSchema = (JsonObject?)OutputSchema?.DeepClone(),
        Members = Members.Count > 0 ? Members.ToDictionary(m => m.Source.RunId, m => new MemberResumeState(JsonSerializer.SerializeToElement(m.AgentOutput(OutputView.Stored), HostWireContext.Default.AgentRunBody), m.ResumeState())) : null,
    };

    /// <summary>A run input of text only (<c>{"input_content": ...}</c>).</summary>
    public static JsonObject TextInput(string text)
        => JsonSerializer.SerializeToNode(new TextInputBody(text), HostWireContext.Default.TextInputBody)!.AsObject();

    /// <summary>Rebuilds a run from its stored output (read as <paramref name="stored"/>) and resume state (UTF-8) to continue it.</summary>
    public static ChatRun FromStored(StoredRunFields stored, ReadOnlyMemory<byte> resumeState, EventSource source, string modelId, string modelProvider)
        => FromStored(stored, resumeState.IsEmpty ? null : JsonSerializer.Deserialize(resumeState.Span, HostWireContext.Default.ChatResumeState), source, modelId, modelProvider);

    private static ChatRun FromStored(StoredRunFields stored, ChatResumeState? resume, EventSource source, string modelId, string modelProvider)
    {
        var run = new ChatRun
        {
            Source = source,
            ModelId = stored.Model ?? modelId,
            ModelProvider = stored.ModelProvider ?? modelProvider,
            UserId = stored.UserId,
            CreatedAt = stored.CreatedAt ?? 0,
            Input = stored.Input as JsonObject ?? TextInput(string.Empty),
            Status = stored.Status is { Value.Length: > 0 } status ? status : RunStatus.Paused,
            ContentType = stored.ContentType ?? "str",
            // a nested run's state only says which session and run it belongs to (CurrentRunState)
            SessionState = stored.SessionState?.Deserialize(HostWireContext.Default.CurrentRunStateFields)?.CurrentRunId is null ? stored.SessionState : null,
            Metadata = stored.Metadata,
            Messages = (stored.Messages ?? []).Where(m => !m.FromHistory).ToList(),
            Tools = (stored.Tools?.OfType<JsonObject>() ?? []).Select(HostWire.ToTool).ToList(),
            Requirements = stored.Requirements?.ConvertAll(HostWire.ToRequirement) ?? [],
            Events = stored.Events?.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList() ?? [],
        };
        run.Metrics.Restore(stored.Metrics?.Deserialize(HostWireContext.Default.RunMetrics));
        if (stored.ReasoningContent is { } reasoning)
        {
            run.Reasoning.Append(reasoning);
        }

        if (resume is not null)
        {
            run.Pending = [.. resume.Pending];
            run.Continued = resume.Continued;
            run.OutputSchema = (JsonObject?)resume.OutputSchema?.DeepClone();
        }

        var savedMembers = resume?.Members;
        foreach (var memberFields in stored.MemberResponses ?? [])
        {
            string memberRunId = memberFields.RunId ?? string.Empty;
            var saved = savedMembers?.GetValueOrDefault(memberRunId);
            var memberSource = new EventSource
            {
                Scope = EmitterScope.Agent,
                ComponentId = memberFields.AgentId ?? string.Empty,
                ComponentName = memberFields.AgentName ?? string.Empty,
                RunId = memberRunId,
                SessionId = source.SessionId,
                ParentRunId = source.RunId,
                EmitParentRunId = true,
                Step = source.Step,
                NestedDepth = source.NestedDepth,
            };
            run.Members.Add(FromStored(saved is not null ? StoredRunFields.Of(saved.Output) : memberFields, saved?.Resume, memberSource, modelId, modelProvider));
        }

        return run;
    }

}

/// <summary>A run input of text only.</summary>
internal sealed record TextInputBody(string InputContent);

/// <summary>
/// Text appended in chunks (a model's deltas), joined into one string only when read, and then once: a text of one
/// chunk is that string itself, and a string found equal to the whole text (<see cref="Share"/>) is used as it is.
/// </summary>
internal sealed class TextChunks
{
    private readonly List<string> _chunks = [];
    private string? _joined;

    /// <summary>The text's length in UTF-16 code units.</summary>
    public int Length { get; private set; }

    public TextChunks Append(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            _chunks.Add(text);
            Length += text.Length;
            _joined = null;
        }

        return this;
    }

    public TextChunks Append(StringBuilder text) => Append(text.ToString());

    public TextChunks Clear()
    {
        _chunks.Clear();
        Length = 0;
        _joined = null;
        return this;
    }

    /// <summary>Uses <paramref name="text"/> as the whole text when it is equal to it (compared chunk by chunk, nothing allocated).</summary>
    public void Share(string text)
    {
        if (text.Length == 0 || text.Length != Length || ReferenceEquals(_joined, text))
        {
            return;
        }

        var rest = text.AsSpan();
        foreach (var chunk in _chunks)
        {
            if (!rest.StartsWith(chunk.AsSpan(), StringComparison.Ordinal))
            {
                return;
            }

            rest = rest[chunk.Length..];
        }

        _chunks.Clear();
        _chunks.Add(text);
        _joined = text;
    }

    public override string ToString()
    {
        if (_joined is null)
        {
            _joined = _chunks.Count switch
            {
                0 => string.Empty,
                1 => _chunks[0],
                _ => string.Concat(_chunks),
            };
            if (_chunks.Count > 1)
            {
                _chunks.Clear();
                _chunks.Add(_joined);
            }
        }

        return _joined;
    }
}

/// <summary>The session state of a nested run, read back (<see cref="CurrentRunState"/>).</summary>
internal sealed record CurrentRunStateFields(string? CurrentRunId);
