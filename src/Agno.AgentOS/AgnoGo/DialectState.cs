using System.Text.Json;

namespace Agno.AgentOS.Internal.AgnoGo;

/// <summary>
/// The dialect of one client's server: fixed by <see cref="AgentOSClientOptions.Dialect"/>, or detected once from
/// <c>GET /health</c> and cached (concurrent first callers share the one request; a failed detection is not cached).
/// Also the guard that keeps routes of the Python dialect from being sent to an agno-go server.
/// </summary>
internal sealed class DialectState
{
    public const string HealthPath = "health";

    private readonly AgentOSPipeline _pipeline;
    private readonly object _gate = new();
    private Task<AgentOSDialect>? _detection;
    private int _known = -1; // the known dialect as an int, -1 while undetected

    public DialectState(AgentOSPipeline pipeline, AgentOSClientOptions options)
    {
        _pipeline = pipeline;
        ApiPath = (options.AgnoGoApiPath ?? AgentOSClientOptions.DefaultAgnoGoApiPath).Trim().Trim('/');
        if (options.Dialect != AgentOSDialect.Auto)
        {
            _known = (int)options.Dialect;
        }
    }

    /// <summary>agno-go's API path under the base address, without surrounding slashes (<c>api/v1</c>).</summary>
    public string ApiPath { get; }

    /// <summary>The dialect when it is known without a request (fixed, or already detected); null while undetected.</summary>
    public AgentOSDialect? Known => Volatile.Read(ref _known) is var k and >= 0 ? (AgentOSDialect)k : null;

    /// <summary>Whether the server is agno-go: at once when known, else after the shared detection.</summary>
    public ValueTask<bool> IsAgnoGoAsync(CancellationToken cancellationToken)
    {
        if (Known is { } known)
        {
            return new ValueTask<bool>(known == AgentOSDialect.AgnoGo);
        }

        return Slow(this, cancellationToken);

        static async ValueTask<bool> Slow(DialectState self, CancellationToken cancellationToken)
            => await self.GetAsync(cancellationToken).ConfigureAwait(false) == AgentOSDialect.AgnoGo;
    }

    /// <summary>The dialect, detected on first use in <see cref="AgentOSDialect.Auto"/> mode.</summary>
    public Task<AgentOSDialect> GetAsync(CancellationToken cancellationToken)
    {
        if (Known is { } known)
        {
            return Task.FromResult(known);
        }

        Task<AgentOSDialect> task;
        lock (_gate)
        {
            if (_detection is null || _detection.IsFaulted || _detection.IsCanceled)
            {
                _detection = DetectAsync();
            }

            task = _detection;
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<AgentOSDialect> DetectAsync()
    {
        await Task.Yield(); // never under the lock
        AgentOSDialect dialect;
        try
        {
            var health = await _pipeline.SendJsonAsync(HttpMethod.Get, HealthPath, null, AgentOSJsonContext.Default.HealthStatus, null, CancellationToken.None).ConfigureAwait(false);
            dialect = health.AdditionalProperties?.TryGetValue("service", out var service) == true
                && service.ValueKind == JsonValueKind.String && service.GetString() == "agentos"
                ? AgentOSDialect.AgnoGo
                : AgentOSDialect.Python;
        }
        catch (AgentOSNotFoundException)
        {
            dialect = AgentOSDialect.Python; // no /health (a proxy that does not route it): the default dialect
        }

        Volatile.Write(ref _known, (int)dialect);
        return dialect;
    }

    /// <summary>
    /// Called by the pipeline before every request: in <see cref="AgentOSDialect.Auto"/> mode it waits for the detection;
    /// on an agno-go server a route that is not agno-go's (anything but health and the API path) throws
    /// <see cref="AgentOSNotSupportedException"/>, so nothing is sent.
    /// </summary>
    public async ValueTask CheckAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (path == HealthPath || Known == AgentOSDialect.Python)
        {
            return;
        }

        if (await IsAgnoGoAsync(cancellationToken).ConfigureAwait(false) && !IsAgnoGoRoute(path))
        {
            throw NotSupported(Describe(path), $"{method.Method} /{path.Split('?', 2)[0]}");
        }
    }

    private bool IsAgnoGoRoute(string path)
        => path.Length > ApiPath.Length && path.StartsWith(ApiPath, StringComparison.Ordinal) && path[ApiPath.Length] is '/' or '?';

    public static AgentOSNotSupportedException NotSupported(string operation, string? detail = null)
        => new($"agno-go's AgentOS does not support {operation}{(detail is null ? string.Empty : $" ({detail})")}; nothing was sent. See \"agno-go servers\" in the README for what the agno-go dialect can do.")
        {
            Dialect = AgentOSDialect.AgnoGo,
            Operation = operation,
        };

    /// <summary>What a route of the Python dialect does, in words.</summary>
    private static string Describe(string path)
    {
        string bare = path.Split('?', 2)[0];
        string first = bare.Split('/', 2)[0];
        if (bare.EndsWith("/cancel", StringComparison.Ordinal)) { return "cancelling a run"; }
        if (bare.EndsWith("/continue", StringComparison.Ordinal)) { return "continuing a paused run"; }
        if (bare.EndsWith("/resume", StringComparison.Ordinal)) { return "resuming a run's stream"; }
        return first switch
        {
            "teams" => "teams",
            "workflows" => "workflows",
            "memories" or "memory_topics" or "user_memory_stats" or "optimize-memories" => "memories",
            "knowledge" => "knowledge of the Python kind",
            "metrics" => "metrics",
            "eval-runs" => "evaluation runs",
            "traces" or "trace_session_stats" => "traces",
            "info" => "server info and version",
            "models" => "the model list",
            "" => "the API home",
            "agents" when bare.Contains("/runs", StringComparison.Ordinal) => "background runs and stored runs of an agent",
            "sessions" => "this session operation",
            _ => $"the route /{bare}",
        };
    }
}
