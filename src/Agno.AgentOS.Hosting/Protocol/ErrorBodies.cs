using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>An AgentOS error body: <c>{"detail": "..."}</c>.</summary>
internal sealed record DetailBody(string Detail);

/// <summary>A remote's error passed on by the gateway: its <c>detail</c> as it came (a string, or the JSON it sent).</summary>
internal sealed record RemoteDetailBody(JsonNode? Detail);

/// <summary>A FastAPI validation error body: <c>{"detail": [...]}</c>.</summary>
internal sealed record ValidationBody(List<ValidationError> Detail);

/// <summary>
/// One FastAPI (pydantic) validation error: its <c>type</c>, where (<c>loc</c>: <c>body</c> or <c>query</c>, then the
/// field name or the character position), the message and the rejected input.
/// </summary>
internal sealed record ValidationError(string Type, JsonArray Loc, string Msg, JsonNode? Input)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ValidationContext? Ctx { get; init; }
}

/// <summary>
/// The <c>ctx</c> of a validation error, as pydantic writes it: only the field its type uses is set (<c>expected</c> of
/// a literal or enum, <c>ge</c> / <c>le</c> of a bound, <c>pattern</c> of a string pattern, <c>max_length</c> of a
/// string length, <c>error</c> of invalid JSON, <c>field_type</c> / <c>min_length</c> / <c>actual_length</c> of a list too short).
/// </summary>
internal sealed record ValidationContext
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Expected { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Ge { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Le { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pattern { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxLength { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FieldType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MinLength { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ActualLength { get; init; }
}
