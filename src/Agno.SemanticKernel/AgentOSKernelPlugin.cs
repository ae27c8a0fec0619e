using System.Diagnostics.CodeAnalysis;
using Agno.AgentOS;
using Microsoft.SemanticKernel;

namespace Agno.SemanticKernel;

/// <summary>
/// The kernel plugin of an AgentOS server registered in a container (<c>AddKernelPlugin</c>,
/// <c>Plugins.AddFromAgentOS</c>): its functions are the server's components, discovered on first use, not when the
/// container resolves it. Resolving it (or a <see cref="Kernel"/> that has it) makes no call, so a server that is down
/// or hung cannot fail or block the container.
/// </summary>
/// <remarks>
/// The first use of its functions (SK enumerates them synchronously, e.g. when a model gets its tools) fetches the
/// server's configuration once; concurrent users share the fetch. Call <see cref="LoadAsync"/> first (at start-up, or
/// before the first prompt) to make that fetch asynchronously. A failed fetch is not kept: the failure surfaces where the
/// functions were used (e.g. <see cref="AgentOSServerUnavailableException"/>), and the next use tries again.
/// </remarks>
public sealed class AgentOSKernelPlugin : KernelPlugin
{
    private readonly Func<CancellationToken, Task<KernelPlugin>> _discover;
    private readonly object _gate = new();
    private Task<KernelPlugin>? _loading;
    private KernelPlugin? _loaded;

    internal AgentOSKernelPlugin(string name, string description, Func<CancellationToken, Task<KernelPlugin>> discover)
        : base(name, description)
    {
        _discover = discover;
    }

    /// <summary>Whether the server's components have been discovered (no call is made).</summary>
    public bool IsLoaded => Volatile.Read(ref _loaded) is not null;

    /// <inheritdoc />
    /// <remarks>Discovers the server's components on first use (see <see cref="LoadAsync"/>).</remarks>
    public override int FunctionCount => Loaded.FunctionCount;

    private KernelPlugin Loaded => Volatile.Read(ref _loaded) ?? WaitForLoad();

    /// <summary>
    /// Discovers the server's components now (one <c>GET /config</c>) unless that is done; concurrent callers share one
    /// fetch. After it, using the plugin makes no further discovery call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (a shared fetch goes on for the others).</param>
    /// <returns>A task that completes when the functions are known.</returns>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
        => await LoadingTask().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>Discovers the server's components on first use (see <see cref="LoadAsync"/>).</remarks>
    public override bool TryGetFunction(string name, [NotNullWhen(true)] out KernelFunction? function)
        => Loaded.TryGetFunction(name, out function);

    /// <inheritdoc />
    /// <remarks>Discovers the server's components on first use (see <see cref="LoadAsync"/>).</remarks>
    public override IEnumerator<KernelFunction> GetEnumerator() => Loaded.GetEnumerator();

    private Task<KernelPlugin> LoadingTask()
    {
        lock (_gate)
        {
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                _loading = DiscoverAsync();
            }

            return _loading;
        }
    }

    private async Task<KernelPlugin> DiscoverAsync()
    {
        var plugin = await _discover(CancellationToken.None).ConfigureAwait(false);
        Volatile.Write(ref _loaded, plugin);
        return plugin;
    }

    [SuppressMessage("Usage", "VSTHRD002:Avoid problematic synchronous waits", Justification = "KernelPlugin's members are synchronous; the fetch runs on the thread pool (no captured context), once, on first use. LoadAsync avoids it.")]
    private KernelPlugin WaitForLoad() => Task.Run(LoadingTask).GetAwaiter().GetResult();
}
