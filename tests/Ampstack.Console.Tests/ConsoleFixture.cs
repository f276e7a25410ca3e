using Microsoft.Playwright;

namespace Ampstack.Console.Tests;

/// <summary>
/// Two servers (jobs that run 2 s, and jobs that wait to be finished by hand) and one headless Debian chromium, shared
/// by the console tests; each test opens its own browser context, so nothing of one test's session leaks into another.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium: Playwright cannot download browsers here.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ConsoleServer Delayed { get; private set; } = null!;

    public ConsoleServer Manual { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install chromium (./test installs it).");
        }

        var servers = await Task.WhenAll(ConsoleServer.StartAsync("delay:2s"), ConsoleServer.StartAsync("manual"));
        (Delayed, Manual) = (servers[0], servers[1]);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Root in a container: no sandbox. No background networking: the machine has no network beyond loopback.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        // Jobs run 2 s and the machine is shared: give conditions time, never sleep.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Delayed.DisposeAsync();
        await Manual.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
