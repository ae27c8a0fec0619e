using System.Runtime.CompilerServices;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Testing;

/// <summary>
/// A chat client that answers with a script (a function of the conversation): for samples and tests that need a
/// deterministic model that calls tools, asks for approval (<see cref="ToolApprovalRequestContent"/>) or input
/// (<see cref="AgnoInputRequestContent"/>), delegates in a team, or fails. Each content the script returns is
/// streamed as one update (text is split into words); 10 input / 5 output tokens are reported per call.
/// It keeps the latest <see cref="MaxRecordedCalls"/> conversations in <see cref="Calls"/> (not all of them), so a
/// sample that serves it for hours holds a bounded amount of memory.
/// </summary>
/// <example>
/// <code>
/// var client = new ScriptedChatClient(turn => turn.LastUserText.StartsWith("delete")
///     ? [new ToolApprovalRequestContent("req-1", new FunctionCallContent("call-1", "delete_record", new Dictionary&lt;string, object?&gt; { ["id"] = "42" }))]
///     : [new TextContent("Done: " + turn.LastUserText)]);
/// </code>
/// </example>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<ScriptedChatContext, IEnumerable<AIContent>> _script;
    private readonly ChatClientMetadata _metadata;
    private readonly Queue<IReadOnlyList<ChatMessage>> _calls = new();
    private int _callCount;
    private int _maxRecordedCalls = DefaultMaxRecordedCalls;

    /// <summary>How many conversations <see cref="Calls"/> keeps unless <see cref="MaxRecordedCalls"/> is set: 100.</summary>
    public const int DefaultMaxRecordedCalls = 100;

    /// <summary>Creates a scripted client.</summary>
    /// <param name="script">Returns the contents of the answer for a conversation.</param>
    /// <param name="modelId">The model id it reports.</param>
    /// <param name="providerName">The provider name it reports.</param>
    public ScriptedChatClient(Func<ScriptedChatContext, IEnumerable<AIContent>> script, string modelId = "scripted-model", string providerName = "Scripted")
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
        _metadata = new ChatClientMetadata(providerName, null, modelId);
    }

    /// <summary>A pause before each streamed update (to demonstrate or test cancellation). Zero by default.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Whether text contents are streamed word by word (on by default).</summary>
    public bool SplitWords { get; set; } = true;

    /// <summary>How many calls were made.</summary>
    public int CallCount => _callCount;

    /// <summary>
    /// How many of the latest conversations <see cref="Calls"/> keeps (<see cref="DefaultMaxRecordedCalls"/> by
    /// default; 0 records none). When a call would exceed it the oldest recorded conversation is dropped;
    /// <see cref="CallCount"/> still counts every call. Lowering it drops the oldest ones at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRecordedCalls
    {
        get => Volatile.Read(ref _maxRecordedCalls);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_calls)
            {
                _maxRecordedCalls = value;
                Trim();
            }
        }
    }

    /// <summary>
    /// The latest conversations received (at most <see cref="MaxRecordedCalls"/>), oldest first, a copy of each:
    /// a snapshot taken when read. With fewer calls than the limit, <c>Calls[0]</c> is the first call.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Splits text into words, each keeping the spaces that follow it.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The pieces; concatenated they give the text back.</returns>
    public static IEnumerable<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ' && (i + 1 == text.Length || text[i + 1] != ' '))
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

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
        var list = messages.ToList();
        lock (_calls)
        {
            if (_maxRecordedCalls > 0)
            {
                _calls.Enqueue(list);
                Trim();
            }
        }

        var contents = _script(new ScriptedChatContext(list, options, cancellationToken)).ToList();
        string responseId = Guid.NewGuid().ToString("N");
        string toolMessageId = responseId + "-tool";
        string afterToolId = responseId + "-2";
        bool afterTool = false;
        foreach (var content in contents)
        {
            var pieces = content is TextContent text && SplitWords ? Words(text.Text).Select(w => (AIContent)new TextContent(w)) : [content];
            foreach (var piece in pieces)
            {
                if (ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ChunkDelay, cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                bool isResult = piece is FunctionResultContent;
                afterTool |= isResult;
                yield return new ChatResponseUpdate(isResult ? ChatRole.Tool : ChatRole.Assistant, [piece])
                {
                    ResponseId = responseId,
                    MessageId = isResult ? toolMessageId : afterTool ? afterToolId : responseId,
                };
            }
        }

        if (!contents.Any(c => c is UsageContent))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 })])
            {
                ResponseId = responseId,
                MessageId = afterTool ? afterToolId : responseId,
            };
        }
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

    private void Trim()
    {
        while (_calls.Count > _maxRecordedCalls)
        {
            _calls.Dequeue();
        }
    }
}

/// <summary>What a <see cref="ScriptedChatClient"/> script sees.</summary>
public sealed class ScriptedChatContext
{
    internal ScriptedChatContext(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        Messages = messages;
        Options = options;
        CancellationToken = cancellationToken;
        var users = messages.Where(m => m.Role == ChatRole.User && m.Contents.OfType<TextContent>().Any()).ToList();
        Turn = users.Count;
        LastUserText = users.Count == 0 ? string.Empty : users[^1].Text;
        var lastMessage = messages.Count == 0 ? null : messages[^1];
        var trailing = messages.Reverse().TakeWhile(m => m.Role != ChatRole.Assistant).SelectMany(m => m.Contents).ToList();
        ApprovalResponses = trailing.OfType<ToolApprovalResponseContent>().ToList();
        InputResponses = trailing.OfType<AgnoInputResponseContent>().ToList();
        FunctionResults = trailing.OfType<FunctionResultContent>().ToList();
        LastMessage = lastMessage;
    }

    /// <summary>The conversation.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>The options (tools, response format).</summary>
    public ChatOptions? Options { get; }

    /// <summary>Cancelled when the run is.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>How many user text messages the conversation has (1 on a new session's first run).</summary>
    public int Turn { get; }

    /// <summary>The last user text message.</summary>
    public string LastUserText { get; }

    /// <summary>The last message of the conversation.</summary>
    public ChatMessage? LastMessage { get; }

    /// <summary>Approval answers sent after the last assistant message (a continued run).</summary>
    public IReadOnlyList<ToolApprovalResponseContent> ApprovalResponses { get; }

    /// <summary>User-input answers sent after the last assistant message (a continued run).</summary>
    public IReadOnlyList<AgnoInputResponseContent> InputResponses { get; }

    /// <summary>Tool results after the last assistant message (tools the host ran, or external results).</summary>
    public IReadOnlyList<FunctionResultContent> FunctionResults { get; }
}
