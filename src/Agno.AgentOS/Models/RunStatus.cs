using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agno.AgentOS;

/// <summary>
/// The status of an AgentOS run (<c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>, <c>PAUSED</c>,
/// <c>CANCELLED</c>, <c>ERROR</c>, <c>REGENERATED</c>). An extensible value: a status this library does
/// not know is kept as it is.
/// </summary>
[JsonConverter(typeof(RunStatusConverter))]
public readonly struct RunStatus : IEquatable<RunStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from its wire value.</summary>
    /// <param name="value">The wire value, e.g. <c>COMPLETED</c>.</param>
    public RunStatus(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The run is queued (background runs).</summary>
    public static RunStatus Pending { get; } = new("PENDING");

    /// <summary>The run is in progress.</summary>
    public static RunStatus Running { get; } = new("RUNNING");

    /// <summary>The run finished successfully.</summary>
    public static RunStatus Completed { get; } = new("COMPLETED");

    /// <summary>The run waits for a human (confirmation, user input or an external tool result).</summary>
    public static RunStatus Paused { get; } = new("PAUSED");

    /// <summary>The run was cancelled.</summary>
    public static RunStatus Cancelled { get; } = new("CANCELLED");

    /// <summary>The run failed.</summary>
    public static RunStatus Error { get; } = new("ERROR");

    /// <summary>The run was replaced by a regenerated one.</summary>
    public static RunStatus Regenerated { get; } = new("REGENERATED");

    /// <summary>The wire value (upper case), or an empty string for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether this is <see cref="Completed"/>.</summary>
    public bool IsCompleted => Equals(Completed);

    /// <summary>Whether this is <see cref="Paused"/>.</summary>
    public bool IsPaused => Equals(Paused);

    /// <summary>Whether this is <see cref="Cancelled"/>.</summary>
    public bool IsCancelled => Equals(Cancelled);

    /// <summary>Whether this is <see cref="Error"/>.</summary>
    public bool IsError => Equals(Error);

    /// <summary>Whether the run has ended (completed, paused, cancelled, failed or regenerated).</summary>
    public bool IsFinished => IsCompleted || IsPaused || IsCancelled || IsError || Equals(Regenerated);

    /// <inheritdoc />
    public bool Equals(RunStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RunStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two statuses (case-insensitive).</summary>
    public static bool operator ==(RunStatus left, RunStatus right) => left.Equals(right);

    /// <summary>Compares two statuses (case-insensitive).</summary>
    public static bool operator !=(RunStatus left, RunStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a status.</summary>
    public static implicit operator RunStatus(string value) => new(value);

    /// <summary>Converts a wire value to a status.</summary>
    public static RunStatus FromString(string value) => new(value);
}

/// <summary>JSON converter for <see cref="RunStatus"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RunStatusConverter : JsonConverter<RunStatus>
{
    /// <inheritdoc />
    public override RunStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Reads a status (the options are not used: the hand readers call this without any).</summary>
    internal static RunStatus ReadValue(ref Utf8JsonReader reader)
    {
        string? s = reader.GetString();
        if (string.IsNullOrEmpty(s))
        {
            return default;
        }

        // Reuse the known instances so that no string is kept per run.
        if (s == "COMPLETED") { return RunStatus.Completed; }
        if (s == "RUNNING") { return RunStatus.Running; }
        if (s == "PAUSED") { return RunStatus.Paused; }
        if (s == "PENDING") { return RunStatus.Pending; }
        if (s == "CANCELLED") { return RunStatus.Cancelled; }
        if (s == "ERROR") { return RunStatus.Error; }
        return new RunStatus(s);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RunStatus value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Value);
}
