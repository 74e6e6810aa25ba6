using Microsoft.Extensions.Options;

namespace BundLaenderKoordination.Api.Auditing;

public static class AuditSetup
{
    public static void AddAuditing(this WebApplicationBuilder builder, string connectionString, string schema)
    {
        builder.Services.Configure<AuditOptions>(builder.Configuration.GetSection("Audit"));
        builder.Services.AddSingleton(new AuditTables(connectionString, schema));
        builder.Services.AddSingleton(sp => AuditSigningKey.Load(sp.GetRequiredService<IOptions<AuditOptions>>().Value, builder.Environment));
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
    }
}
