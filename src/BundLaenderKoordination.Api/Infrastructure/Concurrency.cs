using JasperFx;
using Npgsql;

namespace BundLaenderKoordination.Api.Infrastructure;

public static class Concurrency
{
    /// <summary>
    /// A lost race on a stream: Marten's version check, or the unique (stream, version) key hit by a concurrent
    /// quick append. Both mean "someone else wrote first", never a server fault.
    /// </summary>
    public static bool IsConflict(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is ConcurrencyException) return true;
            if (ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
                && (pg.ConstraintName?.Contains("mt_events", StringComparison.Ordinal) ?? pg.MessageText.Contains("mt_events", StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
