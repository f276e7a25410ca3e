using System.Security.Cryptography;
using System.Text;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;
using Microsoft.Data.Sqlite;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// The store's operations as SQL, inside the transaction a <see cref="SqliteSession"/> has open. Synchronous: SQLite
/// answers from the process itself (<see cref="SqliteStoreTransaction"/> offers them through the asynchronous port).
/// </summary>
internal sealed class SqliteStatements(SqliteSession session)
{
    private const string JobColumns =
        "account, region, app_id, job_id, environment, operation, status, error, created_at, updated_at, due_at, work, lease_owner, " +
        "lease_until";
    private const string ResourceColumns =
        "account, region, app_id, environment, kind, name, config, outputs, imported, bucket_name, created_at";

    public AppRecord? GetApp(Partition partition, string appId) =>
        Query("SELECT app_id, app_name, created_at, admin_ui, hosting FROM apps WHERE account=$a AND region=$r AND app_id=$app",
            r => ReadApp(partition, r), Keys(partition), ("$app", appId)).FirstOrDefault();

    /// <summary>The partition's apps by id, after <paramref name="afterAppId"/>: a walk of the primary key.</summary>
    public IReadOnlyList<AppRecord> ListApps(Partition partition, string? afterAppId, int limit) =>
        Query("""
            SELECT app_id, app_name, created_at, admin_ui, hosting FROM apps
            WHERE account=$a AND region=$r AND app_id > $after ORDER BY app_id LIMIT $limit
            """,
            r => ReadApp(partition, r), Keys(partition), ("$after", afterAppId ?? ""), ("$limit", limit));

    private static AppRecord ReadApp(Partition partition, SqliteDataReader r) =>
        new(partition, r.GetString(0), r.GetString(1), r.GetInt64(2), StoredJson.ReadAdminUi(NullableString(r, 3)))
        {
            Hosting = StoredJson.ReadHosting(NullableString(r, 4)),
        };

    public void PutApp(AppRecord app) =>
        Execute("""
            INSERT INTO apps (account, region, app_id, app_name, created_at, admin_ui, hosting)
            VALUES ($a, $r, $app, $name, $created, $ui, $hosting)
            ON CONFLICT (account, region, app_id) DO UPDATE
            SET app_name=excluded.app_name, admin_ui=excluded.admin_ui, hosting=excluded.hosting
            """,
            Keys(app.Partition), ("$app", app.AppId), ("$name", app.AppName), ("$created", app.CreatedAt),
            ("$ui", StoredJson.Write(app.AdminUi)), ("$hosting", StoredJson.Write(app.Hosting)));

    public void DeleteApp(Partition partition, string appId)
    {
        foreach (var table in new[] { "api_models", "resources", "environments", "tokens", "apps" })
        {
            Execute($"DELETE FROM {table} WHERE account=$a AND region=$r AND app_id=$app", Keys(partition), ("$app", appId));
        }
    }

    public IReadOnlyList<EnvironmentRecord> ListEnvironments(Partition partition, string appId) =>
        Query("""
            SELECT name, created_at, provider FROM environments WHERE account=$a AND region=$r AND app_id=$app
            ORDER BY created_at, rowid
            """,
            r => new EnvironmentRecord(partition, appId, r.GetString(0), r.GetInt64(1), StoredJson.ReadObject(r.GetString(2))),
            Keys(partition), ("$app", appId));

    public EnvironmentRecord? GetEnvironment(Partition partition, string appId, string name) =>
        Query("SELECT name, created_at, provider FROM environments WHERE account=$a AND region=$r AND app_id=$app AND name=$env",
            r => new EnvironmentRecord(partition, appId, r.GetString(0), r.GetInt64(1), StoredJson.ReadObject(r.GetString(2))),
            Keys(partition), ("$app", appId), ("$env", name)).FirstOrDefault();

    public void InsertEnvironment(EnvironmentRecord environment) =>
        Execute("""
            INSERT INTO environments (account, region, app_id, name, created_at, provider)
            VALUES ($a, $r, $app, $env, $created, $provider)
            """,
            Keys(environment.Partition), ("$app", environment.AppId), ("$env", environment.Name), ("$created", environment.CreatedAt),
            ("$provider", StoredJson.Write(environment.Provider)));

    public void DeleteEnvironment(Partition partition, string appId, string name)
    {
        Execute("DELETE FROM api_models WHERE account=$a AND region=$r AND app_id=$app AND environment=$env",
            Keys(partition), ("$app", appId), ("$env", name));
        Execute("DELETE FROM resources WHERE account=$a AND region=$r AND app_id=$app AND environment=$env",
            Keys(partition), ("$app", appId), ("$env", name));
        Execute("DELETE FROM environments WHERE account=$a AND region=$r AND app_id=$app AND name=$env",
            Keys(partition), ("$app", appId), ("$env", name));
    }

    public IReadOnlyList<ResourceRecord> ListResources(Partition partition, string appId, string environment) =>
        Query($"""
            SELECT {ResourceColumns} FROM resources WHERE account=$a AND region=$r AND app_id=$app AND environment=$env
            ORDER BY created_at, rowid
            """,
            ReadResource, Keys(partition), ("$app", appId), ("$env", environment));

    public ResourceRecord? GetResource(Partition partition, string appId, string environment, ResourceKind kind, string name) =>
        Query($"""
            SELECT {ResourceColumns} FROM resources
            WHERE account=$a AND region=$r AND app_id=$app AND environment=$env AND kind=$kind AND name=$name
            """,
            ReadResource, Keys(partition), ("$app", appId), ("$env", environment), ("$kind", kind.ToStored()),
            ("$name", name)).FirstOrDefault();

    public void PutResource(ResourceRecord resource) =>
        Execute($"""
            INSERT INTO resources ({ResourceColumns})
            VALUES ($a, $r, $app, $env, $kind, $name, $config, $outputs, $imported, $bucket, $created)
            ON CONFLICT (account, region, app_id, environment, kind, name) DO UPDATE SET config=excluded.config, outputs=excluded.outputs,
                imported=excluded.imported, bucket_name=excluded.bucket_name
            """,
            Keys(resource.Partition), ("$app", resource.AppId), ("$env", resource.Environment), ("$kind", resource.Kind.ToStored()),
            ("$name", resource.Name), ("$config", StoredJson.Write(resource.Config)), ("$outputs", StoredJson.Write(resource.Outputs)),
            ("$imported", resource.Imported ? 1 : 0), ("$bucket", resource.BucketName), ("$created", resource.CreatedAt));

    public void DeleteResource(Partition partition, string appId, string environment, ResourceKind kind, string name)
    {
        if (kind == ResourceKind.Api)
        {
            Execute("DELETE FROM api_models WHERE account=$a AND region=$r AND app_id=$app AND environment=$env AND name=$name",
                Keys(partition), ("$app", appId), ("$env", environment), ("$name", name));
        }

        Execute("DELETE FROM resources WHERE account=$a AND region=$r AND app_id=$app AND environment=$env AND kind=$kind AND name=$name",
            Keys(partition), ("$app", appId), ("$env", environment), ("$kind", kind.ToStored()), ("$name", name));
    }

    public GeneratedModels? GetModels(Partition partition, string appId, string environment, string apiName) =>
        Query("""
            SELECT schema_js, introspection, schema_hash FROM api_models
            WHERE account=$a AND region=$r AND app_id=$app AND environment=$env AND name=$name
            """,
            r => new GeneratedModels(r.GetString(0), r.GetString(1), r.GetString(2)),
            Keys(partition), ("$app", appId), ("$env", environment), ("$name", apiName)).FirstOrDefault();

    public void PutModels(Partition partition, string appId, string environment, string apiName, GeneratedModels models) =>
        Execute("""
            INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
            VALUES ($a, $r, $app, $env, $name, $hash, $js, $introspection)
            ON CONFLICT (account, region, app_id, environment, name) DO UPDATE SET schema_hash=excluded.schema_hash,
                schema_js=excluded.schema_js, introspection=excluded.introspection
            """,
            Keys(partition), ("$app", appId), ("$env", environment), ("$name", apiName), ("$hash", models.SchemaHash),
            ("$js", models.SchemaJs), ("$introspection", models.Introspection));

    public void CopyModels(Partition partition, string appId, string fromEnvironment, string toEnvironment) =>
        Execute("""
            INSERT OR REPLACE INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
            SELECT account, region, app_id, $to, name, schema_hash, schema_js, introspection FROM api_models
            WHERE account=$a AND region=$r AND app_id=$app AND environment=$from
            """,
            Keys(partition), ("$app", appId), ("$from", fromEnvironment), ("$to", toEnvironment));

    public IReadOnlyList<BucketInfo> ListBuckets(Partition partition, string? afterName, int limit)
    {
        var (sql, parameters) = ListBucketsStatement(partition, afterName, limit);
        return QueryCore(sql, r => new BucketInfo(r.GetString(0), r.GetInt64(1)), parameters);
    }

    /// <summary>ListBuckets's statement: a walk of resources_by_bucket in name order, from a seek past the cursor if any.</summary>
    internal static (string Sql, (string, object?)[] Parameters) ListBucketsStatement(Partition partition, string? afterName, int limit) =>
    (
        $"""
        SELECT bucket_name, MIN(created_at) FROM resources
        WHERE account=$a AND region=$r AND bucket_name IS NOT NULL{(afterName is null ? "" : " AND bucket_name > $after")}
        GROUP BY bucket_name ORDER BY bucket_name LIMIT $limit
        """,
        afterName is null ? [.. Keys(partition), ("$limit", limit)] : [.. Keys(partition), ("$limit", limit), ("$after", afterName)]
    );

    public JobRecord? GetJob(Partition partition, string appId, string jobId) =>
        Query($"SELECT {JobColumns} FROM jobs WHERE account=$a AND region=$r AND app_id=$app AND job_id=$job",
            ReadJob, Keys(partition), ("$app", appId), ("$job", jobId)).FirstOrDefault();

    public IReadOnlyList<JobRecord> ListPendingJobs(Partition partition, string appId, string? environment) =>
        Query($"""
            SELECT {JobColumns} FROM jobs
            WHERE account=$a AND region=$r AND app_id=$app AND status='RUNNING' AND ($env IS NULL OR environment=$env)
            ORDER BY created_at, job_id
            """,
            ReadJob, Keys(partition), ("$app", appId), ("$env", environment));

    public void InsertJob(JobRecord job) =>
        Execute($"""
            INSERT INTO jobs ({JobColumns})
            VALUES ($a, $r, $app, $job, $env, $op, $status, $error, $created, $updated, $due, $work, $owner, $until)
            """, JobParameters(job));

    public void UpdateJob(JobRecord job) =>
        Execute("""
            UPDATE jobs SET environment=$env, operation=$op, status=$status, error=$error, created_at=$created, updated_at=$updated,
                due_at=$due, work=$work, lease_owner=$owner, lease_until=$until
            WHERE account=$a AND region=$r AND app_id=$app AND job_id=$job
            """, JobParameters(job));

    public IReadOnlyList<JobRecord> ListJobs(Partition partition, string appId, string environment, JobFilter filter,
        JobCursor? after, int limit)
    {
        var (sql, parameters) = ListJobsStatement(partition, appId, environment, filter, after, limit);
        return QueryCore(sql, ReadJob, parameters);
    }

    /// <summary>
    /// ListJobs's statement for one form: each filter given, and the cursor, is a plain condition (never "$x IS NULL OR ..."),
    /// so each form seeks the index made for it (migration 5) and reads no row it does not return; the cursor is a row-value
    /// seek. A jobId filter is a primary-key lookup.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) ListJobsStatement(Partition partition, string appId,
        string environment, JobFilter filter, JobCursor? after, int limit)
    {
        var sql = new StringBuilder($"SELECT {JobColumns} FROM jobs WHERE account=$a AND region=$r AND app_id=$app AND environment=$env");
        var parameters = new List<(string, object?)>(Keys(partition)) { ("$app", appId), ("$env", environment), ("$limit", limit) };
        void Condition(string condition, params (string, object?)[] values)
        {
            sql.Append(" AND ").Append(condition);
            parameters.AddRange(values);
        }

        if (filter.JobId is not null)
        {
            Condition("job_id=$job", ("$job", filter.JobId));
        }

        if (filter.Operation is not null)
        {
            Condition("operation=$op", ("$op", filter.Operation));
        }

        if (filter.Status is not null)
        {
            Condition("status=$status", ("$status", filter.Status));
        }

        if (after is not null)
        {
            Condition("(created_at, job_id) > ($afterTime, $afterJob)", ("$afterTime", after.CreatedAt), ("$afterJob", after.JobId));
        }

        sql.Append(" ORDER BY created_at, job_id LIMIT $limit");
        return (sql.ToString(), [.. parameters]);
    }

    /// <summary>The claim of <see cref="Domain.Storage.IBackendStore.ClaimDueJobsAsync"/>, in the caller's write transaction.</summary>
    public IReadOnlyList<JobRecord> ClaimDueJobs(JobClaim claim) =>
        [
            .. Query($"""
                UPDATE jobs SET lease_owner=$owner, lease_until=$until
                WHERE rowid IN (
                    SELECT rowid FROM jobs
                    WHERE status='RUNNING' AND due_at IS NOT NULL AND due_at <= $now
                      AND (lease_owner IS NULL OR lease_owner=$owner OR lease_until <= $now)
                    ORDER BY due_at LIMIT $limit)
                RETURNING {JobColumns}
                """,
                ReadJob, ("$owner", claim.Owner), ("$until", claim.LeaseUntil), ("$now", claim.Now), ("$limit", claim.Limit))
                .OrderBy(job => job.DueAt),
        ];

    public TokenRecord? GetToken(Partition partition, string appId, string sessionId) =>
        Query("SELECT challenge_code, expires_at FROM tokens WHERE account=$a AND region=$r AND app_id=$app AND session_id=$session",
            r => new TokenRecord(partition, appId, sessionId, r.GetString(0), r.GetInt64(1)),
            Keys(partition), ("$app", appId), ("$session", sessionId)).FirstOrDefault();

    public void InsertToken(TokenRecord token) =>
        Execute("""
            INSERT INTO tokens (account, region, app_id, session_id, challenge_code, expires_at)
            VALUES ($a, $r, $app, $session, $code, $expires)
            """,
            Keys(token.Partition), ("$app", token.AppId), ("$session", token.SessionId), ("$code", token.ChallengeCode),
            ("$expires", token.ExpiresAt));

    public void DeleteToken(Partition partition, string appId, string sessionId) =>
        Execute("DELETE FROM tokens WHERE account=$a AND region=$r AND app_id=$app AND session_id=$session",
            Keys(partition), ("$app", appId), ("$session", sessionId));

    public byte[]? GetSecret(string name) =>
        Query("SELECT value FROM secrets WHERE name=$name", r => (byte[])r.GetValue(0), ("$name", name)).FirstOrDefault();

    public byte[] GetOrCreateSecret(string name)
    {
        var existing = GetSecret(name);
        if (existing is not null)
        {
            return existing;
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        Execute("INSERT INTO secrets (name, value) VALUES ($name, $value) ON CONFLICT (name) DO NOTHING",
            ("$name", name), ("$value", secret));
        return GetSecret(name) ?? secret;
    }

    /// <summary>Every record of <paramref name="accountId"/> (all when null), each list in the order its own list reads it.</summary>
    public StoreContents Export(string? accountId)
    {
        var of = AccountScope(accountId);
        var account = AccountParameters(accountId);
        return new StoreContents(
            Query($"""
                SELECT account, region, app_id, app_name, created_at, admin_ui, hosting FROM apps WHERE {of}
                ORDER BY account, region, app_id
                """,
                r => new AppRecord(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt64(4),
                    StoredJson.ReadAdminUi(NullableString(r, 5)))
                {
                    Hosting = StoredJson.ReadHosting(NullableString(r, 6)),
                }, account),
            Query($"""
                SELECT account, region, app_id, name, created_at, provider FROM environments WHERE {of}
                ORDER BY account, region, app_id, created_at, rowid
                """,
                r => new EnvironmentRecord(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt64(4),
                    StoredJson.ReadObject(r.GetString(5))), account),
            Query($"SELECT {ResourceColumns} FROM resources WHERE {of} ORDER BY account, region, app_id, environment, created_at, rowid",
                ReadResource, account),
            Query($"""
                SELECT account, region, app_id, environment, name, schema_js, introspection, schema_hash FROM api_models WHERE {of}
                ORDER BY account, region, app_id, environment, name
                """,
                r => new StoredModels(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4),
                    new GeneratedModels(r.GetString(5), r.GetString(6), r.GetString(7))), account),
            Query($"SELECT {JobColumns} FROM jobs WHERE {of} ORDER BY account, region, app_id, environment, created_at, job_id",
                ReadJob, account),
            Query($"""
                SELECT account, region, app_id, session_id, challenge_code, expires_at FROM tokens WHERE {of}
                ORDER BY account, region, app_id, session_id
                """,
                r => new TokenRecord(new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4),
                    r.GetInt64(5)), account));
    }

    public void DeleteAll(string? accountId)
    {
        foreach (var table in new[] { "api_models", "resources", "environments", "tokens", "jobs", "apps" })
        {
            Execute($"DELETE FROM {table} WHERE {AccountScope(accountId)}", AccountParameters(accountId));
        }
    }

    /// <summary>
    /// The condition of a statement on one account's rows (every row when null): a seek on the account, the first column of
    /// every table's key, where "$acct IS NULL OR account=$acct" would read every row of every account.
    /// </summary>
    internal static string AccountScope(string? accountId) => accountId is null ? "1=1" : "account=$acct";

    private static (string, object?)[] AccountParameters(string? accountId) => accountId is null ? [] : [("$acct", accountId)];

    /// <summary>The schema version and the bytes of the database's pages.</summary>
    public (int SchemaVersion, long DatabaseBytes) Status() =>
    (
        (int)Query("PRAGMA user_version", r => r.GetInt64(0))[0],
        Query("PRAGMA page_count", r => r.GetInt64(0))[0] * Query("PRAGMA page_size", r => r.GetInt64(0))[0]
    );

    public IReadOnlyDictionary<string, long> CountJobsByStatus() =>
        Query("SELECT status, count(*) FROM jobs GROUP BY status", r => (r.GetString(0), r.GetInt64(1)))
            .ToDictionary(c => c.Item1, c => c.Item2);

    private static ResourceRecord ReadResource(SqliteDataReader r) => new(
        new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), ResourceKinds.FromStored(r.GetString(4)),
        r.GetString(5), StoredJson.ReadObject(r.GetString(6)), StoredJson.ReadObject(r.GetString(7)), r.GetInt64(8) != 0,
        NullableString(r, 9), r.GetInt64(10));

    private static JobRecord ReadJob(SqliteDataReader r) => new(
        new Partition(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(4), r.GetString(3), r.GetString(5), r.GetString(6),
        NullableString(r, 7), r.GetInt64(8), r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10),
        StoredJson.ReadJobWork(r.GetString(11)), r.IsDBNull(12) ? null : new JobLease(r.GetString(12), r.GetInt64(13)));

    private static (string, object?)[] JobParameters(JobRecord job) =>
    [
        ("$a", job.Partition.AccountId), ("$r", job.Partition.Region), ("$app", job.AppId), ("$job", job.JobId), ("$env", job.Environment),
        ("$op", job.Operation), ("$status", job.Status), ("$error", job.Error), ("$created", job.CreatedAt), ("$updated", job.UpdatedAt),
        ("$due", job.DueAt), ("$work", StoredJson.Write(job.Work)), ("$owner", job.Lease?.Owner), ("$until", job.Lease?.Until),
    ];

    private static string? NullableString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    /// <summary>The parameters every partitioned statement starts with: <c>$a</c> (account) and <c>$r</c> (region).</summary>
    private static (string, object?)[] Keys(Partition partition) => [("$a", partition.AccountId), ("$r", partition.Region)];

    private static (string, object?)[] Concat((string, object?)[] head, (string, object?)[] tail) => [.. head, .. tail];

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, (string, object?)[] partition,
        params (string, object?)[] parameters) =>
        QueryCore(sql, map, Concat(partition, parameters));

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string, object?)[] parameters) =>
        QueryCore(sql, map, parameters);

    private void Execute(string sql, (string, object?)[] partition, params (string, object?)[] parameters) =>
        ExecuteCore(sql, Concat(partition, parameters));

    private void Execute(string sql, params (string, object?)[] parameters) => ExecuteCore(sql, parameters);

    private List<T> QueryCore<T>(string sql, Func<SqliteDataReader, T> map, (string, object?)[] parameters)
    {
        using var reader = Command(sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private void ExecuteCore(string sql, (string, object?)[] parameters) => Command(sql, parameters).ExecuteNonQuery();

    /// <summary>The session's command for <paramref name="sql"/> (compiled once per connection), bound to these parameters.</summary>
    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = session.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
