using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Ampstack.Console.Tests;

/// <summary>How the server serves the console, over plain HTTP, and that the AWS routes beside it are untouched.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ServingTests(ConsoleFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly HttpClient _http =
        new(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Delayed.Address, path));
        configure?.Invoke(request);
        return _http.SendAsync(request);
    }

    [Fact]
    public async Task A_browser_opening_the_bare_address_is_sent_to_the_console()
    {
        using var response = await GetAsync("/", r => r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8"));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    public async Task A_non_HTML_unsigned_GET_of_the_root_still_gets_the_AWS_answer(string? accept)
    {
        using var response = await GetAsync("/", r =>
        {
            if (accept is not null)
            {
                r.Headers.Accept.ParseAdd(accept);
            }
        });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal("Missing Authentication Token", JsonDocument.Parse(await response.Content.ReadAsStringAsync())
            .RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_signed_GET_of_the_root_asking_for_HTML_is_not_redirected()
    {
        using var response = await GetAsync("/", r =>
        {
            r.Headers.Accept.ParseAdd("text/html");
            r.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={ConsoleServer.KeyA}/20261126/us-east-1/amplifybackend/aws4_request, " +
                "SignedHeaders=host;x-amz-date, Signature=00");
            r.Headers.TryAddWithoutValidation("X-Amz-Date", "20261126T000000Z");
        });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // strict auth refuses the made-up signature, as before
        Assert.NotEqual("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_page_is_revalidated_and_the_hashed_assets_are_cached_for_a_year_compressed()
    {
        using var index = await GetAsync("/console/", r => r.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br"));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("br", index.Content.Headers.ContentEncoding.Single());
        Assert.True(index.Headers.CacheControl?.NoCache);
        Assert.Contains("Accept-Encoding", index.Headers.Vary);
        Assert.StartsWith("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = Decode(await index.Content.ReadAsByteArrayAsync(), "br");
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, assets.Count); // one script, one stylesheet, nothing from elsewhere
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);

        foreach (var asset in assets)
        {
            using var gzip = await GetAsync("/console/" + asset, r => r.Headers.AcceptEncoding.ParseAdd("gzip"));
            Assert.Equal(HttpStatusCode.OK, gzip.StatusCode);
            Assert.Equal("gzip", gzip.Content.Headers.ContentEncoding.Single());
            Assert.Equal(TimeSpan.FromDays(365), gzip.Headers.CacheControl?.MaxAge);
            Assert.Contains("immutable", gzip.Headers.CacheControl!.Extensions.Select(e => e.Name));
            using var plain = await GetAsync("/console/" + asset);
            var identity = await plain.Content.ReadAsByteArrayAsync();
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            Assert.Equal(identity, Encoding.UTF8.GetBytes(Decode(await gzip.Content.ReadAsByteArrayAsync(), "gzip")));
            output.WriteLine($"{asset}: {identity.Length} bytes, {gzip.Content.Headers.ContentLength} gzip");
        }

        // A revisit costs a 304 for the page.
        using var again = await GetAsync("/console/", r =>
        {
            r.Headers.AcceptEncoding.ParseAdd("br");
            r.Headers.IfNoneMatch.Add(index.Headers.ETag!);
        });
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task The_console_paths_answer_for_themselves()
    {
        using var bare = await GetAsync("/console");
        Assert.Equal(HttpStatusCode.Found, bare.StatusCode);
        Assert.Equal("/console/", bare.Headers.Location?.OriginalString);
        using var missing = await GetAsync("/console/assets/nothing-here.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var post = await _http.PostAsync(new Uri(fixture.Delayed.Address, "/console/"), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        // The AWS routes are as before: an unsigned call is refused before routing.
        using var aws = await _http.PostAsync(new Uri(fixture.Delayed.Address, "/backend"),
            new StringContent("{}", new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.Forbidden, aws.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", aws.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    private static string Decode(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(decoder, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("""(?:src|href)="(assets/[^"]+)""")]
    private static partial Regex AssetReference();
}
