using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Tokens;

namespace Ampstack.Domain.Storage;

/// <summary>The operations on stored state inside one transaction. Lists come back in their documented order.</summary>
public interface IStoreTransaction
{
    AppRecord? GetApp(Partition partition, string appId);

    void PutApp(AppRecord app);

    /// <summary>Deletes the app with its environments, resources, models and tokens (its jobs stay as history).</summary>
    void DeleteApp(Partition partition, string appId);

    /// <summary>The app's environments, oldest first.</summary>
    IReadOnlyList<EnvironmentRecord> ListEnvironments(Partition partition, string appId);

    EnvironmentRecord? GetEnvironment(Partition partition, string appId, string name);

    void InsertEnvironment(EnvironmentRecord environment);

    /// <summary>Deletes the environment and its resources (with their models).</summary>
    void DeleteEnvironment(Partition partition, string appId, string name);

    /// <summary>The environment's resources, oldest first.</summary>
    IReadOnlyList<ResourceRecord> ListResources(Partition partition, string appId, string environment);

    ResourceRecord? GetResource(Partition partition, string appId, string environment, ResourceKind kind, string name);

    void PutResource(ResourceRecord resource);

    /// <summary>Deletes the resource (an API with its generated models).</summary>
    void DeleteResource(Partition partition, string appId, string environment, ResourceKind kind, string name);

    /// <summary>The models last generated for an API, kept apart from the resource so that reading a resource stays small.</summary>
    GeneratedModels? GetModels(Partition partition, string appId, string environment, string apiName);

    void PutModels(Partition partition, string appId, string environment, string apiName, GeneratedModels models);

    /// <summary>Copies every API's models of one environment to the same-named APIs of another (CloneBackend).</summary>
    void CopyModels(Partition partition, string appId, string fromEnvironment, string toEnvironment);

    /// <summary>The partition's buckets by name, after <paramref name="afterName"/>.</summary>
    IReadOnlyList<BucketInfo> ListBuckets(Partition partition, string? afterName, int limit);

    JobRecord? GetJob(Partition partition, string appId, string jobId);

    /// <summary>The non-terminal jobs of an app (of one environment when given).</summary>
    IReadOnlyList<JobRecord> ListPendingJobs(Partition partition, string appId, string? environment);

    void InsertJob(JobRecord job);

    void UpdateJob(JobRecord job);

    /// <summary>Jobs of an environment, oldest first by (createTime, jobId), after the cursor, matching the filter.</summary>
    IReadOnlyList<JobRecord> ListJobs(Partition partition, string appId, string environment, JobFilter filter, JobCursor? after, int limit);

    /// <summary>RUNNING jobs of any partition whose due time has come, earliest first.</summary>
    IReadOnlyList<JobRecord> ListDueJobs(long now, int limit);

    TokenRecord? GetToken(Partition partition, string appId, string sessionId);

    void InsertToken(TokenRecord token);

    void DeleteToken(Partition partition, string appId, string sessionId);

    /// <summary>A secret made by <see cref="GetOrCreateSecret"/>, or null while there is none (a read: it never writes).</summary>
    byte[]? GetSecret(string name);

    /// <summary>A random secret that lives as long as the store (creates it on first use).</summary>
    byte[] GetOrCreateSecret(string name);
}
