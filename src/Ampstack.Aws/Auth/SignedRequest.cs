using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Auth;

/// <summary>A request as its signature covers it: exactly what arrived, before anything is decoded or parsed.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path as sent, still percent-encoded, without the query.</param>
/// <param name="RawQuery">The query as sent, without the leading <c>?</c> (empty when there is none).</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The body bytes as received.</param>
public sealed record SignedRequest(string Method, string RawPath, string RawQuery, IHeaderDictionary Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The signing name the request's credential scope must name (the service it was routed to), when known.</summary>
    public string? Service { get; init; }

    /// <summary>
    /// True for S3, whose signers put the path into the canonical request as sent (encoded once, not normalized) instead
    /// of normalizing it and encoding it again as every other service does.
    /// </summary>
    public bool PathSignedAsSent { get; init; }
}
