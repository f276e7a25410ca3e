using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ampstack.Console.Tests;

/// <summary>What a first visit costs on loopback: bytes over the wire and time to first paint, read from the browser.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FirstVisitTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    /// <summary>The whole console, compressed, stays well under this (about 66 KB when written; 71 KB with Hosting's client).</summary>
    private const int ByteBudget = 150_000;

    [Fact]
    public async Task A_first_visit_downloads_little_from_its_own_origin_and_paints_quickly()
    {
        await using var context = await fixture.Browser.NewContextAsync(); // an empty cache
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Delayed.ConsoleUrl);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        var json = await page.EvaluateAsync<string>("""
            JSON.stringify({
              entries: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
                .map(e => ({ name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize })),
              paint: Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime])),
            })
            """);
        using var doc = JsonDocument.Parse(json);
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        var origin = fixture.Delayed.Address.GetLeftPart(UriPartial.Authority);
        Assert.All(entries, e => Assert.StartsWith(origin, e.GetProperty("name").GetString(), StringComparison.Ordinal));
        var transferred = entries.Sum(e => e.GetProperty("transfer").GetInt64());
        var decoded = entries.Sum(e => e.GetProperty("decoded").GetInt64());
        var paint = doc.RootElement.GetProperty("paint");
        var firstPaint = paint.GetProperty("first-paint").GetDouble();
        var firstContentfulPaint = paint.GetProperty("first-contentful-paint").GetDouble();
        foreach (var e in entries)
        {
            output.WriteLine($"{e.GetProperty("name").GetString()}: {e.GetProperty("transfer").GetInt64()} bytes transferred, " +
                $"{e.GetProperty("decoded").GetInt64()} decoded");
        }

        output.WriteLine($"first visit: {entries.Count} requests, {transferred} bytes transferred ({decoded} uncompressed); " +
            $"first paint {firstPaint:F0} ms, first contentful paint {firstContentfulPaint:F0} ms");
        Assert.Equal(3, entries.Count); // the page, its script and its stylesheet: no fonts, no CDN, no favicon request
        Assert.InRange(transferred, 1, ByteBudget);
        Assert.True(transferred < decoded / 2, "the assets are sent compressed");
        Assert.InRange(firstContentfulPaint, 0, 5_000);
    }
}
