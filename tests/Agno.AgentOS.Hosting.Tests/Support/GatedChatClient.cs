using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>
/// A model driven by the test (a server-side gate, no clock): it answers each chunk the test <see cref="Send"/>s, as
/// soon as it is sent, and ends when the test calls <see cref="Finish"/>. Records when it starts and whether the run was
/// cancelled while it waited.
/// </summary>
internal sealed class GatedChatClient : IChatClient
{
    private readonly Channel<string> _chunks = Channel.CreateUnbounded<string>();

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Send(string chunk) => _chunks.Writer.TryWrite(chunk);

    public void Finish() => _chunks.Writer.TryComplete();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            text.Append(update.Text);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Started.TrySetResult();
        var reader = _chunks.Reader;
        while (true)
        {
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }

            if (!more)
            {
                yield break;
            }

            while (reader.TryRead(out var chunk))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { MessageId = "gated" };
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
