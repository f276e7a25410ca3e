using Ampstack.Domain.Deployment;

namespace Ampstack.Family.S3;

/// <summary>S3's conditional reads (RFC 9110 as S3 applies it): If-Match and If-Unmodified-Since fail with 412, If-None-Match
/// and If-Modified-Since with 304; an entity-tag list, weak tags and <c>*</c> are understood.</summary>
internal static class Conditions
{
    public static void Check(ArtifactObject item, string? ifMatch, string? ifNoneMatch, DateTimeOffset? ifModifiedSince,
        DateTimeOffset? ifUnmodifiedSince)
    {
        var modified = S3Provider.LastModified(item);
        if (ifMatch is not null && !Matches(ifMatch, item.ETag))
        {
            throw S3Errors.PreconditionFailed("If-Match");
        }

        if (ifMatch is null && ifUnmodifiedSince is { } unmodified && modified > unmodified)
        {
            throw S3Errors.PreconditionFailed("If-Unmodified-Since");
        }

        if (ifNoneMatch is not null)
        {
            if (Matches(ifNoneMatch, item.ETag))
            {
                throw S3Errors.NotModified(item.ETag);
            }
        }
        else if (ifModifiedSince is { } since && modified <= since)
        {
            throw S3Errors.NotModified(item.ETag);
        }
    }

    /// <summary>True when an If-Match / If-None-Match value names the entity tag (weak comparison).</summary>
    public static bool Matches(string header, string etag)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Split(',').Select(t => t.Trim()).Any(t => t == "*" || Opaque(t) == Opaque(etag));
    }

    private static string Opaque(string tag) => (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag).Trim('"');
}
