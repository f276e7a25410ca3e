using Ampstack.Aws.Errors;
using Ampstack.Domain.Storage;

namespace Ampstack.Family.Common;

/// <summary>The domain's and the store's refusals, in the shape each family service answers them.</summary>
internal static class FamilyErrors
{
    /// <summary>
    /// The codes the query services (CloudFormation, STS) answer the wire layer's authentication refusals with, as AWS's
    /// query services do (the JSON services' names otherwise).
    /// </summary>
    public static IReadOnlyDictionary<string, (string Code, int Status)> QueryAuthCodes { get; } =
        new Dictionary<string, (string, int)>
        {
            ["MissingAuthenticationTokenException"] = ("MissingAuthenticationToken", 403),
            ["IncompleteSignatureException"] = ("IncompleteSignature", 403),
            ["InvalidSignatureException"] = ("SignatureDoesNotMatch", 403),
            ["UnrecognizedClientException"] = ("InvalidClientTokenId", 403),
        };

    /// <summary>A store that cannot work now: AWS's common throttling error (retryable by every SDK), with <c>Retry-After</c>.</summary>
    public static AwsErrorException Unavailable(StoreUnavailableException error) =>
        new("ThrottlingException", error.Message, status: 400) { Headers = CommonErrors.RetryAfter(TimeSpan.FromSeconds(1)) };
}
