using Ampstack.Domain.Jobs;
using Ampstack.Domain.Storage;

namespace Ampstack.Storage.Tests;

/// <summary>Claims and leases, and retries after a transient failure.</summary>
public abstract partial class StoreContract
{
    private static JobRecord Due(string environment, long dueAt, JobLease? lease = null) =>
        Running(environment, environment) with { DueAt = dueAt, Lease = lease };

    private Task<JobRecord?> JobAsync(string jobId) => Store.ReadAsync(P, tx => tx.GetJobAsync("app", jobId), default);

    [Fact]
    public async Task A_claim_takes_the_due_jobs_whose_lease_is_absent_expired_or_the_claimants_own()
    {
        var jobs = new[]
        {
            Due("free", 100),
            Due("expired", 90, new JobLease("other", 1000)),
            Due("mine", 80, new JobLease("me", 5000)),
            Due("held", 70, new JobLease("other", 1001)),
            Due("later", 1001),
            Running("manual"),
            Due("ended", 10).Ended(null, 20),
        };
        foreach (var job in jobs)
        {
            await WriteAsync(tx => tx.InsertJobAsync(job));
        }

        var claimed = await Store.ClaimDueJobsAsync(new JobClaim("me", 1000, 6000, 10), default);
        Assert.Equal(["mine", "expired", "free"], claimed.Select(j => j.JobId));
        Assert.All(claimed, job => Assert.Equal(new JobLease("me", 6000), job.Lease));
        Assert.Equal(new JobLease("me", 6000), (await JobAsync("free"))!.Lease);

        // Leased now: nobody else takes them before the lease expires, and then anybody does.
        Assert.Equal(["held", "later"],
            (await Store.ClaimDueJobsAsync(new JobClaim("third", 1001, 7000, 10), default)).Select(j => j.JobId));
        Assert.Empty(await Store.ClaimDueJobsAsync(new JobClaim("other", 5999, 8000, 10), default));
        var afterExpiry = await Store.ClaimDueJobsAsync(new JobClaim("other", 6000, 9000, 10), default);
        Assert.Equal(["mine", "expired", "free"], afterExpiry.Select(j => j.JobId));

        // A job that ended keeps no lease and is never claimed.
        var ended = (await JobAsync("free"))!.Ended(null, 6001);
        await WriteAsync(tx => tx.UpdateJobAsync(ended));
        Assert.Equal(ended, await JobAsync("free"));
        Assert.DoesNotContain("free", (await Store.ClaimDueJobsAsync(new JobClaim("other", 99_999, 100_000, 10), default))
            .Select(j => j.JobId));
    }

    [Fact]
    public async Task A_claim_takes_at_most_its_limit_earliest_due_first()
    {
        for (var i = 0; i < 5; i++)
        {
            var job = Due($"env{i}", 50 - i);
            await WriteAsync(tx => tx.InsertJobAsync(job));
        }

        Assert.Equal(["env4", "env3"], (await Store.ClaimDueJobsAsync(new JobClaim("me", 100, 200, 2), default)).Select(j => j.JobId));
        Assert.Equal(["env2", "env1", "env0"],
            (await Store.ClaimDueJobsAsync(new JobClaim("other", 100, 200, 10), default)).Select(j => j.JobId));
    }

    [Fact]
    public async Task Concurrent_claims_never_take_the_same_job()
    {
        const int Jobs = 60;
        await Store.WriteAsync(P, async tx =>
        {
            for (var i = 0; i < Jobs; i++)
            {
                await tx.InsertJobAsync(Due($"env{i:00}", i));
            }

            return 0;
        }, default);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(claimant => Task.Run(async () =>
        {
            // Each claims a few, finishes them (as the worker does), and comes back for more until none are due.
            var mine = new List<string>();
            while (await Store.ClaimDueJobsAsync(new JobClaim($"node{claimant}", 1000, 2000, 4), default) is { Count: > 0 } got)
            {
                mine.AddRange(got.Select(j => j.JobId));
                await Store.WriteAsync(P, async tx =>
                {
                    foreach (var job in got)
                    {
                        await tx.UpdateJobAsync(job.Ended(null, 1000));
                    }

                    return 0;
                }, default);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Jobs, all.Count);
        Assert.Equal(Jobs, all.Distinct().Count());
    }

    [Fact]
    public async Task Work_that_meets_a_transient_failure_runs_again_and_its_first_attempt_leaves_nothing()
    {
        var attempts = 0;
        var result = await Store.WriteAsync(P, async tx =>
        {
            await tx.InsertJobAsync(Running("dev", $"attempt{++attempts}"));
            if (attempts == 1)
            {
                throw TransientFailure();
            }

            return attempts;
        }, default);

        Assert.Equal(2, result);
        Assert.Null(await JobAsync("attempt1"));
        Assert.NotNull(await JobAsync("attempt2"));

        // A read is retried the same way.
        var reads = 0;
        Assert.Equal("attempt2", await Store.ReadAsync(P, async tx =>
            ++reads == 1 ? throw TransientFailure() : (await tx.GetJobAsync("app", "attempt2"))!.JobId, default));
    }

    [Fact]
    public async Task Work_that_keeps_failing_transiently_ends_as_store_unavailable()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.WriteAsync<int>(P, _ =>
        {
            attempts++;
            throw TransientFailure();
        }, default));
        Assert.InRange(attempts, 2, 10);
        Assert.Empty(await Store.ReadAsync(P, tx => tx.ListPendingJobsAsync("app", null), default));
    }

    [Fact]
    public async Task A_version_3_database_keeps_its_running_jobs_and_any_node_claims_them_after_the_upgrade()
    {
        var (store, close) = await OpenWrittenByVersionAsync(3, """
            INSERT INTO jobs (account, region, app_id, job_id, environment, operation, status, error, created_at, updated_at,
                due_at, work)
            VALUES ('111111111111', 'us-east-1', 'app', 'old', 'dev', 'CreateBackend', 'RUNNING', NULL, 1, 1, 5, '{}'),
                ('111111111111', 'us-east-1', 'app', 'done', 'prod', 'CreateBackend', 'COMPLETED', NULL, 1, 2, NULL, '{}');
            """);
        try
        {
            var old = await store.ReadAsync(P, tx => tx.GetJobAsync("app", "old"), default);
            Assert.Equal((JobStatus.Running, 5L, (JobLease?)null), (old!.Status, old.DueAt, old.Lease));
            var claimed = Assert.Single(await store.ClaimDueJobsAsync(new JobClaim("new node", 10, 20, 10), default));
            Assert.Equal(old with { Lease = new JobLease("new node", 20) }, claimed);
        }
        finally
        {
            await close();
        }
    }

    /// <summary>
    /// A store opened (so migrated) on a database that schema <paramref name="version"/> made, holding the rows
    /// <paramref name="rows"/> inserts; and how to close it and remove what it made.
    /// </summary>
    protected abstract Task<(IBackendStore Store, Func<Task> Close)> OpenWrittenByVersionAsync(int version, string rows);
}
