using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The serialized <c>AgentSession</c>s of the Microsoft Agent Framework agents a host serves, per AgentOS session.
/// An agent's session is staged after each of its calls and written with the run when the host stores it (in the
/// stored run's host-private <see cref="AgentOSStoredRun.ResumeStateUtf8"/>, never shown by the API), so it survives a
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
            if (Agents(runs[i].ResumeStateUtf8) is { } agents && agents.TryGetProperty(agentKey, out var state))
            {
                return state.Clone();
            }
        }

        return null;
    }

    /// <summary>
    /// The run about to be stored with the sessions staged for session <paramref name="sessionId"/> in its resume
    /// state (the same run when there are none); a run that replaces an earlier version of itself
    /// (<paramref name="stored"/>) keeps the sessions that version held.
    /// </summary>
    public AgentOSStoredRun Apply(string sessionId, AgentOSStoredRun? stored, AgentOSStoredRun run)
    {
        var previous = stored is null ? null : Agents(stored.ResumeStateUtf8);
        _staged.TryRemove(sessionId, out var staged);
        if (previous is null && staged is null)
        {
            return run;
        }

        // the run's own resume state, its agents' sessions replaced: the earlier version's, then the staged ones
        var agents = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (previous is { } kept)
        {
            foreach (var property in kept.EnumerateObject())
            {
                agents[property.Name] = property.Value;
            }
        }

        foreach (var (agentKey, state) in staged ?? [])
        {
            agents[agentKey] = state;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + run.ResumeStateUtf8.Length);
        using (var writer = new Utf8JsonWriter(buffer, Wire.WriterOptions))
        {
            writer.WriteStartObject();
            if (!run.ResumeStateUtf8.IsEmpty)
            {
                using var own = JsonDocument.Parse(run.ResumeStateUtf8);
                foreach (var property in own.RootElement.EnumerateObject())
                {
                    if (!property.NameEquals(Key))
                    {
                        property.WriteTo(writer);
                    }
                }
            }

            writer.WritePropertyName(Key);
            writer.WriteStartObject();
            foreach (var (agentKey, state) in agents)
            {
                writer.WritePropertyName(agentKey);
                state.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new AgentOSStoredRun { RunId = run.RunId, OutputUtf8 = run.OutputUtf8, ResumeStateUtf8 = buffer.WrittenSpan.ToArray() };
    }

    /// <summary>The agents' sessions a stored resume state keeps (its <see cref="Key"/> object), or null.</summary>
    private static JsonElement? Agents(ReadOnlyMemory<byte> resumeState)
    {
        if (resumeState.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(resumeState.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool found = reader.ValueTextEquals(Key);
            reader.Read();
            if (found)
            {
                return reader.TokenType == JsonTokenType.StartObject ? JsonElement.ParseValue(ref reader) : null;
            }

            reader.Skip();
        }

        return null;
    }
}
