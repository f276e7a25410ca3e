using System.Net;
using Amazon.Runtime;

namespace Ampstack.Provisioning;

/// <summary>
/// The AWS SDK for .NET's clients (S3, DynamoDB: the services whose models are not vendored) on the provisioning endpoint:
/// its credentials, its URL (path-style, signed for the request's region) or AWS's regional endpoints, and the same
/// patience as the model-driven client.
/// </summary>
internal static class SdkClients
{
    public static AWSCredentials Credentials(ProvisioningEndpoint endpoint) => endpoint.Credentials.SessionToken is { } token
        ? new SessionAWSCredentials(endpoint.Credentials.AccessKeyId, endpoint.Credentials.SecretAccessKey, token)
        : new BasicAWSCredentials(endpoint.Credentials.AccessKeyId, endpoint.Credentials.SecretAccessKey);

    /// <summary>Points <paramref name="config"/> at the endpoint for <paramref name="region"/>.</summary>
    public static T Configure<T>(T config, ProvisioningEndpoint endpoint, string region)
        where T : ClientConfig
    {
        config.Timeout = ServiceClients.AttemptTimeout;
        config.MaxErrorRetry = 3;
        if (endpoint.Url is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    /// <summary>An SDK failure as a job's error (the endpoint's code and message, or why it was not reached); null otherwise.</summary>
    public static string? Failure(string service, Exception error) => error switch
    {
        AmazonServiceException { ErrorCode.Length: > 0 } e =>
            $"{service} failed on the provisioning endpoint with {e.ErrorCode}: {e.Message}",
        AmazonServiceException e when e.InnerException is HttpRequestException http =>
            $"{service}: could not reach the endpoint: {http.Message}",
        AmazonServiceException e => $"{service} failed on the provisioning endpoint (HTTP {(int)e.StatusCode}): {e.Message}",
        HttpRequestException e => $"{service}: could not reach the endpoint: {e.Message}",
        AmazonClientException e => $"{service}: {e.Message}",
        TaskCanceledException or TimeoutException => $"{service}: no answer from the endpoint in time",
        _ => null,
    };

    /// <summary>The thing is not there (a 404, or the service's own not-found code).</summary>
    public static bool NotFound(AmazonServiceException error) => error.StatusCode == HttpStatusCode.NotFound
        || error.ErrorCode is "NoSuchBucket" or "ResourceNotFoundException";
}
