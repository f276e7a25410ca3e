namespace Ampstack.Domain.Storage;

/// <summary>An S3 bucket of the partition (ListS3Buckets).</summary>
/// <param name="Name">The bucket name.</param>
/// <param name="CreatedAt">When the first storage resource using it was made, epoch milliseconds.</param>
public sealed record BucketInfo(string Name, long CreatedAt);
