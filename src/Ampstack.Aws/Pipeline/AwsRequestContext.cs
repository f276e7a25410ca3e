using Ampstack.Aws.Identity;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Pipeline;

/// <summary>What the wire layer knows about a request when it hands the parsed input to the service.</summary>
/// <param name="RequestId">The id sent back as <c>x-amzn-RequestId</c>.</param>
/// <param name="Caller">The identity from the SigV4 credential scope.</param>
/// <param name="Operation">The operation the route resolved to.</param>
public sealed record AwsRequestContext(string RequestId, CallerIdentity Caller, Operation Operation);
