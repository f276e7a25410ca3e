using System.Text.Json.Nodes;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Storage.Tests;

/// <summary>
/// How a store reads a list: every form ListBackendJobs and ListS3Buckets can send (each filter, with and without a
/// cursor) returns what its filters select, and its plan seeks an index that yields rows in list order, so a page costs the
/// same at a thousand rows as at a million. The plans are read after seeding rows the way a long-lived store holds them.
/// </summary>
public abstract partial class StoreContract
{
    private static readonly string[] Operations =
        ["CreateBackend", "CloneBackend", "UpdateBackendAuth", "CreateBackendAPI", "GenerateBackendAPIModels", "RemoveAllBackends"];

    /// <summary>How a store's planner runs a statement.</summary>
    /// <param name="Index">The index it seeks: its name, or "primary key"; null when it uses none.</param>
    /// <param name="Scans">It reads a whole table or a whole index.</param>
    /// <param name="Sorts">It sorts the rows it found (so it must find all of them before the first is returned).</param>
    /// <param name="Detail">The plan as the store prints it, for the failure message.</param>
    protected sealed record QueryPlan(string? Index, bool Scans, bool Sorts, string Detail);

    /// <summary>The plan of the store's ListJobs statement for this form, on the rows the store holds.</summary>
    protected abstract Task<QueryPlan> ExplainListJobsAsync(string environment, JobFilter filter, JobCursor? after);

    /// <summary>The plan of the store's ListBuckets statement, from the start or after <paramref name="afterName"/>.</summary>
    protected abstract Task<QueryPlan> ExplainListBucketsAsync(string? afterName);

    /// <summary>
    /// The plan of a read of one account's rows of <paramref name="table"/>, on the condition the store's account-wide
    /// statements (a snapshot's export, the emptiness check of its import, a reset) use.
    /// </summary>
    protected abstract Task<QueryPlan> ExplainAccountScopedAsync(string table, string accountId);

    /// <summary>
    /// Jobs of three environments: mostly completed, some failed, each environment's last one running; the operations taking
    /// turns; times that repeat, so the cursor's tie-break on jobId matters.
    /// </summary>
    private async Task<List<JobRecord>> SeedJobsAsync(int perEnvironment)
    {
        var jobs = new List<JobRecord>();
        foreach (var environment in new[] { "dev", "prod", "test" })
        {
            for (var i = 0; i < perEnvironment; i++)
            {
                var status = i == perEnvironment - 1 ? JobStatus.Running : i % 10 == 3 ? JobStatus.Failed : JobStatus.Completed;
                jobs.Add(new JobRecord(P, "app", environment, $"{environment}-{i % 7}-{i:D5}", Operations[i % Operations.Length],
                    status, null, 1000 + (i / 3), 1000 + (i / 3), null, JobWork.None));
            }
        }

        await WriteAsync(async tx =>
        {
            foreach (var job in jobs)
            {
                await tx.InsertJobAsync(job);
            }
        });
        return jobs;
    }

    /// <summary>Every form of the list: no filter, each filter alone, each pair, all three; each with and without a cursor.</summary>
    private static IEnumerable<(JobFilter Filter, JobCursor? After)> ListForms(string jobId, JobCursor cursor)
    {
        foreach (var id in new[] { null, jobId })
        {
            foreach (var operation in new[] { null, "UpdateBackendAuth" })
            {
                foreach (var status in new[] { null, JobStatus.Failed })
                {
                    yield return (new JobFilter(id, operation, status), null);
                    yield return (new JobFilter(id, operation, status), cursor);
                }
            }
        }
    }

    [Fact]
    public async Task Every_job_list_form_returns_what_its_filters_select_in_list_order()
    {
        var jobs = await SeedJobsAsync(300);
        var dev = jobs.Where(j => j.Environment == "dev").OrderBy(j => j.CreatedAt).ThenBy(j => j.JobId, StringComparer.Ordinal).ToList();
        var middle = dev[150];
        foreach (var (filter, after) in ListForms(dev[99].JobId, new JobCursor(middle.CreatedAt, middle.JobId))
                     .Append((new JobFilter(null, null, JobStatus.Running), null))
                     .Append((new JobFilter("prod-0-00000", null, null), null)))
        {
            var expected = dev
                .Where(j => (filter.JobId ?? j.JobId) == j.JobId && (filter.Operation ?? j.Operation) == j.Operation)
                .Where(j => (filter.Status ?? j.Status) == j.Status)
                .Where(j => after is null || j.CreatedAt > after.CreatedAt ||
                            (j.CreatedAt == after.CreatedAt && string.CompareOrdinal(j.JobId, after.JobId) > 0))
                .Take(26).Select(JobSummary.Of).ToList();
            var listed = await Store.ReadAsync(P, tx => tx.ListJobsAsync("app", "dev", filter, after, 26), default);
            Assert.True(expected.SequenceEqual(listed), $"{filter} after {after}: {listed.Count} listed, {expected.Count} expected");
        }

        // Paging by cursor through one filter visits each of its jobs once, in order.
        var failed = new List<JobSummary>();
        JobCursor? cursor = null;
        while (true)
        {
            var after = cursor;
            var page = await Store.ReadAsync(P, tx => tx.ListJobsAsync("app", "dev", new JobFilter(null, null, JobStatus.Failed), after, 7),
                default);
            failed.AddRange(page);
            if (page.Count < 7)
            {
                break;
            }

            cursor = new JobCursor(page[^1].CreatedAt, page[^1].JobId);
        }

        Assert.Equal(dev.Where(j => j.Status == JobStatus.Failed).Select(JobSummary.Of), failed);
    }

    [Fact]
    public async Task Every_job_list_form_seeks_an_index_that_yields_list_order()
    {
        var jobs = await SeedJobsAsync(2000);
        var middle = jobs.Where(j => j.Environment == "dev").OrderBy(j => j.CreatedAt).ThenBy(j => j.JobId, StringComparer.Ordinal)
            .ElementAt(1000);
        foreach (var (filter, after) in ListForms(middle.JobId, new JobCursor(middle.CreatedAt, middle.JobId)))
        {
            var plan = await ExplainListJobsAsync("dev", filter, after);
            var expected = (filter.JobId, filter.Operation, filter.Status) switch
            {
                (not null, _, _) => "primary key",
                (null, not null, not null) => "jobs_by_operation_status",
                (null, not null, null) => "jobs_by_operation",
                (null, null, not null) => "jobs_by_status",
                _ => "jobs_by_environment",
            };
            var form = $"{filter} after {after}";
            Assert.True(expected == plan.Index && !plan.Scans, $"{form}: expected a seek of {expected}, got\n{plan.Detail}");

            // A jobId filter finds at most one row, which needs no index order; every other form must not sort.
            Assert.True(filter.JobId is not null || !plan.Sorts, $"{form} sorts:\n{plan.Detail}");
        }
    }

    [Fact]
    public async Task The_bucket_list_seeks_its_index_from_the_start_and_after_a_cursor()
    {
        await WriteAsync(async tx =>
        {
            for (var i = 0; i < 500; i++)
            {
                await tx.PutResourceAsync(new ResourceRecord(P, "app", $"env{i:D3}", ResourceKind.Storage, "s3", new JsonObject(),
                    new JsonObject(), false, $"bucket-{i % 250:D3}", i));
                await tx.PutResourceAsync(new ResourceRecord(P, "app", $"env{i:D3}", ResourceKind.Api, "api", new JsonObject(),
                    new JsonObject(), false, null, i));
            }
        });

        foreach (var after in new[] { null, "bucket-100" })
        {
            var plan = await ExplainListBucketsAsync(after);
            Assert.True(plan is { Index: "resources_by_bucket", Scans: false, Sorts: false },
                $"after {after}: expected an ordered seek of resources_by_bucket, got\n{plan.Detail}");
        }

        var page = await Store.ReadAsync(P, tx => tx.ListBucketsAsync("bucket-100", 3), default);
        Assert.Equal([new BucketInfo("bucket-101", 101), new BucketInfo("bucket-102", 102), new BucketInfo("bucket-103", 103)], page);
    }

    [Fact]
    public async Task One_accounts_export_and_reset_seek_the_account_in_every_table()
    {
        // Another account's thousands of jobs must not be read to export, check or reset an account that has none.
        await SeedJobsAsync(2000);
        foreach (var table in new[] { "apps", "environments", "resources", "api_models", "jobs", "tokens" })
        {
            var plan = await ExplainAccountScopedAsync(table, "999999999999");
            Assert.True(plan is { Scans: false, Index: not null }, $"{table}: expected a seek on the account, got\n{plan.Detail}");
        }
    }

    [Fact]
    public async Task A_version_4_database_lists_its_jobs_by_each_filter_after_the_upgrade()
    {
        var (store, close) = await OpenWrittenByVersionAsync(4, """
            INSERT INTO jobs (account, region, app_id, job_id, environment, operation, status, error, created_at, updated_at,
                due_at, work, lease_owner, lease_until)
            VALUES ('111111111111', 'us-east-1', 'app', 'a', 'dev', 'CreateBackend', 'COMPLETED', NULL, 1, 2, NULL, '{}', NULL, NULL),
                ('111111111111', 'us-east-1', 'app', 'b', 'dev', 'CloneBackend', 'FAILED', 'boom', 2, 3, NULL, '{}', NULL, NULL),
                ('111111111111', 'us-east-1', 'app', 'c', 'dev', 'CreateBackend', 'RUNNING', NULL, 3, 3, 9, '{}', 'node', 20);
            """);
        try
        {
            async Task<string[]> ListAsync(JobFilter filter, JobCursor? after = null) =>
                [.. (await store.ReadAsync(P, tx => tx.ListJobsAsync("app", "dev", filter, after, 25), default)).Select(j => j.JobId)];

            Assert.Equal(["a", "b", "c"], await ListAsync(new JobFilter(null, null, null)));
            Assert.Equal(["a", "c"], await ListAsync(new JobFilter(null, "CreateBackend", null)));
            Assert.Equal(["b"], await ListAsync(new JobFilter(null, null, JobStatus.Failed)));
            Assert.Equal(["c"], await ListAsync(new JobFilter(null, "CreateBackend", JobStatus.Running)));
            Assert.Equal(["c"], await ListAsync(new JobFilter(null, null, null), new JobCursor(2, "b")));
            Assert.Equal(["b"], await ListAsync(new JobFilter("b", null, null)));
        }
        finally
        {
            await close();
        }
    }
}
