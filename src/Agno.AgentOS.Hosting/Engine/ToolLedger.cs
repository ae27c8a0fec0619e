using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
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
    private readonly List<Action> _resets = [];

    /// <summary>Member run ids of delegation calls (shown in the delegation tool of team events).</summary>
    private readonly Dictionary<string, string> _children = new(StringComparer.Ordinal);

    public ToolLedger(ChatRunContext ctx) => _ctx = ctx;

    public ToolExecution? Find(string callId) => _ctx.Run.Tools.Find(t => t.ToolCallId == callId);

    public ToolExecution Ensure(string callId, string name, JsonObject args)
    {
        if (Find(callId) is { } existing)
        {
            return existing;
        }

        var tool = NewToolExecution(callId, name, args, _ctx.Env.Now);
        _ctx.Run.Tools.Add(tool);
        return tool;
    }

    public ToolExecution Ensure(FunctionCallContent call) => Ensure(call.CallId, call.Name, MessageMapper.ArgumentsToJson(call.Arguments));

    /// <summary>Records a tool result: the tool entry, the tool message and the chat client's function result.</summary>
    public void AddResult(FunctionCallContent call, string result, bool? error)
    {
        var args = Find(call.CallId)?.ToolArgs ?? MessageMapper.ArgumentsToJson(call.Arguments);
        var tool = Ensure(call.CallId, call.Name, (JsonObject)args.DeepClone());
        if (error is not null)
        {
            tool.ToolCallError = error;
        }

        tool.Result = result;
        _ctx.Run.Messages.Add(MessageMapper.Tool(call.CallId, call.Name, args, result, error, _ctx.Env.Now));
        _ctx.Conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
    }

    /// <summary>Notes a flag to reset once the continued run ends (the tool was answered).</summary>
    public void ResetWhenDone(ToolExecution tool, Action<ToolExecution> reset) => _resets.Add(() => reset(tool));

    /// <summary>Resets the flags of the tools answered in this continuation.</summary>
    public void ApplyResets()
    {
        foreach (var reset in _resets)
        {
            reset();
        }

        _resets.Clear();
    }

    /// <summary>Notes the member run a delegation call started.</summary>
    public void SetChild(string callId, string childRunId) => _children[callId] = childRunId;

    /// <summary>The tool for the <c>RunPaused</c> event (a streamed delegation shows its member run).</summary>
    public JsonObject WithChild(ToolExecution tool)
        => _ctx.Run.Streaming && tool.ToolCallId is { } callId && _children.TryGetValue(callId, out var child)
            ? HostWire.ToNode(tool, t => t.ChildRunId = child)
            : HostWire.ToNode(tool);

    public static JsonElement Metrics(double start, long startTimestamp)
        => HostWire.ToolMetrics(start, Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    public ValueTask EmitStartedAsync(ToolExecution tool)
        => _ctx.EmitLifecycleAsync(_ctx.Event("ToolCallStarted", EventPayloads.ToolStarted(HostWire.ToNode(tool))));

    public ValueTask EmitCompletedAsync(ToolExecution tool, string? childRunId = null)
    {
        var node = childRunId is null ? HostWire.ToNode(tool) : HostWire.ToNode(tool, t => t.ChildRunId = childRunId);
        return _ctx.EmitLifecycleAsync(_ctx.Event("ToolCallCompleted", EventPayloads.ToolCompleted(Summary(tool), node)));
    }

    /// <summary>The events of a tool the chat client ran itself: started (no result yet), then completed.</summary>
    public async ValueTask EmitRanByClientAsync(string callId)
    {
        var tool = Find(callId);
        if (tool is null)
        {
            return;
        }

        var started = HostWire.ToNode(tool, t =>
        {
            t.ToolCallError = null;
            t.Result = null;
            t.Metrics = null;
        });
        await _ctx.EmitLifecycleAsync(_ctx.Event("ToolCallStarted", EventPayloads.ToolStarted(started))).ConfigureAwait(false);
        await EmitCompletedAsync(tool).ConfigureAwait(false);
    }

    private static string Summary(ToolExecution tool)
    {
        var sb = new StringBuilder();
        sb.Append(tool.ToolName).Append('(');
        bool first = true;
        foreach (var (key, value) in tool.ToolArgs ?? [])
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(key).Append('=').Append(Wire.AsText(value) ?? "None");
        }

        sb.Append(") completed in ").Append(HostWire.Duration(tool).ToString("0.0000", CultureInfo.InvariantCulture)).Append("s. ");
        return sb.ToString();
    }

    /// <summary>A new tool execution: nothing decided, nothing run yet.</summary>
    public static ToolExecution NewToolExecution(string callId, string name, JsonObject args, long now) => new()
    {
        ToolCallId = callId,
        ToolName = name,
        ToolArgs = args,
        StopAfterToolCall = false,
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(now),
    };
}
