using System.Security.Cryptography;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// Proofs that would hold if one guard were missing: a surplus element that hashes to the root given, sizes that run
/// backwards or below zero, roots of the wrong length. The node hashes are computed here with SHA-256 directly (RFC 9162:
/// 0x01 || left || right), not with the tree under test. And the tree refuses sizes and leaves it does not hold, in words.
/// </summary>
public sealed class MerkleBoundaryTests
{
    private static byte[] H(byte tag, params byte[][] parts) => SHA256.HashData([tag, .. parts.SelectMany(p => p)]);
    private static readonly byte[] A = H(0x00, [1]);
    private static readonly byte[] B = H(0x00, [2]);
    private static byte[] Node(byte[] left, byte[] right) => H(0x01, left, right);

    [Fact]
    public void A_proof_for_a_one_leaf_tree_with_one_more_hash_is_refused_even_when_that_hash_leads_to_the_root_given()
    {
        // Leaf B with A before it hashes to the root of the two-leaf tree; but in a tree of one leaf nothing may follow.
        Merkle.VerifyInclusion(0, 1, B, [A], Node(A, B)).ShouldBeFalse();
        Merkle.VerifyInclusion(1, 2, B, [A], Node(A, B)).ShouldBeTrue();
    }

    [Fact]
    public void A_consistency_proof_between_sizes_below_zero_or_running_backwards_is_refused()
    {
        Merkle.VerifyConsistency(-1, -1, A, A, []).ShouldBeFalse();
        Merkle.VerifyConsistency(0, 0, A, A, []).ShouldBeTrue();
        // From 3 back to 2: A and B would lead to both roots given, yet a tree does not shrink.
        Merkle.VerifyConsistency(3, 2, A, Node(A, B), [A, B]).ShouldBeFalse();
    }

    [Fact]
    public void A_consistency_proof_from_the_empty_tree_still_needs_roots_of_32_bytes()
    {
        Merkle.VerifyConsistency(0, 5, A, B, []).ShouldBeTrue();
        Merkle.VerifyConsistency(0, 5, A[..31], B, []).ShouldBeFalse();
        Merkle.VerifyConsistency(0, 5, A, B[..31], []).ShouldBeFalse();
    }

    [Fact]
    public void The_tree_refuses_sizes_beyond_its_leaves_and_says_how_many_it_holds()
    {
        var tree = new MerkleTree([A, B, A]);
        var root = Should.Throw<ArgumentOutOfRangeException>(() => tree.Root(4));
        root.ParamName.ShouldBe("size");
        root.Message.ShouldStartWith("The tree has 3 leaves.");
        var inclusion = Should.Throw<ArgumentOutOfRangeException>(() => tree.InclusionProof(0, 4));
        inclusion.ParamName.ShouldBe("size");
        var consistency = Should.Throw<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(1, 4));
        consistency.ParamName.ShouldBe("size");
        consistency.Message.ShouldStartWith("The tree has 3 leaves.");
        Should.Throw<ArgumentOutOfRangeException>(() => tree.Root(-1)).ParamName.ShouldBe("size");
    }

    [Fact]
    public void The_tree_refuses_a_leaf_outside_the_size_and_a_first_size_beyond_the_second_in_words()
    {
        var tree = new MerkleTree([A, B, A]);
        var leaf = Should.Throw<ArgumentOutOfRangeException>(() => tree.InclusionProof(2, 2));
        leaf.ParamName.ShouldBe("index");
        leaf.Message.ShouldStartWith("The leaf is not in a tree of that size.");
        var sizes = Should.Throw<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(3, 2));
        sizes.ParamName.ShouldBe("first");
        sizes.Message.ShouldStartWith("The first size must not exceed the second.");
    }

    [Fact]
    public void A_leaf_hash_of_another_length_is_not_appended()
    {
        var tree = new MerkleTree([A]);
        var e = Should.Throw<ArgumentException>(() => tree.Append(A[..31]));
        e.ParamName.ShouldBe("leafHash");
        e.Message.ShouldStartWith("A leaf hash has 32 bytes.");
        tree.Size.ShouldBe(1);
    }

    [Fact]
    public void The_proof_between_equal_sizes_is_empty()
    {
        var tree = new MerkleTree([A, B, A]);
        tree.ConsistencyProof(3, 3).ShouldBeEmpty();
        tree.ConsistencyProof(2, 2).ShouldBeEmpty();
        tree.ConsistencyProof(0, 3).ShouldBeEmpty();
    }
}
