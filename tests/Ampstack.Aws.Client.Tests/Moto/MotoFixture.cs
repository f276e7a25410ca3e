using Ampstack.Aws.Auth;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>One moto server for every test of the <c>moto</c> collection (each test uses names of its own).</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public MotoServer Server => _server ?? throw new InvalidOperationException("moto has not started");

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client of <paramref name="model"/> on this moto, as provisioning will make one.</summary>
    public AwsServiceClient Client(ServiceModel model, int maxAttempts = 4) => new(model, new AwsClientOptions
    {
        Endpoint = Server.Endpoint,
        Region = "us-east-1",
        Credentials = new AwsCredentials("test", "test"),
        AttemptTimeout = TimeSpan.FromSeconds(20),
        CallTimeout = TimeSpan.FromSeconds(60),
        MaxAttempts = maxAttempts,
    });

    /// <summary>A name no other test uses.</summary>
    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}

[CollectionDefinition("moto")]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>;
