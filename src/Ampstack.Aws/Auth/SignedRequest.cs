using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Auth;

/// <summary>A request as its signature covers it: exactly what arrived, before anything is decoded or parsed.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path as sent, still percent-encoded, without the query.</param>
/// <param name="RawQuery">The query as sent, without the leading <c>?</c> (empty when there is none).</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The body bytes as received.</param>
public sealed record SignedRequest(string Method, string RawPath, string RawQuery, IHeaderDictionary Headers, ReadOnlyMemory<byte> Body);
