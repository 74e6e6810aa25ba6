using System.Globalization;
using System.Text;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// Writes the measured table into docs/performance.md between two markers, keeping the hand-written text around it
/// (method, findings) as it is.
/// </summary>
public static class Report
{
    public const string Start = "<!-- results:start -->";
    public const string End = "<!-- results:end -->";
    // The run with durability off (a CPU-cost line) goes into a block of its own, after the headline one.
    public const string OffStart = "<!-- results-durability-off:start -->";
    public const string OffEnd = "<!-- results-durability-off:end -->";

    public static string Table(IReadOnlyList<Row> rows, Machine machine, double calibration, double calibrationFloor, CommandProfile profile, BenchSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run of {machine.Date:yyyy-MM-dd HH:mm} UTC on {machine.Description}; " +
            $"{settings.Rounds} rounds of {settings.Segment.TotalSeconds:0.#} s per side and workload.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL durability: **{settings.Durability}**; every row below was measured with it " +
            $"(column Durability).");
        text.AppendLine();
        var flag = calibration < calibrationFloor
            ? $" **Flagged: below the usual {calibrationFloor:N0}/s of this machine; the machine was busy, absolute figures are low, ratios still hold within rounds.**"
            : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"Calibration: raw single-row INSERT at 1 client, {calibration:N0} inserts/s.{flag}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"One vote command, in-process, one at a time: {profile.RoundTrips:0.#} database round trips " +
            $"(counted Npgsql commands and batches), {profile.Milliseconds:0.00} ms, of which {profile.DatabaseMilliseconds:0.00} ms waiting for the database.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"CPU time per vote command: {profile.ProcessCpuMs:0.00} ms in the .NET process (service and its background work), " +
            $"{profile.PostgresCpuMs:0.00} ms in PostgreSQL; per raw INSERT: {profile.RawProcessCpuMs:0.00} ms and {profile.RawPostgresCpuMs:0.00} ms.");
        text.AppendLine();
        foreach (var statement in profile.Statements.Take(8))
            text.AppendLine(CultureInfo.InvariantCulture, $"- `{statement.Sql.Replace("`", "'")}…`: {statement.PerVote:0.##} per vote, {statement.Milliseconds:0.00} ms each");
        text.AppendLine();
        var durability = settings.Durable ? "on" : "off";
        text.AppendLine("| Workload | Durability | Ours | Raw baseline | Ratio (median of rounds) | Latency (all rounds) | Non-2xx / failed | Retries | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Workload} | {durability} | {row.Ours} | {row.Baseline} | {(row.Baseline == "" ? "" : $"{row.Ratio:0.00}x")} | {row.Latency} | {row.Failures} | {row.Retries} | {row.Target} | {(row.Met is null ? "" : row.Met.Value ? "yes" : "**no**")} |");
        }
        return text.ToString();
    }

    /// <summary>
    /// Writes the table of a run with durability on (the headline) between <see cref="Start"/> and <see cref="End"/>,
    /// that of a run with durability off between <see cref="OffStart"/> and <see cref="OffEnd"/> (placed right after
    /// the headline block the first time), so that neither run overwrites the other.
    /// </summary>
    public static void Write(string path, string table, bool durable = true)
    {
        var (start, end) = durable ? (Start, End) : (OffStart, OffEnd);
        var block = start + "\n" + table + end;
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var from = existing.IndexOf(start, StringComparison.Ordinal);
        var to = existing.IndexOf(end, StringComparison.Ordinal);
        var headlineEnd = existing.IndexOf(End, StringComparison.Ordinal);
        var content = from >= 0 && to > from
            ? existing[..from] + block + existing[(to + end.Length)..]
            : !durable && headlineEnd >= 0
                ? existing[..(headlineEnd + End.Length)] + "\n\nThe same workloads with durability off (CPU cost without waiting for the disk):\n\n" + block + existing[(headlineEnd + End.Length)..]
                : "# Performance\n\n" + block + "\n" + existing;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, content);
    }
}

/// <summary>The machine a run was measured on.</summary>
public sealed record Machine(DateTime Date, string Description)
{
    public static Machine Describe()
    {
        var cpu = "unknown CPU";
        var memory = "";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(':', 2)[1].Trim().Split(' ')[0], out var kb))
                memory = $", {kb / 1024.0 / 1024.0:0.#} GiB memory";
        }
        catch (IOException)
        {
            // Not Linux: the description stays short.
        }
        return new Machine(DateTime.UtcNow, $"{Environment.ProcessorCount} cores (nproc), {cpu}{memory}, {Environment.OSVersion}, .NET {Environment.Version}");
    }
}
