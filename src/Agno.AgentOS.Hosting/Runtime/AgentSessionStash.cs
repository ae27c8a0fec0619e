using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The serialized <c>AgentSession</c>s of the Microsoft Agent Framework agents a host serves, per AgentOS session.
/// An agent's session is staged after each of its calls and written with the run when the host stores it (in the
/// stored run's host-private <see cref="AgentOSStoredRun.ResumeState"/>, never shown by the API), so it survives a
/// restart with a persistent store. The newest run that holds an agent's session is the one read back.
/// </summary>
internal sealed class AgentSessionStash
{
    /// <summary>The key under which a stored run keeps the agents' sessions (agent id to serialized session).</summary>
    public const string Key = "agent_framework_sessions";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonElement>> _staged = new(StringComparer.Ordinal);

    /// <summary>Keeps an agent's session until the run is stored.</summary>
    public void Stage(string sessionId, string agentKey, JsonElement state)
        => _staged.GetOrAdd(sessionId, _ => new ConcurrentDictionary<string, JsonElement>(StringComparer.Ordinal))[agentKey] = state.Clone();

    /// <summary>A session staged and not yet stored.</summary>
    public JsonElement? FindStaged(string sessionId, string agentKey)
        => _staged.TryGetValue(sessionId, out var agents) && agents.TryGetValue(agentKey, out var state) ? state : null;

    /// <summary>The agent's session kept by the newest of the session's stored runs (oldest first) that has one.</summary>
    public static JsonElement? FindStored(IReadOnlyList<AgentOSStoredRun> runs, string agentKey)
    {
        for (int i = runs.Count - 1; i >= 0; i--)
        {
            if (runs[i].ResumeState?[Key] is JsonObject agents && agents[agentKey] is { } node)
            {
                return JsonSerializer.SerializeToElement(node, HostJsonContext.Default.JsonNode);
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the sessions staged for session <paramref name="sessionId"/> into <paramref name="run"/>, which is about
    /// to be stored; a run that replaces an earlier version of itself (<paramref name="stored"/>) keeps the sessions
    /// that version held.
    /// </summary>
    public void Apply(string sessionId, AgentOSStoredRun? stored, AgentOSStoredRun run)
    {
        var previous = stored?.ResumeState?[Key] as JsonObject;
        _staged.TryRemove(sessionId, out var staged);
        if (previous is null && staged is null)
        {
            return;
        }

        var agents = (JsonObject?)previous?.DeepClone() ?? [];
        foreach (var (agentKey, state) in staged ?? [])
        {
            agents[agentKey] = JsonSerializer.SerializeToNode(state, HostJsonContext.Default.JsonElement);
        }

        run.ResumeState ??= [];
        run.ResumeState[Key] = agents;
    }
}
