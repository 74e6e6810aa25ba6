using BundLaenderKoordination.Api.Auditing;
using Microsoft.Extensions.Hosting.Internal;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SigningKeyFileTests
{
    [Fact]
    public void A_generated_key_file_and_its_new_folder_are_private_to_the_service_user()
    {
        var folder = Path.Combine(Path.GetTempPath(), "blk-key-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(folder, "audit-signing.key");
        try
        {
            using (AuditSigningKey.Load(new AuditOptions { KeyFile = file }, new HostingEnvironment { EnvironmentName = "Development" }))
            {
            }
            (File.GetUnixFileMode(file) & (UnixFileMode)0x1FF).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            (File.GetUnixFileMode(folder) & (UnixFileMode)0x1FF).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            // Loading again reads the same key; the file is never rewritten.
            var written = File.ReadAllText(file);
            using var again = AuditSigningKey.Load(new AuditOptions { KeyFile = file }, new HostingEnvironment { EnvironmentName = "Development" });
            File.ReadAllText(file).ShouldBe(written);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
