using System.Security.Cryptography;
using BundLaenderKoordination.Audit;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>The Merkle log against RFC 9162's recursive definitions, written out naively, and against tampered proofs.</summary>
public sealed class MerkleTests
{
    // ---- The reference: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 word for word, on lists of entries.
    private static byte[] Mth(IReadOnlyList<byte[]> d)
    {
        if (d.Count == 0) return SHA256.HashData([]);
        if (d.Count == 1) return SHA256.HashData([0x00, .. d[0]]);
        var k = 1;
        while (k * 2 < d.Count) k *= 2;
        return SHA256.HashData([0x01, .. Mth(d.Take(k).ToList()), .. Mth(d.Skip(k).ToList())]);
    }

    private static List<byte[]> RefPath(int m, IReadOnlyList<byte[]> d)
    {
        if (d.Count == 1) return [];
        var k = 1;
        while (k * 2 < d.Count) k *= 2;
        return m < k
            ? [.. RefPath(m, d.Take(k).ToList()), Mth(d.Skip(k).ToList())]
            : [.. RefPath(m - k, d.Skip(k).ToList()), Mth(d.Take(k).ToList())];
    }

    private static List<byte[]> RefSubProof(int m, IReadOnlyList<byte[]> d, bool b)
    {
        if (m == d.Count) return b ? [] : [Mth(d)];
        var k = 1;
        while (k * 2 < d.Count) k *= 2;
        return m <= k
            ? [.. RefSubProof(m, d.Take(k).ToList(), b), Mth(d.Skip(k).ToList())]
            : [.. RefSubProof(m - k, d.Skip(k).ToList(), false), Mth(d.Take(k).ToList())];
    }

    private static byte[][] Entries(int n) => Enumerable.Range(0, n).Select(i => BitConverter.GetBytes(i * 7919 + 3)).ToArray();

    private static MerkleTree TreeOf(byte[][] entries) => new(entries.Select(e => Merkle.HashLeaf(e)));

    private static readonly Gen<(int Size, int Index)> SizeAndIndex =
        Gen.Int[1, 300].SelectMany(n => Gen.Int[0, n - 1].Select(i => (n, i)));

    private static readonly Gen<(int First, int Second)> TwoSizes =
        Gen.Int[1, 300].SelectMany(n => Gen.Int[1, n].Select(m => (m, n)));

    [Fact]
    public void Roots_of_the_eight_leaf_test_tree_match_the_published_values()
    {
        // The RFC 6962 reference test tree (also in transparency-dev/merkle): eight leaves and its root.
        byte[][] leaves =
        [
            [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
            [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
        ];
        var tree = TreeOf(leaves);
        Convert.ToHexStringLower(tree.Root(1)).ShouldBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        Convert.ToHexStringLower(tree.Root(8)).ShouldBe("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        Convert.ToHexStringLower(tree.Root(0)).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Every_root_equals_the_reference_for_every_prefix() =>
        Gen.Int[1, 300].Sample(n =>
        {
            var entries = Entries(n);
            var tree = TreeOf(entries);
            for (var size = 0; size <= n; size += Math.Max(1, n / 17))
                tree.Root(size).ShouldBe(Mth(entries.Take(size).ToList()));
            tree.Root().ShouldBe(Mth(entries));
        }, iter: 60);

    [Fact]
    public void Inclusion_proofs_equal_the_reference_and_verify() =>
        SizeAndIndex.Sample(t =>
        {
            var entries = Entries(t.Size);
            var tree = TreeOf(entries);
            var proof = tree.InclusionProof(t.Index, t.Size);
            proof.ShouldBe(RefPath(t.Index, entries));
            Merkle.VerifyInclusion(t.Index, t.Size, Merkle.HashLeaf(entries[t.Index]), proof, Mth(entries)).ShouldBeTrue();
        }, iter: 300);

    [Fact]
    public void Consistency_proofs_equal_the_reference_and_verify() =>
        TwoSizes.Sample(t =>
        {
            var entries = Entries(t.Second);
            var tree = TreeOf(entries);
            var proof = tree.ConsistencyProof(t.First, t.Second);
            proof.ShouldBe(t.First == t.Second ? [] : RefSubProof(t.First, entries, true));
            Merkle.VerifyConsistency(t.First, t.Second, Mth(entries.Take(t.First).ToList()), Mth(entries), proof).ShouldBeTrue();
        }, iter: 300);

    [Fact]
    public void A_tampered_inclusion_proof_is_rejected() =>
        SizeAndIndex.Where(t => t.Size > 1).SelectMany(t => Gen.Int[0, 1000].Select(r => (t.Size, t.Index, r))).Sample(t =>
        {
            var entries = Entries(t.Size);
            var tree = TreeOf(entries);
            var root = tree.Root();
            var leaf = tree.LeafHash(t.Index);
            var proof = tree.InclusionProof(t.Index, t.Size).ToList();

            // A flipped bit in any element, the leaf or the root.
            var at = t.r % proof.Count;
            var flipped = proof.Select(p => p.ToArray()).ToList();
            flipped[at][t.r % 32] ^= (byte)(1 << (t.r % 8));
            Merkle.VerifyInclusion(t.Index, t.Size, leaf, flipped, root).ShouldBeFalse();
            Merkle.VerifyInclusion(t.Index, t.Size, Flip(leaf, t.r), proof, root).ShouldBeFalse();
            Merkle.VerifyInclusion(t.Index, t.Size, leaf, proof, Flip(root, t.r)).ShouldBeFalse();

            // Another index, another size, one element more or less.
            var otherIndex = (t.Index + 1 + t.r % (t.Size - 1)) % t.Size;
            Merkle.VerifyInclusion(otherIndex, t.Size, leaf, proof, root).ShouldBeFalse();
            // A size whose proofs have another shape; sizes with the same shape are told apart by the signed root.
            foreach (var size in new[] { t.Size - 1, t.Size + 1 + t.r % 5, t.Size * 2 })
                if (t.Index < size && RefPath(t.Index, Entries(size)).Count != proof.Count)
                    Merkle.VerifyInclusion(t.Index, size, leaf, proof, root).ShouldBeFalse();
            Merkle.VerifyInclusion(t.Index, t.Size, leaf, [.. proof, proof[at]], root).ShouldBeFalse();
            Merkle.VerifyInclusion(t.Index, t.Size, leaf, proof.Where((_, i) => i != at).ToList(), root).ShouldBeFalse();
            Merkle.VerifyInclusion(t.Index, t.Size, leaf, [], root).ShouldBeFalse();
        }, iter: 300);

    [Fact]
    public void A_tampered_consistency_proof_is_rejected() =>
        TwoSizes.Where(t => t.First < t.Second).SelectMany(t => Gen.Int[0, 1000].Select(r => (t.First, t.Second, r))).Sample(t =>
        {
            var entries = Entries(t.Second);
            var tree = TreeOf(entries);
            var first = tree.Root(t.First);
            var second = tree.Root(t.Second);
            var proof = tree.ConsistencyProof(t.First, t.Second).ToList();
            var at = t.r % proof.Count;

            var flipped = proof.Select(p => p.ToArray()).ToList();
            flipped[at][t.r % 32] ^= (byte)(1 << (t.r % 8));
            Merkle.VerifyConsistency(t.First, t.Second, first, second, flipped).ShouldBeFalse();
            Merkle.VerifyConsistency(t.First, t.Second, Flip(first, t.r), second, proof).ShouldBeFalse();
            Merkle.VerifyConsistency(t.First, t.Second, first, Flip(second, t.r), proof).ShouldBeFalse();

            foreach (var (f, s) in new[] { (t.First, t.Second + 1 + t.r % 5), (t.First - 1, t.Second), (t.First, t.Second * 2) })
                if (f >= 1 && f < s && RefSubProof(f, Entries(s), true).Count != proof.Count)
                    Merkle.VerifyConsistency(f, s, first, second, proof).ShouldBeFalse();
            Merkle.VerifyConsistency(t.First, t.Second, first, second, [.. proof, proof[at]]).ShouldBeFalse();
            Merkle.VerifyConsistency(t.First, t.Second, first, second, proof.Where((_, i) => i != at).ToList()).ShouldBeFalse();
            Merkle.VerifyConsistency(t.First, t.Second, first, second, []).ShouldBeFalse();
        }, iter: 300);

    [Fact]
    public void A_tree_that_was_not_extended_but_rewritten_has_no_valid_consistency_proof() =>
        TwoSizes.Where(t => t.First < t.Second).Sample(t =>
        {
            var entries = Entries(t.Second);
            var rewritten = entries.ToArray();
            rewritten[t.First - 1] = [0xff, .. rewritten[t.First - 1]];
            var honest = TreeOf(entries);
            var forged = TreeOf(rewritten);
            Merkle.VerifyConsistency(t.First, t.Second, honest.Root(t.First), forged.Root(), forged.ConsistencyProof(t.First, t.Second))
                .ShouldBeFalse();
        }, iter: 200);

    private static byte[] Flip(byte[] hash, int r)
    {
        var copy = hash.ToArray();
        copy[r % 32] ^= (byte)(1 << (r % 8));
        return copy;
    }
}
