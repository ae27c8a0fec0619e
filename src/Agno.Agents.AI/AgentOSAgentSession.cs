using System.Text.Json;
using Agno.Agents.AI.Internal;
using Microsoft.Agents.AI;

using Agno.AgentOS;

namespace Agno.Agents.AI;

/// <summary>
/// The AgentOS session of an <see cref="AgentOSAIAgent"/>: the server keeps the conversation, this object keeps its
/// id (null until the first run created it), the user, and the last run. It serializes through
/// <see cref="AIAgent.SerializeSessionAsync"/> (as MAF checkpoints do) and restores through
/// <see cref="AIAgent.DeserializeSessionAsync"/>, in any process; <see cref="AgentOSAIAgent.OpenSession"/> resumes a
/// session by id.
/// </summary>
public sealed class AgentOSAgentSession : AgentSession
{
    internal AgentOSAgentSession(AgentOSComponentKind kind, string componentId, string? sessionId, string? userId, string? lastRunId, AgentSessionStateBag? stateBag)
        : base(stateBag ?? new AgentSessionStateBag())
    {
        Kind = kind;
        ComponentId = componentId;
        SessionId = sessionId;
        UserId = userId;
        LastRunId = lastRunId;
    }

    /// <summary>The AgentOS session id; null until the first run of a new session.</summary>
    public string? SessionId { get; internal set; }

    /// <summary>The user the session's runs are for (<c>user_id</c>), if any.</summary>
    public string? UserId { get; internal set; }

    /// <summary>The id of the last run of this session that this process saw.</summary>
    public string? LastRunId { get; internal set; }

    /// <summary>The id of the remote agent, team or workflow the session belongs to.</summary>
    public string ComponentId { get; }

    internal AgentOSComponentKind Kind { get; }

    /// <inheritdoc />
    public override string ToString() => $"AgentOS {Kind.ToString().ToLowerInvariant()} session {SessionId ?? "(new)"} of '{ComponentId}'";

    internal JsonElement Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", KindName(Kind));
            writer.WriteString("component_id", ComponentId);
            WriteOptional(writer, "session_id", SessionId);
            WriteOptional(writer, "user_id", UserId);
            WriteOptional(writer, "last_run_id", LastRunId);
            if (StateBag.Count > 0)
            {
                writer.WritePropertyName("state_bag");
                StateBag.Serialize().WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    internal static AgentOSAgentSession Deserialize(JsonElement state, AgentOSComponentKind expectedKind, string expectedComponentId)
    {
        if (state.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A serialized AgentOS session is a JSON object; got {state.ValueKind}.", nameof(state));
        }

        string kind = String(state, "kind") ?? throw new ArgumentException("The serialized session has no 'kind': it is not an AgentOS session.", nameof(state));
        string componentId = String(state, "component_id") ?? throw new ArgumentException("The serialized session has no 'component_id': it is not an AgentOS session.", nameof(state));
        if (kind != KindName(expectedKind) || componentId != expectedComponentId)
        {
            throw new ArgumentException($"The serialized session belongs to {kind} '{componentId}', not to this agent's {KindName(expectedKind)} '{expectedComponentId}'.", nameof(state));
        }

        AgentSessionStateBag? bag = state.TryGetProperty("state_bag", out var b) && b.ValueKind == JsonValueKind.Object ? AgentSessionStateBag.Deserialize(b) : null;
        return new AgentOSAgentSession(expectedKind, componentId, String(state, "session_id"), String(state, "user_id"), String(state, "last_run_id"), bag);
    }

    private static string KindName(AgentOSComponentKind kind) => kind switch
    {
        AgentOSComponentKind.Agent => "agent",
        AgentOSComponentKind.Team => "team",
        _ => "workflow",
    };

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? String(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : throw new ArgumentException($"The serialized session's '{name}' must be a string; got {v.ValueKind}.", nameof(o));
    }
}
