using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Internal;

/// <summary>
/// A list of models: each entry either a model id string (agno 2.9's <c>/config</c> <c>available_models</c>)
/// or a <c>{id, provider, ...}</c> object (agno 3.x, and <c>GET /models</c>).
/// </summary>
internal sealed class ModelListConverter : JsonConverter<List<ModelInfo>?>
{
    public override List<ModelInfo>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected a list of models, got {reader.TokenType}.");
        }

        var list = new List<ModelInfo>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    list.Add(new ModelInfo { Id = reader.GetString() });
                    break;
                case JsonTokenType.StartObject:
                    try
                    {
                        list.Add(JsonSerializer.Deserialize(ref reader, AgentOSJsonContext.Default.ModelInfo)!);
                    }
                    catch (JsonException ex)
                    {
                        // the nested call's path is relative to the element: let the serializer add the list's
                        // path, and keep the element's part (see TolerantJson.FullPath)
                        throw new NestedJsonException(ex.Message, $"[{list.Count}]{(ex.Path is { Length: > 1 } p ? p[1..] : string.Empty)}", ex);
                    }

                    break;
                case JsonTokenType.Null:
                    break;
                default:
                    throw new JsonException($"Expected a model id or a model object, got {reader.TokenType}.");
            }
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<ModelInfo>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        JsonSerializer.Serialize(writer, value, AgentOSJsonContext.Default.ListModelInfo);
    }
}
