using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The fields an event carries after its identity (<see cref="HostEvent"/> writes the identity): a typed model
/// serialized with the host's source-generated <see cref="HostWireContext"/>, its properties written in order.
/// </summary>
internal abstract class EventPayload
{
    /// <summary>A typed payload.</summary>
    public static EventPayload Of<T>(T value, JsonTypeInfo<T> typeInfo) => new Typed<T>(value, typeInfo);

    /// <summary>A payload already held as JSON (workflow step outputs re-emitted as they were stored).</summary>
    public static EventPayload Of(JsonObject value) => new Node(value);

    /// <summary>Writes the payload's properties into the event object being written.</summary>
    public abstract void WriteProperties(Utf8JsonWriter writer);

    /// <summary>Whether the payload carries a property of this JSON name.</summary>
    public abstract bool ContainsKey(string name);

    /// <summary>Writes the payload as a whole JSON object (the legacy <c>WorkflowRunOutput</c> event).</summary>
    public void WriteObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteProperties(writer);
        writer.WriteEndObject();
    }

    private sealed class Typed<T>(T value, JsonTypeInfo<T> typeInfo) : EventPayload
    {
        public override bool ContainsKey(string name)
        {
            using var document = JsonSerializer.SerializeToDocument(value, typeInfo);
            return document.RootElement.TryGetProperty(name, out _);
        }

        public override void WriteProperties(Utf8JsonWriter writer)
        {
            using var document = JsonSerializer.SerializeToDocument(value, typeInfo);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }
    }

    private sealed class Node(JsonObject value) : EventPayload
    {
        public override bool ContainsKey(string name) => value.ContainsKey(name);

        public override void WriteProperties(Utf8JsonWriter writer)
        {
            foreach (var (name, node) in value)
            {
                writer.WritePropertyName(name);
                if (node is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    node.WriteTo(writer);
                }
            }
        }
    }
}
