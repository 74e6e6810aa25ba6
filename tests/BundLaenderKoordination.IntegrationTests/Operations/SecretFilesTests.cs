using System.Security.Cryptography;
using System.Security.Claims;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>
/// Settings from a folder of secret files (<c>Secrets:Directory</c>), as Kubernetes mounts a Secret: one file per setting,
/// named like the environment variable; a file counts over the settings files, and an empty file is no setting (the
/// Kubernetes Secret leaves the local token key empty while tokens come from an issuer).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SecretFilesTests(AppFixture app)
{
    [Fact]
    public async Task Settings_come_from_secret_files_which_count_over_the_settings_files_and_an_empty_file_is_no_setting()
    {
        var folder = Directory.CreateTempSubdirectory("blk-tests-secrets-");
        try
        {
            using var rsa = RSA.Create(2048);
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "realm-key-1" });
            jwk.Use = "sig";
            jwk.Alg = SecurityAlgorithms.RsaSha256;
            var jwks = System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { jwk } });
            const string issuer = "https://login.example.de/realms/bund-laender";
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Identity__Issuer"), issuer + "\n");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Identity__Jwks"), jwks + "\n");
            // Empty: no setting. Were it taken for a key, the service would refuse to start with it outside Development.
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Identity__SigningKey"), "");
            // Over appsettings.json, which names the audience "bund-laender-koordination".
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Identity__Audience"), "blk-from-a-secret-file\n");
            // Kubernetes' own entries in a mounted Secret (a hidden folder) are no settings.
            Directory.CreateDirectory(Path.Combine(folder.FullName, "..2026_12_02_00_00_00.1"));

            await using var host = await app.StartHost("Production", settings: new Dictionary<string, string> { ["Secrets:Directory"] = folder.FullName });
            var configuration = host.Services.GetRequiredService<IConfiguration>();
            configuration["Identity:Audience"].ShouldBe("blk-from-a-secret-file");
            configuration["Identity:Issuer"].ShouldBe(issuer);
            configuration["Identity:SigningKey"].ShouldBeNullOrEmpty();

            var signing = new RsaSecurityKey(rsa) { KeyId = "realm-key-1" };
            string Token(string audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                Subject = new ClaimsIdentity([new Claim("sub", "realm:beobachtung"), new Claim("name", "Beobachtung"), new Claim("role", "observer")]),
                Expires = DateTime.UtcNow.AddMinutes(30),
                SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.RsaSha256),
            });
            var api = new ApiClient(host);
            (await api.Send(HttpMethod.Get, "/api/resolutions", Token("blk-from-a-secret-file"))).Status.ShouldBe(200);
            (await api.Send(HttpMethod.Get, "/api/resolutions", Token("bund-laender-koordination"))).Status.ShouldBe(401);
            (await api.Send(HttpMethod.Get, "/api/resolutions", null)).Status.ShouldBe(401);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
