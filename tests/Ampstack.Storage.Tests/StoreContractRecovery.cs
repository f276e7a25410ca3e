using Ampstack.Domain.Apps;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Storage.Tests;

/// <summary>After failures and restarts: what a store keeps, what it drops, and the databases earlier versions wrote.</summary>
public abstract partial class StoreContract
{
    private static readonly AppRecord Ghost = new(P, "ghost", "ghost", 1, null);

    /// <summary>Closes the store and opens it again on the same data, as a restarted server does.</summary>
    private async Task ReopenAsync()
    {
        _store!.Dispose();
        _store = await OpenAsync();
    }

    [Fact]
    public async Task The_store_stays_usable_after_failed_reads_and_writes_and_keeps_nothing_of_them()
    {
        await WriteAsync(tx => tx.InsertJobAsync(Running("dev", "pending")));
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => Store.ReadAsync<int>(P, async tx =>
            {
                Assert.NotNull(await tx.GetJobAsync("app", "pending"));
                throw new InvalidOperationException("boom");
            }, default));
            await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(async tx =>
            {
                await tx.PutAppAsync(Ghost);
                throw new InvalidOperationException("boom");
            }));

            // A statement that fails inside the database (the one-pending-job index), after a write in the same transaction.
            await Assert.ThrowsAsync<StoreConflictException>(() => WriteAsync(async tx =>
            {
                await tx.PutAppAsync(Ghost);
                await tx.InsertJobAsync(Running("dev"));
            }));
        }

        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "real", "real", 1, null)));
        Assert.NotNull(await Store.ReadAsync(P, tx => tx.GetAppAsync("real"), default));
        Assert.Null(await Store.ReadAsync(P, tx => tx.GetAppAsync("ghost"), default));
    }

    [Fact]
    public async Task Data_and_secrets_survive_reopening()
    {
        await WriteAsync(async tx =>
        {
            await tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null));
            await tx.InsertEnvironmentAsync(new EnvironmentRecord(P, "app", "dev", 1, []));
        });
        var secret = await Store.GetOrCreateSecretAsync("s", default);

        await ReopenAsync();
        Assert.NotNull(await Store.ReadAsync(P, tx => tx.GetEnvironmentAsync("app", "dev"), default));
        Assert.Equal(secret, await Store.GetOrCreateSecretAsync("s", default));
    }

    [Fact]
    public async Task A_version_1_database_keeps_its_models_and_resources_and_gains_the_constraints()
    {
        var (store, close) = await OpenWrittenByVersionAsync(1, """
            INSERT INTO resources (account, region, app_id, environment, kind, name, config, outputs, imported, bucket_name,
                created_at, models)
            VALUES ('111111111111', 'us-east-1', 'app', 'dev', 'api', 'api', '{}', '{}', FALSE, NULL, 1,
                '{"schemaJs":"export const schema = {};","introspection":"{\"version\":1}","schemaHash":"h1"}'),
                ('111111111111', 'us-east-1', 'app', 'dev', 'auth', 'pool', '{}', '{}', FALSE, NULL, 2, NULL);
            """);
        try
        {
            var (models, resources) = await store.ReadAsync(P,
                async tx => (await tx.GetModelsAsync("app", "dev", "api"), await tx.ListResourcesAsync("app", "dev")), default);
            Assert.Equal(new GeneratedModels("export const schema = {};", """{"version":1}""", "h1"), models);
            Assert.Equal(["api", "pool"], resources.Select(r => r.Name));
            var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.WriteAsync(P, async tx =>
            {
                await tx.PutResourceAsync(new ResourceRecord(P, "app", "dev", ResourceKind.Auth, "other", [], [], false, null, 3));
                return 0;
            }, default));
            Assert.Equal(StoreConflict.ResourceOfKind, conflict.Conflict);
        }
        finally
        {
            await close();
        }
    }

    [Fact]
    public async Task A_version_2_database_gains_the_one_auth_one_storage_constraint_and_keeps_its_rows()
    {
        var (store, close) = await OpenWrittenByVersionAsync(2, """
            INSERT INTO resources (account, region, app_id, environment, kind, name, config, outputs, imported, bucket_name,
                created_at)
            VALUES ('111111111111', 'us-east-1', 'app', 'dev', 'auth', 'pool', '{}', '{}', FALSE, NULL, 1),
                ('111111111111', 'us-east-1', 'app', 'dev', 'storage', 's3', '{}', '{}', FALSE, 'b', 2),
                ('111111111111', 'us-east-1', 'app', 'dev', 'api', 'one', '{}', '{}', FALSE, NULL, 3),
                ('111111111111', 'us-east-1', 'app', 'dev', 'api', 'two', '{}', '{}', FALSE, NULL, 4);
            """);
        try
        {
            Assert.Equal(["pool", "s3", "one", "two"],
                (await store.ReadAsync(P, tx => tx.ListResourcesAsync("app", "dev"), default)).Select(r => r.Name));
            foreach (var kind in new[] { ResourceKind.Auth, ResourceKind.Storage })
            {
                var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.WriteAsync(P, async tx =>
                {
                    await tx.PutResourceAsync(new ResourceRecord(P, "app", "dev", kind, "other", [], [], false, null, 5));
                    return 0;
                }, default));
                Assert.Equal((StoreConflict.ResourceOfKind, kind), (conflict.Conflict, conflict.Kind));
            }
        }
        finally
        {
            await close();
        }
    }
}
