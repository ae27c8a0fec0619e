using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Token counts and timings of a run, written as AgentOS's <c>RunMetrics</c> (zero counts omitted).</summary>
internal sealed class RunMetricsAccumulator
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private double _previousDuration;

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long TotalTokens { get; set; }

    public long ReasoningTokens { get; set; }

    public long CacheReadTokens { get; set; }

    public double? TimeToFirstToken { get; set; }

    public double? Duration { get; private set; }

    public double Elapsed => Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;

    public void MarkFirstToken() => TimeToFirstToken ??= Elapsed;

    public void Add(UsageDetails usage)
    {
        InputTokens += usage.InputTokenCount ?? 0;
        OutputTokens += usage.OutputTokenCount ?? 0;
        TotalTokens += usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0));
        ReasoningTokens += usage.ReasoningTokenCount ?? 0;
        CacheReadTokens += usage.CachedInputTokenCount ?? 0;
    }

    public void Add(RunMetricsAccumulator other)
    {
        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        TotalTokens += other.TotalTokens;
        ReasoningTokens += other.ReasoningTokens;
        CacheReadTokens += other.CacheReadTokens;
    }

    public void Stop() => Duration = _previousDuration + Elapsed;

    /// <summary>Restores the counts of a stored run (a continued run adds to them).</summary>
    public void Restore(RunMetrics? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        InputTokens = metrics.InputTokens;
        OutputTokens = metrics.OutputTokens;
        TotalTokens = metrics.TotalTokens;
        ReasoningTokens = metrics.ReasoningTokens;
        CacheReadTokens = metrics.CacheReadTokens;
        TimeToFirstToken = metrics.TimeToFirstToken;
        _previousDuration = metrics.Duration ?? 0;
    }

    /// <summary>The run's metrics (AgentOS's <c>RunMetrics.to_dict()</c>: zero counts omitted).</summary>
    public RunMetrics ToMetrics(string modelId, string provider, bool forceDetails = false)
    {
        var metrics = new RunMetrics
        {
            InputTokens = InputTokens,
            OutputTokens = OutputTokens,
            TotalTokens = TotalTokens,
            ReasoningTokens = ReasoningTokens,
            CacheReadTokens = CacheReadTokens,
            TimeToFirstToken = TimeToFirstToken,
            Duration = Duration,
        };
        if (forceDetails || TotalTokens > 0)
        {
            var detail = new ModelMetricsDetail
            {
                InputTokens = Positive(InputTokens),
                OutputTokens = Positive(OutputTokens),
                TotalTokens = Positive(TotalTokens),
                CacheReadTokens = Positive(CacheReadTokens),
                ReasoningTokens = Positive(ReasoningTokens),
                Id = modelId,
                Provider = provider,
            };
            metrics.Details = JsonSerializer.SerializeToElement(new MetricsDetails([detail]), HostWireContext.Default.MetricsDetails);
        }

        return metrics;
    }

    /// <summary>The per-message metrics of an assistant message.</summary>
    public static RunMetrics MessageMetrics(long input, long output, double? ttft) => new()
    {
        InputTokens = Math.Max(input, 0),
        OutputTokens = Math.Max(output, 0),
        TotalTokens = Math.Max(input + output, 0),
        TimeToFirstToken = ttft,
    };

    private static long? Positive(long count) => count > 0 ? count : null;
}

/// <summary>The per-model breakdown of a run's metrics (<c>details</c>).</summary>
internal sealed record MetricsDetails(List<ModelMetricsDetail> Model);

/// <summary>One model's counts in <c>details.model</c>: the counts (zero ones omitted), then the model.</summary>
internal sealed record ModelMetricsDetail
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? InputTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OutputTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TotalTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CacheReadTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ReasoningTokens { get; init; }

    public string? Id { get; init; }

    public string? Provider { get; init; }
}
