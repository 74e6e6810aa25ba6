using System.Security.Claims;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace BundLaenderKoordination.Api.Identity.Mandates;

public sealed record GrantMandate(string? PersonId, string? PersonName, string? Land, string? Role);

public sealed record RequestMandateRevocation(string? Reason);

/// <summary>A person's mandate in a body as administrators and auditors read it.</summary>
public sealed record MandateView(string PersonId, string PersonName, string Body, Guid MandateId, string Land, string Role, MandateStatus Status,
    string GrantedBy, string? RevocationRequestedBy, DateTimeOffset Since)
{
    /// <summary>The name of who granted it, as recorded in the grant.</summary>
    public string? GrantedByName { get; init; }

    /// <summary>Who approved it (the second pair of eyes), once approved.</summary>
    public string? ApprovedBy { get; init; }

    public string? ApprovedByName { get; init; }

    public string? RevocationRequestedByName { get; init; }

    public static MandateView? Of(MandateStream stream) => stream.Current is not { } c ? null
        : new(stream.PersonId, stream.PersonName, stream.Body, c.MandateId, c.Land, c.Role, c.Status, c.GrantedBy, c.RevocationRequestedBy, c.Since)
        {
            GrantedByName = c.GrantedByName,
            ApprovedBy = c.ApprovedBy,
            ApprovedByName = c.ApprovedByName,
            RevocationRequestedByName = c.RevocationRequestedByName,
        };
}

public static class GrantMandateEndpoint
{
    /// <summary>The stream of the person the grant names, in the body of the route.</summary>
    public static Guid Stream(string bodyId, GrantMandate command) => MandateCommand.StreamOf(bodyId, command.PersonId?.Trim());

    public static ProblemDetails Validate(GrantMandate command)
    {
        if (string.IsNullOrWhiteSpace(command.PersonId)) return Problems.Invalid("Name the person by personId, the subject (sub) of their tokens.");
        if (string.IsNullOrWhiteSpace(command.PersonName)) return Problems.Invalid("Give the person's name as personName.");
        if (Lands.Normalize(command.Land) is null) return Problems.Invalid($"'{command.Land}' is not a Land: use an ISO 3166-2:DE code such as \"DE-BY\", or \"BUND\".");
        if (string.IsNullOrWhiteSpace(command.Role)) return Problems.Invalid("Name the role: \"representative\", \"chair\" or \"coordinator\".");
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Grants a person a mandate in a body for one Land or the Bund (administrators; a Land's coordinator for that Land's
    /// representative and chair mandates); it takes effect when a second person approves it.
    /// </summary>
    [WolverinePost("/api/bodies/{bodyId}/mandates", OperationId = "grantMandate"), Tags("Mandates")]
    [ProducesResponseType<MandateView>(201)]
    public static async Task<IResult> Post(string bodyId, GrantMandate command,
        [WriteAggregate(Required = false, FromMethod = nameof(Stream))] IEventStream<MandateStream> stream,
        [All] IReadOnlyList<Body> bodies, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var personId = command.PersonId!.Trim();
        var recipientRoles = await MandateCommand.RolesOf(session, personId, caller, ct);
        return MandateCommand.Decide(stream, bodies, bodyId, session, caller,
            (state, body) => MandateDecisions.Grant(state, body, Guid.CreateVersion7(), personId, command.PersonName!.Trim(),
                Lands.Normalize(command.Land)!, command.Role!.Trim(), caller, recipientRoles, clock.GetUtcNow()),
            after => Results.Created($"/api/bodies/{bodyId}/mandates/{Uri.EscapeDataString(personId)}", MandateView.Of(after)));
    }
}

public static class ApproveMandateEndpoint
{
    /// <summary>The person's mandate stream in the body, both named by the route.</summary>
    public static Guid Stream(string bodyId, string personId) => MandateCommand.StreamOf(bodyId, personId);

    /// <summary>Approves the pending grant; the approver must not be the person who granted it.</summary>
    [WolverinePost("/api/bodies/{bodyId}/mandates/{personId}/approval", OperationId = "approveMandate"), Tags("Mandates")]
    [ProducesResponseType<MandateView>(200)]
    public static async Task<IResult> Post(string bodyId, string personId, [WriteAggregate(Required = false, FromMethod = nameof(Stream))] IEventStream<MandateStream> stream,
        [All] IReadOnlyList<Body> bodies, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var recipientRoles = await MandateCommand.RolesOf(session, personId, caller, ct);
        return MandateCommand.Decide(stream, bodies, bodyId, session, caller,
            (state, body) => MandateDecisions.Approve(state, body.Id, caller, recipientRoles, clock.GetUtcNow()), after => Results.Ok(MandateView.Of(after)));
    }
}

public static class WithdrawMandateGrantEndpoint
{
    public static Guid Stream(string bodyId, string personId) => MandateCommand.StreamOf(bodyId, personId);

    /// <summary>Takes back a grant nobody has approved yet.</summary>
    [WolverinePost("/api/bodies/{bodyId}/mandates/{personId}/withdrawal", OperationId = "withdrawMandateGrant"), Tags("Mandates")]
    [ProducesResponseType(204)]
    public static IResult Post(string bodyId, string personId, [WriteAggregate(Required = false, FromMethod = nameof(Stream))] IEventStream<MandateStream> stream,
        [All] IReadOnlyList<Body> bodies, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return MandateCommand.Decide(stream, bodies, bodyId, session, caller,
            (state, body) => MandateDecisions.Withdraw(state, body.Id, caller, clock.GetUtcNow()), _ => Results.NoContent());
    }
}

public static class RequestMandateRevocationEndpoint
{
    public static Guid Stream(string bodyId, string personId) => MandateCommand.StreamOf(bodyId, personId);

    /// <summary>Asks to end a mandate in effect; it ends when a second administrator confirms.</summary>
    [WolverinePost("/api/bodies/{bodyId}/mandates/{personId}/revocation", OperationId = "requestMandateRevocation"), Tags("Mandates")]
    [ProducesResponseType<MandateView>(200)]
    public static IResult Post(string bodyId, string personId, RequestMandateRevocation command,
        [WriteAggregate(Required = false, FromMethod = nameof(Stream))] IEventStream<MandateStream> stream,
        [All] IReadOnlyList<Body> bodies, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return MandateCommand.Decide(stream, bodies, bodyId, session, caller,
            (state, body) => MandateDecisions.RequestRevocation(state, body.Id, command.Reason?.Trim() ?? "", caller, clock.GetUtcNow()),
            after => Results.Ok(MandateView.Of(after)));
    }
}

public static class ConfirmMandateRevocationEndpoint
{
    public static Guid Stream(string bodyId, string personId) => MandateCommand.StreamOf(bodyId, personId);

    /// <summary>Confirms a requested revocation; from this moment the person no longer acts under the mandate.</summary>
    [WolverinePost("/api/bodies/{bodyId}/mandates/{personId}/revocation/confirmation", OperationId = "confirmMandateRevocation"), Tags("Mandates")]
    [ProducesResponseType(204)]
    public static IResult Post(string bodyId, string personId, [WriteAggregate(Required = false, FromMethod = nameof(Stream))] IEventStream<MandateStream> stream,
        [All] IReadOnlyList<Body> bodies, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return MandateCommand.Decide(stream, bodies, bodyId, session, caller,
            (state, body) => MandateDecisions.ConfirmRevocation(state, body.Id, caller, clock.GetUtcNow()), _ => Results.NoContent());
    }
}

public static class ListMandatesEndpoint
{
    /// <summary>
    /// Every mandate of a body that is pending or in effect; with <c>land</c>, those of one Land (or the Bund).
    /// Administrators and auditors read all; a Land's coordinator in the body reads the mandates of that Land only.
    /// </summary>
    [WolverineGet("/api/bodies/{bodyId}/mandates", OperationId = "listMandates"), Tags("Mandates")]
    [ProducesResponseType<IReadOnlyList<MandateView>>(200)]
    public static async Task<IResult> Get(string bodyId, string? land, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        string? only = null;
        if (land is not null && (only = Lands.Normalize(land)) is null)
            return Problems.Invalid($"'{land}' is not a Land: use an ISO 3166-2:DE code such as \"DE-BY\", or \"BUND\".").ToResult();
        var caller = Caller.From(user);
        if (!caller.Has(Roles.Admin) && !caller.Has(Roles.Auditor))
        {
            if (await session.LoadBodyAsync(bodyId, ct) is null) return Problems.Missing($"There is no body '{bodyId}'.").ToResult();
            if (caller.MandateIn(bodyId) is not { Role: Roles.Coordinator } coordinator)
                return Problems.Forbid($"Only administrators, auditors and the Länder's coordinators in {bodyId} read its mandates.").ToResult();
            if (only is not null && only != coordinator.Land)
                return Problems.Forbid($"As coordinator for {Lands.NameOf(coordinator.Land)} you read the mandates of {Lands.NameOf(coordinator.Land)} only.").ToResult();
            only = coordinator.Land;
        }
        var streams = await session.Query<MandateStream>().Where(m => m.Body == bodyId).ToListAsync(ct);
        return Results.Ok(streams.Select(MandateView.Of).OfType<MandateView>().Where(m => only is null || m.Land == only)
            .OrderBy(m => m.Land).ThenBy(m => m.PersonId).ToList());
    }
}

public sealed record Me(string PersonId, string Name, IReadOnlyList<string> Roles, IReadOnlyList<HeldMandate> Mandates);

public static class MeEndpoint
{
    /// <summary>Who the service takes the caller to be: the person, the roles their organisation gave them, the mandates in effect.</summary>
    [WolverineGet("/api/me", OperationId = "getMe"), Tags("Identity")]
    [ProducesResponseType<Me>(200)]
    public static Me Get(ClaimsPrincipal user)
    {
        var caller = Caller.From(user);
        return new Me(caller.PersonId, caller.Name, caller.Roles.Order().ToList(), caller.Mandates ?? []);
    }
}
