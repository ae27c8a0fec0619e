using System.Text.Json;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>Maps a run's output to a <see cref="ChatResponse"/>.</summary>
internal static class ResponseMapper
{
    /// <summary>A run cancelled on the server.</summary>
    public static readonly ChatFinishReason Cancelled = new("cancelled");

    /// <summary>
    /// One assistant message: the reasoning, the tool calls the run made on the server (informational calls with
    /// their results), the answer text, and, for a paused run, what it waits for (approval and input requests, or
    /// calls of tools the caller runs). The text agno puts on a paused run ("I have tools to execute, but I need
    /// confirmation.") is not answer text and stays in the raw output.
    /// </summary>
    public static ChatResponse ToChatResponse(RunOutput output, AgentOSComponentKind kind, out PausedRun? paused)
    {
        var contents = new List<AIContent>(4);
        if (output.ReasoningContent is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

        paused = output.Status.IsPaused ? PausedRun.From(kind, output) : null;
        if (output.Tools is { } tools && kind != AgentOSComponentKind.Workflow)
        {
            foreach (var tool in tools)
            {
                if (tool?.ToolCallId is not { Length: > 0 } callId || tool.NeedsHumanAction)
                {
                    continue;
                }

                contents.Add(JsonValues.Call(callId, tool.ToolName ?? "tool", tool.ToolArgs, tool, informational: true));
                if (tool.Result is not null || tool.ToolCallError == true)
                {
                    contents.Add(new FunctionResultContent(callId, tool.Result) { RawRepresentation = tool });
                }
            }
        }

        if (!output.Status.IsPaused && output.Content is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        if (paused is not null)
        {
            HumanInTheLoop.AddRequests(contents, paused);
        }

        var message = new ChatMessage(ChatRole.Assistant, contents)
        {
            MessageId = output.RunId,
            AuthorName = AuthorOf(output),
            CreatedAt = output.CreatedAt,
        };

        var response = new ChatResponse(message)
        {
            ResponseId = output.RunId,
            ConversationId = output.SessionId,
            ModelId = output.Model,
            CreatedAt = output.CreatedAt,
            FinishReason = FinishReasonOf(output.Status),
            Usage = Usage(output.Metrics),
            RawRepresentation = output,
        };

        if (output.SessionState is { } state)
        {
            response.AdditionalProperties = new() { [AgnoPropertyNames.SessionState] = state };
        }

        return response;
    }

    public static ChatFinishReason? FinishReasonOf(RunStatus status)
    {
        if (status.IsCompleted)
        {
            return ChatFinishReason.Stop;
        }

        if (status.IsPaused)
        {
            return ChatFinishReason.ToolCalls;
        }

        return status.IsCancelled ? Cancelled : null;
    }

    public static UsageDetails? Usage(RunMetrics? metrics)
    {
        if (metrics is null)
        {
            return null;
        }

        var usage = new UsageDetails
        {
            InputTokenCount = metrics.InputTokens,
            OutputTokenCount = metrics.OutputTokens,
            TotalTokenCount = metrics.TotalTokens,
        };

        if (metrics.InputTokens == 0 && metrics.OutputTokens == 0 && metrics.TotalTokens == 0
            && metrics.AdditionalProperties is { } extra && extra.TryGetValue("steps", out var steps) && steps.ValueKind == JsonValueKind.Object)
        {
            // A workflow reports its tokens per step only: the usage is their sum.
            AddStepTokens(usage, steps);
        }

        if (metrics.ReasoningTokens > 0)
        {
            usage.ReasoningTokenCount = metrics.ReasoningTokens;
        }

        if (metrics.CacheReadTokens > 0)
        {
            usage.CachedInputTokenCount = metrics.CacheReadTokens;
        }

        AddCount(usage, "cache_write_tokens", metrics.CacheWriteTokens);
        AddCount(usage, "audio_input_tokens", metrics.AudioInputTokens);
        AddCount(usage, "audio_output_tokens", metrics.AudioOutputTokens);
        return usage;
    }

    public static string? AuthorOf(RunOutput output) => output switch
    {
        AgentRunOutput a => a.AgentName,
        TeamRunOutput t => t.TeamName,
        WorkflowRunOutput w => w.WorkflowName,
        _ => null,
    };

    private static void AddStepTokens(UsageDetails usage, JsonElement steps)
    {
        long input = 0, output = 0, total = 0;
        foreach (var step in steps.EnumerateObject())
        {
            try
            {
                if (step.Value.ValueKind == JsonValueKind.Object && step.Value.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
                {
                    input += Count(m, "input_tokens");
                    output += Count(m, "output_tokens");
                    total += Count(m, "total_tokens");
                }
            }
            catch (InvalidOperationException)
            {
                // a property name the server sent that is not valid text (a lone surrogate): that step's tokens are not counted
            }
        }

        usage.InputTokenCount = input;
        usage.OutputTokenCount = output;
        usage.TotalTokenCount = total;
    }

    private static long Count(JsonElement metrics, string name)
        => metrics.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : 0;

    private static void AddCount(UsageDetails usage, string name, long value)
    {
        if (value > 0)
        {
            (usage.AdditionalCounts ??= [])[name] = value;
        }
    }
}
