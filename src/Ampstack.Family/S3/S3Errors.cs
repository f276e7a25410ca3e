using Ampstack.Aws.Errors;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Family.S3;

/// <summary>S3's errors as its clients read them: <c>&lt;Error&gt;&lt;Code&gt;</c> with S3's own codes and statuses.</summary>
internal static class S3Errors
{
    public static AwsErrorException? Translate(Exception exception) => exception switch
    {
        DomainException domain => InvalidArgument(domain.Message),
        StoreUnavailableException store => new AwsErrorException("SlowDown", store.Message, status: 503)
        {
            Headers = CommonErrors.RetryAfter(TimeSpan.FromSeconds(1)),
        },
        _ => null,
    };

    public static AwsErrorException NoSuchBucket(string bucket) =>
        new("NoSuchBucket", "The specified bucket does not exist",
            new Dictionary<string, string> { ["BucketName"] = bucket }, status: 404);

    public static AwsErrorException NoSuchKey(string key) =>
        new("NoSuchKey", "The specified key does not exist.", new Dictionary<string, string> { ["Key"] = key }, status: 404);

    public static AwsErrorException AccessDenied() =>
        new("AccessDenied", "Access Denied: deployment buckets are read-only; Ampstack writes them from the backend's state.",
            status: 403);

    public static AwsErrorException InvalidArgument(string message) => new("InvalidArgument", message, status: 400);

    public static AwsErrorException InvalidRange(long size)
    {
        var text = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new("InvalidRange", "The requested range is not satisfiable",
            new Dictionary<string, string> { ["ActualObjectSize"] = text }, status: 416)
        {
            Headers = new Dictionary<string, string> { ["Content-Range"] = $"bytes */{text}" },
        };
    }

    public static AwsErrorException PreconditionFailed(string condition) =>
        new("PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
            new Dictionary<string, string> { ["Condition"] = condition }, status: 412);

    public static AwsErrorException NotModified(string etag) =>
        new("NotModified", "Not Modified", status: 304) { Headers = new Dictionary<string, string> { ["ETag"] = etag } };
}
