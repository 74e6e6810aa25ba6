using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// What a witness says when it refuses an add-checkpoint request (C2SP tlog-witness), word for word, which signature
/// lines of a checkpoint note it takes for the log's (name and key id both), and the bound of 63 proof lines.
/// </summary>
public sealed class WitnessRefusalTests
{
    private const string Origin = "test/log";
    private static readonly BouncyCastleEd25519Signer Log = new(Origin, Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    /// <summary>A second key under the same name as the log's (another key id).</summary>
    private static readonly BouncyCastleEd25519Signer Twin = new(Origin, Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private static readonly BouncyCastleEd25519Signer Mirror = new("test/mirror", Enumerable.Range(140, 32).Select(i => (byte)i).ToArray());
    private static readonly Cosigner Witness = TestWitnesses.Bavaria;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private static MerkleTree Tree(int size) => new(Enumerable.Range(0, size).Select(i => Merkle.HashLeaf(Encoding.UTF8.GetBytes($"leaf {i}"))));

    private static string Text(MerkleTree tree, long size) => new Checkpoint(Origin, size, tree.Root(size), T0.AddSeconds(size)).Body();

    private static NoteSignature SignatureBy(BouncyCastleEd25519Signer signer, string text) =>
        NoteSigning.Sign(text, signer).Signatures.Single();

    private static WitnessAnswer Decide(AddCheckpointRequest request, Checkpoint? held = null, params VerifierKey[] pinned) =>
        WitnessRules.Decide(request, new Dictionary<string, IReadOnlyList<VerifierKey>> { [Origin] = pinned.Length == 0 ? [Log.VerifierKey] : pinned },
            _ => held, Witness, 1_764_392_400);

    private static string? Problem(string body)
    {
        AddCheckpointRequest.TryParse(body, out var problem);
        return problem;
    }

    [Fact]
    public void A_request_that_cannot_be_read_is_refused_with_the_reason_stated()
    {
        Problem("").ShouldBe("The request is empty.");
        Problem("old 5\nkein Checkpoint").ShouldBe("The request has an empty line between the old size and proof lines and the checkpoint.");
        // An empty line first: there is no "old" line before it.
        Problem("\n\nkein Checkpoint").ShouldBe("The first line is \"old <size>\" in decimal without leading zeroes.");
        Problem("old 5\nkein-hash\n\nx").ShouldBe("A consistency proof line is one base64 SHA-256 hash.");
        Problem("old 5\n" + Convert.ToBase64String(new byte[31]) + "\n\nx").ShouldBe("A consistency proof line is one base64 SHA-256 hash.");
        var tooMany = "old 5\n" + string.Concat(Enumerable.Repeat(Convert.ToBase64String(new byte[32]) + "\n", 64)) + "\nx";
        Problem(tooMany).ShouldBe("A consistency proof has at most 63 lines.");
    }

    [Fact]
    public void A_consistency_proof_of_63_lines_is_read()
    {
        var body = "old 5\n" + string.Concat(Enumerable.Range(0, 63).Select(i => Convert.ToBase64String(Enumerable.Repeat((byte)i, 32).ToArray()) + "\n")) + "\nnote";
        var request = AddCheckpointRequest.TryParse(body, out var problem).ShouldNotBeNull();
        problem.ShouldBeNull();
        request.Proof.Count.ShouldBe(63);
        request.Proof[62].ShouldBe(Enumerable.Repeat((byte)62, 32).ToArray());
        request.Note.ShouldBe("note");
    }

    [Fact]
    public void Each_refusal_of_the_witness_says_why_in_its_body()
    {
        var tree = Tree(9);
        var notACheckpoint = NoteSigning.Sign("kein Checkpoint\n", Log).ToString();
        var unreadable = Decide(new AddCheckpointRequest(0, [], notACheckpoint));
        unreadable.Status.ShouldBe(400);
        unreadable.Body.ShouldStartWith("The checkpoint is not a signed checkpoint note: ");
        unreadable.Body.Length.ShouldBeGreaterThan("The checkpoint is not a signed checkpoint note: \n".Length);
        unreadable.Body.ShouldEndWith("\n");
        Decide(new AddCheckpointRequest(0, [], "kein signierter Checkpoint\n")).Body.ShouldStartWith("The checkpoint is not a signed checkpoint note: ");

        var foreign = new Checkpoint("other/log", 9, tree.Root(9), T0).Body();
        Decide(new AddCheckpointRequest(0, [], new SignedNote(foreign, [SignatureBy(Log, foreign)]).ToString()))
            .ShouldBe(new WitnessAnswer(404, "This witness does not witness the log 'other/log'.\n"));

        var text = Text(tree, 9);
        Decide(new AddCheckpointRequest(0, [], new SignedNote(text, [SignatureBy(Mirror, text)]).ToString()))
            .ShouldBe(new WitnessAnswer(403, "The checkpoint is not signed by the log's pinned key.\n"));
        var note = new SignedNote(text, [SignatureBy(Log, text)]).ToString();
        Decide(new AddCheckpointRequest(10, [], note)).ShouldBe(new WitnessAnswer(400, "The old size is larger than the checkpoint's size.\n"));
        var held = new Checkpoint(Origin, 5, tree.Root(5), T0);
        var proof = tree.ConsistencyProof(5, 9).Select(h => h.ToArray()).ToList();
        proof[^1][0] ^= 1;
        var inconsistent = Decide(new AddCheckpointRequest(5, proof, note), held);
        (inconsistent.Status, inconsistent.Body, inconsistent.Fork).ShouldBe((422, "The consistency proof from size 5 to 9 does not verify.\n", true));
    }

    [Fact]
    public void A_cosignature_is_answered_as_plain_text()
    {
        var tree = Tree(4);
        var text = Text(tree, 4);
        var answer = Decide(new AddCheckpointRequest(0, [], new SignedNote(text, [SignatureBy(Log, text)]).ToString()));
        answer.Status.ShouldBe(200);
        answer.ContentType.ShouldBe("text/plain; charset=utf-8");
    }

    [Fact]
    public void A_checkpoint_signed_by_one_of_several_pinned_keys_of_the_log_is_cosigned()
    {
        var tree = Tree(4);
        var text = Text(tree, 4);
        var note = new SignedNote(text, [SignatureBy(Log, text)]).ToString();
        Decide(new AddCheckpointRequest(0, [], note), null, Mirror.VerifierKey, Log.VerifierKey).Status.ShouldBe(200);
    }

    [Fact]
    public void A_signature_line_under_the_logs_name_but_another_key_id_is_ignored()
    {
        var tree = Tree(4);
        var text = Text(tree, 4);
        var note = new SignedNote(text, [SignatureBy(Log, text), SignatureBy(Twin, text) with { Signature = new byte[64] }]).ToString();
        Decide(new AddCheckpointRequest(0, [], note)).Status.ShouldBe(200);
    }

    [Fact]
    public void Every_line_of_a_pinned_key_must_verify_under_that_very_key()
    {
        var tree = Tree(4);
        var text = Text(tree, 4);
        // A valid line of the log's key, and a line of the second pinned key whose signature does not verify.
        var broken = new SignedNote(text, [SignatureBy(Log, text), SignatureBy(Mirror, text) with { Signature = new byte[64] }]).ToString();
        Decide(new AddCheckpointRequest(0, [], broken), null, Log.VerifierKey, Mirror.VerifierKey)
            .ShouldBe(new WitnessAnswer(403, "The checkpoint is not signed by the log's pinned key.\n"));
        // A line naming the log's key (name and key id) that only the other pinned key of the same name verifies.
        var swapped = new SignedNote(text, [SignatureBy(Twin, text) with { KeyId = Log.VerifierKey.KeyId }]).ToString();
        Decide(new AddCheckpointRequest(0, [], swapped), null, Log.VerifierKey, Twin.VerifierKey)
            .ShouldBe(new WitnessAnswer(403, "The checkpoint is not signed by the log's pinned key.\n"));
    }
}
