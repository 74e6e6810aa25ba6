using System.Diagnostics;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// CPU time spent by this process (the service, the load generator and the raw endpoint all run in it) and by the
/// PostgreSQL server (its postmaster and every backend), read from /proc, to tell where an operation's cost lies.
/// </summary>
public sealed class CpuMeter(string postgresDataDirectory)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public (TimeSpan Process, TimeSpan Postgres) Now() => (Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu());

    private TimeSpan PostgresCpu()
    {
        try
        {
            var pidFile = Path.Combine(postgresDataDirectory, "postmaster.pid");
            if (!File.Exists(pidFile)) return TimeSpan.Zero;
            var postmaster = int.Parse(File.ReadLines(pidFile).First());
            double ticks = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
                catch (IOException) { continue; }
                // Fields after the command name (which may contain spaces) start after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1]);
                if (pid != postmaster && parent != postmaster) continue;
                ticks += double.Parse(fields[11]) + double.Parse(fields[12]); // utime + stime
            }
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return TimeSpan.Zero;
        }
    }
}
