using Ampstack.Aws.Auth;

namespace Ampstack.Aws.Client;

/// <summary>
/// The credentials Ampstack signs its calls to a provisioning endpoint with: <c>AMPSTACK_PROVISION_ACCESS_KEY_ID</c>,
/// <c>AMPSTACK_PROVISION_SECRET_ACCESS_KEY</c> and optionally <c>AMPSTACK_PROVISION_SESSION_TOKEN</c>; without them
/// <c>test</c>/<c>test</c>, which moto and LocalStack accept. (The AWS SDK's default chain comes later.)
/// </summary>
public static class EnvironmentCredentials
{
    public const string AccessKeyIdVariable = "AMPSTACK_PROVISION_ACCESS_KEY_ID";
    public const string SecretAccessKeyVariable = "AMPSTACK_PROVISION_SECRET_ACCESS_KEY";
    public const string SessionTokenVariable = "AMPSTACK_PROVISION_SESSION_TOKEN";

    /// <summary>What moto and LocalStack accept as any caller's credentials.</summary>
    public static AwsCredentials Test { get; } = new("test", "test");

    /// <summary>From the process environment.</summary>
    public static AwsCredentials Resolve() => Resolve(Environment.GetEnvironmentVariable);

    /// <summary>
    /// From <paramref name="environment"/>: the key id and its secret go together (one without the other is refused, naming
    /// the missing variable); a session token without them is refused too.
    /// </summary>
    public static AwsCredentials Resolve(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var keyId = NonEmpty(environment(AccessKeyIdVariable));
        var secret = NonEmpty(environment(SecretAccessKeyVariable));
        var token = NonEmpty(environment(SessionTokenVariable));
        return (keyId, secret) switch
        {
            (null, null) when token is null => Test,
            (null, null) => throw new InvalidOperationException(
                $"{SessionTokenVariable} is set without {AccessKeyIdVariable} and {SecretAccessKeyVariable}."),
            (null, _) => throw new InvalidOperationException($"{SecretAccessKeyVariable} is set without {AccessKeyIdVariable}."),
            (_, null) => throw new InvalidOperationException($"{AccessKeyIdVariable} is set without {SecretAccessKeyVariable}."),
            _ => new AwsCredentials(keyId, secret, token),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
