using System.Security.Cryptography;

namespace Ampstack.Domain.Common;

/// <summary>Identifiers shaped like the ones AWS hands out, for emulated resources.</summary>
public static class EmulatedIds
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A Cognito user pool id, e.g. <c>us-east-1_AbCdEfGhI</c>.</summary>
    public static string UserPoolId(string region) => $"{region}_{Random(Mixed, 9)}";

    /// <summary>A Cognito app client id: 26 lowercase letters and digits.</summary>
    public static string AppClientId() => Random(Lower, 26);

    /// <summary>A Cognito identity pool id: region and a UUID.</summary>
    public static string IdentityPoolId(string region) => $"{region}:{Guid.NewGuid()}";

    /// <summary>An AppSync API id: 26 lowercase letters and digits.</summary>
    public static string AppSyncApiId() => Random(Lower, 26);

    /// <summary>An AppSync API key.</summary>
    public static string AppSyncApiKey() => "da2-" + Random(Lower, 26);

    /// <summary>A number of the given digits, as Amplify puts in stack and bucket names.</summary>
    public static string Digits(int count) => Random("0123456789", count);

    /// <summary>A one-time code with 256 bits of randomness.</summary>
    public static string ChallengeCode() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Random(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}
