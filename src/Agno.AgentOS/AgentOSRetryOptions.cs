namespace Agno.AgentOS;

/// <summary>
/// Retries of idempotent calls (discovery and configuration, reads and lists of sessions, memories, knowledge and
/// stored runs, a resume from a last event index): a connection that cannot be made and the answers 408, 429, 502, 503
/// and 504 are tried again with exponential, jittered backoff that honours <c>Retry-After</c>, within the call's
/// <see cref="AgentOSClientOptions.Timeout"/>. Runs and continues are never retried: they are not idempotent. Built on
/// Microsoft.Extensions.Http.Resilience; each retry is logged (warning) and recorded on the current activity.
/// </summary>
public sealed class AgentOSRetryOptions
{
    /// <summary>Whether idempotent calls are retried. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many times a call is tried again after its first attempt. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The delay before the first retry, doubled for each further one. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts, a server's <c>Retry-After</c> included. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the delays are jittered, so many clients do not retry in step. Default true.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Copies the options.</summary>
    /// <returns>A copy.</returns>
    public AgentOSRetryOptions Clone() => (AgentOSRetryOptions)MemberwiseClone();

    /// <summary>Describes the options.</summary>
    /// <returns>A description.</returns>
    public override string ToString()
        => Enabled ? $"retries {MaxRetryAttempts} from {BaseDelay} to {MaxDelay}{(UseJitter ? ", jittered" : string.Empty)}" : "no retries";
}
