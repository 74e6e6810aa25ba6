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

namespace BundLaenderKoordination.Api.Resolutions.Editing;

/// <summary>
/// The text as the client wants it, with either <c>baseTextVersion</c> (the text version it read: edits of different
/// paragraphs merge) or <c>expectedVersion</c> (the stream version it read: any change in between is a conflict).
/// </summary>
public sealed record EditText(long? ExpectedVersion, IReadOnlyList<ParagraphInput?>? Paragraphs, int? BaseTextVersion = null);

public sealed record ParagraphInput(string? Id, string? Text);

public static class EditTextEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(EditText command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(EditText command)
    {
        if (command.ExpectedVersion is not null && command.BaseTextVersion is not null)
            return Problems.Invalid("Send either baseTextVersion (merge with others' edits) or expectedVersion (replace exactly what you read), not both.");
        if (command.BaseTextVersion is < 1)
            return Problems.Invalid("baseTextVersion is the text version you read (a positive integer).");
        if (command.BaseTextVersion is null && command.ExpectedVersion is null or < 1)
            return Problems.Invalid("Send the text version you read as baseTextVersion, or the version you read as expectedVersion (a positive integer).");
        if (command.Paragraphs is null || command.Paragraphs.Any(p => p is null))
            return Problems.Invalid("Send the whole text as a list of paragraphs.");
        if (ResolutionLimits.CheckParagraphCount(command.Paragraphs.Count) is { } tooMany) return TextRules.Refusal(tooMany);
        var ids = command.Paragraphs.Where(p => p!.Id is not null).Select(p => p!.Id!).ToList();
        if (ids.Select(i => TextRules.CheckParagraphId(i, "id")).FirstOrDefault(p => p is not null) is { } idProblem)
            return Problems.Invalid(idProblem);
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            return Problems.Invalid("A paragraph id may appear only once.");
        // The title does not change with an edit, but it counts towards the total length.
        if (TextRules.CheckParagraphs("", command.Paragraphs.Select(p => p!.Text).ToList()) is { } problem)
            return TextRules.Refusal(problem);
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Co-edits the text: paragraphs sent with an id keep their identity, those without get a new id, those left out are
    /// removed. Edited from an older text version, only the paragraphs changed against it are merged onto the current text.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePut("/api/resolutions/{id}/text", OperationId = "editText"), Tags("Resolutions")]
    [ProducesResponseType<ResolutionWritten>(200)]
    public static (IResult, OutgoingMessages) Put(Guid id, EditText command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var edits = command.Paragraphs!.Select(p => new ParagraphEdit(p!.Id, p.Text!)).ToList();
        // A merge decides again on fresh state when another writer got in first, so it needs no expected version.
        return ResolutionCommand.Decide(stream, bodies, session, command.BaseTextVersion is null ? command.ExpectedVersion : null, caller,
            (state, body, caller) =>
            {
                var total = TextRules.Length(state.Title) + edits.Sum(e => TextRules.Length(e.Text));
                if (total > TextRules.MaxTextLength)
                    return Problems.Invalid($"The text has {total} characters; at most {TextRules.MaxTextLength} are allowed in all.");
                return command.BaseTextVersion is { } baseTextVersion
                    ? ResolutionDecisions.EditFromBase(state, body, baseTextVersion, edits, caller, clock.GetUtcNow())
                    : ResolutionDecisions.EditText(state, body, edits, caller, clock.GetUtcNow());
            },
            outcome => Results.Ok(new ResolutionWritten(id, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash)));
    }
}
