namespace Ampstack.Aws.Auth;

/// <summary>What a caller signs with: a key id, its secret and, for temporary credentials, the session token.</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret; never written anywhere.</param>
/// <param name="SessionToken">The session token of temporary credentials, or null.</param>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Never the secret or the token: this may end up in a log.</summary>
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
