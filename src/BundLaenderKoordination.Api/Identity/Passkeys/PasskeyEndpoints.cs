using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Audit;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Identity.Passkeys;

/// <summary>The WebAuthn creation options (JSON, for <c>navigator.credentials.create</c>) and the sealed state to send back with the result.</summary>
public sealed record PasskeyRegistrationOptions(string Options, string State);

/// <summary>The authenticator's answer to the creation options, parts in base64url (<c>PublicKeyCredential.toJSON()</c>).</summary>
public sealed record PasskeyAttestation(string? Id, string? ClientDataJson, string? AttestationObject);

public sealed record CompletePasskeyRegistration(string? State, PasskeyAttestation? Attestation);

public sealed record RevokePasskey(string? Reason);

/// <summary>A passkey as its owner, administrators, auditors and coordinators read it.</summary>
public sealed record PasskeyView(string PersonId, string PersonName, string CredentialId, string PublicKey, int Algorithm, PasskeyStatus Status,
    string RegisteredBy, DateTimeOffset RegisteredAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, DateTimeOffset? RevokedAt)
{
    public static IReadOnlyList<PasskeyView> Of(PersonPasskeys? passkeys) => passkeys is null ? [] : passkeys.Keys
        .Select(k => new PasskeyView(passkeys.PersonId, passkeys.PersonName, k.CredentialId, k.PublicKey, k.Algorithm, k.Status, k.RegisteredBy,
            k.RegisteredAt, k.ApprovedBy, k.ApprovedAt, k.RevokedAt)).ToList();
}

/// <summary>The WebAuthn ceremonies of registration (Fido2), with the options sealed for the round trip instead of kept on the server.</summary>
public sealed class PasskeyCeremonies(IFido2 fido2, IDataProtectionProvider protection)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private ITimeLimitedDataProtector Protector => protection.CreateProtector("blk.passkey-registration").ToTimeLimitedDataProtector();

    public PasskeyRegistrationOptions Begin(Caller caller, PersonPasskeys? existing)
    {
        var options = fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = Encoding.UTF8.GetBytes(caller.PersonId), Name = caller.PersonId, DisplayName = caller.Name },
            ExcludeCredentials = (existing?.Keys ?? []).Select(k => new PublicKeyCredentialDescriptor(Base64UrlText.TryDecode(k.CredentialId)!)).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection { UserVerification = UserVerificationRequirement.Preferred, ResidentKey = ResidentKeyRequirement.Discouraged },
            AttestationPreference = AttestationConveyancePreference.None,
            // ES256 only: the offline verifier checks ECDSA P-256 with nothing but the .NET runtime.
            PubKeyCredParams = [PubKeyCredParam.ES256],
        });
        var json = options.ToJson();
        return new PasskeyRegistrationOptions(json, Protector.Protect(caller.PersonId + "\n" + json, Lifetime));
    }

    /// <summary>The verified credential, or the reason it is refused.</summary>
    public async Task<(RegisteredPublicKeyCredential? Credential, string? Problem)> CompleteAsync(Caller caller, CompletePasskeyRegistration command,
        IQuerySession session, CancellationToken ct)
    {
        string unsealed;
        try { unsealed = Protector.Unprotect(command.State!); }
        catch (System.Security.Cryptography.CryptographicException) { return (null, "The registration state is unknown or expired; ask for new options."); }
        var split = unsealed.IndexOf('\n');
        if (split < 0 || unsealed[..split] != caller.PersonId) return (null, "The registration state belongs to another person.");
        var options = CredentialCreateOptions.FromJson(unsealed[(split + 1)..]);
        var attestation = command.Attestation!;
        var rawId = Base64UrlText.TryDecode(attestation.Id);
        var clientData = Base64UrlText.TryDecode(attestation.ClientDataJson);
        var attestationObject = Base64UrlText.TryDecode(attestation.AttestationObject);
        if (rawId is null || clientData is null || attestationObject is null)
            return (null, "attestation needs id, clientDataJson and attestationObject, each base64url.");
        try
        {
            var credential = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = new AuthenticatorAttestationRawResponse
                {
                    Id = attestation.Id!,
                    RawId = rawId,
                    Type = PublicKeyCredentialType.PublicKey,
                    Response = new AuthenticatorAttestationRawResponse.AttestationResponse { ClientDataJson = clientData, AttestationObject = attestationObject },
                },
                OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = async (p, token) =>
                {
                    var id = Base64UrlText.Encode(p.CredentialId);
                    return !await session.Query<PersonPasskeys>().AnyAsync(x => x.Keys.Any(k => k.CredentialId == id), token);
                },
            }, ct);
            return (credential, null);
        }
        catch (Fido2VerificationException e)
        {
            return (null, $"The authenticator's answer does not verify: {e.Message}");
        }
    }
}

internal static class PasskeyCommand
{
    public static async Task<IResult> Decide(IDocumentSession session, string personId, Caller caller,
        Func<PersonPasskeys?, Decision> decide, Func<PersonPasskeys, IResult> respond, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<PersonPasskeys>(PasskeyStreams.Id(personId), ct);
        var decision = decide(stream.Aggregate);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.LastModifiedBy = caller.PersonId;
        session.CorrelationId ??= Activity.Current?.TraceId.ToString();
        stream.AppendMany(decision.Events);
        return respond(decision.Events.Aggregate(stream.Aggregate, PersonPasskeys.Next)!);
    }
}

public static class BeginPasskeyRegistrationEndpoint
{
    /// <summary>Starts registering a passkey for the signed-in person: the options for the browser's WebAuthn prompt.</summary>
    [WolverinePost("/api/passkeys/registration-options", OperationId = "beginPasskeyRegistration"), Tags("Passkeys")]
    [ProducesResponseType<PasskeyRegistrationOptions>(200)]
    public static async Task<PasskeyRegistrationOptions> Post(ClaimsPrincipal user, PasskeyCeremonies ceremonies, IQuerySession session, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return ceremonies.Begin(caller, await session.LoadAsync<PersonPasskeys>(PasskeyStreams.Id(caller.PersonId), ct));
    }
}

public static class CompletePasskeyRegistrationEndpoint
{
    public static ProblemDetails Validate(CompletePasskeyRegistration command) =>
        string.IsNullOrWhiteSpace(command.State) || command.Attestation is null
            ? Problems.Invalid("Send the state of the registration options and the authenticator's attestation.")
            : WolverineContinue.NoProblems;

    /// <summary>
    /// Registers the passkey the authenticator created (attestation "none" is accepted: the key is trusted because a second
    /// person approves its registration, not because of its maker). It signs acts once approved.
    /// </summary>
    [WolverinePost("/api/passkeys", OperationId = "registerPasskey"), Tags("Passkeys")]
    [ProducesResponseType<PasskeyView>(201)]
    public static async Task<IResult> Post(CompletePasskeyRegistration command, ClaimsPrincipal user, PasskeyCeremonies ceremonies,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var (credential, problem) = await ceremonies.CompleteAsync(caller, command, session, ct);
        if (credential is null) return Problems.Make(Problems.SignatureInvalid, 422, "The passkey was not registered.", problem!).ToResult();
        var credentialId = Base64UrlText.Encode(credential.Id);
        return await PasskeyCommand.Decide(session, caller.PersonId, caller,
            state => PasskeyDecisions.Register(state, credentialId, Base64UrlText.Encode(credential.PublicKey), WebAuthnAssertion.Es256,
                credential.AttestationFormat ?? "none", caller, clock.GetUtcNow()),
            after => Results.Created($"/api/people/{Uri.EscapeDataString(caller.PersonId)}/passkeys",
                PasskeyView.Of(after).Single(k => k.CredentialId == credentialId)), ct);
    }
}

public static class ListPasskeysEndpoint
{
    /// <summary>A person's passkeys with their state: administrators, auditors and coordinators.</summary>
    [WolverineGet("/api/people/{personId}/passkeys", OperationId = "listPasskeys"), Tags("Passkeys")]
    [ProducesResponseType<IReadOnlyList<PasskeyView>>(200)]
    public static async Task<IReadOnlyList<PasskeyView>> Get(string personId, IQuerySession session, CancellationToken ct) =>
        PasskeyView.Of(await session.LoadAsync<PersonPasskeys>(PasskeyStreams.Id(personId), ct));
}

public static class ListOwnPasskeysEndpoint
{
    /// <summary>The signed-in person's own passkeys with their state.</summary>
    [WolverineGet("/api/passkeys", OperationId = "listOwnPasskeys"), Tags("Passkeys")]
    [ProducesResponseType<IReadOnlyList<PasskeyView>>(200)]
    public static async Task<IReadOnlyList<PasskeyView>> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PasskeyView.Of(await session.LoadAsync<PersonPasskeys>(PasskeyStreams.Id(Caller.From(user).PersonId), ct));
}

public static class ApprovePasskeyEndpoint
{
    /// <summary>Approves a pending registration (a second person: an administrator, or a coordinator of a Land the person acts for).</summary>
    [WolverinePost("/api/people/{personId}/passkeys/{credentialId}/approval", OperationId = "approvePasskey"), Tags("Passkeys")]
    [ProducesResponseType<IReadOnlyList<PasskeyView>>(200)]
    public static async Task<IResult> Post(string personId, string credentialId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var mandates = await session.LoadAsync<PersonMandates>(personId, ct);
        return await PasskeyCommand.Decide(session, personId, caller,
            state => PasskeyDecisions.Approve(state, personId, credentialId, caller, mandates, clock.GetUtcNow()),
            after => Results.Ok(PasskeyView.Of(after)), ct);
    }
}

public static class RevokePasskeyEndpoint
{
    /// <summary>Revokes a passkey at once: it signs nothing from now on (the person themselves, an administrator or a coordinator).</summary>
    [WolverinePost("/api/people/{personId}/passkeys/{credentialId}/revocation", OperationId = "revokePasskey"), Tags("Passkeys")]
    [ProducesResponseType<IReadOnlyList<PasskeyView>>(200)]
    public static async Task<IResult> Post(string personId, string credentialId, RevokePasskey command, ClaimsPrincipal user, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var mandates = await session.LoadAsync<PersonMandates>(personId, ct);
        return await PasskeyCommand.Decide(session, personId, caller,
            state => PasskeyDecisions.Revoke(state, personId, credentialId, command.Reason?.Trim() ?? "", caller, mandates, clock.GetUtcNow()),
            after => Results.Ok(PasskeyView.Of(after)), ct);
    }
}

public static class PasskeysSetup
{
    /// <summary>Fido2 for the relying party named in <c>Passkeys</c> (id and origins), and the signing of acts (<c>Signing</c>).</summary>
    public static void AddPasskeys(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Passkeys");
        var configuration = new Fido2Configuration
        {
            RPID = section["RelyingPartyId"] ?? "localhost",
            RPName = section["RelyingPartyName"] ?? "Bund-Länder-Koordination",
            Origins = section.GetSection("Origins").Get<string[]>() is { Length: > 0 } origins
                ? origins.ToHashSet()
                : ["http://localhost:5180"],
        };
        builder.Services.AddSingleton(configuration);
        builder.Services.AddSingleton<IFido2>(_ => new Fido2(configuration, null));
        builder.Services.AddSingleton<PasskeyCeremonies>();
        builder.Services.Configure<Resolutions.Signing.SigningOptions>(builder.Configuration.GetSection("Signing"));
        builder.Services.AddSingleton<Resolutions.Signing.ActSigning>();
        Resolutions.Signing.OptionalBodyContract.AddOptionalBodies(builder.Services);
    }
}
