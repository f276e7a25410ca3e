using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

public abstract class JobProgressionTests(TestStoreKind kind)
{
    [Fact]
    public async Task Manual_jobs_stay_running_and_block_the_environment_until_updated()
    {
        using var f = new DomainFixture(kind, JobProgression.Parse("manual"));
        var job = await f.CreateBackendAsync();
        Assert.Equal(0, await f.Jobs.FinishDueJobsAsync(10, default));
        var pending = await Assert.ThrowsAsync<DomainException>(() =>
            f.Resources.CreateAuthAsync(P, "app", "dev", "a", AuthConfig(), default));
        Assert.Equal(
            "There is already a pending job for the requested appId: app and backendEnvironmentName: dev, " +
            "wait for it to complete before creating a new job.",
            pending.Message);

        var done = await f.Jobs.UpdateAsync(P, "app", "dev", job.JobId, null, JobStatus.Completed, default);
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Null(done.Error);
        await f.Resources.CreateAuthAsync(P, "app", "dev", "a", AuthConfig(), default);
    }

    [Fact]
    public async Task Immediate_jobs_are_never_seen_pending_so_concurrent_ones_on_one_environment_all_succeed()
    {
        // Each immediate job is accepted and ended in one transaction: no other request can find it RUNNING.
        using var f = new DomainFixture(kind);
        await f.CreateBackendAsync();
        await f.Resources.CreateAuthAsync(P, "app", "dev", "a", AuthConfig(), default);
        var updates = Enumerable.Range(0, 12).Select(i => Task.Run(() => f.Resources.UpdateAsync(P, "app", "dev", ResourceKind.Auth, "a",
            new System.Text.Json.Nodes.JsonObject { ["Tag"] = i }, "UpdateBackendAuth", default)));
        var accepted = await Task.WhenAll(updates);

        Assert.All(accepted, job => Assert.Equal(JobStatus.Running, job.Status)); // the answer: the job as accepted
        var (jobs, _) = await f.Jobs.ListAsync(P, "app", "dev", new JobFilter(null, "UpdateBackendAuth", null), 25, null, default);
        Assert.Equal(accepted.Select(j => j.JobId).Order(), jobs.Select(j => j.JobId).Order());
        Assert.All(jobs, job => Assert.Equal((JobStatus.Completed, (string?)null), (job.Status, job.Error)));
    }

    [Fact]
    public async Task UpdateBackendJob_can_fail_a_job_and_rename_its_operation_but_not_unfinish_it()
    {
        using var f = new DomainFixture(kind, JobProgression.Parse("manual"));
        var job = await f.CreateBackendAsync();
        var failed = await f.Jobs.UpdateAsync(P, "app", "dev", job.JobId, "Cancelled", JobStatus.Failed, default);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("Cancelled", failed.Operation);
        Assert.Contains("UpdateBackendJob", failed.Error, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            f.Jobs.UpdateAsync(P, "app", "dev", job.JobId, null, JobStatus.Running, default));
        Assert.Contains("COMPLETED or FAILED", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delayed_jobs_finish_once_their_time_has_come()
    {
        using var f = new DomainFixture(kind, JobProgression.Parse("delay:30s"));
        var job = await f.CreateBackendAsync();
        f.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await f.Jobs.FinishDueJobsAsync(10, default));
        Assert.Equal(JobStatus.Running, (await f.JobAsync(job)).Status);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await f.Jobs.FinishDueJobsAsync(10, default));
        var finished = await f.JobAsync(job);
        Assert.Equal(JobStatus.Completed, finished.Status);
        Assert.Equal(finished.CreatedAt + 30_000, finished.UpdatedAt);
    }

    [Fact]
    public async Task Due_jobs_of_several_partitions_with_the_same_ids_are_each_finished_in_their_own()
    {
        // One claim returns jobs of every partition; each is finished in a transaction of its own job's partition.
        using var f = new DomainFixture(kind, JobProgression.Parse("delay:30s"));
        Partition[] partitions = [P, new("222222222222", P.Region), P with { Region = "eu-west-1" }];
        var accepted = new List<JobRecord>();
        foreach (var partition in partitions)
        {
            accepted.Add(await f.CreateBackendAsync(partition: partition));
        }

        f.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(partitions.Length, await f.Jobs.FinishDueJobsAsync(10, default));
        foreach (var job in accepted)
        {
            var finished = await f.Jobs.GetAsync(job.Partition, "app", "dev", job.JobId, default);
            Assert.Equal((job.Partition, JobStatus.Completed, (string?)null), (finished.Partition, finished.Status, finished.Error));
        }
    }

    [Fact]
    public async Task A_job_left_running_by_a_crash_finishes_after_reopening_the_store()
    {
        using var f = new DomainFixture(kind, JobProgression.Parse("delay:1s"));
        var job = await f.CreateBackendAsync();
        // A crash closes nothing: the first store stays open (SQLite's write-ahead log unfolded) while another process
        // opens the same data (a closed store would have checkpointed; the kill -9 tests do the real thing).
        if (f.Kind == TestStoreKind.Sqlite)
        {
            Assert.True(File.Exists(Path.Combine(f.Directory, Ampstack.Storage.Sqlite.SqliteBackendStore.FileName + "-wal")));
        }

        var reopened = f.OpenAnother();
        var jobs = new JobService(reopened, f.Schemas, f.Time, JobProgression.Immediate, new PageTokenService(reopened),
            new JobLeases("after the crash", f.Leases.Duration));

        // Due after 1 s, but the crashed process holds its lease until the lease has run past that: nobody else takes it.
        f.Time.Advance(TimeSpan.FromSeconds(1) + f.Leases.Duration - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await jobs.FinishDueJobsAsync(10, default));
        Assert.Equal(JobStatus.Running, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);

        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await jobs.FinishDueJobsAsync(10, default));
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);
    }

    [Fact]
    public async Task An_invalid_schema_fails_the_api_job_and_stores_nothing()
    {
        using var f = new DomainFixture(kind);
        await f.CreateBackendAsync();
        var job = await f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type BROKEN {"), default);
        var finished = await f.JobAsync(job);
        Assert.Equal(JobStatus.Failed, finished.Status);
        Assert.Contains("line 1, column 1", finished.Error, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<DomainException>(() => f.Resources.GetAsync(P, "app", "dev", ResourceKind.Api, "api", default));
        Assert.Equal(ResourceTypes.BackendApi, ex.ResourceType);

        await f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A { id: ID! }"), default);
        var update = await f.Resources.UpdateApiAsync(P, "app", "dev", "api", new() { ["TransformSchema"] = "BROKEN" }, default);
        Assert.Equal(JobStatus.Failed, (await f.JobAsync(update)).Status);
        var api = await f.Resources.GetAsync(P, "app", "dev", ResourceKind.Api, "api", default);
        Assert.Equal("type A { id: ID! }", (string?)api.Config["TransformSchema"]);
    }

    [Fact]
    public async Task Models_go_from_none_to_latest_to_stale_and_back()
    {
        using var f = new DomainFixture(kind);
        await f.CreateBackendAsync();
        await f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A { id: ID! }"), default);
        var (none, latest) = await f.Resources.GetModelsAsync(P, "app", "dev", "api", default);
        Assert.Null(none);
        Assert.False(latest);

        var job = await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        Assert.Equal(JobStatus.Completed, (await f.JobAsync(job)).Status);
        (var models, latest) = await f.Resources.GetModelsAsync(P, "app", "dev", "api", default);
        Assert.True(latest);
        Assert.StartsWith("export const schema = {", models!.SchemaJs, StringComparison.Ordinal);

        await f.Resources.UpdateApiAsync(P, "app", "dev", "api", new() { ["TransformSchema"] = "type B { id: ID! }" }, default);
        (models, latest) = await f.Resources.GetModelsAsync(P, "app", "dev", "api", default);
        Assert.False(latest);
        Assert.NotNull(models);

        await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        Assert.True((await f.Resources.GetModelsAsync(P, "app", "dev", "api", default)).Latest);
    }

    [Fact]
    public async Task A_rejected_schema_fails_generation_and_keeps_the_previous_models()
    {
        using var f = new DomainFixture(kind);
        await f.CreateBackendAsync();
        await f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A { id: ID! }"), default);
        await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        await f.Resources.UpdateApiAsync(P, "app", "dev", "api", new() { ["TransformSchema"] = "type REJECT { id: ID! }" }, default);
        var job = await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        var finished = await f.JobAsync(job);
        Assert.Equal(JobStatus.Failed, finished.Status);
        Assert.Equal("Model generation failed: line 2, column 3: rejected", finished.Error);
        var (models, latest) = await f.Resources.GetModelsAsync(P, "app", "dev", "api", default);
        Assert.False(latest);
        Assert.Contains("\"n\": 18", models!.SchemaJs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completing_a_manual_generation_job_does_its_work()
    {
        using var f = new DomainFixture(kind, JobProgression.Parse("manual"));
        var backend = await f.CreateBackendAsync();
        await f.Jobs.UpdateAsync(P, "app", "dev", backend.JobId, null, JobStatus.Completed, default);
        var api = await f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A { id: ID! }"), default);
        await f.Jobs.UpdateAsync(P, "app", "dev", api.JobId, null, JobStatus.Completed, default);
        var generate = await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        Assert.Equal(0, f.Schemas.Generated);
        await f.Jobs.UpdateAsync(P, "app", "dev", generate.JobId, null, JobStatus.Completed, default);
        Assert.Equal(1, f.Schemas.Generated);
        Assert.True((await f.Resources.GetModelsAsync(P, "app", "dev", "api", default)).Latest);
    }

    [Fact]
    public async Task A_job_whose_work_throws_still_ends_failed_and_frees_its_environment()
    {
        using var f = new DomainFixture(kind, JobProgression.Parse("delay:1s"));
        var backend = await f.CreateBackendAsync();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Jobs.FinishDueJobsAsync(10, default);
        await f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A { id: ID! }"), default);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Jobs.FinishDueJobsAsync(10, default);
        f.Schemas.Throw = new InvalidOperationException("generator crashed");
        var generate = await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await f.Jobs.FinishDueJobsAsync(10, default));
        var finished = await f.JobAsync(generate);
        Assert.Equal(JobStatus.Failed, finished.Status);
        Assert.Contains("generator crashed", finished.Error, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Completed, (await f.JobAsync(backend)).Status);
        await f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
    }
}
