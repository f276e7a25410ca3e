using System.Net.Http.Headers;
using System.Text;
using Ampstack.Domain.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ampstack.Host.Tests;

/// <summary>A real Ampstack server on a free loopback port with a fresh data directory.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Account = "000000000000";
    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ampstack-host-" + Guid.NewGuid().ToString("N"));

    public HttpClient Client { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new ServerOptions
        {
            Port = 0,
            DataDirectory = DataDirectory,
            Jobs = JobProgression.Immediate,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
        };
        _app = ServerComposition.Build(options);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Sends a request signed (as far as the server looks) by <paramref name="accessKey"/> in <paramref name="region"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string accessKey = "test",
        string region = "us-east-1", bool withAuthorization = true)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        if (withAuthorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={accessKey}/20261126/{region}/amplifybackend/aws4_request, " +
                "SignedHeaders=host;x-amz-date, Signature=00");
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string accessKey = "test", string region = "us-east-1") =>
        SendAsync(HttpMethod.Post, path, body, accessKey, region);
}
