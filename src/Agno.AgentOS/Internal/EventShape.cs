using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

/// <summary>
/// An event type's properties as the fast path reads them (<see cref="FastEventReader"/>): each property's UTF-8 name,
/// setter and value contract, taken from the source-generated contract the serializer itself uses, and the extension
/// data property that keeps fields the type does not model. A property the fast path cannot read as the serializer
/// would (a custom converter other than the content-text one, its own number handling, no setter) is marked, and an
/// event that carries it is left to the serializer; a type the fast path cannot read at all (required properties, a
/// constructor with parameters, disallowed unmapped members) has no shape.
/// </summary>
internal sealed class EventShape
{
    private static readonly ConcurrentDictionary<JsonTypeInfo, EventShape?> Shapes = new(ReferenceEqualityComparer.Instance);

    private readonly Slot[]?[] _byLength;

    private EventShape(JsonTypeInfo typeInfo, Slot[]?[] byLength, JsonPropertyInfo? extension)
    {
        TypeInfo = typeInfo;
        _byLength = byLength;
        Extension = extension;
    }

    /// <summary>The contract.</summary>
    public JsonTypeInfo TypeInfo { get; }

    /// <summary>The <see cref="JsonExtensionDataAttribute"/> property (a <c>Dictionary&lt;string, JsonElement&gt;</c>), or null.</summary>
    public JsonPropertyInfo? Extension { get; }

    /// <summary>The shape of an event contract (built once per type), or null when the fast path leaves the type to the serializer.</summary>
    public static EventShape? For(JsonTypeInfo typeInfo) => Shapes.GetOrAdd(typeInfo, static t => Build(t));

    /// <summary>The property of a JSON name (exact, unescaped UTF-8), or null for a field the type does not model.</summary>
    public Slot? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length >= _byLength.Length || _byLength[name.Length] is not { } bucket)
        {
            return null;
        }

        foreach (var slot in bucket)
        {
            if (name.SequenceEqual(slot.Name))
            {
                return slot;
            }
        }

        return null;
    }

    private static EventShape? Build(JsonTypeInfo typeInfo)
    {
        var options = typeInfo.Options;
        if (typeInfo.Kind != JsonTypeInfoKind.Object
            || typeInfo.CreateObject is null
            || options.PropertyNameCaseInsensitive
            || typeInfo.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow
            || typeInfo.NumberHandling is not null
            || typeInfo.OnDeserializing is not null
            || typeInfo.OnDeserialized is not null)
        {
            return null;
        }

        JsonPropertyInfo? extension = null;
        var slots = new List<Slot>();
        foreach (var property in typeInfo.Properties)
        {
            if (property.IsRequired)
            {
                return null; // a missing property must throw: the serializer's job
            }

            if (property.IsExtensionData)
            {
                if (property.PropertyType != typeof(Dictionary<string, JsonElement>) || property.Get is null || property.Set is null)
                {
                    return null;
                }

                extension = property;
                continue;
            }

            slots.Add(Slot.Of(property, options));
        }

        int longest = slots.Count == 0 ? 0 : slots.Max(s => s.Name.Length);
        var byLength = new Slot[]?[longest + 1];
        foreach (var group in slots.GroupBy(s => s.Name.Length))
        {
            byLength[group.Key] = [.. group];
        }

        return new EventShape(typeInfo, byLength, extension);
    }

    /// <summary>One property of an event type.</summary>
    internal sealed class Slot
    {
        private static int _lastIndex = FastEventReader.JsonFieldCount - 1;

        private readonly JsonSerializerOptions? _options;
        private JsonTypeInfo? _valueType;
        private bool _resolved;

        private Slot(byte[] name, JsonPropertyInfo property, JsonSerializerOptions? options, JsonConverter<string?>? textConverter)
        {
            Name = name;
            Index = Interlocked.Increment(ref _lastIndex);
            Property = property;
            _options = options;
            IsPlainJsonElement = options is not null && property.PropertyType == typeof(JsonElement);
            IsJsonElement = IsPlainJsonElement || (options is not null && property.PropertyType == typeof(JsonElement?));
            TextConverter = textConverter;
        }

        /// <summary>The JSON name as UTF-8.</summary>
        public byte[] Name { get; }

        /// <summary>A number of its own among all slots (after the fast path's own JSON fields): where a stream keeps the property's last JSON value (<see cref="EventDecoderState.JsonOf"/>).</summary>
        public int Index { get; }

        /// <summary>The property.</summary>
        public JsonPropertyInfo Property { get; }

        /// <summary>
        /// The contract of the property's value, resolved when the property is first read (a stream's first event
        /// does not build the contracts of fields it does not carry); null when the fast path cannot read it as the
        /// serializer would.
        /// </summary>
        public JsonTypeInfo? ValueType
        {
            get
            {
                if (!Volatile.Read(ref _resolved))
                {
                    _valueType = Resolve();
                    Volatile.Write(ref _resolved, true);
                }

                return _valueType;
            }
        }

        /// <summary>The property's own converter when it is the content-text converter (called directly), or null.</summary>
        public JsonConverter<string?>? TextConverter { get; }

        /// <summary>Whether the value is decoded into text as it is read (a string, the content text): its bytes are checked as UTF-8 then.</summary>
        public bool DecodesText => TextConverter is not null || Property.PropertyType == typeof(string);

        public static Slot Of(JsonPropertyInfo property, JsonSerializerOptions options)
        {
            byte[] name = System.Text.Encoding.UTF8.GetBytes(property.Name);
            if (property.Set is null || property.NumberHandling is not null || property.ObjectCreationHandling == JsonObjectCreationHandling.Populate)
            {
                return new Slot(name, property, null, null);
            }

            if (property.CustomConverter is not null)
            {
                return property.CustomConverter is ContentTextConverter text
                    ? new Slot(name, property, null, text)
                    : new Slot(name, property, null, null);
            }

            return new Slot(name, property, options, null);
        }

        private JsonTypeInfo? Resolve()
        {
            if (_options is null)
            {
                return null;
            }

            try
            {
                return _options.GetTypeInfo(Property.PropertyType);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
            {
                return null; // no contract for the value: the serializer decides
            }
        }

        /// <summary>Whether the property holds a <see cref="JsonElement"/> (nullable or not) read by its own contract.</summary>
        public bool IsJsonElement { get; }

        /// <summary>Whether the property is a (non-nullable) <see cref="JsonElement"/>: its setter takes the boxed element, not a boxed nullable.</summary>
        public bool IsPlainJsonElement { get; }

        /// <summary>Whether the fast path can read this property.</summary>
        public bool Readable => TextConverter is not null || ValueType is not null;
    }
}
