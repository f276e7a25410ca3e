using System.Text.Json.Nodes;

namespace Ampstack.Storage.Sql;

/// <summary>
/// The core's transaction seen from one partition: the one implementation of the domain's transaction port for every SQL
/// store. Each statement binds <c>@a</c> and <c>@r</c> from <see cref="Partition"/>, so no other partition's row is read,
/// changed or deleted; a record of another partition is refused before any statement runs.
/// </summary>
internal sealed class SqlPartitionTransaction(SqlStoreTransaction core, SqlStatements sql, Partition partition) : IStoreTransaction
{
    /// <summary>The apps this transaction has given a new revision.</summary>
    private HashSet<string>? _touched;

    public Partition Partition => partition;

    public ValueTask<AppRecord?> GetAppAsync(string appId) =>
        core.FirstAsync(sql.GetApp, SqlRows.App, SqlRows.Keys(partition, ("@app", appId)));

    public async ValueTask<long?> GetAppRevisionAsync(string appId) =>
        await core.QueryAsync(sql.GetAppRevision, SqlRows.Number, SqlRows.Keys(partition, ("@app", appId))).ConfigureAwait(false)
            is [var revision, ..] ? revision : null;

    public ValueTask PutAppAsync(AppRecord app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RequireOwn(app.Partition, nameof(app));
        // The row is written with a new revision: this transaction's later writes of the app need not write another.
        (_touched ??= []).Add(app.AppId);
        return core.ExecuteAsync(sql.PutApp, SqlRows.App(app));
    }

    public ValueTask<IReadOnlyList<AppRecord>> ListAppsAsync(string? afterAppId, int limit) =>
        core.ListAsync(sql.ListApps, SqlRows.App, SqlRows.Keys(partition, ("@after", afterAppId ?? ""), ("@limit", limit)));

    public ValueTask DeleteAppAsync(string appId) =>
        core.ExecuteEachAsync(sql.DeleteApp, SqlRows.Keys(partition, ("@app", appId)));

    public ValueTask<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(string appId) =>
        core.ListAsync(sql.ListEnvironments, SqlRows.Environment, SqlRows.Keys(partition, ("@app", appId)));

    public ValueTask<EnvironmentRecord?> GetEnvironmentAsync(string appId, string name) =>
        core.FirstAsync(sql.GetEnvironment, SqlRows.Environment, SqlRows.Keys(partition, ("@app", appId), ("@env", name)));

    public ValueTask InsertEnvironmentAsync(EnvironmentRecord environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        RequireOwn(environment.Partition, nameof(environment));
        return Touching(environment.AppId, core.ExecuteAsync(sql.InsertEnvironment, SqlRows.Environment(environment),
            ex => new StoreConflictException(StoreConflict.Environment, environment.Partition, environment.AppId, environment.Name,
                null, ex)));
    }

    public async ValueTask<bool> UpdateEnvironmentProviderAsync(string appId, string name, JsonObject provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var updated = await core.ExecuteCountAsync(sql.UpdateEnvironmentProvider,
            SqlRows.Keys(partition, ("@app", appId), ("@env", name), ("@provider", StoredJson.Write(provider)))).ConfigureAwait(false) > 0;
        await TouchAsync(appId).ConfigureAwait(false);
        return updated;
    }

    public ValueTask DeleteEnvironmentAsync(string appId, string name) =>
        Touching(appId, core.ExecuteEachAsync(sql.DeleteEnvironment, SqlRows.Keys(partition, ("@app", appId), ("@env", name))));

    public ValueTask<IReadOnlyList<ResourceRecord>> ListResourcesAsync(string appId, string environment) =>
        core.ListAsync(sql.ListResources, SqlRows.Resource, SqlRows.Keys(partition, ("@app", appId), ("@env", environment)));

    public ValueTask<ResourceRecord?> GetResourceAsync(string appId, string environment, ResourceKind kind, string name) =>
        core.FirstAsync(sql.GetResource, SqlRows.Resource,
            SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@kind", kind.ToStored()), ("@name", name)));

    public ValueTask PutResourceAsync(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        RequireOwn(resource.Partition, nameof(resource));
        return Touching(resource.AppId, core.ExecuteAsync(sql.PutResource, SqlRows.Resource(resource), ex => new StoreConflictException(
            StoreConflict.ResourceOfKind, resource.Partition, resource.AppId, resource.Environment, resource.Kind, ex)));
    }

    public async ValueTask DeleteResourceAsync(string appId, string environment, ResourceKind kind, string name)
    {
        if (kind == ResourceKind.Api)
        {
            await core.ExecuteAsync(sql.DeleteModels, SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@name", name)))
                .ConfigureAwait(false);
        }

        await core.ExecuteAsync(sql.DeleteResource,
            SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@kind", kind.ToStored()), ("@name", name)))
            .ConfigureAwait(false);
        await TouchAsync(appId).ConfigureAwait(false);
    }

    public async ValueTask<GeneratedModels?> GetModelsAsync(string appId, string environment, string apiName) =>
        (await core.FirstAsync(sql.GetModels, SqlRows.Models, SqlRows.Keys(partition, ("@app", appId), ("@env", environment),
            ("@name", apiName))).ConfigureAwait(false))?.Models;

    public ValueTask PutModelsAsync(string appId, string environment, string apiName, GeneratedModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Touching(appId, core.ExecuteAsync(sql.PutModels, SqlRows.Models(partition, appId, environment, apiName, models)));
    }

    public ValueTask CopyModelsAsync(string appId, string fromEnvironment, string toEnvironment) =>
        Touching(appId, core.ExecuteAsync(sql.CopyModels,
            SqlRows.Keys(partition, ("@app", appId), ("@from", fromEnvironment), ("@to", toEnvironment))));

    public ValueTask<IReadOnlyList<BucketInfo>> ListBucketsAsync(string? afterName, int limit)
    {
        var (text, parameters) = SqlStatements.ListBuckets(partition, afterName, limit);
        return core.ListAsync(text, SqlRows.Bucket, parameters);
    }

    public ValueTask<JobRecord?> GetJobAsync(string appId, string jobId) =>
        core.FirstAsync(core.Writing ? sql.GetJobForWrite : sql.GetJob, SqlRows.Job,
            SqlRows.Keys(partition, ("@app", appId), ("@job", jobId)));

    public ValueTask<IReadOnlyList<JobRecord>> ListPendingJobsAsync(string appId, string? environment) =>
        environment is null
            ? core.ListAsync(sql.ListPendingJobs, SqlRows.Job, SqlRows.Keys(partition, ("@app", appId)))
            : core.ListAsync(sql.ListPendingJobsOf, SqlRows.Job, SqlRows.Keys(partition, ("@app", appId), ("@env", environment)));

    public ValueTask InsertJobAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        RequireOwn(job.Partition, nameof(job));
        return Touching(job.AppId, core.ExecuteAsync(sql.InsertJob, SqlRows.Job(job), ex => PendingJobConflict(job, ex)));
    }

    public ValueTask UpdateJobAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        RequireOwn(job.Partition, nameof(job));
        return Touching(job.AppId, core.ExecuteAsync(sql.UpdateJob, SqlRows.Job(job), ex => PendingJobConflict(job, ex)));
    }

    public ValueTask<IReadOnlyList<JobSummary>> ListJobsAsync(string appId, string environment, JobFilter filter, JobCursor? after,
        int limit)
    {
        var (text, parameters) = SqlStatements.ListJobs(partition, appId, environment, filter, after, limit);
        return core.ListAsync(text, r => SqlRows.JobSummary(r, appId, environment), parameters);
    }

    public ValueTask<TokenRecord?> GetTokenAsync(string appId, string sessionId) =>
        core.FirstAsync(sql.GetToken, SqlRows.Token, SqlRows.Keys(partition, ("@app", appId), ("@session", sessionId)));

    public ValueTask InsertTokenAsync(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        RequireOwn(token.Partition, nameof(token));
        return core.ExecuteAsync(sql.InsertToken, SqlRows.Token(token));
    }

    public ValueTask DeleteTokenAsync(string appId, string sessionId) =>
        core.ExecuteAsync(sql.DeleteToken, SqlRows.Keys(partition, ("@app", appId), ("@session", sessionId)));

    /// <summary><paramref name="write"/>, then <see cref="TouchAsync"/>.</summary>
    private async ValueTask Touching(string appId, ValueTask write)
    {
        await write.ConfigureAwait(false);
        await TouchAsync(appId).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the app a new revision (<see cref="AppRecord.Revision"/>) after a write of what belongs to it, once a
    /// transaction: the revision need only differ from every earlier one, and this transaction's writes commit together.
    /// </summary>
    private ValueTask TouchAsync(string appId) =>
        (_touched ??= []).Add(appId)
            ? core.ExecuteAsync(sql.TouchApp, SqlRows.Keys(partition, ("@app", appId), ("@revision", SqlRows.NewRevision())))
            : ValueTask.CompletedTask;

    private static StoreConflictException PendingJobConflict(JobRecord job, DbException ex) =>
        new(StoreConflict.PendingJob, job.Partition, job.AppId, job.Environment, null, ex);

    /// <summary>
    /// Refuses a record of another partition than the transaction's, naming both: a mistake of the caller's (never of a
    /// client's), which would otherwise write into an account the request is not of.
    /// </summary>
    private void RequireOwn(Partition of, string record)
    {
        if (of != partition)
        {
            throw new ArgumentException(
                $"A transaction of partition {partition} cannot write a {record} of partition {of}: open one of {of} for it.", record);
        }
    }
}
