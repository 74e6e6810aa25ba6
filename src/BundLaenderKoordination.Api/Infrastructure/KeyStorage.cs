using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>One DataProtection key (ASP.NET Core's XML element), encrypted; stored under its friendly name.</summary>
public sealed record DataProtectionKey(string Id, string Xml);

/// <summary>
/// The DataProtection key ring (it protects the pages' cookies, the sessions and the antiforgery tokens) kept in
/// PostgreSQL, so every node of the service reads the same keys and a cookie issued by one works on all. ASP.NET Core
/// asks for a synchronous repository and Marten offers asynchronous calls only, so they are waited for here: the key ring
/// is read rarely (when the ring is loaded, about once a day, and when keys roll), never on a request's hot path.
/// </summary>
public sealed class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(key => XElement.Parse(key.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}

/// <summary>
/// The key ring is encrypted at rest with a certificate from configuration (<c>DataProtection:CertificateFile</c>, a
/// PKCS#12 file, and <c>DataProtection:CertificatePassword</c>): whoever reads the database alone cannot decrypt a cookie.
/// In Development a self-signed certificate is generated once in <c>.data/dataprotection.pfx</c> (0600); outside
/// Development the service refuses to start without one.
/// </summary>
public static class KeyStorage
{
    public const string Section = "DataProtection";

    public const string MissingCertificate =
        "No certificate protects the DataProtection keys. Outside Development set DataProtection__CertificateFile (a PKCS#12 " +
        "file with a private key, e.g. RSA 3072) and, if it has one, DataProtection__CertificatePassword. The keys are kept " +
        "in the database encrypted with it, shared by all nodes (docs/security.md).";

    public static void AddKeyStorage(this WebApplicationBuilder builder)
    {
        var certificate = Certificate(builder.Configuration, builder.Environment);
        builder.Services.ConfigureMarten(options => options.Schema.For<DataProtectionKey>());
        builder.Services.AddDataProtection()
            .SetApplicationName("bund-laender-koordination")
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore>((options, store) => options.XmlRepository = new MartenXmlRepository(store));
    }

    private static X509Certificate2 Certificate(IConfiguration configuration, IHostEnvironment environment)
    {
        var file = configuration[$"{Section}:CertificateFile"];
        if (string.IsNullOrWhiteSpace(file))
        {
            if (!environment.IsDevelopment()) throw new InvalidOperationException(MissingCertificate);
            file = DevelopmentFile(environment.ContentRootPath);
            if (!File.Exists(file)) CreateCertificateFile(file);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(file, configuration[$"{Section}:CertificatePassword"]);
    }

    /// <summary>A self-signed certificate for key encryption in a new 0600 file; an existing file is kept.</summary>
    public static void CreateCertificateFile(string file)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=bund-laender-koordination data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        // Written under a temporary name and moved into place, so two processes starting at once agree on one file.
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        PrivateFiles.Create(temporary, certificate.Export(X509ContentType.Pkcs12));
        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary);
        }
    }

    private static string DevelopmentFile(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln")))
                return Path.Combine(dir.FullName, ".data", "dataprotection.pfx");
        return Path.Combine(contentRoot, ".data", "dataprotection.pfx");
    }
}
