using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Every refusal the API gives, with a stable <c>type</c>. Clients branch on the type, people read title and detail.
/// The catalogue with what to do next is in docs/api.md.
/// </summary>
public static class Problems
{
    public const string InvalidInput = "/problems/invalid-input";
    public const string MalformedRequest = "/problems/malformed-request";
    public const string Unauthenticated = "/problems/unauthenticated";
    public const string Forbidden = "/problems/forbidden";
    public const string NotFound = "/problems/not-found";
    public const string StaleVersion = "/problems/stale-version";
    public const string TextVersionSuperseded = "/problems/text-version-superseded";
    public const string ResolutionClosed = "/problems/resolution-closed";
    public const string ConcurrentChange = "/problems/concurrent-change";
    public const string AdoptionRuleNotMet = "/problems/adoption-rule-not-met";
    public const string ParagraphConflict = "/problems/paragraph-conflict";
    public const string AmendmentConflict = "/problems/amendment-conflict";
    public const string AmendmentClosed = "/problems/amendment-closed";
    public const string BracketedPassage = "/problems/bracketed-passage";
    public const string OpenBrackets = "/problems/open-brackets";
    public const string BallotOpen = "/problems/ballot-open";
    public const string NoOpenBallot = "/problems/no-open-ballot";
    public const string UnknownMatterType = "/problems/unknown-matter-type";
    public const string SessionState = "/problems/session-state";
    public const string DeclarationRule = "/problems/declaration-rule";
    public const string WrittenProcedureRunning = "/problems/written-procedure-running";
    public const string NoWrittenProcedure = "/problems/no-written-procedure";
    public const string SessionRule = "/problems/session-rule";
    public const string UnsafeText = "/problems/unsafe-text";
    public const string NotSealedYet = "/problems/not-sealed-yet";
    public const string AuditLogHalted = "/problems/audit-log-halted";
    public const string StepUpRequired = "/problems/step-up-required";
    public const string RestrictionRule = "/problems/restriction-rule";
    public const string PayloadTooLarge = "/problems/payload-too-large";
    public const string TooManyRequests = "/problems/too-many-requests";
    public const string LimitReached = "/problems/limit-reached";
    public const string DatabaseUnavailable = "/problems/database-unavailable";
    public const string IdempotencyKeyReused = "/problems/idempotency-key-reused";
    public const string IdempotencyKeyInUse = "/problems/idempotency-key-in-use";
    public const string TooManyStreams = "/problems/too-many-streams";
    public const string BallotDeadlineRule = "/problems/ballot-deadline-rule";
    public const string SignatureRequired = "/problems/signature-required";
    public const string SignatureInvalid = "/problems/signature-invalid";
    public const string PasskeyState = "/problems/passkey-state";

    public static ProblemDetails Invalid(string detail) =>
        Make(InvalidInput, 400, "The request is not valid.", detail);

    public static ProblemDetails Forbid(string detail) =>
        Make(Forbidden, 403, "You may not do this.", detail);

    public static ProblemDetails Missing(string detail) =>
        Make(NotFound, 404, "Not found.", detail);

    public static ProblemDetails Stale(long expected, long actual) =>
        Make(StaleVersion, 409, "The resolution has changed since you read it.",
            $"You sent expectedVersion {expected}, but the resolution is at version {actual}. Reload it and apply your change again.",
            ("currentVersion", actual));

    public static ProblemDetails Closed(string detail) =>
        Make(ResolutionClosed, 409, "The resolution is closed for this action.", detail);

    public static ProblemDetails Make(string type, int status, string title, string detail,
        params (string Key, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Type = type, Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return problem;
    }

    public static IResult ToResult(this ProblemDetails problem) =>
        Results.Problem(problem);
}
