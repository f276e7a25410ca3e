using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Ampstack.Aws.Client;
using Ampstack.Domain.Deployment;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Provisioning.Storage;

/// <summary>
/// Storage on the endpoint: the resource's bucket (named when the job was accepted, so every run of the job uses the same
/// name), tagged with the resource and the job, with the CORS rule Amplify sets. A bucket of that name tagged for another
/// resource (a clone of a storage whose configuration names its bucket) is not taken over: the job fails saying so. S3
/// goes through the AWS SDK for .NET (AWSSDK.S3), not the model-driven client: its Content-MD5 and checksum rules,
/// addressing styles and region redirects are the SDK's to get right. The configured permissions become inline policies
/// on the environment's auth and unauth roles (<see cref="StoragePolicies"/>), through IAM on the model-driven client: put
/// under deterministic names (a resumed job overwrites them), the resource's other policies removed (an update that takes
/// a permission away). Import checks the bucket exists and gives no permissions (Amplify's <c>amplify import storage</c>
/// deploys no stack for an imported bucket, so it puts no policies on the roles either); delete removes the policies, then
/// empties and removes the bucket.
/// </summary>
internal sealed class StorageProvisioner(ServiceClients clients, ProvisioningEndpoint endpoint) : IDisposable
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
            var skipped = new List<string>();
            if (await GrantAsync(task, bucket, skipped, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return await UndoAsync(refused).ConfigureAwait(false);
            }

            return ProvisionOutcome.Done(null, skipped);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            return await UndoAsync(failure).ConfigureAwait(false);
        }

        // A failed create leaves nothing behind: its policies and the bucket it made go (best effort).
        async Task<ProvisionOutcome> UndoAsync(string failure)
        {
            if (made)
            {
                try
                {
                    await RevokeAsync(task, CancellationToken.None).ConfigureAwait(false);
                }
                catch (AwsClientException)
                {
                    // Named deterministically: a repeated create overwrites them, a delete removes them.
                }

                await DeleteBucketAsync(s3, bucket, CancellationToken.None).ConfigureAwait(false);
            }

            return ProvisionOutcome.Failed(failure);
        }
    }

    private AwsServiceClient Iam(ProvisionTask task) => clients.For(ProvisioningModels.Iam, task.Partition.Region);

    /// <summary>The environment's auth and unauth role names, as its root stack outputs name them.</summary>
    private static (string Auth, string Unauth)? Roles(ProvisionTask task) =>
        task.RootStack is null ? null
        : RootStackOutputs.From(task.RootStack) is { AuthRoleName: { Length: > 0 } auth, UnauthRoleName: { Length: > 0 } unauth }
            ? (auth, unauth)
            : null;

    /// <summary>
    /// Puts the policies of the configured permissions on the roles and removes the resource's policies no longer given.
    /// Returns why it could not (a role missing on the endpoint: the environment's CreateBackend job made none there, as
    /// when it failed or the environment predates provisioning; Amplify's storage stack fails on a missing role too), or null.
    /// </summary>
    private async Task<string?> GrantAsync(ProvisionTask task, string bucket, List<string> skipped, CancellationToken cancellationToken)
    {
        if (Roles(task) is not var (authRole, unauthRole))
        {
            return "CreateBackendStorage: the environment's outputs name no auth and unauth roles to give the storage's permissions to.";
        }

        var config = task.Resource!.ReadStorageConfig();
        var id = StorageProject.PolicyUuid(task.Work.Name);
        var wanted = StoragePolicies.For(bucket, id, config.Permissions?.Authenticated, config.Permissions?.UnAuthenticated);
        var iam = Iam(task);
        try
        {
            foreach (var policy in wanted)
            {
                var role = policy.Guest ? unauthRole : authRole;
                try
                {
                    await iam.InvokeAsync("PutRolePolicy", new JsonObject
                    {
                        ["RoleName"] = role,
                        ["PolicyName"] = policy.Name,
                        ["PolicyDocument"] = policy.Document.ToJsonString(),
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when (Steps.NotFound(ex))
                {
                    return $"The environment's {(policy.Guest ? "unauth" : "auth")} role {role} is not on {endpoint.Where} "
                        + "(its CreateBackend job made none there), so the storage's permissions cannot be given to it.";
                }
            }

            foreach (var (role, guest) in new[] { (authRole, false), (unauthRole, true) })
            {
                foreach (var name in StoragePolicies.Names(id).Where(n => !wanted.Any(p => p.Guest == guest && p.Name == n)))
                {
                    await RemovePolicyAsync(iam, role, name, cancellationToken).ConfigureAwait(false);
                }
            }

            return null;
        }
        catch (AwsServiceException ex) when (Steps.NotImplemented(ex))
        {
            skipped.Add($"iam {ex.Operation}");
            return null;
        }
        catch (AwsClientException ex)
        {
            return Steps.Describe(ex);
        }
    }

    /// <summary>Removes every policy of the resource from both roles (already gone is fine).</summary>
    private async Task RevokeAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        if (Roles(task) is not var (authRole, unauthRole))
        {
            return;
        }

        var iam = Iam(task);
        foreach (var role in new[] { authRole, unauthRole })
        {
            foreach (var name in StoragePolicies.Names(StorageProject.PolicyUuid(task.Work.Name)))
            {
                await RemovePolicyAsync(iam, role, name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RemovePolicyAsync(AwsServiceClient iam, string role, string name, CancellationToken cancellationToken)
    {
        try
        {
            await iam.InvokeAsync("DeleteRolePolicy", new JsonObject { ["RoleName"] = role, ["PolicyName"] = name }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (Steps.NotFound(ex))
        {
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
            await RevokeAsync(task, cancellationToken).ConfigureAwait(false);
            await DeleteBucketAsync(Client(task.Partition.Region), bucket, cancellationToken).ConfigureAwait(false);
            return ProvisionOutcome.Done(null);
        }
        catch (AwsClientException ex)
        {
            return ProvisionOutcome.Failed(Steps.Describe(ex));
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
