namespace BundLaenderKoordination.Benchmarks;

/// <summary>A whole run: start everything, calibrate, run the chosen workloads, write the table.</summary>
public static class Benchmark
{
    public static readonly string[] AllWorkloads = ["append", "http", "reads", "rebuild", "audit", "limits", "longpage"];

    public sealed record Outcome(IReadOnlyList<Row> Rows, double Calibration, CommandProfile Profile, string Table);

    public static async Task<Outcome> RunAsync(BenchSettings settings, IReadOnlyCollection<string> workloads, Action<string> log)
    {
        log($"Starting a throwaway PostgreSQL (durability {settings.Durability}), the service and the framework floor");
        await using var env = await BenchEnvironment.StartAsync(log, settings.Durable);
        var run = new Workloads(env, settings, log);

        var calibration = await run.CalibrateAsync();
        log($"Calibration: raw single INSERT at 1 client: {calibration:N0}/s" + (calibration < settings.CalibrationFloor ? " (FLAGGED: machine busy)" : ""));
        var profile = await run.ProfileVoteAsync(settings.ProfiledVotes);
        log($"One vote command: {profile.RoundTrips:0.#} database round trips, {profile.Milliseconds:0.00} ms, of which {profile.DatabaseMilliseconds:0.00} ms in database calls; " +
            $"CPU {profile.ProcessCpuMs:0.00} ms .NET + {profile.PostgresCpuMs:0.00} ms PostgreSQL (raw INSERT: {profile.RawProcessCpuMs:0.00} + {profile.RawPostgresCpuMs:0.00})");

        var rows = new List<Row>
        {
            // Two decimals: an occasional extra call (a snapshot read every so many votes) shows as 2.01, not as 2.
            new("0. one vote command, in-process: database round trips", $"{profile.RoundTrips:0.##}", "", 0,
                $"{Figures.Ms(profile.Milliseconds)} per vote, {Figures.Ms(profile.DatabaseMilliseconds)} of it in database calls; " +
                string.Join(", ", profile.Statements.Where(st => st.PerVote < 0.5).Select(st => $"{st.PerVote:0.##} per vote: `{st.Sql[..Math.Min(st.Sql.Length, 48)].Replace("`", "'")}…`")), 0, 0,
                "≤ 2", profile.RoundTrips <= 2),
            new("0. one vote command, in-process: CPU time (.NET + PostgreSQL)", Figures.Ms(profile.ProcessCpuMs + profile.PostgresCpuMs), "", 0,
                $"{Figures.Ms(profile.ProcessCpuMs)} .NET (incl. the sealer's work) + {Figures.Ms(profile.PostgresCpuMs)} PostgreSQL; " +
                $"raw INSERT {Figures.Ms(profile.RawProcessCpuMs)} + {Figures.Ms(profile.RawPostgresCpuMs)}", 0, 0,
                "≤ 1.2 ms", profile.ProcessCpuMs + profile.PostgresCpuMs <= 1.2),
        };
        if (workloads.Contains("append")) { log("1. Append"); rows.AddRange(await run.AppendAsync()); }
        if (workloads.Contains("http")) { log("2. HTTP writes"); rows.AddRange(await run.HttpWritesAsync()); }
        if (workloads.Contains("reads")) { log("3. Reads"); rows.AddRange(await run.ReadsAsync()); }
        if (workloads.Contains("rebuild")) { log("4. Rebuild"); rows.AddRange(await run.RebuildAsync()); }
        if (workloads.Contains("audit")) { log("5. Audit"); rows.AddRange(await new AuditWorkload(env, settings, log).RunAsync()); }
        else if (workloads.Contains("sealer")) { log("5. Audit: the sealer only"); rows.AddRange(await new AuditWorkload(env, settings, log).RunAsync(sealerOnly: true)); }
        if (workloads.Contains("limits")) { log("6. The largest reads the limits allow"); rows.AddRange(await new LimitsWorkload(env, settings, log).RunAsync()); }
        if (workloads.Contains("longpage")) { log("7. A long resolution page"); rows.AddRange(await new LongPageWorkload(env, settings, log).RunAsync()); }

        var table = Report.Table(rows, Machine.Describe(), calibration, settings.CalibrationFloor, profile, settings);
        return new Outcome(rows, calibration, profile, table);
    }
}
