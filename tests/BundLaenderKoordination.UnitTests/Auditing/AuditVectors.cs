using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Audit;
using Marten;
using Microsoft.Extensions.Hosting.Internal;
using Weasel.Core;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The test vectors of docs/audit-vectors (docs/audit-bundle.md), built with the service's own code: the events are the
/// domain records serialised by Marten as the service configures it, stored as jsonb stores them (members reordered)
/// and read back into leaf documents as <see cref="EventRows"/> reads them; leaves are hashed as the sealer hashes a
/// row's columns; checkpoints are signed with <see cref="AuditSigningKey"/> from a fixed test seed; the bundle and the
/// receipt are the records the endpoints return, serialised with the same options.
/// </summary>
/// <remarks>
/// The log: 1 a resolution proposed, 2 its text edited, 3 a sequence number never used (gap), 4 a restricted resolution
/// proposed (withheld from the exporting auditor: redacted), 5 and 6 two votes on the edited text. Checkpoints at sizes
/// 3 and 6; the bundle is of all events; the receipt is that of the vote at sequence number 5.
/// </remarks>
public static class AuditVectors
{
    public const string Origin = "bund-laender-koordination/audit-test-vectors";

    /// <summary>The test-only signing key's seed: SHA-256 of this text. Published in docs/audit-vectors/README.md.</summary>
    public const string SeedText = "blk test vector key";

    public static byte[] Seed => SHA256.HashData(Encoding.UTF8.GetBytes(SeedText));

    public static readonly Guid Resolution = Guid.Parse("0193a5c0-7d2e-7b41-9c3a-5e8f00000001");
    public static readonly Guid Restricted = Guid.Parse("0193a5c0-7d2e-7b41-9c3a-5e8f00000002");

    private static readonly Actor Proposer = new("5d6c9a1e-2b47-4f0e-9a31-7c2d8e4f6a01", "Anna Berger", "DE-BY", "representative");
    private static readonly Actor Editor = new("8e1f3b2a-6c59-4d7e-b0a4-2f9c1d3e5b02", "Jonas Weiß", "DE-HE", "representative");
    private static readonly Actor Hessen = Editor;
    private static readonly Actor Berlin = new("c47a2e9d-1f38-4b6c-8d05-9e2a7b1c3f03", "Lena Schröder", "DE-BE", "representative");

    private static DateTimeOffset At(int minute, int second, int millisecond, int microsecond = 0) =>
        new DateTimeOffset(2026, 11, 29, 9, minute, second, millisecond, microsecond, TimeSpan.Zero);

    /// <summary>An event row of Marten's table, as the sealer and the export read its columns.</summary>
    public sealed record Row(long Seq, Guid Id, Guid Stream, long Version, string Type, DateTimeOffset Timestamp, string Data,
        string? UserName, string? CorrelationId, string? Tenant);

    /// <summary>All files of docs/audit-vectors that are generated, by path relative to that folder.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files()
    {
        var serializer = MartenSerializer();
        var title = "Gemeinsame Cloud-Infrastruktur für Länderbehörden";
        IReadOnlyList<Paragraph> v1 =
        [
            new("p1", "Die Länder richten bis 2028 eine gemeinsame Cloud-Infrastruktur ein."),
            new("p2", "Der Bund beteiligt sich an den Kosten."),
        ];
        IReadOnlyList<Paragraph> v2 =
        [
            new("p1", "Die Länder richten bis 2028 eine gemeinsame, „souveräne“ Cloud-Infrastruktur ein."),
            new("p2", "Der Bund beteiligt sich an den Kosten."),
            new("p3", "Die Umsetzung berichtet jährlich:\nan die Ministerpräsidentenkonferenz und an den IT-Planungsrat."),
        ];
        var v1Hash = TextCanonicalForm.Hash(title, v1);
        var v2Hash = TextCanonicalForm.Hash(title, v2);
        var restrictedText = new Paragraph[] { new("p1", "Die A-Länder stimmen ihre Haltung zur Cloud-Finanzierung vorab ab.") };

        var rows = new List<Row>
        {
            Event(serializer, 1, "0193a5c1-0a00-7000-8000-000000000001", Resolution, 1, At(0, 0, 131, 452), Proposer,
                new ResolutionProposed(Resolution, "D16", title, v1, 1, v1Hash, Proposer, At(0, 0, 125, 300))),
            Event(serializer, 2, "0193a5c1-0a00-7000-8000-000000000002", Resolution, 2, At(5, 10, 512, 8), Editor,
                new ResolutionTextEdited(Resolution, v2, 2, v2Hash, Editor, At(5, 10, 507, 100), BaseTextVersion: 1)),
            Event(serializer, 4, "0193a5c1-0a00-7000-8000-000000000004", Restricted, 1, At(6, 0, 20, 991), Hessen,
                new ResolutionProposed(Restricted, "D16", "Abstimmung der A-Länder", restrictedText, 1,
                    TextCanonicalForm.Hash("Abstimmung der A-Länder", restrictedText), Hessen, At(6, 0, 14, 0), ["DE-BE", "DE-HE"])),
            Event(serializer, 5, "0193a5c1-0a00-7000-8000-000000000005", Resolution, 3, At(10, 0, 254, 17), Proposer,
                new VoteCast(Resolution, "DE-BY", VoteChoice.Yes, 2, v2Hash, Proposer, At(10, 0, 250, 0))),
            Event(serializer, 6, "0193a5c1-0a00-7000-8000-000000000006", Resolution, 4, At(11, 0, 733, 620), Berlin,
                new VoteCast(Resolution, "DE-BE", VoteChoice.Abstain, 2, v2Hash, Berlin, At(11, 0, 731, 5))),
        };
        const long gap = 3;
        var redacted = new[] { 4L };

        // The sealer: one leaf per sequence number, in order, from the row's columns; a gap leaf for number 3.
        var leafDocuments = new SortedDictionary<long, JsonObject>();
        var leafHashes = new SortedDictionary<long, byte[]>();
        foreach (var row in rows)
        {
            leafDocuments[row.Seq] = Document(row);
            leafHashes[row.Seq] = LeafDocument.HashEvent(row.Seq, row.Id, row.Stream, row.Version, row.Type, row.Timestamp,
                Encoding.UTF8.GetBytes(row.Data), row.UserName, row.CorrelationId, null, default, false, row.Tenant);
        }
        leafDocuments[gap] = LeafDocument.ForGap(gap);
        leafHashes[gap] = LeafDocument.Hash(LeafDocument.ForGap(gap));
        var tree = new MerkleTree(leafHashes.Values);

        using var key = AuditSigningKey.Load(new AuditOptions { Origin = Origin, SigningKey = Convert.ToBase64String(Seed) },
            new HostingEnvironment { EnvironmentName = "Production" });
        var checkpoints = new[] { (Size: 3L, Time: At(5, 30, 4)), (Size: 6L, Time: At(11, 5, 250)) }
            .Select(c => (c.Size, Note: NoteSigning.Sign(new Checkpoint(Origin, c.Size, tree.Root(c.Size), c.Time).Body(), key).ToString()))
            .ToList();

        // The export of all events for an auditor who may not read the restricted resolution.
        var bundle = new AuditBundle(AuditBundle.CurrentFormat, Origin, new BundleScope(BundleScope.All, null),
            At(12, 3, 456, 789).AddTicks(1),
            leafHashes.Values.Select(Convert.ToBase64String).ToList(), [gap], checkpoints.Select(c => c.Note).ToList(),
            [key.VerifierKey.ToString()], rows.Where(r => r.Stream != Restricted).Select(Document).ToList(), redacted);

        var vote = Document(rows.Single(r => r.Seq == 5));
        var receipt = VoteReceiptEndpoint.Create(Resolution, vote, checkpoints[^1].Note, 6, tree.InclusionProof(4, 6));

        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["bundle.json"] = JsonSerializer.SerializeToUtf8Bytes(bundle, AuditJson.Options),
            ["receipt-DE-BY.json"] = JsonSerializer.SerializeToUtf8Bytes(receipt, AuditJson.Options),
            ["log.pub"] = Encoding.UTF8.GetBytes(key.VerifierKey + "\n"),
            ["checkpoint-3.note"] = Encoding.UTF8.GetBytes(checkpoints[0].Note),
            ["checkpoint-6.note"] = Encoding.UTF8.GetBytes(checkpoints[1].Note),
        };
        foreach (var (seq, document) in leafDocuments)
            files[$"leaves/{seq}.json"] = LeafDocument.CanonicalBytes(document);

        files["expected.json"] = Expected(key.VerifierKey, leafDocuments, leafHashes, tree, checkpoints, rows, gap, redacted);
        return files;
    }

    private static byte[] Expected(VerifierKey key, SortedDictionary<long, JsonObject> documents, SortedDictionary<long, byte[]> hashes,
        MerkleTree tree, IReadOnlyList<(long Size, string Note)> checkpoints, IReadOnlyList<Row> rows, long gap, long[] redacted)
    {
        static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
        var expected = new JsonObject
        {
            ["origin"] = Origin,
            ["key"] = new JsonObject
            {
                ["seed"] = Hex(Seed),
                ["publicKey"] = Hex(key.PublicKey),
                ["keyId"] = key.KeyIdHex,
                ["verifierKey"] = key.ToString(),
            },
            ["leaves"] = new JsonArray(hashes.Keys.Select(seq => (JsonNode)new JsonObject
            {
                ["seq"] = seq,
                ["leafIndex"] = seq - 1,
                ["kind"] = seq == gap ? "gap" : redacted.Contains(seq) ? "redacted" : "event",
                ["type"] = rows.FirstOrDefault(r => r.Seq == seq)?.Type,
                ["canonical"] = $"leaves/{seq}.json",
                ["canonicalSha256"] = Hex(SHA256.HashData(LeafDocument.CanonicalBytes(documents[seq]))),
                ["leafHash"] = Hex(hashes[seq]),
            }).ToArray()),
            ["roots"] = new JsonArray(Enumerable.Range(0, (int)tree.Size + 1).Select(size => (JsonNode)new JsonObject
            {
                ["size"] = size,
                ["root"] = Hex(tree.Root(size)),
            }).ToArray()),
            ["checkpoints"] = new JsonArray(checkpoints.Select(c => (JsonNode)new JsonObject
            {
                ["size"] = c.Size,
                ["note"] = c.Note,
                ["signedText"] = SignedNote.TryParse(c.Note)!.Text,
                ["signature"] = Hex(SignedNote.TryParse(c.Note)!.Signatures.Single().Signature),
            }).ToArray()),
            ["inclusionProof"] = new JsonObject
            {
                ["seq"] = 5,
                ["leafIndex"] = 4,
                ["treeSize"] = 6,
                ["proof"] = new JsonArray(tree.InclusionProof(4, 6).Select(p => (JsonNode)Hex(p)).ToArray()),
            },
            ["consistencyProof"] = new JsonObject
            {
                ["from"] = 3,
                ["to"] = 6,
                ["proof"] = new JsonArray(tree.ConsistencyProof(3, 6).Select(p => (JsonNode)Hex(p)).ToArray()),
            },
            ["verification"] = new JsonObject
            {
                ["clean"] = true,
                ["treeSize"] = 6,
                ["eventsChecked"] = 4,
                ["checkpointsVerified"] = 2,
                ["redactedLeaves"] = 1,
            },
        };
        return Encoding.UTF8.GetBytes(expected.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n");
    }

    private static Marten.ISerializer MartenSerializer()
    {
        var options = new StoreOptions();
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        return options.Serializer();
    }

    /// <summary>A row as the service appends it: data as Marten serialises it and jsonb keeps it, user name and trace id.</summary>
    private static Row Event(Marten.ISerializer serializer, long seq, string id, Guid stream, long version, DateTimeOffset timestamp, Actor actor, object data) =>
        new(seq, Guid.Parse(id), stream, version, ResolutionsConfiguration.EventNames[data.GetType()], timestamp,
            Jsonb(JsonNode.Parse(serializer.ToJson(data)))!.ToJsonString(), actor.PersonId,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("trace " + seq)))[..32], "*DEFAULT*");

    /// <summary>What <see cref="EventRows.Read"/> makes of the row.</summary>
    private static JsonObject Document(Row row) =>
        LeafDocument.ForEvent(row.Seq, row.Id, row.Stream, row.Version, row.Type, row.Timestamp, JsonNode.Parse(row.Data),
            row.UserName, row.CorrelationId, null, null, row.Tenant);

    /// <summary>PostgreSQL jsonb keeps an object's members ordered by the length of their name, then by its bytes.</summary>
    private static JsonNode? Jsonb(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o
            .OrderBy(p => Encoding.UTF8.GetByteCount(p.Key))
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Jsonb(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Jsonb).ToArray()),
        _ => node?.DeepClone(),
    };
}
