using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

/// <summary>
/// The JSON answer of a non-streaming call: the type's serializer contract, resolved only when it is needed, and
/// optionally a hand reader tried first (<see cref="RunOutputReader"/>). A run's first call in a process then builds no
/// serializer metadata for the run output's graph when the answer has the usual shape.
/// </summary>
/// <typeparam name="T">The answer's type.</typeparam>
internal sealed class JsonAnswer<T>(Func<JsonTypeInfo<T>> typeInfo, JsonAnswer<T>.FastReader? fast)
{
    private JsonTypeInfo<T>? _typeInfo;

    /// <summary>Reads the whole body (valid UTF-8) by hand, or returns null to leave it to the serializer.</summary>
    public delegate T? FastReader(ReadOnlySpan<byte> body);

    /// <summary>The type's serializer contract (resolved on first use).</summary>
    public JsonTypeInfo<T> TypeInfo => _typeInfo ??= typeInfo();

    /// <summary>The hand reader, if the type has one.</summary>
    public FastReader? Fast => fast;
}

/// <summary>The answers of the non-streaming runs of each component kind.</summary>
internal static class RunAnswers
{
    public static JsonAnswer<AgentRunOutput> Agent { get; } = new(static () => AgentOSJsonContext.Default.AgentRunOutput, RunOutputReader.TryReadAgent);

    public static JsonAnswer<TeamRunOutput> Team { get; } = new(static () => AgentOSJsonContext.Default.TeamRunOutput, RunOutputReader.TryReadTeam);

    public static JsonAnswer<WorkflowRunOutput> Workflow { get; } = new(static () => AgentOSJsonContext.Default.WorkflowRunOutput, RunOutputReader.TryReadWorkflow);
}

/// <summary>
/// Reads a run's output (<see cref="AgentRunOutput"/>, <see cref="TeamRunOutput"/>, <see cref="WorkflowRunOutput"/>) in
/// one <see cref="Utf8JsonReader"/> pass over its usual shape, with exactly the serializer's result, or returns null so
/// that the serializer decodes the body as before. Read by hand: every scalar, JSON-valued and object-valued member, the
/// metrics, the messages, the members' runs of a team, empty lists, and the fields the types do not model (into the
/// extension data). Non-empty lists of tools, requirements, media and workflow steps go through their own
/// source-generated contracts (as the serializer reads them). Anything unusual gives up: an escaped property name, a
/// property seen twice, a token of a type the member does not take as is (a number in a string, a null count), a value
/// out of range, malformed JSON, a second JSON value.
/// </summary>
/// <remarks>
/// The body must already be checked as UTF-8 (the pipeline does it for the whole body): JSON values are kept as they
/// are sent, as the serializer keeps them. The content texts go through <see cref="ContentTextConverter"/>, so large
/// repeated texts are shared within one answer (<see cref="SharedTexts"/>) on this path too.
/// </remarks>
internal static class RunOutputReader
{

    private enum Kind : byte
    {
        Agent,
        Team,
        Workflow,
    }

    private enum Field : byte
    {
        Other,

        // the names of members the contract ignores (RunOutput.IsPaused, IsCancelled): their values are skipped, as the serializer skips them
        IsPaused,
        IsCancelled,

        // RunOutput
        RunId,
        SessionId,
        UserId,
        ParentRunId,
        Status,
        Content,
        ContentType,
        ReasoningContent,
        ReasoningSteps,
        Model,
        ModelProvider,
        Metrics,
        Messages,
        Tools,
        Requirements,
        Input,
        Images,
        Videos,
        Audio,
        Files,
        Citations,
        References,
        Metadata,
        SessionState,
        CreatedAt,
        QueueAttempt,
        Events,

        // AgentRunOutput (and WorkflowId of WorkflowRunOutput)
        AgentId,
        AgentName,
        WorkflowId,
        ForkedFromRunId,

        // TeamRunOutput
        TeamId,
        TeamName,
        MemberResponses,

        // WorkflowRunOutput
        WorkflowName,
        StepResults,
        StepExecutorRuns,
        StepRequirements,
        ErrorRequirements,
        PausedStepIndex,
        PausedStepName,
        PauseKind,
    }

    private enum MessageField : byte
    {
        Other,
        Id,
        Role,
        Content,
        ReasoningContent,
        Name,
        ToolCallId,
        ToolName,
        ToolCalls,
        FromHistory,
        StopAfterToolCall,
        Metrics,
        CreatedAt,
    }

    /// <summary>Reads an agent run's output, or returns null to leave it to the serializer.</summary>
    /// <param name="body">The whole body (valid UTF-8).</param>
    public static AgentRunOutput? TryReadAgent(ReadOnlySpan<byte> body) => (AgentRunOutput?)TryRead(body, Kind.Agent);

    /// <summary>Reads a team run's output, or returns null to leave it to the serializer.</summary>
    /// <param name="body">The whole body (valid UTF-8).</param>
    public static TeamRunOutput? TryReadTeam(ReadOnlySpan<byte> body) => (TeamRunOutput?)TryRead(body, Kind.Team);

    /// <summary>Reads a workflow run's output, or returns null to leave it to the serializer.</summary>
    /// <param name="body">The whole body (valid UTF-8).</param>
    public static WorkflowRunOutput? TryReadWorkflow(ReadOnlySpan<byte> body) => (WorkflowRunOutput?)TryRead(body, Kind.Workflow);

    private static RunOutput? TryRead(ReadOnlySpan<byte> body, Kind kind)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null; // null, not an object, empty: the serializer's answer or error
            }

            var output = ReadOutput(ref reader, kind);

            // Only whitespace may follow (a second value throws, like the serializer).
            return output is null || reader.Read() ? null : output;
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return null;
        }
    }

    /// <summary>Reads the object the reader is on (its start) into a new output of the kind; null on anything unusual.</summary>
    private static RunOutput? ReadOutput(ref Utf8JsonReader reader, Kind kind)
    {
        RunOutput output = kind switch
        {
            Kind.Agent => new AgentRunOutput(),
            Kind.Team => new TeamRunOutput(),
            _ => new WorkflowRunOutput(),
        };

        ulong seen = 0;
        while (true)
        {
            switch (Utf8Fields.Next(ref reader))
            {
                case Utf8Fields.Step.End:
                    return output;
                case Utf8Fields.Step.GiveUp:
                    return null;
            }

            var field = Of(reader.ValueSpan, kind);
            if (field == Field.Other)
            {
                var extension = output.AdditionalProperties;
                if (!Utf8Fields.Extension(ref reader, default, ref extension))
                {
                    return null;
                }

                output.AdditionalProperties = extension;
                continue;
            }

            if (!Utf8Fields.FirstTime(ref seen, (int)field) || !reader.Read())
            {
                return null; // a property seen twice: left to the serializer's rules
            }

            if (field is Field.IsPaused or Field.IsCancelled)
            {
                reader.Skip();
                continue;
            }

            if (!ReadField(ref reader, field, output))
            {
                return null;
            }
        }
    }

    private static bool ReadField(ref Utf8JsonReader reader, Field field, RunOutput output)
    {
        switch (field)
        {
            case Field.Status:
                output.Status = RunStatusConverter.ReadValue(ref reader);
                return true;
            case Field.Content:
                output.Content = ContentTextConverter.ReadValue(ref reader);
                return true;
            case Field.ReasoningSteps:
                output.ReasoningSteps = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.Input:
                output.Input = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.Citations:
                output.Citations = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.References:
                output.References = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.Events:
                output.Events = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.Metadata:
                return Utf8Fields.ObjectOrNull(ref reader, default, out var metadata) && Set(output.Metadata = metadata);
            case Field.SessionState:
                return Utf8Fields.ObjectOrNull(ref reader, default, out var sessionState) && Set(output.SessionState = sessionState);
            case Field.CreatedAt:
                return Utf8Fields.TimeOrNull(ref reader, out var createdAt) && Set(output.CreatedAt = createdAt);
            case Field.QueueAttempt:
                return Utf8Fields.Int32OrNull(ref reader, out int? attempt) && Set(output.QueueAttempt = attempt);
            case Field.Metrics:
                return Metrics(ref reader, out var metrics) && Set(output.Metrics = metrics);
            case Field.Messages:
                return Objects(ref reader, out var messages, ReadMessage) && Set(output.Messages = messages!);
            case Field.Tools:
                return List(ref reader, out var tools, static () => AgentOSJsonContext.Default.ListToolExecution) && Set(output.Tools = tools);
            case Field.Requirements:
                return List(ref reader, out var requirements, static () => AgentOSJsonContext.Default.ListRunRequirement) && Set(output.Requirements = requirements);
            case Field.Images:
                return List(ref reader, out var images, static () => AgentOSJsonContext.Default.ListOutputMedia) && Set(output.Images = images);
            case Field.Videos:
                return List(ref reader, out var videos, static () => AgentOSJsonContext.Default.ListOutputMedia) && Set(output.Videos = videos);
            case Field.Audio:
                return List(ref reader, out var audio, static () => AgentOSJsonContext.Default.ListOutputMedia) && Set(output.Audio = audio);
            case Field.Files:
                return List(ref reader, out var files, static () => AgentOSJsonContext.Default.ListOutputMedia) && Set(output.Files = files);
            case Field.MemberResponses:
                return Objects(ref reader, out var members, static (ref Utf8JsonReader r) => ReadOutput(ref r, Kind.Agent) as AgentRunOutput) && Set(((TeamRunOutput)output).MemberResponses = members!);
            case Field.StepResults:
                return List(ref reader, out var steps, static () => AgentOSJsonContext.Default.ListStepOutput) && Set(((WorkflowRunOutput)output).StepResults = steps);
            case Field.StepRequirements:
                return List(ref reader, out var stepRequirements, static () => AgentOSJsonContext.Default.ListStepRequirement) && Set(((WorkflowRunOutput)output).StepRequirements = stepRequirements);
            case Field.StepExecutorRuns:
                ((WorkflowRunOutput)output).StepExecutorRuns = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.ErrorRequirements:
                ((WorkflowRunOutput)output).ErrorRequirements = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
            case Field.PausedStepIndex:
                ((WorkflowRunOutput)output).PausedStepIndex = Utf8Fields.ElementOrNull(ref reader, default);
                return true;
        }

        // the plain string members: a string or null
        if (!Utf8Fields.StringOrNull(ref reader, out string? text))
        {
            return false;
        }

        switch (field)
        {
            case Field.RunId: output.RunId = text; break;
            case Field.SessionId: output.SessionId = text; break;
            case Field.UserId: output.UserId = text; break;
            case Field.ParentRunId: output.ParentRunId = text; break;
            case Field.ContentType: output.ContentType = text; break;
            case Field.ReasoningContent: output.ReasoningContent = text; break;
            case Field.Model: output.Model = text; break;
            case Field.ModelProvider: output.ModelProvider = text; break;
            case Field.AgentId: ((AgentRunOutput)output).AgentId = text; break;
            case Field.AgentName: ((AgentRunOutput)output).AgentName = text; break;
            case Field.ForkedFromRunId: ((AgentRunOutput)output).ForkedFromRunId = text; break;
            case Field.WorkflowId:
                if (output is AgentRunOutput agent)
                {
                    agent.WorkflowId = text;
                }
                else
                {
                    ((WorkflowRunOutput)output).WorkflowId = text;
                }

                break;
            case Field.TeamId: ((TeamRunOutput)output).TeamId = text; break;
            case Field.TeamName: ((TeamRunOutput)output).TeamName = text; break;
            case Field.WorkflowName: ((WorkflowRunOutput)output).WorkflowName = text; break;
            case Field.PausedStepName: ((WorkflowRunOutput)output).PausedStepName = text; break;
            case Field.PauseKind: ((WorkflowRunOutput)output).PauseKind = text; break;
            default: return false;
        }

        return true;
    }

    private static bool Set<T>(T _) => true;

    /// <summary>The member of the name for the kind (a name the kind does not model is <see cref="Field.Other"/>: extension data).</summary>
    private static Field Of(ReadOnlySpan<byte> name, Kind kind)
    {
        var field = CommonOf(name);
        if (field < Field.AgentId)
        {
            return field;
        }

        return kind switch
        {
            Kind.Agent => field is Field.AgentId or Field.AgentName or Field.WorkflowId or Field.ForkedFromRunId ? field : Field.Other,
            Kind.Team => field is Field.TeamId or Field.TeamName or Field.MemberResponses ? field : Field.Other,
            _ => field is Field.WorkflowId or >= Field.WorkflowName ? field : Field.Other,
        };
    }

    private static Field CommonOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        5 when name.SequenceEqual("model"u8) => Field.Model,
        5 when name.SequenceEqual("tools"u8) => Field.Tools,
        5 when name.SequenceEqual("input"u8) => Field.Input,
        5 when name.SequenceEqual("files"u8) => Field.Files,
        5 when name.SequenceEqual("audio"u8) => Field.Audio,
        6 when name.SequenceEqual("run_id"u8) => Field.RunId,
        6 when name.SequenceEqual("status"u8) => Field.Status,
        6 when name.SequenceEqual("images"u8) => Field.Images,
        6 when name.SequenceEqual("videos"u8) => Field.Videos,
        6 when name.SequenceEqual("events"u8) => Field.Events,
        7 when name.SequenceEqual("content"u8) => Field.Content,
        7 when name.SequenceEqual("metrics"u8) => Field.Metrics,
        7 when name.SequenceEqual("user_id"u8) => Field.UserId,
        7 when name.SequenceEqual("team_id"u8) => Field.TeamId,
        8 when name.SequenceEqual("messages"u8) => Field.Messages,
        8 when name.SequenceEqual("metadata"u8) => Field.Metadata,
        8 when name.SequenceEqual("agent_id"u8) => Field.AgentId,
        9 when name.SequenceEqual("citations"u8) => Field.Citations,
        9 when name.SequenceEqual("team_name"u8) => Field.TeamName,
        9 when name.SequenceEqual("is_paused"u8) => Field.IsPaused,
        12 when name.SequenceEqual("is_cancelled"u8) => Field.IsCancelled,
        10 when name.SequenceEqual("session_id"u8) => Field.SessionId,
        10 when name.SequenceEqual("references"u8) => Field.References,
        10 when name.SequenceEqual("created_at"u8) => Field.CreatedAt,
        10 when name.SequenceEqual("agent_name"u8) => Field.AgentName,
        10 when name.SequenceEqual("pause_kind"u8) => Field.PauseKind,
        11 when name.SequenceEqual("workflow_id"u8) => Field.WorkflowId,
        12 when name.SequenceEqual("content_type"u8) => Field.ContentType,
        12 when name.SequenceEqual("requirements"u8) => Field.Requirements,
        12 when name.SequenceEqual("step_results"u8) => Field.StepResults,
        13 when name.SequenceEqual("parent_run_id"u8) => Field.ParentRunId,
        13 when name.SequenceEqual("session_state"u8) => Field.SessionState,
        13 when name.SequenceEqual("queue_attempt"u8) => Field.QueueAttempt,
        13 when name.SequenceEqual("workflow_name"u8) => Field.WorkflowName,
        14 when name.SequenceEqual("model_provider"u8) => Field.ModelProvider,
        15 when name.SequenceEqual("reasoning_steps"u8) => Field.ReasoningSteps,
        16 when name.SequenceEqual("member_responses"u8) => Field.MemberResponses,
        16 when name.SequenceEqual("paused_step_name"u8) => Field.PausedStepName,
        17 when name.SequenceEqual("reasoning_content"u8) => Field.ReasoningContent,
        17 when name.SequenceEqual("step_requirements"u8) => Field.StepRequirements,
        17 when name.SequenceEqual("paused_step_index"u8) => Field.PausedStepIndex,
        18 when name.SequenceEqual("forked_from_run_id"u8) => Field.ForkedFromRunId,
        18 when name.SequenceEqual("step_executor_runs"u8) => Field.StepExecutorRuns,
        18 when name.SequenceEqual("error_requirements"u8) => Field.ErrorRequirements,
        _ => Field.Other,
    };

    /// <summary>Reads the object the reader is on (its start); null on anything unusual.</summary>
    private delegate T? ObjectReader<T>(ref Utf8JsonReader reader)
        where T : class;

    /// <summary>
    /// A list of objects read by hand (the messages; the members' runs of a team, read as agent runs, a nested team's own
    /// fields then extension data, as the serializer keeps them): null, or an array of objects and nulls.
    /// </summary>
    private static bool Objects<T>(ref Utf8JsonReader reader, out List<T?>? list, ObjectReader<T> read)
        where T : class
    {
        list = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var items = new List<T?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                items.Add(null);
            }
            else if (reader.TokenType != JsonTokenType.StartObject || read(ref reader) is not { } item)
            {
                return false;
            }
            else
            {
                items.Add(item);
            }
        }

        list = items;
        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static RunMessage? ReadMessage(ref Utf8JsonReader reader)
    {
        var message = new RunMessage();
        ulong seen = 0;
        while (true)
        {
            switch (Utf8Fields.Next(ref reader))
            {
                case Utf8Fields.Step.End:
                    return message;
                case Utf8Fields.Step.GiveUp:
                    return null;
            }

            var field = MessageOf(reader.ValueSpan);
            if (field == MessageField.Other)
            {
                var extension = message.AdditionalProperties;
                if (!Utf8Fields.Extension(ref reader, default, ref extension))
                {
                    return null;
                }

                message.AdditionalProperties = extension;
                continue;
            }

            if (!Utf8Fields.FirstTime(ref seen, (int)field) || !reader.Read())
            {
                return null;
            }

            switch (field)
            {
                case MessageField.Content:
                    message.Content = ContentTextConverter.ReadValue(ref reader);
                    continue;
                case MessageField.ToolCalls:
                    message.ToolCalls = Utf8Fields.ElementOrNull(ref reader, default);
                    continue;
                case MessageField.FromHistory or MessageField.StopAfterToolCall:
                    if (!Utf8Fields.BoolOrNull(ref reader, out bool? flag))
                    {
                        return null;
                    }

                    if (field == MessageField.FromHistory)
                    {
                        message.FromHistory = flag;
                    }
                    else
                    {
                        message.StopAfterToolCall = flag;
                    }

                    continue;
                case MessageField.Metrics:
                    if (!Metrics(ref reader, out var metrics))
                    {
                        return null;
                    }

                    message.Metrics = metrics;
                    continue;
                case MessageField.CreatedAt:
                    if (!Utf8Fields.TimeOrNull(ref reader, out var createdAt))
                    {
                        return null;
                    }

                    message.CreatedAt = createdAt;
                    continue;
            }

            if (!Utf8Fields.StringOrNull(ref reader, out string? text))
            {
                return null;
            }

            switch (field)
            {
                case MessageField.Id: message.Id = text; break;
                case MessageField.Role: message.Role = text; break;
                case MessageField.ReasoningContent: message.ReasoningContent = text; break;
                case MessageField.Name: message.Name = text; break;
                case MessageField.ToolCallId: message.ToolCallId = text; break;
                default: message.ToolName = text; break;
            }
        }
    }

    private static MessageField MessageOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => MessageField.Id,
        4 when name.SequenceEqual("role"u8) => MessageField.Role,
        4 when name.SequenceEqual("name"u8) => MessageField.Name,
        7 when name.SequenceEqual("content"u8) => MessageField.Content,
        7 when name.SequenceEqual("metrics"u8) => MessageField.Metrics,
        9 when name.SequenceEqual("tool_name"u8) => MessageField.ToolName,
        10 when name.SequenceEqual("tool_calls"u8) => MessageField.ToolCalls,
        10 when name.SequenceEqual("created_at"u8) => MessageField.CreatedAt,
        12 when name.SequenceEqual("tool_call_id"u8) => MessageField.ToolCallId,
        12 when name.SequenceEqual("from_history"u8) => MessageField.FromHistory,
        17 when name.SequenceEqual("reasoning_content"u8) => MessageField.ReasoningContent,
        20 when name.SequenceEqual("stop_after_tool_call"u8) => MessageField.StopAfterToolCall,
        _ => MessageField.Other,
    };

    /// <summary>A <see cref="RunMetrics"/>? member: null or metrics read by <see cref="Utf8Fields.Metrics"/> (the body is checked as UTF-8).</summary>
    private static bool Metrics(ref Utf8JsonReader reader, out RunMetrics? metrics)
    {
        metrics = null;
        return reader.TokenType == JsonTokenType.Null
            || (reader.TokenType == JsonTokenType.StartObject && (metrics = Utf8Fields.Metrics(ref reader, default)) is not null);
    }

    /// <summary>A non-empty list through its own contract (as the serializer reads it); an empty one or null by hand.</summary>
    private static bool List<T>(ref Utf8JsonReader reader, out List<T>? list, Func<JsonTypeInfo<List<T>>> typeInfo)
    {
        list = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var peek = reader;
        if (peek.Read() && peek.TokenType == JsonTokenType.EndArray)
        {
            reader.Read();
            list = new List<T>();
            return true;
        }

        list = JsonSerializer.Deserialize(ref reader, typeInfo());
        return list is not null;
    }
}
