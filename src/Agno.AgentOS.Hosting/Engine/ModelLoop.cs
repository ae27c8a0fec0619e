using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// One model call of a run: streams the chat client's answer as content events, records text, reasoning, usage and
/// the assistant and tool messages, and collects what the model asked for (tool calls, approvals, user input) for
/// the <see cref="ToolDispositions"/> to decide.
/// </summary>
internal sealed class ModelLoop
{
    private readonly ChatRunContext _ctx;
    private readonly ToolLedger _ledger;

    public ModelLoop(ChatRunContext ctx, ToolLedger ledger)
    {
        _ctx = ctx;
        _ledger = ledger;
    }

    public sealed class ModelTurn
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

    public async Task<ModelTurn> CallModelAsync(bool lazy, HashSet<string>? resolved, CancellationToken ct)
    {
        var run = _ctx.Run;
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
                await _ctx.EmitLifecycleAsync(_ctx.Event("ModelRequestStarted", EventPayloads.Model(_ctx.Spec.ModelId, _ctx.Spec.ModelProvider))).ConfigureAwait(false);
            }
        }

        async ValueTask CloseAsync()
        {
            if (open)
            {
                open = false;
                await _ctx.EmitLifecycleAsync(_ctx.Event("ModelRequestCompleted", EventPayloads.ModelCompleted(ModelCompleted(usage, turn.TimeToFirstToken)))).ConfigureAwait(false);
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

        await foreach (var update in _ctx.Spec.Client.GetStreamingResponseAsync(_ctx.Conversation, options, ct).ConfigureAwait(false))
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
                            await _ctx.EmitAsync(_ctx.ContentEvent(text.Text, null, string.Empty)).ConfigureAwait(false);
                        }

                        break;
                    case TextReasoningContent reasoning when !string.IsNullOrEmpty(reasoning.Text):
                        await OpenAsync().ConfigureAwait(false);
                        FirstToken();
                        run.Reasoning.Append(reasoning.Text);
                        await _ctx.EmitAsync(_ctx.ContentEvent(null, null, reasoning.Text)).ConfigureAwait(false);
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
                                turn.SeenAt[call.CallId] = (_ctx.Env.NowSeconds, Stopwatch.GetTimestamp());
                            }
                        }

                        break;
                    case FunctionResultContent result:
                        if (turn.Seen.TryGetValue(result.CallId, out var executed) && turn.Open.Remove(executed))
                        {
                            await CloseAsync().ConfigureAwait(false);
                            ReportRanByClient(executed, result, turn.SeenAt.GetValueOrDefault(executed.CallId));
                            await _ledger.EmitRanByClientAsync(executed.CallId).ConfigureAwait(false);
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

            await _ctx.EmitAsync(_ctx.ContentEvent(run.ContentObject is null ? structuredText.ToString() : null, run.ContentObject, string.Empty)).ConfigureAwait(false);
        }

        await CloseAsync().ConfigureAwait(false);
        turn.InputTokens = usage.InputTokenCount ?? 0;
        turn.OutputTokens = usage.OutputTokenCount ?? 0;
        run.Metrics.Add(usage);

        var response = updates.ToChatResponse();
        var assistantWire = new List<MessageBody>();
        var assistantIds = new List<string?>();
        foreach (var message in response.Messages)
        {
            _ctx.Conversation.Add(message);
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
                assistantWire[i].Metrics = RunMetricsAccumulator.MessageMetrics(own?.InputTokenCount ?? 0, own?.OutputTokenCount ?? 0, i == assistantWire.Count - 1 ? turn.TimeToFirstToken : null);
            }
        }
        else if (assistantWire.Count > 0)
        {
            assistantWire[^1].Metrics = RunMetricsAccumulator.MessageMetrics(turn.InputTokens, turn.OutputTokens, turn.TimeToFirstToken);
        }
        else if (structured && run.ContentObject is not null)
        {
            // The JSON text of a structured answer is the assistant's message.
            run.Messages.Add(MessageMapper.Assistant(run.ContentString, null, null, RunMetricsAccumulator.MessageMetrics(turn.InputTokens, turn.OutputTokens, turn.TimeToFirstToken), _ctx.Env.Now));
        }

        return turn;
    }

    private void AddWireMessage(ChatMessage message, ModelTurn turn, HashSet<string>? resolved, List<MessageBody> assistantWire)
    {
        long now = _ctx.Env.Now;
        if (message.Role == ChatRole.Assistant)
        {
            // the text of one TextContent (the usual answer) is taken as it is: an answer of megabytes is not copied
            string? single = null;
            StringBuilder? text = null;
            var reasoning = new StringBuilder();
            var calls = new List<ToolCallBody>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t when string.IsNullOrEmpty(t.Text):
                        break;
                    case TextContent t when single is null && text is null:
                        single = t.Text;
                        break;
                    case TextContent t:
                        text ??= new StringBuilder(single);
                        single = null;
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

            string textBody = single ?? text?.ToString() ?? string.Empty;
            string? body = _ctx.Run.ContentObject is not null && textBody.Length > 0 ? _ctx.Run.ContentString : _ctx.Run.ShareContentText(textBody);
            if (string.IsNullOrEmpty(body) && calls.Count == 0 && reasoning.Length == 0)
            {
                return;
            }

            var wire = MessageMapper.Assistant(body, reasoning.ToString(), calls, new RunMetrics(), now);
            _ctx.Run.Messages.Add(wire);
            assistantWire.Add(wire);
        }
        else if (message.Role == ChatRole.Tool)
        {
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                var tool = _ledger.Find(result.CallId);
                string name = tool?.ToolName ?? (turn.Seen.TryGetValue(result.CallId, out var c) ? c.Name : string.Empty);
                _ctx.Run.Messages.Add(MessageMapper.Tool(result.CallId, name, tool?.ToolArgs ?? [], MessageMapper.ResultText(result.Result), result.Exception is not null, now));
            }
        }
    }

    private void ReportRanByClient(FunctionCallContent call, FunctionResultContent result, (double Start, long Timestamp) seenAt)
    {
        var tool = _ledger.Ensure(call);
        if (seenAt.Timestamp != 0)
        {
            tool.Metrics = ToolLedger.Metrics(seenAt.Start, seenAt.Timestamp);
        }

        tool.ToolCallError = result.Exception is not null;
        tool.Result = MessageMapper.ResultText(result.Result);
    }

    private ChatOptions BuildOptions()
    {
        var options = _ctx.Spec.Options?.Clone() ?? new ChatOptions();
        if (_ctx.Spec.Client is AIAgentChatClient)
        {
            // A Microsoft Agent Framework agent keeps its own session per AgentOS session.
            options.ConversationId = _ctx.Run.Source.SessionId;
        }

        if (_ctx.Spec.OfferedTools.Count > 0)
        {
            var tools = options.Tools is null ? new List<AITool>() : [.. options.Tools];
            foreach (var t in _ctx.Spec.OfferedTools)
            {
                if (!tools.Contains(t))
                {
                    tools.Add(t);
                }
            }

            options.Tools = tools;
        }

        if (_ctx.Run.OutputSchema is { } schema)
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

    private ModelCompletedPayload ModelCompleted(UsageDetails usage, double? timeToFirstToken)
        => new(_ctx.Spec.ModelId, _ctx.Spec.ModelProvider)
        {
            InputTokens = usage.InputTokenCount ?? 0,
            OutputTokens = usage.OutputTokenCount ?? 0,
            TotalTokens = usage.TotalTokenCount ?? 0,
            TimeToFirstToken = timeToFirstToken,
            ReasoningTokens = usage.ReasoningTokenCount ?? 0,
            CacheReadTokens = usage.CachedInputTokenCount ?? 0,
        };
}
