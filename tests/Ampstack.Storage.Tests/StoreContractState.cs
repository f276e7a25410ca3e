using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;

namespace Ampstack.Storage.Tests;

/// <summary>The whole state at once: export (snapshots), delete (reset), and what the store says about itself.</summary>
public abstract partial class StoreContract
{
    private static readonly Partition Other = new("222222222222", "eu-west-1");

    /// <summary>An app of <paramref name="partition"/> with two environments created in the same millisecond, "b" first.</summary>
    private async Task WriteAccountAsync(Partition partition)
    {
        await WriteAsync(partition, async tx =>
        {
            await tx.PutAppAsync(new AppRecord(partition, "app", "name", 1, new AdminUiConfig("sandbox", new JsonObject { ["k"] = 1 })));
            await tx.InsertEnvironmentAsync(new EnvironmentRecord(partition, "app", "b", 5, new JsonObject { ["StackName"] = "b" }));
            await tx.InsertEnvironmentAsync(new EnvironmentRecord(partition, "app", "a", 5, new JsonObject { ["StackName"] = "a" }));
            await tx.PutResourceAsync(new ResourceRecord(partition, "app", "b", ResourceKind.Storage, "files",
                new JsonObject { ["BucketName"] = "bkt" }, new JsonObject(), true, "bkt-" + partition.AccountId, 6));
            await tx.PutResourceAsync(new ResourceRecord(partition, "app", "b", ResourceKind.Api, "api", new JsonObject(), new JsonObject(),
                false, null, 6));
            await tx.PutModelsAsync("app", "b", "api", new GeneratedModels("js", "{}", "hash"));
            await tx.InsertJobAsync(new JobRecord(partition, "app", "b", "j2", "CreateBackend", JobStatus.Completed, null, 7, 8, null,
                JobWork.None));
            await tx.InsertJobAsync(new JobRecord(partition, "app", "b", "j1", "GenerateBackendAPIModels", JobStatus.Running, null, 7, 7,
                9, new JobWork("api"), new JobLease("node", 19)));
            await tx.InsertTokenAsync(new TokenRecord(partition, "app", "s1", "code", 99));
        });
    }

    [Fact]
    public async Task An_export_holds_every_record_of_the_account_asked_for_in_the_order_its_lists_read()
    {
        await WriteAccountAsync(P);
        await WriteAccountAsync(Other);
        await Store.GetOrCreateSecretAsync("page-tokens", default);

        var mine = await Admin.ExportAsync(P.AccountId, default);
        Assert.Equal((1, 2, 2, 1, 2, 1), (mine.Apps.Count, mine.Environments.Count, mine.Resources.Count, mine.Models.Count,
            mine.Jobs.Count, mine.Tokens.Count));
        Assert.All(mine.Apps, a => Assert.Equal(P, a.Partition));
        var adminUi = mine.Apps[0].AdminUi!;
        Assert.Equal(("sandbox", "{\"k\":1}"), (adminUi.BackendManagerAppId, adminUi.LoginAuthConfig.ToJsonString()));
        Assert.Equal(["b", "a"], mine.Environments.Select(e => e.Name));
        Assert.Equal("{\"StackName\":\"b\"}", mine.Environments[0].Provider.ToJsonString());
        Assert.Equal(["files", "api"], mine.Resources.Select(r => r.Name));
        Assert.Equal((ResourceKind.Storage, true, "bkt-" + P.AccountId, "{\"BucketName\":\"bkt\"}"),
            (mine.Resources[0].Kind, mine.Resources[0].Imported, mine.Resources[0].BucketName, mine.Resources[0].Config.ToJsonString()));
        Assert.Equal(new StoredModels(P, "app", "b", "api", new GeneratedModels("js", "{}", "hash")), mine.Models.Single());
        Assert.Equal(["j1", "j2"], mine.Jobs.Select(j => j.JobId));
        Assert.Equal(new JobRecord(P, "app", "b", "j1", "GenerateBackendAPIModels", JobStatus.Running, null, 7, 7, 9, new JobWork("api"),
            new JobLease("node", 19)), mine.Jobs[0]);
        Assert.Equal(new TokenRecord(P, "app", "s1", "code", 99), mine.Tokens.Single());

        var all = await Admin.ExportAsync(null, default);
        Assert.Equal([P, Other], all.Apps.Select(a => a.Partition).OrderBy(p => p.AccountId));
        Assert.Equal(4, all.Jobs.Count);
        Assert.True((await Admin.ExportAsync("999999999999", default)).IsEmpty);
    }

    [Fact]
    public async Task Deleting_one_account_leaves_the_others_and_the_stores_secrets()
    {
        await WriteAccountAsync(P);
        await WriteAccountAsync(Other);
        var secret = await Store.GetOrCreateSecretAsync("page-tokens", default);

        await Admin.DeleteAllAsync(P.AccountId, default);
        Assert.True((await Admin.ExportAsync(P.AccountId, default)).IsEmpty);
        var others = await Admin.ExportAsync(Other.AccountId, default);
        Assert.Equal((1, 2, 2), (others.Apps.Count, others.Environments.Count, others.Jobs.Count));

        // The pending job went with its account: the environment takes a new one.
        await WriteAsync(tx => tx.InsertJobAsync(Running("b") with { Partition = P }));

        await Admin.DeleteAllAsync(null, default);
        Assert.True((await Admin.ExportAsync(null, default)).IsEmpty);
        Assert.Equal(secret, await Store.GetSecretAsync("page-tokens", default));
    }

    [Fact]
    public async Task An_import_writes_an_export_back_as_it_was_and_writes_nothing_over_an_account_the_store_holds()
    {
        await WriteAccountAsync(P);
        await WriteAccountAsync(Other);
        await Store.GetOrCreateSecretAsync("page-tokens", default);
        var everything = await Admin.ExportAsync(null, default);
        var mine = await Admin.ExportAsync(P.AccountId, default);
        await Admin.DeleteAllAsync(P.AccountId, default);

        // The store still holds the other account (its secrets are no account's): nothing is written, and that one is named.
        Assert.Equal(Other.AccountId, await Admin.ImportAsync(everything, default));
        Assert.True((await Admin.ExportAsync(P.AccountId, default)).IsEmpty);

        Assert.Null(await Admin.ImportAsync(mine, default));
        var again = await Admin.ExportAsync(P.AccountId, default);
        Assert.Equal(mine.Apps.Select(a => (a.AppId, a.AppName, a.AdminUi!.LoginAuthConfig.ToJsonString())),
            again.Apps.Select(a => (a.AppId, a.AppName, a.AdminUi!.LoginAuthConfig.ToJsonString())));
        Assert.Equal(["b", "a"], again.Environments.Select(e => e.Name));
        Assert.Equal(["files", "api"], again.Resources.Select(r => r.Name));
        Assert.Equal(mine.Models, again.Models);
        Assert.Equal(mine.Jobs, again.Jobs);
        Assert.Equal(mine.Tokens, again.Tokens);

        // A record the store's rules refuse refuses the whole import.
        await Admin.DeleteAllAsync(P.AccountId, default);
        var twoPending = mine with { Jobs = [.. mine.Jobs, mine.Jobs[0] with { JobId = "another" }] };
        await Assert.ThrowsAsync<StoreConflictException>(() => Admin.ImportAsync(twoPending, default));
        Assert.True((await Admin.ExportAsync(P.AccountId, default)).IsEmpty);
    }

    [Fact]
    public async Task The_status_gives_the_schema_version_and_size_and_jobs_are_counted_by_status()
    {
        var empty = await Admin.GetStatusAsync(default);
        Assert.Empty(await Admin.CountJobsByStatusAsync(default));
        Assert.True(empty.SchemaVersion >= 4, $"schema version {empty.SchemaVersion}");
        Assert.True(empty.SizeBytes > 0);

        await WriteAccountAsync(P);
        await WriteAccountAsync(Other);
        await WriteAsync(tx => tx.InsertJobAsync(Running("c").Ended("broke", 3)));
        var status = await Admin.GetStatusAsync(default);
        Assert.Equal(new Dictionary<string, long> { [JobStatus.Running] = 2, [JobStatus.Completed] = 2, [JobStatus.Failed] = 1 },
            (await Admin.CountJobsByStatusAsync(default)).OrderBy(c => c.Key).ToDictionary());
        Assert.Equal(empty.SchemaVersion, status.SchemaVersion);
    }
}
