using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sql;

namespace Ampstack.Storage.Tests;

/// <summary>
/// What every <see cref="IBackendStore"/> promises the domain, whatever database is behind it: atomic and isolated
/// transactions, and the service's rules enforced by constraints, refused as <see cref="StoreConflictException"/>; and what
/// its <see cref="IStoreAdmin"/> promises the operator. A store's test class derives from this and says how to open a
/// fresh store.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly Partition P = new("111111111111", "us-east-1");

    private SqlBackendStore? _store;

    protected IBackendStore Store => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>The same store, as the operator's port.</summary>
    protected IStoreAdmin Admin => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>A new, empty, migrated store.</summary>
    protected abstract Task<SqlBackendStore> OpenAsync();

    /// <summary>Closes the store and removes what it made.</summary>
    protected abstract Task CloseAsync(SqlBackendStore store);

    /// <summary>The failure this store retries by itself (a lock held too long, a serialization failure, a lost connection).</summary>
    protected abstract Exception TransientFailure();

    public async Task InitializeAsync() => _store = await OpenAsync();

    public Task DisposeAsync() => CloseAsync(_store!);

    protected static JobRecord Running(string environment, string jobId = "") => new(P, "app", environment,
        jobId.Length > 0 ? jobId : Guid.NewGuid().ToString(), "CreateBackend", JobStatus.Running, null, 1, 1, null, JobWork.None);

    private static ResourceRecord Resource(ResourceKind kind, string name) =>
        new(P, "app", "dev", kind, name, new JsonObject(), new JsonObject(), false, null, 1);

    /// <summary>Runs <paramref name="work"/> in a write transaction of <see cref="P"/>.</summary>
    protected Task<int> WriteAsync(Func<IStoreTransaction, ValueTask> work) => WriteAsync(P, work);

    protected Task<int> WriteAsync(Partition partition, Func<IStoreTransaction, ValueTask> work) =>
        Store.WriteAsync(partition, async tx =>
        {
            await work(tx);
            return 0;
        }, default);

    [Fact]
    public async Task A_second_pending_job_in_an_environment_is_a_conflict()
    {
        await WriteAsync(tx => tx.InsertJobAsync(Running("dev")));
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => WriteAsync(tx => tx.InsertJobAsync(Running("dev"))));
        Assert.Equal((StoreConflict.PendingJob, "app", "dev"), (conflict.Conflict, conflict.AppId, conflict.Environment));

        // Other environments, and the same one once its job has ended, take a new job.
        await WriteAsync(tx => tx.InsertJobAsync(Running("prod")));
        var pending = (await Store.ReadAsync(P, tx => tx.ListPendingJobsAsync("app", "dev"), default)).Single();
        await WriteAsync(tx => tx.UpdateJobAsync(pending.Ended(null, 2)));
        await WriteAsync(tx => tx.InsertJobAsync(Running("dev")));
    }

    [Fact]
    public async Task An_update_that_would_make_a_second_pending_job_is_a_conflict_and_changes_nothing()
    {
        // A job that ended, then another accepted in its environment: making the first pending again breaks the rule.
        var ended = Running("dev", "first").Ended(null, 2);
        await WriteAsync(tx => tx.InsertJobAsync(ended));
        await WriteAsync(tx => tx.InsertJobAsync(Running("dev", "second")));
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(
            () => WriteAsync(tx => tx.UpdateJobAsync(ended with { Status = JobStatus.Running, Error = null })));
        Assert.Equal((StoreConflict.PendingJob, "app", "dev"), (conflict.Conflict, conflict.AppId, conflict.Environment));
        Assert.Equal(ended, await Store.ReadAsync(P, tx => tx.GetJobAsync("app", "first"), default));
    }

    [Fact]
    public async Task An_environment_name_taken_is_a_conflict()
    {
        var environment = new EnvironmentRecord(P, "app", "dev", 1, new JsonObject());
        await WriteAsync(tx => tx.InsertEnvironmentAsync(environment));
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => WriteAsync(tx => tx.InsertEnvironmentAsync(environment)));
        Assert.Equal((StoreConflict.Environment, "dev"), (conflict.Conflict, conflict.Environment));
        var elsewhere = P with { Region = "eu-west-1" };
        await WriteAsync(elsewhere, tx => tx.InsertEnvironmentAsync(environment with { Partition = elsewhere }));
    }

    [Theory]
    [InlineData(ResourceKind.Auth)]
    [InlineData(ResourceKind.Storage)]
    public async Task A_second_auth_or_storage_resource_in_an_environment_is_a_conflict(ResourceKind kind)
    {
        await WriteAsync(tx => tx.PutResourceAsync(Resource(kind, "first")));
        await WriteAsync(tx => tx.PutResourceAsync(Resource(kind, "first") with { Imported = true })); // the same one, updated
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(
            () => WriteAsync(tx => tx.PutResourceAsync(Resource(kind, "second"))));
        Assert.Equal((StoreConflict.ResourceOfKind, kind), (conflict.Conflict, conflict.Kind));
    }

    [Fact]
    public async Task An_environment_holds_many_apis()
    {
        await WriteAsync(tx => tx.PutResourceAsync(Resource(ResourceKind.Api, "one")));
        await WriteAsync(tx => tx.PutResourceAsync(Resource(ResourceKind.Api, "two")));
        Assert.Equal(2, (await Store.ReadAsync(P, tx => tx.ListResourcesAsync("app", "dev"), default)).Count);
    }

    [Fact]
    public async Task A_refused_write_leaves_nothing_of_its_transaction()
    {
        await WriteAsync(tx => tx.InsertJobAsync(Running("dev")));
        await Assert.ThrowsAsync<StoreConflictException>(() => WriteAsync(async tx =>
        {
            await tx.PutAppAsync(new AppRecord(P, "app", "written first", 1, null));
            await tx.InsertJobAsync(Running("dev"));
        }));
        Assert.Null(await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default));
    }

    [Fact]
    public async Task Concurrent_writers_each_commit_whole()
    {
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => WriteAsync(async tx =>
        {
            await tx.PutAppAsync(new AppRecord(P, $"app{i}", "n", i, null));
            await tx.InsertEnvironmentAsync(new EnvironmentRecord(P, $"app{i}", "dev", i, new JsonObject()));
        })));
        for (var i = 0; i < 16; i++)
        {
            Assert.Single(await Store.ReadAsync(P, tx => tx.ListEnvironmentsAsync($"app{i}"), default));
        }
    }

    [Fact]
    public async Task A_read_sees_one_snapshot_while_a_write_commits()
    {
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "before", 1, null)));
        var (first, second) = await Store.ReadAsync(P, async tx =>
        {
            var before = (await tx.GetAppAsync("app"))!.AppName;
            await WriteAsync(w => w.PutAppAsync(new AppRecord(P, "app", "after", 1, null)));
            return (before, (await tx.GetAppAsync("app"))!.AppName);
        }, default);
        Assert.Equal(("before", "before"), (first, second));
        Assert.Equal("after", (await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.AppName);
    }

    [Fact]
    public async Task Jobs_list_oldest_first_with_the_job_id_breaking_ties()
    {
        var ids = new[] { "c", "a", "b" };
        foreach (var id in ids)
        {
            await WriteAsync(tx => tx.InsertJobAsync(Running("dev", id).Ended(null, 5)));
        }

        var jobs = await Store.ReadAsync(P, tx => tx.ListJobsAsync("app", "dev", new JobFilter(null, null, null), null, 10), default);
        Assert.Equal(["a", "b", "c"], jobs.Select(j => j.JobId));
    }
}
