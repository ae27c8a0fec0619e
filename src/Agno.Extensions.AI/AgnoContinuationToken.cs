using System.Buffers;
using System.Text.Json;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// The continuation token of an AgentOS background run, one format for every adapter (the <see cref="IChatClient"/>
/// adapter's <c>ChatOptions.ContinuationToken</c>, the Agent Framework adapter's <c>AgentRunOptions.ContinuationToken</c>):
/// the component, the run, its session and the index of the last event received (null when none was). Its bytes are
/// small JSON (<c>{"kind","id","run_id","session_id","last_event_index"}</c>), so a token survives
/// <see cref="ResponseContinuationToken.ToBytes"/> / <see cref="ResponseContinuationToken.FromBytes"/> and JSON
/// serialization of the response.
/// </summary>
public sealed class AgnoContinuationToken : ResponseContinuationToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="kind">The kind of the component that runs.</param>
    /// <param name="componentId">The agent, team or workflow id.</param>
    /// <param name="runId">The background run.</param>
    /// <param name="sessionId">Its session.</param>
    /// <param name="lastEventIndex">The index of the last event received (a stream resumes after it), or null.</param>
    public AgnoContinuationToken(AgentOSComponentKind kind, string componentId, string runId, string sessionId, int? lastEventIndex = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(componentId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        Kind = kind;
        ComponentId = componentId;
        RunId = runId;
        SessionId = sessionId;
        LastEventIndex = lastEventIndex;
    }

    /// <summary>The kind of the component that runs.</summary>
    public AgentOSComponentKind Kind { get; }

    /// <summary>The agent, team or workflow id.</summary>
    public string ComponentId { get; }

    /// <summary>The background run.</summary>
    public string RunId { get; }

    /// <summary>Its session.</summary>
    public string SessionId { get; }

    /// <summary>The index of the last event received, or null.</summary>
    public int? LastEventIndex { get; }

    /// <inheritdoc />
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

    /// <summary>Reads a token an Agno adapter issued, as is or rehydrated from its bytes.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ArgumentException">The token was not issued by an Agno adapter.</exception>
    public static AgnoContinuationToken From(ResponseContinuationToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
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
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw Invalid(ex);
        }
    }

    private static ArgumentException Invalid(Exception? inner)
        => new("The continuation token was not issued by an Agno adapter (an Agno chat client or AgentOSAIAgent).", "token", inner);
}
