using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting;

/// <summary>The SQLite store's source-generated JSON context: sessions as version 1 of the schema stored them (snake_case, nulls omitted), read by the migration; the ids of a listed page; runs as UTF-8.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentOSSession))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(AgentOSRunSummary))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext
{
}
