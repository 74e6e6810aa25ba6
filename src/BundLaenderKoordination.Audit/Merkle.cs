using System.Numerics;
using System.Security.Cryptography;

namespace BundLaenderKoordination.Audit;

/// <summary>RFC 9162 §2.1 Merkle tree hashing: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).</summary>
public static class Merkle
{
    public const int HashSize = 32;

    public static byte[] EmptyRoot { get; } = SHA256.HashData([]);

    public static byte[] HashLeaf(ReadOnlySpan<byte> entry)
    {
        var buffer = new byte[entry.Length + 1];
        buffer[0] = 0x00;
        entry.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n > 1): where RFC 9162 splits a tree.</summary>
    internal static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>RFC 9162 §2.1.3.2: checks that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree with that root.</summary>
    public static bool VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= treeSize || leafHash.Length != HashSize || root.Length != HashSize) return false;
        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (p is null || p.Length != HashSize || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashChildren(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = HashChildren(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>RFC 9162 §2.1.4.2: checks that the tree of size <paramref name="first"/> is a prefix of the tree of size <paramref name="second"/>.</summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first < 0 || second < first || firstRoot.Length != HashSize || secondRoot.Length != HashSize) return false;
        if (proof.Any(p => p is null || p.Length != HashSize)) return false;
        if (first == second) return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        if (first == 0) return proof.Count == 0;
        if (proof.Count == 0) return false;

        var path = new List<byte[]>(proof.Count + 1);
        if ((first & (first - 1)) == 0) path.Add(firstRoot.ToArray());
        path.AddRange(proof);

        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = HashChildren(c, fr);
                sr = HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = HashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }
}

/// <summary>
/// A Merkle tree over leaf hashes, appendable, that keeps the hash of every complete aligned subtree so that roots and
/// proofs for any size up to its own cost O(log n) hashes.
/// </summary>
public sealed class MerkleTree
{
    // _levels[h][i] is the hash of the complete subtree of 2^h leaves starting at leaf i * 2^h.
    private readonly List<List<byte[]>> _levels = [[]];

    public MerkleTree() { }

    public MerkleTree(IEnumerable<byte[]> leafHashes)
    {
        foreach (var leaf in leafHashes) Append(leaf);
    }

    public long Size => _levels[0].Count;

    public void Append(byte[] leafHash)
    {
        if (leafHash.Length != Merkle.HashSize) throw new ArgumentException("A leaf hash has 32 bytes.", nameof(leafHash));
        _levels[0].Add(leafHash);
        var level = 0;
        while (_levels[level].Count % 2 == 0)
        {
            var nodes = _levels[level];
            var parent = Merkle.HashChildren(nodes[^2], nodes[^1]);
            if (_levels.Count == level + 1) _levels.Add([]);
            _levels[level + 1].Add(parent);
            level++;
        }
    }

    public byte[] LeafHash(long index) => _levels[0][(int)index];

    public byte[] Root() => Root(Size);

    /// <summary>The root of the tree of the first <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size)
    {
        Check(size);
        return size == 0 ? Merkle.EmptyRoot : Hash(0, size);
    }

    /// <summary>RFC 9162 §2.1.3.1 PATH(index, D[0:size]).</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        Check(size);
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), "The leaf is not in a tree of that size.");
        var proof = new List<byte[]>();
        Path(index, 0, size, proof);
        return proof;
    }

    /// <summary>RFC 9162 §2.1.4.1 PROOF(first, D[0:second]).</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long first, long second)
    {
        Check(second);
        if (first < 0 || first > second) throw new ArgumentOutOfRangeException(nameof(first), "The first size must not exceed the second.");
        var proof = new List<byte[]>();
        if (first > 0 && first < second) SubProof(first, 0, second, true, proof);
        return proof;
    }

    private void Check(long size)
    {
        if (size < 0 || size > Size) throw new ArgumentOutOfRangeException(nameof(size), $"The tree has {Size} leaves.");
    }

    // The hash of leaves [start, end); whole aligned power-of-two ranges come from the stored levels.
    private byte[] Hash(long start, long end)
    {
        var n = end - start;
        if ((n & (n - 1)) == 0 && start % n == 0)
        {
            var level = BitOperations.Log2((ulong)n);
            return _levels[level][(int)(start >> level)];
        }
        var k = Merkle.Split(n);
        return Merkle.HashChildren(Hash(start, start + k), Hash(start + k, end));
    }

    private void Path(long index, long start, long end, List<byte[]> proof)
    {
        var n = end - start;
        if (n == 1) return;
        var k = Merkle.Split(n);
        if (index - start < k)
        {
            Path(index, start, start + k, proof);
            proof.Add(Hash(start + k, end));
        }
        else
        {
            Path(index, start + k, end, proof);
            proof.Add(Hash(start, start + k));
        }
    }

    private void SubProof(long m, long start, long end, bool whole, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!whole) proof.Add(Hash(start, end));
            return;
        }
        var k = Merkle.Split(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, whole, proof);
            proof.Add(Hash(start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, proof);
            proof.Add(Hash(start, start + k));
        }
    }
}
