namespace BundLaenderKoordination.Benchmarks;

/// <summary>Usage: <c>dotnet run -c Release -- [--smoke] [--out docs/performance.md] [--only append,http,reads,rebuild,audit,sealer,limits,longpage]
/// [--rounds n] [--seconds s] [--durability on|off]</c>; <c>ops/bench.sh</c> runs the documented full run.</summary>
public static class BenchCommand
{
    public static async Task<int> Main(string[] args)
    {
        var settings = args.Contains("--smoke") ? BenchSettings.Smoke : BenchSettings.Full;
        var output = Argument(args, "--out");
        var only = Argument(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? Benchmark.AllWorkloads;
        if (Argument(args, "--rounds") is { } rounds) settings = settings with { Rounds = int.Parse(rounds) };
        if (Argument(args, "--seconds") is { } seconds)
            settings = settings with { Segment = TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)) };

        if (Argument(args, "--durability") is { } durability)
        {
            settings = durability switch
            {
                "on" => settings with { Durable = true },
                "off" => settings with { Durable = false },
                _ => throw new ArgumentException($"--durability is on or off, not '{durability}'."),
            };
        }

        var outcome = await Benchmark.RunAsync(settings, only, Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(outcome.Table);
        if (output is not null)
        {
            Report.Write(output, outcome.Table, settings.Durable);
            Console.WriteLine($"Written to {output}");
        }
        return 0;
    }

    private static string? Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
