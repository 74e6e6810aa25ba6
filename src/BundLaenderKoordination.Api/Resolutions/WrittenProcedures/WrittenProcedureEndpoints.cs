using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;
using BundLaenderKoordination.Api.Resolutions.Signing;

namespace BundLaenderKoordination.Api.Resolutions.WrittenProcedures;

/// <summary><c>deadline</c>: an ISO 8601 instant; without it, the body's default deadline in days from now.</summary>
public sealed record StartWrittenProcedure(string? Deadline)
{
    public DateTimeOffset? ParsedDeadline =>
        DateTimeOffset.TryParse(Deadline, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
}

public sealed record WrittenProcedureWritten(Guid ResolutionId, Guid ProcedureId, long Version, string Status, DateTimeOffset? Deadline);

public static class StartWrittenProcedureEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(StartWrittenProcedure command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(StartWrittenProcedure command) =>
        command.Deadline is not null && command.ParsedDeadline is null
            ? Problems.Invalid($"'{command.Deadline}' is not an ISO 8601 instant such as 2026-12-10T12:00:00+01:00.")
            : WolverineContinue.NoProblems;

    /// <summary>The chair in office starts a written procedure on the current text; its deadline is a durable scheduled message.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/written-procedure", OperationId = "startWrittenProcedure"), Tags("Written procedure")]
    [ProducesResponseType<WrittenProcedureWritten>(201)]
    public static (IResult, OutgoingMessages) Post(Guid id, StartWrittenProcedure command, ClaimsPrincipal user,
        [ResolutionStream] IEventStream<Resolution> stream, [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var procedureId = Guid.CreateVersion7();
        DateTimeOffset deadline = default;
        // The deadline is a durable scheduled message committed with the written_procedure_started event (see Decision).
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) =>
            {
                var now = clock.GetUtcNow();
                deadline = command.ParsedDeadline ?? now.AddDays(body.WrittenProcedure.DefaultDeadlineDays);
                return WrittenProcedureDecisions.Start(state, body, procedureId, deadline, caller, now);
            },
            outcome => Results.Created($"/api/resolutions/{id}", new WrittenProcedureWritten(id, procedureId, outcome.Version, "running", deadline)));
    }
}

public static class ConsentEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the resolution.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>A representative of a voting member consents for their Land.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/written-procedure/consent", OperationId = "consentInWrittenProcedure"), Tags("Written procedure")]
    [ProducesResponseType<WrittenProcedureWritten>(200)]
    [Consumes(typeof(GiveConsent), "application/json", IsOptional = true)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid id, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock,
        Signing.ActSigning signing, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var now = clock.GetUtcNow();
        if (await Signing.OptionalBody.ReadAsync(context, () => new GiveConsent(), ct) is not { } command)
            return (Problems.Make(Problems.MalformedRequest, 400, "The request body cannot be read.",
                "The body is optional; when sent it is a JSON object such as {\"signature\": {...}}.").ToResult(), new OutgoingMessages());
        Decision Consent(Resolution state, Body body, Caller acting) => WrittenProcedureDecisions.Consent(state, body, acting, now);
        var signed = await signing.DecideSignedAsync(stream, bodies, caller, Consent, command.Signature, session, ct);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, acting) => signed ?? Consent(state, body, acting),
            outcome => Results.Ok(new WrittenProcedureWritten(id, outcome.State.WrittenProcedure?.Id ?? Guid.Empty, outcome.Version, "running",
                outcome.State.WrittenProcedure?.Deadline)));
    }
}

/// <c>signature</c>: the author's passkey assertion over the objection (required where the body requires signed acts).
public sealed record RaiseObjection(string? Reason, Signing.PasskeyAssertion? Signature = null);

/// <summary>The optional body of a consent: the author's passkey assertion over it.</summary>
public sealed record GiveConsent(Signing.PasskeyAssertion? Signature = null);

public static class ObjectionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(RaiseObjection command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(RaiseObjection command) =>
        TextRules.CheckShort(command.Reason, "the reason for the objection", 2000) ?? WolverineContinue.NoProblems;

    /// <summary>An objection ends the written procedure; the resolution goes onto the agenda of the body's next session.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/written-procedure/objection", OperationId = "objectInWrittenProcedure"), Tags("Written procedure")]
    [ProducesResponseType<WrittenProcedureWritten>(200)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid id, RaiseObjection command, ClaimsPrincipal user, IDocumentStore store,
        [ResolutionStream] IEventStream<Resolution> stream, [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock,
        Signing.ActSigning signing, CancellationToken ct)
    {
        var caller = Caller.From(user);
        Guid procedureId = default;
        var next = await NextSession.FindAsync(store, id, clock.GetUtcNow(), ct);
        var now = clock.GetUtcNow();
        Decision Object(Resolution state, Body body, Caller acting) =>
            WrittenProcedureDecisions.Object(state, body, command.Reason!.Trim(), next?.Id, acting, now);
        var signed = await signing.DecideSignedAsync(stream, bodies, caller, Object, command.Signature, session, ct);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) =>
            {
                procedureId = state.WrittenProcedure?.Id ?? default;
                return signed ?? Object(state, body, caller);
            },
            outcome => Results.Ok(new WrittenProcedureWritten(id, procedureId, outcome.Version, "objected", null)),
            (session, state, events) => NextSession.Refer(session, next, state, events, caller.ActingAs(Roles.Representative), clock.GetUtcNow()));
    }
}

/// <summary>When the written procedure's deadline comes: end it by its mode and rule, unless it ended before.</summary>
public static class WrittenProcedureDeadlineHandler
{
    public static readonly Actor Deadline = new("system:deadline", "Fristablauf", null, Roles.Chair);

    public static async Task<OutgoingMessages> Handle(WrittenProcedureDeadline message, IDocumentStore store, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var next = await NextSession.FindAsync(store, message.ResolutionId, clock.GetUtcNow(), ct);
        return ResolutionCommand.Apply(stream, bodies, session, Deadline,
            (state, _) => WrittenProcedureDecisions.EndAtDeadline(state, message.ProcedureId, next?.Id, Deadline, clock.GetUtcNow()),
            (session, state, events) => NextSession.Refer(session, next, state, events, Deadline, clock.GetUtcNow()));
    }
}

/// <summary>A written procedure that ended without adoption puts the resolution on the agenda of the body's next scheduled session.</summary>
public static class NextSession
{
    public static async Task<SessionView?> FindAsync(IDocumentStore store, Guid resolutionId, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var resolution = await session.LoadAsync<Resolution>(resolutionId, ct);
        if (resolution is null) return null;
        var scheduled = await session.Query<SessionView>()
            .Where(s => s.Body == resolution.Body && s.Status == SessionStatus.Scheduled && s.StartsAt > now)
            .ToListAsync(ct);
        return scheduled.OrderBy(s => s.StartsAt).FirstOrDefault();
    }

    public static void Refer(IDocumentSession session, SessionView? next, Resolution state, IReadOnlyList<object> events, Actor actor, DateTimeOffset now)
    {
        var ended = events.OfType<WrittenProcedureEnded>().FirstOrDefault();
        if (next is null || ended?.ReferredToSession != next.Id || next.Agenda.Any(i => i.ResolutionId == state.Id)) return;
        session.Events.Append(next.Id, new AgendaItemAdded(next.Id, Guid.CreateVersion7(), next.Agenda.Count + 1, state.Id, state.Title,
            ended.Outcome == WrittenProcedureOutcome.Objected ? "Einwand im Umlaufverfahren" : "Umlaufverfahren ohne Mehrheit", actor, now));
    }
}
