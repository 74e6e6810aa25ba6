using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Sessions.Scheduling;

/// <summary>An agenda item: a resolution of the body (its title is taken) or, without one, a title of its own.</summary>
public sealed record AddAgendaItem(Guid? ResolutionId, string? Title, string? Note);

public static class AddAgendaItemEndpoint
{
    public static ProblemDetails Validate(AddAgendaItem command)
    {
        if (command.ResolutionId is null && (string.IsNullOrWhiteSpace(command.Title) || command.Title.Length > 500))
            return Problems.Invalid("Name a resolutionId, or give the item a title of 1 to 500 characters.");
        if (command.ResolutionId is null && TextRules.CheckShort(command.Title, "the item's title", 500) is { } title) return title;
        if (command.Note is not null && TextRules.CheckShort(command.Note, "a note", 2000) is { } note) return note;
        return WolverineContinue.NoProblems;
    }

    /// <summary>The chair puts an item on the agenda of a session that is not closed.</summary>
    [WolverinePost("/api/sessions/{id}/agenda", OperationId = "addAgendaItem"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static Task<IResult> Post(Guid id, AddAgendaItem command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return SessionCommands.Execute<SessionView>(store, id, caller, s => s.Body,
            async (state, body, session) =>
            {
                // A resolution the chair may not read is unknown here too; a restricted one waits until its group opens it.
                var resolution = command.ResolutionId is { } rid ? await Confidentiality.FindAsync(session, rid, caller, ct) : null;
                if (resolution is { RestrictedTo.Count: > 0 })
                    return Decision.Refuse(Confidentiality.Refused("The agenda is read by everyone who reads the body's sessions.",
                        $"The resolution is readable by {string.Join(", ", resolution.RestrictedTo)} only; its group opens it to all readers before it goes on an agenda."));
                return SessionDecisions.AddAgendaItem(state, body, Guid.CreateVersion7(), command.ResolutionId, resolution?.Body,
                    resolution?.Title ?? command.Title!.Trim(), command.Note, caller.In(body.Id), clock.GetUtcNow());
            },
            Results.Ok, SessionView.Next, "session", ct);
    }
}
