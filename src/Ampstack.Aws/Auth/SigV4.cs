using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Auth;

/// <summary>
/// AWS Signature Version 4 as AWS defines it: the canonical request, the string to sign, the signing key and the
/// signature. Pure functions over what arrived; <see cref="StrictAuthenticator"/> uses them to verify.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The ISO 8601 basic form of <c>X-Amz-Date</c>, e.g. <c>20261201T070000Z</c>.</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// The canonical URI of a path as sent (still percent-encoded): dot segments and empty segments removed, as every
    /// AWS SDK does before signing, then each byte but the unreserved ones and <c>/</c> encoded once more.
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment.Length > 0 && segment != ".")
            {
                segments.Add(segment);
            }
        }

        var normalized = (rawPath[0] == '/' ? "/" : "") + string.Join('/', segments)
            + (rawPath[^1] == '/' && segments.Count > 0 ? "/" : "");
        return UriEncode(normalized, keepSlash: true);
    }

    /// <summary>The query's parameters, each name and value percent-decoded (a <c>+</c> stays a plus, as AWS reads it).</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in rawQuery.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            result.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }

        return result;
    }

    /// <summary>
    /// The canonical query string: every parameter (but <c>X-Amz-Signature</c> of a presigned URL) encoded strictly,
    /// sorted by name, then by value.
    /// </summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters, bool presigned)
    {
        var encoded = parameters
            .Where(p => !(presigned && p.Key == "X-Amz-Signature"))
            .Select(p => (Name: UriEncode(p.Key, keepSlash: false), Value: UriEncode(p.Value, keepSlash: false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', encoded.Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>
    /// The canonical headers of the signed ones: <c>name:value</c> lines, a repeated header's values joined by commas,
    /// each value trimmed and its runs of spaces made one. A signed header the request lacks has an empty value (and the
    /// signature will not match).
    /// </summary>
    public static string CanonicalHeaders(IHeaderDictionary headers, IReadOnlyList<string> signedHeaders)
    {
        var text = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            text.Append(name).Append(':');
            var values = headers[name];
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                AppendTrimmed(text, values[i] ?? "");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string canonicalHeaders,
        string signedHeaders, string payloadHash) =>
        $"{method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hash(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>The key of one day, region and service: HMAC-SHA256 down the scope from <c>AWS4</c> + the secret.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    /// <summary>The signature, as lower-case hex.</summary>
    public static string Signature(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(Hmac(signingKey, stringToSign));

    /// <summary>The SHA-256 of <paramref name="data"/>, as lower-case hex.</summary>
    public static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>AWS's URI encoding: every UTF-8 byte but <c>A-Z a-z 0-9 - _ . ~</c> (and <c>/</c> when kept) as <c>%XX</c>.</summary>
    public static string UriEncode(string value, bool keepSlash)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepSlash && b == '/'))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return text.ToString();
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static readonly SearchValues<byte> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"u8);

    private static bool IsUnreserved(byte b) => Unreserved.Contains(b);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static void AppendTrimmed(StringBuilder text, string value)
    {
        var pendingSpace = false;
        var any = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t')
            {
                pendingSpace = any;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(c);
            any = true;
        }
    }
}
