namespace Ampstack.Storage.Sql;

/// <summary>
/// The row mappers, one a record, for the column lists of <see cref="SqlStatements"/> (each starts with the partition),
/// and the parameters a record writes. JSON columns keep <see cref="StoredJson"/>'s forms, so both stores hold the same text.
/// </summary>
internal static class SqlRows
{
    public static AppRecord App(DbDataReader r) =>
        new(Partition(r), r.GetString(2), r.GetString(3), r.GetInt64(4), StoredJson.ReadAdminUi(Text(r, 5)))
        {
            Hosting = StoredJson.ReadHosting(Text(r, 6)),
            Revision = r.GetInt64(7),
        };

    public static EnvironmentRecord Environment(DbDataReader r) =>
        new(Partition(r), r.GetString(2), r.GetString(3), r.GetInt64(4), StoredJson.ReadObject(r.GetString(5)));

    public static ResourceRecord Resource(DbDataReader r) => new(
        Partition(r), r.GetString(2), r.GetString(3), ResourceKinds.FromStored(r.GetString(4)), r.GetString(5),
        StoredJson.ReadObject(r.GetString(6)), StoredJson.ReadObject(r.GetString(7)), r.GetBoolean(8), Text(r, 9), r.GetInt64(10));

    public static StoredModels Models(DbDataReader r) => new(
        Partition(r), r.GetString(2), r.GetString(3), r.GetString(4), new GeneratedModels(r.GetString(5), r.GetString(6), r.GetString(7)));

    public static JobRecord Job(DbDataReader r) => new(
        Partition(r), r.GetString(2), r.GetString(4), r.GetString(3), r.GetString(5), r.GetString(6), Text(r, 7), r.GetInt64(8),
        r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10), StoredJson.ReadJobWork(r.GetString(11)),
        r.IsDBNull(12) ? null : new JobLease(r.GetString(12), r.GetInt64(13)));

    /// <summary>A row of <see cref="SqlStatements.JobSummaryColumns"/>, of the app and environment the statement named.</summary>
    public static JobSummary JobSummary(DbDataReader r, string appId, string environment) =>
        new(appId, environment, r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), r.GetInt64(4), r.GetInt64(5));

    public static TokenRecord Token(DbDataReader r) =>
        new(Partition(r), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5));

    public static BucketInfo Bucket(DbDataReader r) => new(r.GetString(0), r.GetInt64(1));

    public static (string Status, long Count) StatusCount(DbDataReader r) => (r.GetString(0), r.GetInt64(1));

    public static byte[] Bytes(DbDataReader r) => (byte[])r.GetValue(0);

    /// <summary>A number, whatever integer type the database gives it (a PRAGMA's, an aggregate's).</summary>
    public static long Number(DbDataReader r) => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);

    public static (string, object?)[] App(AppRecord app) => Keys(app.Partition, ("@app", app.AppId), ("@name", app.AppName),
        ("@created", app.CreatedAt), ("@ui", StoredJson.Write(app.AdminUi)), ("@hosting", StoredJson.Write(app.Hosting)),
        ("@revision", NewRevision()));

    /// <summary>
    /// A revision no state of the app had before (<see cref="AppRecord.Revision"/>): random, so that an app deleted and made
    /// again, or written by another node, never shows a revision an earlier state had (a clash is a 2^-64 chance).
    /// </summary>
    public static long NewRevision() => Random.Shared.NextInt64(long.MinValue, long.MaxValue);

    public static (string, object?)[] Environment(EnvironmentRecord environment) => Keys(environment.Partition,
        ("@app", environment.AppId), ("@env", environment.Name), ("@created", environment.CreatedAt),
        ("@provider", StoredJson.Write(environment.Provider)));

    public static (string, object?)[] Resource(ResourceRecord resource) => Keys(resource.Partition, ("@app", resource.AppId),
        ("@env", resource.Environment), ("@kind", resource.Kind.ToStored()), ("@name", resource.Name),
        ("@config", StoredJson.Write(resource.Config)), ("@outputs", StoredJson.Write(resource.Outputs)), ("@imported", resource.Imported),
        ("@bucket", resource.BucketName), ("@created", resource.CreatedAt));

    public static (string, object?)[] Models(Partition partition, string appId, string environment, string apiName,
        GeneratedModels models) => Keys(partition, ("@app", appId), ("@env", environment), ("@name", apiName),
        ("@hash", models.SchemaHash), ("@js", models.SchemaJs), ("@introspection", models.Introspection));

    public static (string, object?)[] Job(JobRecord job) => Keys(job.Partition,
        ("@app", job.AppId), ("@job", job.JobId), ("@env", job.Environment), ("@op", job.Operation), ("@status", job.Status),
        ("@error", job.Error), ("@created", job.CreatedAt), ("@updated", job.UpdatedAt), ("@due", job.DueAt),
        ("@work", StoredJson.Write(job.Work)), ("@owner", job.Lease?.Owner), ("@until", job.Lease?.Until));

    public static (string, object?)[] Token(TokenRecord token) => Keys(token.Partition, ("@app", token.AppId),
        ("@session", token.SessionId), ("@code", token.ChallengeCode), ("@expires", token.ExpiresAt));

    /// <summary>The parameters of a partitioned statement: <c>@a</c> (account), <c>@r</c> (region), then the others.</summary>
    public static (string, object?)[] Keys(Partition partition, params (string, object?)[] others) =>
        [("@a", partition.AccountId), ("@r", partition.Region), .. others];

    private static Partition Partition(DbDataReader r) => new(r.GetString(0), r.GetString(1));

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
