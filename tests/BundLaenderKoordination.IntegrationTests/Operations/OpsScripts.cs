using System.Diagnostics;
using System.Text;
using Npgsql;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>Runs the operator's scripts in ops/ and other programs as real processes, as an operator would.</summary>
public static class OpsScripts
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (BundLaenderKoordination.sln) was not found above " + AppContext.BaseDirectory);
    }

    public static string Script(string name) => Path.Combine(RepositoryRoot, "ops", name);

    /// <summary>libpq's environment for a database named by an Npgsql connection string.</summary>
    public static Dictionary<string, string> LibpqEnvironment(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new Dictionary<string, string>
        {
            ["PGHOST"] = builder.Host!,
            ["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGDATABASE"] = builder.Database!,
            ["PGUSER"] = builder.Username!,
            ["PGPASSWORD"] = builder.Password!,
        };
    }

    public static async Task<Result> Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = new StringBuilder();
        var reading = Task.WhenAll(
            Task.Run(async () => { while (await process.StandardOutput.ReadLineAsync() is { } line) lock (output) output.AppendLine(line); }),
            Task.Run(async () => { while (await process.StandardError.ReadLineAsync() is { } line) lock (error) error.AppendLine(line); }));
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not end within {timeout}:\n{output}\n{error}");
        }
        await reading;
        return new Result(process.ExitCode, output.ToString(), error.ToString());
    }
}
