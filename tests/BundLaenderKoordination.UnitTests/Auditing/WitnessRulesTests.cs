using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The witness's decision (C2SP tlog-witness add-checkpoint) and the cosignature format (C2SP tlog-cosignature), on real
/// trees, signatures and keys: it cosigns only a checkpoint of a pinned log that extends the one it holds.
/// </summary>
public sealed class WitnessRulesTests
{
    private const string Origin = "test/log";
    private static readonly BouncyCastleEd25519Signer Log = new(Origin, Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private static readonly Cosigner Witness = TestWitnesses.Bavaria;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<VerifierKey>> LogKeys =
        new Dictionary<string, IReadOnlyList<VerifierKey>> { [Origin] = [Log.VerifierKey] };

    private static MerkleTree Tree(int size, string salt = "") =>
        new(Enumerable.Range(0, size).Select(i => Merkle.HashLeaf(Encoding.UTF8.GetBytes($"leaf {i}{salt}"))));

    private static string Note(MerkleTree tree, long size, INoteSigner? signer = null, string origin = Origin) =>
        NoteSigning.Sign(new Checkpoint(origin, size, tree.Root(size), T0.AddSeconds(size)).Body(), signer ?? Log).ToString();

    private static WitnessAnswer Decide(AddCheckpointRequest request, Checkpoint? held) =>
        WitnessRules.Decide(request, LogKeys, origin => origin == Origin ? held : null, Witness, 1_764_392_400);

    private static Checkpoint Held(MerkleTree tree, long size) => new(Origin, size, tree.Root(size), T0.AddSeconds(size));

    [Fact]
    public void A_first_checkpoint_is_cosigned_with_a_cosignature_v1_line_that_verifies()
    {
        var tree = Tree(5);
        var note = Note(tree, 5);
        var answer = Decide(new AddCheckpointRequest(0, [], note), null);
        answer.Status.ShouldBe(200);
        answer.Accepted!.Size.ShouldBe(5);
        answer.AcceptedNote.ShouldBe(note);
        answer.Body.ShouldStartWith("\u2014 witness.test/by ");
        answer.Body.ShouldEndWith("\n");
        var text = SignedNote.TryParse(note)!.Text;
        var line = Cosignatures.Accept(text, answer.Body, Witness.Key).ShouldHaveSingleItem();
        Witness.Key.Verify(text, line).ShouldBe(1_764_392_400);
        // The signed message is "cosignature/v1", the time line, then the whole checkpoint body.
        Encoding.UTF8.GetString(Cosignatures.Message(text, 1_764_392_400)).ShouldBe($"cosignature/v1\ntime 1764392400\n{text}");
        // Another checkpoint's text does not verify under it, nor does another witness's key.
        Witness.Key.Verify(SignedNote.TryParse(Note(tree, 4))!.Text, line).ShouldBeNull();
        Cosigner.Generate("witness.test/by").Key.Verify(text, line).ShouldBeNull();
    }

    [Fact]
    public void A_checkpoint_that_extends_the_held_one_with_a_valid_consistency_proof_is_cosigned()
    {
        var tree = Tree(13);
        var answer = Decide(new AddCheckpointRequest(5, tree.ConsistencyProof(5, 13), Note(tree, 13)), Held(tree, 5));
        answer.Status.ShouldBe(200);
        answer.Accepted!.Size.ShouldBe(13);
        // The same tree again (same size, same root) is cosigned again.
        Decide(new AddCheckpointRequest(13, [], Note(tree, 13)), Held(tree, 13)).Status.ShouldBe(200);
    }

    [Fact]
    public void An_old_size_other_than_the_held_one_is_409_with_the_held_size()
    {
        var tree = Tree(13);
        var answer = Decide(new AddCheckpointRequest(0, [], Note(tree, 13)), Held(tree, 5));
        answer.Status.ShouldBe(409);
        answer.Body.ShouldBe("5\n");
        answer.ContentType.ShouldBe(WitnessRules.SizeContentType);
        answer.Fork.ShouldBeFalse();
        Decide(new AddCheckpointRequest(5, tree.ConsistencyProof(5, 13), Note(tree, 13)), null).Body.ShouldBe("0\n");
    }

    [Fact]
    public void Another_root_at_the_held_size_is_a_fork_refused_with_409()
    {
        var seen = Tree(8);
        var other = Tree(8, " anders");
        var answer = Decide(new AddCheckpointRequest(8, [], Note(other, 8)), Held(seen, 8));
        answer.Status.ShouldBe(409);
        answer.Fork.ShouldBeTrue();
        answer.Accepted.ShouldBeNull();
        answer.Body.ShouldContain("Fork");
    }

    [Fact]
    public void A_larger_tree_that_does_not_extend_the_held_one_is_422()
    {
        var seen = Tree(5);
        var other = Tree(9, " anders");
        // The other log's own proof from 5: it leads to the other log's root at 5, not to the held one.
        var answer = Decide(new AddCheckpointRequest(5, other.ConsistencyProof(5, 9), Note(other, 9)), Held(seen, 5));
        answer.Status.ShouldBe(422);
        answer.Fork.ShouldBeTrue();
        // A proof with a flipped bit, and a proof sent with old size 0, are refused alike.
        var tree = Tree(9);
        var proof = tree.ConsistencyProof(5, 9).Select(h => h.ToArray()).ToList();
        proof[0][0] ^= 1;
        Decide(new AddCheckpointRequest(5, proof, Note(tree, 9)), Held(tree, 5)).Status.ShouldBe(422);
        Decide(new AddCheckpointRequest(0, tree.ConsistencyProof(5, 9), Note(tree, 9)), null).Status.ShouldBe(422);
    }

    [Fact]
    public void Unknown_logs_foreign_keys_bad_signatures_and_bad_sizes_are_refused()
    {
        var tree = Tree(6);
        Decide(new AddCheckpointRequest(0, [], Note(tree, 6, new BouncyCastleEd25519Signer("other/log", new byte[32]), "other/log")), null).Status.ShouldBe(404);
        Decide(new AddCheckpointRequest(0, [], Note(tree, 6, BouncyCastleEd25519Signer.Generate(Origin))), null).Status.ShouldBe(403);
        var note = SignedNote.TryParse(Note(tree, 6))!;
        var altered = new SignedNote(new Checkpoint(Origin, 6, tree.Root(5), T0).Body(), note.Signatures).ToString();
        Decide(new AddCheckpointRequest(0, [], altered), null).Status.ShouldBe(403);
        Decide(new AddCheckpointRequest(7, [], Note(tree, 6)), null).Status.ShouldBe(400);
        Decide(new AddCheckpointRequest(0, [], "kein Checkpoint\n"), null).Status.ShouldBe(400);
    }

    [Fact]
    public void A_request_is_read_strictly_and_written_back_alike()
    {
        var tree = Tree(9);
        var request = new AddCheckpointRequest(5, tree.ConsistencyProof(5, 9), Note(tree, 9));
        var parsed = AddCheckpointRequest.TryParse(request.ToString(), out var problem).ShouldNotBeNull();
        problem.ShouldBeNull();
        parsed.OldSize.ShouldBe(5);
        parsed.Proof.Count.ShouldBe(request.Proof.Count);
        parsed.Note.ShouldBe(request.Note);
        parsed.ToString().ShouldBe(request.ToString());
        AddCheckpointRequest.TryParse("old 0\n\n" + Note(tree, 9), out _)!.Proof.ShouldBeEmpty();
        foreach (var bad in new[] { "", "old 05\n\nx", "old -1\n\nx", "neu 5\n\nx", "old 5\nkein-hash\n\nx", "old 5\n" + Note(tree, 9) })
            AddCheckpointRequest.TryParse(bad, out _).ShouldBeNull(bad);
        var tooLong = "old 5\n" + string.Concat(Enumerable.Repeat(Convert.ToBase64String(new byte[32]) + "\n", 64)) + "\n" + Note(tree, 9);
        AddCheckpointRequest.TryParse(tooLong, out var tooMany).ShouldBeNull();
        tooMany.ShouldNotBeNull().ShouldContain("63");
    }

    [Fact]
    public void A_witness_key_is_read_strictly()
    {
        var text = Witness.Key.ToString();
        text.ShouldStartWith("witness.test/by+" + Witness.Key.KeyIdHex + "+");
        Convert.FromBase64String(text.Split('+')[2]).ShouldBe([(byte)0x04, .. Witness.Key.PublicKey]);
        var parsed = CosignerKey.TryParse(text).ShouldNotBeNull();
        parsed.PublicKey.ShouldBe(Witness.Key.PublicKey);
        parsed.KeyId.ShouldBe(VerifierKey.ComputeKeyId("witness.test/by", 0x04, Witness.Key.PublicKey));
        // A log key (type 0x01) is not a witness key, nor is a key id that does not match.
        CosignerKey.TryParse(Log.VerifierKey.ToString(), out var type).ShouldBeNull();
        type.ShouldNotBeNull().ShouldContain("0x04");
        CosignerKey.TryParse(text.Replace("+" + Witness.Key.KeyIdHex + "+", "+00000000+"), out var id).ShouldBeNull();
        id.ShouldNotBeNull().ShouldContain("key id");
        foreach (var bad in new[] { "", "nur-ein-name", "a b+00000000+BA==", "witness.test/by+" + Witness.Key.KeyIdHex + "+BAAA" })
            CosignerKey.TryParse(bad).ShouldBeNull(bad);
        Should.Throw<ArgumentException>(() => new Cosigner("mit leerzeichen", new byte[32]));
    }

    [Fact]
    public void An_answer_is_accepted_only_for_the_lines_of_that_witness_that_verify()
    {
        var tree = Tree(4);
        var text = SignedNote.TryParse(Note(tree, 4))!.Text;
        var other = Cosigner.Generate("witness.test/he");
        var answer = new SignedNote(text, [Witness.Cosign(text, 100), other.Cosign(text, 100)]).ToString()[(text.Length + 1)..];
        Cosignatures.Accept(text, answer, Witness.Key).ShouldHaveSingleItem().KeyName.ShouldBe("witness.test/by");
        Cosignatures.Accept(text, answer.TrimEnd('\n'), Witness.Key).ShouldBeEmpty();
        Cosignatures.Accept(text, "", Witness.Key).ShouldBeEmpty();
        Cosignatures.Accept(SignedNote.TryParse(Note(tree, 3))!.Text, answer, Witness.Key).ShouldBeEmpty();
        // Added to the note once, after the log's own signature.
        var note = Note(tree, 4);
        var line = Witness.Cosign(text, 100);
        var cosigned = Cosignatures.AddTo(Cosignatures.AddTo(note, [line]), [line]);
        SignedNote.TryParse(cosigned)!.Signatures.Select(s => s.KeyName).ShouldBe([Origin, "witness.test/by"]);
        Should.Throw<ArgumentOutOfRangeException>(() => Witness.Cosign(text, -1));
    }
}
