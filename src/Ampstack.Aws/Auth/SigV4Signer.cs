using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Ampstack.Aws.Auth;

/// <summary>
/// Signs an outgoing request with AWS Signature Version 4, from the same canonical forms (<see cref="SigV4"/>) that
/// <see cref="StrictAuthenticator"/> verifies with, so the two cannot drift apart: every header given is signed (the
/// caller passes <c>host</c> and the headers it means to send), plus <c>x-amz-date</c> and, for temporary credentials,
/// <c>x-amz-security-token</c>.
/// </summary>
public static class SigV4Signer
{
    /// <summary>
    /// The headers to add to the request: <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> when given, <c>Authorization</c>.
    /// </summary>
    /// <param name="request">What is sent: method, path as sent (percent-encoded), decoded query, headers, body bytes.</param>
    /// <param name="key">The key id, its secret and the session token of temporary credentials.</param>
    /// <param name="scope">The region and the service's signing name.</param>
    /// <param name="now">The signing time.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        OutgoingRequest request, AwsCredentials key, (string Region, string Service) scope, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var amzDate = now.UtcDateTime.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        var added = new List<KeyValuePair<string, string>> { new("X-Amz-Date", amzDate) };
        if (key.SessionToken is { } token)
        {
            added.Add(new("X-Amz-Security-Token", token));
        }

        var headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers.Concat(added))
        {
            var lower = name.ToLowerInvariant();
            headers[lower] = StringValues.Concat(headers[lower], value);
        }

        var signedHeaders = headers.Keys.Order(StringComparer.Ordinal).ToList();
        var signedHeadersText = string.Join(';', signedHeaders);
        var credentialScope = $"{amzDate[..8]}/{scope.Region}/{scope.Service}/aws4_request";
        var canonicalUri = request.PathSignedAsSent
            ? (request.RawPath.Length == 0 ? "/" : request.RawPath)
            : SigV4.CanonicalUri(request.RawPath);
        var canonical = SigV4.CanonicalRequest(request.Method.ToUpperInvariant(), canonicalUri,
            SigV4.CanonicalQuery(request.Query, presigned: false), SigV4.CanonicalHeaders(headers, signedHeaders), signedHeadersText,
            SigV4.Hash(request.Body.Span));
        var signingKey = SigV4.SigningKey(key.SecretAccessKey, amzDate[..8], scope.Region, scope.Service);
        var signature = SigV4.Signature(signingKey, SigV4.StringToSign(amzDate, credentialScope, canonical));
        added.Add(new("Authorization",
            $"{SigV4.Algorithm} Credential={key.AccessKeyId}/{credentialScope}, SignedHeaders={signedHeadersText}, Signature={signature}"));
        return added;
    }
}
