using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Runs an agent (or a team leader) on its chat client and emits AgentOS events: the model loop, tool calls
/// (reported, run by the host, delegated to team members, or left to the caller), pauses for a human,
/// continuation, cancellation and errors. The run's state is kept in <see cref="Run"/>.
/// </summary>
internal sealed partial class ChatRunner
{
    private const string ConfirmationMessage = "I have tools to execute, but I need confirmation.";
    private const string UserInputMessage = "I have tools to execute, but I need user input.";
    private const string ExternalMessage = "I have tools to execute, but it needs external execution.";

    private readonly RunEnvironment _env;
    private readonly ChatSpec _spec;
    private readonly IEventSink _sink;
    private readonly List<ChatMessage> _conversation = [];
    private readonly string _prefix;

    /// <summary>Flags AgentOS clears on resolved tools once the continued run ends (events during the run still show them set).</summary>
    private readonly List<(JsonObject Tool, string Key, JsonNode? Value)> _resolvedFlags = [];

    /// <summary>Member run ids of delegation calls (shown in the delegation tool of team events).</summary>
    private readonly Dictionary<string, string> _children = new(StringComparer.Ordinal);

    public ChatRunner(RunEnvironment env, ChatSpec spec, ChatRun run, IEventSink sink)
    {
        _env = env;
        _spec = spec;
        Run = run;
        _sink = sink;
        _prefix = spec.Scope == EmitterScope.Team ? "Team" : string.Empty;
    }

    public ChatRun Run { get; }

    /// <summary>Called once the run's state is final, before its last event is sent (so a client that reads the
    /// last event can already get the stored run).</summary>
    public Func<ValueTask>? Persist { get; set; }

    /// <summary>Creates a new run's state.</summary>
    public static ChatRun NewRun(ChatSpec spec, string runId, string sessionId, string? parentRunId, bool emitParent, StepContext? step, long now)
        => new()
        {
            Source = new EventSource
            {
                Scope = spec.Scope,
                ComponentId = spec.Id,
                ComponentName = spec.Name,
                RunId = runId,
                SessionId = sessionId,
                ParentRunId = parentRunId,
                EmitParentRunId = emitParent,
                Step = step,
            },
            ModelId = spec.ModelId,
            ModelProvider = spec.ModelProvider,
            CreatedAt = now,
        };

    /// <summary>Runs a new message.</summary>
    public async Task StartAsync(string message, IReadOnlyList<AIContent> media, IReadOnlyList<JsonObject> history, CancellationToken cancellationToken)
    {
        long now = _env.Now;
        var run = Run;
        run.Status = "RUNNING";
        if (_spec.SystemMessage is { Length: > 0 } system)
        {
            run.Messages.Add(MessageMapper.System(system, now));
            _conversation.Add(new ChatMessage(ChatRole.System, system));
        }

        if (history.Count > 0)
        {
            run.HistoryMessages = history.Select(MessageMapper.AsHistory).ToList();
            _conversation.AddRange(MessageMapper.ToChat(history));
        }

        run.Messages.Add(MessageMapper.User(message, now, run.Input));
        var userContents = new List<AIContent>(1 + media.Count) { new TextContent(message) };
        userContents.AddRange(media);
        _conversation.Add(new ChatMessage(ChatRole.User, userContents));

        await GuardAsync(async ct =>
        {
            await EmitLifecycleAsync(Event("RunStarted", ModelPayload())).ConfigureAwait(false);
            await LoopAsync(lazyFirst: false, resolved: null, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Continues a paused run. The caller has already copied the human's answers onto <see cref="ChatRun.Tools"/>
    /// (and, for a team, onto its members' runs).
    /// </summary>
    public async Task ContinueAsync(IReadOnlyList<JsonObject> history, Func<ChatRun, ChatRunner>? memberRunnerFactory, CancellationToken cancellationToken)
    {
        var run = Run;
        if (_spec.SystemMessage is { Length: > 0 } system)
        {
            _conversation.Add(new ChatMessage(ChatRole.System, system));
        }

        if (history.Count > 0)
        {
            _conversation.AddRange(MessageMapper.ToChat(history));
        }

        _conversation.AddRange(MessageMapper.ToChat(run.Messages, run.Pending));
        run.Status = "RUNNING";
        run.Continued = true;
        run.ContentText.Clear();
        run.ContentObject = null;

        await GuardAsync(async ct =>
        {
            await EmitAsync(Event("RunContinued")).ConfigureAwait(false);
            var resolved = new HashSet<string>(StringComparer.Ordinal);
            var stillPending = new List<PendingCall>();
            var responses = new List<AIContent>();
            foreach (var pending in run.Pending)
            {
                var tool = FindTool(pending.CallId);
                var call = new FunctionCallContent(pending.CallId, pending.Name, MessageMapper.ArgumentsFromJson(tool?.GetObject("tool_args") ?? pending.Arguments));
                switch (pending.Kind)
                {
                    case PendingKind.Approval:
                        if (tool.GetBool("confirmed") is not { } approved)
                        {
                            stillPending.Add(pending);
                            break;
                        }

                        responses.Add(new ToolApprovalResponseContent(pending.RequestId!, approved, call) { Reason = tool.GetString("confirmation_note") });
                        _resolvedFlags.Add((tool!, "requires_confirmation", false));
                        resolved.Add(pending.CallId);
                        break;
                    case PendingKind.Input:
                        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                        var toolArgs = tool?.GetObject("tool_args");
                        foreach (var field in tool?.GetArray("user_input_schema")?.OfType<JsonObject>() ?? [])
                        {
                            if (field.GetString("name") is { } name)
                            {
                                values[name] = field["value"]?.DeepClone();
                                if (toolArgs is not null && field["value"] is { } given)
                                {
                                    toolArgs[name] = given.DeepClone();
                                }
                            }
                        }

                        if (toolArgs is not null)
                        {
                            call = new FunctionCallContent(pending.CallId, pending.Name, MessageMapper.ArgumentsFromJson(toolArgs));
                        }

                        responses.Add(new AgnoInputResponseContent(pending.RequestId!) { ToolCall = call, Values = values });
                        if (tool is not null)
                        {
                            _resolvedFlags.Add((tool, "requires_user_input", false));
                            _resolvedFlags.Add((tool, "answered", true));
                        }

                        resolved.Add(pending.CallId);
                        break;
                    case PendingKind.HostApproval:
                        if (tool.GetBool("confirmed") is not { } confirmed)
                        {
                            stillPending.Add(pending);
                            break;
                        }

                        _resolvedFlags.Add((tool!, "requires_confirmation", false));
                        if (_env.Approvals is { } approvals)
                        {
                            await approvals.AuditAsync(run, _spec, tool!, confirmed, ct).ConfigureAwait(false);
                        }

                        if (confirmed && _spec.FindHostTool(pending.Name) is AIFunction function)
                        {
                            await ExecuteHostToolAsync(call, function, recordMetrics: false, ct).ConfigureAwait(false);
                        }
                        else
                        {
                            string note = tool.GetString("confirmation_note") ?? "The tool call was rejected by the user.";
                            AddToolResult(call, note, error: false);
                        }

                        break;
                    case PendingKind.External:
                        if (tool?["result"] is not { } result)
                        {
                            stillPending.Add(pending);
                            break;
                        }

                        _resolvedFlags.Add((tool, "external_execution_required", false));
                        AddToolResult(call, Wire.AsText(result) ?? string.Empty, error: null);
                        break;
                    case PendingKind.Member:
                        var member = pending.MemberRunId is null ? null : run.FindMember(pending.MemberRunId);
                        if (member is null || memberRunnerFactory is null)
                        {
                            AddToolResult(call, "The member run could not be continued.", error: true);
                            break;
                        }

                        var memberRunner = memberRunnerFactory(member);
                        await memberRunner.ContinueAsync([], null, ct).ConfigureAwait(false);
                        run.Messages.RemoveAll(m => m.GetString("role") == "tool" && m.GetString("tool_call_id") == pending.CallId);
                        if (!await FinishDelegationAsync(call, member, tool, ct).ConfigureAwait(false))
                        {
                            stillPending.Add(pending);
                        }

                        break;
                }
            }

            if (responses.Count > 0)
            {
                _conversation.Add(new ChatMessage(ChatRole.User, responses));
            }

            run.Pending = stillPending;
            if (stillPending.Count > 0)
            {
                await PauseAsync().ConfigureAwait(false);
                return;
            }

            await LoopAsync(lazyFirst: resolved.Count > 0, resolved, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task GuardAsync(Func<CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            await body(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelledAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Any other failure, including a chat client's own timeout, fails the run as AgentOS does (RunError).
            Log.RunFailed(_env.Logger, ex, _spec.Scope.ToString(), _spec.Id, Run.Source.RunId);
            await FailedAsync(ex).ConfigureAwait(false);
        }
    }

    private async Task LoopAsync(bool lazyFirst, HashSet<string>? resolved, CancellationToken ct)
    {
        bool lazy = lazyFirst;
        for (int calls = 0; ; calls++)
        {
            if (calls >= _env.Options.MaxModelCallsPerRun)
            {
                throw new InvalidOperationException($"The run made {calls} model calls without finishing (AgentOSHostOptions.MaxModelCallsPerRun).");
            }

            var turn = await CallModelAsync(lazy, resolved, ct).ConfigureAwait(false);
            lazy = false;
            resolved = null;
            bool again = await HandleCallsAsync(turn, ct).ConfigureAwait(false);
            if (Run.Pending.Count > 0)
            {
                await PauseAsync().ConfigureAwait(false);
                return;
            }

            if (!again)
            {
                await CompleteAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private sealed class ModelTurn
    {
        public List<FunctionCallContent> Open { get; } = [];

        public Dictionary<string, FunctionCallContent> Seen { get; } = new(StringComparer.Ordinal);

        /// <summary>The usage reported in each message (by message id).</summary>
        public Dictionary<string, UsageDetails> UsageByMessage { get; } = new(StringComparer.Ordinal);

        /// <summary>When each call was first seen (the metrics of a tool the chat client runs itself).</summary>
        public Dictionary<string, (double Start, long Timestamp)> SeenAt { get; } = new(StringComparer.Ordinal);

        public List<ToolApprovalRequestContent> Approvals { get; } = [];

        public List<InputRequestContent> Inputs { get; } = [];

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public double? TimeToFirstToken { get; set; }
    }

    private async Task<ModelTurn> CallModelAsync(bool lazy, HashSet<string>? resolved, CancellationToken ct)
    {
        var run = Run;
        var turn = new ModelTurn();
        var options = BuildOptions();
        bool structured = options.ResponseFormat is ChatResponseFormatJson;
        var structuredText = structured ? new StringBuilder() : null;
        bool open = false;
        long started = Stopwatch.GetTimestamp();
        var usage = new UsageDetails();
        var updates = new List<ChatResponseUpdate>();

        async ValueTask OpenAsync()
        {
            if (!open)
            {
                open = true;
                await EmitLifecycleAsync(Event("ModelRequestStarted", ModelPayload())).ConfigureAwait(false);
            }
        }

        async ValueTask CloseAsync()
        {
            if (open)
            {
                open = false;
                await EmitLifecycleAsync(Event("ModelRequestCompleted", ModelCompletedPayload(usage, turn.TimeToFirstToken))).ConfigureAwait(false);
            }
        }

        void FirstToken()
        {
            turn.TimeToFirstToken ??= Stopwatch.GetElapsedTime(started).TotalSeconds;
            run.Metrics.MarkFirstToken();
        }

        if (!lazy)
        {
            await OpenAsync().ConfigureAwait(false);
        }

        await foreach (var update in _spec.Client.GetStreamingResponseAsync(_conversation, options, ct).ConfigureAwait(false))
        {
            ct.ThrowIfCancellationRequested();
            updates.Add(update);
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent text when !string.IsNullOrEmpty(text.Text):
                        await OpenAsync().ConfigureAwait(false);
                        FirstToken();
                        if (structuredText is not null)
                        {
                            structuredText.Append(text.Text);
                        }
                        else
                        {
                            run.ContentText.Append(text.Text);
                            await EmitAsync(ContentEvent(text.Text, null, string.Empty)).ConfigureAwait(false);
                        }

                        break;
                    case TextReasoningContent reasoning when !string.IsNullOrEmpty(reasoning.Text):
                        await OpenAsync().ConfigureAwait(false);
                        FirstToken();
                        run.Reasoning.Append(reasoning.Text);
                        await EmitAsync(ContentEvent(null, null, reasoning.Text)).ConfigureAwait(false);
                        break;
                    case UsageContent u:
                        Accumulate(usage, u.Details);
                        if (update.MessageId is { } usageMessageId)
                        {
                            // Per message: a chat client that runs tools itself makes several model calls in one turn.
                            Accumulate(turn.UsageByMessage.TryGetValue(usageMessageId, out var perMessage) ? perMessage : turn.UsageByMessage[usageMessageId] = new UsageDetails(), u.Details);
                        }

                        break;
                    case FunctionCallContent call when !call.InformationalOnly:
                        if (resolved?.Contains(call.CallId) != true)
                        {
                            await OpenAsync().ConfigureAwait(false);
                            run.Metrics.MarkFirstToken();
                        }

                        if (turn.Seen.TryAdd(call.CallId, call))
                        {
                            turn.Open.Add(call);
                            if (resolved?.Contains(call.CallId) != true)
                            {
                                // A call continued after a human's answer has no metrics, as in AgentOS.
                                turn.SeenAt[call.CallId] = (_env.NowSeconds, Stopwatch.GetTimestamp());
                            }
                        }

                        break;
                    case FunctionResultContent result:
                        if (turn.Seen.TryGetValue(result.CallId, out var executed) && turn.Open.Remove(executed))
                        {
                            await CloseAsync().ConfigureAwait(false);
                            ReportExecutedByClient(executed, result, turn.SeenAt.GetValueOrDefault(executed.CallId));
                            await EmitToolEventsAsync(executed.CallId).ConfigureAwait(false);
                        }

                        break;
                    case ToolApprovalRequestContent approval:
                        await OpenAsync().ConfigureAwait(false);
                        run.Metrics.MarkFirstToken();
                        turn.Approvals.Add(approval);
                        break;
                    case InputRequestContent input:
                        await OpenAsync().ConfigureAwait(false);
                        run.Metrics.MarkFirstToken();
                        turn.Inputs.Add(input);
                        break;
                }
            }
        }

        if (structuredText is not null && structuredText.Length > 0)
        {
            run.ContentObject = ParseStructured(structuredText.ToString());
            if (run.ContentObject is null)
            {
                run.ContentText.Append(structuredText);
            }

            await EmitAsync(ContentEvent(run.ContentObject is null ? structuredText.ToString() : null, run.ContentObject, string.Empty)).ConfigureAwait(false);
        }

        await CloseAsync().ConfigureAwait(false);
        turn.InputTokens = usage.InputTokenCount ?? 0;
        turn.OutputTokens = usage.OutputTokenCount ?? 0;
        run.Metrics.Add(usage);

        var response = updates.ToChatResponse();
        var assistantWire = new List<JsonObject>();
        var assistantIds = new List<string?>();
        foreach (var message in response.Messages)
        {
            _conversation.Add(message);
            int before = assistantWire.Count;
            AddWireMessage(message, turn, resolved, assistantWire);
            if (assistantWire.Count > before)
            {
                assistantIds.Add(message.MessageId);
            }
        }

        if (assistantWire.Count > 1 && turn.UsageByMessage.Count > 1 && assistantIds.All(id => id is not null))
        {
            // Several model calls in one turn (tools run by the chat client): each message shows its own call's usage.
            for (int i = 0; i < assistantWire.Count; i++)
            {
                var own = turn.UsageByMessage.GetValueOrDefault(assistantIds[i]!);
                assistantWire[i]["metrics"] = RunMetricsAccumulator.MessageMetrics(own?.InputTokenCount ?? 0, own?.OutputTokenCount ?? 0, i == assistantWire.Count - 1 ? turn.TimeToFirstToken : null);
            }
        }
        else if (assistantWire.Count > 0)
        {
            assistantWire[^1]["metrics"] = RunMetricsAccumulator.MessageMetrics(turn.InputTokens, turn.OutputTokens, turn.TimeToFirstToken);
        }
        else if (structured && run.ContentObject is not null)
        {
            // The JSON text of a structured answer is the assistant's message.
            run.Messages.Add(MessageMapper.Assistant(run.ContentString, null, null, RunMetricsAccumulator.MessageMetrics(turn.InputTokens, turn.OutputTokens, turn.TimeToFirstToken), _env.Now));
        }

        return turn;
    }

    private void AddWireMessage(ChatMessage message, ModelTurn turn, HashSet<string>? resolved, List<JsonObject> assistantWire)
    {
        long now = _env.Now;
        if (message.Role == ChatRole.Assistant)
        {
            var text = new StringBuilder();
            var reasoning = new StringBuilder();
            var calls = new JsonArray();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r:
                        reasoning.Append(r.Text);
                        break;
                    // Seen (not informational) while streaming: a function-invoking client may flag the call informational once it ran it.
                    case FunctionCallContent f when turn.Seen.ContainsKey(f.CallId) && resolved?.Contains(f.CallId) != true:
                        calls.Add(MessageMapper.ToolCall(f.CallId, f.Name, MessageMapper.ArgumentsToJson(f.Arguments)));
                        break;
                    case ToolApprovalRequestContent { ToolCall: FunctionCallContent f }:
                        calls.Add(MessageMapper.ToolCall(f.CallId, f.Name, MessageMapper.ArgumentsToJson(f.Arguments)));
                        break;
                    case AgnoInputRequestContent { ToolCall: { } inputCall }:
                        calls.Add(MessageMapper.ToolCall(inputCall.CallId, inputCall.Name, MessageMapper.ArgumentsToJson(inputCall.Arguments)));
                        break;
                }
            }

            string? body = Run.ContentObject is not null && text.Length > 0 ? Run.ContentString : text.ToString();
            if (string.IsNullOrEmpty(body) && calls.Count == 0 && reasoning.Length == 0)
            {
                return;
            }

            var wire = MessageMapper.Assistant(body, reasoning.ToString(), calls, new JsonObject(), now);
            Run.Messages.Add(wire);
            assistantWire.Add(wire);
        }
        else if (message.Role == ChatRole.Tool)
        {
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                var tool = FindTool(result.CallId);
                string name = tool.GetString("tool_name") ?? (turn.Seen.TryGetValue(result.CallId, out var c) ? c.Name : string.Empty);
                Run.Messages.Add(MessageMapper.Tool(result.CallId, name, tool?.GetObject("tool_args") ?? [], MessageMapper.ResultText(result.Result), result.Exception is not null, now));
            }
        }
    }

    private async Task<bool> HandleCallsAsync(ModelTurn turn, CancellationToken ct)
    {
        var run = Run;
        bool again = false;
        foreach (var call in turn.Open)
        {
            if (_spec.Team is not null && call.Name == HostedTeam.DelegateToolName)
            {
                await DelegateAsync(call, ct).ConfigureAwait(false);
                again = true;
            }
            else if (_spec.FindHostTool(call.Name) is AIFunction function)
            {
                if (IsApprovalRequired(function))
                {
                    var tool = EnsureTool(call.CallId, call.Name, MessageMapper.ArgumentsToJson(call.Arguments));
                    tool["requires_confirmation"] = true;
                    ApprovalCoordinator.Mark(tool, function);
                    run.Pending.Add(new PendingCall { Kind = PendingKind.HostApproval, CallId = call.CallId, Name = call.Name, Arguments = MessageMapper.ArgumentsToJson(call.Arguments) });
                }
                else
                {
                    await ExecuteHostToolAsync(call, function, recordMetrics: true, ct).ConfigureAwait(false);
                    again = true;
                }
            }
            else
            {
                var tool = EnsureTool(call.CallId, call.Name, MessageMapper.ArgumentsToJson(call.Arguments));
                tool["external_execution_required"] = true;
                run.Pending.Add(new PendingCall { Kind = PendingKind.External, CallId = call.CallId, Name = call.Name, Arguments = MessageMapper.ArgumentsToJson(call.Arguments) });
            }
        }

        foreach (var approval in turn.Approvals)
        {
            var (callId, name, args) = Describe(approval.ToolCall, approval.RequestId);
            var tool = EnsureTool(callId, name, args);
            tool["requires_confirmation"] = true;
            run.Pending.Add(new PendingCall { Kind = PendingKind.Approval, CallId = callId, Name = name, Arguments = args, RequestId = approval.RequestId });
        }

        foreach (var input in turn.Inputs)
        {
            JsonArray fields;
            string callId, name;
            JsonObject args;
            if (input is AgnoInputRequestContent { ToolCall: { } inputCall } u)
            {
                (callId, name, args) = Describe(inputCall, u.RequestId);
                fields = MessageMapper.FieldsJson(u.Fields);
            }
            else if (input is AgnoInputRequestContent { Fields.Count: > 0 } asked)
            {
                (callId, name, args) = (input.RequestId, "user_input", []);
                fields = MessageMapper.FieldsJson(asked.Fields);
            }
            else
            {
                (callId, name, args) = (input.RequestId, "user_input", []);
                fields = new JsonArray(new JsonObject { ["name"] = "input", ["field_type"] = "str", ["description"] = input.ToString(), ["value"] = null });
            }

            var tool = EnsureTool(callId, name, args);
            tool["requires_user_input"] = true;
            tool["user_input_schema"] = fields.DeepClone();
            run.Pending.Add(new PendingCall { Kind = PendingKind.Input, CallId = callId, Name = name, Arguments = args, RequestId = input.RequestId, Fields = fields });
        }

        return again;
    }

    private static (string CallId, string Name, JsonObject Args) Describe(ToolCallContent call, string requestId)
        => call is FunctionCallContent f
            ? (f.CallId, f.Name, MessageMapper.ArgumentsToJson(f.Arguments))
            : (call.CallId ?? requestId, call.GetType().Name, []);

    private static bool IsApprovalRequired(AIFunction function)
        => function is ApprovalRequiredAIFunction || function.GetService(typeof(ApprovalRequiredAIFunction)) is not null;

    private async Task ExecuteHostToolAsync(FunctionCallContent call, AIFunction function, bool recordMetrics, CancellationToken ct)
    {
        var args = MessageMapper.ArgumentsToJson(call.Arguments);
        var tool = EnsureTool(call.CallId, call.Name, args);
        await EmitLifecycleAsync(Event("ToolCallStarted", new JsonObject { ["tool"] = tool.DeepClone() })).ConfigureAwait(false);
        double start = _env.NowSeconds;
        long startTimestamp = Stopwatch.GetTimestamp();
        string result;
        bool error = false;
        try
        {
            var value = await function.InvokeAsync(new AIFunctionArguments(call.Arguments), ct).ConfigureAwait(false);
            result = MessageMapper.ResultText(value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = $"Error: {ex.Message}";
            error = true;
        }

        if (recordMetrics)
        {
            tool["metrics"] = ToolMetrics(start, startTimestamp);
        }

        AddToolResult(call, result, error);
        await EmitToolCompletedAsync(tool).ConfigureAwait(false);
    }

    private void ReportExecutedByClient(FunctionCallContent call, FunctionResultContent result, (double Start, long Timestamp) seenAt)
    {
        var tool = EnsureTool(call.CallId, call.Name, MessageMapper.ArgumentsToJson(call.Arguments));
        if (seenAt.Timestamp != 0)
        {
            tool["metrics"] = ToolMetrics(seenAt.Start, seenAt.Timestamp);
        }

        tool["tool_call_error"] = result.Exception is not null;
        tool["result"] = MessageMapper.ResultText(result.Result);
    }

    private async ValueTask EmitToolEventsAsync(string callId)
    {
        var tool = FindTool(callId);
        if (tool is null)
        {
            return;
        }

        var startedTool = (JsonObject)tool.DeepClone();
        startedTool["tool_call_error"] = null;
        startedTool["result"] = null;
        startedTool["metrics"] = null;
        await EmitLifecycleAsync(Event("ToolCallStarted", new JsonObject { ["tool"] = startedTool })).ConfigureAwait(false);
        await EmitToolCompletedAsync(tool).ConfigureAwait(false);
    }

    private ValueTask EmitToolCompletedAsync(JsonObject tool, string? childRunId = null)
    {
        var copy = (JsonObject)tool.DeepClone();
        if (childRunId is not null)
        {
            copy["child_run_id"] = childRunId;
        }

        var payload = new JsonObject
        {
            ["content"] = ToolSummary(tool),
            ["tool"] = copy,
        };
        return EmitLifecycleAsync(Event("ToolCallCompleted", payload));
    }

    private static string ToolSummary(JsonObject tool)
    {
        var sb = new StringBuilder();
        sb.Append(tool.GetString("tool_name")).Append('(');
        bool first = true;
        foreach (var (key, value) in tool.GetObject("tool_args") ?? [])
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(key).Append('=').Append(Wire.AsText(value) ?? "None");
        }

        double duration = Wire.AsDouble(tool.GetObject("metrics")?["duration"]) ?? 0;
        sb.Append(") completed in ").Append(duration.ToString("0.0000", CultureInfo.InvariantCulture)).Append("s. ");
        return sb.ToString();
    }

    private JsonObject ToolMetrics(double start, long startTimestamp)
    {
        double duration = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        return new JsonObject { ["start_time"] = start, ["end_time"] = start + duration, ["duration"] = duration };
    }

    /// <summary>Records a tool result: the tool entry, the tool message and the chat client's function result.</summary>
    private void AddToolResult(FunctionCallContent call, string result, bool? error)
    {
        var args = FindTool(call.CallId)?.GetObject("tool_args") ?? MessageMapper.ArgumentsToJson(call.Arguments);
        var tool = EnsureTool(call.CallId, call.Name, (JsonObject)args.DeepClone());
        if (error is not null)
        {
            tool["tool_call_error"] = error;
        }

        tool["result"] = result;
        Run.Messages.Add(MessageMapper.Tool(call.CallId, call.Name, args, result, error, _env.Now));
        _conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
    }

    private JsonObject? FindTool(string callId) => Run.Tools.Find(t => t.GetString("tool_call_id") == callId);

    private JsonObject EnsureTool(string callId, string name, JsonObject args)
    {
        if (FindTool(callId) is { } existing)
        {
            return existing;
        }

        var tool = NewToolExecution(callId, name, args, _env.Now);
        Run.Tools.Add(tool);
        return tool;
    }

    public static JsonObject NewToolExecution(string callId, string name, JsonObject args, long now) => new()
    {
        ["tool_call_id"] = callId,
        ["tool_name"] = name,
        ["tool_args"] = args,
        ["tool_call_error"] = null,
        ["result"] = null,
        ["metrics"] = null,
        ["child_run_id"] = null,
        ["stop_after_tool_call"] = false,
        ["created_at"] = now,
        ["requires_confirmation"] = null,
        ["confirmed"] = null,
        ["confirmation_note"] = null,
        ["requires_user_input"] = null,
        ["user_input_schema"] = null,
        ["user_feedback_schema"] = null,
        ["answered"] = null,
        ["external_execution_required"] = null,
        ["external_execution_silent"] = null,
        ["approval_type"] = null,
        ["approval_id"] = null,
    };

    // ------------------------------------------------------------------ team delegation

    private async Task DelegateAsync(FunctionCallContent call, CancellationToken ct)
    {
        var run = Run;
        var team = _spec.Team!;
        var args = MessageMapper.ArgumentsToJson(call.Arguments);
        var tool = EnsureTool(call.CallId, call.Name, args);
        await EmitLifecycleAsync(Event("ToolCallStarted", new JsonObject { ["tool"] = tool.DeepClone() })).ConfigureAwait(false);
        string memberId = args.GetString("member_id") ?? string.Empty;
        string task = args.GetString("task") ?? Wire.AsText(args["task"]) ?? string.Empty;
        var member = team.Members.FirstOrDefault(m => m.Id == memberId);
        double start = _env.NowSeconds;
        long startTimestamp = Stopwatch.GetTimestamp();
        if (member is null)
        {
            tool["metrics"] = ToolMetrics(start, startTimestamp);
            AddToolResult(call, $"Member with ID {memberId} not found in the team. Available members: {string.Join(", ", team.Members.Select(m => m.Id))}", error: true);
            await EmitToolCompletedAsync(tool).ConfigureAwait(false);
            return;
        }

        var memberSpec = ChatSpec.ForAgent(member, asMember: true);
        var memberRun = NewRun(memberSpec, Wire.NewId(), run.Source.SessionId, run.Source.RunId, emitParent: true, run.Source.Step, _env.Now);
        memberRun.UserId = run.UserId;
        memberRun.Streaming = run.Streaming;
        memberRun.RecordEvents = run.Streaming;
        memberRun.StreamEvents = run.StreamEvents;
        memberRun.Input = new JsonObject { ["input_content"] = task };
        run.Members.Add(memberRun);
        var memberRunner = new ChatRunner(_env, memberSpec, memberRun, _sink);
        _children[call.CallId] = memberRun.Source.RunId;
        await memberRunner.StartAsync(task, [], [], ct).ConfigureAwait(false);
        tool["metrics"] = ToolMetrics(start, startTimestamp);
        await FinishDelegationAsync(call, memberRun, tool, ct).ConfigureAwait(false);
    }

    /// <summary>Turns a member's finished (or paused) run into the delegation's tool result. Returns false when the member paused.</summary>
    private async Task<bool> FinishDelegationAsync(FunctionCallContent call, ChatRun memberRun, JsonObject? tool, CancellationToken ct)
    {
        tool ??= EnsureTool(call.CallId, call.Name, MessageMapper.ArgumentsToJson(call.Arguments));
        string childRunId = memberRun.Source.RunId;
        switch (memberRun.Status)
        {
            case "CANCELLED":
                throw new OperationCanceledException(ct);
            case "PAUSED":
                string pausedText = $"Member '{memberRun.Source.ComponentName}' requires human input before continuing.";
                tool["tool_call_error"] = false;
                tool["result"] = pausedText;
                var args = (JsonObject)(tool.GetObject("tool_args") ?? []).DeepClone();
                Run.Messages.RemoveAll(m => m.GetString("role") == "tool" && m.GetString("tool_call_id") == call.CallId);
                Run.Messages.Add(MessageMapper.Tool(call.CallId, call.Name, args, pausedText, false, _env.Now));
                await EmitToolCompletedAsync(tool, childRunId).ConfigureAwait(false);
                Run.Pending.RemoveAll(p => p.CallId == call.CallId);
                Run.Pending.Add(new PendingCall
                {
                    Kind = PendingKind.Member,
                    CallId = call.CallId,
                    Name = call.Name,
                    Arguments = (JsonObject)(tool.GetObject("tool_args") ?? []).DeepClone(),
                    MemberId = memberRun.Source.ComponentId,
                    MemberRunId = memberRun.Source.RunId,
                });
                return false;
            default:
                bool error = memberRun.Status == "ERROR";
                AddToolResult(call, memberRun.ContentString, error);
                await EmitToolCompletedAsync(tool, childRunId).ConfigureAwait(false);

                return true;
        }
    }

    /// <summary>Creates a runner that continues a member's paused run inside this team run.</summary>
    public ChatRunner MemberRunner(ChatRun memberRun)
    {
        var member = _spec.Team?.Members.FirstOrDefault(m => m.Id == memberRun.Source.ComponentId)
            ?? throw new InvalidOperationException($"The team has no member '{memberRun.Source.ComponentId}'.");
        memberRun.Streaming = Run.Streaming;
        memberRun.RecordEvents = Run.Streaming;
        memberRun.StreamEvents = Run.StreamEvents;
        return new ChatRunner(_env, ChatSpec.ForAgent(member, asMember: true), memberRun, _sink);
    }

    // ------------------------------------------------------------------ endings

    private async Task PauseAsync()
    {
        var run = Run;
        run.Status = "PAUSED";
        var first = run.Pending[0];
        string message = first.Kind switch
        {
            PendingKind.Approval or PendingKind.HostApproval => ConfirmationMessage,
            PendingKind.Input => UserInputMessage,
            PendingKind.External => ExternalMessage,
            _ => run.FindMember(first.MemberRunId ?? string.Empty)?.ContentString ?? ConfirmationMessage,
        };
        run.ContentText.Clear().Append(message);
        run.ContentObject = null;
        run.Requirements = BuildRequirements();
        if (_env.Approvals is { } approvals)
        {
            await approvals.OnPausedAsync(run, _spec, CancellationToken.None).ConfigureAwait(false);
        }

        run.Metrics.Stop();
        await FinishAsync(
            run.IsTeam ? null : Lifecycle(Event("RunContentCompleted")),
            Event("RunPaused", new JsonObject
            {
                ["content"] = message,
                ["tools"] = Wire.ToArray(run.Tools.Select(ToolWithChild)),
                ["requirements"] = Wire.ToArray(run.Requirements.Select(r => r.DeepClone())),
            })).ConfigureAwait(false);
    }

    private List<JsonObject> BuildRequirements()
    {
        var list = new List<JsonObject>();
        var created = Wire.IsoMicrosOffset(_env.Time.GetUtcNow());
        foreach (var pending in Run.Pending)
        {
            if (pending.Kind == PendingKind.Member)
            {
                var member = Run.FindMember(pending.MemberRunId ?? string.Empty);
                foreach (var r in member?.Requirements ?? [])
                {
                    var copy = new JsonObject { ["id"] = r["id"]?.DeepClone(), ["created_at"] = r["created_at"]?.DeepClone() };
                    copy["member_agent_id"] = member!.Source.ComponentId;
                    copy["member_agent_name"] = member.Source.ComponentName;
                    copy["member_run_id"] = member.Source.RunId;
                    foreach (var (key, value) in r)
                    {
                        if (key is not ("id" or "created_at"))
                        {
                            copy[key] = value?.DeepClone();
                        }
                    }

                    list.Add(copy);
                }

                continue;
            }

            var tool = FindTool(pending.CallId);
            var requirement = new JsonObject
            {
                ["id"] = pending.RequestId is { } rid && pending.Kind is PendingKind.Approval or PendingKind.Input ? rid : Wire.NewId(),
                ["created_at"] = created,
                ["tool_execution"] = tool?.DeepClone(),
            };
            if (pending.Kind == PendingKind.Input && tool?["user_input_schema"] is JsonArray schema)
            {
                requirement["user_input_schema"] = schema.DeepClone();
            }

            list.Add(requirement);
        }

        return list;
    }

    private async Task CompleteAsync()
    {
        var run = Run;
        run.Status = "COMPLETED";
        run.Metrics.Stop();
        RefreshRequirements();
        var payload = new JsonObject
        {
            ["content"] = run.ContentNode,
            ["content_type"] = run.ContentType,
        };
        if (run.Reasoning.Length > 0)
        {
            payload["reasoning_content"] = run.Reasoning.ToString();
        }

        if (run.IsTeam)
        {
            if (run.Continued)
            {
                payload["session_state"] = run.SessionState?.DeepClone() ?? new JsonObject();
            }

            if (run.Members.Count > 0)
            {
                payload["member_responses"] = Wire.ToArray(run.Members.Select(m => m.ToOutput(OutputView.Member)));
            }
        }
        else
        {
            payload["session_state"] = SessionStateForEvents();
            if (run.Metadata is not null)
            {
                payload["metadata"] = run.Metadata.DeepClone();
            }
        }

        payload["metrics"] = run.MetricsJson();
        await FinishAsync(Lifecycle(Event("RunContentCompleted")), Lifecycle(Event("RunCompleted", payload))).ConfigureAwait(false);
    }

    private async Task CancelledAsync()
    {
        var run = Run;
        run.Status = "CANCELLED";
        run.Pending.Clear();
        run.Metrics.Stop();
        string content = run.ContentString;
        if (content.Length > 0)
        {
            run.Messages.Add(new JsonObject
            {
                ["id"] = Wire.NewId(),
                ["content"] = content,
                ["from_history"] = false,
                ["stop_after_tool_call"] = false,
                ["role"] = "assistant",
                ["created_at"] = _env.Now,
            });
        }

        var cancelled = Event("RunCancelled", new JsonObject
        {
            ["content"] = content,
            ["reason"] = $"Run {run.Source.RunId} was cancelled",
        });
        var payload = new JsonObject
        {
            ["content"] = content,
            ["content_type"] = run.ContentType,
            ["session_state"] = SessionStateForEvents(),
        };
        if (run.IsTeam)
        {
            payload["member_responses"] = Wire.ToArray(run.Members.Select(m => m.ToOutput(OutputView.Member)));
        }

        payload["metrics"] = run.MetricsJson();
        await FinishAsync(cancelled, Lifecycle(Event("RunCompleted", payload))).ConfigureAwait(false);
    }

    private JsonObject ToolWithChild(JsonObject tool)
    {
        var copy = (JsonObject)tool.DeepClone();
        if (Run.Streaming && tool.GetString("tool_call_id") is { } callId && _children.TryGetValue(callId, out var child))
        {
            copy["child_run_id"] = child;
        }

        return copy;
    }

    /// <summary>After a continuation, the requirements show the tools as they ended.</summary>
    private void RefreshRequirements()
    {
        foreach (var (tool, key, value) in _resolvedFlags)
        {
            tool[key] = value?.DeepClone();
        }

        _resolvedFlags.Clear();
        if (Run.IsTeam && Run.Continued)
        {
            // A continued team shows no requirements any more (its members keep theirs).
            Run.Requirements.Clear();
            return;
        }

        foreach (var requirement in Run.Requirements)
        {
            var source = requirement.GetString("member_run_id") is { } memberRunId ? Run.FindMember(memberRunId) ?? Run : Run;
            string? callId = requirement.GetObject("tool_execution")?.GetString("tool_call_id");
            if (callId is not null && source.Tools.Find(t => t.GetString("tool_call_id") == callId) is { } tool)
            {
                requirement["tool_execution"] = tool.DeepClone();
            }
        }
    }

    private async Task FailedAsync(Exception ex)
    {
        var run = Run;
        run.Status = "ERROR";
        run.ErrorType = "model_provider_error";
        run.Pending.Clear();
        run.Metrics.Stop();
        run.ContentText.Clear().Append(ex.Message);
        run.ContentObject = null;
        await FinishAsync(Event("RunError", new JsonObject
        {
            ["content"] = ex.Message,
            ["error_type"] = run.ErrorType,
        })).ConfigureAwait(false);
    }

    private JsonObject SessionStateForEvents()
        => Run.Source.ParentRunId is not null
            ? new JsonObject { ["current_session_id"] = Run.Source.SessionId, ["current_run_id"] = Run.Source.RunId }
            : Run.SessionState?.DeepClone() as JsonObject ?? [];

    // ------------------------------------------------------------------ helpers

    private ChatOptions BuildOptions()
    {
        var options = _spec.Options?.Clone() ?? new ChatOptions();
        if (_spec.Client is AIAgentChatClient)
        {
            // A Microsoft Agent Framework agent keeps its own session per AgentOS session.
            options.ConversationId = Run.Source.SessionId;
        }

        if (_spec.OfferedTools.Count > 0)
        {
            var tools = options.Tools is null ? new List<AITool>() : [.. options.Tools];
            foreach (var t in _spec.OfferedTools)
            {
                if (!tools.Contains(t))
                {
                    tools.Add(t);
                }
            }

            options.Tools = tools;
        }

        if (Run.OutputSchema is { } schema)
        {
            var element = JsonSerializer.SerializeToElement(schema, HostJsonContext.Default.JsonObject);
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(element, schema.GetString("title") ?? "response", schema.GetString("description"));
        }

        return options;
    }

    private static JsonNode? ParseStructured(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            int firstLine = trimmed.IndexOf('\n', StringComparison.Ordinal);
            int fence = trimmed.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && fence > firstLine)
            {
                trimmed = trimmed[(firstLine + 1)..fence];
            }
        }

        try
        {
            return JsonNode.Parse(trimmed) is JsonObject or JsonArray ? JsonNode.Parse(trimmed) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Accumulate(UsageDetails total, UsageDetails add)
    {
        total.InputTokenCount = (total.InputTokenCount ?? 0) + (add.InputTokenCount ?? 0);
        total.OutputTokenCount = (total.OutputTokenCount ?? 0) + (add.OutputTokenCount ?? 0);
        total.TotalTokenCount = (total.TotalTokenCount ?? 0) + (add.TotalTokenCount ?? ((add.InputTokenCount ?? 0) + (add.OutputTokenCount ?? 0)));
        total.ReasoningTokenCount = (total.ReasoningTokenCount ?? 0) + (add.ReasoningTokenCount ?? 0);
        total.CachedInputTokenCount = (total.CachedInputTokenCount ?? 0) + (add.CachedInputTokenCount ?? 0);
    }

    private JsonObject ModelPayload() => new() { ["model"] = _spec.ModelId, ["model_provider"] = _spec.ModelProvider };

    private JsonObject ModelCompletedPayload(UsageDetails usage, double? timeToFirstToken)
    {
        var o = ModelPayload();
        o["input_tokens"] = usage.InputTokenCount ?? 0;
        o["output_tokens"] = usage.OutputTokenCount ?? 0;
        o["total_tokens"] = usage.TotalTokenCount ?? 0;
        if (timeToFirstToken is { } t)
        {
            o["time_to_first_token"] = t;
        }

        o["reasoning_tokens"] = usage.ReasoningTokenCount ?? 0;
        o["cache_read_tokens"] = usage.CachedInputTokenCount ?? 0;
        o["cache_write_tokens"] = 0;
        return o;
    }

    private HostEvent Event(string name, JsonObject? payload = null) => new()
    {
        Name = _prefix + name,
        Source = Run.Source,
        CreatedAt = _env.Now,
        Payload = payload,
    };

    private HostEvent ContentEvent(string? text, JsonNode? obj, string reasoning) => new()
    {
        Name = _prefix + "RunContent",
        Source = Run.Source,
        CreatedAt = _env.Now,
        IsContent = true,
        Content = text,
        ContentObject = obj,
        ContentType = Run.ContentType,
        ReasoningContent = reasoning,
    };

    /// <summary>The event, or null when <c>stream_events=false</c> suppresses it.</summary>
    private HostEvent? Lifecycle(HostEvent e) => Run.StreamEvents ? e : null;

    /// <summary>Records the last events, persists the run, then sends them.</summary>
    private Task FinishAsync(params HostEvent?[] events) => RunEventLog.FinishAsync(_sink, Run.RecordEvents, Run.Events, Persist, events);

    /// <summary>Emits an event that <c>stream_events=false</c> suppresses.</summary>
    private ValueTask EmitLifecycleAsync(HostEvent e) => Run.StreamEvents ? EmitAsync(e) : ValueTask.CompletedTask;

    private ValueTask EmitAsync(HostEvent e) => RunEventLog.EmitAsync(_sink, Run.RecordEvents, Run.Events, e);
}
