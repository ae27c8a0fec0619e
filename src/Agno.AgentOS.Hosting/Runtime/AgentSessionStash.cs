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

    /// <summary>The agent's session kept by the newest stored run of the session that has one.</summary>
    public static JsonElement? FindStored(AgentOSSession? session, string agentKey)
    {
        for (int i = (session?.Runs.Count ?? 0) - 1; i >= 0; i--)
        {
            if (session!.Runs[i].ResumeState?[Key] is JsonObject agents && agents[agentKey] is { } node)
            {
                return JsonSerializer.SerializeToElement(node, HostJsonContext.Default.JsonNode);
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the sessions staged for <paramref name="session"/> into <paramref name="run"/>, which is about to be
    /// stored; a run that replaces an earlier version of itself keeps the sessions that version held.
    /// </summary>
    public void Apply(AgentOSSession session, AgentOSStoredRun run)
    {
        var previous = session.FindRun(run.RunId)?.ResumeState?[Key] as JsonObject;
        _staged.TryRemove(session.SessionId, out var staged);
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
