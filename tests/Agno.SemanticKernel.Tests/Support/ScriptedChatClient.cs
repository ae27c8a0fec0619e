using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agno.SemanticKernel.Tests.Support;

/// <summary>
/// A chat model that answers from a script: each call gets the conversation and the tools on offer and
/// returns the next response. Records every call.
/// </summary>
public sealed class ScriptedChatClient(Func<ScriptedChatClient.Call, ChatResponse> script) : IChatClient
{
    private readonly object _gate = new();
    private readonly List<Call> _calls = [];

    /// <summary>A text-only script: the n-th call (0-based) answers <paramref name="answers"/>[n] (the last one repeats).</summary>
    public ScriptedChatClient(params string[] answers)
        : this(call => new ChatResponse(new ChatMessage(ChatRole.Assistant, answers[Math.Min(call.Index, answers.Length - 1)])))
    {
    }

    /// <summary>One call: its 0-based index, the messages and the options (tools) it got.</summary>
    public sealed record Call(int Index, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);

    public IReadOnlyList<Call> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Call call;
        lock (_gate)
        {
            call = new Call(_calls.Count, [.. messages], options);
            _calls.Add(call);
        }

        return Task.FromResult(script(call));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>A kernel whose chat completion service is this client, with SK's automatic function invocation.</summary>
    public Kernel CreateKernel(Action<IKernelBuilder>? configure = null)
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(new ChatClientBuilder(this).UseKernelFunctionInvocation().Build().AsChatCompletionService());
        configure?.Invoke(builder);
        return builder.Build();
    }
}
