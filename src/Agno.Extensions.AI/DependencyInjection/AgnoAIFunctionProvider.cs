using System.Collections.ObjectModel;
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
    private readonly Func<AgentOSComponentKind, ComponentSummary, bool>? _filter;
    private readonly AgnoAIFunctionOptions? _options;
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<AIFunction>>? _tools;

    /// <summary>Creates a provider.</summary>
    /// <param name="client">The server's client.</param>
    /// <param name="filter">Keeps a component when it returns true; null keeps all.</param>
    /// <param name="options">Options of every tool.</param>
    public AgnoAIFunctionProvider(AgentOSClient client, Func<AgentOSComponentKind, ComponentSummary, bool>? filter = null, AgnoAIFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _filter = filter;
        _options = options?.Clone();
    }

    /// <summary>
    /// The tools, discovered on the first call (a failed discovery is retried on the next call). The list is shared by
    /// every caller and read-only: copy it to add local tools (<c>Tools = [.. tools, myTool]</c>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (a shared discovery goes on for the others).</param>
    /// <returns>The tools.</returns>
    public Task<IReadOnlyList<AIFunction>> GetAIFunctionsAsync(CancellationToken cancellationToken = default)
    {
        Task<IReadOnlyList<AIFunction>> task;
        lock (_gate)
        {
            if (_tools is null || _tools.IsFaulted || _tools.IsCanceled)
            {
                _tools = DiscoverAsync();
            }

            task = _tools;
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<AIFunction>> DiscoverAsync()
    {
        var tools = await _client.GetAIFunctionsAsync(_filter, _options, CancellationToken.None).ConfigureAwait(false);
        return new ReadOnlyCollection<AIFunction>([.. tools]);
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
