using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Restricting;

/// <summary>The whole new group: every member kept and others added, or empty to open the resolution to all readers.</summary>
public sealed record ChangeRestriction(IReadOnlyList<string?>? RestrictedTo, long? ExpectedVersion = null);

public sealed record RestrictionWritten(Guid Id, long Version, IReadOnlyList<string> RestrictedTo);

public static class ChangeRestrictionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ChangeRestriction command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ChangeRestriction command) =>
        command.RestrictedTo is null
            ? Problems.Invalid("Send restrictedTo: the whole new group (every member kept, others added), or [] to open the resolution to all readers.")
            : Confidentiality.Parse(command.RestrictedTo, out _) ?? WolverineContinue.NoProblems;

    /// <summary>
    /// Widens who may read a restricted resolution, or opens it to all readers: the proposing Land or the chair in
    /// office, both members of the group. A restriction never narrows.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePut("/api/resolutions/{id}/restriction", OperationId = "changeRestriction"), Tags("Resolutions")]
    [ProducesResponseType<RestrictionWritten>(200)]
    public static (IResult, OutgoingMessages) Put(Guid id, ChangeRestriction command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        Confidentiality.Parse(command.RestrictedTo, out var group);
        return ResolutionCommand.Decide(stream, bodies, session, command.ExpectedVersion, Caller.From(user),
            (state, body, caller) => ResolutionDecisions.ChangeRestriction(state, body, group, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new RestrictionWritten(id, outcome.Version, outcome.State.RestrictedTo)));
    }
}
