using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

using Agno.AgentOS;

namespace Agno.Agents.AI.Internal;

/// <summary>
/// The continuation token of a background run: the component, the run, its session and the index of the last event
/// received (null when none was). Its bytes are small JSON, so it survives <c>ToBytes</c> / <c>FromBytes</c>.
/// </summary>
internal sealed class AgentOSContinuationToken : ResponseContinuationToken
{
    public AgentOSContinuationToken(AgentOSComponentKind kind, string componentId, string runId, string sessionId, int? lastEventIndex)
    {
        Kind = kind;
        ComponentId = componentId;
        RunId = runId;
        SessionId = sessionId;
        LastEventIndex = lastEventIndex;
    }

    public AgentOSComponentKind Kind { get; }

    public string ComponentId { get; }

    public string RunId { get; }

    public string SessionId { get; }

    public int? LastEventIndex { get; }

    public override ReadOnlyMemory<byte> ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("agentos", Kind.ToString().ToLowerInvariant());
            writer.WriteString("id", ComponentId);
            writer.WriteString("run_id", RunId);
            writer.WriteString("session_id", SessionId);
            if (LastEventIndex is { } index)
            {
                writer.WriteNumber("last_event_index", index);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Reads a token this package issued (as is, or rehydrated from its bytes).</summary>
    public static AgentOSContinuationToken From(ResponseContinuationToken token)
    {
        if (token is AgentOSContinuationToken own)
        {
            return own;
        }

        try
        {
            using var doc = JsonDocument.Parse(token.ToBytes());
            var root = doc.RootElement;
            var kind = root.GetProperty("agentos").GetString() switch
            {
                "agent" => AgentOSComponentKind.Agent,
                "team" => AgentOSComponentKind.Team,
                "workflow" => AgentOSComponentKind.Workflow,
                var other => throw new ArgumentException($"The continuation token names an unknown component kind '{other}'.", nameof(token)),
            };
            int? index = root.TryGetProperty("last_event_index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : null;
            return new AgentOSContinuationToken(kind, root.GetProperty("id").GetString()!, root.GetProperty("run_id").GetString()!, root.GetProperty("session_id").GetString()!, index);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ArgumentException("The continuation token was not issued by an AgentOSAIAgent.", nameof(token), ex);
        }
    }
}
