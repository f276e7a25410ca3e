using System.Security.Cryptography;
using System.Text;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>The store's operations as PostgreSQL statements, inside the transaction the store has open on the connection.</summary>
internal sealed class PostgresStoreTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
    : IStoreTransaction
{
    /// <summary>
    /// Set by the operations that read or delete a whole account or store (snapshot export, reset), whose statements may
    /// rightly outlast the store's request-sized command timeout: from then on, this transaction's statements get
    /// <see cref="PostgresBackendStore.BulkCommandTimeoutSeconds"/>.
    /// </summary>
    private bool _bulk;

    /// <summary>True once the work has turned out to be bulk (see <see cref="_bulk"/>).</summary>
    internal bool IsBulk => _bulk;

    private const string JobColumns =
        "account, region, app_id, job_id, environment, operation, status, error, created_at, updated_at, due_at, work, lease_owner, " +
        "lease_until";
    private const string ResourceColumns =
        "account, region, app_id, environment, kind, name, config, outputs, imported, bucket_name, created_at";

    public async ValueTask<AppRecord?> GetAppAsync(Partition partition, string appId) =>
        (await QueryAsync("SELECT app_id, app_name, created_at, admin_ui, hosting FROM apps WHERE account=@a AND region=@r AND app_id=@app",
            r => ReadApp(partition, r), Keys(partition, ("app", appId))).ConfigureAwait(false)).FirstOrDefault();

    public async ValueTask<IReadOnlyList<AppRecord>> ListAppsAsync(Partition partition, string? afterAppId, int limit) =>
        await QueryAsync("""
            SELECT app_id, app_name, created_at, admin_ui, hosting FROM apps
            WHERE account=@a AND region=@r AND app_id > @after ORDER BY app_id LIMIT @limit
            """,
            r => ReadApp(partition, r), Keys(partition, ("after", afterAppId ?? ""), ("limit", limit))).ConfigureAwait(false);

    private static AppRecord ReadApp(Partition partition, NpgsqlDataReader r) =>
        new(partition, r.GetString(0), r.GetString(1), r.GetInt64(2), StoredJson.ReadAdminUi(Text(r, 3)))
        {
            Hosting = StoredJson.ReadHosting(Text(r, 4)),
        };

    public ValueTask PutAppAsync(AppRecord app) =>
        ExecuteAsync("""
            INSERT INTO apps (account, region, app_id, app_name, created_at, admin_ui, hosting)
            VALUES (@a, @r, @app, @name, @created, @ui, @hosting)
            ON CONFLICT (account, region, app_id) DO UPDATE
            SET app_name=excluded.app_name, admin_ui=excluded.admin_ui, hosting=excluded.hosting
            """,
            Keys(app.Partition, ("app", app.AppId), ("name", app.AppName), ("created", app.CreatedAt),
                ("ui", StoredJson.Write(app.AdminUi)), ("hosting", StoredJson.Write(app.Hosting))));

    public async ValueTask DeleteAppAsync(Partition partition, string appId)
    {
        foreach (var table in new[] { "api_models", "resources", "environments", "tokens", "apps" })
        {
            await ExecuteAsync($"DELETE FROM {table} WHERE account=@a AND region=@r AND app_id=@app", Keys(partition, ("app", appId)))
                .ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(Partition partition, string appId) =>
        await QueryAsync("""
            SELECT name, created_at, provider FROM environments WHERE account=@a AND region=@r AND app_id=@app
            ORDER BY created_at, seq
            """,
            r => new EnvironmentRecord(partition, appId, r.GetString(0), r.GetInt64(1), StoredJson.ReadObject(r.GetString(2))),
            Keys(partition, ("app", appId))).ConfigureAwait(false);

    public async ValueTask<EnvironmentRecord?> GetEnvironmentAsync(Partition partition, string appId, string name) =>
        (await QueryAsync("""
            SELECT name, created_at, provider FROM environments WHERE account=@a AND region=@r AND app_id=@app AND name=@env
            """,
            r => new EnvironmentRecord(partition, appId, r.GetString(0), r.GetInt64(1), StoredJson.ReadObject(r.GetString(2))),
            Keys(partition, ("app", appId), ("env", name))).ConfigureAwait(false)).FirstOrDefault();

    public ValueTask InsertEnvironmentAsync(EnvironmentRecord environment) =>
        ExecuteAsync("""
            INSERT INTO environments (account, region, app_id, name, created_at, provider) VALUES (@a, @r, @app, @env, @created, @provider)
            """,
            Keys(environment.Partition, ("app", environment.AppId), ("env", environment.Name), ("created", environment.CreatedAt),
                ("provider", StoredJson.Write(environment.Provider))),
            ex => new StoreConflictException(StoreConflict.Environment, environment.Partition, environment.AppId, environment.Name,
                null, ex));

    public async ValueTask DeleteEnvironmentAsync(Partition partition, string appId, string name)
    {
        foreach (var (table, column) in new[] { ("api_models", "environment"), ("resources", "environment"), ("environments", "name") })
        {
            await ExecuteAsync($"DELETE FROM {table} WHERE account=@a AND region=@r AND app_id=@app AND {column}=@env",
                Keys(partition, ("app", appId), ("env", name))).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<ResourceRecord>> ListResourcesAsync(Partition partition, string appId, string environment) =>
        await QueryAsync($"""
            SELECT {ResourceColumns} FROM resources WHERE account=@a AND region=@r AND app_id=@app AND environment=@env
            ORDER BY created_at, seq
            """,
            ReadResource, Keys(partition, ("app", appId), ("env", environment))).ConfigureAwait(false);

    public async ValueTask<ResourceRecord?> GetResourceAsync(Partition partition, string appId, string environment, ResourceKind kind,
        string name) =>
        (await QueryAsync($"""
            SELECT {ResourceColumns} FROM resources
            WHERE account=@a AND region=@r AND app_id=@app AND environment=@env AND kind=@kind AND name=@name
            """,
            ReadResource, Keys(partition, ("app", appId), ("env", environment), ("kind", kind.ToStored()), ("name", name)))
            .ConfigureAwait(false)).FirstOrDefault();

    public ValueTask PutResourceAsync(ResourceRecord resource) =>
        ExecuteAsync($"""
            INSERT INTO resources ({ResourceColumns})
            VALUES (@a, @r, @app, @env, @kind, @name, @config, @outputs, @imported, @bucket, @created)
            ON CONFLICT (account, region, app_id, environment, kind, name) DO UPDATE SET config=excluded.config,
                outputs=excluded.outputs, imported=excluded.imported, bucket_name=excluded.bucket_name
            """,
            Keys(resource.Partition, ("app", resource.AppId), ("env", resource.Environment), ("kind", resource.Kind.ToStored()),
                ("name", resource.Name), ("config", StoredJson.Write(resource.Config)), ("outputs", StoredJson.Write(resource.Outputs)),
                ("imported", resource.Imported), ("bucket", resource.BucketName), ("created", resource.CreatedAt)),
            ex => new StoreConflictException(StoreConflict.ResourceOfKind, resource.Partition, resource.AppId, resource.Environment,
                resource.Kind, ex));

    public async ValueTask DeleteResourceAsync(Partition partition, string appId, string environment, ResourceKind kind, string name)
    {
        if (kind == ResourceKind.Api)
        {
            await ExecuteAsync("DELETE FROM api_models WHERE account=@a AND region=@r AND app_id=@app AND environment=@env AND name=@name",
                Keys(partition, ("app", appId), ("env", environment), ("name", name))).ConfigureAwait(false);
        }

        await ExecuteAsync("""
            DELETE FROM resources WHERE account=@a AND region=@r AND app_id=@app AND environment=@env AND kind=@kind AND name=@name
            """,
            Keys(partition, ("app", appId), ("env", environment), ("kind", kind.ToStored()), ("name", name))).ConfigureAwait(false);
    }

    public async ValueTask<GeneratedModels?> GetModelsAsync(Partition partition, string appId, string environment, string apiName) =>
        (await QueryAsync("""
            SELECT schema_js, introspection, schema_hash FROM api_models
            WHERE account=@a AND region=@r AND app_id=@app AND environment=@env AND name=@name
            """,
            r => new GeneratedModels(r.GetString(0), r.GetString(1), r.GetString(2)),
            Keys(partition, ("app", appId), ("env", environment), ("name", apiName))).ConfigureAwait(false)).FirstOrDefault();

    public ValueTask PutModelsAsync(Partition partition, string appId, string environment, string apiName, GeneratedModels models) =>
        ExecuteAsync("""
            INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
            VALUES (@a, @r, @app, @env, @name, @hash, @js, @introspection)
            ON CONFLICT (account, region, app_id, environment, name) DO UPDATE SET schema_hash=excluded.schema_hash,
                schema_js=excluded.schema_js, introspection=excluded.introspection
            """,
            Keys(partition, ("app", appId), ("env", environment), ("name", apiName), ("hash", models.SchemaHash),
                ("js", models.SchemaJs), ("introspection", models.Introspection)));

    public ValueTask CopyModelsAsync(Partition partition, string appId, string fromEnvironment, string toEnvironment) =>
        ExecuteAsync("""
            INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
            SELECT account, region, app_id, @to, name, schema_hash, schema_js, introspection FROM api_models
            WHERE account=@a AND region=@r AND app_id=@app AND environment=@from
            ON CONFLICT (account, region, app_id, environment, name) DO UPDATE SET schema_hash=excluded.schema_hash,
                schema_js=excluded.schema_js, introspection=excluded.introspection
            """,
            Keys(partition, ("app", appId), ("from", fromEnvironment), ("to", toEnvironment)));

    public async ValueTask<IReadOnlyList<BucketInfo>> ListBucketsAsync(Partition partition, string? afterName, int limit)
    {
        var (sql, parameters) = ListBucketsStatement(partition, afterName, limit);
        return await QueryAsync(sql, r => new BucketInfo(r.GetString(0), r.GetInt64(1)), parameters).ConfigureAwait(false);
    }

    /// <summary>ListBuckets's statement: a walk of resources_by_bucket in name order, from a seek past the cursor if any.</summary>
    internal static (string Sql, (string, object?)[] Parameters) ListBucketsStatement(Partition partition, string? afterName, int limit) =>
    (
        $"""
        SELECT bucket_name, MIN(created_at) FROM resources
        WHERE account=@a AND region=@r AND bucket_name IS NOT NULL{(afterName is null ? "" : " AND bucket_name > @after")}
        GROUP BY bucket_name ORDER BY bucket_name LIMIT @limit
        """,
        afterName is null ? Keys(partition, ("limit", limit)) : Keys(partition, ("limit", limit), ("after", afterName))
    );

    public async ValueTask<JobRecord?> GetJobAsync(Partition partition, string appId, string jobId) =>
        (await QueryAsync($"SELECT {JobColumns} FROM jobs WHERE account=@a AND region=@r AND app_id=@app AND job_id=@job",
            ReadJob, Keys(partition, ("app", appId), ("job", jobId))).ConfigureAwait(false)).FirstOrDefault();

    public async ValueTask<IReadOnlyList<JobRecord>> ListPendingJobsAsync(Partition partition, string appId, string? environment) =>
        await QueryAsync($"""
            SELECT {JobColumns} FROM jobs
            WHERE account=@a AND region=@r AND app_id=@app AND status='RUNNING' AND (@env::text IS NULL OR environment=@env::text)
            ORDER BY created_at, job_id
            """,
            ReadJob, Keys(partition, ("app", appId), ("env", environment))).ConfigureAwait(false);

    public ValueTask InsertJobAsync(JobRecord job) =>
        ExecuteAsync($"""
            INSERT INTO jobs ({JobColumns})
            VALUES (@a, @r, @app, @job, @env, @op, @status, @error, @created, @updated, @due, @work, @owner, @until)
            """,
            JobParameters(job),
            ex => new StoreConflictException(StoreConflict.PendingJob, job.Partition, job.AppId, job.Environment, null, ex));

    public ValueTask UpdateJobAsync(JobRecord job) =>
        ExecuteAsync("""
            UPDATE jobs SET environment=@env, operation=@op, status=@status, error=@error, created_at=@created, updated_at=@updated,
                due_at=@due, work=@work, lease_owner=@owner, lease_until=@until
            WHERE account=@a AND region=@r AND app_id=@app AND job_id=@job
            """,
            JobParameters(job),
            ex => new StoreConflictException(StoreConflict.PendingJob, job.Partition, job.AppId, job.Environment, null, ex));

    public async ValueTask<IReadOnlyList<JobRecord>> ListJobsAsync(Partition partition, string appId, string environment,
        JobFilter filter, JobCursor? after, int limit)
    {
        var (sql, parameters) = ListJobsStatement(partition, appId, environment, filter, after, limit);
        return await QueryAsync(sql, ReadJob, parameters).ConfigureAwait(false);
    }

    /// <summary>
    /// ListJobs's statement for one form: each filter given, and the cursor, is a plain condition (never "@x IS NULL OR ..."),
    /// so each form seeks the index made for it (migration 5) and reads no row it does not return; the cursor is a row-value
    /// seek. A jobId filter is a primary-key lookup.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) ListJobsStatement(Partition partition, string appId,
        string environment, JobFilter filter, JobCursor? after, int limit)
    {
        var sql = new StringBuilder($"SELECT {JobColumns} FROM jobs WHERE account=@a AND region=@r AND app_id=@app AND environment=@env");
        var parameters = new List<(string, object?)>(Keys(partition, ("app", appId), ("env", environment), ("limit", limit)));
        void Condition(string condition, params (string, object?)[] values)
        {
            sql.Append(" AND ").Append(condition);
            parameters.AddRange(values);
        }

        if (filter.JobId is not null)
        {
            Condition("job_id=@job", ("job", filter.JobId));
        }

        if (filter.Operation is not null)
        {
            Condition("operation=@op", ("op", filter.Operation));
        }

        if (filter.Status is not null)
        {
            Condition("status=@status", ("status", filter.Status));
        }

        if (after is not null)
        {
            Condition("(created_at, job_id) > (@afterTime, @afterJob)", ("afterTime", after.CreatedAt), ("afterJob", after.JobId));
        }

        sql.Append(" ORDER BY created_at, job_id LIMIT @limit");
        return (sql.ToString(), [.. parameters]);
    }

    /// <summary>
    /// The claim of <see cref="IBackendStore.ClaimDueJobsAsync"/>: the due rows are locked as they are found, and rows another
    /// claim has locked already are skipped, not waited for, so concurrent claims take disjoint sets of jobs.
    /// </summary>
    internal async ValueTask<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim) =>
        (await QueryAsync($"""
            UPDATE jobs SET lease_owner=@owner, lease_until=@until
            WHERE (account, region, app_id, job_id) IN (
                SELECT account, region, app_id, job_id FROM jobs
                WHERE status='RUNNING' AND due_at IS NOT NULL AND due_at <= @now
                  AND (lease_owner IS NULL OR lease_owner=@owner OR lease_until <= @now)
                ORDER BY due_at LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            RETURNING {JobColumns}
            """,
            ReadJob, [("owner", claim.Owner), ("until", claim.LeaseUntil), ("now", claim.Now), ("limit", claim.Limit)])
            .ConfigureAwait(false)).OrderBy(job => job.DueAt).ToList();

    public async ValueTask<TokenRecord?> GetTokenAsync(Partition partition, string appId, string sessionId) =>
        (await QueryAsync("""
            SELECT challenge_code, expires_at FROM tokens WHERE account=@a AND region=@r AND app_id=@app AND session_id=@session
            """,
            r => new TokenRecord(partition, appId, sessionId, r.GetString(0), r.GetInt64(1)),
            Keys(partition, ("app", appId), ("session", sessionId))).ConfigureAwait(false)).FirstOrDefault();

    public ValueTask InsertTokenAsync(TokenRecord token) =>
        ExecuteAsync("""
            INSERT INTO tokens (account, region, app_id, session_id, challenge_code, expires_at)
            VALUES (@a, @r, @app, @session, @code, @expires)
            """,
            Keys(token.Partition, ("app", token.AppId), ("session", token.SessionId), ("code", token.ChallengeCode),
                ("expires", token.ExpiresAt)));

    public ValueTask DeleteTokenAsync(Partition partition, string appId, string sessionId) =>
        ExecuteAsync("DELETE FROM tokens WHERE account=@a AND region=@r AND app_id=@app AND session_id=@session",
            Keys(partition, ("app", appId), ("session", sessionId)));

    public async ValueTask<byte[]?> GetSecretAsync(string name) =>
        (await QueryAsync("SELECT value FROM secrets WHERE name=@name", r => (byte[])r.GetValue(0), [("name", name)])
            .ConfigureAwait(false)).FirstOrDefault();

    public async ValueTask<byte[]> GetOrCreateSecretAsync(string name)
    {
        if (await GetSecretAsync(name).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        await ExecuteAsync("INSERT INTO secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
            [("name", name), ("value", secret)]).ConfigureAwait(false);
        return await GetSecretAsync(name).ConfigureAwait(false) ?? secret;
    }

    public async ValueTask<StoreContents> ExportAsync(string? accountId)
    {
        _bulk = true;
        var of = AccountScope(accountId);
        var account = AccountParameters(accountId);
        return new StoreContents(
            await QueryAsync($"""
                SELECT account, region, app_id, app_name, created_at, admin_ui, hosting FROM apps WHERE {of}
                ORDER BY account, region, app_id
                """,
                r => new AppRecord(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt64(4),
                    StoredJson.ReadAdminUi(Text(r, 5)))
                {
                    Hosting = StoredJson.ReadHosting(Text(r, 6)),
                }, account).ConfigureAwait(false),
            await QueryAsync($"""
                SELECT account, region, app_id, name, created_at, provider FROM environments WHERE {of}
                ORDER BY account, region, app_id, created_at, seq
                """,
                r => new EnvironmentRecord(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt64(4),
                    StoredJson.ReadObject(r.GetString(5))), account).ConfigureAwait(false),
            await QueryAsync($"""
                SELECT {ResourceColumns} FROM resources WHERE {of} ORDER BY account, region, app_id, environment, created_at, seq
                """,
                ReadResource, account).ConfigureAwait(false),
            await QueryAsync($"""
                SELECT account, region, app_id, environment, name, schema_js, introspection, schema_hash FROM api_models WHERE {of}
                ORDER BY account, region, app_id, environment, name
                """,
                r => new StoredModels(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4),
                    new GeneratedModels(r.GetString(5), r.GetString(6), r.GetString(7))), account).ConfigureAwait(false),
            await QueryAsync($"SELECT {JobColumns} FROM jobs WHERE {of} ORDER BY account, region, app_id, environment, created_at, job_id",
                ReadJob, account).ConfigureAwait(false),
            await QueryAsync($"""
                SELECT account, region, app_id, session_id, challenge_code, expires_at FROM tokens WHERE {of}
                ORDER BY account, region, app_id, session_id
                """,
                r => new TokenRecord(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4),
                    r.GetInt64(5)), account).ConfigureAwait(false));
    }

    public async ValueTask DeleteAllAsync(string? accountId)
    {
        _bulk = true;
        foreach (var table in new[] { "api_models", "resources", "environments", "tokens", "jobs", "apps" })
        {
            await ExecuteAsync($"DELETE FROM {table} WHERE {AccountScope(accountId)}", AccountParameters(accountId)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The condition of a statement on one account's rows (every row when null): a seek on the account, the first column of
    /// every table's key, where "@acct IS NULL OR account=@acct" would read every row of every account.
    /// </summary>
    internal static string AccountScope(string? accountId) => accountId is null ? "TRUE" : "account=@acct";

    private static (string, object?)[] AccountParameters(string? accountId) => accountId is null ? [] : [("acct", accountId)];

    /// <summary>The schema version, the bytes the database takes on the server, and how many jobs there are of each status.</summary>
    internal async ValueTask<StoreStatus> StatusAsync() => new(
        "postgres",
        (await QueryAsync("SELECT MAX(version) FROM ampstack_schema", r => r.GetInt32(0), []).ConfigureAwait(false))[0],
        (await QueryAsync("SELECT pg_database_size(current_database())", r => r.GetInt64(0), []).ConfigureAwait(false))[0]);

    public async ValueTask<IReadOnlyDictionary<string, long>> CountJobsByStatusAsync() =>
        (await QueryAsync("SELECT status, count(*) FROM jobs GROUP BY status", r => (r.GetString(0), r.GetInt64(1)), [])
            .ConfigureAwait(false)).ToDictionary(c => c.Item1, c => c.Item2);

    private static ResourceRecord ReadResource(NpgsqlDataReader r) => new(
        new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), ResourceKinds.FromStored(r.GetString(4)),
        r.GetString(5), StoredJson.ReadObject(r.GetString(6)), StoredJson.ReadObject(r.GetString(7)), r.GetBoolean(8), Text(r, 9),
        r.GetInt64(10));

    private static JobRecord ReadJob(NpgsqlDataReader r) => new(
        new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(4), r.GetString(3), r.GetString(5), r.GetString(6),
        Text(r, 7), r.GetInt64(8), r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10), StoredJson.ReadJobWork(r.GetString(11)),
        r.IsDBNull(12) ? null : new JobLease(r.GetString(12), r.GetInt64(13)));

    private static (string, object?)[] JobParameters(JobRecord job) => Keys(job.Partition,
        ("app", job.AppId), ("job", job.JobId), ("env", job.Environment), ("op", job.Operation), ("status", job.Status),
        ("error", job.Error), ("created", job.CreatedAt), ("updated", job.UpdatedAt), ("due", job.DueAt),
        ("work", StoredJson.Write(job.Work)), ("owner", job.Lease?.Owner), ("until", job.Lease?.Until));

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    /// <summary>The parameters of a partitioned statement: <c>@a</c> (account), <c>@r</c> (region), then the others.</summary>
    private static (string, object?)[] Keys(Partition partition, params (string, object?)[] others) =>
        [("a", partition.AccountId), ("r", partition.Region), .. others];

    private async ValueTask<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Runs a write; a unique violation is the rule <paramref name="conflict"/> describes, when given.</summary>
    private async ValueTask ExecuteAsync(string sql, (string Name, object? Value)[] parameters,
        Func<PostgresException, StoreConflictException>? conflict = null)
    {
        await using var command = Command(sql, parameters);
        try
        {
            await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && conflict is not null)
        {
            throw conflict(ex);
        }
    }

    private NpgsqlCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        if (_bulk)
        {
            command.CommandTimeout = PostgresBackendStore.BulkCommandTimeoutSeconds;
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
