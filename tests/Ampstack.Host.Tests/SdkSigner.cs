using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Ampstack.Host.Tests;

/// <summary>
/// Signs requests with the AWS SDK for .NET's own SigV4 signer (AWSSDK.Core's <see cref="AWSSigV4Signer"/>), so the
/// server's verification is checked against a signer this project did not write.
/// </summary>
public static class SdkSigner
{
    public const string Service = "amplifybackend";

    /// <summary>Adds the SDK's signature headers (Authorization, X-Amz-Date, ...) to <paramref name="message"/>.</summary>
    public static void Sign(HttpRequestMessage message, byte[] body, AWSCredentials credentials, string region)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = SigningRequest(message, body);
        var result = AWSSigV4Signer.Sign(request, Parameters(credentials, region));
        foreach (var (name, value) in result.Headers)
        {
            if (!IsSentByHttpClient(name))
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static AWSSigningRequest SigningRequest(HttpRequestMessage message, byte[] body)
    {
        var request = new AWSSigningRequest { HttpMethod = message.Method, RequestUri = message.RequestUri!, Content = body };
        if (message.Content?.Headers.ContentType is { } contentType)
        {
            request.Headers["Content-Type"] = contentType.ToString();
        }

        return request;
    }

    private static AWSSigV4Parameters Parameters(AWSCredentials credentials, string region) => new()
    {
        Credentials = credentials,
        Region = RegionEndpoint.GetBySystemName(region),
        Service = Service,
    };

    private static bool IsSentByHttpClient(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase);
}
