using System.Diagnostics;
using System.Text.Json.Nodes;
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
    public void Restore(JsonObject? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        InputTokens = metrics.GetLong("input_tokens") ?? 0;
        OutputTokens = metrics.GetLong("output_tokens") ?? 0;
        TotalTokens = metrics.GetLong("total_tokens") ?? 0;
        ReasoningTokens = metrics.GetLong("reasoning_tokens") ?? 0;
        CacheReadTokens = metrics.GetLong("cache_read_tokens") ?? 0;
        TimeToFirstToken = Wire.AsDouble(metrics["time_to_first_token"]);
        _previousDuration = Wire.AsDouble(metrics["duration"]) ?? 0;
    }

    /// <summary>The run's metrics object (AgentOS's <c>RunMetrics.to_dict()</c>).</summary>
    public JsonObject ToJson(string modelId, string provider, bool forceDetails = false)
    {
        var o = new JsonObject();
        AddCounts(o);
        if (TimeToFirstToken is { } t)
        {
            o["time_to_first_token"] = t;
        }

        if (Duration is { } d)
        {
            o["duration"] = d;
        }

        if (forceDetails || TotalTokens > 0)
        {
            var detail = new JsonObject();
            AddCounts(detail);
            detail["id"] = modelId;
            detail["provider"] = provider;
            o["details"] = new JsonObject { ["model"] = new JsonArray(detail) };
        }

        return o;
    }

    /// <summary>The per-message metrics of an assistant message.</summary>
    public static JsonObject MessageMetrics(long input, long output, double? ttft)
    {
        var o = new JsonObject();
        if (input > 0)
        {
            o["input_tokens"] = input;
        }

        if (output > 0)
        {
            o["output_tokens"] = output;
        }

        if (input + output > 0)
        {
            o["total_tokens"] = input + output;
        }

        if (ttft is { } t)
        {
            o["time_to_first_token"] = t;
        }

        return o;
    }

    private void AddCounts(JsonObject o)
    {
        if (InputTokens > 0)
        {
            o["input_tokens"] = InputTokens;
        }

        if (OutputTokens > 0)
        {
            o["output_tokens"] = OutputTokens;
        }

        if (TotalTokens > 0)
        {
            o["total_tokens"] = TotalTokens;
        }

        if (ReasoningTokens > 0)
        {
            o["reasoning_tokens"] = ReasoningTokens;
        }

        if (CacheReadTokens > 0)
        {
            o["cache_read_tokens"] = CacheReadTokens;
        }
    }
}
