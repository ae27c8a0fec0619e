using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// A run request as AgentOS reads it: form fields (urlencoded or multipart), <c>stream</c> true by default,
/// JSON-valued fields as JSON text, media as uploads or JSON lists.
/// </summary>
internal sealed class RunForm
{
    private static readonly HashSet<string> Declared = new(StringComparer.Ordinal)
    {
        "message", "stream", "session_id", "user_id", "files", "version", "background",
    };

    public required string Message { get; init; }

    public bool Stream { get; init; } = true;

    public bool Background { get; init; }

    public string? SessionId { get; init; }

    public string? UserId { get; init; }

    public string? RunId { get; init; }

    public JsonObject? SessionState { get; init; }

    public JsonObject? Metadata { get; init; }

    public JsonObject? OutputSchema { get; init; }

    public bool UseJsonSchema { get; init; }

    public bool StreamEvents { get; init; } = true;

    public bool? AddHistoryToContext { get; init; }

    /// <summary>The run input (<c>input_content</c> and media lists), as the run output shows it.</summary>
    public JsonObject Input { get; init; } = [];

    /// <summary>The media as chat contents.</summary>
    public List<AIContent> Media { get; init; } = [];

    public required IFormCollection Form { get; init; }

    /// <summary>Fields other than the declared ones (passed on by the gateway).</summary>
    public IEnumerable<KeyValuePair<string, string>> ExtraFields
        => Form.Where(f => !Declared.Contains(f.Key)).Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString()));

    /// <summary>Reads the form; on a bad request writes the AgentOS error and returns null.</summary>
    public static async Task<RunForm?> ReadAsync(HttpContext context, AgentOSRuntime runtime, bool allowFiles)
    {
        var form = await ReadFormAsync(context, runtime).ConfigureAwait(false);
        var errors = new List<ValidationError>();
        string? message = form is not null && form.TryGetValue("message", out var sent) && sent.Count > 0 ? sent.ToString() : null;
        if (message is null)
        {
            errors.Add(Wire.MissingField("body", "message"));
        }

        bool stream = ReadBool(form, "stream", true, errors);
        bool background = ReadBool(form, "background", false, errors);
        if (errors.Count > 0 || form is null)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return null;
        }

        var input = new RunInputBody(message!);
        if (allowFiles)
        {
            foreach (var file in form.Files.Where(f => f.Name == "files"))
            {
                if (file.Length == 0)
                {
                    continue;
                }

                if (!await AddUploadAsync(file, input, context.RequestAborted).ConfigureAwait(false))
                {
                    await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "Unsupported file type").ConfigureAwait(false);
                    return null;
                }
            }
        }

        AddJsonMedia(form, "images", "images", input);
        AddJsonMedia(form, "audio", "audio", input);
        AddJsonMedia(form, "videos", "videos", input);
        AddJsonMedia(form, "input_files", "files", input);
        // the message set as the string it is (serialized with the input it would be escaped, parsed back, and later
        // copied on every clone of the run); the media lists as serialized
        var inputJson = JsonSerializer.SerializeToNode(input with { InputContent = string.Empty }, HostWireContext.Default.RunInputBody)!.AsObject();
        inputJson["input_content"] = message;
        var media = MediaInputs.ToContents(inputJson).ToList();

        var outputSchema = JsonObjectField(form, "output_schema");
        bool useJsonSchema = TryBool(form, "use_json_schema") ?? false;
        return new RunForm
        {
            Message = message!,
            Stream = stream,
            Background = background,
            // a JWT's subject and session claim win over the form's, as in AgentOS
            SessionId = AgentOSCaller.Of(context)?.SessionId ?? NonEmpty(form, "session_id"),
            UserId = AgentOSCaller.Of(context)?.UserId ?? NonEmpty(form, "user_id"),
            RunId = NonEmpty(form, "run_id"),
            SessionState = JsonObjectField(form, "session_state"),
            Metadata = JsonObjectField(form, "metadata"),
            OutputSchema = outputSchema,
            UseJsonSchema = useJsonSchema,
            StreamEvents = TryBool(form, "stream_events") ?? true,
            AddHistoryToContext = TryBool(form, "add_history_to_context"),
            Input = inputJson,
            Media = media,
            Form = form,
        };
    }

    /// <summary>The content type of a structured-output run: the schema's title, or <c>dict</c>.</summary>
    public string StructuredContentType => UseJsonSchema ? "dict" : OutputSchema?.GetString("title") ?? "dict";

    internal static async Task<IFormCollection?> ReadFormAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        if (context.Features.Get<IFormFeature>() is null or FormFeature { Form: null } && UrlEncodedForm.Is(context.Request))
        {
            // urlencoded: read in one linear pass (ASP.NET's reader rescans an incomplete value on every read: a
            // message of megabytes costs quadratic time); the request body limit still applies (413).
            var read = await UrlEncodedForm.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            context.Features.Set<IFormFeature>(new FormFeature(read));
            return read;
        }

        if (context.Features.Get<IFormFeature>() is null or FormFeature { Form: null } && runtime.Options.MaxRequestBodySize is { } limit)
        {
            int valueLimit = (int)Math.Min(limit, int.MaxValue);
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions
            {
                ValueLengthLimit = valueLimit,
                MultipartBodyLengthLimit = limit,
                MultipartHeadersLengthLimit = 64 * 1024,
            }));
        }

        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            // A malformed multipart body (a boundary that never comes, a truncated part): FastAPI answers 400
            // "There was an error parsing the body" (EndpointSupport writes it for InvalidDataException).
            throw new InvalidDataException("The form body could not be parsed.", ex);
        }
    }

    internal static string? NonEmpty(IFormCollection form, string name)
        => form.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[^1]) ? v[^1] : null;

    internal static bool? TryBool(IFormCollection form, string name)
        => NonEmpty(form, name) is { } s && Wire.TryParseBool(s, out bool b) ? b : null;

    private static bool ReadBool(IFormCollection? form, string name, bool defaultValue, List<ValidationError> errors)
    {
        if (form is null || NonEmpty(form, name) is not { } text)
        {
            return defaultValue;
        }

        if (Wire.TryParseBool(text, out bool value))
        {
            return value;
        }

        errors.Add(Wire.BadBool("body", name, text));
        return defaultValue;
    }

    /// <summary>A JSON-object field; invalid JSON is dropped, as AgentOS does.</summary>
    private static JsonObject? JsonObjectField(IFormCollection form, string name)
    {
        if (NonEmpty(form, name) is not { } text)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void AddJsonMedia(IFormCollection form, string field, string key, RunInputBody input)
    {
        if (NonEmpty(form, field) is not { } text)
        {
            return;
        }

        JsonArray? items;
        try
        {
            items = JsonNode.Parse(text) as JsonArray;
        }
        catch (JsonException)
        {
            return;
        }

        foreach (var item in items?.OfType<JsonObject>() ?? [])
        {
            string id = item.GetString("id") ?? Wire.NewId();
            if (key == "files")
            {
                // a file keeps the fields it was sent with (null ones dropped)
                input.Add(key, new FileInputBody(id)
                {
                    Content = Field(item, "content"),
                    MimeType = Field(item, "mime_type"),
                    Filename = Field(item, "filename"),
                    Name = Field(item, "name"),
                    Format = Field(item, "format"),
                    Url = Field(item, "url"),
                });
            }
            else
            {
                string? mime = item.GetString("mime_type");
                input.Add(key, new MediaInputBody(id, item.GetString("format") ?? mime?.Split('/').LastOrDefault(), mime)
                {
                    Content = Field(item, "content"),
                    Url = Field(item, "url"),
                });
            }
        }
    }

    /// <summary>A copy of a field that is present and not null.</summary>
    private static JsonNode? Field(JsonObject item, string name)
        => item.TryGetPropertyValue(name, out var value) ? value?.DeepClone() : null;

    private static async Task<bool> AddUploadAsync(IFormFile file, RunInputBody input, CancellationToken cancellationToken)
    {
        string fileName = file.FileName ?? "file";
        string extension = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        string mime = string.IsNullOrEmpty(file.ContentType) || file.ContentType == "application/octet-stream"
            ? MimeFromExtension(extension) ?? "application/octet-stream"
            : file.ContentType;
        string? kind = KindOf(mime);
        if (kind is null)
        {
            return false;
        }

        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        string format = extension.Length > 0 ? extension : mime.Split('/')[^1];
        if (kind == "files")
        {
            input.Add(kind, new FileInputBody(Wire.NewId())
            {
                Content = MediaInputs.IsText(mime) ? Encoding.UTF8.GetString(bytes) : Convert.ToBase64String(bytes),
                MimeType = mime,
                Filename = fileName,
                Format = format,
            });
        }
        else
        {
            input.Add(kind, new MediaInputBody(Wire.NewId(), format, mime) { Content = Convert.ToBase64String(bytes) });
        }

        return true;
    }

    private static string? KindOf(string mime)
    {
        mime = mime.ToLowerInvariant();
        if (mime.StartsWith("image/", StringComparison.Ordinal)) { return "images"; }
        if (mime.StartsWith("audio/", StringComparison.Ordinal)) { return "audio"; }
        if (mime.StartsWith("video/", StringComparison.Ordinal)) { return "videos"; }
        if (mime.StartsWith("text/", StringComparison.Ordinal)) { return "files"; }
        return mime switch
        {
            "application/pdf" or "application/json" or "application/xml" or "application/x-yaml" or "application/yaml"
                or "application/msword" or "application/vnd.ms-excel" or "application/vnd.ms-powerpoint"
                or "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                or "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                or "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "files",
            _ => null,
        };
    }

    private static string? MimeFromExtension(string extension) => extension switch
    {
        "png" => "image/png",
        "jpg" or "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "json" => "application/json",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => null,
    };
}

/// <summary>A continue request: the human's answers (<c>tools</c>, <c>requirements</c> or <c>step_requirements</c>) and the session.</summary>
internal sealed class ContinueForm
{
    public required JsonArray Answers { get; init; }

    public required string SessionId { get; init; }

    public string? UserId { get; init; }

    public bool Stream { get; init; } = true;

    public required IFormCollection Form { get; init; }

    /// <summary>Reads the form; on a bad request writes the AgentOS error and returns null.</summary>
    public static async Task<ContinueForm?> ReadAsync(HttpContext context, AgentOSRuntime runtime, string field)
    {
        var form = await RunForm.ReadFormAsync(context, runtime).ConfigureAwait(false) ?? new FormCollection([]);
        var errors = new List<ValidationError>();
        bool stream = true;
        if (RunForm.NonEmpty(form, "stream") is { } s)
        {
            if (!Wire.TryParseBool(s, out stream))
            {
                errors.Add(Wire.BadBool("body", "stream", s));
            }
        }

        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return null;
        }

        JsonArray answers;
        string text = RunForm.NonEmpty(form, field) ?? "[]";
        try
        {
            answers = JsonNode.Parse(text) as JsonArray ?? throw new JsonException("not a list");
        }
        catch (JsonException)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, $"Invalid JSON in {field} field").ConfigureAwait(false);
            return null;
        }

        if ((AgentOSCaller.Of(context)?.SessionId ?? RunForm.NonEmpty(form, "session_id")) is not { } sessionId)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status400BadRequest, "session_id is required for this action").ConfigureAwait(false);
            return null;
        }

        return new ContinueForm
        {
            Answers = answers,
            SessionId = sessionId,
            UserId = AgentOSCaller.Of(context)?.UserId ?? RunForm.NonEmpty(form, "user_id"),
            Stream = stream,
            Form = form,
        };
    }
}
