using System.Security.Cryptography;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// What the proofs refuse before they compute anything: indexes and sizes outside the tree, hashes of the wrong length,
/// missing or surplus proof elements. Each check is tested on its own against a proof that holds otherwise, so that
/// weakening one of them (a mutation of the guard) changes an answer.
/// </summary>
public sealed class MerkleGuardTests
{
    private static readonly byte[][] Leaves = Enumerable.Range(0, 7).Select(i => Merkle.HashLeaf([(byte)i, 0x42])).ToArray();
    private static readonly MerkleTree Tree = new(Leaves);
    private static byte[] Short(byte[] hash) => hash[..^1];

    [Fact]
    public void An_inclusion_proof_holds_only_for_a_leaf_inside_the_tree_with_hashes_of_32_bytes()
    {
        var root = Tree.Root();
        var proof = Tree.InclusionProof(3, 7);
        Merkle.VerifyInclusion(3, 7, Leaves[3], proof, root).ShouldBeTrue();

        Merkle.VerifyInclusion(-1, 7, Leaves[3], proof, root).ShouldBeFalse();
        Merkle.VerifyInclusion(3, 7, Short(Leaves[3]), proof, root).ShouldBeFalse();
        Merkle.VerifyInclusion(3, 7, Leaves[3], proof, Short(root)).ShouldBeFalse();
        Merkle.VerifyInclusion(3, 7, Leaves[3], [proof[0], null!, .. proof.Skip(2)], root).ShouldBeFalse();
        Merkle.VerifyInclusion(3, 7, Leaves[3], [.. proof.Take(proof.Count - 1), Short(proof[^1])], root).ShouldBeFalse();
        // An element after the proof reached the root is one too many.
        Merkle.VerifyInclusion(3, 7, Leaves[3], [.. proof, proof[0]], root).ShouldBeFalse();
        Merkle.VerifyInclusion(3, 7, Leaves[3], proof.Take(proof.Count - 1).ToList(), root).ShouldBeFalse();
    }

    [Fact]
    public void In_a_tree_of_one_leaf_the_leaf_is_the_root_and_index_one_is_outside()
    {
        var single = new MerkleTree([Leaves[0]]);
        single.Root().ShouldBe(Leaves[0]);
        Merkle.VerifyInclusion(0, 1, Leaves[0], [], Leaves[0]).ShouldBeTrue();
        Merkle.VerifyInclusion(1, 1, Leaves[0], [], Leaves[0]).ShouldBeFalse();
        Merkle.VerifyInclusion(0, 0, Leaves[0], [], Leaves[0]).ShouldBeFalse();
    }

    [Fact]
    public void A_consistency_proof_holds_only_between_sizes_in_order_with_hashes_of_32_bytes()
    {
        var (small, large) = (Tree.Root(3), Tree.Root(7));
        var proof = Tree.ConsistencyProof(3, 7);
        Merkle.VerifyConsistency(3, 7, small, large, proof).ShouldBeTrue();

        Merkle.VerifyConsistency(-1, 7, small, large, proof).ShouldBeFalse();
        Merkle.VerifyConsistency(7, 3, large, small, proof).ShouldBeFalse();
        Merkle.VerifyConsistency(3, 7, Short(small), large, proof).ShouldBeFalse();
        Merkle.VerifyConsistency(3, 7, small, Short(large), proof).ShouldBeFalse();
        Merkle.VerifyConsistency(3, 7, small, large, [.. proof.Take(proof.Count - 1), null!]).ShouldBeFalse();
        Merkle.VerifyConsistency(3, 7, small, large, [.. proof.Take(proof.Count - 1), Short(proof[^1])]).ShouldBeFalse();
        Merkle.VerifyConsistency(3, 7, small, large, []).ShouldBeFalse();
    }

    [Fact]
    public void Equal_sizes_need_equal_roots_and_no_proof_and_the_empty_tree_is_a_prefix_of_every_tree()
    {
        var root = Tree.Root();
        Merkle.VerifyConsistency(7, 7, root, root, []).ShouldBeTrue();
        Merkle.VerifyConsistency(7, 7, root, root, [Leaves[0]]).ShouldBeFalse();
        Merkle.VerifyConsistency(7, 7, Tree.Root(6), root, []).ShouldBeFalse();
        Merkle.VerifyConsistency(0, 7, Merkle.EmptyRoot, root, []).ShouldBeTrue();
        Merkle.VerifyConsistency(0, 7, Merkle.EmptyRoot, root, [Leaves[0]]).ShouldBeFalse();
        Merkle.EmptyRoot.ShouldBe(SHA256.HashData([]));
    }

    [Fact]
    public void The_tree_gives_proofs_only_for_leaves_and_sizes_it_has_and_none_where_nothing_is_to_prove()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.InclusionProof(7, 7));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.InclusionProof(-1, 7));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.InclusionProof(0, 8));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.Root(8));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.Root(-1));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.ConsistencyProof(4, 3));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.ConsistencyProof(-1, 3));
        Should.Throw<ArgumentOutOfRangeException>(() => Tree.ConsistencyProof(3, 8));
        Tree.ConsistencyProof(0, 7).ShouldBeEmpty();
        Tree.ConsistencyProof(7, 7).ShouldBeEmpty();
        Tree.ConsistencyProof(3, 3).ShouldBeEmpty();
        Tree.Root(0).ShouldBe(Merkle.EmptyRoot);
        // Sizes 1 and 8 of a larger tree: the proof of a power of two carries no first root of its own.
        var eight = new MerkleTree(Enumerable.Range(0, 9).Select(i => Merkle.HashLeaf([(byte)i])));
        Merkle.VerifyConsistency(4, 8, eight.Root(4), eight.Root(8), eight.ConsistencyProof(4, 8)).ShouldBeTrue();
        Merkle.VerifyConsistency(1, 9, eight.Root(1), eight.Root(9), eight.ConsistencyProof(1, 9)).ShouldBeTrue();
    }
}
