using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.Verifier;

/// <summary>
/// <c>blk-verify verify BUNDLE --key PUBKEY [--checkpoint OLDER]... [--receipt R]... [--json]</c>: checks an audit bundle
/// offline (no database, no network). Exit 0: clean; 1: findings (a bundle, receipt or kept checkpoint that fails the
/// strict reading is a finding); 2: wrong usage, or an input that cannot be read at all (missing file, a directory, no
/// permission, a key file without valid keys). Whatever the input, it ends with one of these codes, never with an
/// exception: the auditor's scripts must be able to rely on them.
/// </summary>
public static class VerifyCommand
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int UsageOrUnreadable = 2;

    private const string Usage =
        "usage: blk-verify verify BUNDLE --key PUBKEY [--checkpoint OLDER]... [--receipt RECEIPT]... [--backdate-tolerance SECONDS]\n" +
        "                         [--witness-key WITNESSKEYS]... [--witness-quorum N] [--require-signed-acts BODIES]\n" +
        "                         [--credentials CREDENTIALS]... [--json]\n" +
        "       blk-verify --help\n" +
        "  PUBKEY: a file with the log's verifier key(s) (name+keyid+base64), one per line, as fetched from /api/audit/public-keys\n" +
        "  OLDER: a signed checkpoint kept from an earlier audit; RECEIPT: a vote receipt a representative kept\n" +
        "  WITNESSKEYS: a file with witnesses' public keys (name+keyid+base64(0x04 || key)), one per line; then the latest\n" +
        "    checkpoint must be cosigned by N of them (default: a majority of the keys)\n" +
        "  BODIES: body codes, comma-separated, or '*': a vote, consent or objection there without its author's passkey\n" +
        "    signature is a finding (ACT_NOT_SIGNED); elsewhere it is a notice\n" +
        "  CREDENTIALS: a JSON array of the passkeys the auditor pins ({credentialId, personId, publicKey}, as\n" +
        "    GET /api/people/{personId}/passkeys lists them, confirmed by the delegates); a signature by any other key,\n" +
        "    or by a pinned id the bundle registers with another key or person, is a finding (ACT_SIGNATURE_INVALID)\n" +
        "  exit 0: clean; 1: findings (printed with their codes); 2: wrong usage or a file that cannot be read";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>An input that cannot be read at all, or a wrong use of the command: exit 2 with the message.</summary>
    private sealed class UsageException(string message) : Exception(message);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return RunChecked(args ?? [], output, error);
        }
        catch (UsageException ex)
        {
            error.WriteLine(ex.Message);
            return UsageOrUnreadable;
        }
        catch (Exception ex)
        {
            // The last resort: every known way to fail is handled where it happens; this keeps the exit code promise.
            error.WriteLine($"blk-verify: could not complete the verification ({ex.GetType().Name}: {ex.Message}).");
            return UsageOrUnreadable;
        }
    }

    private static int RunChecked(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help" || args.Length > 1 && args[0] == "verify" && args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(Usage);
            return Clean;
        }
        if (args.Length < 2 || args[0] != "verify" || args[1].StartsWith('-'))
            throw new UsageException(args.Length == 0 ? Usage : $"Name the command and the bundle first: blk-verify verify BUNDLE ...\n{Usage}");
        var bundlePath = args[1];
        var keyFiles = new List<string>();
        var checkpointFiles = new List<string>();
        var receiptFiles = new List<string>();
        var witnessFiles = new List<string>();
        var credentialFiles = new List<string>();
        int? quorum = null;
        var json = false;
        TimeSpan? tolerance = null;
        SignaturePolicy? signatures = null;
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--key" when i + 1 < args.Length: keyFiles.Add(args[++i]); break;
                case "--checkpoint" when i + 1 < args.Length: checkpointFiles.Add(args[++i]); break;
                case "--receipt" when i + 1 < args.Length: receiptFiles.Add(args[++i]); break;
                case "--witness-key" when i + 1 < args.Length: witnessFiles.Add(args[++i]); break;
                case "--credentials" when i + 1 < args.Length: credentialFiles.Add(args[++i]); break;
                case "--witness-quorum" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                        throw new UsageException($"--witness-quorum takes a number of witnesses (1 or more), not '{args[i]}'.\n{Usage}");
                    quorum = n;
                    break;
                case "--backdate-tolerance" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                        || !double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(36500).TotalSeconds)
                        throw new UsageException($"--backdate-tolerance takes a number of seconds (0 to 100 years), not '{args[i]}'.\n{Usage}");
                    tolerance = TimeSpan.FromSeconds(seconds);
                    break;
                case "--require-signed-acts" when i + 1 < args.Length:
                    var bodies = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    signatures = new SignaturePolicy(bodies.Where(b => b != "*").ToHashSet(StringComparer.Ordinal), bodies.Contains("*"));
                    break;
                case "--json": json = true; break;
                default:
                    throw new UsageException($"Unknown or incomplete option '{args[i]}'.\n{Usage}");
            }
        }
        if (keyFiles.Count == 0)
            throw new UsageException("Pin the log's public key with --key: a bundle's own keys prove nothing.\n" + Usage);

        var keys = keyFiles.SelectMany(ReadKeys).ToList();
        if (keys.Count == 0) throw new UsageException($"{string.Join(", ", keyFiles)} hold(s) no verifier key.");
        WitnessPolicy? witnesses = null;
        if (witnessFiles.Count > 0)
        {
            var witnessKeys = witnessFiles.SelectMany(ReadWitnessKeys).ToList();
            if (witnessKeys.Count == 0) throw new UsageException($"{string.Join(", ", witnessFiles)} hold(s) no witness key.");
            if (quorum > witnessKeys.Count)
                throw new UsageException($"--witness-quorum {quorum} is more than the {witnessKeys.Count} witness key(s) given.\n{Usage}");
            witnesses = new WitnessPolicy(witnessKeys, quorum ?? WitnessPolicy.Majority(witnessKeys.Count));
        }
        else if (quorum is not null) throw new UsageException($"--witness-quorum needs the witnesses' keys (--witness-key).\n{Usage}");
        if (credentialFiles.Count > 0)
        {
            var pinned = new List<PinnedCredential>();
            foreach (var file in credentialFiles)
                pinned.AddRange(PinnedCredential.Read(ReadFile(file), out var problem)
                                ?? throw new UsageException($"{file}: not a list of credentials: {problem}"));
            signatures = (signatures ?? new SignaturePolicy(new HashSet<string>())) with { Credentials = pinned };
        }

        var stopwatch = Stopwatch.StartNew();
        var bundleBytes = ReadFile(bundlePath);
        var inputFindings = new List<Finding>();
        var receipts = new List<VoteReceipt>();
        foreach (var file in receiptFiles)
        {
            var reading = AuditReader.ReadReceipt(ReadFile(file));
            if (reading.Value is { } receipt) receipts.Add(receipt);
            else inputFindings.Add(new Finding(FindingCodes.ReceiptMalformed, $"{file} is not a vote receipt: {reading.Problem}"));
        }
        var kept = new List<string>();
        foreach (var file in checkpointFiles)
        {
            if (Text(ReadFile(file)) is { } note) kept.Add(note);
            else inputFindings.Add(new Finding(FindingCodes.CheckpointMalformed, $"{file} is not a signed checkpoint: not valid UTF-8."));
        }

        var bundle = AuditReader.ReadBundle(bundleBytes);
        VerificationReport report;
        if (bundle.Value is null)
        {
            error.WriteLine($"{bundlePath}: {FindingCodes.BundleMalformed}: {Safe(bundle.Problem)}");
            report = BundleVerifier.Unreadable($"{bundlePath} is not an audit bundle that can be read strictly: {bundle.Problem}", inputFindings);
        }
        else
        {
            report = BundleVerifier.Verify(bundle.Value, keys, kept, receipts, tolerance, witnesses, signatures);
            if (inputFindings.Count > 0) report = report with { Clean = false, Findings = [.. inputFindings, .. report.Findings] };
        }
        stopwatch.Stop();
        if (json) output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(AuditJson.Options) { WriteIndented = true }));
        else Print(report, stopwatch.Elapsed, output, signatures?.Credentials?.Count);
        return report.Clean ? Clean : Findings;
    }

    /// <summary>
    /// The keys of a key file: one per line; empty lines and a CR before a line's LF are ignored, anything else must be a
    /// key exactly (see <see cref="VerifierKey.TryParse(string?, out string?)"/>).
    /// </summary>
    private static IEnumerable<VerifierKey> ReadKeys(string file)
    {
        var text = Text(ReadFile(file)) ?? throw new UsageException($"{file} is not valid UTF-8 text.");
        var keys = new List<VerifierKey>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0) continue;
            keys.Add(VerifierKey.TryParse(line, out var problem)
                     ?? throw new UsageException($"{file}, line {number}: not a verifier key: {problem}"));
        }
        return keys;
    }

    /// <summary>The witness keys of a key file: one per line, as <see cref="ReadKeys"/> reads log keys.</summary>
    private static IEnumerable<CosignerKey> ReadWitnessKeys(string file)
    {
        var text = Text(ReadFile(file)) ?? throw new UsageException($"{file} is not valid UTF-8 text.");
        var keys = new List<CosignerKey>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0) continue;
            keys.Add(CosignerKey.TryParse(line, out var problem)
                     ?? throw new UsageException($"{file}, line {number}: not a witness key: {problem}"));
        }
        return keys;
    }

    private static byte[] ReadFile(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new UsageException("An empty file name.");
        if (Directory.Exists(path)) throw new UsageException($"{path} is a directory, not a file.");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or System.Security.SecurityException)
        {
            throw new UsageException($"{path} cannot be read: {ex.Message}");
        }
    }

    private static string? Text(byte[] bytes)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    private static void Print(VerificationReport report, TimeSpan elapsed, TextWriter output, int? pinnedCredentials)
    {
        output.WriteLine($"log {Safe(report.Origin)}: {report.TreeSize} leaves proven by {report.CheckpointsVerified} signed checkpoint(s); " +
                         $"{report.EventsChecked} events, {report.ReceiptsChecked} receipt(s) checked in {elapsed.TotalSeconds:0.000} s");
        // The scope is not signed, and which completeness check ran depends on it: the auditor must see what it claims.
        if (report.Scope is { } scope)
            output.WriteLine(scope.Kind == BundleScope.All
                ? "scope: all events of the log (every sealed leaf must be accounted for)"
                : $"scope (as the file states it, unsigned): {Safe(scope.Kind)} {Safe(scope.Value)}; events missing from a stream show as version gaps and through receipts");
        if (report.RedactedLeaves > 0)
            output.WriteLine($"{report.RedactedLeaves} sealed event(s) redacted: restricted resolutions this bundle's reader may not see; " +
                             "their leaves count in the roots, their content is not checked");
        if (report.WitnessedBy is { } witnessedBy)
            output.WriteLine($"latest checkpoint cosigned by {witnessedBy.Count} pinned witness(es){(witnessedBy.Count > 0 ? ": " + string.Join(", ", witnessedBy.Select(Safe)) : "")}");
        // The checkpoints the auditor brought (kept ones, those of receipts): which witnesses cosigned each, and the quorum.
        foreach (var seen in (report.Witnessing ?? []).Where(w => w.Source != CheckpointWitnessing.Bundle))
            output.WriteLine($"{(seen.Source == CheckpointWitnessing.Kept ? "kept checkpoint" : $"receipt of event {seen.Seq}: checkpoint")} of size {seen.TreeSize} " +
                             $"cosigned by {seen.CosignedBy.Count} pinned witness(es)" +
                             (seen.CosignedBy.Count > 0 ? ": " + string.Join(", ", seen.CosignedBy.Select(c => $"{Safe(c.Witness)} at {c.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}")) : "") +
                             $"; quorum of {seen.Quorum} {(seen.QuorumMet ? "met" : "not met")}");
        foreach (var finding in report.Findings)
            output.WriteLine($"{finding.Code}\t{Safe(finding.Message)}");
        foreach (var notice in report.Notices ?? [])
            output.WriteLine($"notice {notice.Code}\t{Safe(notice.Message)}");
        output.WriteLine();
        output.WriteLine(pinnedCredentials is { } pinned
            ? $"Signed by their authors (passkey signatures checked against the {pinned} credential(s) you pinned):"
            : "Signed by their authors (passkey signatures checked against the credentials the bundle registers; pin them with --credentials):");
        foreach (var act in report.SignedActs ?? [])
            output.WriteLine($"  {act.Resolution} {Safe(act.Act),-9} {Safe(act.Land),-6} {Safe(act.Choice),-8} {Safe(act.PersonName)} ({Safe(act.PersonId)}) " +
                             $"on text {act.TextVersion} ({Safe(act.TextHash)}) with passkey {Safe(act.CredentialId)} [event {act.Seq}]");
        output.WriteLine();
        output.WriteLine("Who agreed to what:");
        foreach (var resolution in report.WhoAgreedToWhat)
        {
            var state = resolution.Adopted ? $"adopted, text version {resolution.AdoptedTextVersion} ({resolution.AdoptedTextHash})" : "not adopted";
            output.WriteLine($"  {Safe(resolution.Body)} \"{Safe(resolution.Title)}\" {resolution.Resolution}: {Safe(state)}");
            foreach (var ballot in resolution.Ballots ?? [])
                output.WriteLine($"    ballot {ballot.Number} ({ballot.Ballot}): {ballot.Status}{(ballot.Adopted is { } adopted ? adopted ? ", adopted" : ", not adopted" : "")}, " +
                                 $"text version {ballot.TextVersion}, {ballot.Votes.Count} vote(s)");
            foreach (var vote in resolution.Votes)
                output.WriteLine($"    {Safe(vote.Land),-6} {Safe(vote.Choice),-8} {Safe(vote.PersonName)} ({Safe(vote.PersonId)}) at {vote.CastAt:O} on text {vote.TextVersion} " +
                                 $"[event {vote.Seq}, {(vote.Proven ? "proven" : "NOT PROVEN")}]");
        }
        output.WriteLine(report.Clean ? "CLEAN" : $"NOT CLEAN: {report.Findings.Count} finding(s)");
    }

    /// <summary>
    /// Text from the bundle as one printable line: control and format characters (line breaks, escape sequences,
    /// bidirectional overrides) are shown as \uXXXX, so that no title or name can draw lines of its own into the report
    /// (say a forged "proven" vote or "CLEAN").
    /// </summary>
    private static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (c == '\\') builder.Append("\\\\");
            else if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                     or UnicodeCategory.Surrogate)
                builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
