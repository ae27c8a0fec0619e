using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Agno.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.Agents.Serialization;

// SKEXP0110: AgentChannel is experimental in SK 1.80; AgentGroupChat needs it (deliberate use).
#pragma warning disable SKEXP0110

namespace Agno.SemanticKernel.Internal;

/// <summary>
/// How an AgentOS agent takes part in an <see cref="AgentChat"/> (e.g. <c>AgentGroupChat</c>). A remote
/// agent cannot receive messages without running, so the channel keeps the group's new messages (with
/// their authors) and hands them over on the agent's next turn, in one run of the channel's session. A turn whose
/// run pauses for a human throws <see cref="AgnoRunPausedException"/> out of the chat; its messages count as handed
/// over (the paused run has them).
/// </summary>
internal sealed class AgentOSAgentChannel : AgentChannel<AgentOSAgent>
{
    private readonly List<ChatMessageContent> _pending;
    private readonly List<ChatMessageContent> _history = [];
    private AgentOSAgentThread _thread;

    public AgentOSAgentChannel(AgentOSAgentThread thread, IEnumerable<ChatMessageContent> pending)
    {
        _thread = thread;
        _pending = [.. pending];
        _history.AddRange(_pending);
    }

    /// <summary>The session the agent runs in (its id is known after the first turn).</summary>
    internal AgentOSAgentThread Thread => _thread;

    /// <summary>The messages waiting for the agent's next turn.</summary>
    internal IReadOnlyList<ChatMessageContent> Pending => _pending;

    /// <inheritdoc />
    protected override Task ReceiveAsync(IEnumerable<ChatMessageContent> history, CancellationToken cancellationToken = default)
    {
        foreach (var message in history)
        {
            _pending.Add(message);
            _history.Add(message);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<(bool IsVisible, ChatMessageContent Message)> InvokeAsync(
        AgentOSAgent agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<ChatMessageContent> turn = [.. _pending];
        List<ChatMessageContent> answers = [];
        try
        {
            await foreach (var item in agent.InvokeAsync(turn, _thread, null, cancellationToken).ConfigureAwait(false))
            {
                answers.Add(item.Message);
            }
        }
        catch (AgnoRunPausedException)
        {
            // The run got them before it paused: whoever continues it continues from there.
            _pending.RemoveRange(0, turn.Count);
            throw;
        }

        // Handed over: the session has them now.
        _pending.RemoveRange(0, turn.Count);
        foreach (var answer in answers)
        {
            _history.Add(answer);
            yield return (true, answer);
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamingChatMessageContent> InvokeStreamingAsync(
        AgentOSAgent agent,
        IList<ChatMessageContent> messages,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<ChatMessageContent> turn = [.. _pending];
        List<ChatMessageContent> answers = [];
        var options = new AgentInvokeOptions
        {
            OnIntermediateMessage = m =>
            {
                answers.Add(m);
                return Task.CompletedTask;
            },
        };

        var stream = agent.InvokeStreamingAsync(turn, _thread, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (AgnoRunPausedException)
                {
                    _pending.RemoveRange(0, turn.Count); // as in InvokeAsync
                    throw;
                }

                yield return stream.Current.Message;
            }
        }

        _pending.RemoveRange(0, turn.Count);
        foreach (var answer in answers)
        {
            _history.Add(answer);
            messages.Add(answer);
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<ChatMessageContent> GetHistoryAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = _history.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return _history[i];
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the channel's session on the server (when it was created) and starts a new one.</remarks>
    protected override async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        var old = _thread;
        _thread = new AgentOSAgentThread(old.Client) { UserId = old.UserId, RequestOptions = old.RequestOptions };
        _pending.Clear();
        _history.Clear();
        await old.DeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "SK message serialization is reflection-based; this package is not trimmable.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    protected override string Serialize()
        => JsonSerializer.Serialize(new State
        {
            SessionId = _thread.SessionId,
            UserId = _thread.UserId,
            Pending = JsonSerializer.SerializeToElement(ChatMessageReference.Prepare(_pending)),
        });

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "As in Serialize.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As in Serialize.")]
    internal static AgentOSAgentChannel Restore(string channelState, AgentOSAgent agent)
    {
        var state = JsonSerializer.Deserialize<State>(channelState) ?? new State();
        var pending = state.Pending is { ValueKind: JsonValueKind.Array } p
            ? p.Deserialize<List<ChatMessageContent>>() ?? []
            : [];
        var thread = new AgentOSAgentThread(agent.Component.Client, state.SessionId) { UserId = state.UserId, RequestOptions = agent.Options.RequestOptions };
        return new AgentOSAgentChannel(thread, pending);
    }

    private sealed class State
    {
        [JsonPropertyName("session_id")]
        public string? SessionId { get; set; }

        [JsonPropertyName("user_id")]
        public string? UserId { get; set; }

        [JsonPropertyName("pending")]
        public JsonElement? Pending { get; set; }
    }
}
