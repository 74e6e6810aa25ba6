using System.Security.Cryptography;
using System.Text.Json;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// The resolution page in parts, for live updates: each part of the page (the facts, the text's heading, the overview
/// of paragraphs, each paragraph with its brackets and comments, each panel) carries a signature of what it shows. After
/// a change, <c>live.js</c> asks for the signatures (<c>?handler=Parts</c>, a small JSON answer), and then for the parts
/// whose signature differs from its own (<c>?handler=Parts&amp;teile=p3,toc</c>, HTML of those parts only), and swaps
/// just those in. A new comment on paragraph 3 thus moves paragraph 3 and the overview, not the 573 KB of the page.
/// </summary>
public sealed partial class ResolutionModel
{
    private static readonly JsonSerializerOptions SignatureJson = new(JsonSerializerDefaults.Web);

    /// <summary>The parts asked for, when only some are rendered (a live update); null for the whole page.</summary>
    public IReadOnlySet<string>? OnlyParts { get; private set; }

    /// <summary>Only parts are rendered (no layout, no notices): the answer to a live update.</summary>
    public bool Fragment => OnlyParts is not null;

    /// <summary>Whether the part is rendered: always on the whole page; in a fragment the parts asked for.</summary>
    public bool Renders(string part) => OnlyParts is null || OnlyParts.Contains(part);

    /// <summary>What each part shows, as a short hash; equal signatures render alike for this reader.</summary>
    public IReadOnlyDictionary<string, string> Signatures { get; private set; } = new Dictionary<string, string>();

    public string Sig(string part) => Signatures.GetValueOrDefault(part, "");

    /// <summary>The comment was written by the reader (the filter "meine").</summary>
    public bool Mine(CommentView comment) => Acting.Caller is { } caller && comment.By.PersonId == caller.PersonId;

    /// <summary>
    /// Without <c>teile</c>: the signatures of the parts (JSON: <c>version</c>, <c>textVersion</c>, the paragraphs in
    /// order, <c>parts</c>). With <c>teile</c> (comma-separated part ids): those parts as HTML, with the facts.
    /// </summary>
    public async Task<IActionResult> OnGetParts(string? teile, CancellationToken ct)
    {
        // A live update must not take the notice of the reader's own last action from the page shown after its redirect.
        TempData.Keep();
        var asked = (teile ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        OnlyParts = new HashSet<string>(asked.Take(MaxPartsAsked), StringComparer.Ordinal);
        var shown = await Show(ct);
        // The parts carry forms, and antiforgery keeps them out of caches; the signatures are kept out here.
        if (shown is not PageResult || asked.Length > 0) return shown;
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new
        {
            version = View.Version,
            textVersion = View.TextVersion,
            paragraphs = View.Paragraphs.Select(p => p.Id),
            parts = Signatures,
        });
    }

    /// <summary>More parts than a text has paragraphs and panels are not asked for; the rest is ignored.</summary>
    public const int MaxPartsAsked = 1000;

    private Dictionary<string, string> PartSignatures()
    {
        var v = View;
        // What every part depends on besides its own data: the reader's language and mandate, what they may do, and
        // whether the text is locked.
        var common = new
        {
            english = l.English,
            allowed = Allowed,
            land = Acting.Land,
            person = Acting.Caller?.PersonId,
            auditor = IsAuditor,
            status = v.Status,
            ballot = OpenBallot?.Number,
            procedure = RunningProcedure?.Deadline,
        };
        var byParagraph = v.Comments.Where(c => c.ParagraphId is not null).ToLookup(c => c.ParagraphId!);
        var brackets = v.Brackets.ToLookup(b => b.ParagraphId);
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["facts"] = Hash(new { common, v.Version, v.TextVersion, v.TextHash, v.RestrictedTo }),
            ["adoption"] = Hash(new { common, v.Adoption }),
            ["exports"] = Hash(new { english = l.English, v.Status, adopted = v.Adoption?.TextVersion, lastBallot = v.Ballots.LastOrDefault()?.Number }),
            ["text-head"] = Hash(new { common, v.TextVersion }),
            ["toc"] = Hash(new
            {
                common,
                paragraphs = v.Paragraphs.Select(p => new { p.Id, all = byParagraph[p.Id].Count(), open = byParagraph[p.Id].Count(c => !c.Resolved) }),
            }),
        };
        for (var i = 0; i < v.Paragraphs.Count; i++)
        {
            var p = v.Paragraphs[i];
            signatures[p.Id] = Hash(new { common, index = i, p, brackets = brackets[p.Id], comments = byParagraph[p.Id] });
        }
        // The panels beside the text: votes, written procedure, positions and declarations follow the resolution without
        // its text, comments and amendments (the stream version aside, which every change moves; the script sets it in
        // the forms it did not swap).
        var panels = Hash(new
        {
            common,
            view = v with { Version = 0, LastChangedAt = default, Paragraphs = [], Comments = [], Amendments = [], Brackets = [] },
            body = Acting.Body,
        });
        signatures["votes"] = panels;
        signatures["procedure"] = panels;
        signatures["positions"] = panels;
        signatures["access"] = panels;
        // The declarations are shown once the resolution is adopted or has one: a part that comes and goes is listed
        // only while it is shown, so the script notices and reads the page as a whole.
        if (v.Status == ResolutionStatus.Adopted || v.Declarations.Count > 0) signatures["declarations"] = panels;
        signatures["amendments"] = Hash(new
        {
            common,
            v.TextVersion,
            paragraphs = v.Paragraphs.Select(p => p.Id),
            page = AmendmentPage,
            v.Amendments,
        });
        signatures["comments"] = Hash(new { common, comments = v.Comments.Where(c => c.ParagraphId is null) });
        return signatures;
    }

    private static string Hash(object value) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, SignatureJson)))[..16];
}
