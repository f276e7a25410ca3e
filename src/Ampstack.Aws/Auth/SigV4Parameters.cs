using System.Collections.Concurrent;
using Ampstack.Aws.Errors;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Auth;

/// <summary>
/// The signature parameters of a request, from its <c>Authorization: AWS4-HMAC-SHA256 ...</c> header or from a presigned
/// URL's <c>X-Amz-*</c> query parameters, checked for form: none at all is <c>MissingAuthenticationTokenException</c>,
/// anything malformed or missing <c>IncompleteSignatureException</c>. Lenient reading asks only for what names the
/// caller (the credential scope); strict reading asks for everything a signature check needs.
/// </summary>
public sealed class SigV4Parameters
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>The longest access key id accepted (AWS's own limit).</summary>
    public const int MaxAccessKeyLength = 128;

    private const string PresignedRequirement =
        "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', "
        + "'X-Amz-SignedHeaders', 'X-Amz-Date'. Re-examine the query-string parameters.";

    /// <summary>The most credential scopes kept read (<see cref="Scopes"/>) before they are read afresh.</summary>
    private const int MaxScopes = 4096;

    /// <summary>
    /// Credentials read already, by the credential as sent: a client sends the same one on every request of a day, and
    /// reading it made the credential, an array and five strings every time (7% of a GetBackendJob's allocations). Only a
    /// credential that reads as valid is kept.
    /// </summary>
    private static readonly ConcurrentDictionary<string, CredentialScope> Scopes = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, CredentialScope>.AlternateLookup<ReadOnlySpan<char>> ScopesBySpan =
        Scopes.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The Authorization header the signed headers and the signature are in, until they are asked for.</summary>
    private readonly string? _header;
    private readonly Range _signedHeadersAt;
    private readonly Range _signatureAt;
    private string? _signedHeadersText;
    private string? _signature;
    private IReadOnlyList<string>? _signedHeaders;

    private SigV4Parameters(CredentialScope scope, string? header = null, Range signedHeadersAt = default,
        Range signatureAt = default)
    {
        Credential = scope.Credential;
        AccessKeyId = scope.AccessKeyId;
        ScopeDate = scope.Date;
        Region = scope.Region;
        Service = scope.Service;
        _header = header;
        _signedHeadersAt = signedHeadersAt;
        _signatureAt = signatureAt;
    }

    /// <summary>The credential as given: <c>AKID/yyyyMMdd/region/service/aws4_request</c>.</summary>
    public string Credential { get; }

    public string AccessKeyId { get; }

    public string ScopeDate { get; }

    public string Region { get; }

    public string Service { get; }

    /// <summary>The credential scope without the key: <c>yyyyMMdd/region/service/aws4_request</c>.</summary>
    public string Scope => $"{ScopeDate}/{Region}/{Service}/aws4_request";

    /// <summary>True for a presigned URL (the query form).</summary>
    public bool Presigned { get; private init; }

    /// <summary>Lower-case header names, in the order given (AWS requires them sorted; a wrong order fails the check).</summary>
    public IReadOnlyList<string> SignedHeaders => _signedHeaders ??= SignedHeadersText.Split(';');

    /// <summary>The signed-headers list exactly as given (made a string when asked for: lenient auth never asks).</summary>
    public string SignedHeadersText
    {
        get => _signedHeadersText ??= _header is null ? "" : _header[_signedHeadersAt];
        private init => _signedHeadersText = value;
    }

    public string Signature
    {
        get => _signature ??= _header is null ? "" : _header[_signatureAt];
        private init => _signature = value;
    }

    /// <summary><c>X-Amz-Date</c> as given; null when absent (lenient reading only).</summary>
    public string? AmzDate { get; private init; }

    /// <summary><c>X-Amz-Expires</c> of a presigned URL, in seconds.</summary>
    public string? Expires { get; private init; }

    /// <summary><c>X-Amz-Security-Token</c>, for temporary credentials.</summary>
    public string? SecurityToken { get; private init; }

    public static SigV4Parameters Read(IHeaderDictionary headers, IReadOnlyList<KeyValuePair<string, string>> query, bool strict)
    {
        var authorization = headers.Authorization;
        if (authorization.Count > 1)
        {
            throw CommonErrors.IncompleteSignature("A request must carry one Authorization header, not several.");
        }

        if (!string.IsNullOrEmpty(authorization.ToString()))
        {
            return FromHeader(authorization.ToString(), headers, strict);
        }

        string? Query(string name) => query.LastOrDefault(p => p.Key == name) is { Key: not null } p ? p.Value : null;
        if (!string.IsNullOrEmpty(Query("X-Amz-Credential")))
        {
            return FromQuery(Query, strict);
        }

        throw CommonErrors.MissingAuthenticationToken();
    }

    private static SigV4Parameters FromHeader(string authorization, IHeaderDictionary headers, bool strict)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (!authorization.AsSpan(0, space < 0 ? authorization.Length : space).SequenceEqual(SigV4.Algorithm))
        {
            var algorithm = space < 0 ? authorization : authorization[..space];
            throw CommonErrors.IncompleteSignature(
                $"Authorization header requires '{SigV4.Algorithm}' as its algorithm; got '{Truncate(algorithm, 64)}'.");
        }

        // Comma-separated name=value pairs, each trimmed; the last of a name wins; a pair without '=' says nothing. Each
        // value is kept as where it is in the header: this runs on every request, and only a strict check needs the signed
        // headers and the signature as strings.
        Range credential = default, signedHeaders = default, signature = default;
        var rest = authorization.AsSpan(space + 1);
        foreach (var range in rest.Split(','))
        {
            var (start, length) = range.GetOffsetAndLength(rest.Length);
            var untrimmed = rest.Slice(start, length);
            var pair = untrimmed.Trim();
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }

            var name = pair[..equals];
            var at = space + 1 + start + (untrimmed.Length - untrimmed.TrimStart().Length) + equals + 1;
            var value = new Range(at, at + pair.Length - equals - 1);
            if (name.SequenceEqual("Credential"))
            {
                credential = value;
            }
            else if (name.SequenceEqual("SignedHeaders"))
            {
                signedHeaders = value;
            }
            else if (name.SequenceEqual("Signature"))
            {
                signature = value;
            }
        }

        foreach (var (required, value) in (ReadOnlySpan<(string, Range)>)
            [("Credential", credential), ("SignedHeaders", signedHeaders), ("Signature", signature)])
        {
            if (value.GetOffsetAndLength(authorization.Length).Length == 0)
            {
                // AWS's wording, without echoing the header back: it holds the signature.
                throw CommonErrors.IncompleteSignature($"Authorization header requires '{required}' parameter.");
            }
        }

        var scope = ScopeOf(authorization.AsSpan()[credential]);
        var amzDate = headers["X-Amz-Date"].ToString();
        if (strict && amzDate.Length == 0)
        {
            throw CommonErrors.IncompleteSignature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var token = headers["X-Amz-Security-Token"].ToString();
        return new SigV4Parameters(scope, authorization, signedHeaders, signature)
        {
            AmzDate = amzDate.Length == 0 ? null : amzDate,
            SecurityToken = token.Length == 0 ? null : token,
        };
    }

    private static SigV4Parameters FromQuery(Func<string, string?> query, bool strict)
    {
        var credential = query("X-Amz-Credential")!;
        if (strict)
        {
            foreach (var name in new[] { "X-Amz-Algorithm", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date" })
            {
                if (string.IsNullOrEmpty(query(name)))
                {
                    throw CommonErrors.IncompleteSignature(PresignedRequirement);
                }
            }

            if (query("X-Amz-Algorithm") != SigV4.Algorithm)
            {
                throw CommonErrors.IncompleteSignature($"X-Amz-Algorithm only supports '{SigV4.Algorithm}'.");
            }

            if (string.IsNullOrEmpty(query("X-Amz-Expires")))
            {
                throw CommonErrors.IncompleteSignature("A presigned URL requires 'X-Amz-Expires'.");
            }
        }

        var signedHeaders = query("X-Amz-SignedHeaders") ?? "";
        return new SigV4Parameters(ScopeOf(credential))
        {
            Presigned = true,
            SignedHeadersText = signedHeaders,
            Signature = query("X-Amz-Signature") ?? "",
            AmzDate = query("X-Amz-Date"),
            Expires = query("X-Amz-Expires"),
            SecurityToken = query("X-Amz-Security-Token") is { Length: > 0 } token ? token : null,
        };
    }

    /// <summary>The credential's scope, read once per credential (<see cref="Scopes"/>); an invalid one throws.</summary>
    private static CredentialScope ScopeOf(ReadOnlySpan<char> credential)
    {
        if (ScopesBySpan.TryGetValue(credential, out var known))
        {
            return known;
        }

        var text = credential.ToString();
        var parts = ReadScope(text);
        var scope = new CredentialScope(text, parts[0], parts[1], parts[2], parts[3]);
        if (Scopes.Count >= MaxScopes)
        {
            Scopes.Clear();
        }

        Scopes[text] = scope;
        return scope;
    }

    private sealed record CredentialScope(string Credential, string AccessKeyId, string Date, string Region, string Service);

    private static string[] ReadScope(string credential)
    {
        // AKID/yyyymmdd/region/service/aws4_request
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0].Length == 0 || scope[1].Length != 8 || scope[2].Length == 0 || scope[3].Length == 0
            || scope[4] != "aws4_request")
        {
            throw CommonErrors.IncompleteSignature(
                "Credential should be scoped to a valid region and service: 'AKID/yyyyMMdd/region/service/aws4_request'. "
                + $"Got '{Truncate(credential, 200)}'.");
        }

        if (scope[0].Length > MaxAccessKeyLength)
        {
            throw CommonErrors.IncompleteSignature($"The access key id is longer than {MaxAccessKeyLength} characters.");
        }

        if (!IsRegionName(scope[2]))
        {
            throw CommonErrors.InvalidSignature($"Credential should be scoped to a valid region, not '{Truncate(scope[2], 64)}'.");
        }

        return scope;
    }

    /// <summary>
    /// A region name: 1 to 32 lower-case letters, digits and hyphens, starting with a letter (<c>us-east-1</c>,
    /// <c>us-gov-west-1</c>, or a made-up <c>local</c>). Each region is a partition of its own, so anything longer or
    /// stranger would let any client make unbounded partitions out of garbage.
    /// </summary>
    public static bool IsRegionName(string region) =>
        region.Length is >= 1 and <= 32 && char.IsAsciiLetterLower(region[0])
        && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
