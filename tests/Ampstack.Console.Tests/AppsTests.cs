using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Ampstack.Console.Tests.ConsoleDriver;
using static Microsoft.Playwright.Assertions;

namespace Ampstack.Console.Tests;

/// <summary>
/// The apps page lists the account's apps with Amplify Hosting's ListApps: apps made anywhere, a page at a time, and
/// nothing about them kept in the browser. Accounts C and D are these tests' own, so what is listed can be counted.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AppsTests(ConsoleFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The console's ListApps page size (PAGE_SIZE in console/src/pages/apps.ts).</summary>
    private const int PageSize = 20;

    private IBrowserContext _context = null!;

    public async Task InitializeAsync() =>
        _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });

    public Task DisposeAsync() => _context.CloseAsync();

    private static ILocator AppRows(IPage page) =>
        page.GetByRole(AriaRole.Table, new() { Name = "Apps", Exact = true }).GetByRole(AriaRole.Row)
            .Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^d[a-z0-9]{13}$") }) });

    [Fact]
    public async Task An_app_made_by_a_script_is_listed_without_ever_having_been_opened_in_this_browser()
    {
        using var api = new HostingApi(fixture.Delayed, ConsoleServer.KeyC, ConsoleServer.SecretC);
        var appId = await api.CreateAppAsync("scripted", "made by a script");
        await api.CreateBackendEnvironmentAsync(appId, "prod");

        var page = await OpenAsync(_context, fixture.Delayed); // a fresh browser context: no storage of any kind
        await SignInAsync(page, ConsoleServer.KeyC, ConsoleServer.SecretC);
        var row = AppRows(page).Filter(new() { HasText = appId });
        await Expect(row).ToContainTextAsync("scripted");
        await Expect(row).ToContainTextAsync("made by a script");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "prod", Exact = true })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("not enabled");
        await Expect(row.GetByRole(AriaRole.Cell).Last).ToHaveTextAsync(new Regex(@"\d{4}|\d{1,2}[/.]\d{1,2}"));

        await row.GetByRole(AriaRole.Link, new() { Name = appId }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "App scripted" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Environment prod" })).ToBeVisibleAsync();

        // An app CreateApp made and nothing else (no environment, so GetBackend has nothing to say) opens by its id.
        var bare = await api.CreateAppAsync("bare");
        await page.GetByRole(AriaRole.Link, new() { Name = "Apps", Exact = true }).ClickAsync();
        await page.GetByLabel("App ID", new() { Exact = true }).FillAsync(bare);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open app" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "App bare" })).ToBeVisibleAsync();
        await Expect(page.GetByText("No environments.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Feature flags (cli.json)" })).ToHaveCountAsync(0);
        Assert.Empty(await page.EvaluateAsync<string[]>("Object.keys(localStorage)"));
    }

    [Fact]
    public async Task An_app_created_on_the_page_is_ListApps_own_and_is_deleted_after_a_confirmation_leaving_no_storage()
    {
        using var api = new HostingApi(fixture.Delayed, ConsoleServer.KeyC, ConsoleServer.SecretC);
        var page = await OpenAsync(_context, fixture.Delayed);
        // What an earlier console left in local storage is removed on the next visit.
        await page.EvaluateAsync("localStorage.setItem('ampstack.console.apps:333333333333:us-east-1', '[\"dold\"]')");
        await page.ReloadAsync();
        Assert.Empty(await page.EvaluateAsync<string[]>("Object.keys(localStorage)"));

        await SignInAsync(page, ConsoleServer.KeyC, ConsoleServer.SecretC);
        var appId = await CreateAppAsync(page, "from-page", "made in the browser");

        // Someone else asking the server sees it: CreateApp made it, and CreateBackend gave that app its environment.
        var apps = await api.ListAllAppsAsync();
        Assert.Equal(("from-page", "made in the browser"), apps[appId]);
        Assert.Equal(["dev"], await api.ListBackendEnvironmentsAsync(appId));

        await page.GetByRole(AriaRole.Link, new() { Name = "Apps", Exact = true }).ClickAsync();
        var row = AppRows(page).Filter(new() { HasText = appId });
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "dev", Exact = true })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("not enabled");
        var shot = Path.Combine(AppContext.BaseDirectory, "console-apps.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"screenshot: {shot}");

        await row.GetByRole(AriaRole.Link, new() { Name = appId }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete app" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = $"Confirm delete of app {appId}" });
        await Expect(confirm).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        Assert.Contains(appId, (await api.ListAllAppsAsync()).Keys);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete app" }).ClickAsync();
        await confirm.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText($"App from-page ({appId}) deleted.")).ToBeVisibleAsync();
        await Expect(AppRows(page).Filter(new() { HasText = appId })).ToHaveCountAsync(0);
        Assert.DoesNotContain(appId, (await api.ListAllAppsAsync()).Keys);

        // A whole session later: nothing in local storage, and the tab's session storage is emptied at sign-out.
        Assert.Empty(await page.EvaluateAsync<string[]>("Object.keys(localStorage)"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Empty(await page.EvaluateAsync<string[]>("Object.keys(localStorage)"));
        Assert.Empty(await page.EvaluateAsync<string[]>("Object.keys(sessionStorage)"));
    }

    [Fact]
    public async Task More_apps_than_a_page_are_listed_a_page_at_a_time()
    {
        using var api = new HostingApi(fixture.Delayed, ConsoleServer.KeyD, ConsoleServer.SecretD);
        const int count = PageSize + 3;
        var made = new List<string>();
        for (var i = 0; i < count; i++)
        {
            made.Add(await api.CreateAppAsync($"paged-{i:D2}"));
        }

        var page = await OpenAsync(_context, fixture.Delayed);
        await SignInAsync(page, ConsoleServer.KeyD, ConsoleServer.SecretD);
        await Expect(AppRows(page)).ToHaveCountAsync(PageSize);
        await Expect(page.GetByText($"{PageSize} apps shown; there are more.")).ToBeVisibleAsync();
        var more = page.GetByRole(AriaRole.Button, new() { Name = "More apps" });
        await more.ClickAsync();
        await Expect(AppRows(page)).ToHaveCountAsync(count);
        await Expect(page.GetByText($"{count} apps shown.")).ToBeVisibleAsync();
        await Expect(more).ToBeHiddenAsync();
        // The keyboard lands on the first app of the new page.
        await Expect(AppRows(page).Nth(PageSize).GetByRole(AriaRole.Link).First).ToBeFocusedAsync();

        // Each app once, in ListApps' order (by app id).
        var listed = await AppRows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.querySelector('th').textContent)");
        Assert.Equal(made.Order(StringComparer.Ordinal), listed);
        await Expect(AppRows(page).Filter(new() { HasText = "paged-" }).Filter(new() { HasText = "none" })).ToHaveCountAsync(count);
    }
}
