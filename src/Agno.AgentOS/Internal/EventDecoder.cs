using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

/// <summary>Turns one SSE item (event name + JSON data) into a typed event.</summary>
internal static class EventDecoder
{
    private const int ExcerptLength = 200;

    public static AgentOSEvent Decode(string eventType, ReadOnlySpan<byte> data)
    {
        string name = eventType;
        if (name.Length == 0 || name == "message")
        {
            // No "event:" line: the name is the JSON's "event" field.
            name = ReadEventName(data) ?? "message";
        }

        try
        {
            if (EventNames.Types.TryGetValue(name, out JsonTypeInfo? typeInfo))
            {
                var ev = (AgentOSEvent?)JsonSerializer.Deserialize(data, typeInfo)
                    ?? throw new JsonException("The event data is null.");
                if (ev.Event.Length == 0)
                {
                    ev.Event = name;
                }

                return ev;
            }

            if (name == "WorkflowRunOutput")
            {
                var output = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.WorkflowRunOutput)
                    ?? throw new JsonException("The event data is null.");
                return new WorkflowRunOutputEvent
                {
                    Event = name,
                    Output = output,
                    RunId = output.RunId,
                    SessionId = output.SessionId,
                    WorkflowId = output.WorkflowId,
                    WorkflowName = output.WorkflowName,
                    ParentRunId = output.ParentRunId,
                    CreatedAt = output.CreatedAt,
                };
            }

            var unknown = JsonSerializer.Deserialize(data, AgentOSJsonContext.Default.UnknownEvent)
                ?? throw new JsonException("The event data is null.");
            unknown.Event = name;
            unknown.RawJson = Encoding.UTF8.GetString(data);
            return unknown;
        }
        catch (JsonException ex)
        {
            throw new AgentOSProtocolException(
                $"The server sent a malformed '{name}' event ({ex.Message}). Data starts with: {Excerpt(data)}", ex);
        }
    }

    private static string? ReadEventName(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isEvent = reader.ValueTextEquals("event"u8);
                reader.Read();
                if (isEvent && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Decode reports the malformed JSON.
        }

        return null;
    }

    internal static string Excerpt(ReadOnlySpan<byte> data)
    {
        var slice = data.Length > ExcerptLength ? data[..ExcerptLength] : data;
        string text = Encoding.UTF8.GetString(slice);
        return data.Length > ExcerptLength ? text + "…" : text;
    }
}
