using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// A run's <c>input</c> as agno shows it in the run output (its <c>RunInput</c>): the message and the media it came with,
/// each list only when it has entries (<c>images</c>, <c>audio</c>, <c>videos</c>, <c>files</c>, in that order).
/// </summary>
internal sealed record RunInputBody(string InputContent)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MediaInputBody>? Images { get; private set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MediaInputBody>? Audio { get; private set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MediaInputBody>? Videos { get; private set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FileInputBody>? Files { get; private set; }

    /// <summary>Adds an image, audio or video (<paramref name="kind"/> <c>images</c>, <c>audio</c>, <c>videos</c>).</summary>
    public void Add(string kind, MediaInputBody media)
    {
        switch (kind)
        {
            case "images": (Images ??= []).Add(media); break;
            case "audio": (Audio ??= []).Add(media); break;
            case "videos": (Videos ??= []).Add(media); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a media list.");
        }
    }

    /// <summary>Adds a file (<paramref name="kind"/> <c>files</c>).</summary>
    public void Add(string kind, FileInputBody file)
    {
        if (kind != "files")
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not the files list.");
        }

        (Files ??= []).Add(file);
    }
}

/// <summary>An image, audio or video of a run input: its id, format and MIME type (null included), then its content or URL when given.</summary>
internal sealed record MediaInputBody(string Id, string? Format, string? MimeType)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Url { get; init; }
}

/// <summary>A file of a run input: its id and the fields it was given (an upload: content, MIME type, file name, format).</summary>
internal sealed record FileInputBody(string Id)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? MimeType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Filename { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Format { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Url { get; init; }
}
