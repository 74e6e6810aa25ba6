using System.Buffers;
using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The canonicaliser, the leaf hash and the strict checks borrow their scratch arrays from the shared pools and give
/// each back when done, so that verifying a large bundle does not drain the pools. The shared pool hands out first the
/// array returned last on the same thread: renting one of the same size right after a call gives back the scratch array
/// the call used, still holding the text it worked on.
/// </summary>
public sealed class PoolReturnTests
{
    private static void CanonicalLeaf(string json)
    {
        using var output = new PooledBuffer();
        CanonicalJson.Write(Encoding.UTF8.GetBytes(json), output, normalizeStrings: true);
    }

    private static void ShouldStartWith<T>(T[] rented, T[] expected) => rented.AsSpan(0, expected.Length).ToArray().ShouldBe(expected);

    [Fact]
    public void The_characters_of_a_string_with_line_ends_go_back_to_the_pool()
    {
        CanonicalLeaf("\"abcdefghijklmno\\r\"");
        var chars = ArrayPool<char>.Shared.Rent(16);
        var bytes = ArrayPool<byte>.Shared.Rent(51);
        try
        {
            ShouldStartWith(chars, "abcdefghijklmno\n".ToCharArray());
            ShouldStartWith(bytes, "abcdefghijklmno\n"u8.ToArray());
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [Fact]
    public void The_normalised_characters_of_a_decomposed_string_go_back_to_the_pool()
    {
        CanonicalLeaf("\"La\u0308nder\"");
        var chars = ArrayPool<char>.Shared.Rent(16);
        var bytes = ArrayPool<byte>.Shared.Rent(21);
        try
        {
            ShouldStartWith(chars, "L\u00e4nder".ToCharArray());
            ShouldStartWith(bytes, Encoding.UTF8.GetBytes("L\u00e4nder"));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [Fact]
    public void The_bytes_of_a_text_column_of_an_event_go_back_to_the_pool()
    {
        LeafDocument.HashEvent(1, Guid.Empty, Guid.Empty, 1, "t", DateTimeOffset.UnixEpoch, "{}"u8, "M\u00fcller", null, null, default, false, null);
        var bytes = ArrayPool<byte>.Shared.Rent(21);
        try
        {
            ShouldStartWith(bytes, Encoding.UTF8.GetBytes("M\u00fcller"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [Fact]
    public void The_scratch_array_of_the_strict_checks_goes_back_to_the_pool()
    {
        StrictJson.Check("[\"\\u0041BCDEFGH\"]"u8).ShouldBeNull();
        var bytes = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            ShouldStartWith(bytes, "ABCDEFGH"u8.ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [Fact]
    public void The_first_scratch_array_of_the_strict_checks_goes_back_when_a_long_string_needs_a_larger_one()
    {
        StrictJson.Check(Encoding.UTF8.GetBytes("[\"\\u0051RSTUV\",\"\\u0041" + new string('x', 300) + "\"]")).ShouldBeNull();
        var small = ArrayPool<byte>.Shared.Rent(256);
        var large = ArrayPool<byte>.Shared.Rent(512);
        try
        {
            ShouldStartWith(small, "QRSTUV"u8.ToArray());
            ShouldStartWith(large, "Axxxxx"u8.ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(small);
            ArrayPool<byte>.Shared.Return(large);
        }
    }
}
