using System.Globalization;

namespace Ampstack.Family.S3;

/// <summary>A byte range of an object.</summary>
/// <param name="Start">The first byte.</param>
/// <param name="Length">How many bytes.</param>
internal readonly record struct ByteRange(long Start, long Length);

/// <summary>The <c>Range</c> header as S3 reads it: one <c>bytes=</c> range (first-last, first-, or -suffix).</summary>
internal static class Ranges
{
    /// <summary>The range asked for, or null for the whole object (no header, or one S3 ignores).</summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',', StringComparison.Ordinal))
        {
            return null; // S3 ignores what it does not understand and sends the whole object
        }

        var spec = header["bytes=".Length..].Split('-', 2);
        if (spec.Length != 2)
        {
            return null;
        }

        var hasFirst = long.TryParse(spec[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first);
        var hasLast = long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last);
        if (!hasFirst && hasLast && spec[0].Length == 0)
        {
            if (last == 0)
            {
                throw S3Errors.InvalidRange(size);
            }

            var length = Math.Min(last, size);
            return new ByteRange(size - length, length);
        }

        if (!hasFirst || (spec[1].Length > 0 && !hasLast) || (hasLast && last < first))
        {
            return null;
        }

        if (first >= size)
        {
            throw S3Errors.InvalidRange(size);
        }

        var end = hasLast ? Math.Min(last, size - 1) : size - 1;
        return new ByteRange(first, end - first + 1);
    }

    /// <summary>The <c>Content-Range</c> of a partial answer.</summary>
    public static string Header(ByteRange range, long size) =>
        string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.Start + range.Length - 1}/{size}");
}
