using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The chat client a <see cref="HostedAgent"/> served from a Microsoft Agent Framework <see cref="AIAgent"/> runs on
/// (<see cref="AgentOSHostBuilder.AddAgent(string, AIAgent, Action{HostedAgent}?)"/>). The host's run engine drives it
/// like any chat client (its updates become AgentOS events, its approval and input requests pauses), but the agent
/// keeps its own <see cref="AgentSession"/> per AgentOS session: each call sends it only the messages it has not
/// seen (those after the last assistant message of the conversation the engine builds, without system messages),
/// and its session is serialized into the host's session store after each call (<see cref="AgentSessionStash"/>).
/// </summary>
internal sealed class AIAgentChatClient : IChatClient
{
    private readonly AIAgent _agent;
    private readonly string _key;
    private readonly AgentOSRuntime _runtime;

    public AIAgentChatClient(AIAgent agent, string key, AgentOSRuntime runtime)
    {
        _agent = agent;
        _key = key;
        _runtime = runtime;
    }

    /// <summary>The agent served.</summary>
    public AIAgent Agent => _agent;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // The engine names the AgentOS session in ConversationId (for this client only).
        string? sessionId = options?.ConversationId;
        var session = await LoadSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var input = NewMessages(messages);
        try
        {
            await foreach (var update in _agent.RunStreamingAsync(input, session, options: null, cancellationToken).ConfigureAwait(false))
            {
                yield return update.AsChatResponseUpdate();
            }
        }
        finally
        {
            if (sessionId is not null)
            {
                // Kept even when the run is cancelled or fails: the agent's session holds what it saw.
                var state = await _agent.SerializeSessionAsync(session, jsonSerializerOptions: null, CancellationToken.None).ConfigureAwait(false);
                _runtime.AgentSessions.Stage(sessionId, _key, state);
            }
        }
    }

    /// <summary>The messages the agent has not seen: those after the last assistant message, without system messages.</summary>
    internal static List<ChatMessage> NewMessages(IEnumerable<ChatMessage> messages)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        int start = 0;
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Role == ChatRole.Assistant)
            {
                start = i + 1;
                break;
            }
        }

        var result = new List<ChatMessage>(list.Count - start);
        for (int i = start; i < list.Count; i++)
        {
            if (list[i].Role != ChatRole.System)
            {
                result.Add(list[i]);
            }
        }

        return result;
    }

    private async Task<AgentSession> LoadSessionAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (sessionId is not null)
        {
            JsonElement? saved = _runtime.AgentSessions.FindStaged(sessionId, _key);
            if (saved is null)
            {
                var stored = await _runtime.Store.GetRunsAsync(sessionId, query: null, cancellationToken).ConfigureAwait(false);
                saved = AgentSessionStash.FindStored(stored, _key);
            }

            if (saved is { } element)
            {
                return await _agent.DeserializeSessionAsync(element, jsonSerializerOptions: null, cancellationToken).ConfigureAwait(false);
            }
        }

        return await _agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceKey is null && serviceType.IsInstanceOfType(_agent))
        {
            return _agent;
        }

        // The agent's model metadata (a ChatClientAgent answers with its chat client's), for discovery.
        return _agent.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
    }
}
