using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// Which unsigned acts an auditor counts as findings: those in the named bodies, or in every body with <see cref="All"/>.
/// Without a policy an unsigned act is a notice: whether signatures were required is the auditor's call, not the
/// operator's (the body setting is written by the operator's administrators).
/// </summary>
public sealed record SignaturePolicy(IReadOnlySet<string> Bodies, bool All = false)
{
    public bool Requires(string? body) => All || (body is not null && Bodies.Contains(body));

    /// <summary>
    /// The credentials the auditor pinned (confirmed by the delegates or their Länder outside the service); when given, a
    /// signature counts only if made with one of them, registered in the bundle to the same person with the same key.
    /// Null: the bundle's registrations are taken as they are.
    /// </summary>
    public IReadOnlyList<PinnedCredential>? Credentials { get; init; }
}

/// <summary>A passkey an auditor pins: its id, the person it belongs to, its COSE public key (base64url), as the service lists it.</summary>
public sealed record PinnedCredential(string CredentialId, string PersonId, string PublicKey)
{
    /// <summary>
    /// Reads pinned credentials from JSON: an array of objects with <c>credentialId</c>, <c>personId</c> and
    /// <c>publicKey</c> (other members are ignored), as <c>GET /api/people/{personId}/passkeys</c> answers.
    /// </summary>
    public static IReadOnlyList<PinnedCredential>? Read(byte[] json, out string? problem)
    {
        problem = null;
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e)
        {
            problem = $"not JSON ({e.Message})";
            return null;
        }
        if (root is not JsonArray items)
        {
            problem = "not a JSON array of credentials";
            return null;
        }
        var credentials = new List<PinnedCredential>();
        foreach (var (item, index) in items.Select((item, index) => (item as JsonObject, index)))
        {
            var (id, person, key) = (Text(item, "credentialId"), Text(item, "personId"), Text(item, "publicKey"));
            if (person == null || Base64UrlText.TryDecode(id) == null || Base64UrlText.TryDecode(key) == null)
            {
                problem = $"entry {index + 1} lacks credentialId, personId or publicKey (base64url)";
                return null;
            }
            credentials.Add(new PinnedCredential(id!, person, key!));
        }
        return credentials;
    }

    private static string? Text(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>
/// An act signed by its author, checked offline: who signed which statement with which registered credential
/// (<see cref="Ballot"/> is the ballot, written procedure or Protokollerklärung the act belongs to).
/// </summary>
public sealed record SignedActSummary(long Seq, Guid Resolution, string Act, string Land, string PersonId, string PersonName, string Choice,
    int TextVersion, string TextHash, Guid? Ballot, string CredentialId);

/// <summary>
/// The offline check of signed acts (votes, consents, objections, Protokollerklärungen made or joined): each signature
/// must be a WebAuthn assertion over the act's canonical statement, by a credential the bundle shows registered to the
/// act's author, approved before the act and not revoked before it, and must not repeat an earlier one (the same
/// credential with the same nonce, or the same non-zero signature counter). Credentials come from the sealed
/// <c>passkey_*</c> events in the bundle.
/// </summary>
internal static class SignedActChecks
{
    private sealed record Credential(string PersonId, byte[] PublicKey, long RegisteredSeq, long? ApprovedSeq, long? RevokedSeq);

    public static (IReadOnlyList<SignedActSummary> Signed, IReadOnlyList<Finding> Notices) Check(
        IEnumerable<JsonObject> events, SignaturePolicy? policy, List<Finding> findings)
    {
        var ordered = events.Select(e => (Event: e, Seq: Long(e, "seq") ?? 0)).OrderBy(e => e.Seq).ToList();
        var credentials = new Dictionary<string, Credential>(StringComparer.Ordinal);
        foreach (var (e, seq) in ordered)
        {
            var data = e["data"] as JsonObject;
            var id = Str(data, "credentialId");
            if (id is null) continue;
            // (No pattern variables joined by && here and below: a mutant turning && into || would leave one unassigned,
            // fail to compile, and switch off every mutant of the method.)
            var type = Str(e, "type");
            var key = Base64UrlText.TryDecode(Str(data, "publicKey"));
            var person = Str(data, "personId");
            var known = credentials.GetValueOrDefault(id);
            if (type == "passkey_registered" && key != null && person != null) credentials.TryAdd(id, new Credential(person, key, seq, null, null));
            else if (type == "passkey_approved" && known != null && known.ApprovedSeq == null) credentials[id] = known with { ApprovedSeq = seq };
            else if (type == "passkey_revoked" && known != null && known.RevokedSeq == null) credentials[id] = known with { RevokedSeq = seq };
        }

        var signed = new List<SignedActSummary>();
        var notices = new List<Finding>();
        var used = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var stream in ordered.GroupBy(e => Str(e.Event, "stream")))
        {
            string? body = null;
            var procedures = new Dictionary<string, (int? Version, string? Hash)>();
            var declarations = new Dictionary<string, string>(StringComparer.Ordinal);
            (int? Version, string? Hash) text = (null, null);
            foreach (var (e, seq) in stream)
            {
                var data = e["data"] as JsonObject;
                var type = Str(e, "type");
                if (data is null) continue;
                if (type == "resolution_proposed") body = Str(data, "body");
                var procedureId = Str(data, "procedureId");
                if (type == "written_procedure_started" && procedureId != null)
                    procedures[procedureId] = (Int(data, "textVersion"), Str(data, "textHash"));
                // The text a Protokollerklärung is made on: the resolution's text as it stands then (the adopted one).
                if (type is "resolution_proposed" or "resolution_text_edited")
                    text = (Int(data, "textVersion"), Str(data, "textHash"));
                var declarationId = Str(data, "declarationId");
                var declarationText = Str(data, "text");
                if (type == "declaration_attached" && declarationId != null && declarationText != null)
                    declarations.TryAdd(declarationId, SignedActStatement.HashOfDeclaration(declarationText));
                var (act, actor) = type switch
                {
                    "vote_cast" => (SignedActStatement.Vote, data["castBy"] as JsonObject),
                    "written_consent_given" => (SignedActStatement.Consent, data["givenBy"] as JsonObject),
                    "written_objection_raised" => (SignedActStatement.Objection, data["raisedBy"] as JsonObject),
                    "declaration_attached" => (SignedActStatement.Declaration, data["attachedBy"] as JsonObject),
                    "declaration_joined" => (SignedActStatement.Declaration, data["joinedBy"] as JsonObject),
                    _ => (null, null),
                };
                if (act is null) continue;
                var resolution = Guid.TryParse(Str(data, "resolutionId"), out var r) ? r : Guid.Empty;
                var land = Str(data, "land") ?? "";
                var personId = Str(actor, "personId") ?? "";
                var belongsTo = act switch
                {
                    SignedActStatement.Vote => "ballotId",
                    SignedActStatement.Declaration => "declarationId",
                    _ => "procedureId",
                };
                // A Protokollerklärung being made has no id yet when its author signs it: the statement names none.
                var ballot = type != "declaration_attached" && Guid.TryParse(Str(data, belongsTo), out var b) ? b : (Guid?)null;
                var (version, hash) = act switch
                {
                    SignedActStatement.Objection => procedures.TryGetValue(Str(data, "procedureId") ?? "", out var p) ? p : (null, null),
                    SignedActStatement.Declaration => text,
                    _ => (Int(data, "textVersion"), Str(data, "textHash")),
                };
                var choice = (act, type) switch
                {
                    (SignedActStatement.Vote, _) => (Str(data, "choice") ?? "").ToLowerInvariant(),
                    (SignedActStatement.Consent, _) => "consent",
                    (SignedActStatement.Declaration, "declaration_attached") => "attach",
                    (SignedActStatement.Declaration, _) => "join",
                    _ => "object",
                };
                var declarationHash = act == SignedActStatement.Declaration ? declarations.GetValueOrDefault(Str(data, "declarationId") ?? "") : null;
                var what = $"The {act} of {land} by {personId} (event {seq})";
                // (Read into a variable first: a mutated pattern could leave a pattern variable unassigned and not compile.)
                var signature = data["signature"] as JsonObject;
                if (signature is null)
                {
                    var finding = new Finding(FindingCodes.ActNotSigned, $"{what} carries no signature of its author.", seq, resolution);
                    if (policy?.Requires(body) == true) findings.Add(finding);
                    else notices.Add(finding);
                    continue;
                }
                var parts = new ActSignatureParts(Str(signature, "credentialId") ?? "", Str(signature, "authenticatorData") ?? "",
                    Str(signature, "clientDataJson") ?? "", Str(signature, "signature") ?? "", Str(signature, "nonce") ?? "");
                string? problem = null;
                if (version is null || hash is null) problem = "the text it was made on is not in the bundle";
                else if (act == SignedActStatement.Declaration && declarationHash is null) problem = "the Protokollerklärung it names is not in the bundle";
                else if (!SignedActStatement.IsNonce(parts.Nonce)) problem = "it carries no nonce of 16 to 64 bytes";
                else if (!credentials.TryGetValue(parts.CredentialId, out var credential)) problem = "its credential is not registered in the bundle";
                else if (credential.PersonId != personId) problem = $"its credential is registered to {credential.PersonId}, not to the act's author";
                else if (credential.ApprovedSeq == null || credential.ApprovedSeq > seq) problem = "its credential was not approved by a second person before the act";
                else if (credential.RevokedSeq < seq) problem = $"its credential was revoked (event {credential.RevokedSeq}) before the act";
                else if (policy?.Credentials is { } pinned && !pinned.Any(p => p.CredentialId == parts.CredentialId))
                    problem = "its credential is not among the credentials the auditor pinned";
                else if (policy?.Credentials is not null && !Pinned(policy.Credentials, parts.CredentialId, personId, credential.PublicKey))
                    problem = "the bundle registers its credential with another key or to another person than the auditor pinned";
                else
                {
                    var statement = new SignedActStatement(act, resolution, land, choice, version.Value, hash, ballot, parts.Nonce, declarationHash);
                    problem = WebAuthnAssertion.Check(parts, credential.PublicKey, statement.Challenge());
                }
                if (problem is not null)
                {
                    findings.Add(new Finding(FindingCodes.ActSignatureInvalid, $"{what}: the signature does not hold: {problem}.", seq, resolution));
                    continue;
                }
                // A valid assertion counts once: the same nonce, or the same non-zero signature counter, under one credential
                // means an assertion used again or a key copied to a second authenticator.
                var repeated = Repeats(used, $"nonce {parts.CredentialId} {parts.Nonce}", seq);
                if (WebAuthnAssertion.SignCount(parts.AuthenticatorData) is { } count and > 0)
                    repeated ??= Repeats(used, $"count {parts.CredentialId} {count}", seq);
                if (repeated is { } earlier)
                {
                    findings.Add(new Finding(FindingCodes.ActSignatureReused,
                        $"{what}: its signature repeats the nonce or the signature counter of the signed act in event {earlier} with the same passkey.",
                        seq, resolution));
                    continue;
                }
                signed.Add(new SignedActSummary(seq, resolution, act, land, personId, Str(actor, "personName") ?? "", choice, version!.Value, hash!,
                    ballot, parts.CredentialId));
            }
        }
        return (signed, notices);
    }

    private static bool Pinned(IReadOnlyList<PinnedCredential> pinned, string credentialId, string personId, byte[] key) =>
        pinned.Any(p => p.CredentialId == credentialId && p.PersonId == personId
                        && Base64UrlText.TryDecode(p.PublicKey) is { } pinnedKey && pinnedKey.AsSpan().SequenceEqual(key));

    private static long? Repeats(Dictionary<string, long> used, string key, long seq)
    {
        if (used.TryGetValue(key, out var earlier)) return earlier;
        used[key] = seq;
        return null;
    }

    private static string? Str(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    private static long? Long(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var i) ? i : null;
}
