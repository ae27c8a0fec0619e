using Agno.AgentOS.Hosting.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agno.AgentOS.Hosting;

/// <summary>Registers an AgentOS host (serve it with <see cref="AgentOSEndpointRouteBuilderExtensions.MapAgentOS"/>).</summary>
public static class AgentOSHostServiceCollectionExtensions
{
    /// <summary>Adds an AgentOS host.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (id, name, security key, limits).</param>
    /// <returns>A builder to add agents, teams, workflows, remote components and the session store.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAgentOS(o => o.OsId = "my-os")
    ///     .AddAgent("assistant", chatClient, a => a.Instructions = "Be brief.");
    /// var app = builder.Build();
    /// app.MapAgentOS();
    /// </code>
    /// </example>
    public static AgentOSHostBuilder AddAgentOS(this IServiceCollection services, Action<AgentOSHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<AgentOSHostOptions>().ValidateDataAnnotations();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        return Core(services);
    }

    /// <summary>Adds an AgentOS host whose options are bound from configuration (e.g. the <c>AgentOS</c> section).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="AgentOSHostOptions"/> values.</param>
    /// <returns>A builder to add agents, teams, workflows, remote components and the session store.</returns>
    public static AgentOSHostBuilder AddAgentOS(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AgentOSHostOptions>().Bind(configuration).ValidateDataAnnotations();
        return Core(services);
    }

    private static AgentOSHostBuilder Core(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(ComponentRegistrations))?.ImplementationInstance as ComponentRegistrations;
        var registrations = existing ?? new ComponentRegistrations();
        if (existing is null)
        {
            services.AddSingleton(registrations);
        }

        services.TryAddSingleton<IAgentOSSessionStore, InMemoryAgentOSSessionStore>();
        services.TryAddSingleton<IAgentOSApprovalStore, InMemoryAgentOSApprovalStore>();
        services.TryAddSingleton<IAgentOSRunEventStore>(sp => new InMemoryAgentOSRunEventStore(timeProvider: sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<Microsoft.AspNetCore.Hosting.IStartupFilter, HostStartupFilter>());
        services.TryAddSingleton<RequestHeadLimits>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, KestrelHeadLimitsSetup>());
        services.TryAddSingleton(sp => new AgentOSRuntime(
            sp.GetRequiredService<IOptions<AgentOSHostOptions>>(),
            sp.GetRequiredService<ComponentRegistrations>(),
            sp,
            sp.GetRequiredService<IAgentOSSessionStore>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetRequiredService<IAgentOSRunEventStore>()));
        return new AgentOSHostBuilder(services, registrations);
    }
}
