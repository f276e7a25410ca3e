using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Tokens;

namespace Ampstack.Domain.Storage;

/// <summary>
/// The operations on stored state inside one transaction, of the one <see cref="Partition"/> it was opened for
/// (<see cref="IBackendStore.ReadAsync{T}"/>): every read and delete is of that partition's records, and no other
/// partition's record is ever seen, whatever its ids. Lists come back in their documented order. A store may complete
/// them synchronously (SQLite does); none of them has an effect outside the transaction. What is of no one partition is
/// not here: the claim of due jobs and the store's secrets are on <see cref="IBackendStore"/>, the operator's operations
/// on whole accounts on <see cref="IStoreAdmin"/>.
/// </summary>
/// <remarks>
/// A record written must be of the transaction's partition: one of another is refused with an
/// <see cref="ArgumentException"/> naming both (a mistake of the caller's, never of a client's).
/// </remarks>
public interface IStoreTransaction
{
    /// <summary>The (account, region) the transaction was opened for.</summary>
    Partition Partition { get; }

    ValueTask<AppRecord?> GetAppAsync(string appId);

    /// <summary>
    /// The app's <see cref="AppRecord.Revision"/> alone, or null when there is no such app: one column, where a reader that
    /// keeps its answers per revision needs no more of the app unless its answer has to be made again.
    /// </summary>
    ValueTask<long?> GetAppRevisionAsync(string appId);

    ValueTask PutAppAsync(AppRecord app);

    /// <summary>The partition's apps by id, those after <paramref name="afterAppId"/> (all when null), at most
    /// <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<AppRecord>> ListAppsAsync(string? afterAppId, int limit);

    /// <summary>Deletes the app with its environments, resources, models and tokens (its jobs stay as history).</summary>
    ValueTask DeleteAppAsync(string appId);

    /// <summary>The app's environments, oldest first.</summary>
    ValueTask<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(string appId);

    ValueTask<EnvironmentRecord?> GetEnvironmentAsync(string appId, string name);

    ValueTask InsertEnvironmentAsync(EnvironmentRecord environment);

    /// <summary>
    /// Replaces the environment's provider (its root stack outputs, e.g. with the real roles a provisioning job made);
    /// false when the environment is gone.
    /// </summary>
    ValueTask<bool> UpdateEnvironmentProviderAsync(string appId, string name, JsonObject provider);

    /// <summary>Deletes the environment and its resources (with their models).</summary>
    ValueTask DeleteEnvironmentAsync(string appId, string name);

    /// <summary>The environment's resources, oldest first.</summary>
    ValueTask<IReadOnlyList<ResourceRecord>> ListResourcesAsync(string appId, string environment);

    ValueTask<ResourceRecord?> GetResourceAsync(string appId, string environment, ResourceKind kind, string name);

    ValueTask PutResourceAsync(ResourceRecord resource);

    /// <summary>Deletes the resource (an API with its generated models).</summary>
    ValueTask DeleteResourceAsync(string appId, string environment, ResourceKind kind, string name);

    /// <summary>The models last generated for an API, kept apart from the resource so that reading a resource stays small.</summary>
    ValueTask<GeneratedModels?> GetModelsAsync(string appId, string environment, string apiName);

    ValueTask PutModelsAsync(string appId, string environment, string apiName, GeneratedModels models);

    /// <summary>Copies every API's models of one environment to the same-named APIs of another (CloneBackend).</summary>
    ValueTask CopyModelsAsync(string appId, string fromEnvironment, string toEnvironment);

    /// <summary>The partition's buckets by name, after <paramref name="afterName"/>.</summary>
    ValueTask<IReadOnlyList<BucketInfo>> ListBucketsAsync(string? afterName, int limit);

    ValueTask<JobRecord?> GetJobAsync(string appId, string jobId);

    /// <summary>The non-terminal jobs of an app (of one environment when given).</summary>
    ValueTask<IReadOnlyList<JobRecord>> ListPendingJobsAsync(string appId, string? environment);

    ValueTask InsertJobAsync(JobRecord job);

    ValueTask UpdateJobAsync(JobRecord job);

    /// <summary>Jobs of an environment, oldest first by (createTime, jobId), after the cursor, matching the filter.</summary>
    ValueTask<IReadOnlyList<JobSummary>> ListJobsAsync(string appId, string environment, JobFilter filter, JobCursor? after, int limit);

    ValueTask<TokenRecord?> GetTokenAsync(string appId, string sessionId);

    ValueTask InsertTokenAsync(TokenRecord token);

    ValueTask DeleteTokenAsync(string appId, string sessionId);
}
