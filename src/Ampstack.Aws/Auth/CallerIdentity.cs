namespace Ampstack.Aws.Auth;

/// <summary>Who sent a request, from its SigV4 credential scope: the partition every piece of state belongs to.</summary>
/// <param name="AccessKeyId">The access key id of the signature.</param>
/// <param name="AccountId">The 12-digit account the key maps to.</param>
/// <param name="Region">The region of the credential scope.</param>
public sealed record CallerIdentity(string AccessKeyId, string AccountId, string Region);
