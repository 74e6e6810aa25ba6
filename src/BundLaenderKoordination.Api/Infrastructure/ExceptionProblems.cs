using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Turns the exceptions that are the caller's doing into ProblemDetails: unreadable JSON is 400, a lost race on a
/// stream is 409, a body over the size limit is 413, a database that does not answer is 503 with Retry-After. Anything else stays a 500, logged with its trace id and without the request payload.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Classify(exception, context);
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            return false;
        }

        // A race lost even after the retries of a commutative command, or an edit that lost one: worth one line.
        if (problem.Type == Problems.DatabaseUnavailable)
        {
            logger.LogWarning("The database did not answer on {Method} {Path}; refused with 503 ({Reason})", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
            context.Response.Headers.RetryAfter = Outages.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (problem.Type == Problems.ConcurrentChange)
            logger.LogWarning("A concurrent change on {Method} {Path} was refused with 409 ({Reason})", context.Request.Method, context.Request.Path, exception.GetType().Name);
        context.Response.StatusCode = problem.Status!.Value;
        await Results.Problem(problem).ExecuteAsync(context);
        return true;
    }

    public static ProblemDetails? Classify(Exception exception, HttpContext? context = null)
    {
        if (Outages.IsDatabaseUnavailable(exception))
            return Outages.Problem();
        if (Concurrency.IsConflict(exception))
            return Problems.Make(Problems.ConcurrentChange, 409, "Someone else changed the resolution at the same moment.",
                "Your change was not applied. Reload the resolution and apply your change again.");
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
                return Hardening.TooLarge(context?.RequestServices.GetService<Microsoft.Extensions.Options.IOptionsMonitor<HardeningOptions>>()?.CurrentValue.MaxRequestBodyBytes
                                          ?? new HardeningOptions().MaxRequestBodyBytes);
            if (ex is JsonException or BadHttpRequestException)
                return Problems.Make(Problems.MalformedRequest, 400, "The request body could not be read.",
                    "Send a JSON body of the documented shape (see /openapi/v1.json).");
        }
        return null;
    }
}
