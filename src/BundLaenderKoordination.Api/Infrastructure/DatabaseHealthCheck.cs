using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>Ready means the event store answers.</summary>
public sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", ct);
            return HealthCheckResult.Healthy("The event store answers.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The event store does not answer.", ex);
        }
    }
}
