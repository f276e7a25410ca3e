using Ampstack.Aws.Auth;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Pipeline;

/// <summary>What the wire layer knows about a request when it hands the parsed input to the service.</summary>
/// <param name="RequestId">The id sent back as <c>x-amzn-RequestId</c>.</param>
/// <param name="Caller">The identity from the SigV4 credential scope.</param>
/// <param name="Operation">The operation the route resolved to.</param>
public sealed record AwsRequestContext(string RequestId, CallerIdentity Caller, Operation Operation)
{
    private List<IDisposable>? _held;

    /// <summary>
    /// Keeps <paramref name="resource"/> (a permit of a limiter, say) until the response has been written or the request
    /// failed: a large output costs memory until it is sent, not only until the service returns it.
    /// </summary>
    public void HoldUntilSent(IDisposable resource) => (_held ??= []).Add(resource);

    /// <summary>Releases what <see cref="HoldUntilSent"/> kept; called by the pipeline once the response is done.</summary>
    internal void ReleaseHeld()
    {
        if (_held is null)
        {
            return;
        }

        foreach (var resource in _held)
        {
            resource.Dispose();
        }

        _held = null;
    }
}
