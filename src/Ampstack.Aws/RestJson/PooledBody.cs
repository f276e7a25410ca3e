using System.Buffers;

namespace Ampstack.Aws.RestJson;

/// <summary>
/// A response body built in pooled 64 KiB segments: its length is known before it is sent (for Content-Length), and a
/// body of many megabytes neither lands on the large-object heap nor is copied whole (as a growing MemoryStream and its
/// ToArray would, several times per request). Dispose returns the segments to the pool.
/// </summary>
public sealed class PooledBody : IBufferWriter<byte>, IDisposable
{
    private const int SegmentSize = 64 * 1024;
    private readonly List<(byte[] Array, int Used)> _done = [];
    private byte[]? _current;
    private int _used;

    /// <summary>The bytes written so far.</summary>
    public long Length { get; private set; }

    public void Advance(int count)
    {
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_current is null || _current.Length - _used < Math.Max(sizeHint, 1))
        {
            if (_current is not null)
            {
                _done.Add((_current, _used));
            }

            _current = ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, sizeHint));
            _used = 0;
        }

        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>Writes the body to <paramref name="destination"/>, segment by segment.</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        foreach (var (array, used) in Segments())
        {
            await destination.WriteAsync(array.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The body as one array (for tests and small bodies).</summary>
    public byte[] ToArray()
    {
        var result = new byte[Length];
        var offset = 0;
        foreach (var (array, used) in Segments())
        {
            array.AsSpan(0, used).CopyTo(result.AsSpan(offset));
            offset += used;
        }

        return result;
    }

    public void Dispose()
    {
        foreach (var (array, _) in Segments())
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _done.Clear();
        _current = null;
        _used = 0;
        Length = 0;
    }

    private IEnumerable<(byte[] Array, int Used)> Segments() => _current is null ? _done : _done.Append((_current, _used));
}
