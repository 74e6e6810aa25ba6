using System.Globalization;

namespace BundLaenderKoordination.LocalPostgres;

/// <summary>Locates the PostgreSQL server binaries.</summary>
public static class PostgresBinaries
{
    private static readonly string[] RequiredExecutables = ["initdb", "pg_ctl", "postgres"];

    private const string DebianInstallRoot = "/usr/lib/postgresql";

    /// <summary>
    /// The folder holding initdb, pg_ctl and postgres: first from PATH, then the highest version under
    /// /usr/lib/postgresql/&lt;version&gt;/bin (Debian and Ubuntu keep the server binaries off PATH). Null when absent.
    /// </summary>
    public static string? FindBinDirectory()
    {
        var pathEntries = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in pathEntries)
        {
            var initdb = Path.Combine(entry, "initdb");
            if (!File.Exists(initdb))
                continue;
            // Symlinks such as /usr/local/bin/initdb are followed so the other binaries are looked up next to the real
            // file, and so the postgres user (when running as root) never has to traverse a private PATH folder.
            var realDirectory = Path.GetDirectoryName(File.ResolveLinkTarget(initdb, returnFinalTarget: true)?.FullName
                                                      ?? Path.GetFullPath(initdb));
            if (realDirectory is not null && HasAllBinaries(realDirectory))
                return realDirectory;
        }

        if (!Directory.Exists(DebianInstallRoot))
            return null;
        return Directory.EnumerateDirectories(DebianInstallRoot)
            .Select(versionDirectory => (
                Version: decimal.TryParse(Path.GetFileName(versionDirectory), NumberStyles.Number,
                    CultureInfo.InvariantCulture, out var version) ? version : -1m,
                Bin: Path.Combine(versionDirectory, "bin")))
            .Where(candidate => candidate.Version >= 0 && HasAllBinaries(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    internal static string RequireBinDirectory() =>
        FindBinDirectory() ?? throw new PostgresBinariesMissingException();

    private static bool HasAllBinaries(string directory) =>
        RequiredExecutables.All(name => File.Exists(Path.Combine(directory, name)));
}
