using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// The one telemetry setup: traces and metrics of ASP.NET Core, Wolverine, Marten and Npgsql; exported over OTLP
/// when OTEL_EXPORTER_OTLP_ENDPOINT is set. Logs are structured (JSON on the console outside Development).
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "bund-laender-koordination";


    /// <summary>Spans of the service's own work (e.g. history reads, with how many events they folded).</summary>
    public static readonly ActivitySource Source = new(ServiceName);

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddSource("Wolverine", "Marten", ServiceName)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Marten", "Wolverine:" + ServiceName, "Npgsql", ServiceName, Identity.AccessControl.MeterName));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
            builder.Logging.AddOpenTelemetry(o => o.IncludeScopes = true);
        }
    }
}
