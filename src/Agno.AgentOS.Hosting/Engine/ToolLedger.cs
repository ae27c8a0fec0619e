using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The tool executions of one run (its <c>tools</c>): creating and finding them, recording results (the tool entry,
/// the tool message and the chat client's function result), and the <c>ToolCall*</c> events.
/// </summary>
internal sealed class ToolLedger
{
    private readonly ChatRunContext _ctx;

    /// <summary>Flags AgentOS clears on resolved tools once the continued run ends (events during the run still show them set).</summary>
    private readonly List<(JsonObject Tool, string Key, JsonNode? Value)> _resolvedFlags = [];

    /// <summary>Member run ids of delegation calls (shown in the delegation tool of team events).</summary>
    private readonly Dictionary<string, string> _children = new(StringComparer.Ordinal);

    public ToolLedger(ChatRunContext ctx) => _ctx = ctx;

    public JsonObject? Find(string callId) => _ctx.Run.Tools.Find(t => t.GetString("tool_call_id") == callId);

    public JsonObject Ensure(string callId, string name, JsonObject args)
    {
        if (Find(callId) is { } existing)
        {
            return existing;
        }

        var tool = NewToolExecution(callId, name, args, _ctx.Env.Now);
        _ctx.Run.Tools.Add(tool);
        return tool;
    }

    public JsonObject Ensure(FunctionCallContent call) => Ensure(call.CallId, call.Name, MessageMapper.ArgumentsToJson(call.Arguments));

    /// <summary>Records a tool result: the tool entry, the tool message and the chat client's function result.</summary>
    public void AddResult(FunctionCallContent call, string result, bool? error)
    {
        var args = Find(call.CallId)?.GetObject("tool_args") ?? MessageMapper.ArgumentsToJson(call.Arguments);
        var tool = Ensure(call.CallId, call.Name, (JsonObject)args.DeepClone());
        if (error is not null)
        {
            tool["tool_call_error"] = error;
        }

        tool["result"] = result;
        _ctx.Run.Messages.Add(MessageMapper.Tool(call.CallId, call.Name, args, result, error, _ctx.Env.Now));
        _ctx.Conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
    }

    /// <summary>Notes a flag to reset once the continued run ends (the tool was answered).</summary>
    public void ResetWhenDone(JsonObject tool, string key, JsonNode? value) => _resolvedFlags.Add((tool, key, value));

    /// <summary>Resets the flags of the tools answered in this continuation.</summary>
    public void ApplyResets()
    {
        foreach (var (tool, key, value) in _resolvedFlags)
        {
            tool[key] = value?.DeepClone();
        }

        _resolvedFlags.Clear();
    }

    /// <summary>Notes the member run a delegation call started.</summary>
    public void SetChild(string callId, string childRunId) => _children[callId] = childRunId;

    /// <summary>A copy of the tool for the <c>RunPaused</c> event (a streamed delegation shows its member run).</summary>
    public JsonObject WithChild(JsonObject tool)
    {
        var copy = (JsonObject)tool.DeepClone();
        if (_ctx.Run.Streaming && tool.GetString("tool_call_id") is { } callId && _children.TryGetValue(callId, out var child))
        {
            copy["child_run_id"] = child;
        }

        return copy;
    }

    public static JsonObject Metrics(double start, long startTimestamp)
    {
        double duration = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        return new JsonObject { ["start_time"] = start, ["end_time"] = start + duration, ["duration"] = duration };
    }

    public ValueTask EmitStartedAsync(JsonObject tool)
        => _ctx.EmitLifecycleAsync(_ctx.Event("ToolCallStarted", EventPayloads.ToolStarted((JsonObject)tool.DeepClone())));

    public ValueTask EmitCompletedAsync(JsonObject tool, string? childRunId = null)
    {
        var copy = (JsonObject)tool.DeepClone();
        if (childRunId is not null)
        {
            copy["child_run_id"] = childRunId;
        }

        return _ctx.EmitLifecycleAsync(_ctx.Event("ToolCallCompleted", EventPayloads.ToolCompleted(Summary(tool), copy)));
    }

    /// <summary>The events of a tool the chat client ran itself: started (no result yet), then completed.</summary>
    public async ValueTask EmitRanByClientAsync(string callId)
    {
        var tool = Find(callId);
        if (tool is null)
        {
            return;
        }

        var startedTool = (JsonObject)tool.DeepClone();
        startedTool["tool_call_error"] = null;
        startedTool["result"] = null;
        startedTool["metrics"] = null;
        await _ctx.EmitLifecycleAsync(_ctx.Event("ToolCallStarted", EventPayloads.ToolStarted(startedTool))).ConfigureAwait(false);
        await EmitCompletedAsync(tool).ConfigureAwait(false);
    }

    private static string Summary(JsonObject tool)
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
}
