using System.Security.Claims;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingAuditTrail;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Sessions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// File exports of resolutions, sessions and bodies. Each reads like its JSON counterpart: a resolution the caller may not
/// read is answered exactly as an unknown id (404), in every format.
/// </summary>
public static class ExportEndpoints
{
    public const string ExportUnavailable = "/problems/export-unavailable";

    /// <summary>A resolution as Akoma Ntoso 3.0 at a stream version (<c>?version=n</c>) or instant (<c>?at=</c>); else the adopted or current text.</summary>
    [WolverineGet("/api/resolutions/{id}/akn", OperationId = "exportResolutionAkomaNtoso"), Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, AkomaNtoso.MediaType)]
    public static async Task<IResult> AkomaNtosoOfResolution(Guid id, long? version, string? at, ClaimsPrincipal user, IQuerySession session,
        AuditTables tables, CancellationToken ct)
    {
        var (v, problem) = await ResolutionRecord.VersionAsync(session, id, version, at, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        var record = await ResolutionRecord.ReadAsync(session, tables, id, v, ct);
        return Xml(AkomaNtoso.Resolution(record), FileNames.Of($"{record.View.Title} (Fassung {record.View.TextVersion})", ".akn.xml"));
    }

    /// <summary>An amendment (Änderungsantrag) as an Akoma Ntoso <c>amendment</c> document referring to the text version it is against.</summary>
    [WolverineGet("/api/resolutions/{id}/amendments/{amendmentId}/akn", OperationId = "exportAmendmentAkomaNtoso"), Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, AkomaNtoso.MediaType)]
    public static async Task<IResult> AkomaNtosoOfAmendment(Guid id, Guid amendmentId, ClaimsPrincipal user, IQuerySession session, AuditTables tables,
        CancellationToken ct)
    {
        var (v, problem) = await ResolutionRecord.VersionAsync(session, id, null, null, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        var record = await ResolutionRecord.ReadAsync(session, tables, id, v, ct);
        var amendment = record.View.Amendments.FirstOrDefault(a => a.Id == amendmentId);
        if (amendment is null) return Problems.Missing($"Resolution {id} has no amendment {amendmentId}.").ToResult();
        return Xml(AkomaNtoso.Amendment(record, amendment), FileNames.Of($"Änderungsantrag Ä{amendment.Number} {record.View.Title}", ".akn.xml"));
    }

    /// <summary>The resolution as filed, as a PDF: text by paragraph, the vote of each Land, Protokollerklärungen, text hash and seal.</summary>
    [WolverineGet("/api/resolutions/{id}/pdf", OperationId = "exportResolutionPdf"), Tags("Exports")]
    [ProducesResponseType(typeof(byte[]), 200, PdfDocuments.MediaType)]
    public static async Task<IResult> PdfOfResolution(Guid id, long? version, string? at, ClaimsPrincipal user, IQuerySession session,
        AuditTables tables, CancellationToken ct)
    {
        var (v, problem) = await ResolutionRecord.VersionAsync(session, id, version, at, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        if (PdfFonts.Installed() is null) return FontsMissing().ToResult();
        var record = await ResolutionRecord.ReadAsync(session, tables, id, v, ct);
        var body = await session.LoadBodyAsync(record.View.Body, ct);
        return Results.File(PdfDocuments.Resolution(record, body?.Name ?? record.View.Body), PdfDocuments.MediaType,
            FileNames.Of($"{record.View.Title} (Fassung {record.View.TextVersion})", ".pdf"));
    }

    /// <summary>The votes of one ballot (numbered from 1) as CSV; <c>?dialect=de</c> for a German spreadsheet.</summary>
    [WolverineGet("/api/resolutions/{id}/ballots/{number}/votes/csv", OperationId = "exportBallotVotesCsv"), Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    public static async Task<IResult> VotesOfBallot(Guid id, int number, string? dialect, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (CsvExports.Parse(dialect) is not { } parsed) return BadDialect(dialect).ToResult();
        var view = await Confidentiality.FindAsync(session, id, Caller.From(user), ct);
        if (view is null) return Confidentiality.NotFound(id).ToResult();
        var ballot = view.Ballots.FirstOrDefault(b => b.Number == number);
        if (ballot is null) return Problems.Missing($"Resolution {id} has no ballot {number}.").ToResult();
        return Csv(CsvExports.Write(CsvExports.VoteColumns, CsvExports.Votes(ballot), parsed), $"Stimmen Abstimmung {number} {view.Title}");
    }

    /// <summary>The audit trail of a resolution (as <c>GET /api/resolutions/{id}/audit-trail</c>) as CSV.</summary>
    [WolverineGet("/api/resolutions/{id}/audit-trail/csv", OperationId = "exportAuditTrailCsv"), Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    public static async Task<IResult> AuditTrail(Guid id, string? dialect, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (CsvExports.Parse(dialect) is not { } parsed) return BadDialect(dialect).ToResult();
        var view = await Confidentiality.FindAsync(session, id, Caller.From(user), ct);
        if (view is null) return Confidentiality.NotFound(id).ToResult();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        return Csv(CsvExports.Write(CsvExports.AuditColumns, CsvExports.Audit(AuditTrailEndpoint.Describe(events)), parsed), $"Prüfpfad {view.Title}");
    }

    /// <summary>The timeline of a resolution, every step in German, as CSV.</summary>
    [WolverineGet("/api/resolutions/{id}/timeline/csv", OperationId = "exportTimelineCsv"), Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    public static async Task<IResult> TimelineOfResolution(Guid id, string? dialect, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (CsvExports.Parse(dialect) is not { } parsed) return BadDialect(dialect).ToResult();
        var view = await Confidentiality.FindAsync(session, id, Caller.From(user), ct);
        if (view is null) return Confidentiality.NotFound(id).ToResult();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        return Csv(CsvExports.Write(CsvExports.TimelineColumns, CsvExports.Timeline(events.Select(e => Timeline.Entry(e, Language.German))), parsed), $"Verlauf {view.Title}");
    }

    /// <summary>A session's Beschlussprotokoll as a PDF: date, place, format, attendance, the agenda with each outcome, the declarations.</summary>
    [WolverineGet("/api/sessions/{id}/minutes/pdf", OperationId = "exportSessionMinutesPdf"), Tags("Exports")]
    [ProducesResponseType(typeof(byte[]), 200, PdfDocuments.MediaType)]
    public static async Task<IResult> Minutes(Guid id, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<SessionView>(id, ct);
        if (view is null) return Problems.Missing($"There is no session {id}.").ToResult();
        if (PdfFonts.Installed() is null) return FontsMissing().ToResult();
        var caller = Caller.From(user);
        var resolutions = new Dictionary<Guid, ResolutionView>();
        foreach (var rid in view.Agenda.Where(i => i.ResolutionId is not null).Select(i => i.ResolutionId!.Value).Distinct())
            if (await Confidentiality.FindAsync(session, rid, caller, ct) is { } resolution) resolutions[rid] = resolution;
        var body = await session.LoadBodyAsync(view.Body, ct);
        return Results.File(PdfDocuments.Minutes(view, body?.Name ?? view.Body, resolutions), PdfDocuments.MediaType,
            FileNames.Of($"Beschlussprotokoll {view.Body} {GermanDate(view.StartsAt)}", ".pdf"));
    }

    /// <summary>A body's calendar (iCalendar): its sessions and the deadlines of running written procedures, Europe/Berlin.</summary>
    [WolverineGet("/api/bodies/{code}/calendar/ics", OperationId = "exportBodyCalendar"), Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, "text/calendar")]
    public static async Task<IResult> Calendar(string code, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var body = await session.LoadBodyAsync(code, ct);
        if (body is null) return Problems.Missing($"There is no body '{code}'.").ToResult();
        var sessions = await session.Query<SessionView>().Where(s => s.Body == body.Id).ToListAsync(ct);
        var hidden = await Confidentiality.HiddenAsync(session, Caller.From(user), body.Id, ct);
        var resolutions = (await session.Query<ResolutionView>().Where(r => r.Body == body.Id).ToListAsync(ct))
            .Where(r => !hidden.Contains(r.Id) && r.WrittenProcedures.Any(p => p.Status == WrittenProcedureStatus.Running));
        var text = CalendarFeed.Write(body.Name, sessions, resolutions, clock.GetUtcNow());
        return Results.File(Encoding.UTF8.GetBytes(text), CalendarFeed.MediaType, FileNames.Of($"Sitzungskalender {body.Name}", ".ics"));
    }

    private static IResult Xml(XDocument document, string fileName)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            document.Save(writer);
        return Results.File(stream.ToArray(), AkomaNtoso.MediaType + "; charset=utf-8", fileName);
    }

    private static IResult Csv(byte[] content, string name) => Results.File(content, CsvExports.MediaType, FileNames.Of(name, ".csv"));

    private static ProblemDetails BadDialect(string? dialect) =>
        Problems.Invalid($"'{dialect}' is no CSV dialect: leave it out (RFC 4180, comma) or send dialect=de (semicolon, with BOM, for a German spreadsheet).");

    private static ProblemDetails FontsMissing() =>
        Problems.Make(ExportUnavailable, 503, "PDF exports are unavailable.",
            "No font to embed was found. Install Debian's fonts-dejavu-core (or fonts-liberation), or set BLK_FONT_DIR to a directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.");

    private static string GermanDate(DateTimeOffset at) => Web.GermanTime.Local(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>File names as a German office keeps them: the words of the title, without characters file systems refuse.</summary>
public static class FileNames
{
    public static string Of(string name, string extension)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (char.IsControl(c) || "\"/\\:*?<>|".Contains(c)) builder.Append(' ');
            else builder.Append(c);
        }
        var words = string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (words.Length > 100) words = words[..100].TrimEnd();
        return words.TrimEnd('.') + extension;
    }
}
