using System.Security.Cryptography;
using System.Text;

namespace BundLaenderKoordination.LocalPostgres;

/// <summary>
/// Random role passwords, kept one file per role in a folder only the launching OS user may enter (0700), each file
/// created 0600 from the start: there is no moment in which another user could read one.
/// </summary>
internal static class Secrets
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>32 random bytes, base64url: no character needs quoting in a connection string or an SQL literal.</summary>
    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Read(string folder, string role)
    {
        var file = Path.Combine(folder, role + ".password");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    public static void Write(string folder, string role, string password)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        Directory.CreateDirectory(folder, PrivateFolder);
        WritePrivateFile(Path.Combine(folder, role + ".password"), password + "\n");
    }

    /// <summary>Creates (or replaces) a file that is 0600 from its creation on.</summary>
    public static void WritePrivateFile(string path, string content)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        File.Delete(path);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = PrivateFile,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
