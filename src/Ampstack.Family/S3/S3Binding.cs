using Ampstack.Aws.Model;
using Ampstack.Aws.Pipeline;
using Ampstack.Aws.Protocols;
using Ampstack.Family.S3.Api;

namespace Ampstack.Family.S3;

/// <summary>
/// S3 as the wire layer serves it: path-style requests (any path no other service routes) and virtual-host-style ones
/// (<c>BUCKET.localhost</c>, <c>BUCKET.s3.…</c>), paths signed as sent, S3's XML root names and error codes, and a
/// write or unknown request answered AccessDenied (a deployment bucket) or NoSuchBucket.
/// </summary>
public static class S3Binding
{
    private static readonly Lazy<ServiceModel> Model = new(() => FamilyModels.Load("s3"));

    public static ServiceModel Instance => Model.Value;

    public static ServiceBinding Bind(S3Provider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new(
            Instance,
            S3JsonContext.Default,
            S3Operations.Handlers(provider),
            S3Errors.Translate,
            new ServiceOptions
            {
                SelectedBySignatureOrHost = true,
                PathSignedAsSent = true,
                HostLabel = BucketOfHost,
                XmlRootNames = new Dictionary<string, string>
                {
                    ["ListObjectsV2"] = "ListBucketResult",
                    ["ListObjects"] = "ListBucketResult",
                    ["ListBuckets"] = "ListAllMyBucketsResult",
                    ["GetBucketLocation"] = "LocationConstraint",
                },
                BadRequest = S3Errors.InvalidArgument,
                NoRoute = message => new NoSuchBucket(message),
                WireErrorCodes = new Dictionary<string, (string, int)>
                {
                    // The authentication refusals under S3's own codes.
                    ["MissingAuthenticationTokenException"] = ("AccessDenied", 403),
                    ["InvalidSignatureException"] = ("SignatureDoesNotMatch", 403),
                    ["UnrecognizedClientException"] = ("InvalidAccessKeyId", 403),
                },
                Unrouted = provider.UnroutedAsync,
            });
    }

    /// <summary>The bucket a virtual-host-style host names: <c>BUCKET.localhost</c> or <c>BUCKET.s3.ANYTHING</c>.</summary>
    public static string? BucketOfHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var s3 = host.IndexOf(".s3.", StringComparison.OrdinalIgnoreCase);
        var label = s3 > 0 ? host[..s3]
            : host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ? host[..^".localhost".Length]
            : null;
        // s3.localhost is an endpoint's name, not a bucket's.
        return string.IsNullOrEmpty(label) || label.Equals("s3", StringComparison.OrdinalIgnoreCase) ? null : label;
    }
}
