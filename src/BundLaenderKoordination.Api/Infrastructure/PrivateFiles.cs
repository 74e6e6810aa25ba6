using System.Text;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Files holding secrets (signing keys, key-encryption keys): created 0600 in one step, never widened and narrowed
/// afterwards, so no other user can open one even for a moment; a missing folder is created 0700.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/>; fails if it exists (never overwrites a key).</summary>
    public static void Create(string path, string content) => Create(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/>; fails if it exists (never overwrites a key).</summary>
    public static void Create(string path, byte[] content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
            options.UnixCreateMode = OwnerOnly;
        }
        else Directory.CreateDirectory(folder);
        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
