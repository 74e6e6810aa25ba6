using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.Verifier;

/// <summary>
/// <c>blk-verify verify BUNDLE --key PUBKEY [--checkpoint OLDER]... [--receipt R]... [--json]</c>: checks an audit bundle
/// offline (no database, no network). Exit 0: clean; 1: findings; 2: usage or unreadable input.
/// </summary>
public static class VerifyCommand
{
    private const string Usage =
        "usage: blk-verify verify BUNDLE --key PUBKEY [--checkpoint OLDER]... [--receipt RECEIPT]... [--backdate-tolerance SECONDS] [--json]\n" +
        "  PUBKEY: a file with the log's verifier key(s) (name+keyid+base64), one per line, as fetched from /api/audit/public-keys\n" +
        "  OLDER: a signed checkpoint kept from an earlier audit; RECEIPT: a vote receipt a representative kept";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 2 || args[0] != "verify")
        {
            error.WriteLine(Usage);
            return 2;
        }
        var bundlePath = args[1];
        var keyFiles = new List<string>();
        var checkpointFiles = new List<string>();
        var receiptFiles = new List<string>();
        var json = false;
        TimeSpan? tolerance = null;
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--key" when i + 1 < args.Length: keyFiles.Add(args[++i]); break;
                case "--checkpoint" when i + 1 < args.Length: checkpointFiles.Add(args[++i]); break;
                case "--receipt" when i + 1 < args.Length: receiptFiles.Add(args[++i]); break;
                case "--backdate-tolerance" when i + 1 < args.Length:
                    tolerance = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--json": json = true; break;
                default:
                    error.WriteLine($"Unknown or incomplete option '{args[i]}'.\n{Usage}");
                    return 2;
            }
        }
        if (keyFiles.Count == 0)
        {
            error.WriteLine("Pin the log's public key with --key: a bundle's own keys prove nothing.\n" + Usage);
            return 2;
        }

        try
        {
            var keys = new List<VerifierKey>();
            foreach (var line in keyFiles.SelectMany(File.ReadAllLines).Where(l => l.Trim().Length > 0))
                keys.Add(VerifierKey.TryParse(line) ?? throw new InvalidDataException($"'{line.Trim()}' is not a verifier key."));
            var stopwatch = Stopwatch.StartNew();
            var bundle = BundleVerifier.ParseBundle(File.ReadAllBytes(bundlePath))
                         ?? throw new InvalidDataException($"{bundlePath} is not an audit bundle.");
            var receipts = receiptFiles.Select(f => BundleVerifier.ParseReceipt(File.ReadAllText(f))
                                                    ?? throw new InvalidDataException($"{f} is not a vote receipt.")).ToList();
            var report = BundleVerifier.Verify(bundle, keys, checkpointFiles.Select(File.ReadAllText).ToList(), receipts, tolerance);
            stopwatch.Stop();
            if (json) output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(AuditJson.Options) { WriteIndented = true }));
            else Print(report, stopwatch.Elapsed, output);
            return report.Clean ? 0 : 1;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or JsonException)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
    }

    private static void Print(VerificationReport report, TimeSpan elapsed, TextWriter output)
    {
        output.WriteLine($"log {report.Origin}: {report.TreeSize} leaves proven by {report.CheckpointsVerified} signed checkpoint(s); " +
                         $"{report.EventsChecked} events, {report.ReceiptsChecked} receipt(s) checked in {elapsed.TotalSeconds:0.000} s");
        if (report.RedactedLeaves > 0)
            output.WriteLine($"{report.RedactedLeaves} sealed event(s) redacted: restricted resolutions this bundle's reader may not see; " +
                             "their leaves count in the roots, their content is not checked");
        foreach (var finding in report.Findings)
            output.WriteLine($"{finding.Code}\t{finding.Message}");
        output.WriteLine();
        output.WriteLine("Who agreed to what:");
        foreach (var resolution in report.WhoAgreedToWhat)
        {
            var state = resolution.Adopted ? $"adopted, text version {resolution.AdoptedTextVersion} ({resolution.AdoptedTextHash})" : "not adopted";
            output.WriteLine($"  {resolution.Body} \"{resolution.Title}\" {resolution.Resolution}: {state}");
            foreach (var ballot in resolution.Ballots ?? [])
                output.WriteLine($"    ballot {ballot.Number} ({ballot.Ballot}): {ballot.Status}{(ballot.Adopted is { } adopted ? adopted ? ", adopted" : ", not adopted" : "")}, " +
                                 $"text version {ballot.TextVersion}, {ballot.Votes.Count} vote(s)");
            foreach (var vote in resolution.Votes)
                output.WriteLine($"    {vote.Land,-6} {vote.Choice,-8} {vote.PersonName} ({vote.PersonId}) at {vote.CastAt:O} on text {vote.TextVersion} " +
                                 $"[event {vote.Seq}, {(vote.Proven ? "proven" : "NOT PROVEN")}]");
        }
        output.WriteLine(report.Clean ? "CLEAN" : $"NOT CLEAN: {report.Findings.Count} finding(s)");
    }
}
