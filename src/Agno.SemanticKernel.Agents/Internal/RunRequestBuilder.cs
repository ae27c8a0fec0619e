using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agno.SemanticKernel.Internal;

/// <summary>
/// Turns the new messages of a turn, the invocation options and the kernel arguments into a
/// <see cref="RunRequest"/>. Never throws on a role or content type: text goes into the message, media
/// into the media fields, and what the remote component has no use for is left out.
/// </summary>
internal static partial class RunRequestBuilder
{
    public static RunRequest Build(
        IReadOnlyList<ChatMessageContent> messages,
        AgentOSAgentThread thread,
        KernelArguments? agentArguments,
        AgentInvokeOptions? invokeOptions,
        AgentOSAgentOptions options,
        ILogger logger,
        string? contextInstructions = null)
    {
        var turn = new List<ChatMessageContent>(messages.Count + 2);
        if (!string.IsNullOrWhiteSpace(invokeOptions?.AdditionalInstructions))
        {
            turn.Add(new ChatMessageContent(AuthorRole.System, invokeOptions.AdditionalInstructions));
        }

        if (!string.IsNullOrWhiteSpace(contextInstructions))
        {
            turn.Add(new ChatMessageContent(AuthorRole.System, contextInstructions));
        }

        turn.AddRange(messages);

        string text = options.MessageFormatter is { } formatter ? formatter(turn) : FormatTranscript(turn);
        var request = new RunRequest(string.IsNullOrWhiteSpace(text) ? options.EmptyInputMessage : text)
        {
            SessionId = thread.SessionId,
            UserId = thread.UserId,
        };

        foreach (var message in messages)
        {
            AddMedia(request, message);
        }

        ApplyArguments(request, Merge(agentArguments, invokeOptions?.KernelArguments), options.ForwardArgumentsAsDependencies, logger);
        options.ConfigureRequest?.Invoke(request, invokeOptions);
        return request;
    }

    /// <summary>
    /// The default message text, with the instructions policy of the adapters (<see cref="TurnText"/>): the system
    /// messages (the additional instructions first) lead, one <c>system: text</c> paragraph each; then the text of
    /// each other message that has some, as <c>author: text</c> paragraphs, or just the text when that is a single
    /// user message.
    /// </summary>
    public static string FormatTranscript(IReadOnlyList<ChatMessageContent> messages)
    {
        var instructions = new List<string>();
        var said = new List<(ChatMessageContent Message, string Text)>(messages.Count);
        foreach (var message in messages)
        {
            string text = TextOf(message);
            if (text.Length == 0)
            {
                continue;
            }

            if (message.Role == AuthorRole.System)
            {
                instructions.Add(text);
            }
            else
            {
                said.Add((message, text));
            }
        }

        string body = said is [var only] && only.Message.Role == AuthorRole.User
            ? only.Text
            : string.Join("\n\n", said.Select(s => $"{AuthorOf(s.Message)}: {s.Text}"));
        return TurnText.Compose(instructions, body);
    }

    private static string AuthorOf(ChatMessageContent message)
        => !string.IsNullOrWhiteSpace(message.AuthorName) ? message.AuthorName : message.Role.Label;

    /// <summary>
    /// The text of a message: its text items. Function calls and results (another agent's internal steps,
    /// e.g. a handoff) are left out, as SK's service-hosted agents leave them out of their threads; media
    /// travels separately; reasoning and annotations have no place in what was said.
    /// </summary>
    internal static string TextOf(ChatMessageContent message)
    {
        var parts = new List<string>();
        foreach (var item in message.Items)
        {
            string? part = item switch
            {
                TextContent t => t.Text,
#pragma warning disable SKEXP0110 // FileReferenceContent is experimental; only recognised here.
                FileReferenceContent file => $"[file {file.FileId}]",
#pragma warning restore SKEXP0110
                _ => null,
            };

            if (!string.IsNullOrWhiteSpace(part))
            {
                parts.Add(part);
            }
        }

        if (parts.Count == 0 && message.Items.Count == 0 && !string.IsNullOrWhiteSpace(message.Content))
        {
            parts.Add(message.Content);
        }

        return string.Join("\n", parts);
    }

    private static string InvariantText(object? value) => value switch
    {
        null => "null",
        string s => s,
        JsonNode n => n.ToJsonString(),
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void AddMedia(RunRequest request, ChatMessageContent message)
    {
        foreach (var item in message.Items)
        {
            switch (item)
            {
                case ImageContent image when ToMedia(image, "image/png") is { } media:
                    request.Images.Add(media);
                    break;
#pragma warning disable SKEXP0001 // AudioContent / BinaryContent are experimental; read here as data.
                case AudioContent audio when ToMedia(audio, "audio/wav") is { } media:
                    request.Audio.Add(media);
                    break;
                case BinaryContent binary when binary is not ImageContent and not AudioContent && ToMedia(binary, "application/octet-stream") is { } media:
                    request.InputFiles.Add(media);
                    break;
#pragma warning restore SKEXP0001
            }
        }
    }

#pragma warning disable SKEXP0001 // BinaryContent is experimental.
    private static MediaItem? ToMedia(BinaryContent content, string defaultMimeType)
    {
        string mimeType = content.MimeType ?? defaultMimeType;
        if (content.CanRead && content.Data is { } data)
        {
            return MediaItem.FromBytes(data, mimeType);
        }

        if (content.Uri is { IsAbsoluteUri: true } uri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return MediaItem.FromUrl(uri, content.MimeType);
        }

        return null;
    }
#pragma warning restore SKEXP0001

    private static Dictionary<string, object?> Merge(KernelArguments? agentArguments, KernelArguments? callArguments)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var arguments in new[] { agentArguments, callArguments })
        {
            if (arguments is null)
            {
                continue;
            }

            foreach (var (name, value) in arguments)
            {
                merged[name] = value;
            }
        }

        return merged;
    }

    /// <summary>
    /// Maps kernel arguments: names of run request fields set those fields; with <paramref name="forwardOthers"/>,
    /// every other non-null argument that is a JSON value goes into <c>dependencies</c> (what the remote agent's tools
    /// and instructions can read); otherwise the others stay here.
    /// </summary>
    private static void ApplyArguments(RunRequest request, Dictionary<string, object?> arguments, bool forwardOthers, ILogger logger)
    {
        JsonObject? extraDependencies = null;
        foreach (var (name, value) in arguments)
        {
            if (value is null)
            {
                continue;
            }

            switch (name)
            {
                case "user_id":
                    request.UserId = InvariantText(value);
                    break;
                case "session_state":
                    request.SessionState = ToObject(value, name);
                    break;
                case "dependencies":
                    request.Dependencies = Combine(request.Dependencies, ToObject(value, name));
                    break;
                case "metadata":
                    request.Metadata = ToObject(value, name);
                    break;
                case "knowledge_filters":
                    request.KnowledgeFilters = ToNode(value);
                    break;
                case "output_schema":
                    request.OutputSchema = ToObject(value, name);
                    break;
                case "use_json_schema":
                    request.UseJsonSchema = ToBool(value, name);
                    break;
                case "add_history_to_context":
                    request.AddHistoryToContext = ToBool(value, name);
                    break;
                case "add_dependencies_to_context":
                    request.AddDependenciesToContext = ToBool(value, name);
                    break;
                case "add_session_state_to_context":
                    request.AddSessionStateToContext = ToBool(value, name);
                    break;
                case "version":
                    request.Version = InvariantText(value);
                    break;
                case "additional_data":
                    request.AdditionalData = ToObject(value, name);
                    break;
                default:
                    if (!forwardOthers)
                    {
                        LogArgumentKept(logger, name);
                    }
                    else if (TryDependencyValue(value, out var node, out var error))
                    {
                        (extraDependencies ??= [])[name] = node;
                    }
                    else
                    {
                        LogArgumentNotJson(logger, name, value.GetType().FullName ?? value.GetType().Name, error);
                    }

                    break;
            }
        }

        if (extraDependencies is not null)
        {
            request.Dependencies = Combine(extraDependencies, request.Dependencies);
        }
    }

    /// <summary>
    /// A kernel argument as a dependency value: strings, booleans, numbers and JSON as they are; other objects only
    /// when they serialize to JSON. Never a kernel, a delegate or a service provider (not data, and not the remote
    /// component's business).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Kernel arguments are arbitrary objects; this package is not trimmable (SK is not).")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    private static bool TryDependencyValue(object value, out JsonNode? node, out Exception? error)
    {
        node = null;
        error = null;
        switch (value)
        {
            case Kernel or Delegate or IServiceProvider or Stream or CancellationToken:
                return false;
            case string or bool or JsonNode or JsonElement:
                node = ToNode(value);
                return true;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                node = JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web);
                return true;
        }

        try
        {
            node = JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web);
            return true;
        }
#pragma warning disable CA1031 // whatever serializing an arbitrary object throws (a cycle, an unsupported member type, a getter), the value is left out
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
            return false;
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Kernel argument '{Name}' is not a run field and stays local (AgentOSAgentOptions.ForwardArgumentsAsDependencies is false)")]
    private static partial void LogArgumentKept(ILogger logger, string name);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Kernel argument '{Name}' ({Type}) is not a JSON value and is not sent in the run's dependencies")]
    private static partial void LogArgumentNotJson(ILogger logger, string name, string type, Exception? exception);

    private static JsonObject? Combine(JsonObject? first, JsonObject? second)
    {
        if (first is null)
        {
            return second;
        }

        if (second is null)
        {
            return first;
        }

        var combined = (JsonObject)first.DeepClone();
        foreach (var (key, value) in second)
        {
            combined[key] = value?.DeepClone();
        }

        return combined;
    }

    private static bool ToBool(object value, string name) => value switch
    {
        bool b => b,
        string s when bool.TryParse(s, out bool parsed) => parsed,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw new ArgumentException($"The kernel argument '{name}' must be a boolean; got {value.GetType().Name}.", nameof(value)),
    };

    private static JsonObject ToObject(object value, string name)
        => ToNode(value) as JsonObject
            ?? throw new ArgumentException($"The kernel argument '{name}' must be a JSON object (a JsonObject, an object JsonElement, a dictionary, a JSON text or a serializable object).", nameof(value));

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Kernel arguments are arbitrary objects; this package is not trimmable (SK is not).")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string s when LooksLikeJson(s) => TryParse(s) ?? JsonValue.Create(s),
        string s => JsonValue.Create(s),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web),
    };

    private static bool LooksLikeJson(string s) => s.TrimStart() is ['{', ..] or ['[', ..];

    private static JsonNode? TryParse(string s)
    {
        try
        {
            return JsonNode.Parse(s);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
