using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// The tools of one AgentOS server, discovered on first use (<c>GET /config</c>) and kept. Registered by
/// <c>AddAgnoAIFunctions()</c>; resolve it (keyed by the server's name for a named server) and await
/// <see cref="GetAIFunctionsAsync"/>.
/// </summary>
public sealed class AgnoAIFunctionProvider
{
    private readonly AgentOSClient _client;
    private readonly Func<AgnoComponentKind, ComponentSummary, bool>? _filter;
    private readonly AgnoAIFunctionOptions? _options;
    private readonly Lock _gate = new();
    private Task<IList<AIFunction>>? _tools;

    /// <summary>Creates a provider.</summary>
    /// <param name="client">The server's client.</param>
    /// <param name="filter">Keeps a component when it returns true; null keeps all.</param>
    /// <param name="options">Options of every tool.</param>
    public AgnoAIFunctionProvider(AgentOSClient client, Func<AgnoComponentKind, ComponentSummary, bool>? filter = null, AgnoAIFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _filter = filter;
        _options = options?.Clone();
    }

    /// <summary>The tools, discovered on the first call (a failed discovery is retried on the next call).</summary>
    /// <param name="cancellationToken">Cancels the wait (a shared discovery goes on for the others).</param>
    /// <returns>The tools.</returns>
    public Task<IList<AIFunction>> GetAIFunctionsAsync(CancellationToken cancellationToken = default)
    {
        Task<IList<AIFunction>> task;
        lock (_gate)
        {
            if (_tools is null || _tools.IsFaulted || _tools.IsCanceled)
            {
                _tools = _client.GetAIFunctionsAsync(_filter, _options, CancellationToken.None);
            }

            task = _tools;
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the discovered tools: the next call discovers them again.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _tools = null;
        }
    }
}
