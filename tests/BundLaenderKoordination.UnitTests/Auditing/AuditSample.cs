using BundLaenderKoordination.Tests.Shared;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.Verifier;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// A small real audit log built with the production code, written as the service writes its files (a bundle of all
/// events with a gap and a redacted leaf, a vote receipt, a checkpoint kept from an earlier audit, the key file), and
/// a way to run the verifier command on files of it.
/// </summary>
internal static class AuditSample
{
    public const string Origin = "test/log";
    public static readonly BouncyCastleEd25519Signer Signer = new(Origin, Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    public static readonly Guid Stream = Guid.Parse("0f3c2d9e-1111-4a5b-8c7d-000000000001");
    private static readonly Guid Restricted = Guid.Parse("0f3c2d9e-2222-4a5b-8c7d-000000000002");
    public static readonly Guid Ballot = Guid.Parse("0f3c2d9e-3333-4a5b-8c7d-000000000003");
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    public sealed record Files(byte[] Bundle, byte[] Receipt, byte[] Kept, byte[] Keys, AuditBundle InMemory, VoteReceipt ReceiptInMemory);

    public static Files Build() => Lazy.Value;

    private static readonly Lazy<Files> Lazy = new(Create);

    public static readonly (string Id, string Text)[] Paragraphs = [("p1", "Die Länder bündeln ihre Verfahren.\nDer Bund \"unterstützt\" sie.")];
    public static string TextHashOfText => Oracles.TextHash("Digitale Verwaltung", Paragraphs);

    private static JsonObject Event(long seq, Guid stream, long version, string type, string data, string? headers = null) =>
        // As EventRows reads a row: the payload parsed from its stored text.
        LeafDocument.ForEvent(seq, new Guid($"00000000-0000-4000-8000-{seq:D12}"), stream, version, type, T0.AddSeconds(seq),
            JsonNode.Parse(data), seq % 2 == 0 ? "alice" : null, "corr-" + seq, null, headers is null ? null : JsonNode.Parse(headers), "*DEFAULT*");

    private static string Actor(string land, string name) =>
        $$"""{"personId":"p-{{land}}","personName":"{{name}}","actingFor":"{{land}}","role":"representative"}""";

    private static string Vote(long seq, string land, string name, string choice) =>
        $$"""{"resolutionId":"{{Stream}}","land":"{{land}}","choice":"{{choice}}","textVersion":1,"textHash":"{{TextHashOfText}}","castBy":{{Actor(land, name)}},"castAt":"{{LeafDocument.FormatTimestamp(T0.AddSeconds(seq))}}","ballotId":"{{Ballot}}","weight":1.5e0}""";

    private static Files Create()
    {
        var paragraphs = new JsonArray(Paragraphs.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["text"] = p.Text }).ToArray()).ToJsonString();
        var events = new[]
        {
            Event(1, Stream, 1, "resolution_proposed",
                $$"""{"resolutionId":"{{Stream}}","body":"D16","title":"Digitale Verwaltung","paragraphs":{{paragraphs}},"textVersion":1,"textHash":"{{TextHashOfText}}","proposedBy":{{Actor("DE-RP", "Vertretung Rheinland-Pfalz")}},"proposedAt":"{{LeafDocument.FormatTimestamp(T0)}}","nested":{"a":[1,2,{"b":null}],"c":true},"tags":[]}""",
                """{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"""),
            Event(2, Stream, 2, "ballot_opened", $$"""{"resolutionId":"{{Stream}}","ballotId":"{{Ballot}}","number":1,"textVersion":1,"textHash":"{{TextHashOfText}}"}"""),
            Event(3, Stream, 3, "vote_cast", Vote(3, "DE-BY", "Vertretung Bayern", "Yes")),
            // 4 is a gap.
            Event(5, Stream, 4, "vote_cast", Vote(5, "DE-HE", "Vertretung Hessen Mu\u0308ller", "No")),
            Event(6, Restricted, 1, "resolution_proposed", """{"title":"Papier der A-Länder"}"""),
            Event(7, Stream, 5, "ballot_closed", $$"""{"resolutionId":"{{Stream}}","ballotId":"{{Ballot}}","number":1,"textVersion":1,"textHash":"{{TextHashOfText}}","adopted":true}"""),
        };
        var leaves = new List<byte[]>();
        foreach (var seq in Enumerable.Range(1, 7))
            leaves.Add(seq == 4 ? LeafDocument.Hash(LeafDocument.ForGap(4)) : LeafDocument.Hash(events.Single(e => e["seq"]!.GetValue<long>() == seq)));
        var tree = new MerkleTree(leaves);
        var kept = NoteSigning.Sign(new Checkpoint(Origin, 3, tree.Root(3), T0.AddSeconds(30)).Body(), Signer).ToString();
        var latest = NoteSigning.Sign(new Checkpoint(Origin, 7, tree.Root(), T0.AddMinutes(1)).Body(), Signer).ToString();
        var bundle = new AuditBundle(AuditBundle.CurrentFormat, Origin, new BundleScope(BundleScope.All, null), T0.AddMinutes(2),
            leaves.Select(Convert.ToBase64String).ToList(), [4], [kept, latest], [Signer.VerifierKey.ToString()],
            events.Where(e => e["stream"]!.GetValue<string>() != Restricted.ToString()).ToList(), [6]);

        // As VoteReceiptEndpoint builds a receipt.
        var vote = events[3];
        var data = vote["data"]!.AsObject();
        var actor = data["castBy"]!.AsObject();
        var receipt = new VoteReceipt(VoteReceipt.CurrentFormat, Stream, Ballot, data["textVersion"]!.GetValue<int>(), data["textHash"]!.GetValue<string>(),
            data["land"]!.GetValue<string>(), actor["personId"]!.GetValue<string>(), actor["personName"]!.GetValue<string>(),
            data["choice"]!.GetValue<string>().ToLowerInvariant(), DateTimeOffset.Parse(data["castAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            5, 4, vote, 7, tree.InclusionProof(4, 7).Select(Convert.ToBase64String).ToList(), latest);

        return new Files(JsonSerializer.SerializeToUtf8Bytes(bundle, AuditJson.Options), JsonSerializer.SerializeToUtf8Bytes(receipt, AuditJson.Options),
            Encoding.UTF8.GetBytes(kept), Encoding.UTF8.GetBytes(Signer.VerifierKey + "\n"), bundle, receipt);
    }

    /// <summary>Runs <c>blk-verify verify</c> on the files (written to a temporary directory), with <c>--json</c>.</summary>
    public static (int Code, string Output, string Error) Run(byte[] bundle, byte[]? receipt, byte[]? kept, byte[] keys, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("blk-verify-test-");
        try
        {
            string Write(string name, byte[] content)
            {
                var path = Path.Combine(dir.FullName, name);
                File.WriteAllBytes(path, content);
                return path;
            }
            var args = new List<string> { "verify", Write("bundle.json", bundle), "--key", Write("log.pub", keys) };
            if (receipt is not null) args.AddRange(["--receipt", Write("receipt.json", receipt)]);
            if (kept is not null) args.AddRange(["--checkpoint", Write("kept.checkpoint", kept)]);
            args.AddRange(extra);
            var output = new StringWriter();
            var error = new StringWriter();
            var code = VerifyCommand.Run(args.ToArray(), output, error);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
