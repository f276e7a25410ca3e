namespace Ampstack.Aws.Client.Wire;

/// <summary>A request as written from the model, before it is signed and sent.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, percent-encoded, relative to the endpoint's own path.</param>
/// <param name="Query">The query parameters, decoded, in order.</param>
/// <param name="Headers">The headers the model puts on the request (content type, target, header members).</param>
/// <param name="Body">The body bytes (empty for none).</param>
internal sealed record ClientRequest(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body);
