using Ampstack.Aws.Errors;

namespace Ampstack.Aws.Identity;

/// <summary>
/// Reads the caller's identity from an AWS Signature V4 <c>Authorization</c> header (or the presigned-URL query form).
/// Signatures are not verified here: a well-formed header is accepted, a missing one is
/// <c>MissingAuthenticationTokenException</c>, a malformed one <c>IncompleteSignatureException</c>.
/// Account mapping follows LocalStack: a 12-digit access key id is its own account, any other key is the default account.
/// </summary>
public static class SigV4CredentialParser
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DefaultAccountId = "000000000000";
    public const string DefaultRegion = "us-east-1";

    /// <summary>The longest access key id accepted (AWS's own limit).</summary>
    public const int MaxAccessKeyLength = 128;

    public static CallerIdentity Parse(string? authorization, string? queryCredential)
    {
        if (!string.IsNullOrEmpty(authorization))
        {
            return FromHeader(authorization);
        }

        if (!string.IsNullOrEmpty(queryCredential))
        {
            return FromScope(queryCredential);
        }

        throw CommonErrors.MissingAuthenticationToken();
    }

    private static CallerIdentity FromHeader(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? authorization : authorization[..space];
        if (algorithm != Algorithm)
        {
            throw CommonErrors.IncompleteSignature(
                $"Authorization header requires '{Algorithm}' as its algorithm; got '{Truncate(algorithm)}'.");
        }

        var parts = authorization[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        foreach (var required in new[] { "Credential", "SignedHeaders", "Signature" })
        {
            if (!parts.TryGetValue(required, out var value) || value.Length == 0)
            {
                throw CommonErrors.IncompleteSignature(
                    $"Authorization header requires '{required}' parameter. Authorization={Truncate(authorization)}");
            }
        }

        return FromScope(parts["Credential"]);
    }

    private static CallerIdentity FromScope(string credential)
    {
        // AKID/yyyymmdd/region/service/aws4_request
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0].Length == 0 || scope[1].Length != 8 || scope[2].Length == 0 || scope[4] != "aws4_request")
        {
            throw CommonErrors.IncompleteSignature(
                "Credential should be scoped to a valid region and service: 'AKID/yyyyMMdd/region/service/aws4_request'. " +
                $"Got '{Truncate(credential)}'.");
        }

        var accessKey = scope[0];
        if (accessKey.Length > MaxAccessKeyLength)
        {
            throw CommonErrors.IncompleteSignature($"The access key id is longer than {MaxAccessKeyLength} characters.");
        }

        if (!IsRegionName(scope[2]))
        {
            throw CommonErrors.InvalidSignature($"Credential should be scoped to a valid region, not '{Truncate(scope[2], 64)}'.");
        }

        var account = accessKey.Length == 12 && accessKey.All(char.IsAsciiDigit) ? accessKey : DefaultAccountId;
        return new CallerIdentity(accessKey, account, scope[2]);
    }

    /// <summary>
    /// A region name: 1 to 32 lower-case letters, digits and hyphens, starting with a letter (<c>us-east-1</c>,
    /// <c>us-gov-west-1</c>, or a made-up <c>local</c>). Each region is a partition of its own, so anything longer or
    /// stranger would let any client make unbounded partitions out of garbage.
    /// </summary>
    public static bool IsRegionName(string region) =>
        region.Length is >= 1 and <= 32 && char.IsAsciiLetterLower(region[0])
        && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string Truncate(string text, int length = 200) => text.Length <= length ? text : text[..length] + "...";
}
