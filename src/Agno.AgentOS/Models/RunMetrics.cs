using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>
/// Token counts and timings of a run (agno's <c>RunMetrics</c>). AgentOS omits zero counts: a missing
/// count reads as 0, and a zero count or an unset value is not written.
/// </summary>
public sealed class RunMetrics
{
    /// <summary>Input (prompt) tokens.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long InputTokens { get; set; }

    /// <summary>Output (completion) tokens.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OutputTokens { get; set; }

    /// <summary>Total tokens.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TotalTokens { get; set; }

    /// <summary>Audio input tokens.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long AudioInputTokens { get; set; }

    /// <summary>Audio output tokens.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long AudioOutputTokens { get; set; }

    /// <summary>Audio tokens in total.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long AudioTotalTokens { get; set; }

    /// <summary>Input tokens served from the provider's cache.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CacheReadTokens { get; set; }

    /// <summary>Input tokens written to the provider's cache.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CacheWriteTokens { get; set; }

    /// <summary>Reasoning tokens.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long ReasoningTokens { get; set; }

    /// <summary>Cost, when the provider reports one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Cost { get; set; }

    /// <summary>Seconds until the first token.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TimeToFirstToken { get; set; }

    /// <summary>Duration of the run in seconds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Duration { get; set; }

    /// <summary>Per-model breakdown (<c>{"model": [...], "output_model": [...]}</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Details { get; set; }

    /// <summary>Provider-specific metrics.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? AdditionalMetrics { get; set; }

    /// <summary>Fields this library does not model (e.g. workflow <c>steps</c>), kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
