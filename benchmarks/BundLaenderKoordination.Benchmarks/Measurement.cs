using System.Diagnostics;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>What one side (ours or the raw baseline) did in one segment of one round.</summary>
public sealed record Segment(long Operations, long Failures, long Retries, TimeSpan Elapsed, double[] LatenciesMs, double UnitsPerOperation = 1)
{
    /// <summary>Units (operations, events, rows) per second.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Operations * UnitsPerOperation / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// One workload measured in rounds: in every round the baseline and our path run back to back (the order alternates
/// from round to round), so that both see the same machine; the ratio of each round is ours / baseline (rates) or
/// baseline / ours (durations), and the reported ratio is the median of those.
/// </summary>
public sealed record Comparison(string Workload, string Unit, IReadOnlyList<(Segment Baseline, Segment Ours)> Rounds)
{
    public double MedianRatio => Median(Rounds.Select(r => r.Baseline.Rate > 0 ? r.Ours.Rate / r.Baseline.Rate : 0));
    public double OursRate => Median(Rounds.Select(r => r.Ours.Rate));
    public double BaselineRate => Median(Rounds.Select(r => r.Baseline.Rate));
    public double[] OursLatencies => Rounds.SelectMany(r => r.Ours.LatenciesMs).ToArray();
    public double[] BaselineLatencies => Rounds.SelectMany(r => r.Baseline.LatenciesMs).ToArray();
    public long Failures => Rounds.Sum(r => r.Ours.Failures + r.Baseline.Failures);
    public long Retries => Rounds.Sum(r => r.Ours.Retries);
    public long OursOperations => Rounds.Sum(r => r.Ours.Operations);
    public long BaselineOperations => Rounds.Sum(r => r.Baseline.Operations);

    /// <summary>This path against another path measured in the same rounds (its "ours" segments become the baseline).</summary>
    public Comparison Against(Comparison other, string workload) =>
        new(workload, Unit, Rounds.Zip(other.Rounds, (mine, theirs) => (theirs.Ours, mine.Ours)).ToList());

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

public static class Rounds
{
    public static async Task<Comparison> Compare(string workload, string unit, int rounds,
        Func<int, Task<Segment>> baseline, Func<int, Task<Segment>> ours, Action<string> log, Func<Task>? settle = null) =>
        (await CompareMany(unit, rounds, baseline, [(workload, ours)], log, settle))[0];

    /// <summary>
    /// Several paths measured against the same baseline in the same rounds: in every round the baseline and each path
    /// run back to back, in the given order in odd rounds and in the reverse order in even ones. Answers one
    /// <see cref="Comparison"/> per path, each with the round's baseline segment; comparing two paths with each other
    /// is <see cref="Comparison.Against"/>.
    /// </summary>
    public static async Task<Comparison[]> CompareMany(string unit, int rounds, Func<int, Task<Segment>> baseline,
        IReadOnlyList<(string Workload, Func<int, Task<Segment>> Side)> paths, Action<string> log, Func<Task>? settle = null)
    {
        var results = paths.Select(_ => new List<(Segment, Segment)>()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            // Background work one side caused (the service's audit sealer) is finished before the other side runs.
            async Task<Segment> Run(Func<int, Task<Segment>> side)
            {
                var segment = await side(round);
                if (settle is not null) await settle();
                return segment;
            }
            Segment b = null!;
            var o = new Segment[paths.Count];
            var order = Enumerable.Range(-1, paths.Count + 1).ToArray(); // -1 is the baseline
            if (round % 2 == 0) Array.Reverse(order);
            foreach (var side in order)
            {
                if (side < 0) b = await Run(baseline);
                else o[side] = await Run(paths[side].Side);
            }
            for (var p = 0; p < paths.Count; p++)
            {
                results[p].Add((b, o[p]));
                log($"  {paths[p].Workload}, round {round}: baseline {b.Rate:F0} {unit}, ours {o[p].Rate:F0} {unit}, ratio {(b.Rate > 0 ? o[p].Rate / b.Rate : 0):F2}" +
                    (o[p].Failures + b.Failures > 0 ? $", failures {o[p].Failures + b.Failures}" : "") + (o[p].Retries > 0 ? $", retries {o[p].Retries}" : ""));
            }
        }
        return paths.Select((p, i) => new Comparison(p.Workload, unit, results[i])).ToArray();
    }

    /// <summary>
    /// A closed loop: <paramref name="clients"/> workers each run <paramref name="operation"/> back to back until the
    /// time is up (or, when <paramref name="maxPerClient"/> is set, that many times). An operation answers whether it
    /// succeeded; a failed one is counted and not timed into the throughput.
    /// </summary>
    public static async Task<Segment> ClosedLoop(int clients, TimeSpan duration, Func<int, long, Task<bool>> operation,
        Func<long>? retries = null, long? maxPerClient = null)
    {
        var retriesBefore = retries?.Invoke() ?? 0;
        var latencies = new List<double>[clients];
        var failures = new long[clients];
        var ok = new long[clients];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = new Stopwatch();
        var deadline = 0L;
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<double>(4096);
            await start.Task;
            for (long i = 0; (maxPerClient is null || i < maxPerClient) && Stopwatch.GetTimestamp() < Volatile.Read(ref deadline); i++)
            {
                var began = Stopwatch.GetTimestamp();
                var success = await operation(client, i);
                var took = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                if (success)
                {
                    ok[client]++;
                    mine.Add(took);
                }
                else
                {
                    failures[client]++;
                }
            }
        })).ToArray();
        Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        stopwatch.Start();
        start.SetResult();
        await Task.WhenAll(workers);
        stopwatch.Stop();
        return new Segment(ok.Sum(), failures.Sum(), (retries?.Invoke() ?? 0) - retriesBefore, stopwatch.Elapsed,
            latencies.SelectMany(l => l).ToArray());
    }

    /// <summary>One timed run of a whole job (a rebuild, a scan) that handles <paramref name="units"/> units.</summary>
    public static async Task<Segment> Once(long units, Func<Task> job)
    {
        var began = Stopwatch.GetTimestamp();
        await job();
        var elapsed = Stopwatch.GetElapsedTime(began);
        return new Segment(1, 0, 0, elapsed, [elapsed.TotalMilliseconds], units);
    }
}
