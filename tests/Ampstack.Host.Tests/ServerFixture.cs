using System.Net.Http.Headers;
using System.Text;
using Ampstack.Domain.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ampstack.Host.Tests;

/// <summary>
/// A real Ampstack server on a free loopback port with a fresh data directory, in strict auth: every request is signed
/// for real, by the AWS SDK for .NET's signer, with a key of <see cref="Credentials"/>.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Account = "000000000000";

    /// <summary>The credential store: <c>test</c> for the default account, and two 12-digit keys, each its own account.</summary>
    public const string Credentials =
        "test test-secret 000000000000;111111111111 secret-1 111111111111;222222222222 secret-2 222222222222";

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
            InlineCredentials = Credentials,
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

    /// <summary>
    /// Sends a request as <paramref name="accessKey"/> in <paramref name="region"/>: signed by the SDK, or with a made-up
    /// signature of the right form (<see cref="Signing.FormOnly"/>, for what is refused before any signature check), or
    /// with none.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string accessKey = "test",
        string region = "us-east-1", Signing signing = Signing.Sdk)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (signing == Signing.Sdk)
        {
            SdkSigner.Sign(request, bytes, new Amazon.Runtime.BasicAWSCredentials(accessKey, SecretOf(accessKey)), region);
        }
        else if (signing == Signing.FormOnly)
        {
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={accessKey}/20261126/{region}/amplifybackend/aws4_request, " +
                "SignedHeaders=host;x-amz-date, Signature=00");
        }

        return Client.SendAsync(request);
    }

    /// <summary>The secret of a key of <see cref="Credentials"/>.</summary>
    public static string SecretOf(string accessKey) =>
        Credentials.Split(';').Select(line => line.Split(' ')).FirstOrDefault(f => f[0] == accessKey)?[1] ?? "unknown-key";

    public Task<HttpResponseMessage> PostAsync(string path, string body, string accessKey = "test", string region = "us-east-1") =>
        SendAsync(HttpMethod.Post, path, body, accessKey, region);
}

/// <summary>How <see cref="ServerFixture.SendAsync"/> signs.</summary>
public enum Signing
{
    Sdk,
    FormOnly,
    None,
}
