namespace Agno.AgentOS.Hosting;

/// <summary>
/// Cross-origin resource sharing as AgentOS does it, so that browser apps on another origin (agno's Agent UI, the
/// hosted control plane <c>os.agno.com</c>, your own web UI) can call the host. On by default for AgentOS's default
/// origins; the host answers every route's preflight, allows credentials, every method and every request header, and
/// refuses a preflight from any other origin with <c>400 Disallowed CORS origin</c> (Starlette's CORS middleware
/// behind AgentOS does exactly this).
/// </summary>
public sealed class AgentOSCorsOptions
{
    /// <summary>
    /// AgentOS's default origins: <c>http://localhost:3000</c> (Agent UI's development server), <c>https://agno.com</c>,
    /// <c>https://www.agno.com</c>, <c>https://app.agno.com</c>, <c>https://os-stg.agno.com</c> and
    /// <c>https://os.agno.com</c> (the AgentOS control plane).
    /// </summary>
    public static IReadOnlyList<string> DefaultAllowedOrigins { get; } =
    [
        "http://localhost:3000",
        "https://agno.com",
        "https://www.agno.com",
        "https://app.agno.com",
        "https://os-stg.agno.com",
        "https://os.agno.com",
    ];

    /// <summary>Whether the host answers CORS at all (default <c>true</c>). Turn it off to use ASP.NET Core's own CORS middleware instead.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The allowed origins (scheme, host and port, exactly as browsers send them in <c>Origin</c>, e.g.
    /// <c>https://ui.example.com</c>). When set and not empty they replace <see cref="DefaultAllowedOrigins"/>, as
    /// AgentOS's <c>cors_allowed_origins</c> does; <c>*</c> is ignored (as AgentOS drops it: credentials are allowed,
    /// so every origin is named). Bindable from configuration, e.g. <c>AgentOS:Cors:AllowedOrigins:0</c>.
    /// </summary>
#pragma warning disable CA2227 // bound from configuration: the binder sets the list
    public IList<string>? AllowedOrigins { get; set; }
#pragma warning restore CA2227

    /// <summary>The origins in effect: <see cref="AllowedOrigins"/> when any are set, otherwise the defaults; without <c>*</c>.</summary>
    /// <returns>The origins.</returns>
    public IReadOnlyList<string> ResolveOrigins()
    {
        var configured = AllowedOrigins?.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim()).ToList();
        var origins = configured is { Count: > 0 } ? configured : [.. DefaultAllowedOrigins];
        return origins.Where(o => o != "*").Distinct(StringComparer.Ordinal).ToList();
    }
}
