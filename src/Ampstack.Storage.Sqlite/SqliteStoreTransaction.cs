using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// The asynchronous store port over <see cref="SqliteStatements"/>: SQLite works in the process, so every operation has
/// completed when it returns.
/// </summary>
internal sealed class SqliteStoreTransaction(SqliteSession session) : IStoreTransaction
{
    private readonly SqliteStatements _sql = new(session);

    /// <summary>The statements behind the port, for the store's own operations outside it (claims).</summary>
    internal SqliteStatements Statements => _sql;

    public ValueTask<AppRecord?> GetAppAsync(Partition partition, string appId) =>
        new(_sql.GetApp(partition, appId));

    public ValueTask<IReadOnlyList<AppRecord>> ListAppsAsync(Partition partition, string? afterAppId, int limit) =>
        new(_sql.ListApps(partition, afterAppId, limit));

    public ValueTask PutAppAsync(AppRecord app)
    {
        _sql.PutApp(app);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAppAsync(Partition partition, string appId)
    {
        _sql.DeleteApp(partition, appId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(Partition partition, string appId) =>
        new(_sql.ListEnvironments(partition, appId));

    public ValueTask<EnvironmentRecord?> GetEnvironmentAsync(Partition partition, string appId, string name) =>
        new(_sql.GetEnvironment(partition, appId, name));

    public ValueTask InsertEnvironmentAsync(EnvironmentRecord environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Guarded(() => _sql.InsertEnvironment(environment), ex => new StoreConflictException(StoreConflict.Environment,
            environment.Partition, environment.AppId, environment.Name, null, ex));
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteEnvironmentAsync(Partition partition, string appId, string name)
    {
        _sql.DeleteEnvironment(partition, appId, name);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ResourceRecord>> ListResourcesAsync(Partition partition, string appId, string environment) =>
        new(_sql.ListResources(partition, appId, environment));

    public ValueTask<ResourceRecord?> GetResourceAsync(Partition partition, string appId, string environment, ResourceKind kind,
        string name) =>
        new(_sql.GetResource(partition, appId, environment, kind, name));

    public ValueTask PutResourceAsync(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Guarded(() => _sql.PutResource(resource), ex => new StoreConflictException(StoreConflict.ResourceOfKind, resource.Partition,
            resource.AppId, resource.Environment, resource.Kind, ex));
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteResourceAsync(Partition partition, string appId, string environment, ResourceKind kind, string name)
    {
        _sql.DeleteResource(partition, appId, environment, kind, name);
        return ValueTask.CompletedTask;
    }

    public ValueTask<GeneratedModels?> GetModelsAsync(Partition partition, string appId, string environment, string apiName) =>
        new(_sql.GetModels(partition, appId, environment, apiName));

    public ValueTask PutModelsAsync(Partition partition, string appId, string environment, string apiName, GeneratedModels models)
    {
        _sql.PutModels(partition, appId, environment, apiName, models);
        return ValueTask.CompletedTask;
    }

    public ValueTask CopyModelsAsync(Partition partition, string appId, string fromEnvironment, string toEnvironment)
    {
        _sql.CopyModels(partition, appId, fromEnvironment, toEnvironment);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<BucketInfo>> ListBucketsAsync(Partition partition, string? afterName, int limit) =>
        new(_sql.ListBuckets(partition, afterName, limit));

    public ValueTask<JobRecord?> GetJobAsync(Partition partition, string appId, string jobId) =>
        new(_sql.GetJob(partition, appId, jobId));

    public ValueTask<IReadOnlyList<JobRecord>> ListPendingJobsAsync(Partition partition, string appId, string? environment) =>
        new(_sql.ListPendingJobs(partition, appId, environment));

    public ValueTask InsertJobAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Guarded(() => _sql.InsertJob(job),
            ex => new StoreConflictException(StoreConflict.PendingJob, job.Partition, job.AppId, job.Environment, null, ex));
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateJobAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Guarded(() => _sql.UpdateJob(job),
            ex => new StoreConflictException(StoreConflict.PendingJob, job.Partition, job.AppId, job.Environment, null, ex));
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<JobRecord>> ListJobsAsync(Partition partition, string appId, string environment, JobFilter filter,
        JobCursor? after, int limit) =>
        new(_sql.ListJobs(partition, appId, environment, filter, after, limit));

    public ValueTask<TokenRecord?> GetTokenAsync(Partition partition, string appId, string sessionId) =>
        new(_sql.GetToken(partition, appId, sessionId));

    public ValueTask InsertTokenAsync(TokenRecord token)
    {
        _sql.InsertToken(token);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteTokenAsync(Partition partition, string appId, string sessionId)
    {
        _sql.DeleteToken(partition, appId, sessionId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<byte[]?> GetSecretAsync(string name) =>
        new(_sql.GetSecret(name));

    public ValueTask<byte[]> GetOrCreateSecretAsync(string name) =>
        new(_sql.GetOrCreateSecret(name));

    /// <summary>
    /// Runs a write whose only possible constraint failure is the rule <paramref name="conflict"/> describes (a unique
    /// index or key), and says so in the port's terms.
    /// </summary>
    private static void Guarded(Action write, Func<SqliteException, StoreConflictException> conflict)
    {
        try
        {
            write();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_CONSTRAINT
            && ex.SqliteExtendedErrorCode is raw.SQLITE_CONSTRAINT_UNIQUE or raw.SQLITE_CONSTRAINT_PRIMARYKEY)
        {
            throw conflict(ex);
        }
    }

    public ValueTask<IReadOnlyDictionary<string, long>> CountJobsByStatusAsync() => new(_sql.CountJobsByStatus());

    public ValueTask<StoreContents> ExportAsync(string? accountId) => new(_sql.Export(accountId));

    public ValueTask DeleteAllAsync(string? accountId)
    {
        _sql.DeleteAll(accountId);
        return ValueTask.CompletedTask;
    }
}
