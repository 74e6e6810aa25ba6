namespace BundLaenderKoordination.Benchmarks;

/// <summary>One line of the table in docs/performance.md.</summary>
public sealed record Row(
    string Workload,
    string Ours,
    string Baseline,
    double Ratio,
    string Latency,
    long Failures,
    long Retries,
    string Target,
    bool? Met);

public static class Figures
{
    public static string Rate(double value, string unit) => value >= 100 ? $"{value:N0} {unit}" : $"{value:N1} {unit}";

    public static string Ms(double value) => value >= 10 ? $"{value:N0} ms" : value >= 0.1 ? $"{value:N2} ms" : $"{value * 1000:N1} µs";

    public static string Latencies(double[] ms) =>
        ms.Length == 0 ? "" : $"p50 {Ms(Comparison.Percentile(ms, 50))}, p99 {Ms(Comparison.Percentile(ms, 99))}";

    public static Row Throughput(Comparison c, string target = "", bool? met = null) => new(
        c.Workload, Rate(c.OursRate, c.Unit), Rate(c.BaselineRate, c.Unit), c.MedianRatio,
        $"ours {Latencies(c.OursLatencies)}; raw {Latencies(c.BaselineLatencies)}", c.Failures, c.Retries, target, met);
}
