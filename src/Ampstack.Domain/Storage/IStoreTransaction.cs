using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Tokens;

namespace Ampstack.Domain.Storage;

/// <summary>
/// The operations on stored state inside one transaction. Lists come back in their documented order. A store may complete
/// them synchronously (SQLite does); none of them has an effect outside the transaction. The store's secrets are not here
/// but on <see cref="IBackendStore"/>, and the operator's operations on whole accounts on <see cref="IStoreAdmin"/>.
/// </summary>
public interface IStoreTransaction
{
    ValueTask<AppRecord?> GetAppAsync(Partition partition, string appId);

    ValueTask PutAppAsync(AppRecord app);

    /// <summary>The partition's apps by id, those after <paramref name="afterAppId"/> (all when null), at most
    /// <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<AppRecord>> ListAppsAsync(Partition partition, string? afterAppId, int limit);

    /// <summary>Deletes the app with its environments, resources, models and tokens (its jobs stay as history).</summary>
    ValueTask DeleteAppAsync(Partition partition, string appId);

    /// <summary>The app's environments, oldest first.</summary>
    ValueTask<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(Partition partition, string appId);

    ValueTask<EnvironmentRecord?> GetEnvironmentAsync(Partition partition, string appId, string name);

    ValueTask InsertEnvironmentAsync(EnvironmentRecord environment);

    /// <summary>Deletes the environment and its resources (with their models).</summary>
    ValueTask DeleteEnvironmentAsync(Partition partition, string appId, string name);

    /// <summary>The environment's resources, oldest first.</summary>
    ValueTask<IReadOnlyList<ResourceRecord>> ListResourcesAsync(Partition partition, string appId, string environment);

    ValueTask<ResourceRecord?> GetResourceAsync(Partition partition, string appId, string environment, ResourceKind kind, string name);

    ValueTask PutResourceAsync(ResourceRecord resource);

    /// <summary>Deletes the resource (an API with its generated models).</summary>
    ValueTask DeleteResourceAsync(Partition partition, string appId, string environment, ResourceKind kind, string name);

    /// <summary>The models last generated for an API, kept apart from the resource so that reading a resource stays small.</summary>
    ValueTask<GeneratedModels?> GetModelsAsync(Partition partition, string appId, string environment, string apiName);

    ValueTask PutModelsAsync(Partition partition, string appId, string environment, string apiName, GeneratedModels models);

    /// <summary>Copies every API's models of one environment to the same-named APIs of another (CloneBackend).</summary>
    ValueTask CopyModelsAsync(Partition partition, string appId, string fromEnvironment, string toEnvironment);

    /// <summary>The partition's buckets by name, after <paramref name="afterName"/>.</summary>
    ValueTask<IReadOnlyList<BucketInfo>> ListBucketsAsync(Partition partition, string? afterName, int limit);

    ValueTask<JobRecord?> GetJobAsync(Partition partition, string appId, string jobId);

    /// <summary>The non-terminal jobs of an app (of one environment when given).</summary>
    ValueTask<IReadOnlyList<JobRecord>> ListPendingJobsAsync(Partition partition, string appId, string? environment);

    ValueTask InsertJobAsync(JobRecord job);

    ValueTask UpdateJobAsync(JobRecord job);

    /// <summary>Jobs of an environment, oldest first by (createTime, jobId), after the cursor, matching the filter.</summary>
    ValueTask<IReadOnlyList<JobRecord>> ListJobsAsync(Partition partition, string appId, string environment, JobFilter filter,
        JobCursor? after, int limit);

    ValueTask<TokenRecord?> GetTokenAsync(Partition partition, string appId, string sessionId);

    ValueTask InsertTokenAsync(TokenRecord token);

    ValueTask DeleteTokenAsync(Partition partition, string appId, string sessionId);
}
