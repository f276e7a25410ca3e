using System.Globalization;
using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;
using Ampstack.Storage.Sql;

namespace Ampstack.Storage.Tests;

/// <summary>
/// What every <see cref="IBackendStore"/> promises the domain, whatever database is behind it: atomic and isolated
/// transactions, each of the one partition it was opened for, and the service's rules enforced by constraints, refused as
/// <see cref="StoreConflictException"/>; and what its <see cref="IStoreAdmin"/> promises the operator. A store's test
/// class derives from this and says how to open a fresh store.
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

    [Fact]
    public async Task An_environments_provider_is_replaced_in_place_and_a_missing_one_is_reported()
    {
        var environment = new EnvironmentRecord(P, "app", "dev", 1, new JsonObject { ["AuthRoleName"] = "emulated" });
        await WriteAsync(tx => tx.InsertEnvironmentAsync(environment));
        var provider = new JsonObject { ["AuthRoleName"] = "real", ["AuthRoleArn"] = "arn:aws:iam::123456789012:role/real" };
        Assert.True(await Store.WriteAsync(P, tx => tx.UpdateEnvironmentProviderAsync("app", "dev", provider), default));
        var read = await Store.ReadAsync(P, tx => tx.GetEnvironmentAsync("app", "dev"), default);
        Assert.Equal((string?)"real", (string?)read!.Provider["AuthRoleName"]);
        Assert.Equal((1L, "dev"), (read.CreatedAt, read.Name));
        Assert.False(await Store.WriteAsync(P, tx => tx.UpdateEnvironmentProviderAsync("app", "gone", provider), default));
        Assert.False(await Store.WriteAsync(P with { Region = "eu-west-1" },
            tx => tx.UpdateEnvironmentProviderAsync("app", "dev", provider), default));
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

    /// <summary>
    /// Writes that read an app and write it back from what they read (a check no constraint makes) take turns: none is lost,
    /// however many run at once. Writes to other apps meanwhile are not held up by them.
    /// </summary>
    [Fact]
    public async Task Concurrent_writes_that_read_an_app_and_write_it_back_lose_no_update()
    {
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "counted", "0", 1, null)));
        const int Writers = 24;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => WriteAsync(async tx =>
        {
            var app = (await tx.GetAppAsync("counted"))!;
            await tx.PutAppAsync(new AppRecord(P, $"other{i}", "other", 1, null));
            await tx.PutAppAsync(app with { AppName = $"{int.Parse(app.AppName, CultureInfo.InvariantCulture) + 1}" });
        }))));
        Assert.Equal($"{Writers}", (await Store.ReadAsync(P, tx => tx.GetAppAsync("counted"), default))!.AppName);
        Assert.Equal(Writers + 1, (await Store.ReadAsync(P, tx => tx.ListAppsAsync(null, 100), default)).Count);
    }

    /// <summary>
    /// Both statements of the read see the same state, whichever side of the write it is (a store may run a read's first
    /// statement alone and, when a second follows, the whole read again in one snapshot: then it sees the write's).
    /// </summary>
    [Fact]
    public async Task A_read_sees_one_snapshot_while_a_write_commits()
    {
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "before", 1, null)));
        var writes = 0;
        var (first, second) = await Store.ReadAsync(P, async tx =>
        {
            var before = (await tx.GetAppAsync("app"))!.AppName;
            await WriteAsync(w => w.PutAppAsync(new AppRecord(P, "app", $"after {++writes}", 1, null)));
            return (before, (await tx.GetAppAsync("app"))!.AppName);
        }, default);
        Assert.Equal(first, second);
        Assert.NotEqual($"after {writes}", second);
        Assert.Equal($"after {writes}", (await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.AppName);
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

    // ---- partitions: a transaction sees none of another partition's records, whatever their ids (one account never
    // sees another's data), and refuses to write one ----

    /// <summary>Another account in the same region, and the same account in another region: both must stay apart from P.</summary>
    private static readonly Partition[] Neighbours = [new("222222222222", P.Region), P with { Region = "eu-west-1" }];

    /// <summary>An app "app" with an environment "dev" and a pending job "job", each saying whose they are.</summary>
    private Task<int> WriteSameIdsAsync(Partition partition) => WriteAsync(partition, async tx =>
    {
        await tx.PutAppAsync(new AppRecord(partition, "app", $"app of {partition}", 1, null));
        await tx.InsertEnvironmentAsync(new EnvironmentRecord(partition, "app", "dev", 1, new JsonObject { ["Of"] = $"{partition}" }));
        await tx.InsertJobAsync(new JobRecord(partition, "app", "dev", "job", $"job of {partition}", JobStatus.Running, null, 1, 1, null,
            JobWork.None));
    });

    [Fact]
    public async Task A_transaction_sees_only_its_partitions_app_environment_and_job_of_the_same_ids()
    {
        foreach (var partition in Neighbours.Prepend(P))
        {
            await WriteSameIdsAsync(partition);
        }

        foreach (var partition in Neighbours.Prepend(P))
        {
            var (app, environment, environments, job, jobs, pending, apps) = await Store.ReadAsync(partition, async tx => (
                await tx.GetAppAsync("app"),
                await tx.GetEnvironmentAsync("app", "dev"),
                await tx.ListEnvironmentsAsync("app"),
                await tx.GetJobAsync("app", "job"),
                await tx.ListJobsAsync("app", "dev", new JobFilter(null, null, null), null, 10),
                await tx.ListPendingJobsAsync("app", null),
                await tx.ListAppsAsync(null, 10)), default);
            Assert.Equal($"app of {partition}", app!.AppName);
            Assert.Equal($"{partition}", environment!.Provider["Of"]!.GetValue<string>());
            Assert.Equal($"job of {partition}", job!.Operation);
            Assert.Equal([partition], environments.Select(e => e.Partition));
            Assert.Equal([$"job of {partition}"], jobs.Select(j => j.Operation));
            Assert.Equal([partition], pending.Select(j => j.Partition));
            Assert.Equal([partition], apps.Select(a => a.Partition));
        }

        // A delete of P's app and environment deletes none of the others'.
        await WriteAsync(async tx =>
        {
            await tx.DeleteEnvironmentAsync("app", "dev");
            await tx.DeleteAppAsync("app");
        });
        Assert.Null(await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default));
        foreach (var partition in Neighbours)
        {
            Assert.NotNull(await Store.ReadAsync(partition, tx => tx.GetEnvironmentAsync("app", "dev"), default));
        }
    }

    [Fact]
    public async Task A_transaction_refuses_to_write_a_record_of_another_partition_naming_both()
    {
        var other = Neighbours[0];
        var writes = new (string Record, Func<IStoreTransaction, ValueTask> Write)[]
        {
            ("app", tx => tx.PutAppAsync(new AppRecord(other, "app", "name", 1, null))),
            ("environment", tx => tx.InsertEnvironmentAsync(new EnvironmentRecord(other, "app", "dev", 1, []))),
            ("resource", tx => tx.PutResourceAsync(new ResourceRecord(other, "app", "dev", ResourceKind.Api, "api", [], [], false, null,
                1))),
            ("job", tx => tx.InsertJobAsync(Running("dev") with { Partition = other })),
            ("job", tx => tx.UpdateJobAsync(Running("dev") with { Partition = other })),
            ("token", tx => tx.InsertTokenAsync(new TokenRecord(other, "app", "session", "code", 99))),
        };
        foreach (var (record, write) in writes)
        {
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(async tx =>
            {
                await tx.PutAppAsync(new AppRecord(P, "written first", "name", 1, null));
                await write(tx);
            }));
            Assert.Equal(
                $"A transaction of partition {P} cannot write a {record} of partition {other}: open one of {other} for it. " +
                $"(Parameter '{record}')", refused.Message);
        }

        // Nothing of the refused transactions was kept, in either partition.
        Assert.Empty(await Store.ReadAsync(P, tx => tx.ListAppsAsync(null, 10), default));
        Assert.True((await Admin.ExportAsync(other.AccountId, default)).IsEmpty);
    }
}
