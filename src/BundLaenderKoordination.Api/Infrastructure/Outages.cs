using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// The database not answering is an outage, not a fault of the request: the caller gets 503 with <c>Retry-After</c>
/// and <c>/problems/database-unavailable</c>, and may send the same request again (with an <c>Idempotency-Key</c>
/// a repeat of a write that did commit is answered, not applied twice).
/// </summary>
public static class Outages
{
    /// <summary>Seconds a client waits before trying again; a restart of PostgreSQL usually takes a few.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// Npgsql failing to reach the server (refused, reset, timed out, pool exhausted by a server that does not answer),
    /// or PostgreSQL refusing work for reasons of its own state: connection exceptions (class 08), an administrator's
    /// or a crash shutdown (57P01, 57P02), a server still starting (57P03), no connection slot left (53300).
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException pg:
                    if (pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections)
                        return true;
                    break;
                case NpgsqlException npgsql when npgsql.InnerException is SocketException or IOException or TimeoutException
                                                 || npgsql.IsTransient:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsDatabaseUnavailable):
                    return true;
            }
        }
        return false;
    }

    public static ProblemDetails Problem() =>
        Problems.Make(Problems.DatabaseUnavailable, 503, "The database is not available right now.",
            $"Nothing could be read or recorded. Wait {RetryAfterSeconds} seconds (Retry-After) and send the request again; " +
            "send writes with the same Idempotency-Key so that a write that was recorded after all is not recorded twice.",
            ("retryAfterSeconds", RetryAfterSeconds));
}
