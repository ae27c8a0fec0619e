using System.Diagnostics.CodeAnalysis;
using Agno.AgentOS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="AgentOSClient"/> in a service collection.</summary>
public static class AgentOSServiceCollectionExtensions
{
    /// <summary>The configuration section read by <see cref="AddAgnoAgentOS(IServiceCollection, IConfiguration)"/> callers by convention.</summary>
    public const string DefaultConfigurationSection = "Agno:AgentOS";

    /// <summary>
    /// Registers a singleton <see cref="AgentOSClient"/> configured in code, sending through
    /// <see cref="IHttpClientFactory"/>. The options are validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <see cref="AgentOSClientOptions.BaseAddress"/>).</param>
    /// <returns>A builder for further registrations (remote agents as chat clients, tools, ...).</returns>
    public static AgentOSBuilder AddAgnoAgentOS(this IServiceCollection services, Action<AgentOSClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, Options.Options.DefaultName, keyed: false, b => b.Configure(configure));
    }

    /// <summary>Registers a singleton <see cref="AgentOSClient"/> bound to a configuration section (e.g. <c>Agno:AgentOS</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section: <c>BaseAddress</c>, <c>ApiKey</c>, <c>Timeout</c>, <c>StreamIdleTimeout</c>, ...</param>
    /// <returns>A builder for further registrations.</returns>
    public static AgentOSBuilder AddAgnoAgentOS(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, Options.Options.DefaultName, keyed: false, b => b.Bind(configuration));
    }

    /// <summary>
    /// Registers a named server as a keyed singleton <see cref="AgentOSClient"/> (resolve it with
    /// <c>[FromKeyedServices(name)]</c> or <c>GetRequiredKeyedService&lt;AgentOSClient&gt;(name)</c>), so several
    /// servers can be used side by side.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The server's name (service key, options name and HttpClient name).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder for further registrations.</returns>
    public static AgentOSBuilder AddAgnoAgentOS(this IServiceCollection services, string name, Action<AgentOSClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, name, keyed: true, b => b.Configure(configure));
    }

    /// <summary>Registers a named server bound to a configuration section, as a keyed singleton.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The server's name.</param>
    /// <param name="configuration">The section.</param>
    /// <returns>A builder for further registrations.</returns>
    public static AgentOSBuilder AddAgnoAgentOS(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, name, keyed: true, b => b.Bind(configuration));
    }

    private static AgentOSBuilder AddCore(IServiceCollection services, string name, bool keyed, Action<OptionsBuilder<AgentOSClientOptions>> configure)
    {
        var optionsBuilder = services.AddOptions<AgentOSClientOptions>(name);
        configure(optionsBuilder);
        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOSClientOptions>, AgentOSClientOptionsValidator>());

        string httpClientName = HttpClientName(name);
        var httpClient = services.AddHttpClient(httpClientName);
        httpClient
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(AgentOSClient.CreateTrackedHttpHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        if (keyed)
        {
            services.TryAddKeyedSingleton(name, (sp, _) => Create(sp, name));
        }
        else
        {
            services.TryAddSingleton(sp => Create(sp, name));
        }

        return new AgentOSBuilder(services, name, keyed, httpClient);
    }

    internal static string HttpClientName(string name) => "Agno.AgentOS:" + name;

    private static AgentOSClient Create(IServiceProvider sp, string name)
    {
        var options = sp.GetRequiredService<IOptionsMonitor<AgentOSClientOptions>>().Get(name);
        if (options.TokenProvider is null && (sp.GetKeyedService<AgentOSTokenProvider>(name) ?? sp.GetService<AgentOSTokenProvider>()) is { } tokens)
        {
            options = options.Clone();
            options.TokenProvider = tokens;
        }

        string httpClientName = HttpClientName(name);
        var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName);
        // The handler lifetime is infinite, so this is the chain the client sends through: connection tracking stays on
        // unless the primary handler was replaced through AgentOSBuilder.HttpClient.
        bool tracked = AgentOSClient.EndsInTrackedHandler(sp.GetService<IHttpMessageHandlerFactory>()?.CreateHandler(httpClientName));
        return new AgentOSClient(options, http, sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>(), tracked);
    }
}

/// <summary>Returned by <c>AddAgnoAgentOS</c>: the registration of one server, for adapters to build on.</summary>
public sealed class AgentOSBuilder
{
    internal AgentOSBuilder(IServiceCollection services, string name, bool keyed, IHttpClientBuilder httpClient)
    {
        HttpClient = httpClient;
        Services = services;
        Name = name;
        IsKeyed = keyed;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The named HttpClient the client sends through: add a <see cref="DelegatingHandler"/>, a proxy, a client
    /// certificate, or <c>AddStandardResilienceHandler</c> here (then set <see cref="AgentOSRetryOptions.Enabled"/> to
    /// false, or idempotent calls are retried by both). Its primary handler is the one the client creates for itself
    /// (the settings of <see cref="AgentOSClient.CreateHttpHandler"/>, with the client's connection tracking). Replacing it
    /// turns the tracking off (a 5xx no longer retires its connection; a failed run is never sent again); a replacement
    /// should keep those settings, so a cancelled stream stops the run.
    /// </summary>
    public IHttpClientBuilder HttpClient { get; }

    /// <summary>The server's name (the options name; the service key when <see cref="IsKeyed"/>).</summary>
    public string Name { get; }

    /// <summary>Whether the client is registered as a keyed service under <see cref="Name"/>.</summary>
    public bool IsKeyed { get; }

    /// <summary>Resolves this registration's client.</summary>
    /// <param name="services">The service provider.</param>
    /// <returns>The client.</returns>
    public AgentOSClient GetClient(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return IsKeyed ? services.GetRequiredKeyedService<AgentOSClient>(Name) : services.GetRequiredService<AgentOSClient>();
    }
}

[SuppressMessage("Performance", "CA1812", Justification = "Instantiated by dependency injection.")]
internal sealed class AgentOSClientOptionsValidator : IValidateOptions<AgentOSClientOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOSClientOptions options)
    {
        try
        {
            AgentOSClient.Validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            string which = string.IsNullOrEmpty(name) ? "the AgentOS server" : $"AgentOS server '{name}'";
            return ValidateOptionsResult.Fail($"Invalid options for {which}: {ex.Message.Replace(" (Parameter 'options')", string.Empty, StringComparison.Ordinal)}");
        }
    }
}
