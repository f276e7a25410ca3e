using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Hosting;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Resources;

namespace Ampstack.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Apps_list_by_id_after_a_cursor_within_their_partition()
    {
        await WriteAsync(async tx =>
        {
            foreach (var id in new[] { "b", "a", "c" })
            {
                await tx.PutAppAsync(new AppRecord(P, id, id, 1, null));
            }
        });
        var elsewhere = P with { Region = "eu-west-1" };
        await WriteAsync(elsewhere, tx => tx.PutAppAsync(new AppRecord(elsewhere, "aa", "other region", 1, null)));

        var all = await Store.ReadAsync(P, tx => tx.ListAppsAsync(null, 10), default);
        var after = await Store.ReadAsync(P, tx => tx.ListAppsAsync("a", 1), default);
        Assert.Equal(["a", "b", "c"], all.Select(a => a.AppId));
        Assert.Equal(["b"], after.Select(a => a.AppId));
    }

    [Fact]
    public async Task Hosting_settings_round_trip_with_the_app_and_in_its_export()
    {
        var hosting = new HostingSettings
        {
            Description = "web app",
            Platform = "WEB_COMPUTE",
            Tags = new Dictionary<string, string> { ["team"] = "a" },
            Branches = [new BranchRecord { Name = "main", Stage = "PRODUCTION", CreatedAt = 5, UpdatedAt = 6 }],
        };
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null) { Hosting = hosting }));

        var read = await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default);
        var exported = (await Admin.ExportAsync(P.AccountId, default)).Apps.Single();
        foreach (var app in new[] { read!, exported })
        {
            Assert.Equal("web app", app.Hosting!.Description);
            Assert.Equal("WEB_COMPUTE", app.Hosting.Platform);
            Assert.Equal("a", app.Hosting.Tags["team"]);
            Assert.Equal("PRODUCTION", app.Hosting.Branches.Single().Stage);
        }

        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "plain", "name", 1, null)));
        Assert.Null((await Store.ReadAsync(P, tx => tx.GetAppAsync("plain"), default))!.Hosting);
    }

    [Fact]
    public async Task Every_write_of_an_apps_environments_resources_models_or_jobs_gives_it_a_new_revision_and_nothing_else_does()
    {
        var api = new ResourceRecord(P, "app", "dev", ResourceKind.Api, "api", new JsonObject { ["v"] = 1 }, new JsonObject(), false,
            null, 2);
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null)));
        var seen = new List<long>();
        async Task<long> RevisionAfterAsync(Func<IStoreTransaction, ValueTask> write)
        {
            await WriteAsync(write);
            var (app, alone) = await Store.ReadAsync(P, async tx => (await tx.GetAppAsync("app"), await tx.GetAppRevisionAsync("app")),
                default);
            Assert.Equal(app!.Revision, alone);
            Assert.Equal(alone, await Store.ReadAppRevisionAsync(P, "app", default));
            return alone!.Value;
        }

        async Task Changes(Func<IStoreTransaction, ValueTask> write)
        {
            var revision = await RevisionAfterAsync(write);
            Assert.DoesNotContain(revision, seen);
            seen.Add(revision);
        }

        async Task Keeps(Func<IStoreTransaction, ValueTask> write) => Assert.Equal(seen[^1], await RevisionAfterAsync(write));

        seen.Add((await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.Revision);
        await Changes(tx => tx.InsertEnvironmentAsync(new EnvironmentRecord(P, "app", "dev", 2, new JsonObject())));
        await Changes(async tx => await tx.UpdateEnvironmentProviderAsync("app", "dev", new JsonObject { ["Region"] = "x" }));
        await Changes(tx => tx.PutResourceAsync(api));
        await Changes(tx => tx.PutResourceAsync(api with { Config = new JsonObject { ["v"] = 2 } }));
        await Changes(tx => tx.PutModelsAsync("app", "dev", "api", new GeneratedModels("js", "{}", "hash")));
        await Changes(tx => tx.InsertEnvironmentAsync(new EnvironmentRecord(P, "app", "prod", 3, new JsonObject())));
        await Changes(tx => tx.CopyModelsAsync("app", "dev", "prod"));
        await Changes(tx => tx.DeleteResourceAsync("app", "dev", ResourceKind.Api, "api"));
        await Changes(tx => tx.DeleteEnvironmentAsync("app", "prod"));
        await Changes(tx => tx.PutAppAsync(new AppRecord(P, "app", "renamed", 1, null)));

        await Changes(tx => tx.InsertJobAsync(Running("dev")));
        var job = (await Store.ReadAsync(P, tx => tx.ListPendingJobsAsync("app", "dev"), default)).Single();
        await Changes(tx => tx.UpdateJobAsync(job.Ended(null, 3)));

        // Reads, a claim's lease and tokens are not what a revision stands for.
        await Keeps(async tx => await tx.ListResourcesAsync("app", "dev"));
        await Keeps(tx => tx.InsertTokenAsync(new Domain.Tokens.TokenRecord(P, "app", "s", "code", 9)));
        await WriteAsync(tx => tx.InsertJobAsync(Running("dev") with { JobId = "due", DueAt = 1 }));
        var revision = (await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.Revision;
        Assert.Single(await Store.ClaimDueJobsAsync(new JobClaim("node", 2, 100, 10), default));
        Assert.Equal(revision, (await Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.Revision);

        // An app deleted and made again never shows a revision an earlier state of it had.
        await WriteAsync(tx => tx.DeleteAppAsync("app"));
        Assert.Null(await Store.ReadAsync(P, tx => tx.GetAppRevisionAsync("app"), default));
        await Changes(tx => tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null)));
    }

    [Fact]
    public async Task A_revision_read_on_its_own_is_of_the_app_and_partition_asked_however_many_are_read_at_once()
    {
        var other = new Partition("222222222222", "us-east-1");
        var elsewhere = new Partition("111111111111", "eu-west-1");
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null)));
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "two", "name", 1, null)));
        await WriteAsync(other, tx => tx.PutAppAsync(new AppRecord(other, "app", "name", 1, null)));
        (Partition, string)[] keys = [(P, "app"), (P, "two"), (other, "app"), (elsewhere, "app"), (P, "none"), (other, "two")];
        var expected = new Dictionary<(Partition, string), long?>();
        foreach (var (partition, app) in keys)
        {
            expected[(partition, app)] = await Store.ReadAsync(partition, tx => tx.GetAppRevisionAsync(app), default);
        }

        Assert.Equal(3, expected.Values.Distinct().Count(v => v is not null));
        var asked = Enumerable.Range(0, 300).Select(i => keys[i % keys.Length]).ToList();
        var read = await Task.WhenAll(asked.Select(k => Task.Run(() => Store.ReadAppRevisionAsync(k.Item1, k.Item2, default).AsTask())));
        Assert.Equal(asked.Select(k => expected[k]), read);
    }

    [Fact]
    public async Task A_revision_read_on_its_own_after_a_write_is_answered_sees_it_while_other_reads_are_under_way()
    {
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null)));
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Store.ReadAppRevisionAsync(P, "app", default);
            }
        })).ToList();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", $"name{i}", 1, null)));
                var written = await Store.ReadAsync(P, tx => tx.GetAppRevisionAsync("app"), default);
                Assert.Equal(written, await Store.ReadAppRevisionAsync(P, "app", default));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
    }
}
