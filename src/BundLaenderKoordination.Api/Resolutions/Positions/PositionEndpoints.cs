using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.Proposing;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using BundLaenderKoordination.Api.Resolutions.Signing;

namespace BundLaenderKoordination.Api.Resolutions.Positions;

/// <summary><c>position</c>: agreement | rejection | abstention | reservationPendingReview (Prüfvorbehalt).</summary>
public sealed record RecordPosition(string? Position, string? Remark)
{
    public Position? Parsed => Position switch
    {
        "agreement" => Positions.Position.Agreement,
        "rejection" => Positions.Position.Rejection,
        "abstention" => Positions.Position.Abstention,
        "reservationPendingReview" => Positions.Position.ReservationPendingReview,
        _ => null,
    };
}

public static class RecordPositionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(RecordPosition command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(RecordPosition command)
    {
        if (command.Parsed is null) return Problems.Invalid("position is \"agreement\", \"rejection\", \"abstention\" or \"reservationPendingReview\".");
        if (command.Remark is not null && TextRules.CheckShort(command.Remark, "a remark", 2000) is { } remark) return remark;
        return WolverineContinue.NoProblems;
    }

    /// <summary>A representative records the position of their Land on the draft; it is shown per Land and is not a vote.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/positions", OperationId = "recordPosition"), Tags("Resolutions")]
    [ProducesResponseType<ResolutionWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, RecordPosition command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => PositionDecisions.Record(state, body, command.Parsed!.Value, string.IsNullOrWhiteSpace(command.Remark) ? null : command.Remark.Trim(), caller, clock.GetUtcNow()),
            outcome => Results.Ok(new ResolutionWritten(id, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash)));
    }
}

/// <summary>A Protokollerklärung; <c>signature</c>: its author's passkey assertion (required where the body requires signed acts).</summary>
public sealed record AttachDeclaration(string? Text, Signing.PasskeyAssertion? Signature = null);

/// <summary>The optional body of joining a Protokollerklärung: the author's passkey assertion over it.</summary>
public sealed record JoinDeclaration(Signing.PasskeyAssertion? Signature = null);

public sealed record DeclarationWritten(Guid ResolutionId, Guid DeclarationId, long Version);

public static class AttachDeclarationEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(AttachDeclaration command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(AttachDeclaration command) =>
        TextRules.CheckShort(command.Text, "the text of the Protokollerklärung", 20_000) ?? WolverineContinue.NoProblems;

    /// <summary>A representative attaches a Protokollerklärung of their Land to the adopted resolution.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/declarations", OperationId = "attachDeclaration"), Tags("Resolutions")]
    [ProducesResponseType<DeclarationWritten>(201)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid id, AttachDeclaration command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock,
        Signing.ActSigning signing, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var declarationId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        Decision Attach(Resolution state, Body body, Caller acting) =>
            PositionDecisions.Attach(state, body, declarationId, TextCanonicalForm.Normalize(command.Text!.Trim()), acting, now);
        var signed = await signing.DecideSignedAsync(stream, bodies, caller, Attach, command.Signature, session, ct);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, acting) => signed ?? Attach(state, body, acting),
            outcome => Results.Created($"/api/resolutions/{id}", new DeclarationWritten(id, declarationId, outcome.Version)));
    }
}

public static class JoinDeclarationEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the resolution.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>Another Land joins a Protokollerklärung.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/declarations/{declarationId}/joining", OperationId = "joinDeclaration"), Tags("Resolutions")]
    [ProducesResponseType<DeclarationWritten>(200)]
    [Consumes(typeof(JoinDeclaration), "application/json", IsOptional = true)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid id, Guid declarationId, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock,
        Signing.ActSigning signing, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var now = clock.GetUtcNow();
        if (await Signing.OptionalBody.ReadAsync(context, () => new JoinDeclaration(), ct) is not { } command)
            return (Problems.Make(Problems.MalformedRequest, 400, "The request body cannot be read.",
                "The body is optional; when sent it is a JSON object such as {\"signature\": {...}}.").ToResult(), new OutgoingMessages());
        Decision Join(Resolution state, Body body, Caller acting) => PositionDecisions.Join(state, body, declarationId, acting, now);
        var signed = await signing.DecideSignedAsync(stream, bodies, caller, Join, command.Signature, session, ct);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, acting) => signed ?? Join(state, body, acting),
            outcome => Results.Ok(new DeclarationWritten(id, declarationId, outcome.Version)));
    }
}

public sealed record WithdrawResolution(string? Reason);

public static class WithdrawResolutionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(WithdrawResolution command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(WithdrawResolution command) =>
        TextRules.CheckShort(command.Reason, "the reason for withdrawing", 2000) ?? WolverineContinue.NoProblems;

    /// <summary>The proposing Land withdraws its resolution before adoption.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/withdrawal", OperationId = "withdrawResolution"), Tags("Resolutions")]
    [ProducesResponseType<ResolutionWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, WithdrawResolution command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, _, caller) => PositionDecisions.Withdraw(state, command.Reason!.Trim(), caller, clock.GetUtcNow()),
            outcome => Results.Ok(new ResolutionWritten(id, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash)));
    }
}
