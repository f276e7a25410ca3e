namespace Ampstack.Aws.Auth;

/// <summary>
/// Any credentials, as LocalStack users expect: the signature is checked for form only (no signature or date check, so
/// recorded requests replay), and the account comes from the access key: a 12-digit key is its own account, any other
/// key the default account.
/// </summary>
public sealed class LenientAuthenticator : IRequestAuthenticator
{
    public const string DefaultAccountId = "000000000000";

    public string Description => "auth lenient (any credentials)";

    public CallerIdentity Authenticate(SignedRequest request)
    {
        var query = request.RawQuery.Length == 0 ? [] : SigV4.ParseQuery(request.RawQuery);
        var signature = SigV4Parameters.Read(request.Headers, query, strict: false);
        var key = signature.AccessKeyId;
        var account = key.Length == 12 && key.All(char.IsAsciiDigit) ? key : DefaultAccountId;
        return new CallerIdentity(key, account, signature.Region);
    }
}
