using System.Text;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// For auditors: who agreed to what, per resolution, with each vote's proof status; a checkpoint signed on request;
/// the audit bundle to download; and a vote receipt checked against the log.
/// </summary>
public sealed class AuditModel(ServiceApi api, Viewer viewer, UiLanguage l, WitnessDirectory witnesses, TimeProvider clock) : PageModel
{
    public const long MaxReceiptBytes = 1024 * 1024;

    [BindProperty(SupportsGet = true, Name = "beschluss")] public Guid? Resolution { get; set; }

    public WhoAgreedReport? Report { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The export needs a fresh sign-in (step-up): the page offers it next to the refusal.</summary>
    public bool SignInAgain { get; private set; }
    [TempData] public string? Notice { get; set; }
    public ReceiptCheck? Checked { get; private set; }

    public sealed record ReceiptCheck(VoteReceipt? Receipt, bool Valid, IReadOnlyList<Finding> Findings, CheckpointWitnesses? Witnesses = null);

    /// <summary>The latest checkpoints and which witnesses of the Länder cosigned each (null when it could not be read).</summary>
    public WitnessedCheckpointList? Witnessed { get; private set; }

    public bool IsAuditor => Caller.From(User).Has(Roles.Auditor);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (!IsAuditor) return Forbid(WebUi.CookieScheme);
        // A resolution the auditor may not read (unknown, or restricted to a group) has no audit page either.
        return await Load(ct) == 404 && Resolution is not null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostCheckpoint(CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, "/api/audit/checkpoints", new { }, ct);
        if (!result.Ok)
        {
            Error = Refusals.Text(result.Problem!, l);
            await Load(ct);
            return Page();
        }
        Notice = l.T($"Prüfpunkt signiert: {result.Value!["treeSize"]} Ereignisse sind versiegelt.", $"Checkpoint signed: {result.Value!["treeSize"]} events.");
        return Redirect(Resolution is { } id ? $"/pruefung?beschluss={id}" : "/pruefung");
    }

    public async Task<IActionResult> OnGetBundle(CancellationToken ct)
    {
        // Passed on while it arrives: a bundle of the whole log is tens of MiB and is not held in memory here either.
        var (response, problem) = await api.OpenFile(Resolution is { } id ? $"/api/audit/bundle?resolution={id}" : "/api/audit/bundle", ct);
        if (problem is not null || response is null)
        {
            SignInAgain = problem is not null && StepUpNotice.Applies(problem);
            Error = problem is null ? null : Refusals.Text(problem, l);
            await Load(ct);
            return Page();
        }
        HttpContext.Response.RegisterForDispose(response);
        var headers = response.Content.Headers;
        return File(await response.Content.ReadAsStreamAsync(ct), headers.ContentType?.ToString() ?? "application/json",
            headers.ContentDisposition?.FileNameStar ?? headers.ContentDisposition?.FileName?.Trim('"') ?? "audit-bundle.json");
    }

    /// <summary>Checks an uploaded receipt against the audit bundle of its resolution and the service's public key.</summary>
    public async Task<IActionResult> OnPostReceipt(IFormFile? receipt, CancellationToken ct)
    {
        if (receipt is null || receipt.Length == 0 || receipt.Length > MaxReceiptBytes)
        {
            Error = l.T("Bitte eine Quittung (JSON-Datei, höchstens 1 MB) wählen.", "Please choose a receipt (a JSON file, at most 1 MB).");
            await Load(ct);
            return Page();
        }
        string json;
        using (var reader = new StreamReader(receipt.OpenReadStream(), Encoding.UTF8))
            json = await reader.ReadToEndAsync(ct);
        var parsed = BundleVerifier.ParseReceipt(json);
        if (parsed is null)
        {
            Checked = new ReceiptCheck(null, false, [new Finding(FindingCodes.BundleMalformed, l.T("Die Datei ist keine lesbare Quittung.", "The file is not a readable receipt."))]);
            await Load(ct);
            return Page();
        }
        var (bundleBytes, _, _, bundleProblem) = await api.GetFile($"/api/audit/bundle?resolution={parsed.Resolution}", ct);
        var (keyBytes, _, _, keyProblem) = await api.GetFile("/api/audit/public-keys", ct);
        var bundle = bundleProblem is null ? BundleVerifier.ParseBundle(bundleBytes) : null;
        var keys = keyProblem is null
            ? Encoding.UTF8.GetString(keyBytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(VerifierKey.TryParse).OfType<VerifierKey>().ToList()
            : [];
        if (bundle is null || keys.Count == 0)
        {
            Error = (bundleProblem ?? keyProblem) is { } failed ? Refusals.Text(failed, l) : l.T("Das Prüfpaket konnte nicht gelesen werden.", "The audit bundle could not be read.");
            await Load(ct);
            return Page();
        }
        var report = BundleVerifier.Verify(bundle, keys, receipts: [parsed]);
        var aboutReceipt = report.Findings.Where(f => f.Code == FindingCodes.ReceiptMismatch || f.Seq == parsed.Seq).ToList();
        Checked = new ReceiptCheck(parsed, report.ReceiptsChecked == 1 && aboutReceipt.Count == 0 && report.Clean, report.Clean ? aboutReceipt : report.Findings,
            witnesses.Witnesses.Count > 0 ? WitnessedCheckpoints.Describe(parsed.Checkpoint, witnesses, clock.GetUtcNow()) : null);
        Resolution = parsed.Resolution;
        await Load(ct);
        return Page();
    }

    public enum Signature { NotSigned, Signed, Invalid, Unchecked }

    /// <summary>
    /// Whether a vote is signed by its author's passkey, as the offline verifier's checks found it: signed acts are checked
    /// once sealed (proven); a signature that does not hold is a finding.
    /// </summary>
    public Signature SignatureOf(VoteSummary vote) =>
        Report?.SignedActs.Any(s => s.Seq == vote.Seq) == true ? Signature.Signed
        : Report?.Findings.Any(f => f.Seq == vote.Seq && f.Code == FindingCodes.ActSignatureInvalid) == true ? Signature.Invalid
        : !vote.Proven ? Signature.Unchecked
        : Signature.NotSigned;

    /// <summary>The members of a resolution's body in the official order of the Länder (all sixteen when the body is unknown).</summary>
    public IReadOnlyList<string> LandsOf(string? body) =>
        body is not null && _members.TryGetValue(body, out var members) ? members : [.. Lands.Laender];

    private readonly Dictionary<string, IReadOnlyList<string>> _members = new(StringComparer.Ordinal);

    /// <summary>Reads the who-agreed report; the status of the API's answer.</summary>
    private async Task<int> Load(CancellationToken ct)
    {
        var report = await api.Get<WhoAgreedReport>(Resolution is { } id ? $"/api/audit/who-agreed?resolution={id}" : "/api/audit/who-agreed", ct);
        if (report.Ok)
        {
            Report = report.Value;
            foreach (var code in Report!.Resolutions.Select(r => r.Body).OfType<string>().Distinct())
                if (await viewer.Body(code, ct) is { } info)
                    _members[code] = [.. Lands.Laender.Where(land => info.Members.Any(m => m.Land == land && m.Voting))];
        }
        else Error ??= Refusals.Text(report.Problem!, l);
        var witnessed = await api.Get<WitnessedCheckpointList>("/api/audit/witnesses/checkpoints?limit=5", ct);
        Witnessed = witnessed.Ok ? witnessed.Value : null;
        return report.Problem?.Status ?? 200;
    }
}
