using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>The JSON type a body field must have (pydantic's <c>str</c> or <c>dict</c>).</summary>
internal enum BodyFieldKind
{
    /// <summary>A string (or null).</summary>
    String,

    /// <summary>A JSON object (or null).</summary>
    Object,
}

/// <summary>A JSON body read as FastAPI reads a pydantic model body: the object, or its 422 errors.</summary>
/// <param name="Present">Whether there was a body at all.</param>
/// <param name="Body">The object (null when absent or invalid).</param>
/// <param name="Errors">FastAPI's validation errors (empty when valid).</param>
internal sealed record JsonBodyResult(bool Present, JsonObject? Body, IReadOnlyList<ValidationError> Errors);

/// <summary>
/// Reads JSON bodies as FastAPI does: parsed as JSON when the content type is JSON (or absent), otherwise kept as
/// text; invalid JSON is <c>json_invalid</c>, a body that is not an object <c>model_attributes_type</c>, a field of the
/// wrong type <c>string_type</c> / <c>dict_type</c>, each at its <c>loc</c>.
/// </summary>
internal static class JsonBody
{
    public static async Task<JsonBodyResult> ReadModelAsync(HttpContext context, params (string Name, BodyFieldKind Kind)[] fields)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        return ReadModel(bytes, context.Request.ContentType, fields);
    }

    /// <summary>A body already read, as <see cref="ReadModelAsync"/> reads one.</summary>
    public static JsonBodyResult ReadModel(byte[] bytes, string? contentType, params (string Name, BodyFieldKind Kind)[] fields)
    {
        if (bytes.Length == 0)
        {
            return new JsonBodyResult(false, null, []);
        }

        if (!IsJson(contentType))
        {
            return new JsonBodyResult(true, null, [NotAnObject(JsonValue.Create(Encoding.UTF8.GetString(bytes)))]);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes);
        }
        catch (JsonException ex)
        {
            return new JsonBodyResult(true, null, [Invalid(bytes, ex)]);
        }

        if (node is not JsonObject body)
        {
            return new JsonBodyResult(true, null, [NotAnObject(node?.DeepClone())]);
        }

        var errors = new List<ValidationError>();
        foreach (var (name, kind) in fields)
        {
            if (body[name] is not { } value)
            {
                continue;
            }

            switch (kind)
            {
                case BodyFieldKind.String when value.GetValueKind() != JsonValueKind.String:
                    errors.Add(FieldError("string_type", name, "Input should be a valid string", value));
                    break;
                case BodyFieldKind.Object when value is not JsonObject:
                    errors.Add(FieldError("dict_type", name, "Input should be a valid dictionary", value));
                    break;
            }
        }

        return new JsonBodyResult(true, errors.Count == 0 ? body : null, errors);
    }

    /// <summary>
    /// A required list field of at least one item (pydantic's <c>List[...]</c> with <c>min_length=1</c>): its items, each
    /// checked by <paramref name="item"/> (an error at <c>[body, name, index]</c>, or null), or its errors.
    /// </summary>
    public static List<string> RequiredList(JsonObject body, string name, Func<JsonNode?, int, ValidationError?> item, List<ValidationError> errors)
    {
        var values = new List<string>();
        if (!body.TryGetPropertyValue(name, out var given))
        {
            errors.Add(Wire.MissingField("body", name));
            return values;
        }

        if (given is not JsonArray list)
        {
            errors.Add(new ValidationError("list_type", Wire.Loc("body", name), "Input should be a valid list", given?.DeepClone()));
            return values;
        }

        int before = errors.Count;
        for (int i = 0; i < list.Count; i++)
        {
            if (item(list[i], i) is { } error)
            {
                errors.Add(error);
            }
            else
            {
                values.Add(list[i]!.GetValue<string>());
            }
        }

        if (errors.Count == before && list.Count == 0)
        {
            errors.Add(new ValidationError("too_short", Wire.Loc("body", name), "List should have at least 1 item after validation, not 0", new JsonArray())
            {
                Ctx = new ValidationContext { FieldType = "List", MinLength = 1, ActualLength = 0 },
            });
        }

        return values;
    }

    /// <summary>A required body that is missing.</summary>
    public static ValidationError MissingBody() => new("missing", Wire.Loc("body"), "Field required", null);

    /// <summary>A string field that is not a string (<c>null</c> included, for a required one).</summary>
    public static ValidationError NotAString(string name, JsonNode? value) => FieldError("string_type", name, "Input should be a valid string", value);

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.Type;
        var subType = media.SubType;
        return type.Equals("application", StringComparison.OrdinalIgnoreCase)
            && (subType.Equals("json", StringComparison.OrdinalIgnoreCase) || subType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static ValidationError NotAnObject(JsonNode? input)
        => new("model_attributes_type", Wire.Loc("body"), "Input should be a valid dictionary or object to extract fields from", input);

    private static ValidationError FieldError(string type, string name, string message, JsonNode? value)
        => new(type, Wire.Loc("body", name), message, value?.DeepClone());

    /// <summary>FastAPI's <c>json_invalid</c>: <c>loc</c> holds the character position of the error.</summary>
    private static ValidationError Invalid(byte[] bytes, JsonException ex)
    {
        long position = 0;
        if (ex.LineNumber is { } line && ex.BytePositionInLine is { } column)
        {
            int offset = 0;
            for (long l = 0; l < line && offset < bytes.Length; offset++)
            {
                if (bytes[offset] == (byte)'\n')
                {
                    l++;
                }
            }

            position = Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Min(bytes.Length, offset + column));
        }

        return new ValidationError("json_invalid", Wire.Loc("body", position), "JSON decode error", new JsonObject())
        {
            Ctx = new ValidationContext { Error = "Expecting value" },
        };
    }
}
