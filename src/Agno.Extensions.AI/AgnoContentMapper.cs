using Agno.AgentOS;
using Agno.Extensions.AI.Internal;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// The one mapping between AgentOS runs and Microsoft.Extensions.AI contents that several adapters share: the
/// <see cref="IChatClient"/> adapter and the Agent Framework adapter (Agno.Agents.AI) use it, other adapters can.
/// Pauses become request contents and answers continue the run; server-side tool calls become informational
/// function calls.
/// </summary>
/// <remarks>
/// <para>What a paused run waits for becomes request contents: a tool or a workflow step to confirm a
/// <see cref="ToolApprovalRequestContent"/> (a workflow step's question in
/// <c>AdditionalProperties[</c><see cref="AgnoPropertyNames.Message"/><c>]</c>), user input or a router choice an
/// <see cref="AgnoInputRequestContent"/>, a tool the caller runs a <see cref="FunctionCallContent"/>. Their request ids
/// (and the call ids of tools the caller runs) encode the run, its session and the item
/// (<c>agno:{runId}:{sessionId}:{itemId}</c>, each part URI-escaped), so the answers (<see cref="ToolApprovalResponseContent"/>,
/// <see cref="AgnoInputResponseContent"/>, <see cref="FunctionResultContent"/>) can be applied by any instance in any
/// process, after the messages were serialized.</para>
/// <para>Agents are continued with their tools, teams with their requirements, workflows with their step
/// requirements.</para>
/// </remarks>
public static class AgnoContentMapper
{
    /// <summary>The request contents for what a paused run waits for.</summary>
    /// <param name="kind">The kind of the component that ran.</param>
    /// <param name="output">The run's output (paused; any other status gives no contents).</param>
    /// <returns>The requests, empty when the run waits for nothing (or has no run or session id).</returns>
    public static IReadOnlyList<AIContent> CreateRequests(AgentOSComponentKind kind, RunOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Status.IsPaused && PausedRun.From(kind, output) is { } paused ? Requests(paused) : [];
    }

    /// <summary>The request contents for what a run's pause event says it waits for.</summary>
    /// <param name="kind">The kind of the component that ran.</param>
    /// <param name="paused">The run's own pause event.</param>
    /// <param name="runId">The run id, when the event does not carry it.</param>
    /// <param name="sessionId">The session id, when the event does not carry it.</param>
    /// <returns>The requests, empty when the run waits for nothing (or no run or session id is known).</returns>
    public static IReadOnlyList<AIContent> CreateRequests(AgentOSComponentKind kind, RunPausedEvent paused, string? runId = null, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return PausedRun.From(kind, paused, runId, sessionId) is { } run ? Requests(run) : [];
    }

    /// <summary>The answers to a paused run among messages.</summary>
    /// <param name="messages">The messages (contents of other runs' requests, or none, are ignored).</param>
    /// <returns>The answers, or null when the messages answer no run.</returns>
    /// <exception cref="ArgumentException">The messages answer two different runs.</exception>
    public static AgnoPauseAnswers? FindAnswers(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        return HumanInTheLoop.FindAnswers(list, 0) is { } answers ? new AgnoPauseAnswers(answers) : null;
    }

    /// <summary>A tool call the server made (or waits on), as an informational <see cref="FunctionCallContent"/>: not to be run by the caller.</summary>
    /// <param name="tool">The server's tool execution.</param>
    /// <param name="rawRepresentation">What the call comes from (the event or the tool), kept as its <see cref="AIContent.RawRepresentation"/>.</param>
    /// <returns>The call with the server's arguments. Arguments that cannot be read as text (a lone surrogate in a
    /// string) leave the call without arguments and the reason in <see cref="FunctionCallContent.Exception"/>, as MEAI
    /// does for arguments it cannot parse.</returns>
    public static FunctionCallContent ToServerFunctionCall(ToolExecution tool, object? rawRepresentation = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return JsonValues.Call(tool.ToolCallId ?? string.Empty, tool.ToolName ?? "tool", tool.ToolArgs, rawRepresentation ?? tool, informational: true);
    }

    /// <summary>The finish reason of a cancelled run (<c>cancelled</c>).</summary>
    public static ChatFinishReason CancelledFinishReason => ResponseMapper.Cancelled;

    /// <summary>A run's metrics as MEAI usage (a workflow that reports tokens per step only: their sum), or null.</summary>
    /// <param name="metrics">The run's metrics.</param>
    /// <returns>The usage, with reasoning, cached, cache-write and audio token counts where reported.</returns>
    public static UsageDetails? ToUsage(RunMetrics? metrics) => ResponseMapper.Usage(metrics);

    private static List<AIContent> Requests(PausedRun paused)
    {
        var contents = new List<AIContent>();
        HumanInTheLoop.AddRequests(contents, paused);
        return contents;
    }
}

/// <summary>The answers to one paused run, found by <see cref="AgnoContentMapper.FindAnswers"/>.</summary>
public sealed class AgnoPauseAnswers
{
    private readonly List<HitlAnswer> _answers;

    internal AgnoPauseAnswers(List<HitlAnswer> answers)
    {
        _answers = answers;
        RunId = answers[0].RunId;
        SessionId = answers[0].SessionId;
        Contents = [.. answers.Select(a => a.Content)];
    }

    /// <summary>The paused run answered.</summary>
    public string RunId { get; }

    /// <summary>Its session.</summary>
    public string SessionId { get; }

    /// <summary>The answer contents, in message order.</summary>
    public IReadOnlyList<AIContent> Contents { get; }

    /// <summary>The request that continues the paused run with these answers, applied to a copy of what it waits for.</summary>
    /// <param name="kind">The kind of the component that ran.</param>
    /// <param name="paused">The paused run as the server holds it (e.g. read back with <c>GetRunAsync</c>).</param>
    /// <param name="userId">The user id to continue as.</param>
    /// <returns>The continue request (tools for an agent, requirements for a team, step requirements for a workflow).</returns>
    /// <exception cref="ArgumentException">An answer matches nothing the run waits for (answered already, or another run's).</exception>
    public ContinueRunRequest CreateContinueRequest(AgentOSComponentKind kind, RunOutput paused, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(paused);
        var run = (PausedRun.From(kind, paused) ?? new PausedRun(RunId, SessionId)).Clone();
        HumanInTheLoop.Apply(run, _answers);
        return new ContinueRunRequest(run.SessionId)
        {
            Tools = run.Tools,
            Requirements = run.Requirements,
            StepRequirements = run.StepRequirements,
            UserId = userId,
        };
    }
}
