using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingAuditTrail;
using BundLaenderKoordination.Api.Resolutions.GettingDiffs;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// A resolution to work on: its text by paragraph with open brackets, amendments with their diff, comments by
/// paragraph, the Länder's votes; forms to edit, comment, amend and vote. Every write names what the page showed
/// (the stream version for an edit, the text version for a vote), so a change by someone else in between is refused by
/// the service and the page says so, shows the new version and keeps what the person wrote.
/// </summary>
public sealed partial class ResolutionModel(ServiceApi api, Viewer viewer, UiLanguage l) : PageModel
{
    [FromRoute] public Guid Id { get; set; }

    public ResolutionView View { get; private set; } = null!;
    public IReadOnlyDictionary<Guid, AmendmentDiff> AmendmentDiffs { get; private set; } = new Dictionary<Guid, AmendmentDiff>();

    /// <summary>
    /// How many amendments the page shows in full at once (the open ones first, by number); an overview lists every
    /// amendment with a link to its page, so that a page stays small however many amendments the Länder make.
    /// </summary>
    public const int AmendmentsPerPage = 20;
    /// <summary>The page of amendments asked for (<c>?antraege=2</c>); without it, the page of the amendment just acted on, else the first.</summary>
    [BindProperty(SupportsGet = true, Name = "antraege")] public int? AmendmentPageAsked { get; set; }
    /// <summary>Every amendment in the order the page lists them: the open ones first, then by number.</summary>
    public IReadOnlyList<AmendmentView> OrderedAmendments { get; private set; } = [];
    /// <summary>The amendments of the page shown, in full.</summary>
    public IReadOnlyList<AmendmentView> ShownAmendments { get; private set; } = [];
    public int AmendmentPage { get; private set; } = 1;
    public int AmendmentPages { get; private set; } = 1;
    /// <summary>The page of amendments on which the amendment with this number is shown in full.</summary>
    public int PageOfAmendment(int number)
    {
        for (var i = 0; i < OrderedAmendments.Count; i++)
            if (OrderedAmendments[i].Number == number) return i / AmendmentsPerPage + 1;
        return 1;
    }
    /// <summary>The reader as the service will judge them in this resolution's body: their mandate there, the chair in office.</summary>
    public Capacity Acting { get; private set; } = new(null, null);
    public bool IsAuditor { get; private set; }

    [TempData] public string? Notice { get; set; }
    public string? Error { get; private set; }
    /// <summary>The section whose form was sent and refused: the refusal is shown there.</summary>
    public string? ErrorAt { get; private set; }
    public bool Stale { get; private set; }
    /// <summary>The service asked for a fresh sign-in (step-up): the page offers it next to the refusal.</summary>
    public bool SignInAgain { get; private set; }
    public string? DraftParagraphId { get; private set; }
    public string? DraftText { get; private set; }

    public bool Open => View.Status == ResolutionStatus.UnderNegotiation;

    /// <summary>
    /// What the reader may do here now, by the same function the service's decisions ask (<see cref="AllowedActions"/>):
    /// a form is offered exactly when the service would accept this person for its action. What else a form needs
    /// (an open amendment, a Land that has not answered yet) is the page's own.
    /// </summary>
    public AllowedActions Allowed { get; private set; } = AllowedActions.None;

    public bool MayEdit => Allowed.Edit;
    public bool MayComment => Allowed.Comment;
    public bool MayAmend => Allowed.Amend;
    public bool MayBracket => Allowed.Bracket;
    public bool MayVote => Allowed.Vote;
    public bool MayOpenBallot => Allowed.OpenBallot;
    public bool MayCloseBallot => Allowed.CloseBallot;
    /// <summary>Declaring adoption without a ballot; with one open, closing it decides.</summary>
    public bool MayAdopt => Allowed.Adopt && OpenBallot is null;
    public bool MayResolveBrackets => Allowed.ResolveBracket;
    public BallotView? OpenBallot => View.Ballots.FirstOrDefault(b => b.Status == BallotStatus.Open);
    public WrittenProcedureView? RunningProcedure => View.WrittenProcedures.LastOrDefault(p => p.Status == WrittenProcedureStatus.Running);
    public LandVoteView? MyVote => Acting.Land is { } land ? View.Votes.FirstOrDefault(v => v.Land == land) : null;
    public PositionView? MyPosition => Acting.Land is { } land ? View.Positions.FirstOrDefault(p => p.Land == land) : null;

    public bool MayStartProcedure => Allowed.StartWrittenProcedure;
    public bool MayAnswerProcedure => Allowed.AnswerWrittenProcedure && RunningProcedure is { } p
                                      && !p.Consents.Contains(Acting.Land!) && !p.Objections.Contains(Acting.Land!);
    public bool MayRecordPosition => Allowed.RecordPosition;
    public bool MayDeclare => Allowed.Declare;

    public bool MayDecide(AmendmentView a) => a.Status == AmendmentStatus.Open && Allowed.DecideAmendment;

    public bool MaySupport(AmendmentView a) =>
        Open && a.Status == AmendmentStatus.Open && Allowed.SupportAmendment && Acting.Land is { } land
        && land != a.ProposedBy.ActingFor && !a.Supporters.Contains(land);

    /// <summary>Only the amendment's author revises it, typically onto the current text after a conflict.</summary>
    public bool MayRevise(AmendmentView a) => a.Status == AmendmentStatus.Open && Allowed.Amend && Acting.Land == a.ProposedBy.ActingFor;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        // A page that refreshes itself after a live update must not take the notice of the reader's own last action
        // (a vote, an edit) from the page the browser is about to show after that action's redirect.
        if (Request.Headers.ContainsKey(LiveRefreshHeader)) TempData.Keep();
        return await Show(ct);
    }

    /// <summary>Sent by <c>live.js</c> when it reads the page again after a live update.</summary>
    public const string LiveRefreshHeader = "X-Live-Refresh";

    public async Task<IActionResult> OnPostEdit(string paragraphId, string? text, long expectedVersion, CancellationToken ct)
    {
        var current = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!current.Ok) return await Refused(current.Problem!, ct);
        var paragraphs = current.Value!.Paragraphs
            .Select(p => new { id = p.Id, text = p.Id == paragraphId ? (text ?? "").Trim() : p.Text })
            .ToList();
        var result = await api.Send(HttpMethod.Put, $"/api/resolutions/{Id}/text", new { expectedVersion, paragraphs }, ct);
        var number = current.Value!.Paragraphs.ToList().FindIndex(p => p.Id == paragraphId) + 1;
        if (result.Ok)
            return Done(l.T($"Absatz {number} gespeichert: Textfassung {result.Value!["textVersion"]}.",
                $"Paragraph {number} saved: text version {result.Value!["textVersion"]}."), paragraphId);
        DraftParagraphId = paragraphId;
        DraftText = text;
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostComment(string? text, string? paragraphId, string? quote, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/comments",
            new { text, paragraphId = string.IsNullOrEmpty(paragraphId) ? null : paragraphId, quote = string.IsNullOrWhiteSpace(quote) ? null : quote }, ct);
        if (result.Ok) return Done(l.T("Kommentar gespeichert.", "Comment saved."), paragraphId ?? "comments");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostReply(Guid commentId, string? text, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/comments/{commentId}/replies", new { text }, ct);
        if (result.Ok) return Done(l.T("Antwort gespeichert.", "Reply saved."), "text-heading");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostResolve(Guid commentId, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/comments/{commentId}/resolution", null, ct);
        if (result.Ok) return Done(l.T("Kommentar als erledigt markiert.", "Comment marked resolved."), "text-heading");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostReopen(Guid commentId, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Delete, $"/api/resolutions/{Id}/comments/{commentId}/resolution", null, ct);
        if (result.Ok) return Done(l.T("Kommentar wieder geöffnet.", "Comment reopened."), "text-heading");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostBracket(string? paragraphId, string? quote, string? alternative, CancellationToken ct)
    {
        var alternatives = string.IsNullOrWhiteSpace(alternative) ? Array.Empty<string>() : [alternative.Trim()];
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/brackets", new { paragraphId, quote, alternatives }, ct);
        if (result.Ok)
            return Done(l.T($"Klammer {result.Value!["number"]} gesetzt.", $"Bracket {result.Value!["number"]} set."), paragraphId ?? "text-heading");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostBracketAlternative(Guid bracketId, string? wording, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/brackets/{bracketId}/alternatives", new { wording }, ct);
        if (result.Ok) return Done(l.T("Alternative vorgeschlagen.", "Alternative proposed."), "text-heading");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostResolveBracket(Guid bracketId, int alternative, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/brackets/{bracketId}/resolution", new { alternative }, ct);
        if (result.Ok)
            return Done(l.T($"Klammer aufgelöst: Textfassung {result.Value!["textVersion"]}.", $"Bracket resolved: text version {result.Value!["textVersion"]}."), "text-heading");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostVote(string? choice, int textVersion, bool confirm, bool signs, PasskeyForm? passkey, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed("votes", ct);
        if (signs && passkey?.Assertion is null) return await NotSigned("votes", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/votes", new { choice, textVersion, signature = passkey?.Assertion }, ct);
        if (result.Ok)
        {
            var cast = Enum.TryParse<VoteChoice>(result.Value!["choice"]?.GetValue<string>(), ignoreCase: true, out var c) ? l.Choice(c) : "";
            var signed = passkey?.Assertion is null ? "" : l.T(", mit Ihrem Passkey signiert", ", signed with your passkey");
            return Done(l.T($"Stimme gespeichert{signed}: {cast} zu Textfassung {textVersion} (Prüfsumme {result.Value!["textHash"]}).",
                $"Vote recorded{signed}: {cast} on text version {textVersion} (hash {result.Value!["textHash"]})."), "votes");
        }
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostAmend(string? kind, string? paragraphId, string? text, string? rationale, int baseTextVersion, CancellationToken ct)
    {
        object change = kind switch
        {
            "insert" => new { kind, after = string.IsNullOrEmpty(paragraphId) ? null : paragraphId, text },
            "delete" => new { kind, paragraphId },
            _ => new { kind = "replace", paragraphId, text },
        };
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/amendments", new { baseTextVersion, changes = new[] { change }, rationale }, ct);
        if (result.Ok)
            return Done(l.T($"Änderungsantrag Nr. {result.Value!["number"]} gestellt.", $"Amendment no. {result.Value!["number"]} proposed."), "amendments");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostDecide(Guid amendmentId, string? outcome, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/amendments/{amendmentId}/decision", new { outcome }, ct);
        if (result.Ok)
            return Done(outcome == "accept"
                ? l.T($"Änderungsantrag angenommen: Textfassung {result.Value!["textVersion"]}.", $"Amendment accepted: text version {result.Value!["textVersion"]}.")
                : l.T("Änderungsantrag abgelehnt.", "Amendment rejected."), "amendments");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostSupport(Guid amendmentId, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/amendments/{amendmentId}/support", null, ct);
        if (result.Ok) return Done(l.T("Unterstützung gespeichert.", "Support recorded."), "amendments");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostCloseBallot(bool confirm, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed("votes", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/ballots/current/closing", null, ct);
        if (result.Ok) return Done(l.T("Abstimmung geschlossen.", "Ballot closed."), "votes");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostAdopt(long expectedVersion, bool confirm, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed("votes", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/adoption", new { expectedVersion }, ct);
        if (result.Ok) return Done(l.T("Der Beschluss ist gefasst.", "The resolution is adopted."), "votes");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>Accepts an amendment with the chair's wording of each paragraph it replaces or inserts.</summary>
    public async Task<IActionResult> OnPostDecideWithChanges(Guid amendmentId, string[]? paragraphIds, string[]? texts, string? reason, CancellationToken ct)
    {
        var current = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!current.Ok) return await Refused(current.Problem!, ct);
        var amendment = current.Value!.Amendments.FirstOrDefault(a => a.Id == amendmentId);
        if (amendment is null) return NotFound();
        var changes = WithWordings(amendment, paragraphIds ?? [], texts ?? []);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/amendments/{amendmentId}/decision",
            new { outcome = "acceptWithChanges", changes, reason = string.IsNullOrWhiteSpace(reason) ? null : reason }, ct);
        if (result.Ok)
            return Done(l.T($"Änderungsantrag Nr. {amendment.Number} mit Änderungen angenommen: Textfassung {result.Value!["textVersion"]}.",
                $"Amendment no. {amendment.Number} accepted with changes: text version {result.Value!["textVersion"]}."), "amendments");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>The author restates the amendment against the current text version, with the wording they now propose.</summary>
    public async Task<IActionResult> OnPostRevise(Guid amendmentId, int baseTextVersion, string[]? paragraphIds, string[]? texts, string? rationale, CancellationToken ct)
    {
        var current = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!current.Ok) return await Refused(current.Problem!, ct);
        var amendment = current.Value!.Amendments.FirstOrDefault(a => a.Id == amendmentId);
        if (amendment is null) return NotFound();
        var changes = WithWordings(amendment, paragraphIds ?? [], texts ?? []);
        var result = await api.Send(HttpMethod.Put, $"/api/resolutions/{Id}/amendments/{amendmentId}",
            new { baseTextVersion, changes, rationale = string.IsNullOrWhiteSpace(rationale) ? amendment.Rationale : rationale.Trim() }, ct);
        if (result.Ok)
            return Done(l.T($"Änderungsantrag Nr. {amendment.Number} überarbeitet: jetzt zu Textfassung {baseTextVersion}.",
                $"Amendment no. {amendment.Number} revised: now against text version {baseTextVersion}."), "amendments");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>
    /// The amendment's changes as the API takes them, with the wording given in the form for each paragraph it rewords or
    /// inserts (a span change becomes the rewording of its whole paragraph); deletions stay deletions.
    /// </summary>
    public static IReadOnlyList<object> WithWordings(AmendmentView amendment, IReadOnlyList<string> paragraphIds, IReadOnlyList<string> texts)
    {
        var wording = paragraphIds.Zip(texts).GroupBy(x => x.First).ToDictionary(g => g.Key, g => (g.Last().Second ?? "").Trim());
        return amendment.Changes.Select((c, i) => c.Kind switch
        {
            AmendmentChangeKind.Delete => (object)new { kind = "delete", paragraphId = c.ParagraphId },
            AmendmentChangeKind.Insert => new { kind = "insert", after = c.After, text = wording.GetValueOrDefault(EditKey(c, i), c.Text ?? "") },
            _ => new { kind = "replace", paragraphId = c.ParagraphId, text = wording.GetValueOrDefault(EditKey(c, i), WholeParagraph(c)) },
        }).ToList();
    }

    /// <summary>The form field key of a change: its paragraph, or "insert-n" for an inserted paragraph.</summary>
    public static string EditKey(AmendmentChange change, int index) => change.Kind == AmendmentChangeKind.Insert ? $"insert-{index}" : change.ParagraphId ?? $"change-{index}";

    /// <summary>The whole paragraph as the change proposes it (a span change applied to its base paragraph).</summary>
    public static string WholeParagraph(AmendmentChange change) =>
        change.Kind == AmendmentChangeKind.ReplaceSpan && change.BaseText is { } text && change.QuoteStart is { } start && change.Quote is { } quote
        && start + quote.Length <= text.Length
            ? text[..start] + change.Text + text[(start + quote.Length)..]
            : change.Text ?? "";

    public async Task<IActionResult> OnPostPosition(string? position, string? remark, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/positions",
            new { position, remark = string.IsNullOrWhiteSpace(remark) ? null : remark.Trim() }, ct);
        if (result.Ok) return Done(l.T("Position Ihres Landes gespeichert.", "Your Land's position recorded."), "positions");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostDeclaration(string? text, bool signs, PasskeyForm? passkey, CancellationToken ct)
    {
        if (signs && passkey?.Assertion is null) return await NotSigned("declarations", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/declarations", new { text, signature = passkey?.Assertion }, ct);
        if (result.Ok)
            return Done(passkey?.Assertion is null
                ? l.T("Protokollerklärung beigefügt.", "Declaration attached.")
                : l.T("Protokollerklärung beigefügt, mit Ihrem Passkey signiert.", "Declaration attached, signed with your passkey."), "declarations");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostJoinDeclaration(Guid declarationId, bool signs, PasskeyForm? passkey, CancellationToken ct)
    {
        if (signs && passkey?.Assertion is null) return await NotSigned("declarations", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/declarations/{declarationId}/joining",
            passkey?.Assertion is { } assertion ? new { signature = assertion } : null, ct);
        if (result.Ok)
            return Done(passkey?.Assertion is null
                ? l.T("Ihr Land hat sich der Protokollerklärung angeschlossen.", "Your Land joined the declaration.")
                : l.T("Ihr Land hat sich der Protokollerklärung angeschlossen, mit Ihrem Passkey signiert.", "Your Land joined the declaration, signed with your passkey."), "declarations");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>The chair in office starts a written procedure; the deadline is German local time (empty: the body's default).</summary>
    public async Task<IActionResult> OnPostStartProcedure(string? deadline, CancellationToken ct)
    {
        string? at = null;
        if (!string.IsNullOrWhiteSpace(deadline))
        {
            if (GermanTime.TryRead(deadline, out var due) is var problem && problem != GermanTime.Problem.None)
            {
                Error = GermanTime.Explain(problem, l, "die Frist", "the deadline");
                ErrorAt = "procedure";
                Response.StatusCode = 400;
                return await Show(ct);
            }
            at = due.ToString("O");
        }
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/written-procedure", new { deadline = at }, ct);
        if (result.Ok) return Done(l.T("Umlaufverfahren eingeleitet.", "Written procedure started."), "procedure");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostConsent(bool confirm, bool signs, PasskeyForm? passkey, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed("procedure", ct);
        if (signs && passkey?.Assertion is null) return await NotSigned("procedure", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/written-procedure/consent",
            passkey?.Assertion is { } assertion ? new { signature = assertion } : null, ct);
        if (result.Ok)
            return Done(passkey?.Assertion is null
                ? l.T("Zustimmung Ihres Landes gespeichert.", "Your Land's consent recorded.")
                : l.T("Zustimmung Ihres Landes gespeichert, mit Ihrem Passkey signiert.", "Your Land's consent recorded, signed with your passkey."), "procedure");
        return await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostObjection(string? reason, bool signs, PasskeyForm? passkey, CancellationToken ct)
    {
        if (signs && passkey?.Assertion is null) return await NotSigned("procedure", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/written-procedure/objection", new { reason, signature = passkey?.Assertion }, ct);
        if (result.Ok)
            return Done(l.T("Widerspruch Ihres Landes gespeichert; der Beschluss kommt auf die Tagesordnung der nächsten Sitzung.",
                "Your Land's objection recorded; the resolution goes onto the agenda of the next session."), "procedure");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>The receipt of my Land's latest vote on this resolution, as the audit log issues it.</summary>
    public async Task<IActionResult> OnGetReceipt(CancellationToken ct)
    {
        var trail = await api.Get<List<AuditEntry>>($"/api/resolutions/{Id}/audit-trail", ct);
        if (!trail.Ok) return await Refused(trail.Problem!, ct);
        var view = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        var land = view.Ok ? (await viewer.In(view.Value!.Body, ct)).Land : null;
        var mine = land is null ? null : trail.Value!.LastOrDefault(e => e.EventType == "vote_cast" && e.ActingFor == land);
        if (mine is null)
        {
            Error = l.T("Ihr Land hat zu diesem Beschluss noch nicht abgestimmt.", "Your Land has not voted on this resolution yet.");
            ErrorAt = "votes";
            return await Show(ct);
        }
        var (content, type, name, problem) = await api.GetFile($"/api/resolutions/{Id}/votes/{mine.Version}/receipt", ct);
        if (problem is not null) return await Refused(problem, ct, "votes", keepStatus: true);
        return File(content, type, name ?? $"stimmquittung-{Display.Short(land ?? "")}-{Id}.json");
    }

    /// <summary>The element the sent form belongs to (its hidden field <c>at</c>): the notice or refusal is shown there.</summary>
    private string? FormAnchor => Request.HasFormContentType && Request.Form["at"] is [{ Length: > 0 } at] ? at : null;

    /// <summary>Where the notice of the reader's last action is shown, next to the form they sent.</summary>
    [TempData] public string? NoticeAt { get; set; }

    private IActionResult Done(string notice, string anchor)
    {
        Notice = notice;
        NoticeAt = FormAnchor ?? anchor;
        // The fragment names the notice itself (focusable): the browser scrolls to it and focuses it, with or without script.
        return Redirect($"/beschluesse/{Id}#feedback");
    }

    /// <summary>Shows the page again, current, with the refusal in plain words next to the form that was sent; a stale page is told so.</summary>
    private async Task<IActionResult> Refused(ApiProblem problem, CancellationToken ct, string? at = null, bool keepStatus = false)
    {
        Stale = problem.Type is Problems.StaleVersion or Problems.TextVersionSuperseded or Problems.ConcurrentChange or Problems.ParagraphConflict;
        SignInAgain = StepUpNotice.Applies(problem) || problem.Type == Problems.Unauthenticated;
        if (!keepStatus) Response.StatusCode = problem.Status;
        var shown = await Show(ct);
        Error = Refusals.Text(problem, l, ParagraphName);
        ErrorAt = at ?? FormAnchor;
        return shown;
    }

    /// <summary>The places next to forms where the page shows the answer to the form sent there.</summary>
    public bool Placed(string? at) =>
        at is not null && (at is "votes" or "procedure" or "positions" or "amendments" or "comments" or "manage" || at.StartsWith("amendment-", StringComparison.Ordinal)
                           || (at == "declarations" && (View.Status == ResolutionStatus.Adopted || View.Declarations.Count > 0))
                           || View.Paragraphs.Any(p => p.Id == at));

    /// <summary>
    /// A binding act (a vote, closing a ballot, declaring adoption, consenting) is sent only with its confirmation, which
    /// states what is approved; the form requires it, and a request without it records nothing.
    /// </summary>
    private async Task<IActionResult> NotConfirmed(string at, CancellationToken ct)
    {
        Response.StatusCode = 400;
        var shown = await Show(ct);
        Error = l.T("Bitte bestätigen Sie die Handlung mit dem Häkchen über der Schaltfläche; nichts wurde gespeichert.",
            "Please confirm the act with the checkbox above the button; nothing was recorded.");
        ErrorAt = at;
        return shown;
    }

    /// <summary>After an act on an amendment, the page that shows it: its notice is shown there.</summary>
    private int? ActedOnAmendmentPage()
    {
        var at = NoticeAt ?? FormAnchor;
        if (at is null || !at.StartsWith("amendment-", StringComparison.Ordinal)) return null;
        return int.TryParse(at.AsSpan("amendment-".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? PageOfAmendment(number) : null;
    }

    /// <summary>"Absatz 3": a paragraph by its place in the current text; one no longer in it as such.</summary>
    public string ParagraphName(string paragraphId)
    {
        var index = View is null ? -1 : View.Paragraphs.ToList().FindIndex(p => p.Id == paragraphId);
        return index >= 0 ? l.T($"Absatz {index + 1}", $"paragraph {index + 1}") : l.T("ein inzwischen gestrichener Absatz", "a paragraph deleted since");
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var view = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!view.Ok)
        {
            if (view.Problem!.Status == 404) return NotFound();
            if (view.Problem.Status == 401) return Challenge(WebUi.CookieScheme);
            return StatusCode(view.Problem.Status);
        }
        View = view.Value!;
        Acting = await viewer.In(View.Body, ct);
        Allowed = Acting.On(View);
        IsAuditor = await viewer.Has(Roles.Auditor, ct);
        OrderedAmendments = [.. View.Amendments.OrderByDescending(a => a.Status == AmendmentStatus.Open).ThenBy(a => a.Number)];
        AmendmentPages = Math.Max(1, (OrderedAmendments.Count + AmendmentsPerPage - 1) / AmendmentsPerPage);
        AmendmentPage = Math.Clamp(AmendmentPageAsked ?? ActedOnAmendmentPage() ?? 1, 1, AmendmentPages);
        ShownAmendments = [.. OrderedAmendments.Skip((AmendmentPage - 1) * AmendmentsPerPage).Take(AmendmentsPerPage)];
        // The open amendments come first, so those shown are one window of the open ones in the order of their numbers.
        var shownOpen = ShownAmendments.Count(a => a.Status == AmendmentStatus.Open);
        if (shownOpen > 0 && Renders("amendments"))
        {
            var skip = (AmendmentPage - 1) * AmendmentsPerPage;
            var diffs = await api.Get<OpenAmendmentDiffs>($"/api/resolutions/{Id}/amendments/diffs?skip={skip}&take={shownOpen}", ct);
            if (diffs.Ok) AmendmentDiffs = diffs.Value!.Amendments.ToDictionary(d => d.AmendmentId);
        }
        await ReadPasskeys(ct);
        Signatures = PartSignatures();
        return Page();
    }
}
