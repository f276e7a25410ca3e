using Ampstack.Domain.Common;
using Ampstack.Domain.Hosting;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

/// <summary>Amplify Hosting over the Admin API's apps: one record, whichever API made it.</summary>
public abstract class HostingTests(TestStoreKind kind) : IDisposable
{
    private readonly DomainFixture _f = new(kind);

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task An_app_made_by_either_api_is_one_record_listed_by_id()
    {
        var made = await _f.Hosting.CreateAppAsync(P, "hosted", new HostingSettings { Description = "d" }, default);
        Assert.Matches("^d[a-z0-9]{13}$", made.AppId);
        await _f.CreateBackendAsync("adminapp");
        await _f.Backends.CreateBackendAsync(P, made.AppId, "ignored name", "dev", default);

        var (apps, next) = await _f.Hosting.ListAppsAsync(P, null, 10, default);
        Assert.Null(next);
        Assert.Equal(new[] { "adminapp", made.AppId }.Order(StringComparer.Ordinal), apps.Select(a => a.AppId));
        var again = await _f.Hosting.GetAppAsync(P, made.AppId, default);
        Assert.Equal("hosted", again.AppName);
        Assert.Equal("d", again.Hosting!.Description);
        Assert.Single(await _f.Hosting.ListBackendEnvironmentsAsync(P, made.AppId, null, default));
    }

    [Fact]
    public async Task Apps_page_by_id_until_the_last_page_has_no_token()
    {
        for (var i = 0; i < 5; i++)
        {
            await _f.CreateBackendAsync($"app{i}");
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (apps, next) = await _f.Hosting.ListAppsAsync(P, token, 2, default);
            seen.AddRange(apps.Select(a => a.AppId));
            token = next;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["app0", "app1", "app2", "app3", "app4"], seen);
        Assert.Equal(3, pages);
        var other = new Partition("111111111111", "us-east-1");
        Assert.Empty((await _f.Hosting.ListAppsAsync(other, null, 10, default)).Apps);
    }

    [Fact]
    public async Task Branches_and_tags_live_with_their_app()
    {
        var app = await _f.Hosting.CreateAppAsync(P, "web", new HostingSettings(), default);
        await _f.Hosting.CreateBranchAsync(P, app.AppId, new BranchRecord { Name = "main", Stage = "PRODUCTION" }, default);
        await Assert.ThrowsAsync<DomainException>(() =>
            _f.Hosting.CreateBranchAsync(P, app.AppId, new BranchRecord { Name = "main" }, default));

        var arn = HostingService.BranchArn(P, app.AppId, "main");
        await _f.Hosting.ChangeTagsAsync(P, arn, _ => new Dictionary<string, string> { ["team"] = "a" }, default);
        Assert.Equal("a", (await _f.Hosting.ListTagsAsync(P, arn, default))["team"]);
        Assert.Empty(await _f.Hosting.ListTagsAsync(P, HostingService.AppArn(P, app.AppId), default));

        var (_, updated) = await _f.Hosting.UpdateBranchAsync(P, app.AppId, "main", b => b with { Description = "prod" }, default);
        Assert.Equal("prod", updated.Description);
        Assert.Equal("a", updated.Tags["team"]);
        await _f.Hosting.DeleteBranchAsync(P, app.AppId, "main", default);
        var missing = await Assert.ThrowsAsync<DomainException>(() => _f.Hosting.GetBranchAsync(P, app.AppId, "main", default));
        Assert.Equal(DomainErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task An_arn_of_another_account_names_nothing_here()
    {
        var app = await _f.Hosting.CreateAppAsync(P, "web", new HostingSettings(), default);
        var foreign = HostingService.AppArn(new Partition("111111111111", "us-east-1"), app.AppId);
        await Assert.ThrowsAsync<DomainException>(() => _f.Hosting.ListTagsAsync(P, foreign, default));
        await Assert.ThrowsAsync<DomainException>(() => _f.Hosting.ListTagsAsync(P, foreign + "/branches/", default));
    }

    [Fact]
    public async Task Backend_environments_are_the_admin_apis_environments()
    {
        var app = await _f.Hosting.CreateAppAsync(P, "web", new HostingSettings(), default);
        var made = await _f.Hosting.CreateBackendEnvironmentAsync(P, app.AppId, "staging", default);
        Assert.StartsWith($"amplify-{app.AppId}-staging-", (string?)made.Provider["StackName"], StringComparison.Ordinal);
        var details = await _f.Backends.GetBackendAsync(P, app.AppId, "staging", default);
        Assert.Equal("staging", details.Environment);
        await Assert.ThrowsAsync<DomainException>(() => _f.Hosting.CreateBackendEnvironmentAsync(P, app.AppId, "staging", default));

        await _f.Hosting.DeleteBackendEnvironmentAsync(P, app.AppId, "staging", default);
        Assert.Empty(await _f.Hosting.ListBackendEnvironmentsAsync(P, app.AppId, null, default));
        await _f.Hosting.DeleteAppAsync(P, app.AppId, default);
        await Assert.ThrowsAsync<DomainException>(() => _f.Hosting.GetAppAsync(P, app.AppId, default));
    }
}
