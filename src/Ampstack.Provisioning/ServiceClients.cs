using System.Collections.Concurrent;
using Ampstack.Aws.Client;
using Ampstack.Aws.Model;
using Microsoft.Extensions.Logging;

namespace Ampstack.Provisioning;

/// <summary>The vendored models provisioning calls, embedded in this assembly.</summary>
internal static class ProvisioningModels
{
    public static ServiceModel CognitoIdp { get; } = Load("cognito-idp");

    public static ServiceModel CognitoIdentity { get; } = Load("cognito-identity");

    public static ServiceModel AppSync { get; } = Load("appsync");

    public static ServiceModel Iam { get; } = Load("iam");

    private static ServiceModel Load(string service)
    {
        using var stream = typeof(ProvisioningModels).Assembly.GetManifestResourceStream($"{service}.service-2.json")
            ?? throw new InvalidOperationException($"The embedded {service} model is missing.");
        return ServiceModel.Load(stream);
    }
}

/// <summary>
/// One client per (service, region, patience), made when first needed and kept, all on one HttpClient. Steps that an
/// endpoint may not implement go through a client that tries once (moto answers them with a 500, which would be retried).
/// </summary>
public sealed class ServiceClients : IDisposable
{
    private readonly ProvisioningEndpoint _endpoint;
    private readonly ILogger? _logger;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<(string, string, bool), AwsServiceClient> _clients = new();

    public ServiceClients(ProvisioningEndpoint endpoint, ILogger? logger = null)
    {
        _endpoint = endpoint;
        _logger = logger;
        _http = AwsServiceClient.CreateHttpClient(Options(new Uri("http://127.0.0.1"), "us-east-1", once: false));
    }

    /// <summary>How long one attempt may take: an endpoint that does not answer fails the step, not the server.</summary>
    public static TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one call may take with its retries.</summary>
    public static TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public AwsServiceClient For(ServiceModel model, string region, bool once = false) =>
        _clients.GetOrAdd((model.EndpointPrefix, region, once), key => new AwsServiceClient(model,
            Options(_endpoint.For(key.Item1, key.Item2), ProvisioningEndpoint.SigningRegion(key.Item1, key.Item2), once), _http, _logger));

    private AwsClientOptions Options(Uri url, string region, bool once) => new()
    {
        Endpoint = url,
        Region = region,
        Credentials = _endpoint.Credentials,
        AttemptTimeout = AttemptTimeout,
        CallTimeout = CallTimeout,
        MaxAttempts = once ? 1 : 4,
    };

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
    }
}
