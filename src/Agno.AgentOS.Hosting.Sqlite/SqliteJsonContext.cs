using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting;

/// <summary>The SQLite store's source-generated JSON context: sessions as the host writes them (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentOSSession))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext
{
}
