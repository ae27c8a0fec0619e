using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Testing;

/// <summary>
/// A deterministic offline chat client for samples and tests (no LLM): it answers
/// <c>"{Prefix}{last user message}[ [images=N files=M]] (turn N)"</c>, where N counts the user messages it was
/// sent (so session history shows), streamed word by word, and reports 10 input / 5 output tokens per call.
/// With a JSON-schema response format it answers a JSON object that fits the schema's properties. The same
/// behaviour as the echo model AgentOS's recorded fixtures were made with.
/// </summary>
public sealed class EchoChatClient : IChatClient
{
    private readonly ChatClientMetadata _metadata;
    private int _callCount;

    /// <summary>Creates an echo client.</summary>
    /// <param name="prefix">Put before the echoed text (<c>Echo: </c> by default).</param>
    /// <param name="modelId">The model id it reports.</param>
    /// <param name="providerName">The provider name it reports.</param>
    public EchoChatClient(string prefix = "Echo: ", string modelId = "echo-model", string providerName = "Echo")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Prefix = prefix;
        _metadata = new ChatClientMetadata(providerName, null, modelId);
    }

    /// <summary>Put before the echoed text.</summary>
    public string Prefix { get; }

    /// <summary>A pause before each streamed word (to demonstrate or test cancellation). Zero by default.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>How many calls were made.</summary>
    public int CallCount => _callCount;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Interlocked.Increment(ref _callCount);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var userMessages = list.Where(m => m.Role == ChatRole.User && m.Contents.OfType<TextContent>().Any()).ToList();
        string last = userMessages.Count == 0 ? string.Empty : userMessages[^1].Text;
        int images = 0, files = 0;
        foreach (var content in userMessages.Count == 0 ? [] : userMessages[^1].Contents)
        {
            if (content is DataContent data)
            {
                if (data.HasTopLevelMediaType("image")) { images++; } else { files++; }
            }
            else if (content is UriContent uri)
            {
                if (uri.HasTopLevelMediaType("image")) { images++; } else { files++; }
            }
        }

        string media = images + files == 0 ? string.Empty
            : " [" + string.Join(' ', new[] { images > 0 ? $"images={images}" : null, files > 0 ? $"files={files}" : null }.Where(s => s is not null)) + "]";
        string answer = $"{Prefix}{last}{media} (turn {userMessages.Count})";
        string responseId = Guid.NewGuid().ToString("N");
        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema })
        {
            yield return Update(responseId, new TextContent(StructuredAnswer(schema, last)));
        }
        else
        {
            foreach (var word in ScriptedChatClient.Words(answer))
            {
                if (ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ChunkDelay, cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                yield return Update(responseId, new TextContent(word));
            }
        }

        yield return Update(responseId, new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 }));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static ChatResponseUpdate Update(string responseId, AIContent content)
        => new(ChatRole.Assistant, [content]) { ResponseId = responseId, MessageId = responseId };

    private static string StructuredAnswer(JsonElement schema, string text)
    {
        var o = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in properties.EnumerateObject())
            {
                string type = p.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "string";
                o[p.Name] = type switch
                {
                    "integer" => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length,
                    "number" => 1.0,
                    "boolean" => true,
                    "array" => new JsonArray($"{p.Name}: {text}"),
                    "object" => new JsonObject(),
                    _ => $"{p.Name}: {text}",
                };
            }
        }

        return o.ToJsonString();
    }
}
