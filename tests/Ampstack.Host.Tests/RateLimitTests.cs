using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Host.Tests;

/// <summary>The per-account rate limit, on a server whose clock the test moves.</summary>
public sealed class RateLimitTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ampstack-rate-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _client = new();
    private WebApplication? _app;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var options = new ServerOptions
        {
            Port = 0,
            DataDirectory = _data,
            RateLimit = 3,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
        };
        _app = ServerComposition.Build(options, services => services.AddSingleton<TimeProvider>(_clock));
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public void Dispose() => _client.Dispose();

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private Task<HttpResponseMessage> GetBackendAsync(string accessKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, "/backend/none/details"))
        {
            Content = new StringContent("{}"),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/20261201/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=0");
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task A_burst_over_the_limit_is_throttled_per_account_until_tokens_come_back()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await GetBackendAsync("111111111111")).StatusCode);
        }

        var throttled = await GetBackendAsync("111111111111");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("TooManyRequestsException", throttled.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal("1", throttled.Headers.GetValues("Retry-After").Single());
        var body = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("requests", body.GetProperty("limitType").GetString());

        // Another account has its own bucket.
        Assert.Equal(HttpStatusCode.NotFound, (await GetBackendAsync("222222222222")).StatusCode);

        _clock.Advance(TimeSpan.FromMilliseconds(400)); // 1.2 tokens at 3 a second
        Assert.Equal(HttpStatusCode.NotFound, (await GetBackendAsync("111111111111")).StatusCode);
        Assert.Equal((HttpStatusCode)429, (await GetBackendAsync("111111111111")).StatusCode);
    }
}
