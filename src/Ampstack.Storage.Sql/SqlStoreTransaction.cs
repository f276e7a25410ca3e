using System.Security.Cryptography;

namespace Ampstack.Storage.Sql;

/// <summary>
/// The store's operations as the catalogue's statements, in the transaction a store has open on a session: the one
/// implementation of the transaction port for every SQL store. A store makes it itself, so its own operations outside the
/// port (claims, status, the operator's) reach it without a cast. A write that breaks a rule a unique index or key enforces
/// is refused as <see cref="StoreConflictException"/>, the same way on every database.
/// </summary>
/// <remarks>
/// Every call goes through ADO.NET's asynchronous methods; SQLite's complete synchronously, so on SQLite so does each
/// operation (no task is allocated for a result read synchronously).
/// </remarks>
public sealed class SqlStoreTransaction(SqlStatements sql, SqlSession session, CancellationToken cancellation) : IStoreTransaction
{
    public ValueTask<AppRecord?> GetAppAsync(Partition partition, string appId) =>
        FirstAsync(sql.GetApp, SqlRows.App, SqlRows.Keys(partition, ("@app", appId)));

    public ValueTask PutAppAsync(AppRecord app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return ExecuteAsync(sql.PutApp, SqlRows.App(app));
    }

    public ValueTask<IReadOnlyList<AppRecord>> ListAppsAsync(Partition partition, string? afterAppId, int limit) =>
        ListAsync(sql.ListApps, SqlRows.App, SqlRows.Keys(partition, ("@after", afterAppId ?? ""), ("@limit", limit)));

    public ValueTask DeleteAppAsync(Partition partition, string appId) =>
        ExecuteEachAsync(sql.DeleteApp, SqlRows.Keys(partition, ("@app", appId)));

    public ValueTask<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(Partition partition, string appId) =>
        ListAsync(sql.ListEnvironments, SqlRows.Environment, SqlRows.Keys(partition, ("@app", appId)));

    public ValueTask<EnvironmentRecord?> GetEnvironmentAsync(Partition partition, string appId, string name) =>
        FirstAsync(sql.GetEnvironment, SqlRows.Environment, SqlRows.Keys(partition, ("@app", appId), ("@env", name)));

    public ValueTask InsertEnvironmentAsync(EnvironmentRecord environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return ExecuteAsync(sql.InsertEnvironment, SqlRows.Environment(environment), ex => new StoreConflictException(
            StoreConflict.Environment, environment.Partition, environment.AppId, environment.Name, null, ex));
    }

    public ValueTask DeleteEnvironmentAsync(Partition partition, string appId, string name) =>
        ExecuteEachAsync(sql.DeleteEnvironment, SqlRows.Keys(partition, ("@app", appId), ("@env", name)));

    public ValueTask<IReadOnlyList<ResourceRecord>> ListResourcesAsync(Partition partition, string appId, string environment) =>
        ListAsync(sql.ListResources, SqlRows.Resource, SqlRows.Keys(partition, ("@app", appId), ("@env", environment)));

    public ValueTask<ResourceRecord?> GetResourceAsync(Partition partition, string appId, string environment, ResourceKind kind,
        string name) =>
        FirstAsync(sql.GetResource, SqlRows.Resource,
            SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@kind", kind.ToStored()), ("@name", name)));

    public ValueTask PutResourceAsync(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return ExecuteAsync(sql.PutResource, SqlRows.Resource(resource), ex => new StoreConflictException(
            StoreConflict.ResourceOfKind, resource.Partition, resource.AppId, resource.Environment, resource.Kind, ex));
    }

    public async ValueTask DeleteResourceAsync(Partition partition, string appId, string environment, ResourceKind kind, string name)
    {
        if (kind == ResourceKind.Api)
        {
            await ExecuteAsync(sql.DeleteModels, SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@name", name)))
                .ConfigureAwait(false);
        }

        await ExecuteAsync(sql.DeleteResource,
            SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@kind", kind.ToStored()), ("@name", name)))
            .ConfigureAwait(false);
    }

    public async ValueTask<GeneratedModels?> GetModelsAsync(Partition partition, string appId, string environment, string apiName) =>
        (await FirstAsync(sql.GetModels, SqlRows.Models, SqlRows.Keys(partition, ("@app", appId), ("@env", environment),
            ("@name", apiName))).ConfigureAwait(false))?.Models;

    public ValueTask PutModelsAsync(Partition partition, string appId, string environment, string apiName, GeneratedModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return ExecuteAsync(sql.PutModels, SqlRows.Models(partition, appId, environment, apiName, models));
    }

    public ValueTask CopyModelsAsync(Partition partition, string appId, string fromEnvironment, string toEnvironment) =>
        ExecuteAsync(sql.CopyModels, SqlRows.Keys(partition, ("@app", appId), ("@from", fromEnvironment), ("@to", toEnvironment)));

    public ValueTask<IReadOnlyList<BucketInfo>> ListBucketsAsync(Partition partition, string? afterName, int limit)
    {
        var (text, parameters) = SqlStatements.ListBuckets(partition, afterName, limit);
        return ListAsync(text, SqlRows.Bucket, parameters);
    }

    public ValueTask<JobRecord?> GetJobAsync(Partition partition, string appId, string jobId) =>
        FirstAsync(sql.GetJob, SqlRows.Job, SqlRows.Keys(partition, ("@app", appId), ("@job", jobId)));

    public ValueTask<IReadOnlyList<JobRecord>> ListPendingJobsAsync(Partition partition, string appId, string? environment) =>
        environment is null
            ? ListAsync(sql.ListPendingJobs, SqlRows.Job, SqlRows.Keys(partition, ("@app", appId)))
            : ListAsync(sql.ListPendingJobsOf, SqlRows.Job, SqlRows.Keys(partition, ("@app", appId), ("@env", environment)));

    public ValueTask InsertJobAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ExecuteAsync(sql.InsertJob, SqlRows.Job(job), ex => PendingJobConflict(job, ex));
    }

    public ValueTask UpdateJobAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ExecuteAsync(sql.UpdateJob, SqlRows.Job(job), ex => PendingJobConflict(job, ex));
    }

    public ValueTask<IReadOnlyList<JobRecord>> ListJobsAsync(Partition partition, string appId, string environment, JobFilter filter,
        JobCursor? after, int limit)
    {
        var (text, parameters) = SqlStatements.ListJobs(partition, appId, environment, filter, after, limit);
        return ListAsync(text, SqlRows.Job, parameters);
    }

    public ValueTask<TokenRecord?> GetTokenAsync(Partition partition, string appId, string sessionId) =>
        FirstAsync(sql.GetToken, SqlRows.Token, SqlRows.Keys(partition, ("@app", appId), ("@session", sessionId)));

    public ValueTask InsertTokenAsync(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ExecuteAsync(sql.InsertToken, SqlRows.Token(token));
    }

    public ValueTask DeleteTokenAsync(Partition partition, string appId, string sessionId) =>
        ExecuteAsync(sql.DeleteToken, SqlRows.Keys(partition, ("@app", appId), ("@session", sessionId)));

    /// <summary>A secret of the store's (<see cref="IBackendStore.GetSecretAsync"/>), or null while there is none.</summary>
    public ValueTask<byte[]?> GetSecretAsync(string name) => FirstAsync(sql.GetSecret, SqlRows.Bytes, [("@name", name)]);

    /// <summary>A secret of the store's, made on first use (<see cref="IBackendStore.GetOrCreateSecretAsync"/>).</summary>
    public async ValueTask<byte[]> GetOrCreateSecretAsync(string name)
    {
        if (await GetSecretAsync(name).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        await ExecuteAsync(sql.InsertSecret, [("@name", name), ("@value", secret)]).ConfigureAwait(false);
        return await GetSecretAsync(name).ConfigureAwait(false) ?? secret;
    }

    /// <summary>
    /// Leases the due jobs to the claimant (<see cref="IBackendStore.ClaimDueJobsAsync"/>) and returns them earliest due
    /// first, in the store's claim transaction.
    /// </summary>
    public async ValueTask<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var claimed = await QueryAsync(sql.ClaimDueJobs, SqlRows.Job,
            [("@owner", claim.Owner), ("@until", claim.LeaseUntil), ("@now", claim.Now), ("@limit", claim.Limit)]).ConfigureAwait(false);
        return [.. claimed.OrderBy(job => job.DueAt)];
    }

    /// <summary>The store's kind, schema version and size, as the database reports them (no table is read).</summary>
    public async ValueTask<StoreStatus> StatusAsync() => new(
        sql.Dialect.Kind,
        checked((int)(await QueryAsync(sql.Dialect.SchemaVersionQuery, SqlRows.Number, []).ConfigureAwait(false))[0]),
        (await QueryAsync(sql.Dialect.SizeQuery, SqlRows.Number, []).ConfigureAwait(false))[0]);

    /// <summary>How many jobs there are of each status, in every partition.</summary>
    public async ValueTask<IReadOnlyDictionary<string, long>> CountJobsByStatusAsync() =>
        (await QueryAsync(sql.CountJobsByStatus, SqlRows.StatusCount, []).ConfigureAwait(false))
            .ToDictionary(c => c.Status, c => c.Count);

    /// <summary>Every record of <paramref name="accountId"/> (of all accounts when null), each list in its own list's order.</summary>
    public async ValueTask<StoreContents> ExportAsync(string? accountId)
    {
        var statements = sql.Export(accountId);
        var account = SqlStatements.AccountParameters(accountId);
        return new StoreContents(
            await QueryAsync(statements.Apps, SqlRows.App, account).ConfigureAwait(false),
            await QueryAsync(statements.Environments, SqlRows.Environment, account).ConfigureAwait(false),
            await QueryAsync(statements.Resources, SqlRows.Resource, account).ConfigureAwait(false),
            await QueryAsync(statements.Models, SqlRows.Models, account).ConfigureAwait(false),
            await QueryAsync(statements.Jobs, SqlRows.Job, account).ConfigureAwait(false),
            await QueryAsync(statements.Tokens, SqlRows.Token, account).ConfigureAwait(false));
    }

    /// <summary>Deletes every record of <paramref name="accountId"/> (of all accounts when null); secrets stay.</summary>
    public ValueTask DeleteAllAsync(string? accountId) =>
        ExecuteEachAsync(SqlStatements.DeleteAll(accountId), SqlStatements.AccountParameters(accountId));

    /// <summary>
    /// Writes <paramref name="contents"/> (<see cref="IStoreAdmin.ImportAsync"/>) with the port's own writes, in the order of
    /// its lists, unless the store holds a record of an account it names: then nothing, and that account.
    /// </summary>
    public async ValueTask<string?> ImportAsync(StoreContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        foreach (var account in contents.AccountIds())
        {
            foreach (var text in SqlStatements.AnyOfAccount)
            {
                if ((await QueryAsync(text, SqlRows.Number, [("@acct", account)]).ConfigureAwait(false)).Count > 0)
                {
                    return account;
                }
            }
        }

        foreach (var app in contents.Apps)
        {
            await PutAppAsync(app).ConfigureAwait(false);
        }

        foreach (var environment in contents.Environments)
        {
            await InsertEnvironmentAsync(environment).ConfigureAwait(false);
        }

        foreach (var resource in contents.Resources)
        {
            await PutResourceAsync(resource).ConfigureAwait(false);
        }

        foreach (var m in contents.Models)
        {
            await PutModelsAsync(m.Partition, m.AppId, m.Environment, m.ApiName, m.Models).ConfigureAwait(false);
        }

        foreach (var job in contents.Jobs)
        {
            await InsertJobAsync(job).ConfigureAwait(false);
        }

        foreach (var token in contents.Tokens)
        {
            await InsertTokenAsync(token).ConfigureAwait(false);
        }

        return null;
    }

    private static StoreConflictException PendingJobConflict(JobRecord job, DbException ex) =>
        new(StoreConflict.PendingJob, job.Partition, job.AppId, job.Environment, null, ex);

    private async ValueTask<T?> FirstAsync<T>(string text, Func<DbDataReader, T> map, (string, object?)[] parameters)
        where T : class =>
        (await QueryAsync(text, map, parameters).ConfigureAwait(false)) is [var first, ..] ? first : null;

    private async ValueTask<IReadOnlyList<T>> ListAsync<T>(string text, Func<DbDataReader, T> map, (string, object?)[] parameters) =>
        await QueryAsync(text, map, parameters).ConfigureAwait(false);

    private async ValueTask<List<T>> QueryAsync<T>(string text, Func<DbDataReader, T> map, (string, object?)[] parameters)
    {
        var command = Command(text, parameters);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            await session.ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a write; a unique violation is the rule <paramref name="conflict"/> describes, when given.</summary>
    private async ValueTask ExecuteAsync(string text, (string, object?)[] parameters,
        Func<DbException, StoreConflictException>? conflict = null)
    {
        var command = Command(text, parameters);
        try
        {
            await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        catch (DbException ex) when (conflict is not null && sql.Dialect.IsUniqueViolation(ex))
        {
            throw conflict(ex);
        }
        finally
        {
            await session.ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    private async ValueTask ExecuteEachAsync(IEnumerable<string> texts, (string, object?)[] parameters)
    {
        foreach (var text in texts)
        {
            await ExecuteAsync(text, parameters).ConfigureAwait(false);
        }
    }

    /// <summary>The session's command for <paramref name="text"/>, bound to these parameters.</summary>
    private DbCommand Command(string text, (string Name, object? Value)[] parameters)
    {
        var command = session.CommandFor(text);
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
