using System.Text;

namespace Ampstack.Storage.Sql;

/// <summary>
/// The statement catalogue: every statement the stores run, once, in SQL that SQLite and PostgreSQL both accept
/// (<c>@name</c> parameters, <c>ON CONFLICT</c> upserts, row values, <c>RETURNING</c>). Where they differ the dialect fills
/// in its part when the catalogue is made, so that each statement keeps one text (SQLite compiles a text once per
/// connection). A statement whose conditions vary (a filter given or not, a cursor, one account or all) has one text for
/// each form, never "@x IS NULL OR ...": each form seeks the index made for it and reads no row it does not return.
/// </summary>
public sealed class SqlStatements
{
    internal const string AppColumns = "account, region, app_id, app_name, created_at, admin_ui, hosting, revision";
    internal const string EnvironmentColumns = "account, region, app_id, name, created_at, provider";
    internal const string ResourceColumns =
        "account, region, app_id, environment, kind, name, config, outputs, imported, bucket_name, created_at";
    internal const string ModelColumns = "account, region, app_id, environment, name, schema_js, introspection, schema_hash";
    internal const string JobColumns =
        "account, region, app_id, job_id, environment, operation, status, error, created_at, updated_at, due_at, work, lease_owner, " +
        "lease_until";
    /// <summary>The columns of a job a list page shows (<see cref="SqlRows.JobSummary"/>).</summary>
    internal const string JobSummaryColumns = "job_id, operation, status, error, created_at, updated_at";
    internal const string TokenColumns = "account, region, app_id, session_id, challenge_code, expires_at";

    /// <summary>The condition on one app's rows: <c>@a</c> (account), <c>@r</c> (region) and <c>@app</c>.</summary>
    private const string OfApp = "account=@a AND region=@r AND app_id=@app";

    /// <summary>The tables whose rows belong to an account, children first: the order they are deleted in.</summary>
    private static readonly string[] AccountTables = ["api_models", "resources", "environments", "tokens", "jobs", "apps"];

    private readonly string _order;

    public SqlStatements(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        Dialect = dialect;
        _order = dialect.InsertionOrder;
        GetJobForWrite = $"{GetJob} {dialect.RowLock}".TrimEnd();
        ListEnvironments = $"SELECT {EnvironmentColumns} FROM environments WHERE {OfApp} ORDER BY created_at, {_order}";
        ListResources = $"SELECT {ResourceColumns} FROM resources WHERE {OfApp} AND environment=@env ORDER BY created_at, {_order}";
        ClaimDueJobs = $"""
            UPDATE jobs SET lease_owner=@owner, lease_until=@until
            WHERE (account, region, app_id, job_id) IN (
                SELECT account, region, app_id, job_id FROM jobs
                WHERE status='RUNNING' AND due_at IS NOT NULL AND due_at <= @now
                  AND (lease_owner IS NULL OR lease_owner=@owner OR lease_until <= @now)
                ORDER BY due_at LIMIT @limit {dialect.ClaimLock})
            RETURNING {JobColumns}
            """;
    }

    public SqlDialect Dialect { get; }

    public string GetApp { get; } = $"SELECT {AppColumns} FROM apps WHERE {OfApp}";

    /// <summary>The partition's apps by id, after <c>@after</c>: a walk of the primary key.</summary>
    public string ListApps { get; } =
        $"SELECT {AppColumns} FROM apps WHERE account=@a AND region=@r AND app_id > @after ORDER BY app_id LIMIT @limit";

    public string PutApp { get; } = $"""
        INSERT INTO apps ({AppColumns}) VALUES (@a, @r, @app, @name, @created, @ui, @hosting, @revision)
        ON CONFLICT (account, region, app_id) DO UPDATE
        SET app_name=excluded.app_name, admin_ui=excluded.admin_ui, hosting=excluded.hosting, revision=excluded.revision
        """;

    public string GetAppRevision { get; } = $"SELECT revision FROM apps WHERE {OfApp}";

    /// <summary>A new revision of the app (<see cref="AppRecord.Revision"/>), after a write of what belongs to it.</summary>
    public string TouchApp { get; } = $"UPDATE apps SET revision=@revision WHERE {OfApp}";

    /// <summary>An app and what belongs to it, children first; its jobs stay as history.</summary>
    public IReadOnlyList<string> DeleteApp { get; } =
        [.. new[] { "api_models", "resources", "environments", "tokens", "apps" }.Select(t => $"DELETE FROM {t} WHERE {OfApp}")];

    public string ListEnvironments { get; }

    public string GetEnvironment { get; } = $"SELECT {EnvironmentColumns} FROM environments WHERE {OfApp} AND name=@env";

    public string InsertEnvironment { get; } =
        $"INSERT INTO environments ({EnvironmentColumns}) VALUES (@a, @r, @app, @env, @created, @provider)";

    public string UpdateEnvironmentProvider { get; } =
        $"UPDATE environments SET provider=@provider WHERE {OfApp} AND name=@env";

    /// <summary>An environment and its resources with their models, children first.</summary>
    public IReadOnlyList<string> DeleteEnvironment { get; } =
    [
        $"DELETE FROM api_models WHERE {OfApp} AND environment=@env",
        $"DELETE FROM resources WHERE {OfApp} AND environment=@env",
        $"DELETE FROM environments WHERE {OfApp} AND name=@env",
    ];

    public string ListResources { get; }

    public string GetResource { get; } =
        $"SELECT {ResourceColumns} FROM resources WHERE {OfApp} AND environment=@env AND kind=@kind AND name=@name";

    public string PutResource { get; } = $"""
        INSERT INTO resources ({ResourceColumns})
        VALUES (@a, @r, @app, @env, @kind, @name, @config, @outputs, @imported, @bucket, @created)
        ON CONFLICT (account, region, app_id, environment, kind, name) DO UPDATE SET config=excluded.config,
            outputs=excluded.outputs, imported=excluded.imported, bucket_name=excluded.bucket_name
        """;

    public string DeleteResource { get; } = $"DELETE FROM resources WHERE {OfApp} AND environment=@env AND kind=@kind AND name=@name";

    public string GetModels { get; } = $"SELECT {ModelColumns} FROM api_models WHERE {OfApp} AND environment=@env AND name=@name";

    public string DeleteModels { get; } = $"DELETE FROM api_models WHERE {OfApp} AND environment=@env AND name=@name";

    public string PutModels { get; } = $"""
        INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
        VALUES (@a, @r, @app, @env, @name, @hash, @js, @introspection)
        ON CONFLICT (account, region, app_id, environment, name) DO UPDATE SET schema_hash=excluded.schema_hash,
            schema_js=excluded.schema_js, introspection=excluded.introspection
        """;

    /// <summary>One environment's models copied to the same-named APIs of another (its WHERE keeps SQLite's upsert apart).</summary>
    public string CopyModels { get; } = $"""
        INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
        SELECT account, region, app_id, @to, name, schema_hash, schema_js, introspection FROM api_models
        WHERE {OfApp} AND environment=@from
        ON CONFLICT (account, region, app_id, environment, name) DO UPDATE SET schema_hash=excluded.schema_hash,
            schema_js=excluded.schema_js, introspection=excluded.introspection
        """;

    public string GetJob { get; } = $"SELECT {JobColumns} FROM jobs WHERE {OfApp} AND job_id=@job";

    /// <summary><see cref="GetJob"/> locking the row, where the dialect has row locks (a write that may write it back).</summary>
    public string GetJobForWrite { get; }

    /// <summary>The app's RUNNING jobs.</summary>
    public string ListPendingJobs { get; } =
        $"SELECT {JobColumns} FROM jobs WHERE {OfApp} AND status='RUNNING' ORDER BY created_at, job_id";

    /// <summary>The environment's RUNNING job (at most one: jobs_one_pending).</summary>
    public string ListPendingJobsOf { get; } =
        $"SELECT {JobColumns} FROM jobs WHERE {OfApp} AND environment=@env AND status='RUNNING' ORDER BY created_at, job_id";

    public string InsertJob { get; } = $"""
        INSERT INTO jobs ({JobColumns})
        VALUES (@a, @r, @app, @job, @env, @op, @status, @error, @created, @updated, @due, @work, @owner, @until)
        """;

    public string UpdateJob { get; } = $"""
        UPDATE jobs SET environment=@env, operation=@op, status=@status, error=@error, created_at=@created, updated_at=@updated,
            due_at=@due, work=@work, lease_owner=@owner, lease_until=@until
        WHERE {OfApp} AND job_id=@job
        """;

    /// <summary>
    /// The claim of due jobs: the due RUNNING jobs whose lease is absent, expired or the claimant's, earliest due first,
    /// leased to the claimant; the rows chosen are found by their primary key (a row value).
    /// </summary>
    public string ClaimDueJobs { get; }

    public string GetToken { get; } = $"SELECT {TokenColumns} FROM tokens WHERE {OfApp} AND session_id=@session";

    public string InsertToken { get; } = $"INSERT INTO tokens ({TokenColumns}) VALUES (@a, @r, @app, @session, @code, @expires)";

    public string DeleteToken { get; } = $"DELETE FROM tokens WHERE {OfApp} AND session_id=@session";

    public string GetSecret { get; } = "SELECT value FROM secrets WHERE name=@name";

    /// <summary>A new secret, unless another writer made one of the name first (then that one stays).</summary>
    public string InsertSecret { get; } = "INSERT INTO secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING";

    public string CountJobsByStatus { get; } = "SELECT status, count(*) FROM jobs GROUP BY status";

    /// <summary>ListBuckets's statement: a walk of resources_by_bucket in name order, from a seek past the cursor if any.</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) ListBuckets(Partition partition, string? afterName,
        int limit) =>
    (
        $"""
        SELECT bucket_name, MIN(created_at) FROM resources
        WHERE account=@a AND region=@r AND bucket_name IS NOT NULL{(afterName is null ? "" : " AND bucket_name > @after")}
        GROUP BY bucket_name ORDER BY bucket_name LIMIT @limit
        """,
        afterName is null ? SqlRows.Keys(partition, ("@limit", limit)) : SqlRows.Keys(partition, ("@limit", limit), ("@after", afterName))
    );

    /// <summary>
    /// ListJobs's statement for one form: each filter given, and the cursor, is a plain condition, so each form seeks the
    /// index made for it (migration 5); the cursor is a row-value seek. A jobId filter is a primary-key lookup.
    /// </summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) ListJobs(Partition partition, string appId,
        string environment, JobFilter filter, JobCursor? after, int limit)
    {
        var sql = new StringBuilder($"SELECT {JobSummaryColumns} FROM jobs WHERE {OfApp} AND environment=@env");
        var parameters = new List<(string, object?)>(SqlRows.Keys(partition, ("@app", appId), ("@env", environment), ("@limit", limit)));
        void Condition(string condition, params (string, object?)[] values)
        {
            sql.Append(" AND ").Append(condition);
            parameters.AddRange(values);
        }

        if (filter.JobId is not null)
        {
            Condition("job_id=@job", ("@job", filter.JobId));
        }

        if (filter.Operation is not null)
        {
            Condition("operation=@op", ("@op", filter.Operation));
        }

        if (filter.Status is not null)
        {
            Condition("status=@status", ("@status", filter.Status));
        }

        if (after is not null)
        {
            Condition("(created_at, job_id) > (@afterTime, @afterJob)", ("@afterTime", after.CreatedAt), ("@afterJob", after.JobId));
        }

        sql.Append(" ORDER BY created_at, job_id LIMIT @limit");
        return (sql.ToString(), [.. parameters]);
    }

    /// <summary>
    /// The condition of a statement on one account's rows (every row when null): a seek on the account, the first column of
    /// every table's key, where "@acct IS NULL OR account=@acct" would read every row of every account.
    /// </summary>
    internal static string AccountScope(string? accountId) => accountId is null ? "1=1" : "account=@acct";

    /// <summary>The parameters of <see cref="AccountScope"/>.</summary>
    internal static (string Name, object? Value)[] AccountParameters(string? accountId) =>
        accountId is null ? [] : [("@acct", accountId)];

    /// <summary>The statements of an export of one account (every account when null), each list in its own list's order.</summary>
    internal (string Apps, string Environments, string Resources, string Models, string Jobs, string Tokens) Export(string? accountId)
    {
        var of = AccountScope(accountId);
        return (
            $"SELECT {AppColumns} FROM apps WHERE {of} ORDER BY account, region, app_id",
            $"SELECT {EnvironmentColumns} FROM environments WHERE {of} ORDER BY account, region, app_id, created_at, {_order}",
            $"SELECT {ResourceColumns} FROM resources WHERE {of} ORDER BY account, region, app_id, environment, created_at, {_order}",
            $"SELECT {ModelColumns} FROM api_models WHERE {of} ORDER BY account, region, app_id, environment, name",
            $"SELECT {JobColumns} FROM jobs WHERE {of} ORDER BY account, region, app_id, environment, created_at, job_id",
            $"SELECT {TokenColumns} FROM tokens WHERE {of} ORDER BY account, region, app_id, session_id");
    }

    /// <summary>Whether a table holds a row of <c>@acct</c>: one statement a table, each a seek on the account.</summary>
    internal static IReadOnlyList<string> AnyOfAccount { get; } =
        [.. AccountTables.Select(table => $"SELECT 1 FROM {table} WHERE account=@acct LIMIT 1")];

    /// <summary>The statements that delete one account's records (every account's when null), children first.</summary>
    internal static IEnumerable<string> DeleteAll(string? accountId) =>
        AccountTables.Select(table => $"DELETE FROM {table} WHERE {AccountScope(accountId)}");
}
