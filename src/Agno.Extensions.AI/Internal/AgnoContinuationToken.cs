using System.Buffers;
using System.Text.Json;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// The continuation token of a background run: the component, the run, its session and the index of the last
/// event received (null when none was). Its bytes are small JSON, so a token survives <c>ToBytes</c> /
/// <c>FromBytes</c> and JSON serialization of the response.
/// </summary>
internal sealed class AgnoContinuationToken : ResponseContinuationToken
{
    public AgnoContinuationToken(AgentOSComponentKind kind, string componentId, string runId, string sessionId, int? lastEventIndex)
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
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", Kind switch { AgentOSComponentKind.Agent => "agent", AgentOSComponentKind.Team => "team", _ => "workflow" });
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

    /// <summary>Reads a token this library issued (as is, or rehydrated from its bytes).</summary>
    public static AgnoContinuationToken From(ResponseContinuationToken token)
    {
        if (token is AgnoContinuationToken own)
        {
            return own;
        }

        try
        {
            var reader = new Utf8JsonReader(token.ToBytes().Span);
            string? kind = null, id = null, runId = null, sessionId = null;
            int? index = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "kind": kind = reader.GetString(); break;
                    case "id": id = reader.GetString(); break;
                    case "run_id": runId = reader.GetString(); break;
                    case "session_id": sessionId = reader.GetString(); break;
                    case "last_event_index": index = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null; break;
                    default: reader.Skip(); break;
                }
            }

            AgentOSComponentKind? k = kind switch
            {
                "agent" => AgentOSComponentKind.Agent,
                "team" => AgentOSComponentKind.Team,
                "workflow" => AgentOSComponentKind.Workflow,
                _ => null,
            };
            if (k is null || string.IsNullOrEmpty(id) || string.IsNullOrEmpty(runId) || string.IsNullOrEmpty(sessionId))
            {
                throw Invalid(null);
            }

            return new AgnoContinuationToken(k.Value, id, runId, sessionId, index);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex);
        }
    }

    private static ArgumentException Invalid(Exception? inner)
        => new("ChatOptions.ContinuationToken was not issued by an Agno chat client.", inner);
}
