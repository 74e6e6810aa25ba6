namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Settings from mounted secret files: with <c>Secrets:Directory</c> set (the container image sets
/// <c>/run/secrets/blk</c>), every file in that folder is one setting, named as the environment variable would be
/// (<c>ConnectionStrings__Marten</c>, <c>Identity__SigningKey</c>, <c>Audit__SigningKey</c>, ...) and holding its value.
/// This is ASP.NET Core's key-per-file configuration, as Kubernetes mounts a Secret. The files count over environment
/// variables; a folder that does not exist adds nothing.
/// </summary>
public static class SecretFiles
{
    public static void AddSecretFiles(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["Secrets:Directory"] is { Length: > 0 } directory)
            builder.Configuration.AddKeyPerFile(Path.GetFullPath(directory), optional: true, reloadOnChange: false);
    }
}
