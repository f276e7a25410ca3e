namespace Ampstack.Aws.Auth;

/// <summary>A request as the signer sees it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path as it will be sent, percent-encoded.</param>
/// <param name="Query">The query parameters, decoded.</param>
/// <param name="Headers">The headers that will be sent and signed, <c>host</c> among them.</param>
/// <param name="Body">The body bytes.</param>
public sealed record OutgoingRequest(
    string Method,
    string RawPath,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>True for S3, whose signers sign the path as sent instead of normalizing and encoding it again.</summary>
    public bool PathSignedAsSent { get; init; }
}
