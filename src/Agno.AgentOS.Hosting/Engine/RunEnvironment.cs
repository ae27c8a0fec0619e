using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>What every run needs from the host: options, clock and logger.</summary>
internal sealed class RunEnvironment
{
    public RunEnvironment(AgentOSHostOptions options, TimeProvider time, ILogger logger)
    {
        Options = options;
        Time = time;
        Logger = logger;
    }

    public AgentOSHostOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Creates the admin approvals of paused runs (null: the host serves no approvals).</summary>
    public ApprovalCoordinator? Approvals { get; set; }

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    public double NowSeconds => Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000d;
}
