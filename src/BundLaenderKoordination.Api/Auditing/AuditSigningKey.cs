using BundLaenderKoordination.Audit;
using BundLaenderKoordination.Api.Infrastructure;
using NSec.Cryptography;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>
/// The Ed25519 key that signs checkpoints. It comes from configuration or a key file and never from the database, so
/// that whoever can write the database cannot sign a rewritten history.
/// </summary>
public sealed class AuditSigningKey : INoteSigner, IDisposable
{
    private readonly Key _key;

    private AuditSigningKey(Key key, string origin)
    {
        _key = key;
        VerifierKey = VerifierKey.Create(origin, NoteAlgorithms.Ed25519, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public VerifierKey VerifierKey { get; }

    public byte[] Sign(byte[] message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();

    /// <summary>The key file in use, if the key comes from one.</summary>
    public string? File { get; private init; }

    public static AuditSigningKey Load(AuditOptions options, IHostEnvironment environment)
    {
        var text = options.SigningKey;
        string? file = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            file = options.KeyFile ?? (environment.IsDevelopment() ? DevelopmentKeyFile(environment.ContentRootPath) : null);
            if (file is null)
                throw new InvalidOperationException(
                    "No checkpoint signing key is configured. Set Audit__SigningKey (base64 Ed25519 private key) or Audit__KeyFile.");
            if (!System.IO.File.Exists(file))
            {
                if (!environment.IsDevelopment())
                    throw new InvalidOperationException($"The checkpoint signing key file {file} does not exist.");
                using var created = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
                PrivateFiles.Create(file, Convert.ToBase64String(created.Export(KeyBlobFormat.RawPrivateKey)) + "\n");
            }
            text = System.IO.File.ReadAllText(file).Trim();
        }
        var key = Key.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(text), KeyBlobFormat.RawPrivateKey);
        return new AuditSigningKey(key, options.Origin) { File = file };
    }

    private static string DevelopmentKeyFile(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln")))
                return Path.Combine(dir.FullName, ".data", "audit-signing.key");
        return Path.Combine(contentRoot, ".data", "audit-signing.key");
    }
}
