using Ampstack.Aws.Errors;
using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Common;
using Ampstack.Domain.Deployment;
using Ampstack.Family.Common;
using Ampstack.Family.S3.Api;
using S3Object = Ampstack.Family.S3.Api.Object;

namespace Ampstack.Family.S3;

/// <summary>
/// S3 as far as the deployment artifacts need it (<see cref="IS3"/>, generated from the vendored subset of the model):
/// each environment's deployment bucket, read-only, holding <see cref="DeploymentArtifacts"/>. Ranges, ETags and the
/// conditional headers behave as S3's do; every other bucket does not exist.
/// </summary>
public sealed class S3Provider(DeploymentService deployments) : IS3
{
    private const int DefaultMaxKeys = 1000;

    /// <summary>Where the generated models' objects are (the only ones that need the models read).</summary>
    private const string ModelsPrefix = "models/";

    public async Task<ListBucketsOutput> ListBucketsAsync(AwsRequestContext context, ListBucketsRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await deployments.ListAsync(Callers.PartitionOf(context), cancellationToken).ConfigureAwait(false);
        return new()
        {
            Buckets = all
                .Where(d => request.Prefix is null || d.DeploymentBucket.StartsWith(request.Prefix, StringComparison.Ordinal))
                .OrderBy(d => d.DeploymentBucket, StringComparer.Ordinal)
                .Select(d => new Bucket
                {
                    Name = d.DeploymentBucket,
                    CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(d.Environment.CreatedAt),
                    BucketRegion = context.Caller.Region,
                })
                .ToList(),
            Owner = new Owner { ID = context.Caller.AccountId, DisplayName = context.Caller.AccountId },
            Prefix = request.Prefix,
        };
    }

    public async Task<HeadBucketOutput> HeadBucketAsync(AwsRequestContext context, HeadBucketRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        await BucketAsync(context, request.Bucket, withModels: false, cancellationToken).ConfigureAwait(false);
        return new() { BucketRegion = context.Caller.Region };
    }

    public async Task<GetBucketLocationOutput> GetBucketLocationAsync(AwsRequestContext context, GetBucketLocationRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        await BucketAsync(context, request.Bucket, withModels: false, cancellationToken).ConfigureAwait(false);
        // As S3 answers: no constraint for us-east-1, the region's name elsewhere.
        return new() { LocationConstraint = context.Caller.Region == "us-east-1" ? null : context.Caller.Region };
    }

    public async Task<ListObjectsV2Output> ListObjectsV2Async(AwsRequestContext context, ListObjectsV2Request request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var artifacts = await ArtifactsAsync(context, request.Bucket, withModels: true, cancellationToken).ConfigureAwait(false);
        var after = request.ContinuationToken is { } token
            ? KeyCursor.Decode(token, "The continuation token provided is incorrect.")
            : request.StartAfter;
        var (contents, prefixes, truncated) = List(artifacts, request.Prefix, request.Delimiter, after, request.MaxKeys);
        return new()
        {
            Name = request.Bucket,
            Prefix = request.Prefix ?? "",
            Delimiter = request.Delimiter,
            MaxKeys = request.MaxKeys ?? DefaultMaxKeys,
            EncodingType = request.EncodingType,
            KeyCount = contents.Count + prefixes.Count,
            IsTruncated = truncated,
            Contents = contents.Count > 0 ? contents : null,
            CommonPrefixes = prefixes.Count > 0 ? prefixes : null,
            ContinuationToken = request.ContinuationToken,
            NextContinuationToken = truncated ? KeyCursor.Encode(LastKey(contents, prefixes)) : null,
            StartAfter = request.StartAfter,
        };
    }

    public async Task<ListObjectsOutput> ListObjectsAsync(AwsRequestContext context, ListObjectsRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var artifacts = await ArtifactsAsync(context, request.Bucket, withModels: true, cancellationToken).ConfigureAwait(false);
        var (contents, prefixes, truncated) = List(artifacts, request.Prefix, request.Delimiter, request.Marker, request.MaxKeys);
        return new()
        {
            Name = request.Bucket,
            Prefix = request.Prefix ?? "",
            Delimiter = request.Delimiter,
            Marker = request.Marker ?? "",
            MaxKeys = request.MaxKeys ?? DefaultMaxKeys,
            EncodingType = request.EncodingType,
            IsTruncated = truncated,
            Contents = contents.Count > 0 ? contents : null,
            CommonPrefixes = prefixes.Count > 0 ? prefixes : null,
            NextMarker = truncated && request.Delimiter is not null ? LastKey(contents, prefixes) : null,
        };
    }

    public async Task<GetObjectOutput> GetObjectAsync(AwsRequestContext context, GetObjectRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = await ObjectAsync(context, request.Bucket, request.Key, cancellationToken).ConfigureAwait(false);
        Conditions.Check(item, request.IfMatch, request.IfNoneMatch, request.IfModifiedSince, request.IfUnmodifiedSince);
        var range = Ranges.Parse(request.Range, item.Bytes.Length);
        var body = range is { } r ? item.Bytes.AsSpan((int)r.Start, (int)r.Length).ToArray() : item.Bytes;
        return new()
        {
            Body = body,
            AcceptRanges = "bytes",
            LastModified = LastModified(item),
            ContentLength = body.Length,
            ETag = item.ETag,
            ContentType = item.ContentType,
            ContentRange = range is { } c ? Ranges.Header(c, item.Bytes.Length) : null,
        };
    }

    public async Task<HeadObjectOutput> HeadObjectAsync(AwsRequestContext context, HeadObjectRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = await ObjectAsync(context, request.Bucket, request.Key, cancellationToken).ConfigureAwait(false);
        Conditions.Check(item, request.IfMatch, request.IfNoneMatch, request.IfModifiedSince, request.IfUnmodifiedSince);
        var range = Ranges.Parse(request.Range, item.Bytes.Length);
        return new()
        {
            AcceptRanges = "bytes",
            LastModified = LastModified(item),
            ContentLength = range?.Length ?? item.Bytes.Length,
            ETag = item.ETag,
            ContentType = item.ContentType,
            ContentRange = range is { } c ? Ranges.Header(c, item.Bytes.Length) : null,
        };
    }

    /// <summary>The answer for a request no operation serves: a write to a deployment bucket is AccessDenied.</summary>
    internal async Task<AwsErrorException> UnroutedAsync(Aws.Auth.CallerIdentity caller, Aws.Protocols.WireRequest request,
        CancellationToken cancellationToken)
    {
        var bucket = Uri.UnescapeDataString(request.Path.TrimStart('/').Split('/')[0]);
        if (bucket.Length == 0)
        {
            return S3Errors.AccessDenied();
        }

        var partition = new Domain.Common.Partition(caller.AccountId, caller.Region);
        return await deployments.FindByBucketAsync(partition, bucket, withModels: false, cancellationToken).ConfigureAwait(false) is null
            ? S3Errors.NoSuchBucket(bucket)
            : S3Errors.AccessDenied();
    }

    private async Task<DeployedEnvironment> BucketAsync(AwsRequestContext context, string bucket, bool withModels,
        CancellationToken cancellationToken) =>
        await deployments.FindByBucketAsync(Callers.PartitionOf(context), bucket, withModels, cancellationToken).ConfigureAwait(false)
        ?? throw S3Errors.NoSuchBucket(bucket);

    /// <summary>The bucket's objects; the generated models' only when <paramref name="withModels"/> (listings and their keys).</summary>
    private async Task<DeploymentArtifacts> ArtifactsAsync(AwsRequestContext context, string bucket, bool withModels,
        CancellationToken cancellationToken) =>
        deployments.ArtifactsOf(await BucketAsync(context, bucket, withModels, cancellationToken).ConfigureAwait(false));

    private async Task<ArtifactObject> ObjectAsync(AwsRequestContext context, string bucket, string key,
        CancellationToken cancellationToken) =>
        (await ArtifactsAsync(context, bucket, key.StartsWith(ModelsPrefix, StringComparison.Ordinal), cancellationToken)
            .ConfigureAwait(false)).Find(key) ?? throw S3Errors.NoSuchKey(key);

    private static (List<S3Object> Contents, List<CommonPrefix> Prefixes, bool Truncated) List(DeploymentArtifacts artifacts,
        string? prefix, string? delimiter, string? after, int? maxKeys)
    {
        var limit = Math.Clamp(maxKeys ?? DefaultMaxKeys, 0, DefaultMaxKeys);
        var contents = new List<S3Object>();
        var prefixes = new List<CommonPrefix>();
        var truncated = false;
        foreach (var item in artifacts.Objects)
        {
            if ((prefix is not null && !item.Key.StartsWith(prefix, StringComparison.Ordinal))
                || (after is not null && string.CompareOrdinal(item.Key, after) <= 0))
            {
                continue;
            }

            var rollUp = RollUp(item.Key, prefix ?? "", delimiter);
            if (rollUp is not null && prefixes.Count > 0 && prefixes[^1].Prefix == rollUp)
            {
                continue;
            }

            if (contents.Count + prefixes.Count >= limit)
            {
                truncated = true;
                break;
            }

            if (rollUp is not null)
            {
                prefixes.Add(new CommonPrefix { Prefix = rollUp });
            }
            else
            {
                contents.Add(new S3Object
                {
                    Key = item.Key,
                    LastModified = LastModified(item),
                    ETag = item.ETag,
                    Size = item.Bytes.Length,
                    StorageClass = "STANDARD",
                });
            }
        }

        return (contents, prefixes, truncated);
    }

    private static string? RollUp(string key, string prefix, string? delimiter)
    {
        if (string.IsNullOrEmpty(delimiter))
        {
            return null;
        }

        var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + delimiter.Length)];
    }

    private static string LastKey(List<S3Object> contents, List<CommonPrefix> prefixes)
    {
        var lastObject = contents.Count > 0 ? contents[^1].Key! : "";
        var lastPrefix = prefixes.Count > 0 ? prefixes[^1].Prefix! : "";
        return string.CompareOrdinal(lastObject, lastPrefix) >= 0 ? lastObject : lastPrefix;
    }

    /// <summary>Last-Modified as S3 keeps it: whole seconds (HTTP dates carry no more).</summary>
    internal static DateTimeOffset LastModified(ArtifactObject item) =>
        DateTimeOffset.FromUnixTimeSeconds(item.LastModified / 1000);
}
