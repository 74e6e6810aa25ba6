using System.Buffers;
using System.Runtime.InteropServices;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The pooled buffer keeps every byte written, in order, across growth by single bytes, by spans and through
/// <see cref="IBufferWriter{T}"/>; it takes new storage only when the free space does not suffice, refuses to advance or
/// truncate past what it holds, and gives its storage back to the shared pool when it grows and when it is disposed.
/// </summary>
public sealed class PooledBufferTests
{
    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    private static byte[] Storage(PooledBuffer buffer)
    {
        MemoryMarshal.TryGetArray(buffer.WrittenMemory, out var segment).ShouldBeTrue();
        return segment.Array!;
    }

    [Fact]
    public void Single_bytes_written_past_the_first_storage_are_all_kept_in_order()
    {
        using var buffer = new PooledBuffer(16);
        var expected = Pattern(100, 3);
        foreach (var b in expected) buffer.Write(b);
        buffer.Length.ShouldBe(100);
        buffer.WrittenSpan.ToArray().ShouldBe(expected);
        buffer.WrittenMemory.ToArray().ShouldBe(expected);
    }

    [Fact]
    public void A_span_larger_than_the_free_space_is_kept_whole_after_what_came_before()
    {
        using var buffer = new PooledBuffer(16);
        var first = Pattern(10, 1);
        var large = Pattern(1000, 5);
        var last = Pattern(3000, 9);
        buffer.Write(first);
        buffer.Write(large);
        buffer.Write(last);
        buffer.Length.ShouldBe(4010);
        buffer.WrittenSpan.ToArray().ShouldBe([.. first, .. large, .. last]);
    }

    [Fact]
    public void A_span_a_little_larger_than_the_free_space_is_kept_whole()
    {
        using var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(10, 1));
        buffer.Write(Pattern(10, 2));
        buffer.WrittenSpan.ToArray().ShouldBe([.. Pattern(10, 1), .. Pattern(10, 2)]);
    }

    [Fact]
    public void Spans_that_exactly_fill_the_storage_take_no_new_storage()
    {
        using var buffer = new PooledBuffer(16);
        var storage = Storage(buffer);
        storage.Length.ShouldBe(16);
        buffer.Write(Pattern(10, 1));
        buffer.Write(Pattern(6, 2));
        Storage(buffer).ShouldBeSameAs(storage);
        buffer.WrittenSpan.ToArray().ShouldBe([.. Pattern(10, 1), .. Pattern(6, 2)]);
        Should.Throw<ArgumentOutOfRangeException>(() => buffer.Advance(1));
    }

    [Fact]
    public void Members_reordered_in_a_buffer_they_just_fit_take_no_new_storage()
    {
        // 9 bytes before, then {"b":1,"a":2}: the canonicaliser writes the body (11 bytes) again in order after it, which
        // ends exactly at the 32nd byte, and moves it down.
        using var output = new PooledBuffer(32);
        output.Write("123456789"u8);
        var storage = Storage(output);
        storage.Length.ShouldBe(32);
        CanonicalJson.Write("{\"b\":1,\"a\":2}"u8, output, normalizeStrings: false);
        System.Text.Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe("123456789{\"a\":2,\"b\":1}");
        Storage(output).ShouldBeSameAs(storage);
    }

    [Fact]
    public void Members_already_in_order_are_written_once_in_place()
    {
        // 10 bytes before, then {"a":1,"b":2} (23 bytes in all): writing the body (11 bytes) a second time would need
        // more than the 32 bytes of storage.
        using var output = new PooledBuffer(32);
        output.Write("0123456789"u8);
        var storage = Storage(output);
        CanonicalJson.Write("{\"a\":1,\"b\":2}"u8, output, normalizeStrings: false);
        System.Text.Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe("0123456789{\"a\":1,\"b\":2}");
        Storage(output).ShouldBeSameAs(storage);
    }

    [Fact]
    public void GetSpan_and_GetMemory_give_at_least_the_size_asked_for_and_at_least_one_byte()
    {
        using var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(10, 1));
        buffer.GetSpan(100).Length.ShouldBeGreaterThanOrEqualTo(100);
        buffer.GetMemory(500).Length.ShouldBeGreaterThanOrEqualTo(500);
        buffer.WrittenSpan.ToArray().ShouldBe(Pattern(10, 1));

        using var full = new PooledBuffer(16);
        full.Write(Pattern(16, 4));
        full.GetSpan().Length.ShouldBeGreaterThanOrEqualTo(1);
        using var fullToo = new PooledBuffer(16);
        fullToo.Write(Pattern(16, 4));
        fullToo.GetMemory().Length.ShouldBeGreaterThanOrEqualTo(1);
        fullToo.WrittenSpan.ToArray().ShouldBe(Pattern(16, 4));
    }

    [Fact]
    public void GetSpan_and_GetMemory_take_no_new_storage_when_the_free_space_suffices()
    {
        using var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(6, 1));
        var storage = Storage(buffer);
        buffer.GetSpan(10).Length.ShouldBe(10);
        buffer.GetMemory(10).Length.ShouldBe(10);
        buffer.GetSpan().Length.ShouldBe(10);
        buffer.GetMemory().Length.ShouldBe(10);
        Storage(buffer).ShouldBeSameAs(storage);
    }

    [Fact]
    public void What_is_written_into_a_span_or_memory_and_advanced_over_is_kept()
    {
        using var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(12, 1));
        var span = buffer.GetSpan(40);
        Pattern(40, 2).CopyTo(span);
        buffer.Advance(40);
        var memory = buffer.GetMemory(100);
        Pattern(100, 3).CopyTo(memory);
        buffer.Advance(100);
        buffer.Advance(0);
        buffer.WrittenSpan.ToArray().ShouldBe([.. Pattern(12, 1), .. Pattern(40, 2), .. Pattern(100, 3)]);
    }

    [Fact]
    public void Advancing_by_a_negative_count_or_past_the_free_space_is_refused()
    {
        using var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(10, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
        Should.Throw<ArgumentOutOfRangeException>(() => buffer.Advance(7));
        buffer.Length.ShouldBe(10);
        buffer.Advance(6);
        buffer.Length.ShouldBe(16);
    }

    [Fact]
    public void Truncate_drops_what_came_after_and_refuses_to_lengthen()
    {
        using var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(20, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => buffer.Truncate(21));
        buffer.Length.ShouldBe(20);
        buffer.Truncate(20);
        buffer.Truncate(5);
        buffer.WrittenSpan.ToArray().ShouldBe(Pattern(5, 1));
        buffer.Write((byte)0xFF);
        buffer.WrittenSpan.ToArray().ShouldBe([.. Pattern(5, 1), 0xFF]);
        buffer.Clear();
        buffer.Length.ShouldBe(0);
        buffer.WrittenSpan.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void The_old_storage_goes_back_to_the_pool_when_the_buffer_grows()
    {
        var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(16, 1));
        var old = Storage(buffer);
        buffer.Write((byte)1);
        Storage(buffer).ShouldNotBeSameAs(old);
        // The shared pool hands the array returned last on this thread out first.
        var again = ArrayPool<byte>.Shared.Rent(16);
        again.ShouldBeSameAs(old);
        ArrayPool<byte>.Shared.Return(again);
        buffer.Dispose();
    }

    [Fact]
    public void The_storage_goes_back_to_the_pool_on_dispose_once()
    {
        var buffer = new PooledBuffer(16);
        buffer.Write(Pattern(3, 1));
        var storage = Storage(buffer);
        buffer.Dispose();
        buffer.Length.ShouldBe(0);
        var again = ArrayPool<byte>.Shared.Rent(16);
        again.ShouldBeSameAs(storage);
        // A second dispose gives nothing back (and does not throw).
        buffer.Dispose();
        ArrayPool<byte>.Shared.Rent(16).ShouldNotBeSameAs(storage);
        ArrayPool<byte>.Shared.Return(again);
    }

    [Fact]
    public void A_disposed_buffer_written_again_takes_new_storage()
    {
        var buffer = new PooledBuffer(16);
        buffer.Dispose();
        buffer.Write((byte)7);
        buffer.Write(Pattern(40, 2));
        buffer.WrittenSpan.ToArray().ShouldBe([7, .. Pattern(40, 2)]);
        buffer.Dispose();
    }
}
