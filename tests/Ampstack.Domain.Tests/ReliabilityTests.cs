using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

/// <summary>What the domain promises when the store fails under it, and when model generation is slow.</summary>
public abstract class ReliabilityTests(TestStoreKind kind) : IDisposable
{
    /// <summary>Guards waits on conditions that, before the fixes, never came: a failure, not a timing window.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly DomainFixture _f = new(kind);

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_pending_job_the_checks_missed_is_refused_in_the_services_words()
    {
        // As when another node accepts a job between this node's check and its insert: the store's constraint decides.
        using var f = new DomainFixture(kind, JobProgression.Parse("manual"));
        await f.CreateBackendAsync();
        var error = await Assert.ThrowsAsync<DomainException>(() => f.Jobs.StartAsync(P, async tx =>
        {
            var job = new JobRecord(P, "app", "dev", Guid.NewGuid().ToString(), "CloneBackend", JobStatus.Running, null, 1, 1, null,
                JobWork.None);
            await tx.InsertJobAsync(job);
            return job;
        }, default));
        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
        Assert.Equal("There is already a pending job for the requested appId: app and backendEnvironmentName: dev, "
            + "wait for it to complete before creating a new job.", error.Message);
    }

    [Fact]
    public async Task An_immediate_job_with_nothing_to_prepare_is_accepted_and_ended_in_one_write()
    {
        var (store, jobs, backends, _) = await WithFaultyStoreAsync();

        // Every write after the first fails: the create must not need a second one to end its job.
        store.FailWritesAfter = 1;
        var job = await backends.CreateBackendAsync(P, "other", "other name", "dev", default);
        Assert.Equal(1, store.WritesAttempted);
        Assert.Equal(JobStatus.Running, job.Status); // the answer is the job as accepted, as the service's is
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "other", "dev", job.JobId, default)).Status);
    }

    [Fact]
    public async Task A_committed_write_is_answered_with_its_job_when_finishing_it_fails()
    {
        var (store, jobs, _, resources) = await WithFaultyStoreAsync();

        // The generation job commits; the second write (its models, and its end) fails, as on a disk that just filled up.
        store.FailWritesAfter = 1;
        var job = await resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(JobStatus.Running, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);

        // Once writes work again, and the lease this node took at acceptance has run out, a worker finishes it, as after
        // a crash.
        store.FailWritesAfter = null;
        Assert.Equal(0, await jobs.FinishDueJobsAsync(10, default));
        _f.Time.Advance(_f.Leases.Duration);
        Assert.Equal(1, await jobs.FinishDueJobsAsync(10, default));
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);
        Assert.True((await resources.GetModelsAsync(P, "app", "dev", "api", default)).Latest);
    }

    [Fact]
    public async Task A_store_that_cannot_write_for_a_moment_never_fails_a_job()
    {
        var (store, jobs, _, resources) = await WithFaultyStoreAsync();

        // Only the second write fails (the models, and the job's end): the disk had no room just then.
        store.FailOnlyWrite = 2;
        var job = await resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        Assert.Equal(JobStatus.Running, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);

        _f.Time.Advance(_f.Leases.Duration);
        Assert.Equal(1, await jobs.FinishDueJobsAsync(10, default));
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);
    }

    [Fact]
    public async Task Listing_jobs_never_writes_once_the_service_is_prepared()
    {
        await _f.PageTokens.PrepareAsync(default);
        var job = await _f.CreateBackendAsync();
        var store = new FaultyStore(_f.Store) { FailWritesAfter = 0 };
        var fresh = new JobService(store, _f.Schemas, _f.Time, JobProgression.Immediate, new PageTokenService(store));

        var (page, _) = await fresh.ListAsync(P, "app", "dev", new JobFilter(null, null, null), 1, null, default);
        Assert.Equal(job.JobId, Assert.Single(page).JobId);
        Assert.Equal(0, store.WritesAttempted);
    }

    [Fact]
    public async Task Model_generation_does_not_hold_up_other_writes()
    {
        var (tools, jobs, backends, resources) = await WithBlockedGenerationAsync("type Todo @model { id: ID! }");

        // On a thread of its own: the SQLite store completes synchronously, so the call would block right here.
        var generating = Task.Run(() => resources.GenerateModelsAsync(P, "app", "dev", "api", default));
        await tools.Entered.WaitAsync(Hang);

        // Generation is under way and blocked: an unrelated write still goes through.
        var other = await backends.CreateBackendAsync(P, "other", "other", "dev", default).WaitAsync(Hang);
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "other", "dev", other.JobId, default)).Status);

        tools.Release.Release();
        var job = await generating.WaitAsync(Hang);
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);
        var (models, latest) = await resources.GetModelsAsync(P, "app", "dev", "api", default);
        Assert.True(latest);
        Assert.Contains("Todo", models!.SchemaJs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_are_committed_only_for_the_schema_they_were_generated_from()
    {
        var (tools, jobs, _, resources) = await WithBlockedGenerationAsync("type Old @model { id: ID! }");

        // On a thread of its own: the SQLite store completes synchronously, so the call would block right here.
        var generating = Task.Run(() => resources.GenerateModelsAsync(P, "app", "dev", "api", default));
        await tools.Entered.WaitAsync(Hang);
        // The schema changes while the models of the old one are being made (the store is written directly: the
        // service's own rule of one pending job per environment keeps clients from doing this).
        await _f.Store.WriteAsync(P, async tx =>
        {
            var api = (await tx.GetResourceAsync("app", "dev", ResourceKind.Api, "api"))!;
            await tx.PutResourceAsync(api with { Config = ApiConfig("type New @model { id: ID! }") });
            return 0;
        }, default);
        tools.Release.Release(2);

        var job = await generating.WaitAsync(Hang);
        Assert.Equal(JobStatus.Completed, (await jobs.GetAsync(P, "app", "dev", job.JobId, default)).Status);
        Assert.Equal(2, tools.Calls);
        var (models, latest) = await resources.GetModelsAsync(P, "app", "dev", "api", default);
        Assert.True(latest);
        Assert.Contains("New", models!.SchemaJs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schemas_over_the_limits_are_refused_naming_the_member()
    {
        await _f.CreateBackendAsync();
        var huge = "type Todo @model { id: ID! }\n" + new string('#', SchemaLimits.MaxSchemaChars);
        var tooLong = await Assert.ThrowsAsync<DomainException>(() =>
            _f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig(huge), default));
        Assert.Equal(DomainErrorKind.Invalid, tooLong.Kind);
        Assert.Contains("resourceConfig.transformSchema", tooLong.Message, StringComparison.Ordinal);

        _f.Schemas.ModelCount = SchemaLimits.MaxModels + 1;
        var tooMany = await Assert.ThrowsAsync<DomainException>(() =>
            _f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A @model { id: ID! }"), default));
        Assert.Contains($"{SchemaLimits.MaxModels + 1} @model types", tooMany.Message, StringComparison.Ordinal);

        // Nothing was accepted: no API, no job.
        await Assert.ThrowsAsync<DomainException>(() => _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Api, "api", default));
        var (jobs, _) = await _f.Jobs.ListAsync(P, "app", "dev", new JobFilter(null, "CreateBackendAPI", null), null, null, default);
        Assert.Empty(jobs);

        _f.Schemas.ModelCount = SchemaLimits.MaxModels;
        var accepted = await _f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A @model { id: ID! }"), default);
        var update = await Assert.ThrowsAsync<DomainException>(() =>
            _f.Resources.UpdateApiAsync(P, "app", "dev", "api", new() { ["TransformSchema"] = huge }, default));
        Assert.Contains("resourceConfig.transformSchema", update.Message, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Completed, (await _f.JobAsync(accepted)).Status);
    }

    /// <summary>Job and backend services over a store that fails writes when the test says so.</summary>
    /// <summary>Services over a store that fails when told to, and an app with an API (made through the fixture's own).</summary>
    private async Task<(FaultyStore Store, JobService Jobs, BackendService Backends, ResourceService Resources)> WithFaultyStoreAsync()
    {
        await _f.CreateBackendAsync();
        await _f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type Todo @model { id: ID! }"), default);
        var store = new FaultyStore(_f.Store);
        var jobs = new JobService(store, _f.Schemas, _f.Time, JobProgression.Immediate, new PageTokenService(store), _f.Leases);
        return (store, jobs, new BackendService(store, jobs), new ResourceService(store, jobs, _f.Schemas, new PageTokenService(store)));
    }

    /// <summary>Services whose model generation waits for the test, over an app with an API of <paramref name="schema"/>.</summary>
    private async Task<(BlockingSchemaTools Tools, JobService Jobs, BackendService Backends, ResourceService Resources)>
        WithBlockedGenerationAsync(string schema)
    {
        var tools = new BlockingSchemaTools();
        var jobs = new JobService(_f.Store, tools, _f.Time, JobProgression.Immediate, new PageTokenService(_f.Store));
        var backends = new BackendService(_f.Store, jobs);
        var resources = new ResourceService(_f.Store, jobs, tools, new PageTokenService(_f.Store));
        await backends.CreateBackendAsync(P, "app", "app", "dev", default);
        await resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig(schema), default);
        return (tools, jobs, backends, resources);
    }

    /// <summary>A store that passes everything through, and fails writes after a number of them when told to.</summary>
    private sealed class FaultyStore(IBackendStore inner) : IBackendStore
    {
        private int _writes;

        /// <summary>Writes that succeed before every later one throws; null for no faults.</summary>
        public int? FailWritesAfter { get; set; }

        /// <summary>The one write (counting from 1) that throws.</summary>
        public int? FailOnlyWrite { get; set; }

        public int WritesAttempted => _writes;

        public Task<T> ReadAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work,
            CancellationToken cancellationToken) =>
            inner.ReadAsync(partition, work, cancellationToken);

        public Task<T> WriteAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work,
            CancellationToken cancellationToken) =>
            Faulted(() => inner.WriteAsync(partition, work, cancellationToken));

        public Task<byte[]?> GetSecretAsync(string name, CancellationToken cancellationToken) =>
            inner.GetSecretAsync(name, cancellationToken);

        public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
            Faulted(() => inner.GetOrCreateSecretAsync(name, cancellationToken));

        /// <summary>A write too (it leases the jobs it returns).</summary>
        public Task<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim, CancellationToken cancellationToken) =>
            Faulted(() => inner.ClaimDueJobsAsync(claim, cancellationToken));

        private Task<T> Faulted<T>(Func<Task<T>> write)
        {
            var attempt = Interlocked.Increment(ref _writes);
            return attempt > FailWritesAfter || attempt == FailOnlyWrite
                ? Task.FromException<T>(new StoreUnavailableException("The server's disk is full.",
                    new IOException("database or disk is full")))
                : write();
        }
    }

    /// <summary>Schema tools whose generation waits until the test releases it.</summary>
    private sealed class BlockingSchemaTools : ISchemaTools
    {
        private int _calls;

        public SemaphoreSlim Entered { get; } = new(0);

        public SemaphoreSlim Release { get; } = new(0);

        public int Calls => _calls;

        public SchemaCheck Check(string schema) => new(null, 1);

        public (string SchemaJs, string Introspection) GenerateModels(string schema)
        {
            Interlocked.Increment(ref _calls);
            Entered.Release();
            Release.Wait(Hang);
            return ($"export const schema = {{\"from\": \"{schema.Replace("\"", "", StringComparison.Ordinal)}\"}};", "{}");
        }
    }
}
