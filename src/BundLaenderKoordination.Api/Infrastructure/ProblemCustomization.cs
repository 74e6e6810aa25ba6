using Microsoft.AspNetCore.Http;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Gives the problems that the framework writes on its own (an unreadable request body, a bare status code) the
/// service's stable types, so that clients branch on one catalogue (docs/api.md).
/// </summary>
public static class ProblemCustomization
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith("/problems/", StringComparison.Ordinal)) return;
        switch (problem.Status)
        {
            case StatusCodes.Status400BadRequest:
                problem.Type = Problems.MalformedRequest;
                problem.Title = "The request could not be read.";
                problem.Detail ??= "The body is not valid JSON of the expected shape.";
                break;
            case StatusCodes.Status401Unauthorized:
                problem.Type = Problems.Unauthenticated;
                break;
            case StatusCodes.Status403Forbidden:
                problem.Type = Problems.Forbidden;
                break;
            case StatusCodes.Status413PayloadTooLarge:
                var max = context.HttpContext.RequestServices.GetService<Microsoft.Extensions.Options.IOptionsMonitor<HardeningOptions>>()?.CurrentValue.MaxRequestBodyBytes
                          ?? new HardeningOptions().MaxRequestBodyBytes;
                var tooLarge = Hardening.TooLarge(max);
                (problem.Type, problem.Title, problem.Detail) = (tooLarge.Type, tooLarge.Title, tooLarge.Detail);
                problem.Extensions["maxBytes"] = max;
                break;
            case StatusCodes.Status429TooManyRequests:
                problem.Type = Problems.TooManyRequests;
                break;
            // Wolverine's answers to a reused or busy Idempotency-Key (IdempotentCommands); our own 409 and 422 carry their types.
            case StatusCodes.Status422UnprocessableEntity when context.HttpContext.Request.Headers.ContainsKey(IdempotentCommands.Header):
                problem.Type = Problems.IdempotencyKeyReused;
                problem.Title = "This Idempotency-Key was used for another request.";
                problem.Detail = "The key was sent before with a different request (another body or route). Send a new key for a new request; nothing was recorded.";
                break;
            case StatusCodes.Status409Conflict when context.HttpContext.Request.Headers.ContainsKey(IdempotentCommands.Header):
                problem.Type = Problems.IdempotencyKeyInUse;
                problem.Title = "A request with this Idempotency-Key is still being processed.";
                problem.Detail = "Wait a moment and send the same request again with the same key: it is answered with the first request's answer.";
                break;
            case StatusCodes.Status404NotFound:
                problem.Type = Problems.NotFound;
                problem.Title ??= "Not found.";
                break;
        }
    }
}
