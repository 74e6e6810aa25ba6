using System.Text.Json.Serialization;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity.Passkeys;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using BundLaenderKoordination.Audit;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions.Signing;

/// <summary>
/// A WebAuthn assertion as a client sends it with an act: base64url of the credential id, the authenticator data, the
/// client data JSON and the signature, made over the challenge <c>SHA-256(canonical bytes of the act)</c>, and the nonce
/// (base64url of 16 to 64 random bytes) the signer put into the statement (docs/audit.md).
/// </summary>
public sealed record PasskeyAssertion(string? CredentialId, string? AuthenticatorData, string? ClientDataJson, string? Signature, string? Nonce = null);

/// <summary>The assertion as stored with the act's event, verified when it was recorded (base64url parts and the nonce).</summary>
public sealed record ActSignature(string CredentialId, string AuthenticatorData, string ClientDataJson, string Signature, string Nonce = "");

/// <summary>
/// <c>Signing:Enforce</c>: whether a body's "signed acts required" is enforced. On by default; Development turns it off
/// (appsettings.Development.json), so that the development identities and the tests that act without passkeys keep
/// working; decision in docs/decisions.md.
/// </summary>
public sealed class SigningOptions
{
    public bool Enforce { get; set; } = true;
}

/// <summary>
/// Binds an act to its author's passkey. The decision about the act is taken first, as without a signature; then the
/// canonical statement of the event it would append (<see cref="SignedActStatement"/>) gives the challenge the
/// assertion must have been made over, Fido2 verifies the assertion against the person's approved, unrevoked credential,
/// and the event is appended with the assertion. A missing signature where the body requires one, or one that does not
/// verify, refuses the act and appends nothing.
/// </summary>
public sealed class ActSigning(IFido2 fido2, Fido2Configuration fido2Configuration, Microsoft.Extensions.Options.IOptions<SigningOptions> options)
{
    /// <summary>
    /// The statement an event of a signable act asks its author to sign, with the signer's nonce; null for events that
    /// are no act of a delegate. A Protokollerklärung is made and joined on the resolution's text as it stands (adopted);
    /// making one names no id (it has none yet), joining one names it; both name its text by its hash.
    /// </summary>
    public static SignedActStatement? StatementOf(object e, Resolution state, string nonce) => e switch
    {
        VoteCast v => new(SignedActStatement.Vote, v.ResolutionId, v.Land, v.Choice.ToString().ToLowerInvariant(), v.TextVersion, v.TextHash, v.BallotId, nonce),
        WrittenConsentGiven c => new(SignedActStatement.Consent, c.ResolutionId, c.Land, "consent", c.TextVersion, c.TextHash, c.ProcedureId, nonce),
        WrittenObjectionRaised o when state.WrittenProcedure is { } p =>
            new(SignedActStatement.Objection, o.ResolutionId, o.Land, "object", p.TextVersion, p.TextHash, o.ProcedureId, nonce),
        // A new Protokollerklärung has no id before it is recorded: its text, by its hash, is what the author signs.
        DeclarationAttached d => new(SignedActStatement.Declaration, d.ResolutionId, d.Land, "attach", state.TextVersion, state.TextHash, null,
            nonce, SignedActStatement.HashOfDeclaration(d.Text)),
        DeclarationJoined j when state.DeclarationHashes.TryGetValue(j.DeclarationId, out var hash) =>
            new(SignedActStatement.Declaration, j.ResolutionId, j.Land, "join", state.TextVersion, state.TextHash, j.DeclarationId, nonce, hash),
        _ => null,
    };

    /// <summary>The signature an event of a signed act carries, if any.</summary>
    public static ActSignature? SignatureOf(object e) => e switch
    {
        VoteCast v => v.Signature,
        WrittenConsentGiven c => c.Signature,
        WrittenObjectionRaised o => o.Signature,
        DeclarationAttached d => d.Signature,
        DeclarationJoined j => j.Signature,
        _ => null,
    };

    /// <summary>How a used nonce is remembered in the resolution's state: an assertion counts once.</summary>
    public static string NonceKey(string credentialId, string nonce) => credentialId + " " + nonce;

    private static object WithSignature(object e, ActSignature signature) => e switch
    {
        VoteCast v => v with { Signature = signature },
        WrittenConsentGiven c => c with { Signature = signature },
        WrittenObjectionRaised o => o with { Signature = signature },
        DeclarationAttached d => d with { Signature = signature },
        DeclarationJoined j => j with { Signature = signature },
        _ => e,
    };

    public async Task<Decision> SignAsync(Decision decision, Resolution state, Body body, string personId, PasskeyAssertion? assertion,
        IQuerySession session, CancellationToken ct)
    {
        if (decision.Refusal is not null) return decision;
        var index = decision.Events.ToList().FindIndex(e => StatementOf(e, state, "") is not null);
        if (index < 0) return decision;
        if (assertion is null)
        {
            if (!(body.SignedActsRequired && options.Value.Enforce)) return decision;
            var offered = StatementOf(decision.Events[index], state, NewNonce())!;
            return Problems.Make(Problems.SignatureRequired, 422, "This act must be signed with your passkey.",
                $"{body.Id} requires votes, consents, objections and Protokollerklärungen to be signed by their author. Sign the statement " +
                "of the act (docs/audit.md, signed acts) with your approved passkey and send the assertion, with the nonce in it, as \"signature\".",
                Offer(offered));
        }
        if (!SignedActStatement.IsNonce(assertion.Nonce))
            return Problems.Invalid("signature.nonce must be base64url of 16 to 64 random bytes, the nonce in the signed statement.");
        var statement = StatementOf(decision.Events[index], state, assertion.Nonce!)!;

        var credentialId = Base64UrlText.TryDecode(assertion.CredentialId);
        var authenticatorData = Base64UrlText.TryDecode(assertion.AuthenticatorData);
        var clientData = Base64UrlText.TryDecode(assertion.ClientDataJson);
        var signature = Base64UrlText.TryDecode(assertion.Signature);
        if (credentialId is null || authenticatorData is null || clientData is null || signature is null)
            return Problems.Invalid("signature needs credentialId, authenticatorData, clientDataJson and signature, each base64url.");
        if (state.SignatureNonces.Contains(NonceKey(assertion.CredentialId!, assertion.Nonce!)))
            return Invalid("This passkey has already signed an act of this resolution with this nonce: an assertion counts once. " +
                "Sign again with a new nonce.", statement);

        var passkeys = await session.LoadAsync<PersonPasskeys>(PasskeyStreams.Id(personId), ct);
        var key = passkeys?.Find(assertion.CredentialId!);
        if (key is not { Status: PasskeyStatus.Active })
            return Invalid(key is null
                ? "The assertion was made with a passkey that is not registered to you."
                : key.Status == PasskeyStatus.Pending
                    ? "Your passkey's registration has not been approved by a second person yet."
                    : "The passkey was revoked; it signs nothing any more.", statement);
        try
        {
            await fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = new AuthenticatorAssertionRawResponse
                {
                    Id = assertion.CredentialId!,
                    RawId = credentialId,
                    Type = PublicKeyCredentialType.PublicKey,
                    Response = new AuthenticatorAssertionRawResponse.AssertionResponse
                    {
                        AuthenticatorData = authenticatorData, ClientDataJson = clientData, Signature = signature,
                    },
                },
                OriginalOptions = new AssertionOptions
                {
                    Challenge = statement.Challenge(),
                    RpId = fido2Configuration.RPID,
                    AllowCredentials = [new PublicKeyCredentialDescriptor(credentialId)],
                    UserVerification = UserVerificationRequirement.Discouraged,
                },
                StoredPublicKey = Base64UrlText.TryDecode(key.PublicKey)!,
                StoredSignatureCounter = 0,
                IsUserHandleOwnerOfCredentialIdCallback = (_, _) => Task.FromResult(true),
            }, ct);
        }
        catch (Fido2VerificationException e)
        {
            return Invalid($"The assertion does not verify for this act: {e.Message}", statement);
        }
        var events = decision.Events.ToList();
        events[index] = WithSignature(events[index],
            new ActSignature(assertion.CredentialId!, assertion.AuthenticatorData!, assertion.ClientDataJson!, assertion.Signature!, assertion.Nonce!));
        return new Decision(events, null) { Scheduled = decision.Scheduled };
    }

    private static ProblemDetails Invalid(string detail, SignedActStatement statement) =>
        Problems.Make(Problems.SignatureInvalid, 422, "The signature does not hold for this act.", detail + " Nothing was recorded.",
            Offer(statement with { Nonce = NewNonce() }));

    /// <summary>
    /// What a refusal offers the client to sign: the statement (with a fresh nonce), the nonce, and the challenge, so that
    /// it can sign and send the act again as it is.
    /// </summary>
    private static (string, object?)[] Offer(SignedActStatement statement) =>
    [
        ("statement", System.Text.Encoding.UTF8.GetString(statement.CanonicalBytes())),
        ("nonce", statement.Nonce),
        ("challenge", Base64UrlText.Encode(statement.Challenge())),
    ];

    /// <summary>A fresh nonce: 16 random bytes, base64url.</summary>
    public static string NewNonce() => Base64UrlText.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

public static class SignedDecisions
{
    /// <summary>
    /// The decision of a signable act on the resolution as Wolverine loaded it (locked for the command), with the
    /// author's assertion verified and attached; null when there is no resolution to decide on (the command answers that).
    /// The same decide function then runs again inside <see cref="ResolutionCommand.Decide"/>, which returns this result.
    /// </summary>
    public static async Task<Decision?> DecideSignedAsync(this ActSigning signing, JasperFx.Events.IEventStream<Resolution> stream,
        IReadOnlyList<Body> bodies, Caller caller, Func<Resolution, Body, Caller, Decision> decide, PasskeyAssertion? assertion,
        IQuerySession session, CancellationToken ct)
    {
        if (stream.Aggregate is not { } state || bodies.FirstOrDefault(b => b.Id == state.Body) is not { } body) return null;
        return await signing.SignAsync(decide(state, body, caller.In(body.Id)), state, body, caller.PersonId, assertion, session, ct);
    }
}
