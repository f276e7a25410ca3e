using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using Ampstack.Domain.Provisioning;

namespace Ampstack.Provisioning.Storage;

/// <summary>
/// Storage on the endpoint: the resource's bucket (named when the job was accepted, so every run of the job uses the same
/// name), tagged with the resource and the job, with the CORS rule Amplify sets. A bucket of that name tagged for another
/// resource (a clone of a storage whose configuration names its bucket) is not taken over: the job fails saying so. S3
/// goes through the AWS SDK for .NET (AWSSDK.S3), not the model-driven client: its Content-MD5 and checksum rules,
/// addressing styles and region redirects are the SDK's to get right. Import checks the bucket exists; delete empties and
/// removes it.
/// </summary>
internal sealed class StorageProvisioner(ProvisioningEndpoint endpoint) : IDisposable
{
    private readonly ConcurrentDictionary<string, AmazonS3Client> _clients = new();

    /// <summary>The CORS rule the Amplify CLI puts on a storage bucket.</summary>
    internal static CORSConfiguration AmplifyCors() => new()
    {
        Rules =
        [
            new CORSRule
            {
                Id = "S3CORSRuleId1",
                AllowedHeaders = ["*"],
                AllowedMethods = ["GET", "HEAD", "PUT", "POST", "DELETE"],
                AllowedOrigins = ["*"],
                ExposeHeaders = ["x-amz-server-side-encryption", "x-amz-request-id", "x-amz-id-2", "ETag"],
                MaxAgeSeconds = 3000,
            },
        ],
    };

    public async Task<ProvisionOutcome> CreateOrUpdateAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var bucket = task.Resource!.BucketName!;
        var s3 = Client(task.Partition.Region);
        var made = false;
        try
        {
            if (await ExistsAsync(s3, bucket, cancellationToken).ConfigureAwait(false))
            {
                if (await OwnerAsync(s3, bucket, cancellationToken).ConfigureAwait(false) is { } owner && owner != Naming.ResourceKey(task))
                {
                    return ProvisionOutcome.Failed($"The bucket {bucket} already exists on {endpoint.Where} and belongs to "
                        + $"another resource ({owner}): a bucket name names one bucket, which two resources cannot share.");
                }
            }
            else
            {
                var create = new PutBucketRequest { BucketName = bucket };
                if (task.Partition.Region != "us-east-1")
                {
                    create.BucketRegionName = task.Partition.Region;
                }

                try
                {
                    await s3.PutBucketAsync(create, cancellationToken).ConfigureAwait(false);
                    made = true;
                }
                catch (AmazonS3Exception ex) when (ex.ErrorCode == "BucketAlreadyOwnedByYou")
                {
                    // Made by an earlier run of this job, between the check and the create.
                }
            }

            await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest
            {
                BucketName = bucket,
                TagSet =
                [
                    new Tag { Key = Naming.ResourceTag, Value = Naming.ResourceKey(task) },
                    new Tag { Key = Naming.JobTag, Value = task.JobId },
                ],
            }, cancellationToken).ConfigureAwait(false);
            await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
            {
                BucketName = bucket,
                Configuration = AmplifyCors(),
            }, cancellationToken).ConfigureAwait(false);
            return ProvisionOutcome.Done(null);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            if (made)
            {
                await DeleteBucketAsync(s3, bucket, CancellationToken.None).ConfigureAwait(false);
            }

            return ProvisionOutcome.Failed(failure);
        }
    }

    public async Task<ProvisionOutcome> ImportAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var bucket = task.Resource!.BucketName!;
        try
        {
            return await ExistsAsync(Client(task.Partition.Region), bucket, cancellationToken).ConfigureAwait(false)
                ? ProvisionOutcome.Done(null)
                : ProvisionOutcome.Failed($"ImportBackendStorage: not found on {endpoint.Where}: the bucket {bucket}.");
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            return ProvisionOutcome.Failed(failure);
        }
    }

    public async Task<ProvisionOutcome> DeleteAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        if ((string?)task.Work.Outputs?["BucketName"] is not { } bucket)
        {
            return ProvisionOutcome.Done(null);
        }

        try
        {
            await DeleteBucketAsync(Client(task.Partition.Region), bucket, cancellationToken).ConfigureAwait(false);
            return ProvisionOutcome.Done(null);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            return ProvisionOutcome.Failed(failure);
        }
    }

    /// <summary>Empties the bucket and removes it; a bucket already gone is fine.</summary>
    private static async Task DeleteBucketAsync(AmazonS3Client s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000 }, cancellationToken)
                    .ConfigureAwait(false);
                if (page.S3Objects is not { Count: > 0 } objects)
                {
                    break;
                }

                await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })],
                }, cancellationToken).ConfigureAwait(false);
            }

            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (SdkClients.NotFound(ex))
        {
        }
    }

    /// <summary>The resource key the bucket is tagged with (what it was made for); null when it carries none.</summary>
    private static async Task<string?> OwnerAsync(AmazonS3Client s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            var tags = await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }, cancellationToken)
                .ConfigureAwait(false);
            return tags.TagSet?.FirstOrDefault(t => t.Key == Naming.ResourceTag)?.Value;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchTagSet")
        {
            return null;
        }
    }

    private static async Task<bool> ExistsAsync(AmazonS3Client s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (SdkClients.NotFound(ex))
        {
            return false;
        }
    }

    private static string? Failure(Exception error) => SdkClients.Failure("S3", error);

    private AmazonS3Client Client(string region) => _clients.GetOrAdd(region, r => new AmazonS3Client(SdkClients.Credentials(endpoint),
        SdkClients.Configure(new AmazonS3Config { ForcePathStyle = endpoint.Url is not null }, endpoint, r)));

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
