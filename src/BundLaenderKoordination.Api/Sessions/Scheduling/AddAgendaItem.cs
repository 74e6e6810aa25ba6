using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Bodies;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace BundLaenderKoordination.Api.Sessions.Scheduling;

/// <summary>An agenda item: a resolution of the body (its title is taken) or, without one, a title of its own.</summary>
public sealed record AddAgendaItem(Guid? ResolutionId, string? Title, string? Note);

public static class AddAgendaItemEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(AddAgendaItem command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(AddAgendaItem command)
    {
        if (command.ResolutionId is null && (string.IsNullOrWhiteSpace(command.Title) || command.Title.Length > 500))
            return Problems.Invalid("Name a resolutionId, or give the item a title of 1 to 500 characters.");
        if (command.ResolutionId is null && TextRules.CheckShort(command.Title, "the item's title", 500) is { } title) return title;
        if (command.Note is not null && TextRules.CheckShort(command.Note, "a note", 2000) is { } note) return note;
        return WolverineContinue.NoProblems;
    }

    /// <summary>The resolution the item names; none (the empty id loads nothing) for an item with a title of its own.</summary>
    public static Guid ResolutionStream(AddAgendaItem command) => command.ResolutionId ?? Guid.Empty;

    /// <summary>
    /// The chair puts an item on the agenda of a session that is not closed. Items are numbered in the order they arrive,
    /// so additions queue on the session's stream lock instead of failing each other; the resolution named and the
    /// bodies are loaded in the same round trip.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/sessions/{id}/agenda", OperationId = "addAgendaItem"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static IResult Post(Guid id, AddAgendaItem command,
        [WriteAggregate(Required = false, LoadStyle = Wolverine.Marten.ConcurrencyStyle.Exclusive)] IEventStream<SessionView> stream,
        [Entity(Required = false, FromMethod = nameof(ResolutionStream))] Resolution? named,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        // A resolution the chair may not read is unknown here too; a restricted one waits until its group opens it.
        var resolution = command.ResolutionId is not null && named is not null && Confidentiality.MaySee(caller, named.Body, named.RestrictedTo) ? named : null;
        return SessionCommand.Decide(stream, bodies, session, caller, "session", s => s.Body,
            (state, body, acting) => resolution is { RestrictedTo.Count: > 0 }
                ? Decision.Refuse(Confidentiality.Refused("The agenda is read by everyone who reads the body's sessions.",
                    $"The resolution is readable by {string.Join(", ", resolution.RestrictedTo)} only; its group opens it to all readers before it goes on an agenda."))
                // No title for an unknown resolution: the decision refuses it before a title matters (it was a 500).
                : SessionDecisions.AddAgendaItem(state, body, Guid.CreateVersion7(), command.ResolutionId, resolution?.Body,
                    resolution?.Title ?? command.Title?.Trim() ?? "", command.Note, acting, clock.GetUtcNow()),
            Results.Ok, SessionView.Next);
    }
}
