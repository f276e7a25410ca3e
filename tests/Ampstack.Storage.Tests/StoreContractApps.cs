using Ampstack.Domain.Apps;
using Ampstack.Domain.Hosting;

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
}
