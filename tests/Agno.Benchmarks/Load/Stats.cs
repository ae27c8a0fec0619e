using System.Globalization;

namespace Agno.Benchmarks.Load;

/// <summary>Small statistics over repetitions and latencies.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The nearest-rank percentile (0-100) of unsorted values.</summary>
    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p / 100d * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "–";
        }

        double abs = Math.Abs(value);
        if (value == Math.Round(value) && abs < 1_000_000)
        {
            return value.ToString(abs >= 10_000 ? "#,0" : "0", CultureInfo.InvariantCulture);
        }

        string format = abs >= 10_000 ? "#,0" : abs >= 100 ? "0" : abs >= 10 ? "0.0" : abs >= 1 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}

/// <summary>One measured quantity of a workload, per repetition, for our client and the floor.</summary>
internal sealed class Metric(string workload, string name, string unit, bool higherIsBetter)
{
    public string Workload { get; } = workload;

    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public bool HigherIsBetter { get; } = higherIsBetter;

    public List<double> Ours { get; } = [];

    public List<double> Floor { get; } = [];

    /// <summary>This library's client measured with telemetry listeners attached (<c>--telemetry</c>).</summary>
    public List<double> OursTelemetry { get; } = [];

    /// <summary>What the ratio ours/floor must be (null: reported only).</summary>
    public Func<Metric, (bool Pass, string Target)>? Target { get; init; }

    public double OursMedian => Stats.Median(Ours);

    public double FloorMedian => Stats.Median(Floor);

    public double Ratio => OursMedian / FloorMedian;

    public static string Range(List<double> values) => values.Count == 0
        ? "–"
        : $"{Stats.Format(Stats.Median(values))} ({Stats.Format(values.Min())}–{Stats.Format(values.Max())})";
}
