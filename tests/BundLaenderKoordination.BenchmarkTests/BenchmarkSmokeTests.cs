using BundLaenderKoordination.Benchmarks;
using Shouldly;

namespace BundLaenderKoordination.BenchmarkTests;

/// <summary>
/// Runs every benchmark workload once, tiny, against a real PostgreSQL and the real service, so that the benchmark
/// cannot rot between runs. It checks that each workload did its work on both sides without failures; the figures
/// themselves mean nothing at this size and are not asserted.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task Every_workload_runs_once_against_its_raw_baseline_and_reports_a_row()
    {
        var outcome = await Benchmark.RunAsync(BenchSettings.Smoke, Benchmark.AllWorkloads, _ => { });

        outcome.Calibration.ShouldBeGreaterThan(0);
        outcome.Profile.RoundTrips.ShouldBeGreaterThan(0);
        string[] expected =
        [
            "0. one vote command, in-process: database round trips", "0. one vote command, in-process: CPU time",
            "1. append one vote", "2. HTTP POST …/votes", "2. HTTP POST …/votes, framework floor", "2. HTTP PUT …/text",
            "3. latest-state read", "3. as-of read", "4. rebuild", "5. audit sealing", "5. audit verification", "5. inclusion proof",
            "5. sealer working off a backlog", "5. sealer lag at", "5. sealer lag while",
            "6. page of the largest allowed resolution", "6. worst-case diff", "6. page of a resolution with the most open amendments",
        ];
        foreach (var prefix in expected)
            outcome.Rows.ShouldContain(r => r.Workload.StartsWith(prefix, StringComparison.Ordinal), $"no row for {prefix}");
        foreach (var row in outcome.Rows)
        {
            row.Failures.ShouldBe(0, $"{row.Workload} had failures");
            if (row.Baseline != "") row.Ratio.ShouldBeGreaterThan(0, $"{row.Workload} measured nothing on one side");
        }
        outcome.Rows.ShouldContain(r => r.Workload.EndsWith("ours vs the framework floor", StringComparison.Ordinal));
        outcome.Table.ShouldContain("| Workload | Durability | Ours | Raw baseline |");
        outcome.Table.ShouldContain("PostgreSQL durability: **on");
    }

    [Fact]
    public void The_report_replaces_only_the_measured_block_and_keeps_the_written_text()
    {
        var path = Path.Combine(Path.GetTempPath(), $"performance-{Guid.NewGuid():N}.md");
        try
        {
            File.WriteAllText(path, $"# Performance\n\nMethod text.\n\n{Report.Start}\nold table\n{Report.End}\n\nFindings text.\n");
            Report.Write(path, "new table\n");
            var written = File.ReadAllText(path);
            written.ShouldContain("Method text.");
            written.ShouldContain("Findings text.");
            written.ShouldContain("new table");
            written.ShouldNotContain("old table");

            // A run with durability off goes into a block of its own and leaves the headline table as it is.
            Report.Write(path, "cpu table\n", durable: false);
            Report.Write(path, "cpu table 2\n", durable: false);
            written = File.ReadAllText(path);
            written.ShouldContain("new table");
            written.ShouldContain("cpu table 2");
            written.ShouldNotContain("cpu table\n");
            written.IndexOf(Report.OffStart, StringComparison.Ordinal).ShouldBeGreaterThan(written.IndexOf(Report.End, StringComparison.Ordinal));
            written.ShouldContain("Findings text.");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
