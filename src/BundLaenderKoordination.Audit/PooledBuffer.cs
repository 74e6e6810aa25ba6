using System.Buffers;

namespace BundLaenderKoordination.Audit;

/// <summary>A growable byte buffer whose storage comes from <see cref="ArrayPool{T}.Shared"/> and goes back on dispose.</summary>
public sealed class PooledBuffer(int initialCapacity = 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Drops everything written after <paramref name="length"/>.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Length = length;
    }

    public void Write(byte value)
    {
        if (Length == _buffer.Length) Grow(1);
        _buffer[Length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - Length < bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Writes a span of this buffer's own content again at its end.</summary>
    internal void WriteOwn(int start, int length)
    {
        if (_buffer.Length - Length < length) Grow(length);
        _buffer.AsSpan(start, length).CopyTo(_buffer.AsSpan(Length));
        Length += length;
    }

    internal Span<byte> Slice(int start, int length) => _buffer.AsSpan(start, length);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - Length);
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_buffer.Length - Length < Math.Max(sizeHint, 1)) Grow(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (_buffer.Length - Length < Math.Max(sizeHint, 1)) Grow(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(Length);
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + needed));
        _buffer.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Length = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
