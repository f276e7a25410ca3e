using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ampstack.Console.Tests;

/// <summary>What a person does in the console, found the way a screen reader finds it: by role and label.</summary>
public static class ConsoleDriver
{
    public static async Task<IPage> OpenAsync(IBrowserContext context, ConsoleServer server)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.ConsoleUrl);
        return page;
    }

    public static async Task SignInAsync(IPage page, string key, string secret, string region = "us-east-1")
    {
        await page.GetByLabel("Access key ID").FillAsync(key);
        await page.GetByLabel("Secret access key").FillAsync(secret);
        await page.GetByLabel("Region").FillAsync(region);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Creates an app with its first environment <c>dev</c> from the apps page (CreateApp, then CreateBackend); returns
    /// the id the server gave it, on the app's page.
    /// </summary>
    public static async Task<string> CreateAppAsync(IPage page, string name, string? description = null)
    {
        await page.GetByLabel("App name").FillAsync(name);
        if (description is not null)
        {
            await page.GetByLabel("Description (optional)").FillAsync(description);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create app" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"App {name}" })).ToBeVisibleAsync();
        return AppIdInUrl().Match(page.Url).Groups[1].Value;
    }

    /// <summary>
    /// Opens the console on <paramref name="server"/>, signs in as <see cref="ConsoleServer.KeyA"/> (B must see no apps:
    /// ConsoleTests), creates an app and opens its environment <c>dev</c>; returns the page and the app's id.
    /// </summary>
    public static async Task<(IPage Page, string AppId)> OpenNewEnvironmentAsync(IBrowserContext context, ConsoleServer server,
        string appName)
    {
        var page = await OpenAsync(context, server);
        await SignInAsync(page, ConsoleServer.KeyA, ConsoleServer.SecretA);
        var appId = await CreateAppAsync(page, appName);
        await page.GetByRole(AriaRole.Link, new() { Name = "Environment dev" }).ClickAsync();
        return (page, appId);
    }

    /// <summary>Adds auth to the environment the page shows: a user pool of that name, signing in by username.</summary>
    public static async Task AddAuthAsync(IPage page, string userPoolName)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Add auth" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "userPoolName", Exact = true }).FillAsync(userPoolName);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "signInMethod" }).SelectOptionAsync("USERNAME");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create auth" }).ClickAsync();
    }

    /// <summary>The id of the app a page shows, from its address (#/app/ID...).</summary>
    public static Regex AppIdInUrl() => new("#/app/(d[a-z0-9]{13})(?:/|$)");

    /// <summary>The id in "App NAME created as ID; adding its first environment ENV." (the apps page, after CreateApp).</summary>
    public static async Task<string> CreatedAppIdAsync(IPage page, string name)
    {
        var line = page.GetByText(new Regex($"^App {Regex.Escape(name)} created as d[a-z0-9]{{13}};"));
        await Expect(line).ToBeVisibleAsync();
        return Regex.Match((await line.TextContentAsync())!, "created as (d[a-z0-9]{13});").Groups[1].Value;
    }

    public static ILocator Alert(IPage page, string pattern) =>
        page.GetByRole(AriaRole.Alert).Filter(new() { HasTextRegex = new Regex(pattern) });
}
