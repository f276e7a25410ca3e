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

    /// <summary>Creates an app with its first environment <c>dev</c> from the apps page; returns its id, on the app's page.</summary>
    public static async Task<string> CreateAppAsync(IPage page, string name)
    {
        var appId = await page.GetByLabel("New app ID").InputValueAsync();
        await page.GetByLabel("App name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create app" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"App {name}" })).ToBeVisibleAsync();
        return appId;
    }

    public static ILocator Alert(IPage page, string pattern) =>
        page.GetByRole(AriaRole.Alert).Filter(new() { HasTextRegex = new Regex(pattern) });
}
