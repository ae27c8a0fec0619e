using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// Turns MEAI messages and options into an AgentOS run request.
/// <list type="bullet">
/// <item>With a conversation id (the session id), AgentOS holds the history: only the messages after the last
/// assistant message are sent, their texts joined by a blank line.</item>
/// <item>Without one, a single user message is sent as plain text; a longer history (earlier turns, system
/// messages) is sent as agno's JSON list of <c>{"role", "content"}</c> messages in the <c>message</c> field, the
/// form agno's own clients use to hand history to a remote agent. Messages without text (tool calls and results)
/// are left out: they ran on the server.</item>
/// <item>Instructions (<see cref="TurnText"/>): <see cref="ChatOptions.Instructions"/> and every system message lead
/// the text sent, one <c>system: ...</c> paragraph each (with a conversation id, also the system messages before the
/// last assistant message: they are never dropped). In the JSON list, system messages stay messages of role
/// <c>system</c> and the instructions come first as one more.</item>
/// <item>Images, audio, video and documents (<see cref="DataContent"/>, <see cref="UriContent"/>) of the messages
/// sent become the run's media (JSON fields <c>images</c>, <c>audio</c>, <c>videos</c>, <c>input_files</c>).</item>
/// </list>
/// </summary>
internal static class RequestBuilder
{
    public static IList<ChatMessage> AsList(IEnumerable<ChatMessage> messages)
        => messages as IList<ChatMessage> ?? [.. messages];

    /// <summary>The index of the first message after the last assistant message.</summary>
    public static int TailStart(IList<ChatMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Builds the run request; <see cref="ChatOptions.RawRepresentationFactory"/> may supply a <see cref="RunRequest"/> to start from.</summary>
    public static RunRequest Build(IChatClient client, IList<ChatMessage> messages, int tailStart, ChatOptions? options, AgnoChatClientOptions defaults)
    {
        string? sessionId = options?.ConversationId is { Length: > 0 } c ? c : null;
        var request = options?.RawRepresentationFactory?.Invoke(client) as RunRequest ?? new RunRequest(string.Empty);
        request.SessionId = sessionId ?? request.SessionId;
        request.UserId ??= defaults.UserId;

        bool inSession = request.SessionId is not null;
        int first = inSession ? tailStart : 0;
        string? instructions = options?.Instructions;
        var (message, hasText) = inSession ? SessionMessage(messages, first, instructions) : HistoryMessage(messages, instructions);
        for (int i = first; i < messages.Count; i++)
        {
            if (messages[i].Role != ChatRole.Assistant)
            {
                AddMedia(request, messages[i]);
            }
        }

        if (!hasText && request.Images.Count == 0 && request.Audio.Count == 0 && request.Videos.Count == 0 && request.InputFiles.Count == 0)
        {
            throw new ArgumentException(first > 0
                ? "The messages carry no new input after the last assistant message (with a ConversationId, AgentOS holds the history: send only the new messages)."
                : "The messages carry no input.", nameof(messages));
        }

        request.Message = message;

        if (options is not null)
        {
            ApplyResponseFormat(request, options.ResponseFormat);
            ApplyAdditionalProperties(request, options.AdditionalProperties);
        }

        return request;
    }

    /// <summary>The per-call request options: the call's own, else the client's default.</summary>
    public static AgentOSRequestOptions? RequestOptions(ChatOptions? options, AgnoChatClientOptions defaults)
    {
        if (options?.AdditionalProperties is { } props && props.TryGetValue(AgnoPropertyNames.RequestOptions, out var value) && value is not null)
        {
            return value as AgentOSRequestOptions
                ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{AgnoPropertyNames.RequestOptions}\"] must be an AgentOSRequestOptions.");
        }

        return defaults.RequestOptions;
    }

    /// <summary>The user id of a call: the call's own, else the client's default.</summary>
    public static string? UserId(ChatOptions? options, AgnoChatClientOptions defaults)
    {
        if (options?.AdditionalProperties is { } props && props.TryGetValue(AgnoPropertyNames.UserId, out var value) && value is not null)
        {
            return value as string ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{AgnoPropertyNames.UserId}\"] must be a string.");
        }

        return defaults.UserId;
    }

    /// <summary>
    /// With a session: the instructions and every system message (see <see cref="TurnText"/>), then the texts of the
    /// other messages from <paramref name="first"/> on. Input is any text from <paramref name="first"/> on.
    /// </summary>
    private static (string Message, bool HasText) SessionMessage(IList<ChatMessage> messages, int first, string? instructions)
    {
        var system = new List<string>(2);
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            system.Add(instructions);
        }

        bool newSystemText = false;
        string? single = null;
        StringBuilder? sb = null;
        for (int i = 0; i < messages.Count; i++)
        {
            string text = messages[i].Text;
            if (text.Length == 0)
            {
                continue;
            }

            if (messages[i].Role == ChatRole.System)
            {
                system.Add(text);
                newSystemText |= i >= first;
                continue;
            }

            if (i < first)
            {
                continue;
            }

            if (single is null && sb is null)
            {
                single = text;
                continue;
            }

            sb ??= new StringBuilder(single);
            sb.Append("\n\n").Append(text);
        }

        string body = sb?.ToString() ?? single ?? string.Empty;
        return (TurnText.Compose(system, body), body.Length > 0 || newSystemText);
    }

    /// <summary>Without a session: a single user message as text, otherwise agno's JSON list of messages.</summary>
    private static (string Message, bool HasText) HistoryMessage(IList<ChatMessage> messages, string? instructions)
    {
        bool hasInstructions = !string.IsNullOrWhiteSpace(instructions);
        int withText = 0;
        ChatMessage? only = null;
        foreach (var m in messages)
        {
            if (m.Text.Length > 0)
            {
                withText++;
                only = m;
            }
        }

        if (withText == 0)
        {
            return (hasInstructions ? TurnText.Compose([instructions!], string.Empty) : string.Empty, false);
        }

        if (withText == 1 && only!.Role == ChatRole.User)
        {
            return (hasInstructions ? TurnText.Compose([instructions!], only.Text) : only.Text, true);
        }

        var list = new List<(string Role, string Content)>(withText + 1);
        if (hasInstructions)
        {
            list.Add((ChatRole.System.Value, instructions!));
        }

        foreach (var m in messages)
        {
            string text = m.Text;
            if (text.Length > 0)
            {
                list.Add((m.Role.Value, text));
            }
        }

        return (RunRequest.FromMessages(list).Message, true);
    }

    private static void AddMedia(RunRequest request, ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case DataContent data:
                    var item = MediaItem.FromBytes(data.Data, data.MediaType, data.Name);
                    ListFor(request, data.MediaType).Add(item);
                    break;
                case UriContent uri:
                    ListFor(request, uri.MediaType).Add(MediaItem.FromUrl(uri.Uri, uri.MediaType));
                    break;
            }
        }
    }

    private static IList<MediaItem> ListFor(RunRequest request, string mediaType)
    {
        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return request.Images;
        }

        if (mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            return request.Audio;
        }

        return mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? request.Videos : request.InputFiles;
    }

    private static void ApplyResponseFormat(RunRequest request, ChatResponseFormat? format)
    {
        // Only a JSON schema can be honoured: AgentOS has no per-run "JSON without schema" or "text" switch.
        if (format is not ChatResponseFormatJson { Schema: { } schema } json || request.OutputSchema is not null)
        {
            return;
        }

        if (JsonNode.Parse(schema.GetRawText()) is not JsonObject obj)
        {
            return;
        }

        // agno names the structured output after the schema's title: keep MEAI's schema name and description.
        if (json.SchemaName is { Length: > 0 } name && !obj.ContainsKey("title"))
        {
            obj["title"] = name;
        }

        if (json.SchemaDescription is { Length: > 0 } description && !obj.ContainsKey("description"))
        {
            obj["description"] = description;
        }

        request.OutputSchema = obj;
    }

    private static void ApplyAdditionalProperties(RunRequest request, AdditionalPropertiesDictionary? props)
    {
        if (props is null || props.Count == 0)
        {
            return;
        }

        foreach (var (key, value) in props)
        {
            switch (key)
            {
                case AgnoPropertyNames.UserId:
                    request.UserId = value as string ?? (value is null ? request.UserId : throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] must be a string."));
                    break;
                case AgnoPropertyNames.SessionState:
                    request.SessionState = JsonValues.ToJsonObject(value, key) ?? request.SessionState;
                    break;
                case AgnoPropertyNames.Dependencies:
                    request.Dependencies = JsonValues.ToJsonObject(value, key) ?? request.Dependencies;
                    break;
                case AgnoPropertyNames.Metadata:
                    request.Metadata = JsonValues.ToJsonObject(value, key) ?? request.Metadata;
                    break;
                case AgnoPropertyNames.KnowledgeFilters:
                    request.KnowledgeFilters = JsonValues.ToJsonNode(value, key) ?? request.KnowledgeFilters;
                    break;
                case AgnoPropertyNames.RunParameters:
                    AddRunParameters(request, value, key);
                    break;
            }
        }
    }

    private static void AddRunParameters(RunRequest request, object? value, string key)
    {
        switch (value)
        {
            case null:
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (name, v) in pairs)
                {
                    request.AdditionalFields[name] = v;
                }

                return;
            case JsonObject obj:
                foreach (var (name, v) in obj)
                {
                    request.AdditionalFields[name] = ScalarOrNode(v);
                }

                return;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                foreach (var p in element.EnumerateObject())
                {
                    request.AdditionalFields[p.Name] = p.Value;
                }

                return;
            default:
                throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] must be a dictionary of parameter name to value.");
        }
    }

    private static object? ScalarOrNode(JsonNode? node)
    {
        // Not a conditional expression: string converts implicitly to JsonNode, which would quote it.
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        return node?.DeepClone();
    }
}
