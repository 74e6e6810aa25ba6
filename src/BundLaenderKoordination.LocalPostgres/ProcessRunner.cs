using System.Diagnostics;
using System.Text;

namespace BundLaenderKoordination.LocalPostgres;

internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public string Output => string.Join(Environment.NewLine,
        new[] { StandardOutput, StandardError }.Where(text => !string.IsNullOrWhiteSpace(text)));

    public InvalidOperationException Failure(string what, string? serverLogTail = null)
    {
        var message = new StringBuilder()
            .AppendLine($"{what} failed (exit code {ExitCode}).")
            .AppendLine($"Command: {CommandLine}")
            .AppendLine("Output:")
            .AppendLine(Output.Length == 0 ? "(none)" : Output);
        if (!string.IsNullOrWhiteSpace(serverLogTail))
            message.AppendLine("Server log (tail):").AppendLine(serverLogTail);
        return new InvalidOperationException(message.ToString().TrimEnd());
    }
}

internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments,
        CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // "/" is the one working directory the postgres user can always enter when we run it through runuser;
            // the PostgreSQL tools complain about an inaccessible one such as /root.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        // English, unlocalised messages keep the captured output searchable and the errors we report readable.
        startInfo.Environment["LC_ALL"] = "C";

        var commandLine = string.Join(' ', new[] { fileName }.Concat(arguments).Select(QuoteForDisplay));
        var standardOutput = new StringBuilder();
        var standardError = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(standardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => Append(standardError, e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            throw new InvalidOperationException($"Could not run {commandLine}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        lock (standardOutput)
        lock (standardError)
            return new ProcessResult(commandLine, process.ExitCode, standardOutput.ToString().TrimEnd(),
                standardError.ToString().TrimEnd());
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
            return;
        lock (target)
            target.AppendLine(line);
    }

    private static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"')
            ? argument
            : $"'{argument.Replace("'", "'\\''")}'";
}
