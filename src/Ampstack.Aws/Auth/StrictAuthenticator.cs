using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ampstack.Aws.Errors;

namespace Ampstack.Aws.Auth;

/// <summary>
/// Only the keys of the credential store get in, and every signature is verified as AWS verifies it: the canonical
/// request is made from the raw path, the query, the signed headers and the exact body bytes received; the date must be
/// within 15 minutes of the server's clock (a presigned URL: before its expiry); signatures are compared in constant time.
/// </summary>
public sealed class StrictAuthenticator(ICredentialSource credentials, string signingName, TimeProvider time) : IRequestAuthenticator
{
    /// <summary>How far a request's date may be from the server's clock.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>The longest a presigned URL may be valid (a week, as AWS allows).</summary>
    public const int MaxPresignedSeconds = 604_800;

    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string Mismatch = "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private readonly ConcurrentDictionary<(Credential, string Scope), byte[]> _signingKeys = new();

    public string Description => $"auth strict ({credentials.Current.Count} credentials)";

    public CallerIdentity Authenticate(SignedRequest request)
    {
        var query = request.RawQuery.Length == 0 ? [] : SigV4.ParseQuery(request.RawQuery);
        var signature = SigV4Parameters.Read(request.Headers, query, strict: true);
        var credential = credentials.Current.Find(signature.AccessKeyId) ?? throw CommonErrors.UnrecognizedClient();
        if (!SameToken(credential.SessionToken, signature.SecurityToken))
        {
            throw CommonErrors.UnrecognizedClient();
        }

        var service = request.Service ?? signingName;
        if (signature.Service != service)
        {
            throw CommonErrors.InvalidSignature($"Credential should be scoped to correct service: '{service}'.");
        }

        var amzDate = signature.AmzDate!;
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4.DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw CommonErrors.IncompleteSignature(
                $"X-Amz-Date must be in the ISO8601 Long Format (yyyyMMdd'T'HHmmss'Z'), not '{Cut(amzDate)}'.");
        }

        if (signature.ScopeDate != amzDate[..8])
        {
            throw CommonErrors.InvalidSignature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + $"'{signature.ScopeDate}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        CheckTime(signature, signedAt);
        if (!signature.SignedHeaders.Contains("host"))
        {
            throw CommonErrors.IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var key = _signingKeys.GetOrAdd((credential, signature.Scope), static (k, s) =>
            SigV4.SigningKey(k.Item1.SecretAccessKey, s.ScopeDate, s.Region, s.Service), signature);
        if (_signingKeys.Count > 10_000)
        {
            _signingKeys.Clear(); // keys of past days and replaced stores; the next requests make theirs again
        }

        var canonicalUri = request.PathSignedAsSent
            ? (request.RawPath.Length == 0 ? "/" : request.RawPath)
            : SigV4.CanonicalUri(request.RawPath);
        var canonicalQuery = SigV4.CanonicalQuery(query, signature.Presigned);
        var canonicalHeaders = SigV4.CanonicalHeaders(request.Headers, signature.SignedHeaders);
        var method = request.Method.ToUpperInvariant();
        string Expected(string payloadHash) => SigV4.Signature(key, SigV4.StringToSign(amzDate, signature.Scope,
            SigV4.CanonicalRequest(method, canonicalUri, canonicalQuery, canonicalHeaders, signature.SignedHeadersText, payloadHash)));

        var bodyHash = SigV4.Hash(request.Body.Span);
        var declared = request.Headers["X-Amz-Content-Sha256"].ToString();
        if (declared.Length > 0 && declared != bodyHash && declared != UnsignedPayload)
        {
            throw CommonErrors.InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        // The payload line is the body's hash; a signer may declare the payload unsigned (x-amz-content-sha256), and
        // presigned URLs are made both ways by different SDKs.
        var matches = SameSignature(Expected(declared.Length > 0 ? declared : bodyHash), signature.Signature)
            || (signature.Presigned && declared.Length == 0 && SameSignature(Expected(UnsignedPayload), signature.Signature));
        if (!matches)
        {
            throw CommonErrors.InvalidSignature(Mismatch);
        }

        return new CallerIdentity(credential.AccessKeyId, credential.AccountId, signature.Region);
    }

    private void CheckTime(SigV4Parameters signature, DateTimeOffset signedAt)
    {
        var now = time.GetUtcNow();
        var earliest = now - AllowedSkew;
        var latest = now + AllowedSkew;
        if (signedAt > latest)
        {
            throw CommonErrors.InvalidSignature(
                $"Signature not yet current: {signature.AmzDate} is still later than {Format(latest)} ({Format(now)} + 15 min.)");
        }

        if (signature.Presigned)
        {
            if (!int.TryParse(signature.Expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds is < 1 or > MaxPresignedSeconds)
            {
                throw CommonErrors.IncompleteSignature(
                    $"X-Amz-Expires must be a whole number of seconds from 1 to {MaxPresignedSeconds} (a week).");
            }

            var expiry = signedAt.AddSeconds(seconds);
            if (now > expiry)
            {
                throw CommonErrors.InvalidSignature(
                    $"Signature expired: {signature.AmzDate} is now earlier than {Format(now.AddSeconds(-seconds))} "
                    + $"({Format(now)} - {seconds} sec.)");
            }

            return;
        }

        if (signedAt < earliest)
        {
            throw CommonErrors.InvalidSignature(
                $"Signature expired: {signature.AmzDate} is now earlier than {Format(earliest)} ({Format(now)} - 15 min.)");
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);

    private static bool SameSignature(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));

    private static bool SameToken(string? expected, string? given) =>
        expected is null ? given is null
            : given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static string Cut(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
