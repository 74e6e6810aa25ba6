using BundLaenderKoordination.Api.Identity.Passkeys;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.Signing;
using BundLaenderKoordination.Audit;
using Microsoft.Extensions.Options;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>The authenticator's answer the page's script puts into a signing form (base64url parts, docs/audit.md).</summary>
public sealed class PasskeyForm
{
    public string? CredentialId { get; set; }
    public string? AuthenticatorData { get; set; }
    public string? ClientDataJson { get; set; }
    public string? Signature { get; set; }
    public string? Nonce { get; set; }

    /// <summary>The assertion as the API takes it as <c>signature</c>, or null when the form carries none.</summary>
    public object? Assertion => string.IsNullOrEmpty(Signature) || string.IsNullOrEmpty(CredentialId)
        ? null
        : new { credentialId = CredentialId, authenticatorData = AuthenticatorData, clientDataJson = ClientDataJson, signature = Signature, nonce = Nonce };
}

/// <summary>
/// Signed acts on the resolution page (decisions 53, 54): a vote, a consent, an objection, making or joining a
/// Protokollerklärung is signed with the person's passkey
/// when the body requires it (and the service enforces it) or when the person has an active passkey. The page renders,
/// per choice, the WebAuthn challenge (SHA-256 of the act's statement, <see cref="SignedActStatement"/>) and the
/// person's active credentials; <c>wwwroot/js/passkeys.js</c> asks the authenticator and fills the form's hidden fields.
/// Where a signature is required and the person has no active passkey, the page offers no form the service would refuse,
/// and says why.
/// </summary>
public sealed partial class ResolutionModel
{
    /// <summary>The reader's own passkeys, read when they may vote or answer a written procedure.</summary>
    public IReadOnlyList<PasskeyView> MyPasskeys { get; private set; } = [];

    /// <summary>The credential ids of the reader's approved, unrevoked passkeys.</summary>
    public IReadOnlyList<string> ActivePasskeys => [.. MyPasskeys.Where(k => k.Status == PasskeyStatus.Active).Select(k => k.CredentialId)];

    public bool PasskeyPending => MyPasskeys.Any(k => k.Status == PasskeyStatus.Pending);

    /// <summary>The body requires signed acts and the service refuses unsigned ones (<c>Signing:Enforce</c>, the same process's setting).</summary>
    public bool SignaturesRequired =>
        Acting.Body?.SignedActsRequired == true && HttpContext.RequestServices.GetRequiredService<IOptions<SigningOptions>>().Value.Enforce;

    /// <summary>The forms of acts sign: the reader has an active passkey (and signs, required or not).</summary>
    public bool Signs => ActivePasskeys.Count > 0;

    /// <summary>A signature is required but the reader has no passkey that could give it: no form, an explanation instead.</summary>
    public bool CannotSign => SignaturesRequired && !Signs;

    /// <summary>What a signing form asks the authenticator to sign: the challenge, and the fresh nonce in the statement.</summary>
    public sealed record Signing(string Challenge, string Nonce);

    /// <summary>A vote with this choice on the text version shown, in the open ballot if one runs.</summary>
    public Signing VoteSigning(VoteChoice choice) => Sign(nonce => new SignedActStatement(SignedActStatement.Vote, Id, Acting.Land ?? "",
        choice.ToString().ToLowerInvariant(), View.TextVersion, View.TextHash, OpenBallot?.Id, nonce));

    /// <summary>A consent to, or an objection in, the running written procedure.</summary>
    public Signing ProcedureSigning(bool objection) => RunningProcedure is { } p
        ? Sign(nonce => new SignedActStatement(objection ? SignedActStatement.Objection : SignedActStatement.Consent, Id, Acting.Land ?? "",
            objection ? "object" : "consent", p.TextVersion, p.TextHash, p.Id, nonce))
        : new Signing("", "");

    /// <summary>Joining a Protokollerklärung: its text is named by its hash.</summary>
    public Signing JoinSigning(DeclarationView declaration) => Sign(nonce => new SignedActStatement(SignedActStatement.Declaration, Id, Acting.Land ?? "",
        "join", View.TextVersion, View.TextHash, declaration.Id, nonce, SignedActStatement.HashOfDeclaration(declaration.Text)));

    /// <summary>
    /// Making a Protokollerklärung signs its text, which the page learns only when the form is sent: the script asks for
    /// the challenge of the text typed (JSON), computed from the text as the service will store it.
    /// </summary>
    public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnPostDeclarationSigning(string? text, CancellationToken ct)
    {
        var view = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!view.Ok) return new Microsoft.AspNetCore.Mvc.JsonResult(new { error = Refusals.Text(view.Problem!, l) }) { StatusCode = view.Problem!.Status };
        View = view.Value!;
        Acting = await viewer.In(View.Body, ct);
        var stored = TextCanonicalForm.Normalize((text ?? "").Trim());
        var signing = Sign(nonce => new SignedActStatement(SignedActStatement.Declaration, Id, Acting.Land ?? "", "attach", View.TextVersion, View.TextHash,
            null, nonce, SignedActStatement.HashOfDeclaration(stored)));
        return new Microsoft.AspNetCore.Mvc.JsonResult(new { challenge = signing.Challenge, nonce = signing.Nonce });
    }

    /// <summary>A fresh nonce for every statement offered: no two signed acts share one (decision 53).</summary>
    private static Signing Sign(Func<string, SignedActStatement> statement)
    {
        var nonce = ActSigning.NewNonce();
        return new Signing(Base64UrlText.Encode(statement(nonce).Challenge()), nonce);
    }

    /// <summary>The person's passkeys, when the page may offer them an act to sign.</summary>
    private async Task ReadPasskeys(CancellationToken ct)
    {
        if (!MayVote && !MayAnswerProcedure && !MayDeclare) return;
        var own = await api.Get<List<PasskeyView>>("/api/passkeys", ct);
        MyPasskeys = own.Value ?? [];
    }

    /// <summary>
    /// A signing form sent without a signature (no script, or the prompt was passed by): nothing is sent to the service,
    /// so no unsigned act is recorded where the person meant to sign.
    /// </summary>
    private async Task<Microsoft.AspNetCore.Mvc.IActionResult> NotSigned(string at, CancellationToken ct)
    {
        Response.StatusCode = 400;
        var shown = await Show(ct);
        Error = l.T("Die Handlung wurde nicht mit Ihrem Passkey signiert; nichts wurde gespeichert. Zum Signieren braucht diese Seite JavaScript und Ihr Gerät mit dem Passkey.",
            "The act was not signed with your passkey; nothing was recorded. Signing needs JavaScript and your device with the passkey.");
        ErrorAt = at;
        return shown;
    }
}
